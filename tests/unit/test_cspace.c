/* CSpace addressing: CPtr translation through hand-built CNodes (manual §3.3, Figure 3.3),
 * every lookup failure with its fields (manual §3.4) and their message encoding (ABI §4.2). */
#define CHECK_SUITE "cspace"
#include "check.h"

#include "kernel/cspace.h"

#include <stdint.h>

/* "Physical memory" for the CNodes: physical address = offset into the arena. */
#define RAM_SIZE (512 * 1024)
#define RAM_FIRST 0x1000 /* keep physical address 0 unused, as caps use it for "no object" */
#define SLOT_BITS 5      /* seL4_SlotBits */

static uint8_t ram[RAM_SIZE] __attribute__((aligned(4096)));
static uint64_t ram_next = RAM_FIRST;
uintptr_t host_test_ram_base;

__attribute__((constructor)) static void ram_init(void)
{
    host_test_ram_base = (uintptr_t)ram;
}

/* A zeroed CNode of 2^radix empty slots, aligned to its size as Retype would place it. */
static uint64_t cnode_alloc(unsigned int radix)
{
    uint64_t size = 1ull << (radix + SLOT_BITS);
    uint64_t pa = (ram_next + size - 1) & ~(size - 1);
    if (pa + size > RAM_SIZE) {
        fprintf(stderr, "test_cspace: arena too small\n");
        abort();
    }
    ram_next = pa + size;
    memset(ram + pa, 0, size);
    return pa;
}

static cte_t *slots(uint64_t pa)
{
    return ptr_from_paddr(pa);
}

/* A non-CNode cap told apart by its badge; its object is never touched. */
static cap_t marker(uint64_t id)
{
    return cap_endpoint_new(0x100, id, RIGHTS_ALL);
}

/* Poison so that a field the code under test forgets to set shows up. */
static struct lookup_fault poisoned_fault(void)
{
    struct lookup_fault f;
    memset(&f, 0xa5, sizeof(f));
    return f;
}

#define CHECK_FAULT(f, t, left, found, guard)                                                      \
    do {                                                                                           \
        CHECK_EQ((f).type, (t));                                                                   \
        CHECK_EQ((f).bits_left, (left));                                                           \
        CHECK_EQ((f).bits_found, (found));                                                         \
        CHECK_EQ((f).guard_found, (guard));                                                        \
    } while (0)

/* Translation succeeds at `expect` with `left` bits untranslated. */
#define CHECK_RESOLVES(root, cptr, depth, expect, left)                                            \
    do {                                                                                           \
        cte_t *check_slot_ = NULL;                                                                 \
        unsigned int check_left_ = 12345;                                                          \
        struct lookup_fault check_f_ = poisoned_fault();                                           \
        CHECK(cspace_resolve((root), (cptr), (depth), &check_slot_, &check_left_, &check_f_));     \
        CHECK_PTR_EQ(check_slot_, (expect));                                                       \
        CHECK_EQ(check_left_, (left));                                                             \
    } while (0)

/* Translation fails; the fault is left in `f`. */
#define CHECK_RESOLVE_FAILS(root, cptr, depth, f)                                                  \
    do {                                                                                           \
        cte_t *check_slot_ = (cte_t *)1;                                                           \
        unsigned int check_left_;                                                                  \
        (f) = poisoned_fault();                                                                    \
        CHECK(!cspace_resolve((root), (cptr), (depth), &check_slot_, &check_left_, &(f)));         \
        CHECK_PTR_EQ(check_slot_, NULL);                                                           \
    } while (0)

#define CHECK_LOOKUP(root, cptr, expect)                                                           \
    do {                                                                                           \
        cte_t *check_slot_ = NULL;                                                                 \
        struct lookup_fault check_f_ = poisoned_fault();                                           \
        CHECK(cspace_lookup_slot((root), (cptr), &check_slot_, &check_f_));                        \
        CHECK_PTR_EQ(check_slot_, (expect));                                                       \
    } while (0)

#define CHECK_LOOKUP_FAILS(root, cptr, f)                                                          \
    do {                                                                                           \
        cte_t *check_slot_ = (cte_t *)1;                                                           \
        (f) = poisoned_fault();                                                                    \
        CHECK(!cspace_lookup_slot((root), (cptr), &check_slot_, &(f)));                            \
        CHECK_PTR_EQ(check_slot_, NULL);                                                           \
    } while (0)

#define CHECK_CNODE_OP(root, index, depth, expect)                                                 \
    do {                                                                                           \
        cte_t *check_slot_ = NULL;                                                                 \
        struct lookup_fault check_f_ = poisoned_fault();                                           \
        CHECK_EQ(                                                                                  \
            cspace_lookup_slot_for_cnode_op((root), (index), (depth), &check_slot_, &check_f_),    \
            CSPACE_OK);                                                                            \
        CHECK_PTR_EQ(check_slot_, (expect));                                                       \
    } while (0)

#define CHECK_CNODE_OP_FAILS(root, index, depth, status, f)                                        \
    do {                                                                                           \
        cte_t *check_slot_ = (cte_t *)1;                                                           \
        (f) = poisoned_fault();                                                                    \
        CHECK_EQ(cspace_lookup_slot_for_cnode_op((root), (index), (depth), &check_slot_, &(f)),    \
                 (status));                                                                        \
        CHECK_PTR_EQ(check_slot_, NULL);                                                           \
    } while (0)

/*
 * The CSpace of the manual's Figure 3.3. L1: 4-bit guard 0, radix 8; Cap A at L1[0x60],
 * the L2 CNode cap at L1[0x0F]. L2: 4-bit guard 0, radix 8; Cap B at L2[0x60], the L3 CNode
 * cap at L2[0x00]. L3: no guard, radix 8; Caps C..G at L3[0x60..0x64].
 *
 * The manual's addresses are 32 bits wide. Two root caps to the same L1 CNode cover them:
 *  - root32 is the figure's root cap unchanged (4-bit guard); passing depth 32 to
 *    cspace_resolve reproduces the manual's 32-bit translation exactly, and CNode-method
 *    depths (12 for L2, 24 for L3) are the manual's.
 *  - root64 has a 36-bit guard of 0: the upper 32 bits of a 64-bit CPtr join the root's
 *    guard, so the thread lookup (depth 64) takes the manual's 32-bit addresses as they are.
 *    A CNode-method depth then grows by 32 (L2 cap: 12 -> 44, L3 cap: 24 -> 56), and the
 *    32 added low-order bits must be 0: "0xnnnnn00F at depth 12" becomes
 *    "0xnnnnn0000000000F at depth 44", "0xnn00F000 at depth 24" becomes
 *    "0xnn0000000000F000 at depth 56".
 */
enum { CAP_A = 0xa, CAP_B = 0xb, CAP_C = 0xc, CAP_RANGE = 5 };
#define FIG_RADIX 8
#define FIG_GUARD_BITS 4
#define WORD_EXTRA_BITS 32 /* 64-bit CPtr versus the manual's 32-bit ones */

struct fig33 {
    cte_t *l1, *l2, *l3;
    cap_t root32, root64;
};

static struct fig33 fig33_build(void)
{
    struct fig33 f;
    uint64_t l1 = cnode_alloc(FIG_RADIX), l2 = cnode_alloc(FIG_RADIX);
    uint64_t l3 = cnode_alloc(FIG_RADIX);
    f.l1 = slots(l1);
    f.l2 = slots(l2);
    f.l3 = slots(l3);
    f.l1[0x60].cap = marker(CAP_A);
    f.l1[0x0f].cap = cap_cnode_new(l2, FIG_RADIX, FIG_GUARD_BITS, 0);
    f.l2[0x60].cap = marker(CAP_B);
    f.l2[0x00].cap = cap_cnode_new(l3, FIG_RADIX, 0, 0);
    for (unsigned int i = 0; i < CAP_RANGE; i++) {
        f.l3[0x60 + i].cap = marker(CAP_C + i);
    }
    f.root32 = cap_cnode_new(l1, FIG_RADIX, FIG_GUARD_BITS, 0);
    f.root64 = cap_cnode_new(l1, FIG_RADIX, FIG_GUARD_BITS + WORD_EXTRA_BITS, 0);
    return f;
}

TEST(fig33_thread_lookup)
{
    struct fig33 f = fig33_build();
    /* Cap A: 0x060nnnnn, translation ends after 12 bits with 20 left. */
    CHECK_LOOKUP(f.root64, 0x06000000, &f.l1[0x60]);
    CHECK_LOOKUP(f.root64, 0x060abcde, &f.l1[0x60]);
    CHECK_RESOLVES(f.root64, 0x060fffff, 64, &f.l1[0x60], 20);
    /* Cap B: 0x00F06000, 24 bits translated, 8 left. */
    CHECK_LOOKUP(f.root64, 0x00f06000, &f.l2[0x60]);
    CHECK_RESOLVES(f.root64, 0x00f060ff, 64, &f.l2[0x60], 8);
    /* Cap C: 0x00F00060, nothing left. */
    CHECK_LOOKUP(f.root64, 0x00f00060, &f.l3[0x60]);
    CHECK_RESOLVES(f.root64, 0x00f00060, 64, &f.l3[0x60], 0);
    /* Caps C..G: consecutive addresses from 0x00F00060, window 5. */
    for (unsigned int i = 0; i < CAP_RANGE; i++) {
        cte_t *s = NULL;
        struct lookup_fault fl;
        CHECK(cspace_lookup_slot(f.root64, 0x00f00060 + i, &s, &fl));
        CHECK_PTR_EQ(s, &f.l3[0x60] + i);
        CHECK_EQ(cap_badge(s->cap), CAP_C + i);
    }
}

TEST(fig33_manual_32bit_addresses)
{
    struct fig33 f = fig33_build();
    CHECK_RESOLVES(f.root32, 0x06000000, 32, &f.l1[0x60], 20);
    CHECK_RESOLVES(f.root32, 0x060fffff, 32, &f.l1[0x60], 20);
    CHECK_RESOLVES(f.root32, 0x00f06000, 32, &f.l2[0x60], 8);
    CHECK_RESOLVES(f.root32, 0x00f00060, 32, &f.l3[0x60], 0);
    CHECK_RESOLVES(f.root32, 0x00f00064, 32, &f.l3[0x64], 0);
    /* Only the low 32 bits take part at depth 32. */
    CHECK_RESOLVES(f.root32, 0xffffffff00f00060ull, 32, &f.l3[0x60], 0);
    /* L2 CNode cap: 0xnnnnn00F at depth 12; L3 CNode cap: 0xnn00F000 at depth 24. */
    CHECK_CNODE_OP(f.root32, 0x0000000f, 12, &f.l1[0x0f]);
    CHECK_CNODE_OP(f.root32, 0xabcde00f, 12, &f.l1[0x0f]);
    CHECK_CNODE_OP(f.root32, 0x0000f000, 24, &f.l2[0x00]);
    CHECK_CNODE_OP(f.root32, 0xab00f000, 24, &f.l2[0x00]);
    CHECK_CNODE_OP(f.root32, 0x00f00060, 32, &f.l3[0x60]);
    /* At depth 32 the L2 cap's address goes on through L2 and L3 instead. */
    CHECK_RESOLVES(f.root32, 0x00f00000, 32, &f.l3[0x00], 0);
}

TEST(fig33_cnode_op_64bit)
{
    struct fig33 f = fig33_build();
    struct lookup_fault fl;
    CHECK_CNODE_OP(f.root64, 0x000000000000000full, 44, &f.l1[0x0f]);
    CHECK_CNODE_OP(f.root64, 0xfffff0000000000full, 44, &f.l1[0x0f]);
    CHECK_CNODE_OP(f.root64, 0xab0000000000f000ull, 56, &f.l2[0x00]);
    CHECK_CNODE_OP(f.root64, 0x00f00060, 64, &f.l3[0x60]);
    /* The manual's depth 12 is now shorter than the 36-bit root guard. */
    CHECK_CNODE_OP_FAILS(f.root64, 0x00f, 12, CSPACE_LOOKUP_FAULT, fl);
    CHECK_FAULT(fl, LOOKUP_FAULT_GUARD_MISMATCH, 12, 36, 0);
    /* Cap A with all 64 bits: it is no CNode and 20 bits are left over. */
    CHECK_CNODE_OP_FAILS(f.root64, 0x06000000, 64, CSPACE_LOOKUP_FAULT, fl);
    CHECK_FAULT(fl, LOOKUP_FAULT_DEPTH_MISMATCH, 20, 0, 0);
    CHECK_CNODE_OP_FAILS(f.root64, 0x00f06000, 64, CSPACE_LOOKUP_FAULT, fl);
    CHECK_FAULT(fl, LOOKUP_FAULT_DEPTH_MISMATCH, 8, 0, 0);
}

TEST(invalid_root)
{
    cap_t roots[] = {cap_null(), marker(1), cap_untyped_new(0x2000, 12, false, 0)};
    for (unsigned int i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
        struct lookup_fault fl;
        CHECK_RESOLVE_FAILS(roots[i], 0, 64, fl);
        CHECK_FAULT(fl, LOOKUP_FAULT_INVALID_ROOT, 0, 0, 0);
        CHECK_LOOKUP_FAILS(roots[i], 5, fl);
        CHECK_FAULT(fl, LOOKUP_FAULT_INVALID_ROOT, 0, 0, 0);
        cte_t *s = (cte_t *)1;
        fl = poisoned_fault();
        CHECK(!cspace_lookup_slot_raw(roots[i], 5, &s, &fl));
        CHECK_PTR_EQ(s, NULL);
        CHECK_FAULT(fl, LOOKUP_FAULT_INVALID_ROOT, 0, 0, 0);
        CHECK_CNODE_OP_FAILS(roots[i], 5, 64, CSPACE_LOOKUP_FAULT, fl);
        CHECK_FAULT(fl, LOOKUP_FAULT_INVALID_ROOT, 0, 0, 0);
        /* The root is checked before the depth (upstream order). */
        CHECK_CNODE_OP_FAILS(roots[i], 5, 0, CSPACE_LOOKUP_FAULT, fl);
        CHECK_FAULT(fl, LOOKUP_FAULT_INVALID_ROOT, 0, 0, 0);
    }
}

TEST(guard_mismatch_fields)
{
    struct fig33 f = fig33_build();
    struct lookup_fault fl;
    /* A bit set in the upper 32 bits fails the 36-bit root guard. */
    CHECK_LOOKUP_FAILS(f.root64, 1ull << 40, fl);
    CHECK_FAULT(fl, LOOKUP_FAULT_GUARD_MISMATCH, 64, 36, 0);
    /* A non-zero guard is reported as stored in the cap. */
    cap_t guarded = cap_cnode_new(paddr_from_ptr(f.l1), FIG_RADIX, FIG_GUARD_BITS, 0x5);
    CHECK_RESOLVE_FAILS(guarded, 0x00f06000, 32, fl);
    CHECK_FAULT(fl, LOOKUP_FAULT_GUARD_MISMATCH, 32, 4, 0x5);
    CHECK_RESOLVES(guarded, 0x50f06000, 32, &f.l2[0x60], 8);
    /* At the second level: L2's guard nibble is 1 with 20 bits left. */
    CHECK_LOOKUP_FAILS(f.root64, 0x00f16000, fl);
    CHECK_FAULT(fl, LOOKUP_FAULT_GUARD_MISMATCH, 20, 4, 0);
    /* Fewer bits left than the guard is wide. */
    CHECK_RESOLVE_FAILS(f.root32, 0, 3, fl);
    CHECK_FAULT(fl, LOOKUP_FAULT_GUARD_MISMATCH, 3, 4, 0);
}

TEST(depth_mismatch_fields)
{
    struct fig33 f = fig33_build();
    struct lookup_fault fl;
    /* The guard fits in 10 bits but guard + radix = 12 does not. */
    CHECK_RESOLVE_FAILS(f.root32, 0, 10, fl);
    CHECK_FAULT(fl, LOOKUP_FAULT_DEPTH_MISMATCH, 10, 12, 0);
    /* 16 bits: L1 takes 12, reaches the L2 CNode cap, which needs 12 of the 4 left. */
    CHECK_RESOLVE_FAILS(f.root32, 0x00f0, 16, fl);
    CHECK_FAULT(fl, LOOKUP_FAULT_DEPTH_MISMATCH, 4, 12, 0);
    /* The CNode-method variant for bits left over at a non-CNode cap. */
    CHECK_CNODE_OP_FAILS(f.root32, 0x060, 16, CSPACE_LOOKUP_FAULT, fl);
    CHECK_FAULT(fl, LOOKUP_FAULT_DEPTH_MISMATCH, 4, 0, 0);
}

TEST(missing_capability)
{
    struct fig33 f = fig33_build();
    struct lookup_fault fl;
    /* L1[0x10] is empty with 20 bits left. */
    CHECK_LOOKUP_FAILS(f.root64, 0x01000000, fl);
    CHECK_FAULT(fl, LOOKUP_FAULT_MISSING_CAPABILITY, 20, 0, 0);
    /* L2[0x70] is empty with 8 bits left. */
    CHECK_LOOKUP_FAILS(f.root64, 0x00f07000, fl);
    CHECK_FAULT(fl, LOOKUP_FAULT_MISSING_CAPABILITY, 8, 0, 0);
    /* L3[0x70] is empty and the whole address was used. */
    CHECK_LOOKUP_FAILS(f.root64, 0x00f00070, fl);
    CHECK_FAULT(fl, LOOKUP_FAULT_MISSING_CAPABILITY, 0, 0, 0);
    /* The raw lookup (upstream lookupSlot) hands back the empty slot. */
    cte_t *s = NULL;
    CHECK(cspace_lookup_slot_raw(f.root64, 0x00f00070, &s, &fl));
    CHECK_PTR_EQ(s, &f.l3[0x70]);
    CHECK(cspace_lookup_slot_raw(f.root64, 0x01000000, &s, &fl));
    CHECK_PTR_EQ(s, &f.l1[0x10]);
    /* CNode methods may name empty slots: they are destinations. */
    CHECK_CNODE_OP(f.root64, 0x00f00070, 64, &f.l3[0x70]);
}

TEST(cnode_op_depth_limits)
{
    uint64_t pa = cnode_alloc(1);
    cte_t *s1 = slots(pa);
    cap_t one_bit = cap_cnode_new(pa, 1, 0, 0);
    struct lookup_fault fl;

    CHECK_CNODE_OP_FAILS(one_bit, 0, 0, CSPACE_RANGE_ERROR, fl);
    CHECK_EQ(fl.bits_left, 0xa5a5a5a5u); /* a range error leaves the fault alone */
    CHECK_EQ(fl.guard_found, 0xa5a5a5a5a5a5a5a5ull);
    CHECK_CNODE_OP_FAILS(one_bit, 0, 65, CSPACE_RANGE_ERROR, fl);
    CHECK_EQ(fl.bits_left, 0xa5a5a5a5u);
    CHECK_CNODE_OP_FAILS(one_bit, 0, ~0u, CSPACE_RANGE_ERROR, fl);
    CHECK_EQ(CSPACE_DEPTH_MIN, 1);
    CHECK_EQ(CSPACE_DEPTH_MAX, 64);

    /* Depth 1: only the lowest bit of the index counts. */
    CHECK_CNODE_OP(one_bit, 1, 1, &s1[1]);
    CHECK_CNODE_OP(one_bit, 0, 1, &s1[0]);
    CHECK_CNODE_OP(one_bit, 0xfffffffffffffffeull, 1, &s1[0]);
    /* Depth 1 against the figure's 4-bit root guard. */
    struct fig33 f = fig33_build();
    CHECK_CNODE_OP_FAILS(f.root32, 0, 1, CSPACE_LOOKUP_FAULT, fl);
    CHECK_FAULT(fl, LOOKUP_FAULT_GUARD_MISMATCH, 1, 4, 0);

    /* Depth 64: the top bit picks the slot and, the slot holding no CNode, 63 bits are
     * left over. */
    CHECK_CNODE_OP_FAILS(one_bit, 1ull << 63, 64, CSPACE_LOOKUP_FAULT, fl);
    CHECK_FAULT(fl, LOOKUP_FAULT_DEPTH_MISMATCH, 63, 0, 0);
    uint64_t rt = cnode_alloc(12);
    cap_t root_task = cap_cnode_new(rt, 12, 52, 0);
    CHECK_CNODE_OP(root_task, 5, 64, &slots(rt)[5]);
}

TEST(resolve_depth_zero_and_over_64)
{
    struct fig33 f = fig33_build();
    struct lookup_fault fl;
    /* No guard: the radix does not fit in 0 bits. */
    cap_t no_guard = cap_cnode_new(paddr_from_ptr(f.l1), FIG_RADIX, 0, 0);
    CHECK_RESOLVE_FAILS(no_guard, 0, 0, fl);
    CHECK_FAULT(fl, LOOKUP_FAULT_DEPTH_MISMATCH, 0, 8, 0);
    /* With a guard, upstream checks the guard first: GuardMismatch, not DepthMismatch. */
    CHECK_RESOLVE_FAILS(f.root32, 0, 0, fl);
    CHECK_FAULT(fl, LOOKUP_FAULT_GUARD_MISMATCH, 0, 4, 0);
    /* More than a word: refused rather than read past bit 63. */
    CHECK_RESOLVE_FAILS(f.root64, 0, 65, fl);
    CHECK_FAULT(fl, LOOKUP_FAULT_DEPTH_MISMATCH, 65, 0, 0);
}

TEST(guard_size_zero)
{
    uint64_t pa = cnode_alloc(6);
    cte_t *s = slots(pa);
    cap_t root = cap_cnode_new(pa, 6, 0, 0);
    s[42].cap = marker(42);
    CHECK_RESOLVES(root, 0x2a, 6, &s[42], 0);
    CHECK_CNODE_OP(root, 0x2a, 6, &s[42]);
    /* All 64 bits: the index is the top 6, and 58 are left after a non-CNode cap. */
    CHECK_LOOKUP(root, 42ull << 58, &s[42]);
    CHECK_RESOLVES(root, (42ull << 58) | 0x123, 64, &s[42], 58);
    struct lookup_fault fl;
    CHECK_LOOKUP_FAILS(root, 0x2a, fl); /* the top 6 bits are 0: slot 0, empty */
    CHECK_FAULT(fl, LOOKUP_FAULT_MISSING_CAPABILITY, 58, 0, 0);
}

TEST(guard_fills_rest_of_word)
{
    const uint64_t guard = 0xabcde12345678ull; /* 52 bits */
    uint64_t pa = cnode_alloc(12);
    cte_t *s = slots(pa);
    cap_t root = cap_cnode_new(pa, 12, 52, guard);
    s[5].cap = marker(5);
    CHECK_LOOKUP(root, (guard << 12) | 5, &s[5]);
    CHECK_RESOLVES(root, (guard << 12) | 5, 64, &s[5], 0);
    struct lookup_fault fl;
    CHECK_LOOKUP_FAILS(root, ((guard << 12) | 5) ^ (1ull << 63), fl);
    CHECK_FAULT(fl, LOOKUP_FAULT_GUARD_MISMATCH, 64, 52, guard);
    CHECK_LOOKUP_FAILS(root, ((guard << 12) | 5) ^ (1ull << 12), fl);
    CHECK_FAULT(fl, LOOKUP_FAULT_GUARD_MISMATCH, 64, 52, guard);

    /* The field can hold a guard as wide as the word (radix 0 cannot be created, but the
     * mask must still be right). */
    const uint64_t wide = 0xfedcba9876543210ull;
    uint64_t pa0 = cnode_alloc(0);
    cap_t whole = cap_cnode_new(pa0, 0, 64, wide);
    CHECK_RESOLVES(whole, wide, 64, slots(pa0), 0);
    CHECK_RESOLVE_FAILS(whole, wide ^ 1, 64, fl);
    CHECK_FAULT(fl, LOOKUP_FAULT_GUARD_MISMATCH, 64, 64, wide);
}

TEST(guard_spanning_many_bits)
{
    const uint64_t g1 = 0xa5a5a5a5a5ull; /* 40-bit root guard */
    const uint64_t g2 = 0x7e;            /* 8-bit second-level guard */
    uint64_t p1 = cnode_alloc(8), p2 = cnode_alloc(8);
    cte_t *s1 = slots(p1), *s2 = slots(p2);
    cap_t root = cap_cnode_new(p1, 8, 40, g1);
    s1[0x33].cap = cap_cnode_new(p2, 8, 8, g2);
    s2[0x12].cap = marker(0x12);
    const uint64_t cptr = (g1 << 24) | (0x33ull << 16) | (g2 << 8) | 0x12;
    CHECK_LOOKUP(root, cptr, &s2[0x12]);
    struct lookup_fault fl;
    for (unsigned int bit = 24; bit < 64; bit++) {
        CHECK_LOOKUP_FAILS(root, cptr ^ (1ull << bit), fl);
        CHECK_FAULT(fl, LOOKUP_FAULT_GUARD_MISMATCH, 64, 40, g1);
    }
    for (unsigned int bit = 8; bit < 16; bit++) {
        CHECK_LOOKUP_FAILS(root, cptr ^ (1ull << bit), fl);
        CHECK_FAULT(fl, LOOKUP_FAULT_GUARD_MISMATCH, 16, 8, g2);
    }
}

TEST(root_task_layout)
{
    /* The initial thread's CSpace: radix 12, a 52-bit guard of 0, so cptr n is slot n. */
    uint64_t pa = cnode_alloc(12);
    cte_t *s = slots(pa);
    cap_t root = cap_cnode_new(pa, 12, 52, 0);
    s[5].cap = marker(5);
    s[4095].cap = marker(4095);
    CHECK_LOOKUP(root, 5, &s[5]);
    CHECK_LOOKUP(root, 4095, &s[4095]);
    struct lookup_fault fl;
    CHECK_LOOKUP_FAILS(root, 1ull << 12, fl);
    CHECK_FAULT(fl, LOOKUP_FAULT_GUARD_MISMATCH, 64, 52, 0);
    CHECK_LOOKUP_FAILS(root, (1ull << 63) | 5, fl);
    CHECK_FAULT(fl, LOOKUP_FAULT_GUARD_MISMATCH, 64, 52, 0);
    CHECK_LOOKUP_FAILS(root, 6, fl);
    CHECK_FAULT(fl, LOOKUP_FAULT_MISSING_CAPABILITY, 0, 0, 0);
}

TEST(two_level_non_cnode_with_bits_left)
{
    uint64_t p1 = cnode_alloc(4), p2 = cnode_alloc(4);
    cte_t *s1 = slots(p1), *s2 = slots(p2);
    cap_t root = cap_cnode_new(p1, 4, 0, 0);
    s1[2].cap = cap_cnode_new(p2, 4, 4, 0x9);
    s1[3].cap = marker(3);
    s2[7].cap = marker(7);
    const uint64_t cptr = (0x2ull << 60) | (0x9ull << 56) | (0x7ull << 52) | 0xbeef;
    CHECK_LOOKUP(root, cptr, &s2[7]);
    CHECK_RESOLVES(root, cptr, 64, &s2[7], 52);
    CHECK_LOOKUP(root, (0x3ull << 60) | 0x123456789, &s1[3]);
    CHECK_RESOLVES(root, 0x3ull << 60, 64, &s1[3], 60);
    struct lookup_fault fl;
    CHECK_CNODE_OP_FAILS(root, cptr, 64, CSPACE_LOOKUP_FAULT, fl);
    CHECK_FAULT(fl, LOOKUP_FAULT_DEPTH_MISMATCH, 52, 0, 0);
    /* The same cap named with the exact depth. */
    CHECK_CNODE_OP(root, 0x297, 12, &s2[7]);
    /* Depth 4 stops at the CNode cap itself. */
    CHECK_CNODE_OP(root, 0x2, 4, &s1[2]);
}

TEST(cycles_terminate)
{
    struct lookup_fault fl;
    /* Radix 4, slot 3 holds a cap to the CNode itself: 16 levels of 4 bits. */
    uint64_t p4 = cnode_alloc(4);
    cte_t *s4 = slots(p4);
    s4[3].cap = cap_cnode_new(p4, 4, 0, 0);
    CHECK_RESOLVES(s4[3].cap, 0x3333333333333333ull, 64, &s4[3], 0);
    CHECK_LOOKUP(s4[3].cap, 0x3333333333333333ull, &s4[3]);
    CHECK_LOOKUP_FAILS(s4[3].cap, 0x3333333333333335ull, fl);
    CHECK_FAULT(fl, LOOKUP_FAULT_MISSING_CAPABILITY, 0, 0, 0);

    /* Radix 1: 64 levels of one bit. */
    uint64_t p1 = cnode_alloc(1);
    cte_t *s1 = slots(p1);
    s1[1].cap = cap_cnode_new(p1, 1, 0, 0);
    CHECK_RESOLVES(s1[1].cap, ~0ull, 64, &s1[1], 0);

    /* Radix 3 does not divide 64: 21 levels, then 1 bit left for a 3-bit level. */
    uint64_t p3 = cnode_alloc(3);
    cte_t *s3 = slots(p3);
    s3[7].cap = cap_cnode_new(p3, 3, 0, 0);
    CHECK_RESOLVE_FAILS(s3[7].cap, ~0ull, 64, fl);
    CHECK_FAULT(fl, LOOKUP_FAULT_DEPTH_MISMATCH, 1, 3, 0);

    /* A cycle through a guard: radix 2, guard 0b10 of 2 bits, itself at slot 1. */
    uint64_t pg = cnode_alloc(2);
    cte_t *sg = slots(pg);
    sg[1].cap = cap_cnode_new(pg, 2, 2, 0x2);
    CHECK_RESOLVES(sg[1].cap, 0x9999999999999999ull, 64, &sg[1], 0);

    /* Corrupt state: a CNode cap that resolves no bits at all, reached at the root and
     * through another CNode. It must fail, not spin. */
    uint64_t p0 = cnode_alloc(0);
    cte_t *s0 = slots(p0);
    s0[0].cap = cap_cnode_new(p0, 0, 0, 0);
    CHECK_RESOLVE_FAILS(s0[0].cap, 0, 64, fl);
    CHECK_FAULT(fl, LOOKUP_FAULT_DEPTH_MISMATCH, 64, 0, 0);
    s4[0].cap = s0[0].cap;
    CHECK_RESOLVE_FAILS(s4[3].cap, 0, 64, fl);
    CHECK_FAULT(fl, LOOKUP_FAULT_DEPTH_MISMATCH, 60, 0, 0);
}

TEST(hostile_cap_fields)
{
    uint64_t pa = cnode_alloc(8);
    struct lookup_fault fl;
    /* The guard-size field is 7 bits wide; anything above 64 cannot match. */
    cap_t huge = cap_cnode_new(pa, 8, 127, 0);
    CHECK_EQ(cap_cnode_guard_size(huge), 127);
    CHECK_RESOLVE_FAILS(huge, 0, 64, fl);
    CHECK_FAULT(fl, LOOKUP_FAULT_GUARD_MISMATCH, 64, 127, 0);
    /* A guard with bits above its size never matches (the whole field is compared). */
    cap_t dirty = cap_cnode_new(pa, 8, 4, 0x15);
    CHECK_RESOLVE_FAILS(dirty, 0x5ull << 60, 64, fl);
    CHECK_FAULT(fl, LOOKUP_FAULT_GUARD_MISMATCH, 64, 4, 0x15);
}

TEST(encode_all_types)
{
    uint64_t mr[LOOKUP_FAULT_MAX_WORDS];
    const uint64_t untouched = 0x5a5a5a5a5a5a5a5aull;

    struct lookup_fault f = {.type = LOOKUP_FAULT_INVALID_ROOT};
    for (unsigned int i = 0; i < LOOKUP_FAULT_MAX_WORDS; i++) {
        mr[i] = untouched;
    }
    CHECK_EQ(lookup_fault_encode(&f, mr), 1);
    CHECK_EQ(mr[0], 1); /* seL4_InvalidRoot */
    CHECK_EQ(mr[1], untouched);

    f = (struct lookup_fault){.type = LOOKUP_FAULT_MISSING_CAPABILITY, .bits_left = 7};
    mr[2] = untouched;
    CHECK_EQ(lookup_fault_encode(&f, mr), 2);
    CHECK_EQ(mr[0], 2); /* seL4_MissingCapability */
    CHECK_EQ(mr[1], 7);
    CHECK_EQ(mr[2], untouched);

    f = (struct lookup_fault){
        .type = LOOKUP_FAULT_DEPTH_MISMATCH, .bits_left = 20, .bits_found = 12};
    mr[3] = untouched;
    CHECK_EQ(lookup_fault_encode(&f, mr), 3);
    CHECK_EQ(mr[0], 3); /* seL4_DepthMismatch */
    CHECK_EQ(mr[1], 20);
    CHECK_EQ(mr[2], 12);
    CHECK_EQ(mr[3], untouched);

    f = (struct lookup_fault){.type = LOOKUP_FAULT_GUARD_MISMATCH,
                              .bits_left = 64,
                              .bits_found = 36,
                              .guard_found = 0xabcdef0123ull};
    CHECK_EQ(lookup_fault_encode(&f, mr), 4);
    CHECK_EQ(mr[0], 4); /* seL4_GuardMismatch */
    CHECK_EQ(mr[1], 64);
    CHECK_EQ(mr[2], 0xabcdef0123ull); /* GuardFound before BitsFound */
    CHECK_EQ(mr[3], 36);
}

TEST(encode_a_real_fault)
{
    struct fig33 f = fig33_build();
    struct lookup_fault fl;
    uint64_t mr[LOOKUP_FAULT_MAX_WORDS];
    CHECK_LOOKUP_FAILS(f.root64, 1ull << 40, fl);
    CHECK_EQ(lookup_fault_encode(&fl, mr), 4);
    CHECK_EQ(mr[0], 4);
    CHECK_EQ(mr[1], 64);
    CHECK_EQ(mr[2], 0);
    CHECK_EQ(mr[3], 36);
    CHECK_LOOKUP_FAILS(f.root64, 0x00f07000, fl);
    CHECK_EQ(lookup_fault_encode(&fl, mr), 2);
    CHECK_EQ(mr[0], 2);
    CHECK_EQ(mr[1], 8);
}
