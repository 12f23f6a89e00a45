/* Helpers of the capability tests (cnode.c, untyped.c, cap_random.c): a slot allocator over
 * BootInfo's empty region, fresh untypeds cut from BootInfo's, cap-type probes and checks of
 * the error registers (manual §10.1, ABI §2.3). The probes use seL4_DebugCapIdentify and
 * the consistency check of a debug kernel, so every file that includes this header is a
 * debug-kernel test (see systest.h). */
#ifndef CSPACE_UTIL_H
#define CSPACE_UTIL_H

#include <kairos/debug.h>
#include <sel4/invocations.h>

#include "cap_types.h"
#include "systest.h"

/* The root task's CSpace root and the depth that resolves a slot of it (manual §9.1: its
 * guard makes it translate exactly one word). */
#define ROOT seL4_CapInitThreadCNode
#define ROOT_DEPTH seL4_WordBits

/* ---- Slots of the root CNode --------------------------------------------------------- */

/* A free slot of bi->empty, or 0 (with a recorded failure) when none is left. Slots are
 * handed out from the top of the region down, and a slot found occupied (by a test that did
 * not use this allocator) is skipped for good. */
seL4_CPtr slot_alloc(void);
/* `n` consecutive free slots (for a retype window); the first, or 0. */
seL4_CPtr slot_alloc_range(unsigned int n);
/* Deletes whatever the slot holds and gives it back. */
void slot_free(seL4_CPtr slot);
/* Every allocation since a mark can be given back at once (their caps are deleted): a test
 * takes a mark first and releases it last, after ut_free of its untypeds. */
unsigned int slot_mark(void);
void slot_release(unsigned int mark);

/* ---- Untyped memory ------------------------------------------------------------------ */

/* A fresh RAM untyped of exactly 2^bits bytes in a new slot: retyped from the smallest
 * BootInfo RAM untyped that still has room. 0 when none has (no failure recorded). */
seL4_CPtr ut_alloc(unsigned int bits);
/* The same from device memory (the device untyped with the highest address, away from the
 * devices QEMU places low); 0 when there is none. */
seL4_CPtr ut_alloc_device(unsigned int bits);
/* Revokes everything made from the untyped and deletes it: its memory goes back. */
void ut_free(seL4_CPtr ut);

/* The bytes left in `ut`, measured as the NotEnoughMemory reply of a retype that cannot
 * fit (manual §10.1.10: MR0 = memory available); `spare` is an empty root slot used as the
 * destination. ~0 when the retype does not fail that way. The probe changes nothing. */
seL4_Word ut_bytes_left(seL4_CPtr ut, seL4_CPtr spare);

/* Retypes one object into root slot `slot`. */
seL4_Error retype_one(seL4_CPtr ut, seL4_Word type, seL4_Word size_bits, seL4_CPtr slot);
/* Retypes one object into a new root slot; the slot, or 0 with a recorded failure. */
seL4_CPtr object_new(seL4_CPtr ut, seL4_Word type, seL4_Word size_bits);

/* ---- Probes ------------------------------------------------------------------------- */

/* The cap type in a root slot. */
static inline seL4_Word cap_type(seL4_CPtr slot)
{
    return seL4_DebugCapIdentify(slot);
}

/* The cap type at (root, index, depth) in any CSpace: the cap is moved into a spare root
 * slot, identified and moved back (moves keep the CDT, manual §3.1.2). CAP_NULL for an
 * empty slot, -1 when the address does not resolve. */
long cap_type_at(seL4_CNode root, seL4_Word index, seL4_Uint8 depth);

/* Whether an endpoint cap is badged, without IPC: Mint may badge only an unbadged endpoint
 * (manual §4.2.1), so a trial mint into the spare root slot succeeds exactly when it is
 * unbadged. The trial copy is deleted again. */
bool endpoint_is_badged(seL4_CPtr ep);

/* Whether an endpoint cap has all four rights: CancelBadgedSends needs full rights (manual
 * §10.3.1.1) and has no other effect when no sender waits. */
bool endpoint_has_all_rights(seL4_CPtr ep);

/* ---- Error registers ----------------------------------------------------------------- */

/* RangeError with MR0 = min and MR1 = max (manual §10.1.4). */
#define CHECK_RANGE_ERROR(expr, lo, hi)                                                            \
    do {                                                                                           \
        seL4_Error re_ = (expr);                                                                   \
        CHECK_EQ(re_, seL4_RangeError);                                                            \
        if (re_ == seL4_RangeError) {                                                              \
            CHECK_EQ(seL4_GetMR(0), (lo));                                                         \
            CHECK_EQ(seL4_GetMR(1), (hi));                                                         \
        }                                                                                          \
    } while (0)

/* FailedLookup with MR0 = 1 for a source lookup, MR1 = the lookup failure type (§10.1.6,
 * §3.4; the types are numbered as the seL4_LookupFailureType enum). */
#define CHECK_LOOKUP_FAILURE(expr, source, type)                                                   \
    do {                                                                                           \
        seL4_Error lf_ = (expr);                                                                   \
        CHECK_EQ(lf_, seL4_FailedLookup);                                                          \
        if (lf_ == seL4_FailedLookup) {                                                            \
            CHECK_EQ(seL4_GetMR(0), (source));                                                     \
            CHECK_EQ(seL4_GetMR(1), (type));                                                       \
        }                                                                                          \
    } while (0)

/* A missing capability with its bits-left word (§3.4.2). */
#define CHECK_MISSING_CAP(expr, source, bits_left)                                                 \
    do {                                                                                           \
        seL4_Error mc_ = (expr);                                                                   \
        CHECK_LOOKUP_FAILURE(mc_, source, seL4_MissingCapability);                                 \
        if (mc_ == seL4_FailedLookup) {                                                            \
            CHECK_EQ(seL4_GetMR(2), (bits_left));                                                  \
        }                                                                                          \
    } while (0)

/* A depth mismatch: bits left to decode, bits the CNode resolved (§3.4.3). */
#define CHECK_DEPTH_MISMATCH(expr, source, bits_left, bits_found)                                  \
    do {                                                                                           \
        seL4_Error dm_ = (expr);                                                                   \
        CHECK_LOOKUP_FAILURE(dm_, source, seL4_DepthMismatch);                                     \
        if (dm_ == seL4_FailedLookup) {                                                            \
            CHECK_EQ(seL4_GetMR(2), (bits_left));                                                  \
            CHECK_EQ(seL4_GetMR(3), (bits_found));                                                 \
        }                                                                                          \
    } while (0)

/* A guard mismatch: bits left, the CNode's guard, its guard size (§3.4.4). */
#define CHECK_GUARD_MISMATCH(expr, source, bits_left, guard, guard_size)                           \
    do {                                                                                           \
        seL4_Error gm_ = (expr);                                                                   \
        CHECK_LOOKUP_FAILURE(gm_, source, seL4_GuardMismatch);                                     \
        if (gm_ == seL4_FailedLookup) {                                                            \
            CHECK_EQ(seL4_GetMR(2), (bits_left));                                                  \
            CHECK_EQ(seL4_GetMR(3), (guard));                                                      \
            CHECK_EQ(seL4_GetMR(4), (guard_size));                                                 \
        }                                                                                          \
    } while (0)

/* InvalidArgument / InvalidCapability with the argument number in MR0 (§10.1.1-2). */
#define CHECK_ARG_ERROR(expr, err, index)                                                          \
    do {                                                                                           \
        seL4_Error ae_ = (expr);                                                                   \
        CHECK_EQ(ae_, (err));                                                                      \
        if (ae_ == (err)) {                                                                        \
            CHECK_EQ(seL4_GetMR(0), (index));                                                      \
        }                                                                                          \
    } while (0)

/* The debug kernel's walk of every CNode and CDT link finds nothing wrong. */
#define CHECK_CONSISTENT() CHECK_EQ(kairos_debug_check_consistency(), 0)

/* The cap in root slot `slot` has upstream type tag `type`. */
#define CHECK_CAP_TYPE(slot, type) CHECK_EQ(cap_type(slot), (type))

/* The same for a slot anywhere: (root, index, depth) as the CNode methods address it. */
#define CHECK_CAP_TYPE_AT(root, index, depth, type)                                                \
    CHECK_EQ(cap_type_at((root), (index), (depth)), (type))

/* Bits of the root CNode's radix and guard (manual §9.1). */
static inline unsigned int root_radix(void)
{
    return seL4_GetBootInfo()->initThreadCNodeSizeBits;
}

/* A rights word with the given bits (W=1, R=2, G=4, GR=8: ABI §1.3). */
static inline seL4_CapRights_t rights_word(seL4_Word bits)
{
    return (seL4_CapRights_t){{bits}};
}

#endif
