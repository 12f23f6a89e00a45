/* Fault-case root task: raises one EL0 exception (chosen by the fault_case string linked
 * into the image) with no fault handler. The kernel must report it, make the thread
 * inactive and keep running: it powers off once the idle loop takes a timer interrupt.
 * EXPECT lines tell the runner which kernel report and fault message to look for. The VM
 * cases (vm_fault_case) first build, then break, a mapping of their own. */
#include <kairos/debug.h>
#include <kairos/stdio.h>
#include <kairos/string.h>
#include <sel4/sel4.h>
#include <stdbool.h>
#include <stdint.h>

extern const char fault_case[];

#define UNKNOWN_SYSCALL_NUMBER (-100)
#define UNMAPPED_DATA 0xdead0000ul
#define UNMAPPED_CODE 0x0bad0000ul
#define BRK_IMMEDIATE 0x42
/* ESR_EL1 values: EC << 26 | IL (32-bit instruction) | ISS. */
#define ESR_UNDEFINED 0x02000000ul
#define ESR_BRK (0xf2000000ul | BRK_IMMEDIATE)
#define ESR_PC_ALIGN 0x8a000000ul
#define ESR_SP_ALIGN 0x9a000000ul
#define ESR_ALIGNMENT_DABT 0x92000021ul
#define THREAD "in thread \"rootserver\""

static void expect(const char *name, const char *regex)
{
    printf("EXPECT %s %s\n", name, regex);
}

static void __attribute__((noinline)) jump_to(uintptr_t target)
{
    __asm__ volatile("br %0" ::"r"(target));
}

/* ---- VM cases: faults on mappings the root task makes and breaks itself ------------------ */

/* In a fresh 512 GiB region (L0 slot 1), so that every table on the way is the case's own
 * and the level of a translation fault is known. */
#define VM_VADDR 0x8000000000ul
#define KERNEL_VADDR 0xffffff8040000000ul
/* ESR_EL1 of the aborts: EC (data 0x24 / instruction 0x20 abort from EL0) << 26 | IL |
 * WnR (bit 6) | fault status code (translation fault level n: 4 + n, permission: 0xc + n). */
#define ESR_READ_TRANSLATION_L3 0x92000007ul
#define ESR_READ_TRANSLATION_L2 0x92000006ul
#define ESR_WRITE_PERMISSION_L3 0x9200004ful
#define ESR_EXEC_PERMISSION_L3 0x8200000ful
#define ANY_PC "0x[0-9a-f]+"
#define VM_VALUE 0x5eed5eedul
#define RET_INSN 0xd65f03c0u
#define RW seL4_ReadWrite
#define ATTR seL4_ARM_Default_VMAttributes
#define ROOT_CNODE seL4_CapInitThreadCNode

static seL4_CPtr vm_untyped, vm_next_slot, vm_last_table;

static void __attribute__((noreturn)) vm_fail(const char *what, long value)
{
    printf("FAIL faults/%s: %s (%ld)\n", fault_case, what, value);
    kairos_debug_exit(1);
}

static void vm_check(const char *what, seL4_Error err)
{
    if (err != seL4_NoError) {
        vm_fail(what, err);
    }
}

/* One object from the first RAM untyped of at least 64 KiB into the next empty slot. */
static seL4_CPtr vm_retype(seL4_Word type)
{
    const seL4_BootInfo *bi = seL4_GetBootInfo();
    for (seL4_Word i = 0; vm_untyped == 0 && i < bi->untyped.end - bi->untyped.start; i++) {
        if (!bi->untypedList[i].isDevice && bi->untypedList[i].sizeBits >= 16) {
            vm_untyped = bi->untyped.start + i;
            vm_next_slot = bi->empty.start;
        }
    }
    if (vm_untyped == 0) {
        vm_fail("no RAM untyped", 0);
    }
    seL4_CPtr slot = vm_next_slot++;
    vm_check("retype", seL4_Untyped_Retype(vm_untyped, type, 0, ROOT_CNODE, 0, 0, slot, 1));
    return slot;
}

/* Maps `frame` at VM_VADDR, first mapping the page tables the walk asks for (L1, L2, L3). */
static void vm_map(seL4_CPtr frame, seL4_CapRights_t rights, seL4_Word attr)
{
    for (int tables = 0;; tables++) {
        seL4_Error err = seL4_ARM_Page_Map(frame, seL4_CapInitThreadVSpace, VM_VADDR, rights, attr);
        if (err == seL4_NoError) {
            return;
        }
        if (err != seL4_FailedLookup || tables == 3) {
            vm_fail("Page_Map", err);
        }
        vm_last_table = vm_retype(seL4_ARM_PageTableObject);
        vm_check("PageTable_Map",
                 seL4_ARM_PageTable_Map(vm_last_table, seL4_CapInitThreadVSpace, VM_VADDR, ATTR));
    }
}

static volatile uint64_t *vm_word(void)
{
    return (volatile uint64_t *)VM_VADDR;
}

/* The mapping reads back what is written through it, before the case breaks it. */
static void vm_check_read_write(void)
{
    *vm_word() = VM_VALUE;
    if (*vm_word() != VM_VALUE) {
        vm_fail("a write through the new mapping did not read back", (long)*vm_word());
    }
}

static void expect_vm_fault(const char *pc, uint64_t addr, int prefetch, uint64_t esr)
{
    char re[200];
    snprintf(re, sizeof(re), "kairos: vm fault " THREAD ": pc=%s addr=0x%lx esr=0x%lx;", pc, addr,
             esr);
    expect("report", re);
    snprintf(re, sizeof(re), "fault message label=6 len=4: %s 0x%lx 0x%x 0x%lx;", pc, addr,
             prefetch, esr);
    expect("message", re);
}

/* The VM cases (manual §6.2.7, §7.1.3, §7.2; ABI §4.2); false if fault_case is none. */
static bool vm_fault_case(void)
{
    if (!strcmp(fault_case, "write_readonly")) {
        /* A read-only mapping reads (a fresh frame: zero); a write is a permission fault. */
        expect_vm_fault(ANY_PC, VM_VADDR, 0, ESR_WRITE_PERMISSION_L3);
        vm_map(vm_retype(seL4_ARM_SmallPageObject), seL4_CanRead, ATTR);
        if (*vm_word() != 0) {
            vm_fail("a fresh frame does not read as zero", (long)*vm_word());
        }
        *vm_word() = 1;
    } else if (!strcmp(fault_case, "remap_readonly")) {
        /* §7.2: Map at the same vaddr changes the rights of a mapping, both ways; the TLB
         * must not keep the old ones. */
        seL4_CPtr frame = vm_retype(seL4_ARM_SmallPageObject);
        vm_map(frame, RW, ATTR);
        vm_check_read_write();
        vm_map(frame, seL4_CanRead, ATTR);
        vm_map(frame, RW, ATTR);
        *vm_word() = VM_VALUE + 1;
        vm_map(frame, seL4_CanRead, ATTR);
        if (*vm_word() != VM_VALUE + 1) {
            vm_fail("remapped read-only, the frame lost its data", (long)*vm_word());
        }
        expect_vm_fault(ANY_PC, VM_VADDR, 0, ESR_WRITE_PERMISSION_L3);
        *vm_word() = 2;
    } else if (!strcmp(fault_case, "write_rights_downgraded")) {
        /* §7.1.3: a read-only cap asked for a writable mapping maps read-only, silently. */
        seL4_CPtr frame = vm_retype(seL4_ARM_SmallPageObject), copy = vm_next_slot++;
        vm_check("Copy", seL4_CNode_Copy(ROOT_CNODE, copy, seL4_WordBits, ROOT_CNODE, frame,
                                         seL4_WordBits, seL4_CanRead));
        vm_map(copy, RW, ATTR);
        (void)*vm_word();
        expect_vm_fault(ANY_PC, VM_VADDR, 0, ESR_WRITE_PERMISSION_L3);
        *vm_word() = 1;
    } else if (!strcmp(fault_case, "exec_xn_mapping")) {
        /* §7.2: seL4_ARM_ExecuteNever. The page holds a `ret`, so a kernel that ignored the
         * attribute would come back here and report the thread resumed. */
        vm_map(vm_retype(seL4_ARM_SmallPageObject), RW, ATTR | seL4_ARM_ExecuteNever);
        *(volatile uint32_t *)VM_VADDR = RET_INSN;
        vm_check("Unify_Instruction", seL4_ARM_VSpace_Unify_Instruction(seL4_CapInitThreadVSpace,
                                                                        VM_VADDR, VM_VADDR + 4));
        char pc[24];
        snprintf(pc, sizeof(pc), "0x%lx", VM_VADDR);
        expect_vm_fault(pc, VM_VADDR, 1, ESR_EXEC_PERMISSION_L3);
        jump_to(VM_VADDR);
    } else if (!strcmp(fault_case, "stale_after_unmap")) {
        seL4_CPtr frame = vm_retype(seL4_ARM_SmallPageObject);
        vm_map(frame, RW, ATTR);
        vm_check_read_write();
        vm_check("Page_Unmap", seL4_ARM_Page_Unmap(frame));
        expect_vm_fault(ANY_PC, VM_VADDR, 0, ESR_READ_TRANSLATION_L3);
        (void)*vm_word();
    } else if (!strcmp(fault_case, "stale_after_delete")) {
        seL4_CPtr frame = vm_retype(seL4_ARM_SmallPageObject);
        vm_map(frame, RW, ATTR);
        vm_check_read_write();
        vm_check("Delete", seL4_CNode_Delete(ROOT_CNODE, frame, seL4_WordBits));
        expect_vm_fault(ANY_PC, VM_VADDR, 0, ESR_READ_TRANSLATION_L3);
        (void)*vm_word();
    } else if (!strcmp(fault_case, "stale_after_pt_delete")) {
        /* Deleting the last-level table empties its slot in the level-2 table. */
        vm_map(vm_retype(seL4_ARM_SmallPageObject), RW, ATTR);
        vm_check_read_write();
        vm_check("Delete", seL4_CNode_Delete(ROOT_CNODE, vm_last_table, seL4_WordBits));
        expect_vm_fault(ANY_PC, VM_VADDR, 0, ESR_READ_TRANSLATION_L2);
        (void)*vm_word();
    } else if (!strcmp(fault_case, "vspace_deleted")) {
        /* The TCB holds a copy of the VSpace cap derived from slot 3: Revoke deletes it,
         * then Delete takes the last cap, freeing the ASID. From then on (upstream: after
         * the revoke already, as the thread's VSpace root is gone) the thread runs in no
         * address space: its next instruction fetch, somewhere in this image (linked at
         * 0x400000), is an instruction abort (translation fault, any level). */
        expect("report", "kairos: vm fault " THREAD ": pc=(0x4[0-9a-f]{5}) addr=\\1 "
                         "esr=0x8200000[4-7];");
        expect("message", "fault message label=6 len=4: (0x4[0-9a-f]{5}) \\1 0x1 0x8200000[4-7];");
        (void)seL4_CNode_Revoke(ROOT_CNODE, seL4_CapInitThreadVSpace, seL4_WordBits);
        (void)seL4_CNode_Delete(ROOT_CNODE, seL4_CapInitThreadVSpace, seL4_WordBits);
    } else if (!strcmp(fault_case, "read_kernel_memory")) {
        /* EL0 may not read the kernel's half: a translation or permission fault, at
         * whatever level the kernel maps itself. */
        char re[200];
        snprintf(re, sizeof(re),
                 "kairos: vm fault " THREAD ": pc=" ANY_PC " addr=0x%lx "
                 "esr=0x920000(0[4-7]|0[c-f]);",
                 KERNEL_VADDR);
        expect("report", re);
        snprintf(re, sizeof(re),
                 "fault message label=6 len=4: " ANY_PC " 0x%lx 0x0 "
                 "0x920000(0[4-7]|0[c-f]);",
                 KERNEL_VADDR);
        expect("message", re);
        (void)*(volatile uint64_t *)KERNEL_VADDR;
    } else {
        return false;
    }
    return true;
}

int main(void)
{
    char re[200];
    printf("faults: case %s\n", fault_case);
    expect("kernel_still_running", "kairos: idle and still taking interrupts; powering off with "
                                   "status 0");
    expect("thread_made_inactive", "no fault handler; thread \"rootserver\" made inactive");
    kairos_debug_exit_when_idle(0);

    if (!strcmp(fault_case, "unknown_syscall")) {
        /* Message: X0..X7, FaultIP, SP, LR, SPSR, syscall number (ABI §4.2). */
        expect("report",
               "kairos: unknown syscall " THREAD ": pc=0x[0-9a-f]+ addr=0xffffffffffffff9c");
        expect("message", "fault message label=2 len=13: 0x1 0x2 0x3 0x4 0x5 0x6 0x0 "
                          "0xffffffffffffff9c 0x[0-9a-f]+ 0x[0-9a-f]+ 0x[0-9a-f]+ 0x[0-9a-f]+ "
                          "0xffffffffffffff9c;");
        register uint64_t x0 __asm__("x0") = 1, x1 __asm__("x1") = 2, x2 __asm__("x2") = 3;
        register uint64_t x3 __asm__("x3") = 4, x4 __asm__("x4") = 5, x5 __asm__("x5") = 6;
        register uint64_t x6 __asm__("x6") = 0;
        register int64_t x7 __asm__("x7") = UNKNOWN_SYSCALL_NUMBER;
        __asm__ volatile("svc #0"
                         : "+r"(x0)
                         : "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5), "r"(x6), "r"(x7)
                         : "memory");
    } else if (!strcmp(fault_case, "undefined_instruction")) {
        snprintf(re, sizeof(re), "kairos: user exception " THREAD ": .* esr=0x%lx;", ESR_UNDEFINED);
        expect("report", re);
        expect("message", "fault message label=3 len=5: 0x[0-9a-f]+ 0x[0-9a-f]+ 0x[0-9a-f]+ "
                          "0x2000000 0x0;");
        __asm__ volatile(".word 0x00000000"); /* udf #0 */
    } else if (!strcmp(fault_case, "breakpoint")) {
        snprintf(re, sizeof(re), "kairos: user exception " THREAD ": .* esr=0x%lx;", ESR_BRK);
        expect("report", re);
        __asm__ volatile("brk #0x42");
    } else if (!strcmp(fault_case, "data_abort")) {
        snprintf(re, sizeof(re), "kairos: vm fault " THREAD ": pc=0x[0-9a-f]+ addr=0x%lx esr=0x92",
                 UNMAPPED_DATA);
        expect("report", re);
        snprintf(re, sizeof(re), "fault message label=6 len=4: 0x[0-9a-f]+ 0x%lx 0x0 0x92",
                 UNMAPPED_DATA);
        expect("message", re);
        (void)*(volatile uint64_t *)UNMAPPED_DATA;
    } else if (!strcmp(fault_case, "instruction_abort")) {
        snprintf(re, sizeof(re), "kairos: vm fault " THREAD ": pc=0x%lx addr=0x%lx esr=0x82",
                 UNMAPPED_CODE, UNMAPPED_CODE);
        expect("report", re);
        snprintf(re, sizeof(re), "fault message label=6 len=4: 0x%lx 0x%lx 0x1 0x82", UNMAPPED_CODE,
                 UNMAPPED_CODE);
        expect("message", re);
        jump_to(UNMAPPED_CODE);
    } else if (!strcmp(fault_case, "exec_never")) {
        /* The IPC buffer is mapped without execute permission. */
        uintptr_t buf = (uintptr_t)seL4_GetBootInfo()->ipcBuffer;
        snprintf(re, sizeof(re), "kairos: vm fault " THREAD ": pc=0x%lx addr=0x%lx esr=0x82", buf,
                 buf);
        expect("report", re);
        jump_to(buf);
    } else if (!strcmp(fault_case, "misaligned_pc")) {
        uintptr_t target = (uintptr_t)&main + 2;
        snprintf(re, sizeof(re), "kairos: user exception " THREAD ": pc=0x%lx .* esr=0x%lx;",
                 target, ESR_PC_ALIGN);
        expect("report", re);
        jump_to(target);
    } else if (!strcmp(fault_case, "misaligned_sp")) {
        /* A core checking SP alignment (SCTLR_EL1.SA0, set by Kairos) raises an SP
         * alignment fault, a user exception; QEMU does not model that check, but it does
         * fault the 8-byte exclusive load through the misaligned SP (alignment fault,
         * DFSC 0x21), a VM fault. Either is the kernel's answer to a misaligned SP. */
        snprintf(re, sizeof(re),
                 "kairos: (user exception " THREAD ": .* esr=0x%lx|vm fault " THREAD
                 ": .* esr=0x%lx);",
                 ESR_SP_ALIGN, ESR_ALIGNMENT_DABT);
        expect("report", re);
        __asm__ volatile("mov x9, sp\n sub x9, x9, #4\n mov sp, x9\n ldxr x9, [sp]" ::
                             : "x9", "memory");
    } else if (!vm_fault_case()) {
        printf("FAIL faults/%s: unknown fault case\n", fault_case);
        kairos_debug_exit(1);
    }
    /* The faulting thread must never get here. */
    printf("FAIL faults/%s: the faulting thread resumed\n", fault_case);
    kairos_debug_exit(1);
}
