/* Root-task address space at boot; see vspace_boot.h. Tables are reached through the
 * kernel window; user pages are non-global, inner-shareable write-back memory, never
 * executable by the kernel. */
#include "arch/aarch64/vspace_boot.h"

#include "arch/aarch64/sysreg.h"
#include "arch/aarch64/vspace_layout.h"
#include "lib/string.h"

#define ASID_SHIFT 48

static const unsigned int level_shift[VSPACE_BOOT_LEVELS + 1] = {L0_SHIFT, L1_SHIFT, L2_SHIFT,
                                                                 L3_SHIFT};

static uint64_t *table(uint64_t paddr)
{
    return (uint64_t *)paddr_to_kptr(paddr);
}

/* Tables at `level` (1..3) cover 2^level_shift[level - 1] bytes each. */
static unsigned int tables_at_level(unsigned int level, uint64_t start, uint64_t end)
{
    unsigned int span = level_shift[level - 1];
    return (unsigned int)(((end - 1) >> span) - (start >> span) + 1);
}

unsigned int vspace_boot_tables_needed(uint64_t start, uint64_t end)
{
    unsigned int n = 0;
    for (unsigned int level = 1; level <= VSPACE_BOOT_LEVELS; level++) {
        n += tables_at_level(level, start, end);
    }
    return n;
}

bool vspace_boot_create_tables(uint64_t root_paddr, uint64_t start, uint64_t end,
                               vspace_table_alloc_fn alloc, vspace_table_record_fn record,
                               void *ctx)
{
    for (unsigned int level = 1; level <= VSPACE_BOOT_LEVELS; level++) {
        unsigned int span = level_shift[level - 1];
        for (uint64_t va = start & ~MASK(span); va < end; va += BIT(span)) {
            /* Walk down to the parent table, which the previous level created. */
            uint64_t *parent = table(root_paddr);
            for (unsigned int l = 0; l + 1 < level; l++) {
                parent = table(parent[PT_INDEX(va, level_shift[l])] & PTE_ADDR_MASK);
            }
            uint64_t pa;
            if (!alloc(ctx, &pa)) {
                return false;
            }
            memset(table(pa), 0, PAGE_SIZE);
            parent[PT_INDEX(va, level_shift[level - 1])] = pa | PTE_TABLE;
            record(ctx, pa, va);
        }
    }
    dsb_ish();
    return true;
}

void vspace_boot_map_frame(uint64_t root_paddr, uint64_t vaddr, uint64_t paddr, bool writable,
                           bool executable)
{
    uint64_t *t = table(root_paddr);
    for (unsigned int l = 0; l < VSPACE_BOOT_LEVELS; l++) {
        t = table(t[PT_INDEX(vaddr, level_shift[l])] & PTE_ADDR_MASK);
    }
    uint64_t pte = paddr | PTE_PAGE | PTE_ATTR(MAIR_IDX_NORMAL) | PTE_SH_INNER | PTE_AF | PTE_NG |
                   PTE_AP_EL0 | PTE_PXN;
    if (!writable) {
        pte |= PTE_AP_RO;
    }
    if (!executable) {
        pte |= PTE_UXN;
    }
    t[PT_INDEX(vaddr, L3_SHIFT)] = pte;
    dsb_ish();
}

uint64_t vspace_ttbr(uint64_t root_paddr, uint64_t asid)
{
    return root_paddr | (asid << ASID_SHIFT);
}
