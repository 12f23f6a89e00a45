/* Address spaces seen from running threads (manual §7.1.5, §7.3): a thread in a second
 * VSpace with its own ASID reads different memory at the same virtual address than the
 * root task, while the image frames both map are shared.
 * Uses cspace_util, so: systest: needs a debug kernel */
#include "cspace_util.h"
#include "systest.h"

extern char __executable_start[];

#define PROBE_VADDR 0x10000000ul /* well clear of the image at 0x400000 */
#define STACK_WORDS 512
#define WAIT_YIELDS 100000
#define PRIO 255
#define VALUE_ROOT 0x1111ul
#define VALUE_OTHER 0x2222ul
#define SC_BITS 8
#define SC_BUDGET_US 1000
#define PT_LEVELS 3

static volatile uint64_t seen;
static volatile int done;
static uint64_t stack[STACK_WORDS] __attribute__((aligned(16)));

static void probe(void)
{
    seen = *(volatile uint64_t *)PROBE_VADDR;
    done = 1;
    for (;;) {
    }
}

static bool map_page_tables(seL4_CPtr ut, seL4_CPtr vspace, seL4_Word vaddr)
{
    /* Map tables until the walk reaches level 3 (DeleteFirst then means "all present"). */
    for (unsigned int i = 0; i < PT_LEVELS; i++) {
        seL4_CPtr pt = object_new(ut, seL4_ARM_PageTableObject, 0);
        if (!pt) {
            return false;
        }
        int e = seL4_ARM_PageTable_Map(pt, vspace, vaddr, seL4_ARM_Default_VMAttributes);
        if (e == seL4_DeleteFirst) {
            return true;
        }
        if (e != seL4_NoError) {
            return false;
        }
    }
    return true;
}

static seL4_CPtr frame_with(seL4_CPtr ut, seL4_CPtr vspace, uint64_t value)
{
    seL4_CPtr f = object_new(ut, seL4_ARM_SmallPageObject, 0);
    if (!f || !map_page_tables(ut, vspace, PROBE_VADDR) ||
        seL4_ARM_Page_Map(f, vspace, PROBE_VADDR, seL4_AllRights, seL4_ARM_Default_VMAttributes)) {
        return 0;
    }
    *(volatile uint64_t *)PROBE_VADDR = value; /* only meaningful for the root's VSpace */
    return f;
}

SYSTEST(vm_two_vspaces_seen_by_threads)
{
    const seL4_BootInfo *bi = seL4_GetBootInfo();
    unsigned int mark = slot_mark();
    seL4_CPtr ut = ut_alloc(20);
    CHECK(ut != 0);
    if (!ut) {
        return;
    }
    /* The root task's view: PROBE_VADDR holds VALUE_ROOT. */
    seL4_CPtr root_frame = frame_with(ut, seL4_CapInitThreadVSpace, VALUE_ROOT);
    CHECK(root_frame != 0);

    /* A second VSpace with its own ASID: the same image (copies of the image frame caps),
     * and at PROBE_VADDR a frame holding VALUE_OTHER (written through the root's mapping
     * of it first, at another address). */
    seL4_CPtr vs = object_new(ut, seL4_ARM_VSpaceObject, 0);
    CHECK_EQ(seL4_ARM_ASIDPool_Assign(seL4_CapInitThreadASIDPool, vs), seL4_NoError);
    seL4_Word image = (seL4_Word)__executable_start;
    for (seL4_CPtr f = bi->userImageFrames.start; f < bi->userImageFrames.end; f++) {
        seL4_Word va = image + (f - bi->userImageFrames.start) * 4096;
        seL4_CPtr copy = slot_alloc();
        CHECK_EQ(seL4_CNode_Copy(ROOT, copy, ROOT_DEPTH, ROOT, f, ROOT_DEPTH, seL4_AllRights), 0);
        CHECK(map_page_tables(ut, vs, va));
        CHECK_EQ(seL4_ARM_Page_Map(copy, vs, va, seL4_AllRights, seL4_ARM_Default_VMAttributes),
                 seL4_NoError);
    }
    seL4_CPtr other = object_new(ut, seL4_ARM_SmallPageObject, 0);
    seL4_CPtr other_root_copy = slot_alloc();
    CHECK_EQ(seL4_CNode_Copy(ROOT, other_root_copy, ROOT_DEPTH, ROOT, other, ROOT_DEPTH,
                             seL4_AllRights), 0);
    CHECK_EQ(seL4_ARM_Page_Map(other_root_copy, seL4_CapInitThreadVSpace, PROBE_VADDR + 4096,
                               seL4_AllRights, seL4_ARM_Default_VMAttributes), seL4_NoError);
    *(volatile uint64_t *)(PROBE_VADDR + 4096) = VALUE_OTHER;
    CHECK(map_page_tables(ut, vs, PROBE_VADDR));
    CHECK_EQ(seL4_ARM_Page_Map(other, vs, PROBE_VADDR, seL4_AllRights,
                               seL4_ARM_Default_VMAttributes), seL4_NoError);

    /* A thread in that VSpace, on the shared CSpace, without an IPC buffer. */
    seL4_CPtr tcb = object_new(ut, seL4_TCBObject, 0);
    seL4_CPtr sc = object_new(ut, seL4_SchedContextObject, SC_BITS);
    CHECK_EQ(seL4_TCB_Configure(tcb, ROOT, 0, vs, 0, 0, 0), seL4_NoError);
    CHECK_EQ(seL4_TCB_SetSchedParams(tcb, seL4_CapInitThreadTCB, PRIO, PRIO, sc, 0),
             seL4_NoError);
    CHECK_EQ(seL4_SchedControl_ConfigureFlags(bi->schedcontrol.start, sc, SC_BUDGET_US,
                                              SC_BUDGET_US, 0, 0, 0), seL4_NoError);
    seL4_UserContext regs = {0};
    regs.pc = (seL4_Word)probe;
    regs.sp = (seL4_Word)&stack[STACK_WORDS];
    seen = 0;
    done = 0;
    CHECK_EQ(seL4_TCB_WriteRegisters(tcb, 1, 0, 2, &regs), seL4_NoError);
    for (unsigned int i = 0; i < WAIT_YIELDS && !done; i++) {
        seL4_Yield();
    }
    CHECK(done);
    CHECK_EQ(seen, VALUE_OTHER);
    CHECK_EQ(*(volatile uint64_t *)PROBE_VADDR, VALUE_ROOT);
    CHECK_EQ(seL4_TCB_Suspend(tcb), seL4_NoError);
    ut_free(ut);
    slot_release(mark);
}
