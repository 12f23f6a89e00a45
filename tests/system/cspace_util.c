/* Helpers of the capability tests: the root-slot allocator, fresh untypeds and the probes
 * declared in cspace_util.h.
 * systest: needs a debug kernel */
#include "cspace_util.h"

/* Per root slot: free (as far as we know), ours, or found occupied by someone else. */
enum { SLOT_FREE = 0, SLOT_OURS = 1, SLOT_FOREIGN = 2 };
#define MAX_TRACKED_SLOTS (1u << 14)
static uint8_t slot_state[MAX_TRACKED_SLOTS];

static seL4_CPtr empty_start(void)
{
    return seL4_GetBootInfo()->empty.start;
}

static seL4_CPtr empty_end(void)
{
    seL4_CPtr end = seL4_GetBootInfo()->empty.end;
    return end > MAX_TRACKED_SLOTS ? MAX_TRACKED_SLOTS : end;
}

/* A slot we have not handed out, and really empty. */
static bool slot_usable(seL4_CPtr s)
{
    if (slot_state[s] != SLOT_FREE) {
        return false;
    }
    if (cap_type(s) != CAP_NULL) {
        slot_state[s] = SLOT_FOREIGN;
        return false;
    }
    return true;
}

/* Every allocation in order, so that a test can give back all it took (slot_release). */
#define MAX_ALLOCATIONS 2048
static struct {
    seL4_CPtr first;
    unsigned int n;
} alloc_log[MAX_ALLOCATIONS];
static unsigned int alloc_count;

static void log_allocation(seL4_CPtr first, unsigned int n)
{
    if (alloc_count < MAX_ALLOCATIONS) {
        alloc_log[alloc_count].first = first;
        alloc_log[alloc_count].n = n;
        alloc_count++;
    }
}

unsigned int slot_mark(void)
{
    return alloc_count;
}

void slot_release(unsigned int mark)
{
    while (alloc_count > mark) {
        alloc_count--;
        for (unsigned int i = 0; i < alloc_log[alloc_count].n; i++) {
            seL4_CPtr s = alloc_log[alloc_count].first + i;
            if (slot_state[s] == SLOT_OURS) {
                (void)seL4_CNode_Delete(ROOT, s, ROOT_DEPTH);
                slot_state[s] = SLOT_FREE;
            }
        }
    }
}

seL4_CPtr slot_alloc_range(unsigned int n)
{
    seL4_CPtr start = empty_start();
    seL4_CPtr top = empty_end();
    while (n > 0 && top >= start + n) {
        seL4_CPtr s = top;
        while (s > top - n && slot_usable(s - 1)) {
            s--;
        }
        if (s == top - n) {
            for (seL4_CPtr i = s; i < top; i++) {
                slot_state[i] = SLOT_OURS;
            }
            log_allocation(s, n);
            return s;
        }
        top = s - 1; /* slot s - 1 is taken: look below it */
    }
    systest_fail(__FILE__, __LINE__, "no %u free consecutive slots left in bi->empty", n);
    return 0;
}

seL4_CPtr slot_alloc(void)
{
    return slot_alloc_range(1);
}

void slot_free(seL4_CPtr slot)
{
    if (slot == 0 || slot >= MAX_TRACKED_SLOTS) {
        return;
    }
    (void)seL4_CNode_Delete(ROOT, slot, ROOT_DEPTH);
    slot_state[slot] = SLOT_FREE;
}

seL4_CPtr object_new(seL4_CPtr ut, seL4_Word type, seL4_Word size_bits)
{
    seL4_CPtr slot = slot_alloc();
    if (slot == 0) {
        return 0;
    }
    seL4_Error err = retype_one(ut, type, size_bits, slot);
    if (err != seL4_NoError) {
        systest_fail(__FILE__, __LINE__, "retype of type %lu (size %lu) from slot %lu: error %d",
                     (unsigned long)type, (unsigned long)size_bits, (unsigned long)ut, (int)err);
        slot_free(slot);
        return 0;
    }
    return slot;
}

seL4_Error retype_one(seL4_CPtr ut, seL4_Word type, seL4_Word size_bits, seL4_CPtr slot)
{
    /* node_depth 0: the root argument itself is the destination CNode (the usual idiom of
     * the seL4 tutorials; upstream's decodeUntypedInvocation). */
    return seL4_Untyped_Retype(ut, type, size_bits, ROOT, 0, 0, slot, 1);
}

static seL4_CPtr ut_child_of(seL4_CPtr parent, unsigned int bits)
{
    seL4_CPtr slot = slot_alloc();
    if (slot == 0) {
        return 0;
    }
    seL4_Error err = retype_one(parent, seL4_UntypedObject, bits, slot);
    if (err == seL4_NoError) {
        return slot;
    }
    if (err != seL4_NotEnoughMemory) {
        systest_fail(__FILE__, __LINE__, "retype of a %u-bit untyped from slot %lu: error %d", bits,
                     (unsigned long)parent, (int)err);
    }
    slot_free(slot);
    return 0;
}

seL4_CPtr ut_alloc(unsigned int bits)
{
    const seL4_BootInfo *bi = seL4_GetBootInfo();
    seL4_Word n = bi->untyped.end - bi->untyped.start;
    /* Smallest parents first, so that the large regions stay whole for large requests. */
    for (unsigned int size = bits; size <= seL4_MaxUntypedBits; size++) {
        for (seL4_Word i = 0; i < n; i++) {
            const seL4_UntypedDesc *d = &bi->untypedList[i];
            if (d->isDevice || d->sizeBits != size) {
                continue;
            }
            seL4_CPtr ut = ut_child_of(bi->untyped.start + i, bits);
            if (ut != 0) {
                return ut;
            }
        }
    }
    return 0;
}

seL4_CPtr ut_alloc_device(unsigned int bits)
{
    const seL4_BootInfo *bi = seL4_GetBootInfo();
    seL4_Word n = bi->untyped.end - bi->untyped.start;
    seL4_Word best = n;
    for (seL4_Word i = 0; i < n; i++) {
        const seL4_UntypedDesc *d = &bi->untypedList[i];
        if (d->isDevice && d->sizeBits >= bits &&
            (best == n || d->paddr > bi->untypedList[best].paddr)) {
            best = i;
        }
    }
    return best == n ? 0 : ut_child_of(bi->untyped.start + best, bits);
}

void ut_free(seL4_CPtr ut)
{
    if (ut == 0) {
        return;
    }
    (void)seL4_CNode_Revoke(ROOT, ut, ROOT_DEPTH);
    slot_free(ut);
}

seL4_Word ut_bytes_left(seL4_CPtr ut, seL4_CPtr spare)
{
    /* No untyped holds 2^47 bytes, so this retype cannot fit and the reply says how much
     * would have been available. */
    seL4_Error err = retype_one(ut, seL4_UntypedObject, seL4_MaxUntypedBits, spare);
    if (err != seL4_NotEnoughMemory) {
        if (err == seL4_NoError) {
            (void)seL4_CNode_Delete(ROOT, spare, ROOT_DEPTH);
        }
        return ~0ul;
    }
    return seL4_GetMR(0);
}

long cap_type_at(seL4_CNode root, seL4_Word index, seL4_Uint8 depth)
{
    seL4_CPtr spare = slot_alloc();
    if (spare == 0) {
        return -1;
    }
    long type;
    seL4_Error err = seL4_CNode_Move(ROOT, spare, ROOT_DEPTH, root, index, depth);
    if (err == seL4_NoError) {
        type = (long)cap_type(spare);
        err = seL4_CNode_Move(root, index, depth, ROOT, spare, ROOT_DEPTH);
        if (err != seL4_NoError) {
            systest_fail(__FILE__, __LINE__, "moving a cap back to 0x%lx/%u: error %d",
                         (unsigned long)index, depth, (int)err);
        }
    } else if (err == seL4_FailedLookup && seL4_GetMR(1) == seL4_MissingCapability) {
        type = CAP_NULL;
    } else {
        type = -1;
    }
    slot_free(spare);
    return type;
}

bool endpoint_is_badged(seL4_CPtr ep)
{
    seL4_CPtr spare = slot_alloc();
    seL4_Error err =
        seL4_CNode_Mint(ROOT, spare, ROOT_DEPTH, ROOT, ep, ROOT_DEPTH, seL4_AllRights, 0x5a5a);
    slot_free(spare);
    if (err != seL4_NoError && err != seL4_IllegalOperation) {
        systest_fail(__FILE__, __LINE__, "trial mint of slot %lu: error %d", (unsigned long)ep,
                     (int)err);
    }
    return err == seL4_IllegalOperation;
}

bool endpoint_has_all_rights(seL4_CPtr ep)
{
    seL4_Error err = seL4_CNode_CancelBadgedSends(ROOT, ep, ROOT_DEPTH);
    if (err != seL4_NoError && err != seL4_IllegalOperation) {
        systest_fail(__FILE__, __LINE__, "CancelBadgedSends on slot %lu: error %d",
                     (unsigned long)ep, (int)err);
    }
    return err == seL4_NoError;
}
