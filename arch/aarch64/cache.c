/* Cache maintenance by address; see cache.h. Invalidate cleans partial lines at either end
 * first, so bytes outside the requested range that share a line are not lost (manual
 * §10.7.6.4). */
#include "arch/aarch64/cache.h"

#include "arch/aarch64/sysreg.h"
#include "kernel/boot_mem.h"
#include "kernel/kptr.h"

#define CTR_DMINLINE_SHIFT 16
#define CTR_IMINLINE_MASK 0xful
#define CTR_LINE_MASK 0xful
#define CTR_WORD_BYTES 4

extern struct region_list ks_ram;

static uint64_t dline(void)
{
    return (uint64_t)CTR_WORD_BYTES << ((SYSREG_READ(ctr_el0) >> CTR_DMINLINE_SHIFT) & CTR_LINE_MASK);
}

static uint64_t iline(void)
{
    return (uint64_t)CTR_WORD_BYTES << (SYSREG_READ(ctr_el0) & CTR_IMINLINE_MASK);
}

static int in_ram(uint64_t pa, uint64_t len)
{
    for (unsigned int i = 0; i < ks_ram.count; i++) {
        if (pa >= ks_ram.r[i].start && pa + len <= ks_ram.r[i].end) {
            return 1;
        }
    }
    return 0;
}

void cache_maintain(enum cache_op op, uint64_t paddr, uint64_t len)
{
    if (len == 0 || !in_ram(paddr, len)) {
        return;
    }
    uintptr_t start = (uintptr_t)ptr_from_paddr(paddr), end = start + len;
    uint64_t d = dline();
    for (uintptr_t a = start & ~(d - 1); a < end; a += d) {
        bool partial = a < start || a + d > end;
        switch (op) {
        case CACHE_CLEAN:
            __asm__ volatile("dc cvac, %0" ::"r"(a) : "memory");
            break;
        case CACHE_INVALIDATE:
            if (partial) {
                __asm__ volatile("dc civac, %0" ::"r"(a) : "memory");
            } else {
                __asm__ volatile("dc ivac, %0" ::"r"(a) : "memory");
            }
            break;
        case CACHE_CLEAN_INVALIDATE:
            __asm__ volatile("dc civac, %0" ::"r"(a) : "memory");
            break;
        case CACHE_UNIFY_INSTRUCTION:
            __asm__ volatile("dc cvau, %0" ::"r"(a) : "memory");
            break;
        }
    }
    dsb_ish();
    if (op == CACHE_UNIFY_INSTRUCTION) {
        uint64_t i = iline();
        for (uintptr_t a = start & ~(i - 1); a < end; a += i) {
            __asm__ volatile("ic ivau, %0" ::"r"(a) : "memory");
        }
        dsb_ish();
        isb();
    }
}

/* ---- Whole caches, by set and way (seL4_BenchmarkFlushCaches) ------------------------- */

#define CLIDR_LOC_SHIFT 24
#define CLIDR_FIELD_MASK 0x7ul
#define CLIDR_CTYPE_BITS 3
#define CLIDR_CTYPE_DATA 2 /* 2 data, 3 separate, 4 unified: all have a data side */
#define CSSELR_LEVEL_SHIFT 1
#define CCSIDR_LINE_MASK 0x7ul
#define CCSIDR_LINE_BIAS 4
#define CCSIDR_WAYS_SHIFT 3
#define CCSIDR_WAYS_MASK 0x3fful
#define CCSIDR_SETS_SHIFT 13
#define CCSIDR_SETS_MASK 0x7ffful
#define WORD32_BITS 32

static void clean_invalidate_level(unsigned int level)
{
    SYSREG_WRITE(csselr_el1, (uint64_t)level << CSSELR_LEVEL_SHIFT);
    isb();
    uint64_t ccsidr = SYSREG_READ(ccsidr_el1);
    unsigned int line_shift = (unsigned int)(ccsidr & CCSIDR_LINE_MASK) + CCSIDR_LINE_BIAS;
    uint32_t ways = (uint32_t)((ccsidr >> CCSIDR_WAYS_SHIFT) & CCSIDR_WAYS_MASK) + 1;
    uint32_t sets = (uint32_t)((ccsidr >> CCSIDR_SETS_SHIFT) & CCSIDR_SETS_MASK) + 1;
    /* The way number sits in the top bits of the operand, as wide as the way count needs. */
    unsigned int way_shift = ways > 1 ? (unsigned int)__builtin_clz(ways - 1) : WORD32_BITS - 1;
    for (uint32_t way = 0; way < ways; way++) {
        for (uint32_t set = 0; set < sets; set++) {
            uint64_t op = ((uint64_t)way << way_shift) | ((uint64_t)set << line_shift) |
                          ((uint64_t)level << CSSELR_LEVEL_SHIFT);
            __asm__ volatile("dc cisw, %0" ::"r"(op) : "memory");
        }
    }
}

void cache_flush_data_levels(unsigned int levels)
{
    uint64_t clidr = SYSREG_READ(clidr_el1);
    unsigned int loc = (unsigned int)((clidr >> CLIDR_LOC_SHIFT) & CLIDR_FIELD_MASK);
    dsb_sy();
    for (unsigned int level = 0; level < loc && level < levels; level++) {
        if (((clidr >> (level * CLIDR_CTYPE_BITS)) & CLIDR_FIELD_MASK) >= CLIDR_CTYPE_DATA) {
            clean_invalidate_level(level);
        }
    }
    dsb_sy();
    isb();
}

void cache_invalidate_instructions(void)
{
    __asm__ volatile("ic iallu" ::: "memory");
    dsb_sy();
    isb();
}
