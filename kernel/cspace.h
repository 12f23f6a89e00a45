/* CSpace addressing: translating a capability address (CPtr) through a guarded tree of
 * CNodes to a slot (manual §3.3), and describing a failed translation (manual §3.4). */
#ifndef KERNEL_CSPACE_H
#define KERNEL_CSPACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/cap.h"

/* A CPtr is one machine word; thread lookups translate all of it (upstream wordBits). */
#define CSPACE_CPTR_BITS 64
/* Valid depth limits for CNode-method addressing (manual §10.3.1): the RangeError a caller
 * reports carries these as its minimum and maximum (ABI §2.3). */
#define CSPACE_DEPTH_MIN 1
#define CSPACE_DEPTH_MAX CSPACE_CPTR_BITS
/* Most message registers a lookup failure description takes (ABI §4.2, GuardMismatch). */
#define LOOKUP_FAULT_MAX_WORDS 4

/* Upstream's internal tags; messages carry tag + 1 (ABI §4.2), see lookup_fault_encode. */
enum lookup_fault_type {
    LOOKUP_FAULT_INVALID_ROOT = 0,
    LOOKUP_FAULT_MISSING_CAPABILITY = 1,
    LOOKUP_FAULT_DEPTH_MISMATCH = 2,
    LOOKUP_FAULT_GUARD_MISMATCH = 3,
};

/* Manual §3.4. Fields a type does not use are left 0. bits_found is the level size
 * (guard + radix) for DepthMismatch and the guard size for GuardMismatch. */
struct lookup_fault {
    enum lookup_fault_type type;
    unsigned int bits_left;
    unsigned int bits_found;
    uint64_t guard_found;
};

/* Manual §3.3.1, upstream resolveAddressBits: translates the low `depth` bits of cptr
 * starting from the CNode cap `root`. On success returns true, the slot reached and in
 * *bits_remaining the bits not translated: non-zero when translation stopped at a slot
 * that holds no CNode cap (or nothing) with bits still left; the caller decides whether
 * that is acceptable. On failure returns false, *slot = NULL and fills *fault.
 * depth is at most CSPACE_CPTR_BITS; a larger depth (a kernel bug: no caller passes one)
 * is refused as DepthMismatch{bits_left = depth, bits_found = 0}. */
bool cspace_resolve(cap_t root, uint64_t cptr, unsigned int depth, cte_t **slot,
                    unsigned int *bits_remaining, struct lookup_fault *fault);

/* The usual CSpace, for the shortcuts that must be quick: a root CNode whose guard and radix
 * take the whole CPtr. Its slot for cptr (possibly empty), or NULL when the root is anything
 * else or the guard does not match: the caller then takes the general way, which tells a
 * deeper CSpace from a failure. */
static inline __attribute__((always_inline)) cte_t *cspace_lookup_one_level(cap_t root,
                                                                            uint64_t cptr)
{
    if (cap_get_type(root) != cap_cnode_cap) {
        return NULL;
    }
    unsigned int radix = cap_cnode_radix(root);
    if (radix + cap_cnode_guard_size(root) != CSPACE_CPTR_BITS ||
        (cptr >> radix) != cap_cnode_guard(root)) {
        return NULL;
    }
    return cap_cnode_slots(root) + (cptr & ((1ull << radix) - 1));
}

/* Upstream lookupSlot: translates all 64 bits from a thread's CSpace root; bits left after
 * a non-CNode cap are ignored and the slot is returned even if it is empty. */
bool cspace_lookup_slot_raw(cap_t root, uint64_t cptr, cte_t **slot, struct lookup_fault *fault);

/* The thread-facing lookup for invoked caps and extra caps: as cspace_lookup_slot_raw, but
 * an empty slot is a MissingCapability fault whose bits_left is the number of bits still
 * untranslated at that slot (0 when the whole address was used). */
bool cspace_lookup_slot(cap_t root, uint64_t cptr, cte_t **slot, struct lookup_fault *fault);

enum cspace_op_status { CSPACE_OK, CSPACE_LOOKUP_FAULT, CSPACE_RANGE_ERROR };

/* Upstream lookupSlotForCNodeOp: index+depth addressing of CNode methods (manual §3.3.2,
 * §10.3.1). In this order: root not a CNode cap -> InvalidRoot; depth outside
 * CSPACE_DEPTH_MIN..CSPACE_DEPTH_MAX -> CSPACE_RANGE_ERROR (*fault untouched); a failed
 * translation -> its fault; bits left over at a non-CNode slot -> DepthMismatch{bits_left =
 * bits left over, bits_found = 0}. The slot may be empty. *slot is NULL unless CSPACE_OK. */
enum cspace_op_status cspace_lookup_slot_for_cnode_op(cap_t root, uint64_t index,
                                                      unsigned int depth, cte_t **slot,
                                                      struct lookup_fault *fault);

/* Writes the lookup failure description (manual §3.4, ABI §4.2) into mr[0..]: the type as
 * seL4 numbers it (internal tag + 1), then MissingCapability: BitsLeft; DepthMismatch:
 * BitsLeft, BitsFound; GuardMismatch: BitsLeft, GuardFound, BitsFound; InvalidRoot:
 * nothing. Returns the number of words written (1..LOOKUP_FAULT_MAX_WORDS). */
unsigned int lookup_fault_encode(const struct lookup_fault *f, uint64_t mr[LOOKUP_FAULT_MAX_WORDS]);

#endif
