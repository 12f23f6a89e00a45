/* CSpace addressing: CPtr translation through guarded CNodes (manual §3.3) and the lookup
 * failure description (manual §3.4). Pure code: no globals, unit-tested on the host. */
#include "kernel/cspace.h"

#include <stddef.h>

/* Word offsets inside a lookup failure description (manual §3.4). They are libsel4's
 * seL4_CapFault_* indices minus seL4_CapFault_LookupFailureType (ABI §4.2). */
#define LF_MR_TYPE 0
#define LF_MR_BITS_LEFT 1
#define LF_MR_DEPTH_BITS_FOUND 2
#define LF_MR_GUARD_FOUND 2
#define LF_MR_GUARD_BITS_FOUND 3

#define LF_WORDS_INVALID_ROOT 1
#define LF_WORDS_MISSING_CAPABILITY 2
#define LF_WORDS_DEPTH_MISMATCH 3
#define LF_WORDS_GUARD_MISMATCH 4
_Static_assert(LF_WORDS_GUARD_MISMATCH == LOOKUP_FAULT_MAX_WORDS, "the longest description");

/* Bits [lo, lo + width) of a CPtr. A guard may be 0 bits wide (lo is then the full depth,
 * possibly 64) or fill the whole word, both cases where a plain C shift is undefined. */
static uint64_t cptr_bits(uint64_t cptr, unsigned int lo, unsigned int width)
{
    if (width == 0 || lo >= CSPACE_CPTR_BITS) {
        return 0;
    }
    uint64_t v = cptr >> lo;
    if (width >= CSPACE_CPTR_BITS) {
        return v;
    }
    return v & ((1ull << width) - 1);
}

static void fault_invalid_root(struct lookup_fault *f)
{
    *f = (struct lookup_fault){.type = LOOKUP_FAULT_INVALID_ROOT};
}

static void fault_missing_capability(struct lookup_fault *f, unsigned int bits_left)
{
    *f = (struct lookup_fault){.type = LOOKUP_FAULT_MISSING_CAPABILITY, .bits_left = bits_left};
}

static void fault_depth_mismatch(struct lookup_fault *f, unsigned int bits_left,
                                 unsigned int bits_found)
{
    *f = (struct lookup_fault){
        .type = LOOKUP_FAULT_DEPTH_MISMATCH, .bits_left = bits_left, .bits_found = bits_found};
}

static void fault_guard_mismatch(struct lookup_fault *f, unsigned int bits_left,
                                 uint64_t guard_found, unsigned int guard_size)
{
    *f = (struct lookup_fault){.type = LOOKUP_FAULT_GUARD_MISMATCH,
                               .bits_left = bits_left,
                               .bits_found = guard_size,
                               .guard_found = guard_found};
}

/*
 * Each CNode consumes its guard then its radix from the most significant end of the bits
 * still to translate (manual §3.3.1, Figure 3.2). Every level consumes at least one bit
 * (a level of 0 is refused below), so with depth <= 64 the loop runs at most 64 times,
 * even through a CNode that holds a cap to itself.
 */
bool cspace_resolve(cap_t root, uint64_t cptr, unsigned int depth, cte_t **slot,
                    unsigned int *bits_remaining, struct lookup_fault *fault)
{
    *slot = NULL;
    *bits_remaining = depth;
    if (cap_get_type(root) != cap_cnode_cap) {
        fault_invalid_root(fault); /* manual §3.4.1 */
        return false;
    }
    if (depth > CSPACE_CPTR_BITS) {
        fault_depth_mismatch(fault, depth, 0);
        return false;
    }

    /* The usual CSpace first: one CNode whose guard and radix take the whole CPtr. Anything
     * else, a mismatch included, goes the general way below, which reports it. */
    unsigned int radix = cap_cnode_radix(root);
    if (depth == CSPACE_CPTR_BITS && radix + cap_cnode_guard_size(root) == CSPACE_CPTR_BITS &&
        (cptr >> radix) == cap_cnode_guard(root)) {
        *slot = cap_cnode_slots(root) + (cptr & ((1ull << radix) - 1));
        *bits_remaining = 0;
        return true;
    }

    unsigned int n = depth; /* bits still to translate: the low n bits of cptr */
    cap_t node = root;
    for (;;) {
        unsigned int radix = cap_cnode_radix(node);
        unsigned int guard_size = cap_cnode_guard_size(node);
        unsigned int level = radix + guard_size;
        uint64_t guard = cap_cnode_guard(node);

        *bits_remaining = n;
        /* manual §3.4.4: fewer bits left than the guard has, or different ones. The whole
         * stored guard is compared, as upstream does, so a guard with bits above its size
         * never matches. */
        if (guard_size > n || cptr_bits(cptr, n - guard_size, guard_size) != guard) {
            fault_guard_mismatch(fault, n, guard, guard_size);
            return false;
        }
        /* manual §3.4.3: the CNode resolves more bits than are left. CNode creation forbids
         * radix 0, so a level of 0 only comes from corrupt state; refusing it here is what
         * guarantees progress (upstream asserts instead). */
        if (level == 0 || level > n) {
            fault_depth_mismatch(fault, n, level);
            return false;
        }

        cte_t *s = cap_cnode_slots(node) + cptr_bits(cptr, n - level, radix);
        n -= level;
        if (n == 0 || cap_get_type(s->cap) != cap_cnode_cap) {
            *slot = s;
            *bits_remaining = n;
            return true;
        }
        node = s->cap;
    }
}

bool cspace_lookup_slot_raw(cap_t root, uint64_t cptr, cte_t **slot, struct lookup_fault *fault)
{
    unsigned int bits_remaining;
    return cspace_resolve(root, cptr, CSPACE_CPTR_BITS, slot, &bits_remaining, fault);
}

bool cspace_lookup_slot(cap_t root, uint64_t cptr, cte_t **slot, struct lookup_fault *fault)
{
    unsigned int bits_remaining;
    if (!cspace_resolve(root, cptr, CSPACE_CPTR_BITS, slot, &bits_remaining, fault)) {
        return false;
    }
    if (cap_is_null((*slot)->cap)) {
        fault_missing_capability(fault, bits_remaining); /* manual §3.4.2 */
        *slot = NULL;
        return false;
    }
    return true;
}

enum cspace_op_status cspace_lookup_slot_for_cnode_op(cap_t root, uint64_t index,
                                                      unsigned int depth, cte_t **slot,
                                                      struct lookup_fault *fault)
{
    *slot = NULL;
    /* The root is checked before the depth, as upstream: a bad root with a bad depth is
     * a FailedLookup, not a RangeError. */
    if (cap_get_type(root) != cap_cnode_cap) {
        fault_invalid_root(fault);
        return CSPACE_LOOKUP_FAULT;
    }
    if (depth < CSPACE_DEPTH_MIN || depth > CSPACE_DEPTH_MAX) {
        return CSPACE_RANGE_ERROR;
    }

    cte_t *s;
    unsigned int bits_remaining;
    if (!cspace_resolve(root, index, depth, &s, &bits_remaining, fault)) {
        return CSPACE_LOOKUP_FAULT;
    }
    /* The depth must end exactly at a slot (manual §3.3.2): stopping early at a non-CNode
     * cap means the depth was wrong; the kernel reports no level size (bits_found 0). */
    if (bits_remaining != 0) {
        fault_depth_mismatch(fault, bits_remaining, 0);
        return CSPACE_LOOKUP_FAULT;
    }
    *slot = s;
    return CSPACE_OK;
}

unsigned int lookup_fault_encode(const struct lookup_fault *f, uint64_t mr[LOOKUP_FAULT_MAX_WORDS])
{
    /* Messages number the types from 1 so that 0 can mean seL4_NoFailure (ABI §4.2). */
    mr[LF_MR_TYPE] = (uint64_t)f->type + 1;
    switch (f->type) {
    case LOOKUP_FAULT_INVALID_ROOT:
        return LF_WORDS_INVALID_ROOT;
    case LOOKUP_FAULT_MISSING_CAPABILITY:
        mr[LF_MR_BITS_LEFT] = f->bits_left;
        return LF_WORDS_MISSING_CAPABILITY;
    case LOOKUP_FAULT_DEPTH_MISMATCH:
        mr[LF_MR_BITS_LEFT] = f->bits_left;
        mr[LF_MR_DEPTH_BITS_FOUND] = f->bits_found;
        return LF_WORDS_DEPTH_MISMATCH;
    case LOOKUP_FAULT_GUARD_MISMATCH:
        mr[LF_MR_BITS_LEFT] = f->bits_left;
        mr[LF_MR_GUARD_FOUND] = f->guard_found;
        mr[LF_MR_GUARD_BITS_FOUND] = f->bits_found;
        return LF_WORDS_GUARD_MISMATCH;
    }
    return LF_WORDS_INVALID_ROOT; /* not reached: every type is handled above */
}
