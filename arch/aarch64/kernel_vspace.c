/* Kernel page tables: RAM at PPTR_BASE + pa (1 GiB blocks where a whole gigabyte is RAM,
 * 2 MiB blocks otherwise), device registers as Device-nGnRnE pages at KDEV_BASE. */
#include "arch/aarch64/kernel_vspace.h"

#include <stdbool.h>

#include "arch/aarch64/kdev.h"
#include "arch/aarch64/sysreg.h"
#include "arch/aarch64/vspace_layout.h"
#include "platform.h"

#define BLOCK_2M_BITS L2_SHIFT
#define BLOCK_1G_BITS L1_SHIFT
/* Gigabytes that are only partly RAM each need an L2 table; boards have a few at most. */
#define KERNEL_L2_TABLES 8

typedef uint64_t page_table_t[PT_ENTRIES] __attribute__((aligned(PAGE_SIZE)));

static page_table_t kpt_l0, kpt_l1, kpt_l2_dev, kpt_l3_dev, user_empty_l0;
static page_table_t kpt_l2[KERNEL_L2_TABLES];
static unsigned int kpt_l2_used;

static const uint64_t normal_block =
    PTE_BLOCK | PTE_ATTR(MAIR_IDX_NORMAL) | PTE_SH_INNER | PTE_AF | PTE_UXN;
static const uint64_t device_page =
    PTE_PAGE | PTE_ATTR(MAIR_IDX_DEVICE_nGnRnE) | PTE_AF | PTE_PXN | PTE_UXN;

#define KERNEL_DEVICE(paddr, size, vaddr, user) {paddr, size, vaddr, user},
const struct kernel_device kernel_devices[] = {PLAT_KERNEL_DEVICES(KERNEL_DEVICE)};
const unsigned int kernel_device_count = sizeof(kernel_devices) / sizeof(kernel_devices[0]);

static uint64_t table_paddr(const void *table)
{
    return kptr_to_paddr(table);
}

static uint64_t *l2_for_gib(uint64_t gib)
{
    uint64_t e = kpt_l1[gib];
    if (e & PTE_VALID) {
        return (uint64_t *)paddr_to_kptr(e & PTE_ADDR_MASK);
    }
    if (kpt_l2_used == KERNEL_L2_TABLES) {
        return 0;
    }
    uint64_t *t = kpt_l2[kpt_l2_used++];
    kpt_l1[gib] = table_paddr(t) | PTE_TABLE;
    return t;
}

static void map_ram(struct region_list *ram)
{
    const uint64_t window = PPTR_TOP - PPTR_BASE;
    struct region_list unmapped = {0};
    for (unsigned int i = 0; i < ram->count; i++) {
        uint64_t start = ram->r[i].start, end = ram->r[i].end;
        uint64_t s = (start + MASK(BLOCK_2M_BITS)) & ~MASK(BLOCK_2M_BITS);
        uint64_t e = (end > window ? window : end) & ~MASK(BLOCK_2M_BITS);
        if (s >= e) {
            region_list_add(&unmapped, start, end);
            continue;
        }
        region_list_add(&unmapped, start, s);
        region_list_add(&unmapped, e, end);
        for (uint64_t a = s; a < e;) {
            uint64_t gib = a >> BLOCK_1G_BITS;
            if ((a & MASK(BLOCK_1G_BITS)) == 0 && e - a >= BIT(BLOCK_1G_BITS) &&
                !(kpt_l1[gib] & PTE_VALID)) {
                kpt_l1[gib] = a | normal_block;
                a += BIT(BLOCK_1G_BITS);
                continue;
            }
            uint64_t *l2 = l2_for_gib(gib);
            if (!l2) {
                region_list_add(&unmapped, a, e);
                break;
            }
            l2[PT_INDEX(a, L2_SHIFT)] = a | normal_block;
            a += BIT(BLOCK_2M_BITS);
        }
    }
    for (unsigned int i = 0; i < unmapped.count; i++) {
        region_list_remove(ram, unmapped.r[i].start, unmapped.r[i].end);
    }
}

static void map_devices(void)
{
    kpt_l1[PT_INDEX(KDEV_BASE, L1_SHIFT)] = table_paddr(kpt_l2_dev) | PTE_TABLE;
    kpt_l2_dev[PT_INDEX(KDEV_BASE, L2_SHIFT)] = table_paddr(kpt_l3_dev) | PTE_TABLE;
    for (unsigned int d = 0; d < kernel_device_count; d++) {
        const struct kernel_device *k = &kernel_devices[d];
        for (uint64_t off = 0; off < k->size; off += PAGE_SIZE) {
            kpt_l3_dev[PT_INDEX(k->vaddr + off, L3_SHIFT)] = (k->paddr + off) | device_page;
        }
    }
}

void kernel_vspace_init(struct region_list *ram)
{
    map_ram(ram);
    map_devices();
    kpt_l0[PT_INDEX(PPTR_BASE, L0_SHIFT)] = table_paddr(kpt_l1) | PTE_TABLE;
    dsb_ish();
    SYSREG_WRITE(ttbr1_el1, table_paddr(kpt_l0));
    SYSREG_WRITE(ttbr0_el1, kernel_vspace_empty_ttbr0());
    isb();
    __asm__ volatile("tlbi vmalle1\n dsb ish\n isb" ::: "memory");
}

uint64_t kernel_vspace_empty_ttbr0(void)
{
    return table_paddr(user_empty_l0);
}
