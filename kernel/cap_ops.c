/* Capability values; see cap_ops.h. Semantics follow upstream seL4 where the manual is
 * silent (which caps are physical, how regions nest). */
#include "kernel/cap_ops.h"

#include <sel4/constants.h>

bool cap_is_physical(cap_t c)
{
    switch (cap_get_type(c)) {
    case cap_untyped_cap:
    case cap_endpoint_cap:
    case cap_notification_cap:
    case cap_cnode_cap:
    case cap_thread_cap:
    case cap_zombie_cap:
    case cap_reply_cap:
    case cap_sched_context_cap:
    case cap_frame_cap:
    case cap_page_table_cap:
    case cap_vspace_cap:
    case cap_asid_pool_cap:
        return true;
    default:
        return false;
    }
}

unsigned int cap_size_bits(cap_t c)
{
    switch (cap_get_type(c)) {
    case cap_untyped_cap:
        return cap_untyped_size_bits(c);
    case cap_endpoint_cap:
        return seL4_EndpointBits;
    case cap_notification_cap:
        return seL4_NotificationBits;
    case cap_cnode_cap:
        return cap_cnode_radix(c) + seL4_SlotBits;
    case cap_thread_cap:
        return seL4_TCBBits;
    case cap_zombie_cap:
        return cap_zombie_is_tcb(c) ? seL4_TCBBits : cap_zombie_radix(c) + seL4_SlotBits;
    case cap_reply_cap:
        return seL4_ReplyBits;
    case cap_sched_context_cap:
        return cap_sched_context_size_bits(c);
    case cap_frame_cap:
        return cap_frame_bits(c);
    case cap_page_table_cap:
        return seL4_PageTableBits;
    case cap_vspace_cap:
        return seL4_VSpaceBits;
    case cap_asid_pool_cap:
        return seL4_ASIDPoolBits;
    default:
        return 0;
    }
}

static uint64_t region_top(cap_t c)
{
    return cap_paddr(c) + ((1ull << cap_size_bits(c)) - 1);
}

bool cap_same_region_as(cap_t a, cap_t b)
{
    enum cap_type tb = cap_get_type(b);
    switch (cap_get_type(a)) {
    case cap_untyped_cap:
        return cap_is_physical(b) && cap_paddr(a) <= cap_paddr(b) && region_top(b) <= region_top(a) &&
               cap_paddr(b) <= region_top(b);
    case cap_frame_cap:
        return tb == cap_frame_cap && cap_paddr(a) <= cap_paddr(b) && region_top(a) >= region_top(b);
    case cap_endpoint_cap:
    case cap_notification_cap:
    case cap_thread_cap:
    case cap_reply_cap:
    case cap_page_table_cap:
    case cap_vspace_cap:
    case cap_asid_pool_cap:
        return tb == cap_get_type(a) && cap_paddr(a) == cap_paddr(b);
    case cap_cnode_cap:
        return tb == cap_cnode_cap && cap_paddr(a) == cap_paddr(b) &&
               cap_cnode_radix(a) == cap_cnode_radix(b);
    case cap_sched_context_cap:
        return tb == cap_sched_context_cap && cap_paddr(a) == cap_paddr(b) &&
               cap_sched_context_size_bits(a) == cap_sched_context_size_bits(b);
    case cap_domain_cap:
    case cap_sched_control_cap:
    case cap_asid_control_cap:
        return tb == cap_get_type(a);
    case cap_irq_control_cap:
        /* Handlers and SGI signal caps are IRQControl's descendants (upstream). */
        return tb == cap_irq_control_cap || tb == cap_irq_handler_cap || tb == cap_sgi_signal_cap;
    case cap_irq_handler_cap:
        return tb == cap_irq_handler_cap && cap_irq_handler_irq(a) == cap_irq_handler_irq(b);
    case cap_sgi_signal_cap:
        return tb == cap_sgi_signal_cap && cap_sgi_signal_irq(a) == cap_sgi_signal_irq(b) &&
               cap_sgi_signal_target(a) == cap_sgi_signal_target(b);
    default:
        return false;
    }
}

bool cap_same_object_as(cap_t a, cap_t b)
{
    enum cap_type ta = cap_get_type(a);
    if (ta == cap_untyped_cap) {
        return false;
    }
    if (ta == cap_irq_control_cap &&
        (cap_get_type(b) == cap_irq_handler_cap || cap_get_type(b) == cap_sgi_signal_cap)) {
        return false;
    }
    if (ta == cap_frame_cap) {
        return cap_get_type(b) == cap_frame_cap && cap_paddr(a) == cap_paddr(b) &&
               cap_frame_size(a) == cap_frame_size(b) &&
               cap_frame_is_device(a) == cap_frame_is_device(b);
    }
    return cap_same_region_as(a, b);
}

bool cap_is_revocable(cap_t derived, cap_t src)
{
    switch (cap_get_type(derived)) {
    case cap_endpoint_cap:
    case cap_notification_cap:
        return cap_badge(derived) != cap_badge(src);
    case cap_irq_handler_cap:
    case cap_sgi_signal_cap:
        return cap_get_type(src) == cap_irq_control_cap;
    case cap_untyped_cap:
        return true;
    default:
        return false;
    }
}

static enum vm_rights mask_vm_rights(enum vm_rights vm, unsigned int rights)
{
    bool read = rights & RIGHT_READ, write = rights & RIGHT_WRITE;
    if (vm == VM_READ_ONLY && read) {
        return VM_READ_ONLY;
    }
    if (vm == VM_READ_WRITE && read) {
        return write ? VM_READ_WRITE : VM_READ_ONLY;
    }
    return VM_KERNEL_ONLY;
}

cap_t cap_mask_rights(unsigned int rights, cap_t c)
{
    switch (cap_get_type(c)) {
    case cap_endpoint_cap:
        return cap_set_rights(c, cap_rights(c) & rights);
    case cap_notification_cap:
        return cap_set_rights(c, cap_rights(c) & rights & (RIGHT_READ | RIGHT_WRITE));
    case cap_reply_cap:
        return cap_reply_new(cap_paddr(c), cap_reply_can_grant(c) && (rights & RIGHT_GRANT));
    case cap_frame_cap:
        return cap_frame_new(cap_paddr(c), cap_frame_size(c),
                             mask_vm_rights(cap_frame_rights(c), rights), cap_frame_is_device(c),
                             cap_vm_is_mapped(c), cap_vm_asid(c), cap_vm_vaddr(c));
    default:
        return c;
    }
}

#define GUARD_SIZE_SHIFT 0
#define GUARD_SIZE_BITS seL4_GuardSizeBits
#define GUARD_SHIFT seL4_GuardSizeBits

cap_t cap_update_data(bool preserve, uint64_t data, cap_t c)
{
    switch (cap_get_type(c)) {
    case cap_endpoint_cap:
    case cap_notification_cap:
        /* A badge is set once, by Mint, on an unbadged cap. */
        if (!preserve && cap_badge(c) == 0) {
            return cap_set_badge(c, data);
        }
        return cap_null();
    case cap_cnode_cap: {
        unsigned int guard_size = (unsigned int)cap_bits(data, GUARD_SIZE_SHIFT, GUARD_SIZE_BITS);
        if (guard_size + cap_cnode_radix(c) > seL4_WordBits) {
            return cap_null();
        }
        uint64_t guard = data >> GUARD_SHIFT;
        guard = guard_size < seL4_WordBits ? guard & ((1ull << guard_size) - 1) : guard;
        return cap_cnode_new(cap_paddr(c), cap_cnode_radix(c), guard_size, guard);
    }
    default:
        return c;
    }
}

enum derive_status cap_derive(cap_t c, bool untyped_has_children, cap_t *out)
{
    *out = c;
    switch (cap_get_type(c)) {
    case cap_zombie_cap:
    case cap_irq_control_cap:
        *out = cap_null();
        return DERIVE_OK;
    case cap_untyped_cap:
        if (untyped_has_children) {
            *out = cap_null();
            return DERIVE_REVOKE_FIRST;
        }
        return DERIVE_OK;
    case cap_page_table_cap:
    case cap_vspace_cap:
        /* Table 3.2: only a table that is in use may be copied. */
        if (!cap_vm_is_mapped(c)) {
            *out = cap_null();
            return DERIVE_ILLEGAL;
        }
        return DERIVE_OK;
    case cap_frame_cap:
        /* A copy of a frame cap is a new, unmapped handle on the same frame. */
        *out = cap_frame_new(cap_paddr(c), cap_frame_size(c), cap_frame_rights(c),
                             cap_frame_is_device(c), false, 0, 0);
        return DERIVE_OK;
    default:
        return DERIVE_OK;
    }
}
