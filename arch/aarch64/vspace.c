/* VSpace roots and teardown; see vspace.h. A cap remembers where it is mapped (ASID and
 * virtual address); deleting it walks that VSpace and clears the entry only if the entry
 * still points at this object, then invalidates the TLB for that ASID. */
#include "arch/aarch64/vspace.h"

#include "arch/aarch64/asid.h"
#include "arch/aarch64/kernel_vspace.h"
#include "arch/aarch64/sysreg.h"
#include "kernel/cap_ops.h"
#include "kernel/objects.h"

#define LEVELS 4
#define TLBI_ASID_SHIFT 48

static const unsigned int level_shift[LEVELS] = {L0_SHIFT, L1_SHIFT, L2_SHIFT, L3_SHIFT};

static uint64_t *table_at(uint64_t pa)
{
    return (uint64_t *)ptr_from_paddr(pa);
}

uint64_t vspace_thread_ttbr(struct tcb *t)
{
    cap_t c = tcb_slot(t, TCB_VTABLE)->cap;
    if (cap_get_type(c) != cap_vspace_cap || !cap_vm_is_mapped(c) ||
        asid_lookup(cap_vm_asid(c)) != cap_paddr(c)) {
        return kernel_vspace_empty_ttbr0();
    }
    return cap_paddr(c) | (cap_vm_asid(c) << TLBI_ASID_SHIFT);
}

/* Walks to the entry for vaddr at `level` (0..3); 0 if a table on the way is missing. */
static uint64_t *entry_at(uint64_t root, uint64_t vaddr, unsigned int level)
{
    uint64_t *t = table_at(root);
    for (unsigned int l = 0; l < level; l++) {
        uint64_t e = t[PT_INDEX(vaddr, level_shift[l])];
        if ((e & PTE_TABLE) != PTE_TABLE) {
            return 0;
        }
        t = table_at(e & PTE_ADDR_MASK);
    }
    return &t[PT_INDEX(vaddr, level_shift[level])];
}

static void unmap_frame(cap_t c)
{
    static const unsigned int frame_level[] = {3, 2, 1};
    uint64_t root = asid_lookup(cap_vm_asid(c));
    if (!root) {
        return;
    }
    uint64_t va = cap_vm_vaddr(c);
    uint64_t *e = entry_at(root, va, frame_level[cap_frame_size(c)]);
    if (e && (*e & PTE_VALID) && (*e & PTE_ADDR_MASK) == cap_paddr(c)) {
        *e = 0;
        dsb_ish();
        __asm__ volatile("tlbi vae1is, %0" ::"r"((va >> PAGE_BITS) | (cap_vm_asid(c) << TLBI_ASID_SHIFT))
                         : "memory");
        dsb_ish();
        isb();
    }
}

static void unmap_table(cap_t c)
{
    uint64_t root = asid_lookup(cap_vm_asid(c));
    if (!root) {
        return;
    }
    for (unsigned int level = 0; level + 1 < LEVELS; level++) {
        uint64_t *e = entry_at(root, cap_vm_vaddr(c), level);
        if (!e || (*e & PTE_TABLE) != PTE_TABLE) {
            return;
        }
        if ((*e & PTE_ADDR_MASK) == cap_paddr(c)) {
            *e = 0;
            asid_flush(cap_vm_asid(c));
            return;
        }
    }
}

static void delete_asid(uint64_t asid, uint64_t vspace_pa)
{
    uint64_t pool = asid >> seL4_ASIDPoolIndexBits;
    if (pool < ASID_POOLS && asid_table[pool] && asid_lookup(asid) == vspace_pa) {
        struct asid_pool *p = ptr_from_paddr(asid_table[pool]);
        p->vspace[asid & (ASID_POOL_ENTRIES - 1)] = 0;
        asid_flush(asid);
    }
}

static void delete_asid_pool(cap_t c)
{
    uint64_t pool = cap_asid_pool_base(c) >> seL4_ASIDPoolIndexBits;
    if (pool >= ASID_POOLS || asid_table[pool] != cap_paddr(c)) {
        return;
    }
    struct asid_pool *p = ptr_from_paddr(cap_paddr(c));
    for (unsigned int i = 0; i < ASID_POOL_ENTRIES; i++) {
        if (p->vspace[i]) {
            asid_flush(cap_asid_pool_base(c) + i);
        }
    }
    asid_table[pool] = 0;
}

void vspace_finalise_cap(cap_t cap, bool final)
{
    switch (cap_get_type(cap)) {
    case cap_frame_cap:
        if (cap_vm_is_mapped(cap)) {
            unmap_frame(cap);
        }
        break;
    case cap_page_table_cap:
        if (final && cap_vm_is_mapped(cap)) {
            unmap_table(cap);
        }
        break;
    case cap_vspace_cap:
        if (final && cap_vm_is_mapped(cap)) {
            delete_asid(cap_vm_asid(cap), cap_paddr(cap));
        }
        break;
    case cap_asid_pool_cap:
        if (final) {
            delete_asid_pool(cap);
        }
        break;
    default:
        break;
    }
}
