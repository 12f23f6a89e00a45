/* Message transfer; see transfer.h. Capability transfer stops quietly at the first cap it
 * cannot move (manual §4.2.3); extraCaps then says how many got through. */
#include "kernel/transfer.h"

#include <sel4/constants.h>

#include "kernel/cap_ops.h"
#include "kernel/cdt.h"
#include "kernel/fault.h"
#include "kernel/invocation.h"
#include "kernel/message.h"
#include "kernel/reply.h"
#include "kernel/tcb_invocation.h"
#include "kernel/thread.h"
#include "sched/scheduler.h"

static unsigned int copy_mrs(struct tcb *from, const seL4_IPCBuffer *from_buf, struct tcb *to,
                             seL4_IPCBuffer *to_buf, unsigned int n)
{
    unsigned int i = 0;
    for (; i < n && i < MSG_REGISTERS_IN_CPU; i++) {
        message_set_mr(to, to_buf, i, message_get_mr(from, from_buf, i));
    }
    if (!from_buf || !to_buf) {
        return i;
    }
    for (; i < n; i++) {
        message_set_mr(to, to_buf, i, from_buf->msg[i]);
    }
    return i;
}

/* The receiver's receive slot (manual §4.2.2): looked up now, must be empty. */
static cte_t *receive_slot(struct tcb *t, const seL4_IPCBuffer *buf)
{
    cte_t *node_slot, *slot;
    unsigned int rest;
    struct lookup_fault f;
    if (!cspace_resolve(tcb_slot(t, TCB_CTABLE)->cap, buf->receiveCNode, seL4_WordBits, &node_slot,
                        &rest, &f)) {
        return 0;
    }
    if (buf->receiveDepth < 1 || buf->receiveDepth > seL4_WordBits ||
        cspace_lookup_slot_for_cnode_op(node_slot->cap, buf->receiveIndex,
                                        (unsigned int)buf->receiveDepth, &slot, &f) != CSPACE_OK) {
        return 0;
    }
    return cap_is_null(slot->cap) ? slot : 0;
}

struct cap_transfer {
    unsigned int extra, unwrapped;
};

static struct cap_transfer transfer_caps(struct tcb *sender, const seL4_IPCBuffer *send_buf,
                                         unsigned int count, struct endpoint *ep,
                                         struct tcb *receiver, seL4_IPCBuffer *recv_buf)
{
    struct cap_transfer out = {0, 0};
    cte_t *src[MAX_EXTRA_CAPS];
    cap_t root = tcb_slot(sender, TCB_CTABLE)->cap;
    for (unsigned int i = 0; i < count; i++) {
        unsigned int rest;
        struct lookup_fault f;
        /* Any cap that no longer resolves voids the whole cap transfer (upstream). */
        if (!cspace_resolve(root, send_buf->caps_or_badges[i], seL4_WordBits, &src[i], &rest, &f)) {
            return out;
        }
    }
    if (!recv_buf) {
        return out;
    }
    cte_t *dest = receive_slot(receiver, recv_buf);
    for (unsigned int i = 0; i < count; i++) {
        cap_t c = src[i]->cap;
        if (ep && cap_get_type(c) == cap_endpoint_cap && cap_ptr(c) == ep) {
            /* A cap to the endpoint the message travels through is unwrapped. */
            recv_buf->caps_or_badges[i] = cap_badge(c);
            out.unwrapped |= 1u << i;
        } else {
            cap_t derived;
            if (!dest || cap_derive(c, cdt_has_children(src[i]), &derived) != DERIVE_OK ||
                cap_is_null(derived)) {
                break;
            }
            cdt_insert(derived, src[i], dest);
            dest = 0;
        }
        out.extra = i + 1;
    }
    return out;
}

void ipc_transfer(struct tcb *sender, struct endpoint *ep, uint64_t badge, bool grant,
                  struct tcb *receiver)
{
    uint64_t info;
    if (sender->fault.type == FAULT_NULL) {
        uint64_t in = sender->ctx.regs[REG_MSG_INFO];
        unsigned int length = msginfo_length(in);
        unsigned int extra = msginfo_extra_caps(in);
        if (length > seL4_MsgMaxLength) {
            length = seL4_MsgMaxLength;
        }
        /* A message that fits the registers needs neither buffer: no lookups. */
        bool buffers = length > MSG_REGISTERS_IN_CPU || extra;
        seL4_IPCBuffer *recv_buf = buffers ? message_ipc_buffer(receiver, true) : 0;
        seL4_IPCBuffer *send_buf = buffers ? message_ipc_buffer(sender, false) : 0;
        unsigned int n = copy_mrs(sender, send_buf, receiver, recv_buf, length);
        struct cap_transfer caps = {0, 0};
        if (grant && send_buf && extra) {
            caps = transfer_caps(sender, send_buf, extra, ep, receiver, recv_buf);
        }
        info = msginfo_make(msginfo_label(in), caps.unwrapped, caps.extra, n);
    } else {
        seL4_IPCBuffer *recv_buf = message_ipc_buffer(receiver, true);
        uint64_t mr[FAULT_MSG_MAX];
        unsigned int n = fault_message(sender, &sender->fault, mr), sent = 0;
        while (sent < n && message_set_mr(receiver, recv_buf, sent, mr[sent])) {
            sent++;
        }
        info = msginfo_make(sender->fault.type, 0, 0, sent);
    }
    receiver->ctx.regs[REG_MSG_INFO] = info;
    receiver->ctx.regs[REG_CAP] = badge;
}

void transfer_nothing(struct tcb *t)
{
    t->ctx.regs[REG_CAP] = 0; /* only the badge: the MessageInfo stays as it was (upstream) */
}

/* Register orders a fault reply writes back (ABI §4.2). */
static const unsigned char unknown_syscall_reply[] = {
    0, 1, 2, 3, 4, 5, 6, 7, CTX_FAULT_IP, CTX_SP_EL0, CTX_ELR, CTX_SPSR};
static const unsigned char user_exception_reply[] = {CTX_FAULT_IP, CTX_SP_EL0, CTX_SPSR};
static const unsigned char timeout_reply[] = {
    CTX_FAULT_IP, CTX_SP_EL0, CTX_SPSR, 0,  1,  2,  3,  4,  5,  6,  7,  8,  16, 17, 18, 29, 30, 9,
    10,           11,         12,       13, 14, 15, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28,
};

static void copy_reply_registers(struct tcb *to, struct tcb *from, const unsigned char *order,
                                 unsigned int n, unsigned int length)
{
    const seL4_IPCBuffer *buf = message_ipc_buffer(from, false);
    for (unsigned int i = 0; i < n && i < length; i++) {
        uint64_t v = message_get_mr(from, buf, i);
        to->ctx.regs[order[i]] = order[i] == CTX_SPSR ? tcb_sanitise_spsr(v) : v;
    }
}

/* Returns whether the faulting thread restarts. */
static bool fault_reply(struct tcb *faulter, struct tcb *replier)
{
    uint64_t info = replier->ctx.regs[REG_MSG_INFO];
    unsigned int length = msginfo_length(info);
    bool label_zero = msginfo_label(info) == 0;
    switch (faulter->fault.type) {
    case FAULT_UNKNOWN_SYSCALL:
        copy_reply_registers(faulter, replier, unknown_syscall_reply, sizeof(unknown_syscall_reply),
                             length);
        return label_zero;
    case FAULT_USER_EXCEPTION:
        copy_reply_registers(faulter, replier, user_exception_reply, sizeof(user_exception_reply),
                             length);
        return label_zero;
    case FAULT_TIMEOUT:
        copy_reply_registers(faulter, replier, timeout_reply, sizeof(timeout_reply), length);
        return label_zero;
    default:
        /* Cap and VM faults restart whatever the reply says (upstream). */
        return true;
    }
}

void reply_transfer(struct tcb *replier, struct reply *r, bool grant)
{
    struct tcb *caller = r->tcb;
    if (!caller || caller->state != THREAD_BLOCKED_ON_REPLY) {
        return;
    }
    reply_pop(r, caller);
    enum fault_type answered = caller->fault.type;
    if (answered == FAULT_NULL) {
        ipc_transfer(replier, 0, 0, grant, caller);
        thread_set_state(caller, THREAD_RUNNING);
    } else {
        bool restart = fault_reply(caller, replier);
        caller->fault.type = FAULT_NULL;
        thread_set_state(caller, restart ? THREAD_RESTART : THREAD_INACTIVE);
    }
    sched_reply_returned(caller, answered == FAULT_TIMEOUT);
}
