/* TCB methods (manual §10.3.5, MCS set): registers, CSpace/VSpace/IPC buffer, priorities,
 * scheduling context and fault/timeout handlers, suspend/resume, TLS base and flags. Each
 * method is a decode_x that only checks and an invoke_x that only acts; checks and their
 * order follow the manual and, where it is silent, upstream. */
#include "kernel/tcb_invocation.h"

#include <sel4/constants.h>
#include <sel4/invocation.h>

#include "arch/aarch64/sysreg.h"
#include "arch/aarch64/vspace.h"
#include "kernel/cap_ops.h"
#include "kernel/cdt.h"
#include "kernel/delete.h"
#include "kernel/fault.h"
#include "kernel/message.h"
#include "kernel/objects.h"
#include "kernel/notification.h"
#include "kernel/endpoint.h"
#include "kernel/thread.h"
#include "kernel/trace.h"
#include "sched/scheduler.h"

/* seL4_UserContext order (ABI §4.3): the frame registers, then the integer ones. */
static const unsigned char user_context_order[] = {
    CTX_FAULT_IP, CTX_SP_EL0, CTX_SPSR, 0, 1, 2, 3, 4, 5, 6, 7, 8, 16, 17, 18, 29, 30,
    9, 10, 11, 12, 13, 14, 15, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28,
    CTX_TPIDR_EL0, CTX_TPIDRRO_EL0,
};
#define FRAME_REGISTERS 17
#define USER_CONTEXT_WORDS (sizeof(user_context_order))
#define SPSR_NZCV_MASK 0xf0000000ul
#define IPC_BUFFER_ALIGN (1ul << seL4_IPCBufferSizeBits)

#define FLAG_SUSPEND_SOURCE 1u
#define FLAG_RESUME_TARGET 1u
#define COPY_SUSPEND_SOURCE 1u
#define COPY_RESUME_TARGET 2u
#define COPY_TRANSFER_FRAME 4u
#define COPY_TRANSFER_INTEGER 8u

static struct tcb *target(const struct invocation *inv)
{
    return cap_thread_tcb(inv->cap);
}

/* ---- registers ------------------------------------------------------------------------ */

uint64_t tcb_sanitise_spsr(uint64_t v)
{
    /* Only the condition flags are the user's: the mode is EL0 and interrupts stay open. */
    return (v & SPSR_NZCV_MASK) | tcb_initial_spsr();
}

static uint64_t sanitise(unsigned int reg, uint64_t v)
{
    return reg == CTX_SPSR ? tcb_sanitise_spsr(v) : v;
}

/* Resume acts on a thread that is not running or ready: inactive, or blocked in IPC or on
 * a notification (upstream isStopped). */
static bool is_stopped(const struct tcb *t)
{
    return t->state == THREAD_INACTIVE || thread_is_blocked(t);
}

void tcb_restart(struct tcb *t)
{
    if (is_stopped(t)) {
        cancel_ipc(t);
        thread_set_state(t, THREAD_RESTART);
    }
}

void tcb_suspend(struct tcb *t)
{
    cancel_ipc(t);
    /* A running thread's restart point may be stale; it continues where it stopped. */
    if (t->state == THREAD_RUNNING) {
        t->ctx.regs[CTX_FAULT_IP] = t->ctx.regs[CTX_ELR];
    }
    thread_suspend(t);
}

/* ReadRegisters, WriteRegisters: how many registers, and the flag word. */
struct tcb_registers {
    struct tcb *target;
    uint64_t flags;
    unsigned int count;
};

static enum exception decode_read_registers(const struct invocation *inv, struct tcb_registers *op)
{
    if (inv->length < 2) {
        return inv_error(seL4_TruncatedMessage);
    }
    uint64_t flags = inv_arg(inv, 0), n = inv_arg(inv, 1);
    if (n < 1 || n > USER_CONTEXT_WORDS) {
        return inv_range_error(1, USER_CONTEXT_WORDS);
    }
    struct tcb *t = target(inv);
    if (t == inv->thread) {
        return inv_error(seL4_IllegalOperation);
    }
    *op = (struct tcb_registers){t, flags, (unsigned int)n};
    return EXCEPTION_NONE;
}

static void invoke_read_registers(struct invocation *inv, const struct tcb_registers *op)
{
    if (op->flags & FLAG_SUSPEND_SOURCE) {
        tcb_suspend(op->target);
    }
    unsigned int i = 0;
    seL4_IPCBuffer *buf = message_ipc_buffer(inv->thread, true);
    while (i < op->count &&
           message_set_mr(inv->thread, buf, i, op->target->ctx.regs[user_context_order[i]])) {
        i++;
    }
    inv_reply(inv, i);
}

static enum exception decode_write_registers(const struct invocation *inv, struct tcb_registers *op)
{
    if (inv->length < 2) {
        return inv_error(seL4_TruncatedMessage);
    }
    uint64_t flags = inv_arg(inv, 0), n = inv_arg(inv, 1);
    if (inv->length - 2 < n) {
        return inv_error(seL4_TruncatedMessage);
    }
    struct tcb *t = target(inv);
    if (t == inv->thread) {
        return inv_error(seL4_IllegalOperation);
    }
    /* Words beyond a whole seL4_UserContext are ignored (upstream). */
    *op = (struct tcb_registers){t, flags, n > USER_CONTEXT_WORDS ? USER_CONTEXT_WORDS : (unsigned int)n};
    return EXCEPTION_NONE;
}

static void invoke_write_registers(const struct invocation *inv, const struct tcb_registers *op)
{
    struct tcb *t = op->target;
    for (unsigned int i = 0; i < op->count; i++) {
        unsigned int reg = user_context_order[i];
        t->ctx.regs[reg] = sanitise(reg, inv_arg(inv, 2 + i));
    }
    t->ctx.regs[CTX_ELR] = t->ctx.regs[CTX_FAULT_IP];
    if (op->flags & FLAG_RESUME_TARGET) {
        tcb_restart(t);
    }
}

struct tcb_copy_registers {
    struct tcb *src, *dest;
    uint64_t flags;
};

static enum exception decode_copy_registers(const struct invocation *inv,
                                            struct tcb_copy_registers *op)
{
    if (inv->length < 1 || inv->extra_count < 1) {
        return inv_error(seL4_TruncatedMessage);
    }
    cap_t src_cap = inv->extra[0]->cap;
    if (cap_get_type(src_cap) != cap_thread_cap) {
        return inv_invalid_cap(1);
    }
    *op = (struct tcb_copy_registers){cap_thread_tcb(src_cap), target(inv), inv_arg(inv, 0)};
    return EXCEPTION_NONE;
}

static void invoke_copy_registers(const struct tcb_copy_registers *op)
{
    struct tcb *src = op->src, *dest = op->dest;
    if (op->flags & COPY_SUSPEND_SOURCE) {
        tcb_suspend(src);
    }
    if (op->flags & COPY_RESUME_TARGET) {
        tcb_restart(dest);
    }
    unsigned int from = (op->flags & COPY_TRANSFER_FRAME) ? 0 : FRAME_REGISTERS;
    unsigned int to = (op->flags & COPY_TRANSFER_INTEGER) ? USER_CONTEXT_WORDS : FRAME_REGISTERS;
    for (unsigned int i = from; i < to; i++) {
        unsigned int reg = user_context_order[i];
        dest->ctx.regs[reg] = src->ctx.regs[reg];
    }
    if (op->flags & COPY_TRANSFER_FRAME) {
        dest->ctx.regs[CTX_ELR] = dest->ctx.regs[CTX_FAULT_IP];
    }
}

/* ---- spaces, buffer and handlers -------------------------------------------------------- */

/* A fault or timeout handler slot takes a null cap (none) or a valid handler. */
static bool fault_handler_acceptable(cap_t c)
{
    return cap_is_null(c) || fault_handler_valid(c);
}

static enum exception check_ipc_buffer(uint64_t vaddr, cap_t frame)
{
    if (cap_get_type(frame) != cap_frame_cap || cap_frame_is_device(frame)) {
        return inv_error(seL4_IllegalOperation);
    }
    if (vaddr & (IPC_BUFFER_ALIGN - 1)) {
        return inv_error(seL4_AlignmentError);
    }
    return EXCEPTION_NONE;
}

/* The caps one of the space-setting methods installs; slot 0 = leave unchanged. */
struct thread_caps {
    cap_t cspace, vspace, buffer, fault;
    cte_t *cspace_src, *vspace_src, *buffer_src, *fault_src;
    bool set_cspace, set_vspace, set_buffer, set_fault;
    uint64_t buffer_vaddr;
};

static enum exception derive_from(cte_t *slot, cap_t c, cap_t *out)
{
    switch (cap_derive(c, cdt_has_children(slot), out)) {
    case DERIVE_REVOKE_FIRST:
        return inv_error(seL4_RevokeFirst);
    case DERIVE_ILLEGAL:
        return inv_error(seL4_IllegalOperation);
    default:
        return EXCEPTION_NONE;
    }
}

static enum exception decode_cspace(struct thread_caps *tc, cte_t *slot, uint64_t data)
{
    cap_t c = slot->cap;
    if (data != 0) {
        c = cap_update_data(false, data, c);
    }
    enum exception st = derive_from(slot, c, &tc->cspace);
    if (st != EXCEPTION_NONE) {
        return st;
    }
    if (cap_get_type(tc->cspace) != cap_cnode_cap) {
        return inv_error(seL4_IllegalOperation);
    }
    tc->cspace_src = slot;
    tc->set_cspace = true;
    return EXCEPTION_NONE;
}

static enum exception decode_vspace(struct thread_caps *tc, cte_t *slot)
{
    enum exception st = derive_from(slot, slot->cap, &tc->vspace);
    if (st != EXCEPTION_NONE) {
        return st;
    }
    if (cap_get_type(tc->vspace) != cap_vspace_cap || !cap_vm_is_mapped(tc->vspace)) {
        return inv_error(seL4_IllegalOperation);
    }
    tc->vspace_src = slot;
    tc->set_vspace = true;
    return EXCEPTION_NONE;
}

static enum exception decode_buffer(struct thread_caps *tc, cte_t *slot, uint64_t vaddr)
{
    tc->set_buffer = true;
    tc->buffer_vaddr = vaddr;
    if (vaddr == 0) {
        return EXCEPTION_NONE;
    }
    enum exception st = derive_from(slot, slot->cap, &tc->buffer);
    if (st != EXCEPTION_NONE) {
        return st;
    }
    st = check_ipc_buffer(vaddr, tc->buffer);
    tc->buffer_src = slot;
    return st;
}

static enum exception decode_fault(struct thread_caps *tc, cte_t *slot, unsigned int index)
{
    if (!fault_handler_acceptable(slot->cap)) {
        return inv_invalid_cap(index);
    }
    tc->fault = slot->cap;
    tc->fault_src = slot;
    tc->set_fault = true;
    return EXCEPTION_NONE;
}

/* Replaces a TCB slot's cap: delete (which may be preempted; the call restarts) and copy
 * in the new one unless its source vanished meanwhile. */
static enum exception replace_slot(cte_t *tcb_cap_slot, struct tcb *t, enum tcb_cnode_index i,
                                   cap_t new_cap, cte_t *src)
{
    cte_t *slot = tcb_slot(t, i);
    enum exception st = cte_delete(slot, true);
    if (st != EXCEPTION_NONE) {
        return st;
    }
    if (src && !cap_is_null(new_cap) && cap_same_object_as(new_cap, src->cap) &&
        cap_get_type(tcb_cap_slot->cap) == cap_thread_cap &&
        cap_thread_tcb(tcb_cap_slot->cap) == t) {
        cdt_insert(new_cap, src, slot);
    }
    if (i == TCB_VTABLE) {
        t->ttbr_gen = 0; /* its cached TTBR0 is stale; no other thread's is (vspace.h) */
    }
    return EXCEPTION_NONE;
}

/* Installs what a Configure, SetSpace, SetIPCBuffer or SetSchedParams decoded. May stop
 * at a preemption point while deleting an old cap; the call then restarts and finds the
 * slots it already replaced holding the new caps. */
static enum exception invoke_thread_caps(const struct invocation *inv, const struct thread_caps *tc)
{
    struct tcb *t = target(inv);
    enum exception st = EXCEPTION_NONE;
    if (tc->set_fault) {
        st = replace_slot(inv->slot, t, TCB_FAULT_HANDLER, tc->fault, tc->fault_src);
    }
    if (st == EXCEPTION_NONE && tc->set_cspace) {
        st = replace_slot(inv->slot, t, TCB_CTABLE, tc->cspace, tc->cspace_src);
    }
    if (st == EXCEPTION_NONE && tc->set_vspace) {
        st = replace_slot(inv->slot, t, TCB_VTABLE, tc->vspace, tc->vspace_src);
    }
    if (st == EXCEPTION_NONE && tc->set_buffer) {
        st = replace_slot(inv->slot, t, TCB_BUFFER, tc->buffer, tc->buffer_src);
        if (st == EXCEPTION_NONE) {
            t->ipc_buffer_vaddr = tc->buffer_vaddr;
        }
    }
    return st;
}

static enum exception decode_configure(const struct invocation *inv, struct thread_caps *tc)
{
    if (inv->length < 3 || inv->extra_count < 3) {
        return inv_error(seL4_TruncatedMessage);
    }
    enum exception st = decode_buffer(tc, inv->extra[2], inv_arg(inv, 2));
    if (st == EXCEPTION_NONE) {
        st = decode_cspace(tc, inv->extra[0], inv_arg(inv, 0));
    }
    if (st == EXCEPTION_NONE) {
        st = decode_vspace(tc, inv->extra[1]);
    }
    return st;
}

static enum exception decode_set_space(const struct invocation *inv, struct thread_caps *tc)
{
    if (inv->length < 2 || inv->extra_count < 3) {
        return inv_error(seL4_TruncatedMessage);
    }
    enum exception st = decode_fault(tc, inv->extra[0], 1);
    if (st == EXCEPTION_NONE) {
        st = decode_cspace(tc, inv->extra[1], inv_arg(inv, 0));
    }
    if (st == EXCEPTION_NONE) {
        st = decode_vspace(tc, inv->extra[2]);
    }
    return st;
}

static enum exception decode_set_ipc_buffer(const struct invocation *inv, struct thread_caps *tc)
{
    if (inv->length < 1 || inv->extra_count < 1) {
        return inv_error(seL4_TruncatedMessage);
    }
    return decode_buffer(tc, inv->extra[0], inv_arg(inv, 0));
}

static enum exception decode_set_timeout_endpoint(const struct invocation *inv)
{
    if (inv->extra_count < 1) {
        return inv_error(seL4_TruncatedMessage);
    }
    return fault_handler_acceptable(inv->extra[0]->cap) ? EXCEPTION_NONE : inv_invalid_cap(1);
}

static enum exception invoke_set_timeout_endpoint(const struct invocation *inv)
{
    cte_t *src = inv->extra[0];
    return replace_slot(inv->slot, target(inv), TCB_TIMEOUT_HANDLER, src->cap, src);
}

/* ---- priorities and scheduling contexts -------------------------------------------------- */

static enum exception authority(const struct invocation *inv, struct tcb **auth)
{
    cap_t c = inv->extra[0]->cap;
    if (cap_get_type(c) != cap_thread_cap) {
        return inv_invalid_cap(1);
    }
    *auth = cap_thread_tcb(c);
    return EXCEPTION_NONE;
}

/* Manual §6.1.6: nobody sets a priority or MCP above the authority's MCP. */
static enum exception check_prio(uint64_t prio, const struct tcb *auth)
{
    return prio > auth->mcp ? inv_range_error(seL4_MinPrio, auth->mcp) : EXCEPTION_NONE;
}

/* A ready thread moves to the back of its new priority's queue; one waiting in an
 * endpoint or notification queue to its new place there (upstream's reorderEP/NTFN). */
void tcb_set_priority(struct tcb *t, uint8_t prio)
{
    sched_remove(t);
    t->priority = prio;
    TRACE_REDESCRIBE_TCB(t);
    switch (t->state) {
    case THREAD_BLOCKED_ON_SEND:
    case THREAD_BLOCKED_ON_RECEIVE:
        endpoint_reorder(t);
        break;
    case THREAD_BLOCKED_ON_NOTIFICATION:
        notification_reorder(t);
        break;
    default:
        break;
    }
    sched_thread_changed(t);
}

static enum exception decode_set_priority(const struct invocation *inv, uint8_t *prio)
{
    if (inv->length < 1 || inv->extra_count < 1) {
        return inv_error(seL4_TruncatedMessage);
    }
    uint64_t value = inv_arg(inv, 0);
    struct tcb *auth = 0;
    enum exception st = authority(inv, &auth);
    if (st == EXCEPTION_NONE) {
        st = check_prio(value, auth);
    }
    *prio = (uint8_t)value;
    return st;
}

/* SetSchedParams: priorities, the context to bind (or none) and the fault handler. */
struct tcb_sched_params {
    uint8_t mcp, prio;
    struct sched_context *sc; /* 0: the target ends up without a bound context */
    struct thread_caps tc;
};

static enum exception decode_set_sched_params(const struct invocation *inv,
                                              struct tcb_sched_params *op)
{
    if (inv->length < 2 || inv->extra_count < 3) {
        return inv_error(seL4_TruncatedMessage);
    }
    uint64_t new_mcp = inv_arg(inv, 0), new_prio = inv_arg(inv, 1);
    struct tcb *auth = 0, *t = target(inv);
    enum exception st = authority(inv, &auth);
    if (st == EXCEPTION_NONE) {
        st = check_prio(new_mcp, auth);
    }
    if (st == EXCEPTION_NONE) {
        st = check_prio(new_prio, auth);
    }
    if (st != EXCEPTION_NONE) {
        return st;
    }
    op->mcp = (uint8_t)new_mcp;
    op->prio = (uint8_t)new_prio;
    cap_t sc_cap = inv->extra[1]->cap;
    op->sc = 0;
    switch (cap_get_type(sc_cap)) {
    case cap_sched_context_cap:
        op->sc = cap_ptr(sc_cap);
        if (t->sc && t->sc != op->sc) {
            return inv_error(seL4_IllegalOperation);
        }
        if (op->sc->tcb && op->sc->tcb != t) {
            return inv_error(seL4_IllegalOperation);
        }
        /* A blocked thread only gets a context it could run on at once (upstream). */
        if (t->sc != op->sc && thread_is_blocked(t) && !sc_released(op->sc)) {
            return inv_error(seL4_IllegalOperation);
        }
        break;
    case cap_null_cap:
        if (t == inv->thread) {
            /* Upstream: "cannot change sched_context of current thread". */
            return inv_error(seL4_IllegalOperation);
        }
        break;
    default:
        return inv_invalid_cap(2);
    }
    return decode_fault(&op->tc, inv->extra[2], 3);
}

static enum exception invoke_set_sched_params(const struct invocation *inv,
                                              const struct tcb_sched_params *op)
{
    enum exception st = invoke_thread_caps(inv, &op->tc);
    if (st != EXCEPTION_NONE) {
        return st;
    }
    struct tcb *t = target(inv);
    t->mcp = op->mcp;
    tcb_set_priority(t, op->prio);
    if (op->sc && t->sc != op->sc) {
        sched_context_bind_tcb(op->sc, t);
    } else if (!op->sc && t->sc) {
        sched_context_unbind_tcb(t->sc);
    }
    return EXCEPTION_NONE;
}

/* ---- the rest --------------------------------------------------------------------------- */

static enum exception decode_set_flags(const struct invocation *inv)
{
    return inv->length < 2 ? inv_error(seL4_TruncatedMessage) : EXCEPTION_NONE;
}

static void invoke_set_flags(struct invocation *inv)
{
    struct tcb *t = target(inv);
    uint64_t clear = inv_arg(inv, 0), set = inv_arg(inv, 1);
    t->flags = (uint32_t)(((t->flags & ~clear) | set) & TCB_FLAGS_ALL);
    inv_reply_mr(inv, 0, t->flags);
    inv_reply(inv, 1);
}

static enum exception decode_set_tls_base(const struct invocation *inv)
{
    return inv->length < 1 ? inv_error(seL4_TruncatedMessage) : EXCEPTION_NONE;
}

static void invoke_set_tls_base(const struct invocation *inv)
{
    target(inv)->ctx.regs[CTX_TPIDR_EL0] = inv_arg(inv, 0);
}

static enum exception decode_bind_notification(const struct invocation *inv,
                                               struct notification **n)
{
    if (inv->extra_count < 1) {
        return inv_error(seL4_TruncatedMessage);
    }
    if (target(inv)->bound_notification) {
        return inv_error(seL4_IllegalOperation);
    }
    cap_t c = inv->extra[0]->cap;
    if (cap_get_type(c) != cap_notification_cap) {
        return inv_error(seL4_IllegalOperation); /* manual §10.3.7.1 */
    }
    *n = cap_ptr(c);
    if (!(cap_rights(c) & RIGHT_READ) || (*n)->head || (*n)->bound_tcb) {
        return inv_error(seL4_IllegalOperation);
    }
    return EXCEPTION_NONE;
}

static enum exception decode_unbind_notification(const struct invocation *inv)
{
    return target(inv)->bound_notification ? EXCEPTION_NONE : inv_error(seL4_IllegalOperation);
}

enum exception tcb_invocation(struct invocation *inv)
{
    struct tcb *t = target(inv);
    enum exception st;
    switch (inv->label) {
    case TCBReadRegisters:
    case TCBWriteRegisters: {
        struct tcb_registers op = {0};
        bool read = inv->label == TCBReadRegisters;
        st = read ? decode_read_registers(inv, &op) : decode_write_registers(inv, &op);
        if (st == EXCEPTION_NONE) {
            inv_begin_perform(inv);
            if (read) {
                invoke_read_registers(inv, &op);
            } else {
                invoke_write_registers(inv, &op);
            }
        }
        return st;
    }
    case TCBCopyRegisters: {
        struct tcb_copy_registers op = {0};
        st = decode_copy_registers(inv, &op);
        if (st == EXCEPTION_NONE) {
            inv_begin_perform(inv);
            invoke_copy_registers(&op);
        }
        return st;
    }
    case TCBConfigure:
    case TCBSetSpace:
    case TCBSetIPCBuffer: {
        struct thread_caps tc = {0};
        st = inv->label == TCBConfigure  ? decode_configure(inv, &tc)
             : inv->label == TCBSetSpace ? decode_set_space(inv, &tc)
                                         : decode_set_ipc_buffer(inv, &tc);
        if (st != EXCEPTION_NONE) {
            return st;
        }
        inv_begin_perform(inv);
        return invoke_thread_caps(inv, &tc);
    }
    case TCBSetPriority:
    case TCBSetMCPriority: {
        uint8_t prio = 0;
        st = decode_set_priority(inv, &prio);
        if (st == EXCEPTION_NONE) {
            inv_begin_perform(inv);
            if (inv->label == TCBSetPriority) {
                tcb_set_priority(t, prio);
            } else {
                t->mcp = prio;
            }
        }
        return st;
    }
    case TCBSetSchedParams: {
        struct tcb_sched_params op = {0};
        st = decode_set_sched_params(inv, &op);
        if (st != EXCEPTION_NONE) {
            return st;
        }
        inv_begin_perform(inv);
        return invoke_set_sched_params(inv, &op);
    }
    case TCBSetTimeoutEndpoint:
        st = decode_set_timeout_endpoint(inv);
        if (st != EXCEPTION_NONE) {
            return st;
        }
        inv_begin_perform(inv);
        return invoke_set_timeout_endpoint(inv);
    case TCBSuspend:
        inv_begin_perform(inv);
        tcb_suspend(t);
        return EXCEPTION_NONE;
    case TCBResume:
        inv_begin_perform(inv);
        tcb_restart(t);
        return EXCEPTION_NONE;
    case TCBSetTLSBase:
        st = decode_set_tls_base(inv);
        if (st == EXCEPTION_NONE) {
            inv_begin_perform(inv);
            invoke_set_tls_base(inv);
        }
        return st;
    case TCBSetFlags:
        st = decode_set_flags(inv);
        if (st == EXCEPTION_NONE) {
            inv_begin_perform(inv);
            invoke_set_flags(inv);
        }
        return st;
    case TCBBindNotification: {
        struct notification *n = 0;
        st = decode_bind_notification(inv, &n);
        if (st == EXCEPTION_NONE) {
            inv_begin_perform(inv);
            notification_bind(n, t);
        }
        return st;
    }
    case TCBUnbindNotification:
        st = decode_unbind_notification(inv);
        if (st == EXCEPTION_NONE) {
            inv_begin_perform(inv);
            notification_unbind_tcb(t);
        }
        return st;
    default:
        return inv_error(seL4_IllegalOperation);
    }
}
