/* Frame methods; see frame.h. Each method is a decode_x that only checks (and returns the
 * manual's error) and an invoke_x that only acts; checks and their errors follow manual
 * §10.7.6 and, where it is silent, upstream's AArch64 decoder. */
#include "arch/aarch64/frame.h"

#include <sel4/constants.h>
#include <sel4/invocation.h>

#include "arch/aarch64/asid.h"
#include "arch/aarch64/sysreg.h"
#include "arch/aarch64/cache.h"
#include "arch/aarch64/vspace.h"
#include "arch/aarch64/vspace_layout.h"
#include "kernel/cap_ops.h"

enum { ARG_VADDR = 0, ARG_RIGHTS = 1, ARG_ATTR = 2, MAP_LENGTH = 3 };
enum { ARG_START = 0, ARG_END = 1, RANGE_LENGTH = 2 };
enum { EXTRA_VSPACE = 0 };

/* What a Map will do once decoded: the frame cap records its mapping and the entry is
 * written (a remap rewrites the frame's own entry, flushing the old translation). */
struct frame_map {
    cte_t *slot;
    cap_t cap;
    uint64_t *pte;
    uint64_t pte_value;
    uint64_t asid, vaddr;
    bool remap;
};

static enum exception decode_map(const struct invocation *inv, struct frame_map *op)
{
    if (inv->length < MAP_LENGTH || inv->extra_count < 1) {
        return inv_error(seL4_TruncatedMessage);
    }
    uint64_t vaddr = inv_arg(inv, ARG_VADDR), attr = inv_arg(inv, ARG_ATTR);
    unsigned int rights = (unsigned int)inv_arg(inv, ARG_RIGHTS);
    cap_t vs = inv->extra[EXTRA_VSPACE]->cap;
    if (cap_get_type(vs) != cap_vspace_cap || !cap_vm_is_mapped(vs)) {
        return inv_invalid_cap(1);
    }
    uint64_t root = 0;
    enum exception st = vspace_root_of(vs, 1, &root);
    if (st != EXCEPTION_NONE) {
        return st;
    }
    cap_t frame = inv->cap;
    unsigned int bits = cap_frame_bits(frame);
    uint64_t asid = cap_vm_asid(vs);
    if (vaddr & ((1ull << bits) - 1)) {
        return inv_error(seL4_AlignmentError);
    }
    bool remap = cap_vm_is_mapped(frame);
    if (remap) {
        if (cap_vm_asid(frame) != asid) {
            return inv_invalid_cap(1);
        }
        if (cap_vm_vaddr(frame) != vaddr) {
            return inv_invalid_argument(ARG_VADDR);
        }
    } else if (vaddr + (1ull << bits) - 1 > USER_TOP || vaddr + (1ull << bits) - 1 < vaddr) {
        return inv_invalid_argument(ARG_VADDR);
    }
    struct pt_slot s = vspace_lookup_pt_slot(root, vaddr);
    if (s.bits_left != bits) {
        struct lookup_fault f = {.type = LOOKUP_FAULT_MISSING_CAPABILITY, .bits_left = s.bits_left};
        return inv_failed_lookup(false, &f);
    }
    if (!remap && (*s.pte & PTE_VALID)) {
        return inv_error(seL4_DeleteFirst);
    }
    cap_t masked = cap_mask_rights(rights, frame);
    *op = (struct frame_map){
        .slot = inv->slot,
        .cap = cap_frame_new(cap_paddr(frame), cap_frame_size(frame), cap_frame_rights(frame),
                             cap_frame_is_device(frame), true, asid, vaddr),
        .pte = s.pte,
        .pte_value = vspace_frame_pte(cap_paddr(frame), bits, cap_frame_rights(masked), attr),
        .asid = asid,
        .vaddr = vaddr,
        .remap = remap,
    };
    return EXCEPTION_NONE;
}

static void invoke_map(const struct frame_map *op)
{
    op->slot->cap = op->cap;
    vspace_set_pte(op->pte, op->pte_value, op->asid, op->vaddr, op->remap);
}

static void invoke_unmap(cte_t *slot)
{
    cap_t frame = slot->cap;
    vspace_unmap_frame(frame);
    slot->cap = cap_frame_new(cap_paddr(frame), cap_frame_size(frame), cap_frame_rights(frame),
                              cap_frame_is_device(frame), false, 0, 0);
}

/* What a cache operation will do once decoded: maintain [paddr, paddr + len). */
struct frame_cache_op {
    enum cache_op kind;
    uint64_t paddr, len;
};

static enum exception decode_cache_op(const struct invocation *inv, enum cache_op kind,
                                      struct frame_cache_op *op)
{
    if (inv->length < RANGE_LENGTH) {
        return inv_error(seL4_TruncatedMessage);
    }
    cap_t frame = inv->cap;
    if (!cap_vm_is_mapped(frame)) {
        return inv_error(seL4_IllegalOperation);
    }
    uint64_t root = asid_lookup(cap_vm_asid(frame));
    if (!root) {
        struct lookup_fault f = {.type = LOOKUP_FAULT_INVALID_ROOT};
        return inv_failed_lookup(false, &f);
    }
    /* The cap's record of its mapping must still be true (its table may be gone). */
    struct pt_slot s = vspace_lookup_pt_slot(root, cap_vm_vaddr(frame));
    if (s.bits_left != cap_frame_bits(frame) || !(*s.pte & PTE_VALID) ||
        (*s.pte & PTE_ADDR_MASK) != cap_paddr(frame)) {
        return inv_invalid_cap(0);
    }
    uint64_t start = inv_arg(inv, ARG_START), end = inv_arg(inv, ARG_END);
    uint64_t size = 1ull << cap_frame_bits(frame);
    if (end <= start) {
        return inv_invalid_argument(ARG_END);
    }
    if (start >= size || end > size) {
        return inv_invalid_argument(ARG_START);
    }
    /* Discarding cached lines is writing: it needs a writable mapping (upstream 13.0.0). */
    if (kind == CACHE_INVALIDATE && (*s.pte & PTE_AP_RO)) {
        return inv_error(seL4_IllegalOperation);
    }
    *op = (struct frame_cache_op){
        .kind = kind, .paddr = cap_paddr(frame) + start, .len = end - start};
    return EXCEPTION_NONE;
}

static void invoke_cache_op(const struct frame_cache_op *op)
{
    cache_maintain(op->kind, op->paddr, op->len);
}

static void invoke_get_address(struct invocation *inv)
{
    inv_reply_mr(inv, 0, cap_paddr(inv->cap));
    inv_reply(inv, 1);
}

enum exception frame_invocation(struct invocation *inv)
{
    enum exception st;
    enum cache_op kind;
    switch (inv->label) {
    case ARMPageMap: {
        struct frame_map op = {0};
        st = decode_map(inv, &op);
        if (st == EXCEPTION_NONE) {
            inv_begin_perform(inv);
            invoke_map(&op);
        }
        return st;
    }
    case ARMPageUnmap:
        inv_begin_perform(inv);
        invoke_unmap(inv->slot);
        return EXCEPTION_NONE;
    case ARMPageClean_Data:
        kind = CACHE_CLEAN;
        break;
    case ARMPageInvalidate_Data:
        kind = CACHE_INVALIDATE;
        break;
    case ARMPageCleanInvalidate_Data:
        kind = CACHE_CLEAN_INVALIDATE;
        break;
    case ARMPageUnify_Instruction:
        kind = CACHE_UNIFY_INSTRUCTION;
        break;
    case ARMPageGetAddress:
        inv_begin_perform(inv);
        invoke_get_address(inv);
        return EXCEPTION_NONE;
    default:
        return inv_error(seL4_IllegalOperation);
    }
    struct frame_cache_op op = {0};
    st = decode_cache_op(inv, kind, &op);
    if (st == EXCEPTION_NONE) {
        inv_begin_perform(inv);
        invoke_cache_op(&op);
    }
    return st;
}
