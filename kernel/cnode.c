/* CNode methods; see cnode.h. Every check happens before inv_begin_perform; argument
 * positions and errors follow manual §10.3.1 and upstream where the manual is silent. */
#include "kernel/cnode.h"

#include <sel4/constants.h>
#include <sel4/invocation.h>

#include "kernel/cap_ops.h"
#include "kernel/cdt.h"
#include "kernel/delete.h"
#include "kernel/endpoint.h"

/* Message layouts (ABI §8). */
enum {
    ARG_INDEX = 0,
    ARG_DEPTH = 1,
    ARG_SRC_INDEX = 2,
    ARG_SRC_DEPTH = 3,
    ARG_RIGHTS = 4, /* Copy, Mint */
    ARG_MUTATE_DATA = 4,
    ARG_MINT_DATA = 5,
    ARG_ROT_DEST_DATA = 2,
    ARG_ROT_PIVOT_INDEX = 3,
    ARG_ROT_PIVOT_DEPTH = 4,
    ARG_ROT_PIVOT_DATA = 5,
    ARG_ROT_SRC_INDEX = 6,
    ARG_ROT_SRC_DEPTH = 7,
    LEN_TARGET = 2,
    LEN_MOVE = 4,
    LEN_COPY = 5,
    LEN_MUTATE = 5,
    LEN_MINT = 6,
    LEN_ROTATE = 8,
};

static enum exception lookup_for_op(cap_t root, uint64_t index, uint64_t depth, bool source,
                                    cte_t **slot)
{
    if (depth < 1 || depth > seL4_WordBits) {
        return inv_range_error(1, seL4_WordBits);
    }
    struct lookup_fault f;
    switch (cspace_lookup_slot_for_cnode_op(root, index, (unsigned int)depth, slot, &f)) {
    case CSPACE_OK:
        return EXCEPTION_NONE;
    case CSPACE_RANGE_ERROR:
        return inv_range_error(1, seL4_WordBits);
    default:
        return inv_failed_lookup(source, &f);
    }
}

static enum exception missing_source(bool source, uint64_t depth)
{
    struct lookup_fault f = {.type = LOOKUP_FAULT_MISSING_CAPABILITY, .bits_left = (unsigned int)depth};
    return inv_failed_lookup(source, &f);
}

/* Copy, Mint, Move, Mutate: destination is the target slot, the source comes from the
 * extra cap's CNode. */
static enum exception decode_copy_family(struct invocation *inv, cte_t *dest)
{
    static const unsigned int min_len[] = {[CNodeCopy - CNodeCopy] = LEN_COPY,
                                           [CNodeMint - CNodeCopy] = LEN_MINT,
                                           [CNodeMove - CNodeCopy] = LEN_MOVE,
                                           [CNodeMutate - CNodeCopy] = LEN_MUTATE};
    if (inv->length < min_len[inv->label - CNodeCopy] || inv->extra_count < 1) {
        return inv_error(seL4_TruncatedMessage);
    }
    uint64_t src_index = inv_arg(inv, ARG_SRC_INDEX), src_depth = inv_arg(inv, ARG_SRC_DEPTH);
    if (!cap_is_null(dest->cap)) {
        return inv_error(seL4_DeleteFirst);
    }
    cte_t *src;
    enum exception st = lookup_for_op(inv->extra[0]->cap, src_index, src_depth, true, &src);
    if (st != EXCEPTION_NONE) {
        return st;
    }
    if (cap_is_null(src->cap)) {
        return missing_source(true, src_depth);
    }

    cap_t new_cap;
    switch (inv->label) {
    case CNodeCopy:
    case CNodeMint: {
        unsigned int rights = (unsigned int)inv_arg(inv, ARG_RIGHTS) & RIGHTS_ALL;
        cap_t masked = cap_mask_rights(rights, src->cap);
        if (inv->label == CNodeMint) {
            masked = cap_update_data(false, inv_arg(inv, ARG_MINT_DATA), masked);
        }
        switch (cap_derive(masked, cdt_has_children(src), &new_cap)) {
        case DERIVE_REVOKE_FIRST:
            return inv_error(seL4_RevokeFirst);
        case DERIVE_ILLEGAL:
            return inv_error(seL4_IllegalOperation);
        default:
            break;
        }
        if (cap_is_null(new_cap)) {
            return inv_error(seL4_IllegalOperation);
        }
        inv_begin_perform(inv);
        cdt_insert(new_cap, src, dest);
        return EXCEPTION_NONE;
    }
    case CNodeMove:
        new_cap = src->cap;
        break;
    default: /* Mutate */
        new_cap = cap_update_data(true, inv_arg(inv, ARG_MUTATE_DATA), src->cap);
        if (cap_is_null(new_cap)) {
            return inv_error(seL4_IllegalOperation);
        }
        break;
    }
    inv_begin_perform(inv);
    cdt_move(new_cap, src, dest);
    return EXCEPTION_NONE;
}

static enum exception decode_rotate(struct invocation *inv, cte_t *dest)
{
    if (inv->length < LEN_ROTATE || inv->extra_count < 2) {
        return inv_error(seL4_TruncatedMessage);
    }
    uint64_t pivot_depth = inv_arg(inv, ARG_ROT_PIVOT_DEPTH);
    uint64_t src_depth = inv_arg(inv, ARG_ROT_SRC_DEPTH);
    cte_t *src, *pivot;
    enum exception st = lookup_for_op(inv->extra[1]->cap, inv_arg(inv, ARG_ROT_SRC_INDEX), src_depth,
                                      true, &src);
    if (st != EXCEPTION_NONE) {
        return st;
    }
    st = lookup_for_op(inv->extra[0]->cap, inv_arg(inv, ARG_ROT_PIVOT_INDEX), pivot_depth, true,
                       &pivot);
    if (st != EXCEPTION_NONE) {
        return st;
    }
    if (pivot == src || pivot == dest) {
        return inv_error(seL4_IllegalOperation);
    }
    if (src != dest && !cap_is_null(dest->cap)) {
        return inv_error(seL4_DeleteFirst);
    }
    if (cap_is_null(src->cap)) {
        return missing_source(true, src_depth);
    }
    if (cap_is_null(pivot->cap)) {
        return missing_source(false, pivot_depth);
    }
    /* The pivot's cap goes to dest (with dest's data), the source's to the pivot. */
    cap_t new_pivot = cap_update_data(true, inv_arg(inv, ARG_ROT_DEST_DATA), pivot->cap);
    cap_t new_src = cap_update_data(true, inv_arg(inv, ARG_ROT_PIVOT_DATA), src->cap);
    if (cap_is_null(new_src) || cap_is_null(new_pivot)) {
        return inv_error(seL4_IllegalOperation);
    }
    inv_begin_perform(inv);
    if (src == dest) {
        cdt_swap(new_src, src, new_pivot, pivot);
    } else {
        cdt_move(new_pivot, pivot, dest);
        cdt_move(new_src, src, pivot);
    }
    return EXCEPTION_NONE;
}

/* Manual §10.3.1.1: only an endpoint cap with every right may cancel its badge's sends. */
static bool has_cancel_send_rights(cap_t c)
{
    return cap_get_type(c) == cap_endpoint_cap && cap_rights(c) == RIGHTS_ALL;
}

enum exception cnode_decode(struct invocation *inv)
{
    if (inv->label < CNodeRevoke || inv->label > CNodeRotate) {
        return inv_error(seL4_IllegalOperation);
    }
    if (inv->length < LEN_TARGET) {
        return inv_error(seL4_TruncatedMessage);
    }
    cte_t *target;
    enum exception st = lookup_for_op(inv->cap, inv_arg(inv, ARG_INDEX), inv_arg(inv, ARG_DEPTH),
                                      false, &target);
    if (st != EXCEPTION_NONE) {
        return st;
    }
    switch (inv->label) {
    case CNodeRevoke:
        inv_begin_perform(inv);
        return cte_revoke(target);
    case CNodeDelete:
        inv_begin_perform(inv);
        return cte_delete(target, true);
    case CNodeCancelBadgedSends:
        if (!has_cancel_send_rights(target->cap)) {
            return inv_error(seL4_IllegalOperation);
        }
        inv_begin_perform(inv);
        /* A badge-0 cap cancels nothing (manual §10.3.1.1). */
        if (cap_badge(target->cap)) {
            cancel_badged_sends(cap_ptr(target->cap), cap_badge(target->cap));
        }
        return EXCEPTION_NONE;
    case CNodeRotate:
        return decode_rotate(inv, target);
    default:
        return decode_copy_family(inv, target);
    }
}
