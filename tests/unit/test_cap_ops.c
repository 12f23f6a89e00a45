/* Capabilities as values: region and object identity, revocability, rights masking, badge and
 * guard updates and derivation (manual §2.4.1, §3.1.4, §3.1.5 Table 3.2; upstream seL4's
 * sameRegionAs, sameObjectAs, isCapRevocable, maskCapRights, updateCapData, deriveCap). */
#define CHECK_SUITE "cap_ops"
#include "check.h"

#include "kernel/cap_ops.h"

#include <stdint.h>

/* cap_ops never dereferences an object: a cap's physical address is only compared, so the
 * addresses below need no memory behind them. kptr.h still wants the symbol. */
uintptr_t host_test_ram_base;

/* Object sizes of upstream seL4 14.0.0, AArch64, MCS, written out here rather than taken from
 * the ABI header so that a wrong constant there shows up as a failure. */
#define EP_SIZE 16ull      /* seL4_EndpointBits 4 */
#define NTFN_SIZE 64ull    /* seL4_NotificationBits 6 (MCS) */
#define TCB_SIZE 2048ull   /* seL4_TCBBits 11 */
#define REPLY_SIZE 32ull   /* seL4_ReplyBits 5 */
#define SLOT_SIZE 32ull    /* seL4_SlotBits 5 */
#define TABLE_SIZE 4096ull /* page tables, VSpaces (48-bit VA), ASID pools */
#define PAGE_4K (1ull << 12)
#define PAGE_2M (1ull << 21)
#define PAGE_1G (1ull << 30)

#define B(c) ((c) ? 1 : 0)

static bool cap_eq(cap_t a, cap_t b)
{
    return a.w[0] == b.w[0] && a.w[1] == b.w[1];
}

#define CHECK_CAP_EQ(a, b)                                                                         \
    do {                                                                                           \
        cap_t check_ca_ = (a), check_cb_ = (b);                                                    \
        if (!cap_eq(check_ca_, check_cb_)) {                                                       \
            check_fail(__FILE__, __LINE__, "%s == %s: {%#llx, %#llx} vs {%#llx, %#llx}", #a, #b,   \
                       (unsigned long long)check_ca_.w[0], (unsigned long long)check_ca_.w[1],     \
                       (unsigned long long)check_cb_.w[0], (unsigned long long)check_cb_.w[1]);    \
            return;                                                                                \
        }                                                                                          \
    } while (0)

/* ---- same_region_as ---------------------------------------------------------------------- */

/* One cap to an object of every physical type at pa, with the object's size in bytes. */
struct sized_cap {
    const char *what;
    cap_t cap;
    uint64_t size;
};

static int physical_caps_at(uint64_t pa, struct sized_cap *out)
{
    int n = 0;
    out[n++] = (struct sized_cap){"endpoint", cap_endpoint_new(pa, 0, RIGHTS_ALL), EP_SIZE};
    out[n++] =
        (struct sized_cap){"notification", cap_notification_new(pa, 0, RIGHTS_ALL), NTFN_SIZE};
    out[n++] = (struct sized_cap){"tcb", cap_thread_new(pa), TCB_SIZE};
    out[n++] = (struct sized_cap){"reply", cap_reply_new(pa, true), REPLY_SIZE};
    out[n++] = (struct sized_cap){"cnode radix 0", cap_cnode_new(pa, 0, 0, 0), SLOT_SIZE};
    out[n++] = (struct sized_cap){"cnode radix 4", cap_cnode_new(pa, 4, 0, 0), 16 * SLOT_SIZE};
    out[n++] = (struct sized_cap){"sched context 7", cap_sched_context_new(pa, 7), 128};
    out[n++] = (struct sized_cap){"sched context 10", cap_sched_context_new(pa, 10), 1024};
    out[n++] = (struct sized_cap){"zombie tcb", cap_zombie_new(pa, true, 0, 0), TCB_SIZE};
    out[n++] =
        (struct sized_cap){"zombie cnode radix 3", cap_zombie_new(pa, false, 3, 0), 8 * SLOT_SIZE};
    out[n++] = (struct sized_cap){"page table", cap_page_table_new(pa, false, 0, 0), TABLE_SIZE};
    out[n++] = (struct sized_cap){"vspace", cap_vspace_new(pa, false, 0), TABLE_SIZE};
    out[n++] = (struct sized_cap){"asid pool", cap_asid_pool_new(pa, 0), TABLE_SIZE};
    out[n++] = (struct sized_cap){
        "frame 4K", cap_frame_new(pa, FRAME_4K, VM_READ_WRITE, false, false, 0, 0), PAGE_4K};
    out[n++] = (struct sized_cap){
        "device frame 4K", cap_frame_new(pa, FRAME_4K, VM_READ_WRITE, true, false, 0, 0), PAGE_4K};
    out[n++] = (struct sized_cap){
        "frame 2M", cap_frame_new(pa, FRAME_2M, VM_READ_WRITE, false, false, 0, 0), PAGE_2M};
    out[n++] = (struct sized_cap){"untyped 4", cap_untyped_new(pa, 4, false, 0), 16};
    out[n++] = (struct sized_cap){"untyped 14", cap_untyped_new(pa, 14, false, 0), 1ull << 14};
    return n;
}

#define MAX_KINDS 32

/* An untyped of 2^ut_bits at ut_base contains an object of every type that lies entirely in
 * it, and none that starts before it, runs past its end or lies after it. */
static void check_untyped_contains_all_types(uint64_t ut_base, unsigned int ut_bits)
{
    cap_t ut = cap_untyped_new(ut_base, ut_bits, false, 0);
    uint64_t ut_end = ut_base + (1ull << ut_bits);
    struct sized_cap probe[MAX_KINDS];
    int kinds = physical_caps_at(0, probe);
    for (int k = 0; k < kinds; k++) {
        struct sized_cap at[MAX_KINDS];
        uint64_t size = probe[k].size;
        if (size > (1ull << ut_bits)) {
            /* Too big for this untyped even at its base. */
            physical_caps_at(ut_base, at);
            if (cap_same_region_as(ut, at[k].cap)) {
                check_fail(__FILE__, __LINE__, "%s of %#llx bytes inside a 2^%u untyped",
                           probe[k].what, (unsigned long long)size, ut_bits);
                return;
            }
            continue;
        }
        struct {
            uint64_t pa;
            bool inside;
        } cases[] = {
            {ut_base, true},                         /* at the start */
            {ut_end - size, true},                   /* ends exactly at the untyped's end */
            {ut_base + (1ull << ut_bits) / 2, true}, /* in the middle, when it fits */
            {ut_end - size + 16, false},             /* straddles the end by 16 bytes */
            {ut_end, false},                         /* right after it */
            {ut_base - 16, false},                   /* starts 16 bytes before it */
            {ut_base - size, false},                 /* ends right before it */
        };
        for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
            if (cases[c].inside && cases[c].pa + size > ut_end) {
                continue; /* the middle case for an object of more than half the untyped */
            }
            if (cases[c].pa > ut_end) {
                continue; /* "before" wrapped below address 0 */
            }
            physical_caps_at(cases[c].pa, at);
            if (cap_same_region_as(ut, at[k].cap) != cases[c].inside) {
                check_fail(__FILE__, __LINE__,
                           "%s at %#llx (%#llx bytes) in untyped [%#llx, %#llx): got %d",
                           at[k].what, (unsigned long long)cases[c].pa, (unsigned long long)size,
                           (unsigned long long)ut_base, (unsigned long long)ut_end,
                           !cases[c].inside);
                return;
            }
            /* Containment is one-way: no object contains the untyped. */
            if (cap_same_region_as(at[k].cap, ut) && cap_get_type(at[k].cap) != cap_untyped_cap) {
                check_fail(__FILE__, __LINE__, "%s contains an untyped", at[k].what);
                return;
            }
        }
    }
}

TEST(untyped_contains_every_physical_type)
{
    check_untyped_contains_all_types(0x100000, 16);
    if (check_failed) {
        return;
    }
    check_untyped_contains_all_types(0x40000000, 22); /* holds a 2M frame */
    if (check_failed) {
        return;
    }
    check_untyped_contains_all_types(0x2000, 12);
}

TEST(untyped_contains_1g_frame)
{
    cap_t ut = cap_untyped_new(0x80000000ull, 31, false, 0);
    cap_t in = cap_frame_new(0xc0000000ull, FRAME_1G, VM_READ_ONLY, false, false, 0, 0);
    cap_t straddle =
        cap_frame_new(0xc0000000ull + PAGE_4K, FRAME_1G, VM_READ_ONLY, false, false, 0, 0);
    cap_t after = cap_frame_new(0x100000000ull, FRAME_1G, VM_READ_ONLY, false, false, 0, 0);
    CHECK(cap_same_region_as(ut, in));
    CHECK(!cap_same_region_as(ut, straddle));
    CHECK(!cap_same_region_as(ut, after));
    /* A 1G frame is too big for a 2^29 untyped at its base. */
    CHECK(!cap_same_region_as(cap_untyped_new(0xc0000000ull, 29, false, 0), in));
}

TEST(untyped_never_contains_non_physical_caps)
{
    /* These caps carry physical address 0, which this untyped covers: only physical caps
     * name memory. */
    cap_t ut = cap_untyped_new(0, 20, false, 0);
    CHECK(!cap_same_region_as(ut, cap_irq_control_new()));
    CHECK(!cap_same_region_as(ut, cap_irq_handler_new(0)));
    CHECK(!cap_same_region_as(ut, cap_domain_new()));
    CHECK(!cap_same_region_as(ut, cap_asid_control_new()));
    CHECK(!cap_same_region_as(ut, cap_sched_control_new(0)));
    CHECK(!cap_same_region_as(ut, cap_null()));
    CHECK(cap_same_region_as(ut, cap_endpoint_new(0, 0, RIGHTS_ALL)));
}

TEST(nested_untypeds)
{
    cap_t big = cap_untyped_new(0x100000, 20, false, 0);
    cap_t low = cap_untyped_new(0x100000, 12, false, 0);
    cap_t high = cap_untyped_new(0x1ff000, 12, false, 0);
    cap_t outside = cap_untyped_new(0x200000, 12, false, 0);
    cap_t bigger = cap_untyped_new(0x100000, 21, false, 0);
    CHECK(cap_same_region_as(big, low));
    CHECK(cap_same_region_as(big, high));
    CHECK(!cap_same_region_as(big, outside));
    CHECK(!cap_same_region_as(low, big));
    CHECK(!cap_same_region_as(high, big));
    CHECK(!cap_same_region_as(big, bigger));
    CHECK(cap_same_region_as(bigger, big));
    /* An untyped covers its own region, a copy with another watermark and a device twin. */
    CHECK(cap_same_region_as(big, big));
    CHECK(cap_same_region_as(big, cap_untyped_set_free_index(big, 0x1000)));
    CHECK(cap_same_region_as(big, cap_untyped_new(0x100000, 20, true, 0)));
    /* Two disjoint siblings contain nothing of each other. */
    CHECK(!cap_same_region_as(low, high));
}

TEST(frames_of_different_sizes)
{
    cap_t f2m = cap_frame_new(0x40000000, FRAME_2M, VM_READ_WRITE, false, false, 0, 0);
    cap_t f4k_first = cap_frame_new(0x40000000, FRAME_4K, VM_READ_ONLY, false, false, 0, 0);
    cap_t f4k_last =
        cap_frame_new(0x40000000 + PAGE_2M - PAGE_4K, FRAME_4K, VM_READ_ONLY, false, false, 0, 0);
    cap_t f4k_after =
        cap_frame_new(0x40000000 + PAGE_2M, FRAME_4K, VM_READ_ONLY, false, false, 0, 0);
    cap_t f4k_before =
        cap_frame_new(0x40000000 - PAGE_4K, FRAME_4K, VM_READ_ONLY, false, false, 0, 0);
    cap_t f1g = cap_frame_new(0x40000000, FRAME_1G, VM_READ_WRITE, false, false, 0, 0);
    CHECK(cap_same_region_as(f2m, f4k_first));
    CHECK(cap_same_region_as(f2m, f4k_last));
    CHECK(!cap_same_region_as(f2m, f4k_after));
    CHECK(!cap_same_region_as(f2m, f4k_before));
    CHECK(!cap_same_region_as(f4k_first, f2m));
    CHECK(cap_same_region_as(f1g, f2m));
    CHECK(!cap_same_region_as(f2m, f1g));
    CHECK(cap_same_region_as(f4k_first, f4k_first));
    /* A frame contains only frames. */
    CHECK(!cap_same_region_as(f2m, cap_untyped_new(0x40000000, 12, false, 0)));
    CHECK(!cap_same_region_as(f2m, cap_page_table_new(0x40000000, false, 0, 0)));
    CHECK(!cap_same_region_as(f2m, cap_endpoint_new(0x40000000, 0, RIGHTS_ALL)));
}

TEST(cnodes_need_same_radix)
{
    cap_t a = cap_cnode_new(0x8000, 4, 0, 0);
    CHECK(cap_same_region_as(a, cap_cnode_new(0x8000, 4, 10, 0x3))); /* guard is per cap */
    CHECK(!cap_same_region_as(a, cap_cnode_new(0x8000, 3, 0, 0)));
    CHECK(!cap_same_region_as(a, cap_cnode_new(0x8000, 5, 0, 0)));
    CHECK(!cap_same_region_as(cap_cnode_new(0x8000, 5, 0, 0), a));
    CHECK(!cap_same_region_as(a, cap_cnode_new(0x8200, 4, 0, 0)));
    CHECK(!cap_same_region_as(a, cap_endpoint_new(0x8000, 0, RIGHTS_ALL)));
}

TEST(sched_contexts_need_same_size)
{
    cap_t a = cap_sched_context_new(0x8000, 8);
    CHECK(cap_same_region_as(a, cap_sched_context_new(0x8000, 8)));
    CHECK(!cap_same_region_as(a, cap_sched_context_new(0x8000, 7)));
    CHECK(!cap_same_region_as(a, cap_sched_context_new(0x8000, 9)));
    CHECK(!cap_same_region_as(a, cap_sched_context_new(0x8100, 8)));
    CHECK(!cap_same_region_as(a, cap_thread_new(0x8000)));
}

TEST(same_pointer_types)
{
    /* Badges and rights are properties of the cap, not of the object. */
    CHECK(cap_same_region_as(cap_endpoint_new(0x1000, 0, RIGHTS_ALL),
                             cap_endpoint_new(0x1000, 7, RIGHT_READ)));
    CHECK(!cap_same_region_as(cap_endpoint_new(0x1000, 0, RIGHTS_ALL),
                              cap_endpoint_new(0x1010, 0, RIGHTS_ALL)));
    CHECK(!cap_same_region_as(cap_endpoint_new(0x1000, 0, RIGHTS_ALL),
                              cap_notification_new(0x1000, 0, RIGHTS_ALL)));
    CHECK(cap_same_region_as(cap_notification_new(0x1000, 3, RIGHT_WRITE),
                             cap_notification_new(0x1000, 0, RIGHTS_ALL)));
    CHECK(!cap_same_region_as(cap_notification_new(0x1000, 0, RIGHTS_ALL),
                              cap_notification_new(0x1040, 0, RIGHTS_ALL)));
    CHECK(cap_same_region_as(cap_thread_new(0x4000), cap_thread_new(0x4000)));
    CHECK(!cap_same_region_as(cap_thread_new(0x4000), cap_thread_new(0x4800)));
    CHECK(cap_same_region_as(cap_reply_new(0x20, true), cap_reply_new(0x20, false)));
    CHECK(!cap_same_region_as(cap_reply_new(0x20, true), cap_reply_new(0x40, true)));
    CHECK(cap_same_region_as(cap_page_table_new(0x3000, false, 0, 0),
                             cap_page_table_new(0x3000, true, 1, 0x200000)));
    CHECK(!cap_same_region_as(cap_page_table_new(0x3000, false, 0, 0),
                              cap_vspace_new(0x3000, false, 0)));
    CHECK(cap_same_region_as(cap_vspace_new(0x3000, false, 0), cap_vspace_new(0x3000, true, 5)));
    CHECK(cap_same_region_as(cap_asid_pool_new(0x5000, 0), cap_asid_pool_new(0x5000, 0)));
    CHECK(!cap_same_region_as(cap_asid_pool_new(0x5000, 0), cap_asid_pool_new(0x6000, 0)));
}

TEST(global_caps_and_irqs)
{
    CHECK(cap_same_region_as(cap_irq_control_new(), cap_irq_control_new()));
    CHECK(cap_same_region_as(cap_irq_control_new(), cap_irq_handler_new(33)));
    CHECK(!cap_same_region_as(cap_irq_handler_new(33), cap_irq_control_new()));
    CHECK(cap_same_region_as(cap_irq_handler_new(33), cap_irq_handler_new(33)));
    CHECK(!cap_same_region_as(cap_irq_handler_new(33), cap_irq_handler_new(34)));
    CHECK(cap_same_region_as(cap_domain_new(), cap_domain_new()));
    CHECK(!cap_same_region_as(cap_domain_new(), cap_irq_control_new()));
    CHECK(cap_same_region_as(cap_asid_control_new(), cap_asid_control_new()));
    CHECK(cap_same_region_as(cap_sched_control_new(0), cap_sched_control_new(0)));
    CHECK(!cap_same_region_as(cap_sched_control_new(0), cap_domain_new()));
    /* Upstream's sameRegionAs has no zombie case: a zombie is no cap's region. */
    CHECK(!cap_same_region_as(cap_zombie_new(0x4000, true, 0, 0),
                              cap_zombie_new(0x4000, true, 0, 0)));
    CHECK(!cap_same_region_as(cap_null(), cap_null()));
}

/* ---- same_object_as ---------------------------------------------------------------------- */

TEST(same_object_untyped_never)
{
    cap_t ut = cap_untyped_new(0x100000, 16, false, 0);
    CHECK(cap_same_region_as(ut, ut));
    CHECK(!cap_same_object_as(ut, ut));
    CHECK(!cap_same_object_as(ut, cap_untyped_new(0x100000, 12, false, 0)));
    CHECK(!cap_same_object_as(ut, cap_endpoint_new(0x100000, 0, RIGHTS_ALL)));
}

/* SGI signal caps: IRQControl's descendants, equal when SGI and target are (upstream). */
TEST(sgi_signal_caps)
{
    cap_t s = cap_sgi_signal_new(5, 0);
    CHECK_EQ(cap_get_type(s), cap_sgi_signal_cap);
    CHECK_EQ(cap_sgi_signal_irq(s), 5);
    CHECK_EQ(cap_sgi_signal_target(s), 0);
    CHECK_EQ(cap_sgi_signal_target(cap_sgi_signal_new(15, 0xffffffffull)), 0xffffffffull);
    CHECK_EQ(cap_sgi_signal_irq(cap_sgi_signal_new(15, 7)), 15);
    CHECK(cap_same_region_as(cap_irq_control_new(), s));
    CHECK(!cap_same_region_as(s, cap_irq_control_new()));
    CHECK(cap_same_region_as(s, cap_sgi_signal_new(5, 0)));
    CHECK(!cap_same_region_as(s, cap_sgi_signal_new(6, 0)));
    CHECK(!cap_same_region_as(s, cap_sgi_signal_new(5, 1)));
    CHECK(!cap_same_object_as(cap_irq_control_new(), s));
    CHECK(cap_is_revocable(s, cap_irq_control_new()));
    CHECK(!cap_is_revocable(s, s));
    CHECK(!cap_is_physical(s));
    cap_t out;
    CHECK_EQ(cap_derive(s, false, &out), DERIVE_OK);
    CHECK_EQ(out.w[0], s.w[0]);
    CHECK_EQ(out.w[1], s.w[1]);
}

TEST(same_object_irqs)
{
    CHECK(!cap_same_object_as(cap_irq_control_new(), cap_irq_handler_new(5)));
    CHECK(!cap_same_object_as(cap_irq_handler_new(5), cap_irq_control_new()));
    CHECK(cap_same_object_as(cap_irq_control_new(), cap_irq_control_new()));
    CHECK(cap_same_object_as(cap_irq_handler_new(5), cap_irq_handler_new(5)));
    CHECK(!cap_same_object_as(cap_irq_handler_new(5), cap_irq_handler_new(6)));
}

TEST(same_object_frames)
{
    cap_t f2m = cap_frame_new(0x40000000, FRAME_2M, VM_READ_WRITE, false, true, 1, 0x400000);
    /* Another handle on the same frame: rights and mapping do not matter. */
    CHECK(cap_same_object_as(
        f2m, cap_frame_new(0x40000000, FRAME_2M, VM_READ_ONLY, false, false, 0, 0)));
    /* The 4K frame at the same base is within f2m's region but is another object. */
    cap_t f4k = cap_frame_new(0x40000000, FRAME_4K, VM_READ_WRITE, false, false, 0, 0);
    CHECK(cap_same_region_as(f2m, f4k));
    CHECK(!cap_same_object_as(f2m, f4k));
    CHECK(!cap_same_object_as(f4k, f2m));
    CHECK(!cap_same_object_as(
        f2m, cap_frame_new(0x40000000, FRAME_2M, VM_READ_WRITE, true, false, 0, 0)));
    CHECK(!cap_same_object_as(
        f2m, cap_frame_new(0x40000000 + PAGE_4K, FRAME_4K, VM_READ_WRITE, false, false, 0, 0)));
    cap_t dev = cap_frame_new(0x9000000, FRAME_4K, VM_READ_WRITE, true, false, 0, 0);
    CHECK(cap_same_object_as(dev,
                             cap_frame_new(0x9000000, FRAME_4K, VM_READ_ONLY, true, false, 0, 0)));
    CHECK(!cap_same_object_as(dev, cap_untyped_new(0x9000000, 12, true, 0)));
}

TEST(same_object_follows_region_otherwise)
{
    CHECK(cap_same_object_as(cap_endpoint_new(0x1000, 0, RIGHTS_ALL),
                             cap_endpoint_new(0x1000, 9, RIGHT_WRITE)));
    CHECK(!cap_same_object_as(cap_endpoint_new(0x1000, 0, RIGHTS_ALL),
                              cap_endpoint_new(0x1010, 0, RIGHTS_ALL)));
    CHECK(cap_same_object_as(cap_cnode_new(0x8000, 4, 0, 0), cap_cnode_new(0x8000, 4, 3, 5)));
    CHECK(!cap_same_object_as(cap_cnode_new(0x8000, 4, 0, 0), cap_cnode_new(0x8000, 2, 0, 0)));
    CHECK(cap_same_object_as(cap_sched_context_new(0x8000, 8), cap_sched_context_new(0x8000, 8)));
    CHECK(!cap_same_object_as(cap_sched_context_new(0x8000, 8), cap_sched_context_new(0x8000, 9)));
    CHECK(cap_same_object_as(cap_page_table_new(0x3000, true, 1, 0),
                             cap_page_table_new(0x3000, true, 1, 0)));
    CHECK(!cap_same_object_as(cap_thread_new(0x4000), cap_endpoint_new(0x4000, 0, RIGHTS_ALL)));
}

/* ---- is_revocable ------------------------------------------------------------------------ */

TEST(revocable_badging)
{
    cap_t ep = cap_endpoint_new(0x1000, 0, RIGHTS_ALL);
    cap_t ep_b = cap_endpoint_new(0x1000, 42, RIGHTS_ALL);
    CHECK(cap_is_revocable(ep_b, ep));    /* newly badged */
    CHECK(!cap_is_revocable(ep, ep));     /* plain copy */
    CHECK(!cap_is_revocable(ep_b, ep_b)); /* copy of a badged cap */
    CHECK(!cap_is_revocable(cap_endpoint_new(0x1000, 42, RIGHT_READ), ep_b));
    cap_t nt = cap_notification_new(0x2000, 0, RIGHTS_ALL);
    cap_t nt_b = cap_notification_new(0x2000, 1, RIGHT_WRITE);
    CHECK(cap_is_revocable(nt_b, nt));
    CHECK(!cap_is_revocable(nt, nt));
    CHECK(!cap_is_revocable(nt_b, nt_b));
}

TEST(revocable_untyped_and_irq)
{
    cap_t ut = cap_untyped_new(0x100000, 16, false, 0);
    CHECK(cap_is_revocable(ut, ut));
    CHECK(cap_is_revocable(cap_untyped_new(0x100000, 12, false, 0), ut));
    CHECK(cap_is_revocable(cap_irq_handler_new(7), cap_irq_control_new()));
    CHECK(!cap_is_revocable(cap_irq_handler_new(7), cap_irq_handler_new(7)));
    CHECK(!cap_is_revocable(cap_irq_control_new(), cap_irq_control_new()));
}

TEST(revocable_others_never)
{
    cap_t caps[] = {
        cap_thread_new(0x4000),
        cap_cnode_new(0x8000, 4, 0, 0),
        cap_reply_new(0x20, true),
        cap_sched_context_new(0x8000, 8),
        cap_frame_new(0x40000000, FRAME_4K, VM_READ_WRITE, false, false, 0, 0),
        cap_page_table_new(0x3000, true, 1, 0),
        cap_vspace_new(0x3000, true, 1),
        cap_asid_pool_new(0x5000, 0),
        cap_asid_control_new(),
        cap_domain_new(),
        cap_sched_control_new(0),
    };
    for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
        if (cap_is_revocable(caps[i], caps[i])) {
            check_fail(__FILE__, __LINE__, "cap type %d is revocable", cap_get_type(caps[i]));
            return;
        }
    }
    /* Even when "derived" from an untyped: retyped caps are placed by cdt_insert_new. */
    CHECK(!cap_is_revocable(cap_thread_new(0x100000), cap_untyped_new(0x100000, 16, false, 0)));
}

/* ---- mask_rights ------------------------------------------------------------------------- */

TEST(mask_rights_endpoint_all_four)
{
    for (unsigned int have = 0; have < 16; have++) {
        for (unsigned int mask = 0; mask < 16; mask++) {
            cap_t ep = cap_endpoint_new(0x1230, 0xbeef, have);
            cap_t m = cap_mask_rights(mask, ep);
            CHECK_EQ(cap_get_type(m), cap_endpoint_cap);
            CHECK_EQ(cap_rights(m), have & mask);
            CHECK_EQ(cap_paddr(m), 0x1230);
            CHECK_EQ(cap_badge(m), 0xbeef);
        }
    }
    /* Rights bits are those of seL4_CapRights: W=1, R=2, G=4, GR=8. */
    cap_t ep = cap_endpoint_new(0x1230, 0, RIGHTS_ALL);
    CHECK_EQ(cap_rights(cap_mask_rights(1, ep)), RIGHT_WRITE);
    CHECK_EQ(cap_rights(cap_mask_rights(2, ep)), RIGHT_READ);
    CHECK_EQ(cap_rights(cap_mask_rights(4, ep)), RIGHT_GRANT);
    CHECK_EQ(cap_rights(cap_mask_rights(8, ep)), RIGHT_GRANT_REPLY);
}

TEST(mask_rights_notification_read_write_only)
{
    for (unsigned int have = 0; have < 16; have++) {
        for (unsigned int mask = 0; mask < 16; mask++) {
            cap_t nt = cap_notification_new(0x2000, 3, have);
            unsigned int rw = have & mask & (RIGHT_READ | RIGHT_WRITE);
            CHECK_EQ(cap_rights(cap_mask_rights(mask, nt)), rw);
            /* Grant bits in the word (which cap_notification_new never sets) never survive. */
            cap_t m = cap_mask_rights(mask, cap_set_rights(nt, have));
            CHECK_EQ(cap_get_type(m), cap_notification_cap);
            CHECK_EQ(cap_rights(m), rw);
            CHECK_EQ(cap_paddr(m), 0x2000);
            CHECK_EQ(cap_badge(m), 3);
        }
    }
}

TEST(mask_rights_reply_grant)
{
    cap_t r = cap_reply_new(0x60, true);
    CHECK(cap_reply_can_grant(cap_mask_rights(RIGHT_GRANT, r)));
    CHECK(cap_reply_can_grant(cap_mask_rights(RIGHTS_ALL, r)));
    CHECK(!cap_reply_can_grant(cap_mask_rights(RIGHT_GRANT_REPLY, r)));
    CHECK(!cap_reply_can_grant(cap_mask_rights(RIGHT_READ | RIGHT_WRITE, r)));
    CHECK(!cap_reply_can_grant(cap_mask_rights(RIGHTS_ALL, cap_reply_new(0x60, false))));
    CHECK_EQ(cap_paddr(cap_mask_rights(0, r)), 0x60);
    CHECK_EQ(cap_get_type(cap_mask_rights(0, r)), cap_reply_cap);
}

/* Upstream maskVMRights, restated. */
static enum vm_rights expected_vm(enum vm_rights have, unsigned int mask)
{
    bool r = mask & RIGHT_READ, w = mask & RIGHT_WRITE;
    if (!r) {
        return VM_KERNEL_ONLY; /* write-only mappings do not exist */
    }
    if (have == VM_READ_WRITE) {
        return w ? VM_READ_WRITE : VM_READ_ONLY;
    }
    return have;
}

TEST(mask_rights_frame_vm_rights)
{
    cap_t rw = cap_frame_new(0x40000000, FRAME_2M, VM_READ_WRITE, true, true, 9, 0x600000);
    CHECK_EQ(cap_frame_rights(cap_mask_rights(RIGHT_READ, rw)), VM_READ_ONLY);
    CHECK_EQ(cap_frame_rights(cap_mask_rights(RIGHT_WRITE, rw)), VM_KERNEL_ONLY);
    CHECK_EQ(cap_frame_rights(cap_mask_rights(RIGHT_READ | RIGHT_WRITE, rw)), VM_READ_WRITE);
    cap_t ro = cap_frame_new(0x40000000, FRAME_4K, VM_READ_ONLY, false, false, 0, 0);
    CHECK_EQ(cap_frame_rights(cap_mask_rights(RIGHT_WRITE, ro)), VM_KERNEL_ONLY);
    CHECK_EQ(cap_frame_rights(cap_mask_rights(RIGHT_READ | RIGHT_WRITE, ro)), VM_READ_ONLY);
    enum vm_rights all[] = {VM_KERNEL_ONLY, VM_READ_ONLY, VM_READ_WRITE};
    for (int i = 0; i < 3; i++) {
        for (unsigned int mask = 0; mask < 16; mask++) {
            cap_t f = cap_frame_new(0x40000000, FRAME_2M, all[i], true, true, 9, 0x600000);
            cap_t m = cap_mask_rights(mask, f);
            CHECK_EQ(cap_frame_rights(m), expected_vm(all[i], mask));
            /* Everything else about the frame cap, its mapping included, is kept. */
            CHECK_CAP_EQ(
                cap_frame_new(0x40000000, FRAME_2M, cap_frame_rights(m), true, true, 9, 0x600000),
                m);
        }
    }
}

TEST(mask_rights_others_unchanged)
{
    cap_t caps[] = {
        cap_untyped_new(0x100000, 16, true, 0x40),
        cap_cnode_new(0x8000, 4, 7, 0x55),
        cap_thread_new(0x4000),
        cap_sched_context_new(0x8000, 8),
        cap_sched_control_new(0),
        cap_irq_control_new(),
        cap_irq_handler_new(40),
        cap_zombie_new(0x4000, false, 3, 8),
        cap_domain_new(),
        cap_page_table_new(0x3000, true, 1, 0x200000),
        cap_vspace_new(0x3000, true, 1),
        cap_asid_pool_new(0x5000, 512),
        cap_asid_control_new(),
        cap_null(),
    };
    for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
        CHECK_CAP_EQ(cap_mask_rights(0, caps[i]), caps[i]);
        CHECK_CAP_EQ(cap_mask_rights(RIGHT_READ, caps[i]), caps[i]);
    }
}

/* ---- update_data ------------------------------------------------------------------------- */

TEST(update_data_badges)
{
    cap_t ep = cap_endpoint_new(0x1000, 0, RIGHT_WRITE | RIGHT_GRANT);
    cap_t b = cap_update_data(false, 0x1234, ep);
    CHECK_EQ(cap_get_type(b), cap_endpoint_cap);
    CHECK_EQ(cap_badge(b), 0x1234);
    CHECK_EQ(cap_rights(b), RIGHT_WRITE | RIGHT_GRANT);
    CHECK_EQ(cap_paddr(b), 0x1000);
    /* All 64 bits of the badge word are the badge (seL4_BadgeBits 64). */
    CHECK_EQ(cap_badge(cap_update_data(false, ~0ull, ep)), ~0ull);
    /* A badge is set once. */
    CHECK(cap_is_null(cap_update_data(false, 7, b)));
    /* Mutate and Rotate (preserve) may not badge, badged or not. */
    CHECK(cap_is_null(cap_update_data(true, 7, ep)));
    CHECK(cap_is_null(cap_update_data(true, 7, b)));
    CHECK(cap_is_null(cap_update_data(true, 0, ep)));

    cap_t nt = cap_notification_new(0x2000, 0, RIGHTS_ALL);
    cap_t nb = cap_update_data(false, 99, nt);
    CHECK_EQ(cap_get_type(nb), cap_notification_cap);
    CHECK_EQ(cap_badge(nb), 99);
    CHECK_EQ(cap_rights(nb), RIGHT_READ | RIGHT_WRITE);
    CHECK(cap_is_null(cap_update_data(false, 5, nb)));
    CHECK(cap_is_null(cap_update_data(true, 5, nt)));
    CHECK(cap_is_null(cap_update_data(true, 5, nb)));
}

static uint64_t guard_word(uint64_t guard, unsigned int size)
{
    return (guard << 6) | size; /* seL4_CNode_CapData: guard 63..6, guard size 5..0 */
}

TEST(update_data_cnode_guard)
{
    cap_t cn = cap_cnode_new(0x8000, 10, 0, 0);
    for (int preserve = 0; preserve < 2; preserve++) {
        cap_t g = cap_update_data(preserve, guard_word(0x15, 5), cn);
        CHECK_EQ(cap_get_type(g), cap_cnode_cap);
        CHECK_EQ(cap_cnode_guard(g), 0x15);
        CHECK_EQ(cap_cnode_guard_size(g), 5);
        CHECK_EQ(cap_cnode_radix(g), 10);
        CHECK_EQ(cap_paddr(g), 0x8000);
    }
    /* The guard is cut to its size. */
    cap_t g = cap_update_data(false, guard_word(0xff, 4), cn);
    CHECK_EQ(cap_cnode_guard(g), 0xf);
    CHECK_EQ(cap_cnode_guard_size(g), 4);
    g = cap_update_data(false, guard_word(0xff, 0), cn);
    CHECK_EQ(cap_cnode_guard(g), 0);
    CHECK_EQ(cap_cnode_guard_size(g), 0);
    /* A guard replaces the previous one. */
    g = cap_update_data(false, guard_word(2, 3), cap_cnode_new(0x8000, 10, 20, 0xabcde));
    CHECK_EQ(cap_cnode_guard(g), 2);
    CHECK_EQ(cap_cnode_guard_size(g), 3);
    /* Guard size + radix may reach 64 but not pass it. */
    g = cap_update_data(false, guard_word(0x3, 54), cn);
    CHECK_EQ(cap_get_type(g), cap_cnode_cap);
    CHECK_EQ(cap_cnode_guard_size(g), 54);
    CHECK_EQ(cap_cnode_guard(g), 0x3);
    CHECK(cap_is_null(cap_update_data(false, guard_word(0x3, 55), cn)));
    CHECK(cap_is_null(cap_update_data(true, guard_word(0, 63), cn)));
    /* The widest guard a word can carry: 58 bits with a radix-6 CNode. */
    g = cap_update_data(false, ~0ull << 6 | 58, cap_cnode_new(0x8000, 6, 0, 0));
    CHECK_EQ(cap_cnode_guard_size(g), 58);
    CHECK_EQ(cap_cnode_guard(g), (1ull << 58) - 1);
    /* A radix-0 CNode takes a 63-bit guard size; the guard has only 58 bits to give. */
    g = cap_update_data(false, ~0ull << 6 | 63, cap_cnode_new(0x8000, 0, 0, 0));
    CHECK_EQ(cap_cnode_guard_size(g), 63);
    CHECK_EQ(cap_cnode_guard(g), (1ull << 58) - 1);
}

TEST(update_data_others_unchanged)
{
    cap_t caps[] = {
        cap_untyped_new(0x100000, 16, false, 0),
        cap_thread_new(0x4000),
        cap_reply_new(0x20, true),
        cap_sched_context_new(0x8000, 8),
        cap_irq_handler_new(40),
        cap_irq_control_new(),
        cap_frame_new(0x40000000, FRAME_4K, VM_READ_WRITE, false, true, 1, 0x1000),
        cap_page_table_new(0x3000, true, 1, 0x200000),
        cap_vspace_new(0x3000, true, 1),
        cap_asid_pool_new(0x5000, 0),
        cap_domain_new(),
    };
    for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
        CHECK_CAP_EQ(cap_update_data(false, 0x5555, caps[i]), caps[i]);
        CHECK_CAP_EQ(cap_update_data(true, 0x5555, caps[i]), caps[i]);
    }
}

/* ---- derive (Table 3.2) ------------------------------------------------------------------ */

TEST(derive_never_copied)
{
    cap_t out = cap_endpoint_new(0x1000, 0, RIGHTS_ALL);
    CHECK_EQ(cap_derive(cap_zombie_new(0x4000, true, 0, 0), false, &out), DERIVE_OK);
    CHECK(cap_is_null(out));
    out = cap_endpoint_new(0x1000, 0, RIGHTS_ALL);
    CHECK_EQ(cap_derive(cap_irq_control_new(), false, &out), DERIVE_OK);
    CHECK(cap_is_null(out));
}

TEST(derive_untyped)
{
    cap_t ut = cap_untyped_new(0x100000, 16, true, 0x2000);
    cap_t out = cap_null();
    CHECK_EQ(cap_derive(ut, false, &out), DERIVE_OK);
    CHECK_CAP_EQ(out, ut);
    out = ut;
    CHECK_EQ(cap_derive(ut, true, &out), DERIVE_REVOKE_FIRST);
    CHECK(cap_is_null(out));
}

TEST(derive_tables_must_be_mapped)
{
    cap_t out = cap_endpoint_new(0x1000, 0, RIGHTS_ALL);
    CHECK_EQ(cap_derive(cap_page_table_new(0x3000, false, 0, 0), false, &out), DERIVE_ILLEGAL);
    CHECK(cap_is_null(out));
    out = cap_endpoint_new(0x1000, 0, RIGHTS_ALL);
    CHECK_EQ(cap_derive(cap_vspace_new(0x3000, false, 0), false, &out), DERIVE_ILLEGAL);
    CHECK(cap_is_null(out));
    cap_t pt = cap_page_table_new(0x3000, true, 3, 0x40000000);
    CHECK_EQ(cap_derive(pt, false, &out), DERIVE_OK);
    CHECK_CAP_EQ(out, pt);
    cap_t vs = cap_vspace_new(0x3000, true, 3);
    CHECK_EQ(cap_derive(vs, false, &out), DERIVE_OK);
    CHECK_CAP_EQ(out, vs);
}

TEST(derive_frame_comes_out_unmapped)
{
    enum frame_size sizes[] = {FRAME_4K, FRAME_2M, FRAME_1G};
    enum vm_rights rights[] = {VM_KERNEL_ONLY, VM_READ_ONLY, VM_READ_WRITE};
    for (int s = 0; s < 3; s++) {
        for (int r = 0; r < 3; r++) {
            for (int dev = 0; dev < 2; dev++) {
                cap_t f = cap_frame_new(0x80000000ull, sizes[s], rights[r], dev, true, 77,
                                        0x7f0000200000ull);
                cap_t out = cap_null();
                CHECK_EQ(cap_derive(f, false, &out), DERIVE_OK);
                CHECK_EQ(cap_get_type(out), cap_frame_cap);
                CHECK_EQ(cap_paddr(out), 0x80000000ull);
                CHECK_EQ(cap_frame_size(out), sizes[s]);
                CHECK_EQ(cap_frame_rights(out), rights[r]);
                CHECK_EQ(B(cap_frame_is_device(out)), dev);
                CHECK(!cap_vm_is_mapped(out));
                CHECK_EQ(cap_vm_asid(out), 0);
                CHECK_EQ(cap_vm_vaddr(out), 0);
                CHECK(cap_same_object_as(f, out));
            }
        }
    }
}

TEST(derive_others_copied_as_is)
{
    cap_t caps[] = {
        cap_endpoint_new(0x1000, 5, RIGHT_READ),
        cap_notification_new(0x2000, 0, RIGHTS_ALL),
        cap_cnode_new(0x8000, 4, 3, 5),
        cap_thread_new(0x4000),
        cap_reply_new(0x20, true), /* MCS reply objects can be copied (Table 3.2 is non-MCS) */
        cap_sched_context_new(0x8000, 8),
        cap_sched_control_new(0),
        cap_irq_handler_new(40),
        cap_domain_new(),
        cap_asid_control_new(),
        cap_asid_pool_new(0x5000, 0),
    };
    for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
        cap_t out = cap_null();
        CHECK_EQ(cap_derive(caps[i], true, &out), DERIVE_OK);
        CHECK_CAP_EQ(out, caps[i]);
    }
}
