/* Untyped_Retype (manual §2.4, §3.1.3, §10.3.9.1; ABI §2.1-2.3): every object type, sizes,
 * placement at size-aligned offsets, the watermark and its reset, and each error the manual
 * lists with its registers. Where the manual is silent the expectation is upstream seL4's
 * decodeUntypedInvocation, said in a comment. Memory left in an untyped is read from the
 * NotEnoughMemory reply (§10.1.10), see ut_bytes_left.
 * systest: needs a debug kernel */
#include "cspace_util.h"

#define ROOT_GUARD (ROOT_DEPTH - root_radix())
#define GUARD(g, size) (seL4_CNode_CapData_new((g), (size)).words[0])
#define EP seL4_EndpointObject

struct object_kind {
    seL4_Word type, size_bits, cap;
};

/* ABI §2.1: every MCS AArch64 object type, with the cap type each retype yields. */
SYSTEST(untyped_retype_each_object_type)
{
    static const struct object_kind kinds[] = {
        {seL4_UntypedObject, 4, CAP_UNTYPED},
        {seL4_UntypedObject, 12, CAP_UNTYPED},
        {seL4_UntypedObject, 16, CAP_UNTYPED},
        {seL4_TCBObject, 0, CAP_THREAD},
        {seL4_EndpointObject, 0, CAP_ENDPOINT},
        {seL4_NotificationObject, 0, CAP_NOTIFICATION},
        {seL4_CapTableObject, 1, CAP_CNODE},
        {seL4_SchedContextObject, seL4_MinSchedContextBits, CAP_SCHED_CONTEXT},
        {seL4_SchedContextObject, 10, CAP_SCHED_CONTEXT},
        {seL4_ReplyObject, 0, CAP_REPLY},
        {seL4_ARM_SmallPageObject, 0, CAP_FRAME},
        {seL4_ARM_PageTableObject, 0, CAP_PAGE_TABLE},
        {seL4_ARM_VSpaceObject, 0, CAP_VSPACE},
        {seL4_ARM_LargePageObject, 0, CAP_FRAME}, /* last: it takes the upper 2 MiB */
    };
    unsigned int mark = slot_mark();
    seL4_CPtr ut = ut_alloc(seL4_LargePageBits + 1);
    CHECK(ut != 0);
    for (unsigned int i = 0; ut != 0 && i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        seL4_CPtr s = object_new(ut, kinds[i].type, kinds[i].size_bits);
        CHECK(s != 0);
        CHECK_CAP_TYPE(s, kinds[i].cap);
    }
    CHECK_CONSISTENT();
    ut_free(ut);
    slot_release(mark);
}

/* A 1 GiB frame, when some RAM untyped is that large (QEMU's 2 GiB has one). */
SYSTEST(untyped_retype_huge_page)
{
    const seL4_BootInfo *bi = seL4_GetBootInfo();
    bool listed = false;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        listed |= !bi->untypedList[i].isDevice && bi->untypedList[i].sizeBits >= seL4_HugePageBits;
    }
    unsigned int mark = slot_mark();
    seL4_CPtr ut = ut_alloc(seL4_HugePageBits);
    if (ut == 0) {
        printf("untyped_retype_huge_page: no free 1 GiB of RAM (%s); not tested\n",
               listed ? "in use by earlier tests" : "none listed");
        slot_release(mark);
        return;
    }
    seL4_CPtr frame = object_new(ut, seL4_ARM_HugePageObject, 0);
    CHECK_CAP_TYPE(frame, CAP_FRAME);
    seL4_CPtr spare = slot_alloc();
    CHECK_EQ(ut_bytes_left(ut, spare), 0);
    ut_free(ut);
    slot_release(mark);
}

/* §2.4.2, Table 2.1: a CNode of size_bits n has 2^n slots: the last one takes a cap, one
 * past it is out of range (RangeError 0..2^n-1, upstream's bounds for node_offset). */
SYSTEST(untyped_retype_cnode_sizes)
{
    unsigned int mark = slot_mark();
    seL4_CPtr ut = ut_alloc(19);
    CHECK(ut != 0);
    for (seL4_Word n = 1; ut != 0 && n <= 12; n++) {
        seL4_CPtr cn = object_new(ut, seL4_CapTableObject, n);
        CHECK_CAP_TYPE(cn, CAP_CNODE);
        seL4_Word last = (1ul << n) - 1;
        CHECK_EQ(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, cn, 0, 0, last, 1), seL4_NoError);
        CHECK_CAP_TYPE_AT(cn, last, n, CAP_ENDPOINT);
        CHECK_RANGE_ERROR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, cn, 0, 0, last + 1, 1), 0,
                          last);
    }
    CHECK_CONSISTENT();
    ut_free(ut);
    slot_release(mark);
}

/* Table 2.1: a scheduling context's size_bits is log2 of its bytes, at least
 * seL4_MinSchedContextBits (upstream: smaller is InvalidArgument for argument 1). */
SYSTEST(untyped_retype_sched_context_sizes)
{
    unsigned int mark = slot_mark();
    seL4_CPtr ut = ut_alloc(12);
    CHECK(ut != 0);
    if (ut == 0) {
        return;
    }
    seL4_CPtr win = slot_alloc_range(4), spare = slot_alloc();
    CHECK_ARG_ERROR(retype_one(ut, seL4_SchedContextObject, seL4_MinSchedContextBits - 1, spare),
                    seL4_InvalidArgument, 1);
    CHECK_EQ(seL4_Untyped_Retype(ut, seL4_SchedContextObject, 10, ROOT, 0, 0, win, 4),
             seL4_NoError);
    for (unsigned int i = 0; i < 4; i++) {
        CHECK_CAP_TYPE(win + i, CAP_SCHED_CONTEXT);
    }
    CHECK_EQ(ut_bytes_left(ut, spare), 0);
    CHECK_EQ(seL4_CNode_Revoke(ROOT, ut, ROOT_DEPTH), seL4_NoError);
    for (seL4_Word bits = seL4_MinSchedContextBits; bits <= 11; bits++) {
        seL4_CPtr sc = object_new(ut, seL4_SchedContextObject, bits);
        CHECK_CAP_TYPE(sc, CAP_SCHED_CONTEXT);
    }
    /* 128 + 256 + 512 + 1024 + 2048 bytes (3968), each at a multiple of its size: the
     * last one ends at 4096, so nothing is left (unaligned, 128 bytes would be). */
    CHECK_EQ(ut_bytes_left(ut, spare), 0);
    CHECK_CONSISTENT();
    ut_free(ut);
    slot_release(mark);
}

/* Untyped children of several sizes hold exactly 2^size_bits bytes; the smallest takes one
 * endpoint and then has nothing left (§10.1.10: MR0 = 0). */
SYSTEST(untyped_retype_untyped_sizes)
{
    static const seL4_Word sizes[] = {seL4_MinUntypedBits, 5, 12, 16, 20};
    unsigned int mark = slot_mark();
    seL4_CPtr ut = ut_alloc(21);
    CHECK(ut != 0);
    if (ut == 0) {
        return;
    }
    seL4_CPtr spare = slot_alloc(), child[5];
    for (unsigned int i = 0; i < 5; i++) {
        child[i] = object_new(ut, seL4_UntypedObject, sizes[i]);
        CHECK_CAP_TYPE(child[i], CAP_UNTYPED);
        CHECK_EQ(ut_bytes_left(child[i], spare), 1ul << sizes[i]);
    }
    seL4_CPtr ep = object_new(child[0], seL4_EndpointObject, 0);
    CHECK_CAP_TYPE(ep, CAP_ENDPOINT);
    seL4_Error err = retype_one(child[0], seL4_EndpointObject, 0, spare);
    CHECK_EQ(err, seL4_NotEnoughMemory);
    if (err == seL4_NotEnoughMemory) {
        CHECK_EQ(seL4_GetMR(0), 0);
    }
    CHECK_CONSISTENT();
    ut_free(ut);
    slot_release(mark);
}

/* §2.4.1 watermark; objects start at a multiple of their own size (a 4 KiB frame after a
 * 16-byte endpoint starts at 4 KiB): seen through the bytes-left reply after each retype. */
SYSTEST(untyped_retype_alignment_and_watermark)
{
    static const struct {
        seL4_Word type, size_bits, end; /* watermark after the retype */
    } steps[] = {
        {seL4_EndpointObject, 0, 16},
        {seL4_ARM_SmallPageObject, 0, 8192},
        {seL4_TCBObject, 0, 8192 + 2048},
        {seL4_CapTableObject, 4, 10240 + 512},
        {seL4_EndpointObject, 0, 10752 + 16},
        {seL4_SchedContextObject, 8, 11008 + 256},
        {seL4_NotificationObject, 0, 11264 + 64},
        {seL4_ReplyObject, 0, 11328 + 32},
        {seL4_UntypedObject, 7, 11392 + 128},
    };
    unsigned int mark = slot_mark();
    seL4_CPtr ut = ut_alloc(16);
    CHECK(ut != 0);
    if (ut == 0) {
        return;
    }
    seL4_CPtr spare = slot_alloc();
    CHECK_EQ(ut_bytes_left(ut, spare), 65536);
    for (unsigned int i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
        CHECK(object_new(ut, steps[i].type, steps[i].size_bits) != 0);
        CHECK_EQ(ut_bytes_left(ut, spare), 65536 - steps[i].end);
    }
    /* Several objects in one call sit side by side: 13 frames fill 12 KiB..64 KiB. */
    seL4_CPtr win = slot_alloc_range(13);
    CHECK_EQ(seL4_Untyped_Retype(ut, seL4_ARM_SmallPageObject, 0, ROOT, 0, 0, win, 13),
             seL4_NoError);
    CHECK_CAP_TYPE(win + 12, CAP_FRAME);
    CHECK_EQ(ut_bytes_left(ut, spare), 0);
    seL4_Error err = retype_one(ut, seL4_EndpointObject, 0, spare);
    CHECK_EQ(err, seL4_NotEnoughMemory);
    if (err == seL4_NotEnoughMemory) {
        CHECK_EQ(seL4_GetMR(0), 0);
    }
    CHECK_CAP_TYPE(spare, CAP_NULL);
    CHECK_CONSISTENT();
    ut_free(ut);
    slot_release(mark);
}

/* §2.4.1: once every child is gone (revoked, or deleted one by one) the next retype starts
 * at the beginning again: an untyped as large as the whole region fits. */
SYSTEST(untyped_reset_after_revoke)
{
    unsigned int mark = slot_mark();
    seL4_CPtr ut = ut_alloc(16);
    CHECK(ut != 0);
    if (ut == 0) {
        return;
    }
    seL4_CPtr spare = slot_alloc(), whole = slot_alloc();
    seL4_CPtr a = object_new(ut, seL4_TCBObject, 0);
    seL4_CPtr b = object_new(ut, seL4_CapTableObject, 8);
    (void)object_new(ut, seL4_ARM_SmallPageObject, 0);
    CHECK_EQ(retype_one(ut, seL4_UntypedObject, 16, whole), seL4_NotEnoughMemory);
    CHECK_EQ(seL4_CNode_Revoke(ROOT, ut, ROOT_DEPTH), seL4_NoError);
    CHECK_CAP_TYPE(a, CAP_NULL);
    CHECK_CAP_TYPE(b, CAP_NULL);
    /* The first retype after the revoke starts at offset 0. */
    CHECK_EQ(retype_one(ut, seL4_EndpointObject, 0, a), seL4_NoError);
    CHECK_EQ(ut_bytes_left(ut, spare), 65536 - 16);
    CHECK_EQ(seL4_CNode_Revoke(ROOT, ut, ROOT_DEPTH), seL4_NoError);
    CHECK_EQ(retype_one(ut, seL4_UntypedObject, 16, whole), seL4_NoError);
    CHECK_CAP_TYPE(whole, CAP_UNTYPED);
    CHECK_EQ(ut_bytes_left(whole, spare), 65536);
    CHECK_EQ(retype_one(whole, seL4_EndpointObject, 0, a), seL4_NoError);

    /* Deleting the children one by one has the same effect. */
    CHECK_EQ(seL4_CNode_Delete(ROOT, a, ROOT_DEPTH), seL4_NoError);
    CHECK_EQ(seL4_CNode_Delete(ROOT, whole, ROOT_DEPTH), seL4_NoError);
    a = object_new(ut, seL4_EndpointObject, 0);
    b = object_new(ut, seL4_NotificationObject, 0);
    CHECK_EQ(seL4_CNode_Delete(ROOT, a, ROOT_DEPTH), seL4_NoError);
    CHECK_EQ(retype_one(ut, seL4_UntypedObject, 16, whole), seL4_NotEnoughMemory);
    CHECK_EQ(seL4_CNode_Delete(ROOT, b, ROOT_DEPTH), seL4_NoError);
    CHECK_EQ(retype_one(ut, seL4_UntypedObject, 16, whole), seL4_NoError);
    CHECK_CONSISTENT();
    ut_free(ut);
    slot_release(mark);
}

/* §10.3.9.1: at most CONFIG_RETYPE_FAN_OUT_LIMIT (256) objects per call; more is a
 * RangeError, and so is 0 (upstream: MR0/MR1 = 1..256). */
SYSTEST(untyped_retype_fan_out_limit)
{
    unsigned int mark = slot_mark();
    seL4_CPtr ut = ut_alloc(16);
    CHECK(ut != 0);
    if (ut == 0) {
        return;
    }
    seL4_CPtr cn = object_new(ut, seL4_CapTableObject, 9);
    seL4_CPtr cn2 = object_new(ut, seL4_CapTableObject, 9);
    CHECK_EQ(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, cn, 0, 0, 0, 256), seL4_NoError);
    CHECK_CAP_TYPE_AT(cn, 0, 9, CAP_ENDPOINT);
    CHECK_CAP_TYPE_AT(cn, 255, 9, CAP_ENDPOINT);
    CHECK_CAP_TYPE_AT(cn, 256, 9, CAP_NULL);
    CHECK_RANGE_ERROR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, cn2, 0, 0, 0, 257), 1,
                      seL4_UntypedRetypeMaxObjects);
    CHECK_RANGE_ERROR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, cn2, 0, 0, 0, 0), 1,
                      seL4_UntypedRetypeMaxObjects);
    CHECK_CAP_TYPE_AT(cn2, 0, 9, CAP_NULL);
    CHECK_CONSISTENT();
    ut_free(ut);
    slot_release(mark);
}

/* §3.1.3, §10.3.9.1: the window must lie inside the CNode (RangeError; upstream bounds:
 * node_offset 0..size-1, then num_objects 1..size-node_offset) and be empty (DeleteFirst);
 * a failed retype creates nothing and leaves the watermark. */
SYSTEST(untyped_retype_destination_window)
{
    unsigned int mark = slot_mark();
    seL4_CPtr ut = ut_alloc(16);
    CHECK(ut != 0);
    if (ut == 0) {
        return;
    }
    seL4_CPtr spare = slot_alloc();
    seL4_CPtr cn = object_new(ut, seL4_CapTableObject, 4);
    seL4_Word left = ut_bytes_left(ut, spare);
    CHECK_RANGE_ERROR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, cn, 0, 0, 16, 1), 0, 15);
    CHECK_RANGE_ERROR(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, cn, 0, 0, 14, 3), 1, 2);
    CHECK_EQ(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, cn, 0, 0, 15, 1), seL4_NoError);
    left -= 16;
    CHECK_EQ(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, cn, 0, 0, 12, 4), seL4_DeleteFirst);
    CHECK_EQ(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, cn, 0, 0, 15, 1), seL4_DeleteFirst);
    for (seL4_Word i = 12; i < 15; i++) {
        CHECK_CAP_TYPE_AT(cn, i, 4, CAP_NULL);
    }
    CHECK_EQ(ut_bytes_left(ut, spare), left);
    CHECK_EQ(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, cn, 0, 0, 12, 3), seL4_NoError);
    CHECK_CAP_TYPE_AT(cn, 14, 4, CAP_ENDPOINT);
    /* The destination CNode named by index and depth instead of node_depth 0. */
    CHECK_EQ(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, cn, ROOT_DEPTH, 0, 2),
             seL4_NoError);
    CHECK_CAP_TYPE_AT(cn, 1, 4, CAP_ENDPOINT);
    CHECK_EQ(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, ROOT, ROOT, ROOT_DEPTH, spare, 1),
             seL4_NoError);
    CHECK_CAP_TYPE(spare, CAP_ENDPOINT);
    CHECK_CONSISTENT();
    ut_free(ut);
    slot_release(mark);
}

/* Retype into a second- and third-level CNode reached by node_index/node_depth (§3.3). */
SYSTEST(untyped_retype_into_deeper_cnodes)
{
    unsigned int mark = slot_mark();
    seL4_CPtr ut = ut_alloc(16);
    CHECK(ut != 0);
    if (ut == 0) {
        return;
    }
    seL4_CPtr l1 = object_new(ut, seL4_CapTableObject, 4);
    seL4_CPtr l3tmp = object_new(ut, seL4_CapTableObject, 2);
    /* L2 (3 bits) in L1[3]; L3 (2 bits, 1-bit guard 1) in L2[1]. */
    CHECK_EQ(seL4_Untyped_Retype(ut, seL4_CapTableObject, 3, l1, 0, 0, 3, 1), seL4_NoError);
    CHECK_EQ(seL4_CNode_Mutate(l1, (3 << 3) | 1, 7, ROOT, l3tmp, ROOT_DEPTH, GUARD(1, 1)),
             seL4_NoError);
    CHECK_EQ(seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, l1, 3, 4, 6, 2), seL4_NoError);
    CHECK_EQ(seL4_Untyped_Retype(ut, seL4_NotificationObject, 0, l1, (3 << 3) | 1, 7, 2, 1),
             seL4_NoError);
    CHECK_CAP_TYPE_AT(l1, (3 << 3) | 6, 7, CAP_ENDPOINT);
    CHECK_CAP_TYPE_AT(l1, (3 << 3) | 7, 7, CAP_ENDPOINT);
    CHECK_CAP_TYPE_AT(l1, (3 << 6) | (1 << 3) | (1 << 2) | 2, 10, CAP_NOTIFICATION);
    CHECK_CAP_TYPE_AT(l1, (3 << 6) | (1 << 3) | (1 << 2) | 1, 10, CAP_NULL);
    /* Revoking the untyped reaches the objects wherever their caps are. */
    CHECK_EQ(seL4_CNode_Revoke(ROOT, ut, ROOT_DEPTH), seL4_NoError);
    CHECK_CAP_TYPE(l1, CAP_NULL);
    CHECK_CONSISTENT();
    ut_free(ut);
    slot_release(mark);
}

/* §10.3.9.1 InvalidArgument: the object type does not exist (MR0 = 0, the type argument). */
SYSTEST(untyped_retype_invalid_type)
{
    unsigned int mark = slot_mark();
    seL4_CPtr ut = ut_alloc(12);
    CHECK(ut != 0);
    if (ut == 0) {
        return;
    }
    seL4_CPtr s = slot_alloc();
    CHECK_ARG_ERROR(retype_one(ut, seL4_ObjectTypeCount, 0, s), seL4_InvalidArgument, 0);
    CHECK_ARG_ERROR(retype_one(ut, 1000, 0, s), seL4_InvalidArgument, 0);
    CHECK_ARG_ERROR(retype_one(ut, ~0ul, 0, s), seL4_InvalidArgument, 0);
    CHECK_CAP_TYPE(s, CAP_NULL);
    CHECK_EQ(ut_bytes_left(ut, s), 4096);
    ut_free(ut);
    slot_release(mark);
}

/* §10.3.9.1: size_bits too small is InvalidArgument (MR0 = 1, the size_bits argument), too
 * large a RangeError; upstream: minimum 4 for untyped, 1 for CNodes, seL4_MinSchedContext-
 * Bits for SCs; the range reported is 0..seL4_MaxUntypedBits (47) for the object's log2
 * size. Fixed-size objects ignore size_bits (§2.4.2). */
SYSTEST(untyped_retype_size_bits_bounds)
{
    unsigned int mark = slot_mark();
    seL4_CPtr ut = ut_alloc(12);
    CHECK(ut != 0);
    if (ut == 0) {
        return;
    }
    seL4_CPtr s = slot_alloc();
    CHECK_ARG_ERROR(retype_one(ut, seL4_UntypedObject, seL4_MinUntypedBits - 1, s),
                    seL4_InvalidArgument, 1);
    CHECK_RANGE_ERROR(retype_one(ut, seL4_UntypedObject, seL4_MaxUntypedBits + 1, s), 0,
                      seL4_MaxUntypedBits);
    CHECK_RANGE_ERROR(retype_one(ut, seL4_UntypedObject, 64, s), 0, seL4_MaxUntypedBits);
    CHECK_ARG_ERROR(retype_one(ut, seL4_CapTableObject, 0, s), seL4_InvalidArgument, 1);
    CHECK_RANGE_ERROR(
        retype_one(ut, seL4_CapTableObject, seL4_MaxUntypedBits - seL4_SlotBits + 1, s), 0,
        seL4_MaxUntypedBits);
    CHECK_EQ(retype_one(ut, seL4_CapTableObject, seL4_MaxUntypedBits - seL4_SlotBits, s),
             seL4_NotEnoughMemory);
    CHECK_ARG_ERROR(retype_one(ut, seL4_SchedContextObject, seL4_MinSchedContextBits - 1, s),
                    seL4_InvalidArgument, 1);
    CHECK_RANGE_ERROR(retype_one(ut, seL4_SchedContextObject, seL4_MaxUntypedBits + 1, s), 0,
                      seL4_MaxUntypedBits);
    CHECK_CAP_TYPE(s, CAP_NULL);
    CHECK_EQ(ut_bytes_left(ut, s), 4096);
    CHECK_EQ(retype_one(ut, seL4_UntypedObject, seL4_MinUntypedBits, s), seL4_NoError);
    CHECK_EQ(seL4_CNode_Delete(ROOT, s, ROOT_DEPTH), seL4_NoError);
    CHECK_EQ(retype_one(ut, seL4_EndpointObject, 40, s), seL4_NoError);
    CHECK_CAP_TYPE(s, CAP_ENDPOINT);
    CHECK_CONSISTENT();
    ut_free(ut);
    slot_release(mark);
}

/* §10.1.10: NotEnoughMemory when the objects do not all fit, with MR0 = bytes available;
 * nothing is created. */
SYSTEST(untyped_retype_not_enough_memory)
{
    unsigned int mark = slot_mark();
    seL4_CPtr ut = ut_alloc(12);
    CHECK(ut != 0);
    if (ut == 0) {
        return;
    }
    seL4_CPtr win = slot_alloc_range(3);
    seL4_Error err = seL4_Untyped_Retype(ut, seL4_TCBObject, 0, ROOT, 0, 0, win, 3);
    CHECK_EQ(err, seL4_NotEnoughMemory);
    if (err == seL4_NotEnoughMemory) {
        CHECK_EQ(seL4_GetMR(0), 4096);
    }
    CHECK_CAP_TYPE(win, CAP_NULL);
    CHECK_EQ(seL4_Untyped_Retype(ut, seL4_TCBObject, 0, ROOT, 0, 0, win, 2), seL4_NoError);
    err = retype_one(ut, seL4_EndpointObject, 0, win + 2);
    CHECK_EQ(err, seL4_NotEnoughMemory);
    if (err == seL4_NotEnoughMemory) {
        CHECK_EQ(seL4_GetMR(0), 0);
    }
    err = retype_one(ut, seL4_ARM_LargePageObject, 0, win + 2);
    CHECK_EQ(err, seL4_NotEnoughMemory);
    CHECK_CAP_TYPE(win + 2, CAP_NULL);
    CHECK_CONSISTENT();
    ut_free(ut);
    slot_release(mark);
}

/* §2.4: device untypeds make only frames and untypeds, and their untyped children are
 * device memory too. Any other type: InvalidArgument (upstream: MR0 = 1). */
SYSTEST(untyped_retype_device_memory)
{
    static const seL4_Word not_from_device[][2] = {
        {seL4_TCBObject, 0},           {seL4_EndpointObject, 0},     {seL4_NotificationObject, 0},
        {seL4_CapTableObject, 4},      {seL4_SchedContextObject, 8}, {seL4_ReplyObject, 0},
        {seL4_ARM_PageTableObject, 0}, {seL4_ARM_VSpaceObject, 0},
    };
    unsigned int mark = slot_mark();
    seL4_CPtr dev = ut_alloc_device(16);
    CHECK(dev != 0);
    if (dev == 0) {
        return;
    }
    seL4_CPtr s = slot_alloc();
    for (unsigned int i = 0; i < sizeof(not_from_device) / sizeof(not_from_device[0]); i++) {
        CHECK_ARG_ERROR(retype_one(dev, not_from_device[i][0], not_from_device[i][1], s),
                        seL4_InvalidArgument, 1);
    }
    CHECK_CAP_TYPE(s, CAP_NULL);
    seL4_CPtr frame = object_new(dev, seL4_ARM_SmallPageObject, 0);
    CHECK_CAP_TYPE(frame, CAP_FRAME);
    seL4_CPtr child = object_new(dev, seL4_UntypedObject, 12);
    CHECK_CAP_TYPE(child, CAP_UNTYPED);
    CHECK_ARG_ERROR(retype_one(child, seL4_EndpointObject, 0, s), seL4_InvalidArgument, 1);
    CHECK_EQ(retype_one(child, seL4_ARM_SmallPageObject, 0, s), seL4_NoError);
    CHECK_CONSISTENT();
    ut_free(dev);
    slot_release(mark);
}

/* §10.3.9.1 FailedLookup (root, node_index, node_depth; MR0 = 0: a destination) and the
 * _service errors. Upstream: node_depth 0 names the root cap itself, so an empty root is
 * then a missing capability with 0 bits left; a node that is not a CNode is a missing
 * capability with node_depth bits left; depths above 64 are a RangeError 1..64. */
SYSTEST(untyped_retype_lookup_errors)
{
    unsigned int mark = slot_mark();
    seL4_CPtr ut = ut_alloc(12);
    CHECK(ut != 0);
    if (ut == 0) {
        return;
    }
    seL4_CPtr empty = slot_alloc(), ep = object_new(ut, seL4_EndpointObject, 0);
    seL4_CPtr cn = object_new(ut, seL4_CapTableObject, 2);
    seL4_Word left = ut_bytes_left(ut, empty);

    CHECK_LOOKUP_FAILURE(seL4_Untyped_Retype(ut, EP, 0, empty, cn, ROOT_DEPTH, 0, 1), 0,
                         seL4_InvalidRoot);
    CHECK_LOOKUP_FAILURE(seL4_Untyped_Retype(ut, EP, 0, ep, cn, ROOT_DEPTH, 0, 1), 0,
                         seL4_InvalidRoot);
    CHECK_MISSING_CAP(seL4_Untyped_Retype(ut, EP, 0, empty, 0, 0, 0, 1), 0, 0);
    CHECK_MISSING_CAP(seL4_Untyped_Retype(ut, EP, 0, ROOT, ep, ROOT_DEPTH, 0, 1), 0, 64);
    CHECK_MISSING_CAP(seL4_Untyped_Retype(ut, EP, 0, ROOT, empty, ROOT_DEPTH, 0, 1), 0, 64);
    CHECK_RANGE_ERROR(seL4_Untyped_Retype(ut, EP, 0, ROOT, cn, 65, 0, 1), 1, 64);
    CHECK_GUARD_MISMATCH(seL4_Untyped_Retype(ut, EP, 0, ROOT, cn | (1ul << 50), ROOT_DEPTH, 0, 1),
                         0, 64, 0, ROOT_GUARD);
    CHECK_DEPTH_MISMATCH(seL4_Untyped_Retype(ut, EP, 0, ROOT, 1, 60, 0, 1), 0, 60, 64);
    /* _service: an empty slot, a cap of another type. */
    CHECK_ARG_ERROR(seL4_Untyped_Retype(empty, EP, 0, ROOT, 0, 0, empty, 1), seL4_InvalidCapability,
                    0);
    CHECK_EQ(seL4_Untyped_Retype(cn, EP, 0, ROOT, 0, 0, empty, 1), seL4_IllegalOperation);
    CHECK_CAP_TYPE(empty, CAP_NULL);
    CHECK_CAP_TYPE_AT(cn, 0, 2, CAP_NULL);
    CHECK_EQ(ut_bytes_left(ut, empty), left);
    CHECK_CONSISTENT();
    ut_free(ut);
    slot_release(mark);
}
