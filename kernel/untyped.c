/* Untyped_Retype; see untyped.h. decode_retype only checks (and returns the manual's
 * error); invoke_retype resets the untyped if it has no children, then creates.
 *
 * Invariant (non-device untypeds): memory beyond an untyped's free index is zero. Boot
 * untypeds start with their free index at the end (their memory was never cleared),
 * creating objects only moves the free index, and a reset (the first retype once no child
 * is left) clears what was used, top down in chunks, lowering the free index as it goes,
 * so a preempted reset resumes where it stopped. Objects therefore start zeroed without
 * the retype itself touching their memory. */
#include "kernel/untyped.h"

#include <sel4/constants.h>
#include <sel4/invocation.h>
#include <sel4/objecttype.h>

#include "arch/aarch64/memzero.h"
#include "kernel/cdt.h"
#include "kernel/objects.h"
#include "kernel/preempt.h"

enum {
    ARG_TYPE = 0,
    ARG_SIZE_BITS,
    ARG_NODE_INDEX,
    ARG_NODE_DEPTH,
    ARG_NODE_OFFSET,
    ARG_NUM_OBJECTS,
    RETYPE_LENGTH,
};

#define RESET_CHUNK_BITS 12

static enum exception reset_untyped(cte_t *slot)
{
    cap_t c = slot->cap;
    uint64_t base = cap_paddr(c);
    uint64_t free_index = cap_untyped_free_index(c);
    if (cap_untyped_is_device(c)) {
        slot->cap = cap_untyped_set_free_index(c, 0);
        return EXCEPTION_NONE;
    }
    while (free_index > 0) {
        uint64_t chunk = free_index & ((1ull << RESET_CHUNK_BITS) - 1);
        if (chunk == 0) {
            chunk = 1ull << RESET_CHUNK_BITS;
        }
        free_index -= chunk;
        memzero(ptr_from_paddr(base + free_index), chunk);
        slot->cap = cap_untyped_set_free_index(slot->cap, free_index);
        if (free_index > 0 && preempt_point()) {
            return EXCEPTION_PREEMPTED;
        }
    }
    return EXCEPTION_NONE;
}

/* What a Retype will do once decoded: window objects of one type in consecutive empty
 * slots from dest, aligned upwards from free_index. */
struct untyped_retype {
    uint64_t type, user_bits;
    unsigned int obj_bits;
    bool device;
    bool reset;          /* no child is left: clear the untyped first */
    uint64_t free_index; /* where the objects may start (0 after a reset) */
    cte_t *dest;
    uint64_t window;
};

static enum exception decode_retype(const struct invocation *inv, struct untyped_retype *op)
{
    if (inv->length < RETYPE_LENGTH || inv->extra_count < 1) {
        return inv_error(seL4_TruncatedMessage);
    }
    uint64_t type = inv_arg(inv, ARG_TYPE), user_bits = inv_arg(inv, ARG_SIZE_BITS);
    uint64_t node_index = inv_arg(inv, ARG_NODE_INDEX), node_depth = inv_arg(inv, ARG_NODE_DEPTH);
    uint64_t node_offset = inv_arg(inv, ARG_NODE_OFFSET), window = inv_arg(inv, ARG_NUM_OBJECTS);

    if (type >= seL4_ObjectTypeCount) {
        return inv_invalid_argument(ARG_TYPE);
    }
    unsigned int obj_bits = user_bits < seL4_WordBits ? object_size_bits(type, user_bits) : 0;
    if (user_bits >= seL4_WordBits || obj_bits > seL4_MaxUntypedBits) {
        return inv_range_error(0, seL4_MaxUntypedBits);
    }
    if ((type == seL4_CapTableObject && user_bits == 0) ||
        (type == seL4_UntypedObject && user_bits < seL4_MinUntypedBits) ||
        (type == seL4_SchedContextObject && user_bits < seL4_MinSchedContextBits)) {
        return inv_invalid_argument(ARG_SIZE_BITS);
    }

    cap_t node = inv->extra[0]->cap;
    if (node_depth != 0) {
        if (node_depth > seL4_WordBits) {
            return inv_range_error(1, seL4_WordBits);
        }
        cte_t *node_slot;
        struct lookup_fault f;
        if (cspace_lookup_slot_for_cnode_op(node, node_index, (unsigned int)node_depth, &node_slot,
                                            &f) != CSPACE_OK) {
            return inv_failed_lookup(false, &f);
        }
        node = node_slot->cap;
    }
    if (cap_get_type(node) != cap_cnode_cap) {
        struct lookup_fault f = {.type = LOOKUP_FAULT_MISSING_CAPABILITY,
                                 .bits_left = (unsigned int)node_depth};
        return inv_failed_lookup(false, &f);
    }
    uint64_t node_size = 1ull << cap_cnode_radix(node);
    if (node_offset > node_size - 1) {
        return inv_range_error(0, node_size - 1);
    }
    if (window < 1 || window > CONFIG_RETYPE_FAN_OUT_LIMIT) {
        return inv_range_error(1, CONFIG_RETYPE_FAN_OUT_LIMIT);
    }
    if (window > node_size - node_offset) {
        return inv_range_error(1, node_size - node_offset);
    }
    cte_t *dest = cap_cnode_slots(node) + node_offset;
    for (uint64_t i = 0; i < window; i++) {
        if (!cap_is_null(dest[i].cap)) {
            return inv_error(seL4_DeleteFirst);
        }
    }

    cap_t ut = inv->cap;
    bool reset = !cdt_has_children(inv->slot);
    uint64_t free_index = reset ? 0 : cap_untyped_free_index(ut);
    uint64_t free_bytes = (1ull << cap_untyped_size_bits(ut)) - free_index;
    if ((free_bytes >> obj_bits) < window) {
        return inv_not_enough_memory(free_bytes);
    }
    bool device = cap_untyped_is_device(ut);
    if (device && !object_type_is_frame(type) && type != seL4_UntypedObject) {
        return inv_invalid_argument(ARG_SIZE_BITS);
    }
    *op = (struct untyped_retype){
        .type = type,
        .user_bits = user_bits,
        .obj_bits = obj_bits,
        .device = device,
        .reset = reset,
        .free_index = free_index,
        .dest = dest,
        .window = window,
    };
    return EXCEPTION_NONE;
}

/* EXCEPTION_PREEMPTED: the reset stopped at a preemption point; the Retype restarts and
 * the reset resumes where it stopped. */
static enum exception invoke_retype(cte_t *ut_slot, const struct untyped_retype *op)
{
    if (op->reset) {
        enum exception st = reset_untyped(ut_slot);
        if (st != EXCEPTION_NONE) {
            return st;
        }
    }
    uint64_t base = cap_paddr(ut_slot->cap);
    uint64_t obj_size = 1ull << op->obj_bits;
    uint64_t first = (base + op->free_index + obj_size - 1) & ~(obj_size - 1);
    ut_slot->cap = cap_untyped_set_free_index(ut_slot->cap, first + op->window * obj_size - base);
    for (uint64_t i = 0; i < op->window; i++) {
        cap_t c = object_create(op->type, first + i * obj_size, op->user_bits, op->device);
        cdt_insert_new(c, ut_slot, &op->dest[i]);
    }
    return EXCEPTION_NONE;
}

enum exception untyped_invocation(struct invocation *inv)
{
    if (inv->label != UntypedRetype) {
        return inv_error(seL4_IllegalOperation);
    }
    struct untyped_retype op = {0};
    enum exception st = decode_retype(inv, &op);
    if (st != EXCEPTION_NONE) {
        return st;
    }
    inv_begin_perform(inv);
    return invoke_retype(inv->slot, &op);
}
