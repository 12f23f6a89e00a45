/* CNode methods; see cnode.h. Each method is a decode_x that only checks (and returns the
 * manual's error) and an invoke_x that only acts; argument positions and errors follow
 * manual §10.3.1 and upstream where the manual is silent. */
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

/* What a Copy, Mint, Move or Mutate will do once decoded. */
struct cnode_transfer {
    cte_t *src, *dest;
    cap_t cap;  /* the cap that lands in dest */
    bool move;  /* Move, Mutate: the source slot empties */
};

/* Copy, Mint, Move, Mutate: destination is the target slot, the source comes from the
 * extra cap's CNode. */
static enum exception decode_transfer(const struct invocation *inv, cte_t *dest,
                                      struct cnode_transfer *op)
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
    *op = (struct cnode_transfer){.src = src, .dest = dest, .move = false};
    switch (inv->label) {
    case CNodeCopy:
    case CNodeMint: {
        unsigned int rights = (unsigned int)inv_arg(inv, ARG_RIGHTS) & RIGHTS_ALL;
        cap_t masked = cap_mask_rights(rights, src->cap);
        if (inv->label == CNodeMint) {
            masked = cap_update_data(false, inv_arg(inv, ARG_MINT_DATA), masked);
        }
        switch (cap_derive(masked, cdt_has_children(src), &op->cap)) {
        case DERIVE_REVOKE_FIRST:
            return inv_error(seL4_RevokeFirst);
        case DERIVE_ILLEGAL:
            return inv_error(seL4_IllegalOperation);
        default:
            break;
        }
        return cap_is_null(op->cap) ? inv_error(seL4_IllegalOperation) : EXCEPTION_NONE;
    }
    case CNodeMove:
        op->cap = src->cap;
        op->move = true;
        return EXCEPTION_NONE;
    default: /* Mutate */
        op->cap = cap_update_data(true, inv_arg(inv, ARG_MUTATE_DATA), src->cap);
        op->move = true;
        return cap_is_null(op->cap) ? inv_error(seL4_IllegalOperation) : EXCEPTION_NONE;
    }
}

static void invoke_transfer(const struct cnode_transfer *op)
{
    if (op->move) {
        cdt_move(op->cap, op->src, op->dest);
    } else {
        cdt_insert(op->cap, op->src, op->dest);
    }
}

/* What a Rotate will do: the pivot's cap goes to dest (with dest's data), the source's to
 * the pivot; src == dest swaps the two. */
struct cnode_rotate {
    cte_t *src, *pivot, *dest;
    cap_t new_src, new_pivot;
};

static enum exception decode_rotate(const struct invocation *inv, cte_t *dest,
                                    struct cnode_rotate *op)
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
    *op = (struct cnode_rotate){
        .src = src,
        .pivot = pivot,
        .dest = dest,
        .new_pivot = cap_update_data(true, inv_arg(inv, ARG_ROT_DEST_DATA), pivot->cap),
        .new_src = cap_update_data(true, inv_arg(inv, ARG_ROT_PIVOT_DATA), src->cap),
    };
    if (cap_is_null(op->new_src) || cap_is_null(op->new_pivot)) {
        return inv_error(seL4_IllegalOperation);
    }
    return EXCEPTION_NONE;
}

static void invoke_rotate(const struct cnode_rotate *op)
{
    if (op->src == op->dest) {
        cdt_swap(op->new_src, op->src, op->new_pivot, op->pivot);
    } else {
        cdt_move(op->new_pivot, op->pivot, op->dest);
        cdt_move(op->new_src, op->src, op->pivot);
    }
}

/* Manual §10.3.1.1: only an endpoint cap with every right may cancel its badge's sends. */
static enum exception decode_cancel_badged_sends(const cte_t *target)
{
    cap_t c = target->cap;
    if (cap_get_type(c) != cap_endpoint_cap || cap_rights(c) != RIGHTS_ALL) {
        return inv_error(seL4_IllegalOperation);
    }
    return EXCEPTION_NONE;
}

static void invoke_cancel_badged_sends(const cte_t *target)
{
    /* A badge-0 cap cancels nothing (manual §10.3.1.1). */
    if (cap_badge(target->cap)) {
        cancel_badged_sends(cap_ptr(target->cap), cap_badge(target->cap));
    }
}

enum exception cnode_invocation(struct invocation *inv)
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
        st = decode_cancel_badged_sends(target);
        if (st == EXCEPTION_NONE) {
            inv_begin_perform(inv);
            invoke_cancel_badged_sends(target);
        }
        return st;
    case CNodeRotate: {
        struct cnode_rotate op = {0};
        st = decode_rotate(inv, target, &op);
        if (st == EXCEPTION_NONE) {
            inv_begin_perform(inv);
            invoke_rotate(&op);
        }
        return st;
    }
    default: {
        struct cnode_transfer op = {0};
        st = decode_transfer(inv, target, &op);
        if (st == EXCEPTION_NONE) {
            inv_begin_perform(inv);
            invoke_transfer(&op);
        }
        return st;
    }
    }
}
