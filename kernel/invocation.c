/* Capability invocations: look up the invoked cap and the extra caps in the caller's
 * CSpace, hand the invocation to its object by cap type, and answer a Call with the error
 * or an empty success (manual §10.1; upstream's handleInvocation). Every method is a
 * decode_x that only checks (changes nothing) and an invoke_x that only acts, with
 * inv_begin_perform between them; <obj>_invocation dispatches by label. */
#include "kernel/invocation.h"

#include <sel4/constants.h>

#include "arch/aarch64/asid.h"
#include "arch/aarch64/frame.h"
#include "arch/aarch64/irq_arm.h"
#include "arch/aarch64/page_table.h"
#include "arch/aarch64/vspace.h"
#include "kernel/cnode.h"
#include "kernel/console.h"
#include "kernel/endpoint.h"
#include "kernel/fault.h"
#include "kernel/irq.h"
#include "kernel/message.h"
#include "kernel/notification.h"
#include "kernel/objects.h"
#include "kernel/tcb_invocation.h"
#include "kernel/transfer.h"
#include "kernel/untyped.h"
#include "sched/domain.h"
#include "sched/sched_context.h"

struct syscall_error ks_syscall_error;

/* Most invocations fit the registers: the buffer's lookup waits until an argument beyond
 * them is read. The cache is no part of the invocation's meaning, hence the cast. */
static seL4_IPCBuffer *inv_buffer(const struct invocation *inv)
{
    if (!inv->buffer_known) {
        struct invocation *cache = (struct invocation *)inv;
        cache->buffer = message_ipc_buffer(inv->thread, false);
        cache->buffer_known = true;
    }
    return inv->buffer;
}

uint64_t inv_arg(const struct invocation *inv, unsigned int i)
{
    return message_get_mr(inv->thread, i < MSG_REGISTERS_IN_CPU ? 0 : inv_buffer(inv), i);
}

enum exception inv_error(seL4_Error type)
{
    ks_syscall_error = (struct syscall_error){.type = type};
    return EXCEPTION_SYSCALL_ERROR;
}

enum exception inv_invalid_argument(uint64_t index)
{
    inv_error(seL4_InvalidArgument);
    ks_syscall_error.invalid_argument = index;
    return EXCEPTION_SYSCALL_ERROR;
}

enum exception inv_invalid_cap(uint64_t index)
{
    inv_error(seL4_InvalidCapability);
    ks_syscall_error.invalid_cap = index;
    return EXCEPTION_SYSCALL_ERROR;
}

enum exception inv_range_error(uint64_t min, uint64_t max)
{
    inv_error(seL4_RangeError);
    ks_syscall_error.range_min = min;
    ks_syscall_error.range_max = max;
    return EXCEPTION_SYSCALL_ERROR;
}

enum exception inv_failed_lookup(bool source, const struct lookup_fault *f)
{
    inv_error(seL4_FailedLookup);
    ks_syscall_error.failed_lookup_was_source = source;
    ks_syscall_error.lookup = *f;
    return EXCEPTION_SYSCALL_ERROR;
}

enum exception inv_not_enough_memory(uint64_t left)
{
    inv_error(seL4_NotEnoughMemory);
    ks_syscall_error.memory_left = left;
    return EXCEPTION_SYSCALL_ERROR;
}

enum exception inv_lookup_target_slot(cap_t root, uint64_t index, uint64_t depth, cte_t **slot)
{
    struct lookup_fault f;
    unsigned int d = depth > CSPACE_DEPTH_MAX ? CSPACE_DEPTH_MAX + 1 : (unsigned int)depth;
    switch (cspace_lookup_slot_for_cnode_op(root, index, d, slot, &f)) {
    case CSPACE_OK:
        return EXCEPTION_NONE;
    case CSPACE_RANGE_ERROR:
        return inv_range_error(CSPACE_DEPTH_MIN, CSPACE_DEPTH_MAX);
    default:
        return inv_failed_lookup(false, &f);
    }
}

void inv_begin_perform(struct invocation *inv)
{
    inv->thread->state = THREAD_RESTART;
}

/* Only a Call gets an answer: a Send's registers (and the receive phase of ReplyRecv and
 * the like, which reads x0 and x6 next) must stay as the caller left them. */
void inv_reply_mr(struct invocation *inv, unsigned int i, uint64_t value)
{
    if (inv->is_call) {
        message_set_mr(inv->thread, message_ipc_buffer(inv->thread, true), i, value);
    }
}

void inv_reply(struct invocation *inv, unsigned int length)
{
    struct tcb *t = inv->thread;
    if (inv->is_call) {
        t->ctx.regs[REG_CAP] = 0;
        t->ctx.regs[REG_MSG_INFO] = msginfo_make(0, 0, 0, length);
    }
    t->state = THREAD_RUNNING;
}

/* Error reply layout: ABI §2.3. Returns the number of message registers written. */
static unsigned int set_error_mrs(struct tcb *t, seL4_IPCBuffer *buf)
{
    const struct syscall_error *e = &ks_syscall_error;
    uint64_t mr[1 + 4];
    unsigned int n = 0;
    switch (e->type) {
    case seL4_InvalidArgument:
        mr[n++] = e->invalid_argument;
        break;
    case seL4_InvalidCapability:
        mr[n++] = e->invalid_cap;
        break;
    case seL4_RangeError:
        mr[n++] = e->range_min;
        mr[n++] = e->range_max;
        break;
    case seL4_FailedLookup:
        mr[n++] = e->failed_lookup_was_source ? 1 : 0;
        n += lookup_fault_encode(&e->lookup, &mr[n]);
        break;
    case seL4_NotEnoughMemory:
        mr[n++] = e->memory_left;
        break;
    default:
        break;
    }
    unsigned int written = 0;
    while (written < n && message_set_mr(t, buf, written, mr[written])) {
        written++;
    }
    return written;
}

static void reply_error(struct tcb *t)
{
    unsigned int len = set_error_mrs(t, message_ipc_buffer(t, true));
    t->ctx.regs[REG_CAP] = 0;
    t->ctx.regs[REG_MSG_INFO] = msginfo_make(ks_syscall_error.type, 0, 0, len);
}

/* Sending on an endpoint or signalling a notification needs the Write right. */
static enum exception decode_send(const struct invocation *inv)
{
    return cap_rights(inv->cap) & RIGHT_WRITE ? EXCEPTION_NONE : inv_invalid_cap(0);
}

static void invoke_endpoint_send(const struct invocation *inv)
{
    struct send_args a = {
        .badge = cap_badge(inv->cap),
        .can_grant = cap_rights(inv->cap) & RIGHT_GRANT,
        .can_grant_reply = cap_rights(inv->cap) & RIGHT_GRANT_REPLY,
        .blocking = inv->is_blocking,
        .is_call = inv->is_call,
        .can_donate = inv->can_donate,
    };
    send_ipc(inv->thread, cap_ptr(inv->cap), &a);
}

/* Routes the invocation to its object's decoder, which checks it and, if it is valid,
 * performs it. */
static enum exception dispatch(struct invocation *inv)
{
    enum exception st;
    switch (cap_get_type(inv->cap)) {
    case cap_null_cap:
    case cap_zombie_cap:
        return inv_invalid_cap(0);
    case cap_cnode_cap:
        return cnode_invocation(inv);
    case cap_untyped_cap:
        return untyped_invocation(inv);
    case cap_endpoint_cap:
        st = decode_send(inv);
        if (st == EXCEPTION_NONE) {
            inv_begin_perform(inv);
            invoke_endpoint_send(inv);
        }
        return st;
    case cap_notification_cap:
        st = decode_send(inv);
        if (st == EXCEPTION_NONE) {
            inv_begin_perform(inv);
            send_signal(cap_ptr(inv->cap), cap_badge(inv->cap));
        }
        return st;
    case cap_reply_cap:
        inv_begin_perform(inv);
        reply_transfer(inv->thread, cap_ptr(inv->cap), cap_reply_can_grant(inv->cap));
        return EXCEPTION_NONE;
    case cap_thread_cap:
        return tcb_invocation(inv);
    case cap_sched_context_cap:
        return sched_context_invocation(inv);
    case cap_sched_control_cap:
        return sched_control_invocation(inv);
    case cap_domain_cap:
        return domain_invocation(inv);
    case cap_irq_control_cap:
        return irq_control_invocation(inv);
    case cap_irq_handler_cap:
        return irq_handler_invocation(inv);
    case cap_sgi_signal_cap:
        /* Any label, no arguments, no errors: it raises its SGI (upstream). */
        inv_begin_perform(inv);
        arm_sgi_signal_invoke(inv->cap);
        return EXCEPTION_NONE;
    case cap_frame_cap:
        return frame_invocation(inv);
    case cap_page_table_cap:
        return page_table_invocation(inv);
    case cap_vspace_cap:
        return vspace_invocation(inv);
    case cap_asid_control_cap:
        return asid_control_invocation(inv);
    case cap_asid_pool_cap:
        return asid_pool_invocation(inv);
    default:
        return inv_invalid_cap(0);
    }
}

static void raise_cap_fault(struct tcb *t, uint64_t cptr, const struct lookup_fault *lf)
{
    struct fault f = {.type = FAULT_CAP, .addr = cptr, .lookup = *lf};
    fault_raise(t, &f);
}

enum exception invocation_handle(struct tcb *t, uint64_t cptr, cte_t *slot, bool is_call,
                                 bool is_blocking, bool can_donate)
{
    uint64_t info = t->ctx.regs[REG_MSG_INFO];
    cap_t root = tcb_slot(t, TCB_CTABLE)->cap;
    unsigned int extra = msginfo_extra_caps(info);
    /* Field by field: an initialiser would clear the whole struct first, on every call. */
    struct invocation inv;
    inv.thread = t;
    inv.label = msginfo_label(info);
    inv.length = msginfo_length(info);
    inv.cptr = cptr;
    inv.cap = cap_null();
    for (unsigned int i = 0; i < MAX_EXTRA_CAPS; i++) {
        inv.extra[i] = 0;
    }
    inv.extra_count = 0;
    inv.buffer = 0;
    inv.buffer_known = false;
    inv.is_call = is_call;
    inv.is_blocking = is_blocking;
    inv.can_donate = can_donate;
    if (inv.length > seL4_MsgMaxLength) {
        inv.length = seL4_MsgMaxLength;
    }
    struct lookup_fault lf;
    unsigned int rest;
    inv.slot = slot ? slot : cspace_lookup_one_level(root, cptr);
    if (!inv.slot && !cspace_resolve(root, inv.cptr, seL4_WordBits, &inv.slot, &rest, &lf)) {
        if (is_blocking) {
            raise_cap_fault(t, inv.cptr, &lf);
        }
        return EXCEPTION_NONE;
    }
    inv.cap = inv.slot->cap;
    if (extra || inv.length > MSG_REGISTERS_IN_CPU) {
        (void)inv_buffer(&inv);
    }
    for (unsigned int i = 0; inv.buffer && i < extra; i++) {
        uint64_t cptr = inv.buffer->caps_or_badges[i];
        if (!cspace_resolve(root, cptr, seL4_WordBits, &inv.extra[i], &rest, &lf)) {
            if (is_blocking) {
                raise_cap_fault(t, cptr, &lf);
            }
            return EXCEPTION_NONE;
        }
        inv.extra_count = i + 1;
    }
    if (!inv.buffer && inv.length > MSG_REGISTERS_IN_CPU) {
        inv.length = MSG_REGISTERS_IN_CPU;
    }

    enum exception status = dispatch(&inv);
    if (status == EXCEPTION_PREEMPTED) {
        return status;
    }
    if (status == EXCEPTION_SYSCALL_ERROR) {
        if (is_call) {
            reply_error(t);
        }
        return EXCEPTION_NONE;
    }
    if (t->state == THREAD_RESTART) {
        inv_reply(&inv, 0);
    }
    return EXCEPTION_NONE;
}
