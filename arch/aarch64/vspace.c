/* VSpace walking, entries and teardown; see vspace.h. A cap remembers where it is mapped
 * (ASID and virtual address); removing a mapping walks that VSpace and clears the entry
 * only if it still points at this object, then invalidates the TLB for that ASID. */
#include "arch/aarch64/vspace.h"

#include <sel4/constants.h>
#include <sel4/invocation.h>

#include "arch/aarch64/asid.h"
#include "arch/aarch64/cache.h"
#include "arch/aarch64/kernel_vspace.h"
#include "arch/aarch64/sysreg.h"
#include "arch/aarch64/vspace_layout.h"
#include "kernel/cap_ops.h"
#include "kernel/objects.h"
#include "lib/string.h"

#define TLBI_ASID_SHIFT 48
#define VM_ATTR_CACHEABLE 1u
#define VM_ATTR_EXECUTE_NEVER 4u

static const unsigned int level_shift[VSPACE_LEVELS] = {L0_SHIFT, L1_SHIFT, L2_SHIFT, L3_SHIFT};

static uint64_t *table_at(uint64_t pa)
{
    return (uint64_t *)ptr_from_paddr(pa);
}

static bool pte_is_table(uint64_t e, unsigned int level)
{
    return level < VSPACE_LAST_LEVEL && (e & PTE_TABLE) == PTE_TABLE;
}

struct pt_slot vspace_lookup_pt_slot(uint64_t root_pa, uint64_t vaddr)
{
    uint64_t *t = table_at(root_pa);
    for (unsigned int level = 0;; level++) {
        uint64_t *pte = &t[PT_INDEX(vaddr, level_shift[level])];
        if (level == VSPACE_LAST_LEVEL || !pte_is_table(*pte, level)) {
            return (struct pt_slot){pte, level_shift[level]};
        }
        t = table_at(*pte & PTE_ADDR_MASK);
    }
}

bool vspace_lookup_frame(uint64_t root_pa, uint64_t vaddr, uint64_t *frame_pa, unsigned int *bits)
{
    struct pt_slot s = vspace_lookup_pt_slot(root_pa, vaddr);
    uint64_t e = *s.pte;
    /* A valid non-table entry: an L3 page (type bits 11) or an L1/L2 block (01). */
    bool page = s.bits_left == seL4_PageBits && (e & PTE_PAGE) == PTE_PAGE;
    bool block = s.bits_left != seL4_PageBits && (e & PTE_TABLE) == PTE_BLOCK &&
                 (s.bits_left == seL4_LargePageBits || s.bits_left == seL4_HugePageBits);
    if (!page && !block) {
        return false;
    }
    *frame_pa = e & PTE_ADDR_MASK & ~((1ull << s.bits_left) - 1);
    *bits = s.bits_left;
    return true;
}

void vspace_set_pte(uint64_t *pte, uint64_t value, uint64_t asid, uint64_t vaddr, bool flush)
{
    *pte = value;
    dsb_ish();
    if (flush) {
        __asm__ volatile("tlbi vae1is, %0" ::"r"((vaddr >> PAGE_BITS) | (asid << TLBI_ASID_SHIFT))
                         : "memory");
        dsb_ish();
        isb();
    }
}

uint64_t vspace_frame_pte(uint64_t paddr, unsigned int size_bits, unsigned int vm_rights,
                          uint64_t attr)
{
    uint64_t pte = paddr | PTE_AF | PTE_NG | PTE_PXN;
    pte |= size_bits == seL4_PageBits ? PTE_PAGE : PTE_BLOCK;
    if (attr & VM_ATTR_CACHEABLE) {
        pte |= PTE_ATTR(MAIR_IDX_NORMAL) | PTE_SH_INNER;
    } else {
        pte |= PTE_ATTR(MAIR_IDX_DEVICE_nGnRnE);
    }
    switch (vm_rights) {
    case VM_READ_WRITE:
        pte |= PTE_AP_EL0;
        break;
    case VM_READ_ONLY:
        pte |= PTE_AP_EL0 | PTE_AP_RO;
        break;
    default:
        /* Kernel only: no user access at all, so no user execution either. */
        attr |= VM_ATTR_EXECUTE_NEVER;
        break;
    }
    if (attr & VM_ATTR_EXECUTE_NEVER) {
        pte |= PTE_UXN;
    }
    return pte;
}

uint64_t vspace_table_pte(uint64_t table_pa)
{
    return table_pa | PTE_TABLE;
}

uint64_t ks_vspace_gen;

uint64_t vspace_thread_ttbr(struct tcb *t)
{
    uint64_t ttbr;
    if (!vspace_root_ttbr(tcb_slot(t, TCB_VTABLE)->cap, &ttbr)) {
        ttbr = kernel_vspace_empty_ttbr0();
    }
    t->ttbr = ttbr;
    t->ttbr_gen = ks_vspace_gen;
    return ttbr;
}

void vspace_unmap_frame(cap_t c)
{
    uint64_t root = asid_lookup(cap_vm_asid(c));
    if (!root || !cap_vm_is_mapped(c)) {
        return;
    }
    uint64_t va = cap_vm_vaddr(c);
    struct pt_slot s = vspace_lookup_pt_slot(root, va);
    unsigned int bits = cap_frame_bits(c);
    /* The walk stops at the first non-table entry, so a valid entry at the frame's level
     * is a page or block mapping; clear it only if it is still this frame's. */
    if (s.bits_left == bits && (*s.pte & PTE_VALID) && (*s.pte & PTE_ADDR_MASK) == cap_paddr(c)) {
        vspace_set_pte(s.pte, 0, cap_vm_asid(c), va, true);
    }
}

void vspace_unmap_table(cap_t c)
{
    uint64_t root = asid_lookup(cap_vm_asid(c));
    if (!root || !cap_vm_is_mapped(c)) {
        return;
    }
    uint64_t *t = table_at(root);
    for (unsigned int level = 0; level < VSPACE_LAST_LEVEL; level++) {
        uint64_t *pte = &t[PT_INDEX(cap_vm_vaddr(c), level_shift[level])];
        if (!pte_is_table(*pte, level)) {
            return;
        }
        if ((*pte & PTE_ADDR_MASK) == cap_paddr(c)) {
            *pte = 0;
            asid_flush(cap_vm_asid(c));
            return;
        }
        t = table_at(*pte & PTE_ADDR_MASK);
    }
}

void vspace_finalise_cap(cap_t cap, bool final)
{
    if (cap_get_type(cap) == cap_vspace_cap || cap_get_type(cap) == cap_asid_pool_cap) {
        vspace_gen_bump(); /* the cap may be a TCB's, or the last of its ASID */
    }
    switch (cap_get_type(cap)) {
    case cap_frame_cap:
        vspace_unmap_frame(cap);
        break;
    case cap_page_table_cap:
        if (final) {
            vspace_unmap_table(cap);
        }
        break;
    case cap_vspace_cap:
        if (final && cap_vm_is_mapped(cap)) {
            asid_delete(cap_vm_asid(cap), cap_paddr(cap));
        }
        break;
    case cap_asid_pool_cap:
        if (final) {
            asid_delete_pool(cap_asid_pool_base(cap), cap_paddr(cap));
        }
        break;
    default:
        break;
    }
}

enum exception vspace_root_of(cap_t vs, unsigned int cap_index, uint64_t *root)
{
    uint64_t found = asid_lookup(cap_vm_asid(vs));
    if (!found) {
        struct lookup_fault f = {.type = LOOKUP_FAULT_INVALID_ROOT};
        return inv_failed_lookup(false, &f);
    }
    if (found != cap_paddr(vs)) {
        return inv_invalid_cap(cap_index);
    }
    *root = found;
    return EXCEPTION_NONE;
}

/* What a VSpace cache method will do once decoded: maintain [paddr, paddr + len), or
 * nothing when the start is unmapped. */
struct vspace_cache_op {
    bool unmapped;
    enum cache_op kind;
    uint64_t paddr, len;
};

/* VSpace cache methods (manual §10.9.2): a range of user addresses that must lie within one
 * mapped frame; an unmapped start is silently fine (nothing can be cached for it). */
static enum exception decode_cache_op(const struct invocation *inv, enum cache_op kind,
                                      struct vspace_cache_op *op)
{
    if (inv->length < 2) {
        return inv_error(seL4_TruncatedMessage);
    }
    uint64_t start = inv_arg(inv, 0), end = inv_arg(inv, 1);
    if (end <= start) {
        return inv_invalid_argument(1);
    }
    if (end > USER_TOP) {
        return inv_error(seL4_IllegalOperation);
    }
    cap_t vs = inv->cap;
    if (!cap_vm_is_mapped(vs)) {
        return inv_invalid_cap(0);
    }
    uint64_t root = 0;
    enum exception st = vspace_root_of(vs, 0, &root);
    if (st != EXCEPTION_NONE) {
        return st;
    }
    uint64_t frame_pa;
    unsigned int bits;
    if (!vspace_lookup_frame(root, start, &frame_pa, &bits)) {
        *op = (struct vspace_cache_op){.unmapped = true};
        return EXCEPTION_NONE;
    }
    uint64_t mask = (1ull << bits) - 1;
    if ((start & ~mask) != ((end - 1) & ~mask)) {
        return inv_range_error(start, (start & ~mask) + mask);
    }
    /* Discarding cached lines is writing: it needs a writable mapping (upstream 13.0.0). */
    if (kind == CACHE_INVALIDATE && (vspace_lookup_pt_slot(root, start).pte[0] & PTE_AP_RO)) {
        return inv_error(seL4_IllegalOperation);
    }
    *op = (struct vspace_cache_op){
        .kind = kind, .paddr = frame_pa + (start & mask), .len = end - start};
    return EXCEPTION_NONE;
}

static void invoke_cache_op(const struct vspace_cache_op *op)
{
    if (!op->unmapped) {
        cache_maintain(op->kind, op->paddr, op->len);
    }
}

enum exception vspace_invocation(struct invocation *inv)
{
    enum cache_op kind;
    switch (inv->label) {
    case ARMVSpaceClean_Data:
        kind = CACHE_CLEAN;
        break;
    case ARMVSpaceInvalidate_Data:
        kind = CACHE_INVALIDATE;
        break;
    case ARMVSpaceCleanInvalidate_Data:
        kind = CACHE_CLEAN_INVALIDATE;
        break;
    case ARMVSpaceUnify_Instruction:
        kind = CACHE_UNIFY_INSTRUCTION;
        break;
    default:
        return inv_error(seL4_IllegalOperation);
    }
    struct vspace_cache_op op = {0};
    enum exception st = decode_cache_op(inv, kind, &op);
    if (st == EXCEPTION_NONE) {
        inv_begin_perform(inv);
        invoke_cache_op(&op);
    }
    return st;
}
