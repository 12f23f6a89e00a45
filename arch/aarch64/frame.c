/* Frame methods; see frame.h. Checks and their errors follow manual §10.7.6 and, where it
 * is silent, upstream's AArch64 decoder. */
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

static enum exception decode_map(struct invocation *inv)
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
    inv_begin_perform(inv);
    inv->slot->cap = cap_frame_new(cap_paddr(frame), cap_frame_size(frame), cap_frame_rights(frame),
                                   cap_frame_is_device(frame), true, asid, vaddr);
    vspace_set_pte(s.pte, vspace_frame_pte(cap_paddr(frame), bits, cap_frame_rights(masked), attr), asid,
                   vaddr, remap);
    return EXCEPTION_NONE;
}

static enum exception decode_cache_op(struct invocation *inv, enum cache_op op)
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
    if (op == CACHE_INVALIDATE && (*s.pte & PTE_AP_RO)) {
        return inv_error(seL4_IllegalOperation);
    }
    inv_begin_perform(inv);
    cache_maintain(op, cap_paddr(frame) + start, end - start);
    return EXCEPTION_NONE;
}

enum exception frame_decode(struct invocation *inv)
{
    switch (inv->label) {
    case ARMPageMap:
        return decode_map(inv);
    case ARMPageUnmap:
        inv_begin_perform(inv);
        vspace_unmap_frame(inv->cap);
        inv->slot->cap = cap_frame_new(cap_paddr(inv->cap), cap_frame_size(inv->cap),
                                       cap_frame_rights(inv->cap), cap_frame_is_device(inv->cap),
                                       false, 0, 0);
        return EXCEPTION_NONE;
    case ARMPageClean_Data:
        return decode_cache_op(inv, CACHE_CLEAN);
    case ARMPageInvalidate_Data:
        return decode_cache_op(inv, CACHE_INVALIDATE);
    case ARMPageCleanInvalidate_Data:
        return decode_cache_op(inv, CACHE_CLEAN_INVALIDATE);
    case ARMPageUnify_Instruction:
        return decode_cache_op(inv, CACHE_UNIFY_INSTRUCTION);
    case ARMPageGetAddress:
        inv_begin_perform(inv);
        inv_reply_mr(inv, 0, cap_paddr(inv->cap));
        inv_reply(inv, 1);
        return EXCEPTION_NONE;
    default:
        return inv_error(seL4_IllegalOperation);
    }
}
