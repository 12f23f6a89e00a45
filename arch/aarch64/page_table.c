/* PageTable methods; see page_table.h. One object type serves every level below the
 * VSpace root: a table is installed in the first missing slot on the walk to vaddr. Each
 * method is a decode_x that only checks and an invoke_x that only acts. */
#include "arch/aarch64/page_table.h"

#include <sel4/constants.h>
#include <sel4/invocation.h>

#include "arch/aarch64/asid.h"
#include "arch/aarch64/sysreg.h"
#include "arch/aarch64/vspace.h"
#include "arch/aarch64/vspace_layout.h"
#include "kernel/cdt.h"
#include "lib/string.h"

enum { ARG_VADDR = 0, ARG_ATTR = 1, MAP_LENGTH = 2 };
enum { EXTRA_VSPACE = 0 };

/* What a Map will do once decoded: the table cap records where it is mapped (base, the
 * start of the span the entry covers) and the entry points at the table. */
struct page_table_map {
    cte_t *slot;
    cap_t cap;
    uint64_t *pte;
    uint64_t pte_value;
    uint64_t asid, base;
};

static enum exception decode_map(const struct invocation *inv, struct page_table_map *op)
{
    if (inv->length < MAP_LENGTH || inv->extra_count < 1) {
        return inv_error(seL4_TruncatedMessage);
    }
    cap_t pt = inv->cap;
    if (cap_vm_is_mapped(pt)) {
        return inv_invalid_cap(0);
    }
    uint64_t vaddr = inv_arg(inv, ARG_VADDR);
    cap_t vs = inv->extra[EXTRA_VSPACE]->cap;
    if (cap_get_type(vs) != cap_vspace_cap || !cap_vm_is_mapped(vs)) {
        return inv_invalid_cap(1);
    }
    if (vaddr > USER_TOP) {
        return inv_invalid_argument(ARG_VADDR);
    }
    uint64_t root = 0;
    enum exception st = vspace_root_of(vs, 1, &root);
    if (st != EXCEPTION_NONE) {
        return st;
    }
    struct pt_slot s = vspace_lookup_pt_slot(root, vaddr);
    if (s.bits_left == seL4_PageBits || (*s.pte & PTE_VALID)) {
        return inv_error(seL4_DeleteFirst);
    }
    uint64_t base = vaddr & ~((1ull << s.bits_left) - 1);
    *op = (struct page_table_map){
        .slot = inv->slot,
        .cap = cap_page_table_new(cap_paddr(pt), true, cap_vm_asid(vs), base),
        .pte = s.pte,
        .pte_value = vspace_table_pte(cap_paddr(pt)),
        .asid = cap_vm_asid(vs),
        .base = base,
    };
    return EXCEPTION_NONE;
}

static void invoke_map(const struct page_table_map *op)
{
    op->slot->cap = op->cap;
    vspace_set_pte(op->pte, op->pte_value, op->asid, op->base, false);
}

static enum exception decode_unmap(const struct invocation *inv)
{
    if (!cdt_is_final(inv->slot)) {
        return inv_error(seL4_RevokeFirst);
    }
    return EXCEPTION_NONE;
}

static void invoke_unmap(cte_t *slot)
{
    cap_t pt = slot->cap;
    if (cap_vm_is_mapped(pt)) {
        vspace_unmap_table(pt);
        /* An unmapped table starts empty if it is mapped again (manual §10.7.7.2). */
        memset(ptr_from_paddr(cap_paddr(pt)), 0, 1ul << seL4_PageTableBits);
    }
    slot->cap = cap_page_table_new(cap_paddr(pt), false, 0, 0);
}

enum exception page_table_invocation(struct invocation *inv)
{
    enum exception st;
    switch (inv->label) {
    case ARMPageTableMap: {
        struct page_table_map op = {0};
        st = decode_map(inv, &op);
        if (st == EXCEPTION_NONE) {
            inv_begin_perform(inv);
            invoke_map(&op);
        }
        return st;
    }
    case ARMPageTableUnmap:
        st = decode_unmap(inv);
        if (st == EXCEPTION_NONE) {
            inv_begin_perform(inv);
            invoke_unmap(inv->slot);
        }
        return st;
    default:
        return inv_error(seL4_IllegalOperation);
    }
}
