/* Boot-time physical memory regions: adding, carving, aligned allocation and the
 * power-of-two split into untypeds. */
#define CHECK_SUITE "boot_mem"
#include "check.h"

#include "kernel/boot_mem.h"

#include <stdint.h>

static void add(struct region_list *l, uint64_t s, uint64_t e)
{
    CHECK(region_list_add(l, s, e));
}

TEST(add_keeps_sorted_and_merges)
{
    struct region_list l = {0};
    add(&l, 0x3000, 0x4000);
    add(&l, 0x1000, 0x2000);
    CHECK_EQ(l.count, 2);
    CHECK_EQ(l.r[0].start, 0x1000);
    add(&l, 0x2000, 0x3000); /* touches both: one region */
    CHECK_EQ(l.count, 1);
    CHECK_EQ(l.r[0].start, 0x1000);
    CHECK_EQ(l.r[0].end, 0x4000);
    add(&l, 0x800, 0x5000); /* swallows it */
    CHECK_EQ(l.count, 1);
    CHECK_EQ(region_list_total(&l), 0x4800);
    add(&l, 0x9000, 0x9000); /* empty: ignored */
    CHECK_EQ(l.count, 1);
}

TEST(remove_splits_trims_and_deletes)
{
    struct region_list l = {0};
    add(&l, 0x0, 0x10000);
    CHECK(region_list_remove(&l, 0x4000, 0x5000));
    CHECK_EQ(l.count, 2);
    CHECK_EQ(l.r[0].end, 0x4000);
    CHECK_EQ(l.r[1].start, 0x5000);
    CHECK(region_list_remove(&l, 0x0, 0x1000)); /* trims the front */
    CHECK_EQ(l.r[0].start, 0x1000);
    CHECK(region_list_remove(&l, 0xf000, 0x20000)); /* trims the back, past the end */
    CHECK_EQ(l.r[1].end, 0xf000);
    CHECK(region_list_remove(&l, 0x0, 0x4800)); /* deletes the first entirely */
    CHECK_EQ(l.count, 1);
    CHECK_EQ(region_list_total(&l), 0xa000);
    CHECK(region_list_remove(&l, 0x0, 0x100000));
    CHECK_EQ(l.count, 0);
}

TEST(list_full_is_reported)
{
    struct region_list l = {0};
    for (unsigned int i = 0; i < BOOT_MAX_REGIONS; i++) {
        add(&l, i * 0x2000ull, i * 0x2000ull + 0x1000);
    }
    CHECK(!region_list_add(&l, 0x100000, 0x101000));
    /* A split would need one more slot. */
    CHECK(!region_list_remove(&l, 0x400, 0x800));
    CHECK_EQ(l.count, BOOT_MAX_REGIONS);
}

TEST(alloc_is_aligned_and_removed)
{
    struct region_list l = {0};
    add(&l, 0x1000, 0x40000);
    uint64_t a = 0, b = 0;
    CHECK(region_list_alloc(&l, 16, &a)); /* 64 KiB, aligned */
    CHECK_EQ(a, 0x10000);
    CHECK(region_list_alloc(&l, 12, &b));
    CHECK_EQ(b, 0x1000); /* the lowest fit */
    CHECK_EQ(region_list_total(&l), 0x3f000 - 0x10000 - 0x1000);
    uint64_t c = 0;
    CHECK(!region_list_alloc(&l, 20, &c)); /* 1 MiB does not fit */
    CHECK(!region_list_alloc(&l, 64, &c));
}

struct blocks {
    uint64_t base[64];
    unsigned int bits[64];
    unsigned int n;
};

static void collect(void *ctx, uint64_t base, unsigned int bits)
{
    struct blocks *b = ctx;
    if (b->n < 64) {
        b->base[b->n] = base;
        b->bits[b->n] = bits;
    }
    b->n++;
}

TEST(pow2_split_is_greedy_aligned_and_covering)
{
    struct blocks b = {0};
    unsigned int n = region_split_pow2(0x1000, 0x13000, 4, 47, collect, &b);
    CHECK_EQ(n, b.n);
    /* 0x1000(4K) 0x2000(8K) 0x4000(16K) 0x8000(32K) 0x10000(64K) 0x20000? no: end 0x13000 */
    uint64_t expect_base[] = {0x1000, 0x2000, 0x4000, 0x8000, 0x10000, 0x12000};
    unsigned int expect_bits[] = {12, 13, 14, 15, 13, 12};
    CHECK_EQ(b.n, 6);
    for (unsigned int i = 0; i < 6 && i < b.n; i++) {
        CHECK_EQ(b.base[i], expect_base[i]);
        CHECK_EQ(b.bits[i], expect_bits[i]);
    }
}

TEST(pow2_split_limits)
{
    struct blocks b = {0};
    /* From 0 a block is as large as max_bits allows. */
    region_split_pow2(0, 1ull << 50, 4, 47, collect, &b);
    CHECK_EQ(b.n, 8);
    CHECK_EQ(b.bits[0], 47);
    b.n = 0;
    /* Unaligned start rounds up to min_bits; a tail below min_bits is dropped. */
    region_split_pow2(0x1003, 0x1031, 4, 47, collect, &b);
    CHECK_EQ(b.n, 2);
    CHECK_EQ(b.base[0], 0x1010);
    CHECK_EQ(b.bits[0], 4);
    CHECK_EQ(b.base[1], 0x1020);
    b.n = 0;
    /* A range reaching the top of the address space ends without wrapping. */
    region_split_pow2(0xffffffffffff0000ull, 0xffffffffffffffffull, 4, 47, collect, &b);
    CHECK(b.n > 0 && b.n < 64);
}
