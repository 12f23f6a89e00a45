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
