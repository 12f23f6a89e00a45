/* The fuzzer's objects: the root task's slots and untypeds, and per seed the worker's CSpace
 * W with a pool of every object type, and its teardown with the check that nothing leaked
 * (every untyped used can be retyped whole again, manual §2.4.1). */
#include "fuzz.h"

#define ROOT seL4_CapInitThreadCNode
#define ROOT_DEPTH seL4_WordBits

/* The untyped everything the worker reaches comes from: big enough for a 2 MiB frame, a
 * 2 MiB untyped and the small objects. A 1 GiB frame would need 2^30 bytes of one untyped;
 * QEMU's 2 GiB leave that unsure, so the pool has none (the worker may still try). */
#define POOL_UT_BITS 23
/* W itself: 2^W_RADIX slots of 2^seL4_SlotBits bytes. */
#define SEED_UT_BITS (W_RADIX + seL4_SlotBits)

/* SPI lines QEMU's virt machine wires to nothing: the pool's IRQ handlers. */
static const seL4_Word pool_irqs[] = {100, 101, 102, 103, 120, 121};
#define POOL_IRQ_HANDLERS 2

struct pool fuzz_pool;

/* ---- Root slots and untypeds ------------------------------------------------------------ */

static seL4_CPtr next_free_slot;

seL4_CPtr root_slot_alloc(void)
{
    const seL4_BootInfo *bi = seL4_GetBootInfo();
    if (next_free_slot == 0) {
        next_free_slot = bi->empty.start;
    }
    if (next_free_slot >= bi->empty.end) {
        printf("fuzz: out of root CNode slots\n");
        return 0;
    }
    return next_free_slot++;
}

bool root_untyped_carve(unsigned int bits, seL4_CPtr slot)
{
    const seL4_BootInfo *bi = seL4_GetBootInfo();
    seL4_Word n = bi->untyped.end - bi->untyped.start;
    /* Smallest parents first, so the large regions stay whole. */
    for (unsigned int size = bits; size <= seL4_MaxUntypedBits; size++) {
        for (seL4_Word i = 0; i < n; i++) {
            const seL4_UntypedDesc *d = &bi->untypedList[i];
            if (d->isDevice || d->sizeBits != size) {
                continue;
            }
            if (seL4_Untyped_Retype(bi->untyped.start + i, seL4_UntypedObject, bits, ROOT, 0, 0,
                                    slot, 1) == seL4_NoError) {
                return true;
            }
        }
    }
    printf("fuzz: no %u-bit untyped left\n", bits);
    return false;
}

bool world_init(struct world *w)
{
    w->pool_bits = POOL_UT_BITS;
    w->seed_bits = SEED_UT_BITS;
    w->pool_ut = root_slot_alloc();
    w->seed_ut = root_slot_alloc();
    w->w = root_slot_alloc();
    w->asid_ut = root_slot_alloc();
    w->probe = root_slot_alloc();
    return w->probe != 0 && root_untyped_carve(POOL_UT_BITS, w->pool_ut) &&
           root_untyped_carve(SEED_UT_BITS, w->seed_ut);
}

/* ---- The pool --------------------------------------------------------------------------- */

static void note(unsigned int slot)
{
    if (fuzz_pool.count < W_FREE_FIRST) {
        fuzz_pool.slots[fuzz_pool.count++] = (uint16_t)slot;
    }
}

/* `n` objects of one type into the next pool slots; false (printed) on an error. */
static bool make(struct world *w, unsigned int *slot, seL4_Word type, seL4_Word size_bits,
                 unsigned int n)
{
    for (unsigned int i = 0; i < n; i++) {
        bool cnode = type == seL4_CapTableObject;
        seL4_Error err = seL4_Untyped_Retype(w->pool_ut, type, size_bits, w->w, 0, 0,
                                             cnode ? W_SCRATCH : *slot, 1);
        if (err == seL4_NoError && cnode) {
            err = seL4_CNode_Mutate(w->w, *slot, W_RADIX, w->w, W_SCRATCH, W_RADIX,
                                    seL4_CNode_CapData_new(0, W_SUB_BITS - size_bits).words[0]);
        }
        if (err != seL4_NoError) {
            printf("fuzz: pool retype of type %lu size %lu into W[%u]: error %d\n",
                   (unsigned long)type, (unsigned long)size_bits, *slot, (int)err);
            return false;
        }
        if (type == seL4_CapTableObject && fuzz_pool.cnode_count < 16) {
            fuzz_pool.cnodes[fuzz_pool.cnode_count] = (uint16_t)*slot;
            fuzz_pool.cnode_radix[fuzz_pool.cnode_count++] = (uint8_t)size_bits;
        }
        note((*slot)++);
    }
    return true;
}

static bool copy_control(struct world *w, unsigned int *slot, seL4_CPtr cap)
{
    seL4_Error err = seL4_CNode_Copy(w->w, *slot, W_RADIX, ROOT, cap, ROOT_DEPTH, seL4_AllRights);
    if (err == seL4_IllegalOperation) {
        /* Not copyable on this kernel (upstream's deriveCap refuses some control caps). */
        printf("fuzz: control cap %lu is not copyable (error %d); the pool goes without\n",
               (unsigned long)cap, (int)err);
        return true;
    }
    if (err != seL4_NoError) {
        printf("fuzz: copying control cap %lu into W: error %d\n", (unsigned long)cap, (int)err);
        return false;
    }
    note((*slot)++);
    return true;
}

bool pool_build(struct world *w)
{
    fuzz_pool.count = 0;
    fuzz_pool.cnode_count = 0;
    if (seL4_Untyped_Retype(w->seed_ut, seL4_CapTableObject, W_RADIX, ROOT, 0, 0, w->w, 1) !=
        seL4_NoError) {
        printf("fuzz: cannot make W\n");
        return false;
    }
    /* The worker's own way to name W: guarded as its CSpace root is. */
    seL4_Error err = seL4_CNode_Mint(w->w, W_SELF, W_RADIX, ROOT, w->w, ROOT_DEPTH, seL4_AllRights,
                                     seL4_CNode_CapData_new(0, W_GUARD_BITS).words[0]);
    if (err == seL4_NoError) {
        err = seL4_CNode_Mint(w->w, W_DEEP, W_RADIX, ROOT, w->w, ROOT_DEPTH, seL4_AllRights,
                              seL4_CNode_CapData_new(0, W_DEEP_GUARD_BITS).words[0]);
    }
    if (err != seL4_NoError) {
        printf("fuzz: cannot mint W's own caps: error %d\n", (int)err);
        return false;
    }
    unsigned int s = W_POOL_FIRST;
    /* Largest first: retype aligns each object to its size, so this wastes least. */
    bool ok =
        make(w, &s, seL4_ARM_LargePageObject, 0, 1) && make(w, &s, seL4_UntypedObject, 21, 1) &&
        make(w, &s, seL4_UntypedObject, 18, 1) && make(w, &s, seL4_UntypedObject, 16, 2) &&
        make(w, &s, seL4_UntypedObject, 14, 2) && make(w, &s, seL4_UntypedObject, 12, 2) &&
        make(w, &s, seL4_UntypedObject, 8, 1) && make(w, &s, seL4_ARM_VSpaceObject, 0, 2) &&
        make(w, &s, seL4_ARM_PageTableObject, 0, 6) &&
        make(w, &s, seL4_ARM_SmallPageObject, 0, 8) && make(w, &s, seL4_TCBObject, 0, 4) &&
        make(w, &s, seL4_CapTableObject, W_SUB_BITS, 1) && make(w, &s, seL4_CapTableObject, 6, 2) &&
        make(w, &s, seL4_CapTableObject, 4, 2) && make(w, &s, seL4_CapTableObject, 1, 2) &&
        make(w, &s, seL4_SchedContextObject, 10, 1) && make(w, &s, seL4_SchedContextObject, 9, 1) &&
        make(w, &s, seL4_SchedContextObject, 8, 1) &&
        make(w, &s, seL4_SchedContextObject, seL4_MinSchedContextBits, 2) &&
        make(w, &s, seL4_EndpointObject, 0, 4) && make(w, &s, seL4_NotificationObject, 0, 4) &&
        make(w, &s, seL4_ReplyObject, 0, 4);
    if (!ok) {
        return false;
    }
    /* An ASID pool needs an untyped of exactly its size (ARM ASIDControl_MakePool). */
    err = seL4_Untyped_Retype(w->pool_ut, seL4_UntypedObject, seL4_ASIDPoolBits, ROOT, 0, 0,
                              w->asid_ut, 1);
    if (err == seL4_NoError) {
        err = seL4_ARM_ASIDControl_MakePool(seL4_CapASIDControl, w->asid_ut, w->w, s, W_RADIX);
    }
    if (err != seL4_NoError) {
        printf("fuzz: cannot make the ASID pool: error %d\n", (int)err);
        return false;
    }
    note(s++);
    unsigned int handlers = 0;
    for (unsigned int i = 0; i < sizeof(pool_irqs) / sizeof(pool_irqs[0]); i++) {
        if (handlers < POOL_IRQ_HANDLERS && seL4_IRQControl_Get(seL4_CapIRQControl, pool_irqs[i],
                                                                w->w, s, W_RADIX) == seL4_NoError) {
            handlers++;
            note(s++);
        }
    }
    if (handlers < POOL_IRQ_HANDLERS) {
        printf("fuzz: only %u free IRQ lines for the pool\n", handlers);
    }
    const seL4_BootInfo *bi = seL4_GetBootInfo();
    return copy_control(w, &s, bi->schedcontrol.start) && copy_control(w, &s, seL4_CapIRQControl) &&
           copy_control(w, &s, seL4_CapASIDControl);
}

/* Revokes `ut` and retypes it into one untyped of its full size into `probe`: that only
 * fits if every byte came back. */
static unsigned int check_whole(seL4_CPtr ut, unsigned int bits, seL4_CPtr probe, const char *what)
{
    seL4_Error err = seL4_CNode_Revoke(ROOT, ut, ROOT_DEPTH);
    if (err != seL4_NoError) {
        printf("fuzz: revoking the %s untyped: error %d\n", what, (int)err);
        return 1;
    }
    err = seL4_Untyped_Retype(ut, seL4_UntypedObject, bits, ROOT, 0, 0, probe, 1);
    if (err != seL4_NoError) {
        printf("fuzz: the %s untyped (2^%u) does not come back whole: error %d, MR0=%lu\n", what,
               bits, (int)err, (unsigned long)seL4_GetMR(0));
        return 1;
    }
    (void)seL4_CNode_Delete(ROOT, probe, ROOT_DEPTH);
    (void)seL4_CNode_Revoke(ROOT, ut, ROOT_DEPTH);
    return 0;
}

unsigned int pool_destroy(struct world *w)
{
    unsigned int problems = 0;
    /* IRQ handler caps come from IRQControl, not untyped: the pool's, the worker's and the
     * worker's IRQControl copy are all its descendants. */
    seL4_Error err = seL4_CNode_Revoke(ROOT, seL4_CapIRQControl, ROOT_DEPTH);
    if (err != seL4_NoError) {
        printf("fuzz: revoking IRQControl: error %d\n", (int)err);
        problems++;
    }
    problems += check_whole(w->seed_ut, w->seed_bits, w->probe, "seed");
    problems += check_whole(w->pool_ut, w->pool_bits, w->probe, "pool");
    if (seL4_DebugCapIdentify(w->w) != 0) {
        printf("fuzz: W survived the revoke of its untyped\n");
        problems++;
    }
    return problems;
}
