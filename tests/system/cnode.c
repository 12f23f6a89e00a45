/* CNode methods (manual §3.1-3.4, §10.3.1): every method's success path and each error the
 * manual lists for it, with the error registers of §10.1. Where the manual is silent the
 * expectation is upstream seL4's (decodeCNodeInvocation, updateCapData, deriveCap) and the
 * comment says so. Every test cuts its objects from a fresh untyped and gives it back.
 * systest: needs a debug kernel */
#include "cspace_util.h"

/* The guard size of the root CNode cap: it resolves exactly a word (manual §9.1). */
#define ROOT_GUARD (ROOT_DEPTH - root_radix())
#define GUARD(g, size) (seL4_CNode_CapData_new((g), (size)).words[0])

/* ---- Errors shared by Copy, Mint, Move and Mutate ------------------------------------- */

enum two_slot_op { OP_COPY, OP_MINT, OP_MOVE, OP_MUTATE };

/* The plain form of each method: all rights, badge/guard word 0. */
static seL4_Error two_slot(enum two_slot_op op, seL4_CNode service, seL4_Word dest,
                           seL4_Uint8 dest_depth, seL4_CNode src_root, seL4_Word src,
                           seL4_Uint8 src_depth)
{
    switch (op) {
    case OP_COPY:
        return seL4_CNode_Copy(service, dest, dest_depth, src_root, src, src_depth, seL4_AllRights);
    case OP_MINT:
        return seL4_CNode_Mint(service, dest, dest_depth, src_root, src, src_depth, seL4_AllRights,
                               0);
    case OP_MOVE:
        return seL4_CNode_Move(service, dest, dest_depth, src_root, src, src_depth);
    case OP_MUTATE:
        return seL4_CNode_Mutate(service, dest, dest_depth, src_root, src, src_depth, 0);
    }
    return seL4_NumErrors;
}

/* Each error of the method's table in §10.3.1.2/4/5/6 that all four share. The source is a
 * TCB cap: it derives, and badge/guard words leave it unchanged (§2.4.2, upstream
 * updateCapData), so only the fault under test can make the call fail. */
static void check_two_slot_errors(enum two_slot_op op)
{
    unsigned int mark = slot_mark();
    seL4_CPtr ut = ut_alloc(16);
    CHECK(ut != 0);
    if (ut == 0) {
        return;
    }
    seL4_CPtr tcb = object_new(ut, seL4_TCBObject, 0);
    seL4_CPtr ep = object_new(ut, seL4_EndpointObject, 0);
    seL4_CPtr dest = slot_alloc(), empty = slot_alloc();
    seL4_CPtr bad = (1ul << 63) | dest; /* outside the root CNode's guard */

    /* DeleteFirst: the destination slot contains a capability. */
    CHECK_EQ(two_slot(op, ROOT, ep, ROOT_DEPTH, ROOT, tcb, ROOT_DEPTH), seL4_DeleteFirst);
    /* RangeError: dest_depth or src_depth outside 1..64 (upstream lookupSlotForCNodeOp). */
    CHECK_RANGE_ERROR(two_slot(op, ROOT, dest, 0, ROOT, tcb, ROOT_DEPTH), 1, 64);
    CHECK_RANGE_ERROR(two_slot(op, ROOT, dest, 65, ROOT, tcb, ROOT_DEPTH), 1, 64);
    CHECK_RANGE_ERROR(two_slot(op, ROOT, dest, ROOT_DEPTH, ROOT, tcb, 0), 1, 64);
    CHECK_RANGE_ERROR(two_slot(op, ROOT, dest, ROOT_DEPTH, ROOT, tcb, 255), 1, 64);
    /* FailedLookup, source: an empty source slot (upstream reports the whole src_depth as
     * bits left), a guard that does not match, too few bits for the CNode. */
    CHECK_MISSING_CAP(two_slot(op, ROOT, dest, ROOT_DEPTH, ROOT, empty, ROOT_DEPTH), 1, 64);
    CHECK_GUARD_MISMATCH(two_slot(op, ROOT, dest, ROOT_DEPTH, ROOT, bad, ROOT_DEPTH), 1, 64, 0,
                         ROOT_GUARD);
    CHECK_GUARD_MISMATCH(two_slot(op, ROOT, dest, ROOT_DEPTH, ROOT, seL4_CapInitThreadTCB, 32), 1,
                         32, 0, ROOT_GUARD);
    CHECK_DEPTH_MISMATCH(two_slot(op, ROOT, dest, ROOT_DEPTH, ROOT, seL4_CapInitThreadTCB, 60), 1,
                         60, 64);
    /* FailedLookup, source: src_root is not a CNode (empty, or an endpoint). */
    CHECK_LOOKUP_FAILURE(two_slot(op, ROOT, dest, ROOT_DEPTH, empty, tcb, ROOT_DEPTH), 1,
                         seL4_InvalidRoot);
    CHECK_LOOKUP_FAILURE(two_slot(op, ROOT, dest, ROOT_DEPTH, ep, tcb, ROOT_DEPTH), 1,
                         seL4_InvalidRoot);
    /* FailedLookup, destination: MR0 = 0. */
    CHECK_GUARD_MISMATCH(two_slot(op, ROOT, bad, ROOT_DEPTH, ROOT, tcb, ROOT_DEPTH), 0, 64, 0,
                         ROOT_GUARD);
    CHECK_DEPTH_MISMATCH(two_slot(op, ROOT, 1, 60, ROOT, tcb, ROOT_DEPTH), 0, 60, 64);
    /* InvalidCapability / IllegalOperation: _service is not a CNode cap. */
    CHECK_ARG_ERROR(two_slot(op, empty, dest, ROOT_DEPTH, ROOT, tcb, ROOT_DEPTH),
                    seL4_InvalidCapability, 0);
    CHECK_EQ(two_slot(op, ut, dest, ROOT_DEPTH, ROOT, tcb, ROOT_DEPTH), seL4_IllegalOperation);

    /* Decode-then-act: none of the failed calls moved or made anything. */
    CHECK_CAP_TYPE(tcb, CAP_THREAD);
    CHECK_CAP_TYPE(ep, CAP_ENDPOINT);
    CHECK_CAP_TYPE(dest, CAP_NULL);
    CHECK_CAP_TYPE(empty, CAP_NULL);
    CHECK_CONSISTENT();
    ut_free(ut);
    slot_release(mark);
}

/* IllegalOperation and RevokeFirst for a source that cannot be derived (§3.1.5, Table 3.2):
 * IRQControl, an unmapped page table, a VSpace without an ASID (AArch64's top-level table;
 * upstream Arch_deriveCap), and an untyped with children. */
static void check_derivation_errors(enum two_slot_op op)
{
    unsigned int mark = slot_mark();
    seL4_CPtr ut = ut_alloc(16);
    CHECK(ut != 0);
    if (ut == 0) {
        return;
    }
    seL4_CPtr pt = object_new(ut, seL4_ARM_PageTableObject, 0);
    seL4_CPtr vs = object_new(ut, seL4_ARM_VSpaceObject, 0);
    seL4_CPtr parent = object_new(ut, seL4_UntypedObject, 10);
    seL4_CPtr child = object_new(parent, seL4_EndpointObject, 0);
    seL4_CPtr dest = slot_alloc();

    CHECK_EQ(two_slot(op, ROOT, dest, ROOT_DEPTH, ROOT, seL4_CapIRQControl, ROOT_DEPTH),
             seL4_IllegalOperation);
    CHECK_EQ(two_slot(op, ROOT, dest, ROOT_DEPTH, ROOT, pt, ROOT_DEPTH), seL4_IllegalOperation);
    CHECK_EQ(two_slot(op, ROOT, dest, ROOT_DEPTH, ROOT, vs, ROOT_DEPTH), seL4_IllegalOperation);
    CHECK_EQ(two_slot(op, ROOT, dest, ROOT_DEPTH, ROOT, parent, ROOT_DEPTH), seL4_RevokeFirst);
    CHECK_CAP_TYPE(dest, CAP_NULL);
    CHECK_CAP_TYPE(child, CAP_ENDPOINT);
    CHECK_CONSISTENT();
    ut_free(ut);
    slot_release(mark);
}

/* ---- Copy ----------------------------------------------------------------------------- */

/* §10.3.1.2: a copy names the same object; copies of copies too. */
SYSTEST(cnode_copy_each_object_type)
{
    static const struct {
        seL4_Word type, size_bits, cap;
    } objs[] = {
        {seL4_EndpointObject, 0, CAP_ENDPOINT},
        {seL4_NotificationObject, 0, CAP_NOTIFICATION},
        {seL4_TCBObject, 0, CAP_THREAD},
        {seL4_CapTableObject, 4, CAP_CNODE},
        {seL4_SchedContextObject, seL4_MinSchedContextBits, CAP_SCHED_CONTEXT},
        {seL4_ARM_SmallPageObject, 0, CAP_FRAME},
        {seL4_UntypedObject, 8, CAP_UNTYPED},
    };
    unsigned int mark = slot_mark();
    seL4_CPtr ut = ut_alloc(16);
    CHECK(ut != 0);
    for (unsigned int i = 0; ut != 0 && i < sizeof(objs) / sizeof(objs[0]); i++) {
        seL4_CPtr obj = object_new(ut, objs[i].type, objs[i].size_bits);
        seL4_CPtr copy = slot_alloc(), copy2 = slot_alloc();
        CHECK_EQ(seL4_CNode_Copy(ROOT, copy, ROOT_DEPTH, ROOT, obj, ROOT_DEPTH, seL4_AllRights),
                 seL4_NoError);
        CHECK_CAP_TYPE(copy, objs[i].cap);
        CHECK_CAP_TYPE(obj, objs[i].cap);
        if (objs[i].cap != CAP_UNTYPED) { /* a copied untyped has a child: RevokeFirst */
            CHECK_EQ(
                seL4_CNode_Copy(ROOT, copy2, ROOT_DEPTH, ROOT, copy, ROOT_DEPTH, seL4_AllRights),
                seL4_NoError);
            CHECK_CAP_TYPE(copy2, objs[i].cap);
        }
    }
    CHECK_CONSISTENT();
    ut_free(ut);
    slot_release(mark);
}

/* Table 3.2: a page table that is mapped can be derived. The root task's own image tables
 * are mapped (manual §9.2); the copy is deleted again, which must leave the mapping. */
SYSTEST(cnode_copy_mapped_page_table)
{
    const seL4_BootInfo *bi = seL4_GetBootInfo();
    unsigned int mark = slot_mark();
    seL4_CPtr table = bi->userImagePaging.end - 1; /* the lowest level: a page table */
    seL4_CPtr copy = slot_alloc();
    CHECK_EQ(seL4_CNode_Copy(ROOT, copy, ROOT_DEPTH, ROOT, table, ROOT_DEPTH, seL4_AllRights),
             seL4_NoError);
    CHECK_CAP_TYPE(copy, CAP_PAGE_TABLE);
    CHECK_EQ(seL4_CNode_Delete(ROOT, copy, ROOT_DEPTH), seL4_NoError);
    CHECK_CAP_TYPE(table, CAP_PAGE_TABLE);
    CHECK_CONSISTENT();
    slot_release(mark);
}

SYSTEST(cnode_copy_errors)
{
    check_two_slot_errors(OP_COPY);
    check_derivation_errors(OP_COPY);
}

/* ---- Mint: badges, rights, guards ------------------------------------------------------ */

/* §3.1.2, §4.2.1: Mint badges an unbadged endpoint or notification; a badged cap cannot be
 * rebadged (IllegalOperation, §10.3.1.4 "the badge ... value is invalid"); Copy keeps the
 * badge. Upstream refuses any Mint of a badged cap, even with its own badge: updateCapData
 * turns it into a null cap. A badge of 0 leaves the cap unbadged. */
SYSTEST(cnode_mint_badges)
{
    unsigned int mark = slot_mark();
    seL4_CPtr ut = ut_alloc(16);
    CHECK(ut != 0);
    if (ut == 0) {
        return;
    }
    seL4_CPtr ep = object_new(ut, seL4_EndpointObject, 0);
    seL4_CPtr b7 = slot_alloc(), b7c = slot_alloc(), x = slot_alloc(), zero = slot_alloc();
    seL4_CPtr wide = slot_alloc();

    CHECK(!endpoint_is_badged(ep));
    CHECK_EQ(seL4_CNode_Mint(ROOT, b7, ROOT_DEPTH, ROOT, ep, ROOT_DEPTH, seL4_AllRights, 7),
             seL4_NoError);
    CHECK_CAP_TYPE(b7, CAP_ENDPOINT);
    CHECK(endpoint_is_badged(b7));
    CHECK_EQ(seL4_CNode_Mint(ROOT, x, ROOT_DEPTH, ROOT, b7, ROOT_DEPTH, seL4_AllRights, 9),
             seL4_IllegalOperation);
    CHECK_EQ(seL4_CNode_Mint(ROOT, x, ROOT_DEPTH, ROOT, b7, ROOT_DEPTH, seL4_AllRights, 7),
             seL4_IllegalOperation);
    CHECK_EQ(seL4_CNode_Mint(ROOT, x, ROOT_DEPTH, ROOT, b7, ROOT_DEPTH, seL4_AllRights, 0),
             seL4_IllegalOperation);
    CHECK_CAP_TYPE(x, CAP_NULL);
    CHECK_EQ(seL4_CNode_Copy(ROOT, b7c, ROOT_DEPTH, ROOT, b7, ROOT_DEPTH, seL4_AllRights),
             seL4_NoError);
    CHECK(endpoint_is_badged(b7c));
    CHECK_EQ(seL4_CNode_Mint(ROOT, zero, ROOT_DEPTH, ROOT, ep, ROOT_DEPTH, seL4_AllRights, 0),
             seL4_NoError);
    CHECK(!endpoint_is_badged(zero));
    /* 64-bit platforms have 64 badge bits (§4.2.1). */
    CHECK_EQ(seL4_CNode_Mint(ROOT, wide, ROOT_DEPTH, ROOT, ep, ROOT_DEPTH, seL4_AllRights, ~0ul),
             seL4_NoError);
    CHECK(endpoint_is_badged(wide));

    /* Notifications badge the same way (§5.1). */
    seL4_CPtr nt = object_new(ut, seL4_NotificationObject, 0);
    seL4_CPtr nb = slot_alloc();
    CHECK_EQ(seL4_CNode_Mint(ROOT, nb, ROOT_DEPTH, ROOT, nt, ROOT_DEPTH, seL4_AllRights, 3),
             seL4_NoError);
    CHECK_CAP_TYPE(nb, CAP_NOTIFICATION);
    CHECK_EQ(seL4_CNode_Mint(ROOT, x, ROOT_DEPTH, ROOT, nb, ROOT_DEPTH, seL4_AllRights, 4),
             seL4_IllegalOperation);
    /* Objects without badges or guards ignore the word (upstream updateCapData). */
    seL4_CPtr tcb = object_new(ut, seL4_TCBObject, 0);
    CHECK_EQ(seL4_CNode_Mint(ROOT, x, ROOT_DEPTH, ROOT, tcb, ROOT_DEPTH, seL4_AllRights, 5),
             seL4_NoError);
    CHECK_CAP_TYPE(x, CAP_THREAD);
    CHECK_CONSISTENT();
    ut_free(ut);
    slot_release(mark);
}

/* §3.1.4: the new cap has at most the source's rights; asking for more downgrades silently.
 * Rights are observed through CancelBadgedSends, which needs all four (§10.3.1.1). */
SYSTEST(cnode_mint_rights_are_masked)
{
    static const seL4_Word one_right[] = {1, 2, 4, 8}; /* W, R, G, GR (ABI §1.3) */
    unsigned int mark = slot_mark();
    seL4_CPtr ut = ut_alloc(16);
    CHECK(ut != 0);
    if (ut == 0) {
        return;
    }
    seL4_CPtr ep = object_new(ut, seL4_EndpointObject, 0);
    CHECK(endpoint_has_all_rights(ep));
    for (unsigned int i = 0; i < 4; i++) {
        seL4_CPtr less = slot_alloc(), again = slot_alloc(), copied = slot_alloc();
        seL4_CapRights_t rights = rights_word(0xf & ~one_right[i]);
        CHECK_EQ(seL4_CNode_Mint(ROOT, less, ROOT_DEPTH, ROOT, ep, ROOT_DEPTH, rights, 0),
                 seL4_NoError);
        CHECK(!endpoint_has_all_rights(less));
        /* More rights than the source: silently the source's. */
        CHECK_EQ(
            seL4_CNode_Mint(ROOT, again, ROOT_DEPTH, ROOT, less, ROOT_DEPTH, seL4_AllRights, 0),
            seL4_NoError);
        CHECK(!endpoint_has_all_rights(again));
        CHECK_EQ(seL4_CNode_Copy(ROOT, copied, ROOT_DEPTH, ROOT, less, ROOT_DEPTH, seL4_AllRights),
                 seL4_NoError);
        CHECK(!endpoint_has_all_rights(copied));
    }
    seL4_CPtr full = slot_alloc(), none = slot_alloc(), badged = slot_alloc();
    CHECK_EQ(seL4_CNode_Mint(ROOT, full, ROOT_DEPTH, ROOT, ep, ROOT_DEPTH, seL4_AllRights, 0),
             seL4_NoError);
    CHECK(endpoint_has_all_rights(full));
    CHECK_EQ(seL4_CNode_Copy(ROOT, none, ROOT_DEPTH, ROOT, ep, ROOT_DEPTH, seL4_NoRights),
             seL4_NoError);
    CHECK_CAP_TYPE(none, CAP_ENDPOINT);
    CHECK(!endpoint_has_all_rights(none));
    CHECK_EQ(seL4_CNode_Mint(ROOT, badged, ROOT_DEPTH, ROOT, ep, ROOT_DEPTH, seL4_ReadWrite, 11),
             seL4_NoError);
    CHECK(!endpoint_has_all_rights(badged));
    CHECK(endpoint_has_all_rights(ep));
    CHECK_CONSISTENT();
    ut_free(ut);
    slot_release(mark);
}

/* §10.3.1.4's table, plus Mint's own IllegalOperation: a badge for a badged cap, a guard
 * that with the radix exceeds a word (upstream updateCapData). */
SYSTEST(cnode_mint_errors)
{
    check_two_slot_errors(OP_MINT);
    check_derivation_errors(OP_MINT);

    unsigned int mark = slot_mark();
    seL4_CPtr ut = ut_alloc(16);
    CHECK(ut != 0);
    if (ut == 0) {
        return;
    }
    seL4_CPtr cn = object_new(ut, seL4_CapTableObject, 4);
    seL4_CPtr dest = slot_alloc();
    CHECK_EQ(
        seL4_CNode_Mint(ROOT, dest, ROOT_DEPTH, ROOT, cn, ROOT_DEPTH, seL4_AllRights, GUARD(0, 61)),
        seL4_IllegalOperation);
    CHECK_EQ(seL4_CNode_Mint(ROOT, dest, ROOT_DEPTH, ROOT, ROOT, ROOT_DEPTH, seL4_AllRights,
                             GUARD(0, ROOT_GUARD + 1)),
             seL4_IllegalOperation);
    CHECK_CAP_TYPE(dest, CAP_NULL);
    CHECK_EQ(
        seL4_CNode_Mint(ROOT, dest, ROOT_DEPTH, ROOT, cn, ROOT_DEPTH, seL4_AllRights, GUARD(0, 60)),
        seL4_NoError);
    CHECK_CAP_TYPE(dest, CAP_CNODE);
    CHECK_CONSISTENT();
    ut_free(ut);
    slot_release(mark);
}

/* §3.3, Figure 3.3, built as the manual describes it: a first CNode with a 4-bit guard 0x0
 * and radix 8, a second one (4-bit guard, radix 8) at index 0x0F, a third (no guard, radix
 * 8) at index 0x00 of the second; Cap A at 0x60 of the first, Cap B at 0x60 of the second,
 * Caps C-G at 0x60.. of the third. The CNode methods address a slot with an explicit
 * depth, which is the depth at which translation ends in the manual's walk-through. */
SYSTEST(cnode_addressing_manual_figure_3_3)
{
    unsigned int mark = slot_mark();
    seL4_CPtr ut = ut_alloc(16);
    CHECK(ut != 0);
    if (ut == 0) {
        return;
    }
    seL4_CPtr first_orig = object_new(ut, seL4_CapTableObject, 8);
    seL4_CPtr second = object_new(ut, seL4_CapTableObject, 8);
    seL4_CPtr ep = object_new(ut, seL4_EndpointObject, 0);
    seL4_CPtr first = slot_alloc(), spare = slot_alloc();

    /* Mutate sets a guard and keeps the cap original (§10.3.1.6). */
    CHECK_EQ(seL4_CNode_Mutate(ROOT, first, ROOT_DEPTH, ROOT, first_orig, ROOT_DEPTH, GUARD(0, 4)),
             seL4_NoError);
    CHECK_EQ(seL4_CNode_Mutate(first, 0x00F, 12, ROOT, second, ROOT_DEPTH, GUARD(0, 4)),
             seL4_NoError);
    CHECK_EQ(seL4_Untyped_Retype(ut, seL4_CapTableObject, 8, first, 0x00F, 12, 0x00, 1),
             seL4_NoError);
    CHECK_EQ(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, first, 0, 0, 0x60, 1),
             seL4_NoError); /* Cap A: node_depth 0 names `first` itself */
    CHECK_EQ(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, first, 0x00F, 12, 0x60, 1),
             seL4_NoError); /* Cap B */
    CHECK_EQ(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, first, 0x00F000, 24, 0x60, 5),
             seL4_NoError); /* Caps C-G, a window of 5 slots */

    CHECK_CAP_TYPE_AT(first, 0x060, 12, CAP_ENDPOINT);    /* Cap A */
    CHECK_CAP_TYPE_AT(first, 0x00F060, 24, CAP_ENDPOINT); /* Cap B */
    for (seL4_Word i = 0; i < 5; i++) {                   /* Caps C-G */
        CHECK_CAP_TYPE_AT(first, 0x00F00060 + i, 32, CAP_ENDPOINT);
    }
    CHECK_CAP_TYPE_AT(first, 0x00F00065, 32, CAP_NULL);
    CHECK_CAP_TYPE_AT(first, 0x00F, 12, CAP_CNODE);      /* L2 CNode cap, depth 12 */
    CHECK_CAP_TYPE_AT(first, 0xabcde00F, 12, CAP_CNODE); /* only `depth` low bits count */
    CHECK_CAP_TYPE_AT(first, 0x7700F000, 24, CAP_CNODE); /* L3 CNode cap, depth 24 */

    /* A destination three levels down. */
    CHECK_EQ(seL4_CNode_Copy(first, 0x00F000A0, 32, ROOT, ep, ROOT_DEPTH, seL4_AllRights),
             seL4_NoError);
    CHECK_CAP_TYPE_AT(first, 0x00F000A0, 32, CAP_ENDPOINT);

    /* §3.4.4: guard mismatch at the first level (bits left, guard, guard size), then at
     * the second. */
    CHECK_GUARD_MISMATCH(
        seL4_CNode_Copy(ROOT, spare, ROOT_DEPTH, first, 0x1060, 16, seL4_AllRights), 1, 16, 0, 4);
    CHECK_GUARD_MISMATCH(
        seL4_CNode_Copy(ROOT, spare, ROOT_DEPTH, first, 0x00F160, 24, seL4_AllRights), 1, 12, 0, 4);
    CHECK_GUARD_MISMATCH(seL4_CNode_Copy(first, 0x1061, 16, ROOT, ep, ROOT_DEPTH, seL4_AllRights),
                         0, 16, 0, 4);
    /* §3.4.3: the second CNode needs 12 bits but only 4 are left; and a non-CNode cap
     * (Cap A) reached with 4 bits still to translate. */
    CHECK_DEPTH_MISMATCH(
        seL4_CNode_Copy(ROOT, spare, ROOT_DEPTH, first, 0x00F0, 16, seL4_AllRights), 1, 4, 12);
    CHECK_DEPTH_MISMATCH(
        seL4_CNode_Copy(ROOT, spare, ROOT_DEPTH, first, 0x0600, 16, seL4_AllRights), 1, 4, 0);
    CHECK_CAP_TYPE(spare, CAP_NULL);
    CHECK_CONSISTENT();
    ut_free(ut);
    slot_release(mark);
}

/* A copy of the root CNode cap with a smaller guard resolves fewer bits (§3.3.1, §9.1), so
 * it reaches a second level through the root CNode. */
SYSTEST(cnode_guard_on_root_cnode_copy)
{
    unsigned int mark = slot_mark();
    seL4_CPtr ut = ut_alloc(16);
    CHECK(ut != 0);
    if (ut == 0) {
        return;
    }
    unsigned int r = root_radix();
    seL4_CPtr r0 = slot_alloc(), d = slot_alloc(), spare = slot_alloc();
    seL4_CPtr ep = object_new(ut, seL4_EndpointObject, 0);
    seL4_CPtr l2 = object_new(ut, seL4_CapTableObject, 4);

    CHECK_EQ(
        seL4_CNode_Mint(ROOT, r0, ROOT_DEPTH, ROOT, ROOT, ROOT_DEPTH, seL4_AllRights, GUARD(0, 0)),
        seL4_NoError);
    CHECK_CAP_TYPE(r0, CAP_CNODE);
    /* Through r0 a root slot is `radix` bits deep. */
    CHECK_EQ(seL4_CNode_Copy(r0, d, r, ROOT, ep, ROOT_DEPTH, seL4_AllRights), seL4_NoError);
    CHECK_CAP_TYPE(d, CAP_ENDPOINT);
    /* ... and 64 bits run past the endpoint with 64 - radix bits left (§3.4.3). */
    CHECK_DEPTH_MISMATCH(
        seL4_CNode_Copy(ROOT, spare, ROOT_DEPTH, r0, d << (64 - r), 64, seL4_AllRights), 1, 64 - r,
        0);
    /* Two levels: slot 5 of a 4-bit CNode held in root slot l2. */
    CHECK_EQ(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, l2, 0, 0, 5, 1), seL4_NoError);
    CHECK_CAP_TYPE_AT(r0, (l2 << 4) | 5, r + 4, CAP_ENDPOINT);
    CHECK_CAP_TYPE_AT(r0, (l2 << 4) | 6, r + 4, CAP_NULL);
    CHECK_CAP_TYPE_AT(l2, 5, 4, CAP_ENDPOINT);
    CHECK_CONSISTENT();
    ut_free(ut);
    slot_release(mark);
}

/* ---- Move and Mutate ------------------------------------------------------------------ */

/* §3.1.2: Move empties the source; the cap keeps its place in the CDT (a revoke at the new
 * slot still finds the old children), an untyped keeps its watermark. A move onto itself is
 * refused: the destination is occupied (DeleteFirst, §10.3.1.5; upstream checks it first). */
SYSTEST(cnode_move_keeps_derivation)
{
    unsigned int mark = slot_mark();
    seL4_CPtr ut = ut_alloc(16);
    CHECK(ut != 0);
    if (ut == 0) {
        return;
    }
    seL4_CPtr ep = object_new(ut, seL4_EndpointObject, 0);
    seL4_CPtr copy = slot_alloc(), moved = slot_alloc(), spare = slot_alloc();
    CHECK_EQ(seL4_CNode_Copy(ROOT, copy, ROOT_DEPTH, ROOT, ep, ROOT_DEPTH, seL4_AllRights),
             seL4_NoError);
    CHECK_EQ(seL4_CNode_Move(ROOT, moved, ROOT_DEPTH, ROOT, ep, ROOT_DEPTH), seL4_NoError);
    CHECK_CAP_TYPE(ep, CAP_NULL);
    CHECK_CAP_TYPE(moved, CAP_ENDPOINT);
    CHECK_EQ(seL4_CNode_Revoke(ROOT, moved, ROOT_DEPTH), seL4_NoError);
    CHECK_CAP_TYPE(copy, CAP_NULL);
    CHECK_CAP_TYPE(moved, CAP_ENDPOINT);

    CHECK_EQ(seL4_CNode_Move(ROOT, moved, ROOT_DEPTH, ROOT, moved, ROOT_DEPTH), seL4_DeleteFirst);
    CHECK_CAP_TYPE(moved, CAP_ENDPOINT);

    seL4_CPtr u = object_new(ut, seL4_UntypedObject, 12), u2 = slot_alloc();
    seL4_CPtr child = object_new(u, seL4_EndpointObject, 0);
    CHECK_EQ(seL4_CNode_Move(ROOT, u2, ROOT_DEPTH, ROOT, u, ROOT_DEPTH), seL4_NoError);
    CHECK_EQ(ut_bytes_left(u2, spare), 4096 - 16);
    CHECK_EQ(seL4_CNode_Revoke(ROOT, u2, ROOT_DEPTH), seL4_NoError);
    CHECK_CAP_TYPE(child, CAP_NULL);
    CHECK_EQ(ut_bytes_left(u2, spare), 4096);
    CHECK_CONSISTENT();
    ut_free(ut);
    slot_release(mark);
}

SYSTEST(cnode_move_errors)
{
    check_two_slot_errors(OP_MOVE);
}

/* §3.1.2, §10.3.1.6: Mutate moves and sets a CNode cap's guard; a revocable cap stays
 * revocable. It cannot badge an endpoint (IllegalOperation; upstream refuses any word for
 * an endpoint), nor set a guard that with the radix exceeds a word. Other caps ignore the
 * word. */
SYSTEST(cnode_mutate_sets_guard_keeps_revocable)
{
    unsigned int mark = slot_mark();
    seL4_CPtr ut = ut_alloc(16);
    CHECK(ut != 0);
    if (ut == 0) {
        return;
    }
    seL4_CPtr cn = object_new(ut, seL4_CapTableObject, 4);
    seL4_CPtr ep = object_new(ut, seL4_EndpointObject, 0);
    seL4_CPtr copy = slot_alloc(), m = slot_alloc(), x = slot_alloc();
    CHECK_EQ(seL4_CNode_Copy(ROOT, copy, ROOT_DEPTH, ROOT, cn, ROOT_DEPTH, seL4_AllRights),
             seL4_NoError);
    CHECK_EQ(seL4_CNode_Mutate(ROOT, m, ROOT_DEPTH, ROOT, cn, ROOT_DEPTH, GUARD(2, 2)),
             seL4_NoError);
    CHECK_CAP_TYPE(cn, CAP_NULL);
    /* Slot 5 behind guard 0b10: index 0b10_0101, 6 bits; the unguarded copy sees it too. */
    CHECK_EQ(seL4_CNode_Copy(m, 0x25, 6, ROOT, ep, ROOT_DEPTH, seL4_AllRights), seL4_NoError);
    CHECK_CAP_TYPE_AT(copy, 5, 4, CAP_ENDPOINT);
    CHECK_GUARD_MISMATCH(seL4_CNode_Copy(ROOT, x, ROOT_DEPTH, m, 0x15, 6, seL4_AllRights), 1, 6, 2,
                         2);
    /* Still the original: revoking it deletes the copy made before the mutate. */
    CHECK_EQ(seL4_CNode_Revoke(ROOT, m, ROOT_DEPTH), seL4_NoError);
    CHECK_CAP_TYPE(copy, CAP_NULL);
    CHECK_CAP_TYPE(m, CAP_CNODE);

    CHECK_EQ(seL4_CNode_Mutate(ROOT, x, ROOT_DEPTH, ROOT, m, ROOT_DEPTH, GUARD(0, 61)),
             seL4_IllegalOperation);
    CHECK_CAP_TYPE(m, CAP_CNODE);
    CHECK_EQ(seL4_CNode_Mutate(ROOT, x, ROOT_DEPTH, ROOT, ep, ROOT_DEPTH, 5),
             seL4_IllegalOperation);
    CHECK_CAP_TYPE(ep, CAP_ENDPOINT);
    CHECK_CAP_TYPE(x, CAP_NULL);

    seL4_CPtr u = object_new(ut, seL4_UntypedObject, 10);
    CHECK_EQ(seL4_CNode_Mutate(ROOT, x, ROOT_DEPTH, ROOT, u, ROOT_DEPTH, 0x1234), seL4_NoError);
    CHECK_CAP_TYPE(x, CAP_UNTYPED);
    CHECK_CAP_TYPE(u, CAP_NULL);
    CHECK_EQ(retype_one(x, seL4_EndpointObject, 0, u), seL4_NoError);
    CHECK_CONSISTENT();
    ut_free(ut);
    slot_release(mark);
}

SYSTEST(cnode_mutate_errors)
{
    check_two_slot_errors(OP_MUTATE);
}

/* ---- Rotate --------------------------------------------------------------------------- */

static seL4_Error rotate(seL4_Word dest, seL4_Word dest_data, seL4_Word pivot, seL4_Word pivot_data,
                         seL4_Word src)
{
    return seL4_CNode_Rotate(ROOT, dest, ROOT_DEPTH, dest_data, ROOT, pivot, ROOT_DEPTH, pivot_data,
                             ROOT, src, ROOT_DEPTH);
}

/* §3.1.2, §10.3.1.8: pivot -> destination and source -> pivot at once, or a swap when source
 * and destination are one slot; the moved caps keep their CDT place; the data words become
 * the guards of moved CNode caps (dest_data for the cap that lands in the destination). */
SYSTEST(cnode_rotate_moves_two_caps)
{
    unsigned int mark = slot_mark();
    seL4_CPtr ut = ut_alloc(16);
    CHECK(ut != 0);
    if (ut == 0) {
        return;
    }
    seL4_CPtr tcb = object_new(ut, seL4_TCBObject, 0);
    seL4_CPtr u = object_new(ut, seL4_UntypedObject, 8);
    seL4_CPtr child = object_new(u, seL4_EndpointObject, 0);
    seL4_CPtr d = slot_alloc(), spare = slot_alloc();

    CHECK_EQ(rotate(d, 0, tcb, 0, u), seL4_NoError);
    CHECK_CAP_TYPE(d, CAP_THREAD);
    CHECK_CAP_TYPE(tcb, CAP_UNTYPED);
    CHECK_CAP_TYPE(u, CAP_NULL);
    CHECK_EQ(ut_bytes_left(tcb, spare), 256 - 16);
    CHECK_EQ(seL4_CNode_Revoke(ROOT, tcb, ROOT_DEPTH), seL4_NoError);
    CHECK_CAP_TYPE(child, CAP_NULL);
    /* Swap: source == destination. */
    CHECK_EQ(rotate(d, 0, tcb, 0, d), seL4_NoError);
    CHECK_CAP_TYPE(d, CAP_UNTYPED);
    CHECK_CAP_TYPE(tcb, CAP_THREAD);

    /* Guards: a 3-bit CNode with an endpoint in slot 6 is rotated into `d2` with guard
     * 0b01 (2 bits), then back into its slot with no guard. */
    seL4_CPtr cn = object_new(ut, seL4_CapTableObject, 3);
    seL4_CPtr t2 = object_new(ut, seL4_TCBObject, 0), d2 = slot_alloc();
    CHECK_EQ(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, cn, 0, 0, 6, 1), seL4_NoError);
    CHECK_EQ(rotate(d2, GUARD(1, 2), cn, 0, t2), seL4_NoError);
    CHECK_CAP_TYPE(cn, CAP_THREAD);
    CHECK_CAP_TYPE(t2, CAP_NULL);
    CHECK_CAP_TYPE_AT(d2, (1 << 3) | 6, 5, CAP_ENDPOINT);
    CHECK_GUARD_MISMATCH(seL4_CNode_Copy(ROOT, spare, ROOT_DEPTH, d2, 6, 5, seL4_AllRights), 1, 5,
                         1, 2);
    CHECK_EQ(rotate(t2, 0, cn, GUARD(0, 0), d2), seL4_NoError);
    CHECK_CAP_TYPE(t2, CAP_THREAD);
    CHECK_CAP_TYPE(d2, CAP_NULL);
    CHECK_CAP_TYPE_AT(cn, 6, 3, CAP_ENDPOINT);
    CHECK_CONSISTENT();
    ut_free(ut);
    slot_release(mark);
}

/* §10.3.1.8's table. Upstream details: the pivot is looked up as a source (MR0 = 1 for its
 * lookup and root failures) but an empty pivot is reported with MR0 = 0; endpoints cannot
 * be rotated at all (the data words are applied with "preserve" set, which updateCapData
 * answers with a null cap for any endpoint or notification: IllegalOperation). */
SYSTEST(cnode_rotate_errors)
{
    unsigned int mark = slot_mark();
    seL4_CPtr ut = ut_alloc(16);
    CHECK(ut != 0);
    if (ut == 0) {
        return;
    }
    seL4_CPtr a = object_new(ut, seL4_TCBObject, 0), b = object_new(ut, seL4_TCBObject, 0);
    seL4_CPtr o = object_new(ut, seL4_TCBObject, 0), ep = object_new(ut, seL4_EndpointObject, 0);
    seL4_CPtr cn = object_new(ut, seL4_CapTableObject, 3);
    seL4_CPtr e = slot_alloc(), e2 = slot_alloc();
    seL4_Word bad = (1ul << 62) | e;

    CHECK_EQ(rotate(e, 0, a, 0, a), seL4_IllegalOperation); /* pivot == source */
    CHECK_EQ(rotate(a, 0, a, 0, b), seL4_IllegalOperation); /* pivot == destination */
    CHECK_EQ(rotate(o, 0, a, 0, b), seL4_DeleteFirst);
    CHECK_MISSING_CAP(rotate(e, 0, a, 0, e2), 1, 64);
    CHECK_MISSING_CAP(rotate(e, 0, e2, 0, a), 0, 64);
    CHECK_EQ(rotate(e, GUARD(0, 62), cn, 0, a), seL4_IllegalOperation);
    CHECK_EQ(rotate(e, 0, a, GUARD(0, 62), cn), seL4_IllegalOperation);
    CHECK_EQ(rotate(e, 0, ep, 0, a), seL4_IllegalOperation);
    CHECK_EQ(rotate(e, 0, a, 0, ep), seL4_IllegalOperation);

    /* Depths 0 and 65 for each of the three slots. */
    CHECK_RANGE_ERROR(seL4_CNode_Rotate(ROOT, e, 0, 0, ROOT, a, 64, 0, ROOT, b, 64), 1, 64);
    CHECK_RANGE_ERROR(seL4_CNode_Rotate(ROOT, e, 65, 0, ROOT, a, 64, 0, ROOT, b, 64), 1, 64);
    CHECK_RANGE_ERROR(seL4_CNode_Rotate(ROOT, e, 64, 0, ROOT, a, 0, 0, ROOT, b, 64), 1, 64);
    CHECK_RANGE_ERROR(seL4_CNode_Rotate(ROOT, e, 64, 0, ROOT, a, 65, 0, ROOT, b, 64), 1, 64);
    CHECK_RANGE_ERROR(seL4_CNode_Rotate(ROOT, e, 64, 0, ROOT, a, 64, 0, ROOT, b, 0), 1, 64);
    CHECK_RANGE_ERROR(seL4_CNode_Rotate(ROOT, e, 64, 0, ROOT, a, 64, 0, ROOT, b, 65), 1, 64);
    /* Lookups: bad addresses and roots that are not CNodes. */
    CHECK_GUARD_MISMATCH(rotate(bad, 0, a, 0, b), 0, 64, 0, ROOT_GUARD);
    CHECK_GUARD_MISMATCH(rotate(e, 0, bad, 0, b), 1, 64, 0, ROOT_GUARD);
    CHECK_GUARD_MISMATCH(rotate(e, 0, a, 0, bad), 1, 64, 0, ROOT_GUARD);
    CHECK_LOOKUP_FAILURE(seL4_CNode_Rotate(ROOT, e, 64, 0, e2, a, 64, 0, ROOT, b, 64), 1,
                         seL4_InvalidRoot);
    CHECK_LOOKUP_FAILURE(seL4_CNode_Rotate(ROOT, e, 64, 0, ROOT, a, 64, 0, ep, b, 64), 1,
                         seL4_InvalidRoot);
    /* _service of the wrong type. */
    CHECK_ARG_ERROR(seL4_CNode_Rotate(e2, e, 64, 0, ROOT, a, 64, 0, ROOT, b, 64),
                    seL4_InvalidCapability, 0);
    CHECK_EQ(seL4_CNode_Rotate(ut, e, 64, 0, ROOT, a, 64, 0, ROOT, b, 64), seL4_IllegalOperation);

    /* Atomic: nothing moved. */
    CHECK_CAP_TYPE(a, CAP_THREAD);
    CHECK_CAP_TYPE(b, CAP_THREAD);
    CHECK_CAP_TYPE(o, CAP_THREAD);
    CHECK_CAP_TYPE(ep, CAP_ENDPOINT);
    CHECK_CAP_TYPE(cn, CAP_CNODE);
    CHECK_CAP_TYPE(e, CAP_NULL);
    CHECK_CAP_TYPE(e2, CAP_NULL);
    CHECK_CONSISTENT();
    ut_free(ut);
    slot_release(mark);
}

/* ---- Delete and Revoke ---------------------------------------------------------------- */

/* Index/depth errors and a _service of the wrong type, for the one-slot methods. */
static void check_one_slot_errors(seL4_Error (*method)(seL4_CNode, seL4_Word, seL4_Uint8),
                                  seL4_CPtr valid, seL4_CPtr not_cnode)
{
    seL4_CPtr empty = slot_alloc();
    CHECK_RANGE_ERROR(method(ROOT, valid, 0), 1, 64);
    CHECK_RANGE_ERROR(method(ROOT, valid, 65), 1, 64);
    CHECK_GUARD_MISMATCH(method(ROOT, valid | (1ul << 40), ROOT_DEPTH), 0, 64, 0, ROOT_GUARD);
    CHECK_DEPTH_MISMATCH(method(ROOT, 1, 60), 0, 60, 64);
    CHECK_ARG_ERROR(method(empty, valid, ROOT_DEPTH), seL4_InvalidCapability, 0);
    CHECK_EQ(method(not_cnode, valid, ROOT_DEPTH), seL4_IllegalOperation);
    slot_free(empty);
}

/* §3.2: deleting the last cap destroys the object; when all of an untyped's children are
 * gone its memory is free again (§2.4.1), shown by the bytes-left reply. Deleting a CNode
 * deletes the caps it holds. An empty slot deletes without error (upstream). */
SYSTEST(cnode_delete_last_caps)
{
    unsigned int mark = slot_mark();
    seL4_CPtr ut = ut_alloc(16);
    CHECK(ut != 0);
    if (ut == 0) {
        return;
    }
    seL4_CPtr spare = slot_alloc();
    seL4_CPtr ep = object_new(ut, seL4_EndpointObject, 0), copy = slot_alloc();
    CHECK_EQ(seL4_CNode_Copy(ROOT, copy, ROOT_DEPTH, ROOT, ep, ROOT_DEPTH, seL4_AllRights),
             seL4_NoError);
    CHECK_EQ(seL4_CNode_Delete(ROOT, ep, ROOT_DEPTH), seL4_NoError);
    CHECK_CAP_TYPE(ep, CAP_NULL);
    CHECK_CAP_TYPE(copy, CAP_ENDPOINT);
    CHECK_EQ(seL4_CNode_Delete(ROOT, copy, ROOT_DEPTH), seL4_NoError);
    CHECK_CAP_TYPE(copy, CAP_NULL);
    CHECK_EQ(seL4_CNode_Delete(ROOT, copy, ROOT_DEPTH), seL4_NoError);

    /* One of each object type, every last cap deleted: the untyped is whole again. */
    static const seL4_Word types[][2] = {
        {seL4_TCBObject, 0},           {seL4_NotificationObject, 0}, {seL4_SchedContextObject, 8},
        {seL4_ReplyObject, 0},         {seL4_CapTableObject, 5},     {seL4_ARM_SmallPageObject, 0},
        {seL4_ARM_PageTableObject, 0}, {seL4_ARM_VSpaceObject, 0},   {seL4_UntypedObject, 9},
    };
    seL4_CPtr objs[sizeof(types) / sizeof(types[0])];
    for (unsigned int i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        objs[i] = object_new(ut, types[i][0], types[i][1]);
    }
    CHECK(ut_bytes_left(ut, spare) < (1ul << 16));
    for (unsigned int i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        CHECK_EQ(seL4_CNode_Delete(ROOT, objs[i], ROOT_DEPTH), seL4_NoError);
        CHECK_CAP_TYPE(objs[i], CAP_NULL);
    }
    CHECK_EQ(ut_bytes_left(ut, spare), 1ul << 16);

    /* A CNode holding the only cap to an endpoint: deleting the CNode deletes it too. */
    seL4_CPtr cn = object_new(ut, seL4_CapTableObject, 2);
    CHECK_EQ(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, cn, ROOT_DEPTH, 3, 1),
             seL4_NoError);
    CHECK_CAP_TYPE_AT(cn, 3, 2, CAP_ENDPOINT);
    CHECK_EQ(seL4_CNode_Delete(ROOT, cn, ROOT_DEPTH), seL4_NoError);
    CHECK_EQ(ut_bytes_left(ut, spare), 1ul << 16);

    /* A CNode that holds a cap to itself is not destroyed by deleting the outside cap
     * (§3.2, footnote); revoking its untyped cleans it up. */
    cn = object_new(ut, seL4_CapTableObject, 2);
    CHECK_EQ(seL4_CNode_Copy(cn, 1, 2, ROOT, cn, ROOT_DEPTH, seL4_AllRights), seL4_NoError);
    CHECK_EQ(seL4_CNode_Delete(ROOT, cn, ROOT_DEPTH), seL4_NoError);
    CHECK_CAP_TYPE(cn, CAP_NULL);
    CHECK(ut_bytes_left(ut, spare) < (1ul << 16));
    CHECK_EQ(seL4_CNode_Revoke(ROOT, ut, ROOT_DEPTH), seL4_NoError);
    CHECK_EQ(ut_bytes_left(ut, spare), 1ul << 16);

    check_one_slot_errors(seL4_CNode_Delete, spare, ut);
    CHECK_CONSISTENT();
    ut_free(ut);
    slot_release(mark);
}

/* §3.1.5, §3.2: Revoke deletes the CDT children and keeps the cap. An unbadged original
 * endpoint's children are its copies and every badged cap minted from it; a badged cap's
 * children are its copies; a copy of a copy is a sibling, so revoking a copy deletes
 * nothing (Figure 3.1's "level 5"). Revoking an untyped deletes the objects and their
 * copies. An empty slot or a cap without children revokes without error (upstream). */
SYSTEST(cnode_revoke_deletes_children)
{
    unsigned int mark = slot_mark();
    seL4_CPtr ut = ut_alloc(16);
    CHECK(ut != 0);
    if (ut == 0) {
        return;
    }
    seL4_CPtr o = object_new(ut, seL4_EndpointObject, 0);
    seL4_CPtr o1 = slot_alloc(), o2 = slot_alloc(), o1c = slot_alloc();
    seL4_CPtr b1 = slot_alloc(), b1c = slot_alloc(), b2 = slot_alloc();
    CHECK_EQ(seL4_CNode_Copy(ROOT, o1, ROOT_DEPTH, ROOT, o, ROOT_DEPTH, seL4_AllRights), 0);
    CHECK_EQ(seL4_CNode_Copy(ROOT, o2, ROOT_DEPTH, ROOT, o, ROOT_DEPTH, seL4_AllRights), 0);
    CHECK_EQ(seL4_CNode_Copy(ROOT, o1c, ROOT_DEPTH, ROOT, o1, ROOT_DEPTH, seL4_AllRights), 0);
    CHECK_EQ(seL4_CNode_Mint(ROOT, b1, ROOT_DEPTH, ROOT, o, ROOT_DEPTH, seL4_AllRights, 1), 0);
    CHECK_EQ(seL4_CNode_Copy(ROOT, b1c, ROOT_DEPTH, ROOT, b1, ROOT_DEPTH, seL4_AllRights), 0);
    CHECK_EQ(seL4_CNode_Mint(ROOT, b2, ROOT_DEPTH, ROOT, o, ROOT_DEPTH, seL4_AllRights, 2), 0);

    CHECK_EQ(seL4_CNode_Revoke(ROOT, o1, ROOT_DEPTH), seL4_NoError);
    CHECK_CAP_TYPE(o1, CAP_ENDPOINT);
    CHECK_CAP_TYPE(o1c, CAP_ENDPOINT);
    CHECK_EQ(seL4_CNode_Revoke(ROOT, b1, ROOT_DEPTH), seL4_NoError);
    CHECK_CAP_TYPE(b1c, CAP_NULL);
    CHECK_CAP_TYPE(b1, CAP_ENDPOINT);
    CHECK_CAP_TYPE(b2, CAP_ENDPOINT);
    CHECK_CAP_TYPE(o2, CAP_ENDPOINT);
    CHECK_EQ(seL4_CNode_Revoke(ROOT, o, ROOT_DEPTH), seL4_NoError);
    CHECK_CAP_TYPE(o, CAP_ENDPOINT);
    CHECK_CAP_TYPE(o1, CAP_NULL);
    CHECK_CAP_TYPE(o2, CAP_NULL);
    CHECK_CAP_TYPE(o1c, CAP_NULL);
    CHECK_CAP_TYPE(b1, CAP_NULL);
    CHECK_CAP_TYPE(b2, CAP_NULL);
    CHECK_EQ(seL4_CNode_Revoke(ROOT, o, ROOT_DEPTH), seL4_NoError);
    CHECK_EQ(seL4_CNode_Revoke(ROOT, o1, ROOT_DEPTH), seL4_NoError); /* empty slot */

    /* Untyped: objects, copies of them, and an untyped child's objects all go. */
    seL4_CPtr oc = slot_alloc(), sub = object_new(ut, seL4_UntypedObject, 12);
    seL4_CPtr grand = object_new(sub, seL4_TCBObject, 0);
    CHECK_EQ(seL4_CNode_Copy(ROOT, oc, ROOT_DEPTH, ROOT, o, ROOT_DEPTH, seL4_AllRights), 0);
    CHECK_EQ(seL4_CNode_Revoke(ROOT, ut, ROOT_DEPTH), seL4_NoError);
    CHECK_CAP_TYPE(o, CAP_NULL);
    CHECK_CAP_TYPE(oc, CAP_NULL);
    CHECK_CAP_TYPE(sub, CAP_NULL);
    CHECK_CAP_TYPE(grand, CAP_NULL);
    CHECK_CAP_TYPE(ut, CAP_UNTYPED);

    check_one_slot_errors(seL4_CNode_Revoke, oc, ut);
    CHECK_CONSISTENT();
    ut_free(ut);
    slot_release(mark);
}

/* §10.3.1.1: the checks of CancelBadgedSends (the queue part is tested with IPC): an
 * endpoint cap with all rights, badged or not; anything else is IllegalOperation (upstream
 * hasCancelSendRights: also an empty slot and a notification). */
SYSTEST(cnode_cancel_badged_sends_checks)
{
    unsigned int mark = slot_mark();
    seL4_CPtr ut = ut_alloc(16);
    CHECK(ut != 0);
    if (ut == 0) {
        return;
    }
    seL4_CPtr ep = object_new(ut, seL4_EndpointObject, 0);
    seL4_CPtr nt = object_new(ut, seL4_NotificationObject, 0);
    seL4_CPtr badged = slot_alloc(), weak = slot_alloc(), empty = slot_alloc();
    CHECK_EQ(seL4_CNode_Mint(ROOT, badged, ROOT_DEPTH, ROOT, ep, ROOT_DEPTH, seL4_AllRights, 9),
             seL4_NoError);
    CHECK_EQ(seL4_CNode_Mint(ROOT, weak, ROOT_DEPTH, ROOT, ep, ROOT_DEPTH, rights_word(0x7), 10),
             seL4_NoError);
    CHECK_EQ(seL4_CNode_CancelBadgedSends(ROOT, badged, ROOT_DEPTH), seL4_NoError);
    CHECK_EQ(seL4_CNode_CancelBadgedSends(ROOT, ep, ROOT_DEPTH), seL4_NoError);
    CHECK_EQ(seL4_CNode_CancelBadgedSends(ROOT, weak, ROOT_DEPTH), seL4_IllegalOperation);
    CHECK_EQ(seL4_CNode_CancelBadgedSends(ROOT, nt, ROOT_DEPTH), seL4_IllegalOperation);
    CHECK_EQ(seL4_CNode_CancelBadgedSends(ROOT, ut, ROOT_DEPTH), seL4_IllegalOperation);
    CHECK_EQ(seL4_CNode_CancelBadgedSends(ROOT, empty, ROOT_DEPTH), seL4_IllegalOperation);
    check_one_slot_errors(seL4_CNode_CancelBadgedSends, badged, ut);
    CHECK_CAP_TYPE(badged, CAP_ENDPOINT);
    CHECK_CAP_TYPE(ep, CAP_ENDPOINT);
    CHECK_CONSISTENT();
    ut_free(ut);
    slot_release(mark);
}

/* Figure 3.1 and Table 3.2: a copied untyped becomes a child of the original ("never
 * siblings"), and an untyped with children cannot be derived (RevokeFirst). Upstream also
 * marks the original full while the copy exists, so the two never hand out the same memory:
 * its retype reports 0 bytes left. */
SYSTEST(cnode_copy_untyped_makes_child)
{
    unsigned int mark = slot_mark();
    seL4_CPtr ut = ut_alloc(16);
    CHECK(ut != 0);
    if (ut == 0) {
        return;
    }
    seL4_CPtr u = object_new(ut, seL4_UntypedObject, 12);
    seL4_CPtr uc = slot_alloc(), x = slot_alloc(), obj = slot_alloc();
    CHECK_EQ(seL4_CNode_Copy(ROOT, uc, ROOT_DEPTH, ROOT, u, ROOT_DEPTH, seL4_AllRights),
             seL4_NoError);
    CHECK_CAP_TYPE(uc, CAP_UNTYPED);
    CHECK_EQ(seL4_CNode_Copy(ROOT, x, ROOT_DEPTH, ROOT, u, ROOT_DEPTH, seL4_AllRights),
             seL4_RevokeFirst);
    CHECK_EQ(ut_bytes_left(u, x), 0);
    CHECK_EQ(retype_one(uc, seL4_EndpointObject, 0, obj), seL4_NoError);
    CHECK_EQ(seL4_CNode_Copy(ROOT, x, ROOT_DEPTH, ROOT, uc, ROOT_DEPTH, seL4_AllRights),
             seL4_RevokeFirst);
    CHECK_EQ(seL4_CNode_Revoke(ROOT, u, ROOT_DEPTH), seL4_NoError);
    CHECK_CAP_TYPE(uc, CAP_NULL);
    CHECK_CAP_TYPE(obj, CAP_NULL);
    CHECK_EQ(ut_bytes_left(u, x), 4096);
    CHECK_EQ(retype_one(u, seL4_EndpointObject, 0, obj), seL4_NoError);
    CHECK_CONSISTENT();
    ut_free(ut);
    slot_release(mark);
}

/* seL4_DebugSnapshot lists the caller's CSpace on the console: its root CNode and, among
 * the rest, the CNode cap in slot seL4_CapInitThreadCNode (upstream prints a capDL dump). */
SYSTEST(cnode_debug_snapshot_lists_the_cspace)
{
    EXPECT_CONSOLE("cnode_debug_snapshot_names_the_root_cnode",
                   "kairos: snapshot of thread \"rootserver\": root CNode of 2\\^[0-9]+ slots");
    EXPECT_CONSOLE("cnode_debug_snapshot_lists_slot_2", "^  slot 2: cnode at 0x[0-9a-f]+");
    seL4_DebugSnapshot();
    CHECK_CAP_TYPE(seL4_CapInitThreadCNode, CAP_CNODE);
}
