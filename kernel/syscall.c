/* System calls by number (x7, ABI §1): invocations through Call/Send/NBSend, the receive
 * calls and their combined send-and-receive forms (MCS), Yield, the debug calls (printing
 * and debug builds) and Kairos' test extensions; anything else is an unknown-syscall
 * fault. */
#include "kernel/syscall.h"

#include <sel4/constants.h>
#include <sel4/syscall.h>

#include "arch/aarch64/cpu.h"
#include "arch/aarch64/fastpath.h"
#include "kernel/console.h"
#include "kernel/debug_check.h"
#include "kernel/debug_snapshot.h"
#include "kernel/endpoint.h"
#include "kernel/fault.h"
#include "kernel/invariants.h"
#include "kernel/invocation.h"
#include "kernel/message.h"
#include "kernel/notification.h"
#include "kernel/objects.h"
#include "kernel/preempt.h"
#include "kernel/thread.h"
#include "kernel/trace.h"
#include "sched/scheduler.h"

#ifdef CONFIG_DEBUG_BUILD
static void __attribute__((noreturn)) debug_halt(void)
{
    kprintf("kairos: seL4_DebugHalt: halting\n");
    machine_poweroff(0);
}

/* The cap a debug call names, or a null cap when the address does not resolve. */
static cap_t debug_lookup(struct tcb *t, uint64_t cptr)
{
    cte_t *slot;
    unsigned int rest;
    struct lookup_fault f;
    if (!cspace_resolve(tcb_slot(t, TCB_CTABLE)->cap, cptr, seL4_WordBits, &slot, &rest, &f)) {
        return cap_null();
    }
    return slot->cap;
}

static void debug_name_thread(struct tcb *t)
{
    cap_t c = debug_lookup(t, t->ctx.regs[REG_CAP]);
    seL4_IPCBuffer *buf = message_ipc_buffer(t, false);
    if (cap_get_type(c) != cap_thread_cap || !buf) {
        kprintf("kairos: seL4_DebugNameThread: not a TCB cap or no IPC buffer; ignored\n");
        return;
    }
    /* The name is a NUL-terminated string in the message area; never read past it. */
    const char *name = (const char *)buf->msg;
    char copy[TCB_NAME_LEN];
    unsigned int i = 0;
    for (; i + 1 < TCB_NAME_LEN && i < sizeof(buf->msg) && name[i]; i++) {
        copy[i] = name[i];
    }
    copy[i] = '\0';
    thread_set_name(cap_thread_tcb(c), copy);
}
#endif

#define REG_REPLY 6           /* x6: reply object (MCS) */
#define REG_NBSENDRECV_DEST 8 /* x8: NBSendRecv's destination (MCS) */

static void receive_cap_fault(struct tcb *t, uint64_t cptr, const struct lookup_fault *lf)
{
    struct fault f = {.type = FAULT_CAP, .addr = cptr, .prefetch = 1, .lookup = *lf};
    fault_raise(t, &f);
}

static void missing_cap_fault(struct tcb *t, uint64_t cptr)
{
    struct lookup_fault lf = {.type = LOOKUP_FAULT_MISSING_CAPABILITY, .bits_left = 0};
    receive_cap_fault(t, cptr, &lf);
}

static bool lookup(struct tcb *t, uint64_t cptr, cte_t **slot)
{
    unsigned int rest;
    struct lookup_fault lf;
    *slot = cspace_lookup_one_level(tcb_slot(t, TCB_CTABLE)->cap, cptr);
    if (*slot) {
        return true;
    }
    if (!cspace_resolve(tcb_slot(t, TCB_CTABLE)->cap, cptr, seL4_WordBits, slot, &rest, &lf)) {
        receive_cap_fault(t, cptr, &lf);
        return false;
    }
    return true;
}

/* Recv, NBRecv (with_reply) and Wait, NBWait on the cap in x0 (manual §2.2). */
static void handle_recv(struct tcb *t, bool blocking, bool with_reply)
{
    uint64_t cptr = t->ctx.regs[REG_CAP];
    cte_t *slot;
    if (!lookup(t, cptr, &slot)) {
        return;
    }
    cap_t c = slot->cap;
    switch (cap_get_type(c)) {
    case cap_endpoint_cap: {
        if (!(cap_rights(c) & RIGHT_READ)) {
            missing_cap_fault(t, cptr);
            return;
        }
        struct reply *reply = 0;
        if (with_reply) {
            uint64_t reply_cptr = t->ctx.regs[REG_REPLY];
            cte_t *reply_slot;
            if (!lookup(t, reply_cptr, &reply_slot)) {
                return;
            }
            if (cap_get_type(reply_slot->cap) != cap_reply_cap) {
                missing_cap_fault(t, reply_cptr);
                return;
            }
            reply = cap_ptr(reply_slot->cap);
        }
        receive_ipc(t, cap_ptr(c), blocking, reply);
        return;
    }
    case cap_notification_cap: {
        struct notification *n = cap_ptr(c);
        if (!(cap_rights(c) & RIGHT_READ) || (n->bound_tcb && n->bound_tcb != t)) {
            missing_cap_fault(t, cptr);
            return;
        }
        receive_signal(t, n, blocking);
        return;
    }
    default:
        missing_cap_fault(t, cptr);
        return;
    }
}

/* seL4_Send and seL4_NBSend. seL4_Signal, the commonest of them (a notification cap with
 * Write, no caps named in the message), is done here without building an invocation: all
 * the general way would do is the same, as the label and words are ignored and the sender
 * keeps running. */
static enum exception handle_send(struct tcb *t, uint64_t cptr, bool blocking)
{
    cte_t *slot = cspace_lookup_one_level(tcb_slot(t, TCB_CTABLE)->cap, cptr);
    if (slot && cap_get_type(slot->cap) == cap_notification_cap &&
        (cap_rights(slot->cap) & RIGHT_WRITE) && !msginfo_extra_caps(t->ctx.regs[REG_MSG_INFO])) {
        send_signal(cap_ptr(slot->cap), cap_badge(slot->cap));
        return EXCEPTION_NONE;
    }
    /* Only Call and the send phases of the combined calls lend the context: a plain Send to
     * a passive server must not leave it there for good (upstream #1616). */
    return invocation_handle(t, cptr, slot, false, blocking, false);
}

/* A send phase (ReplyRecv, NBSendRecv, NBSendWait) then the receive, unless the send was
 * preempted (the whole call then restarts). */
static enum exception send_then_receive(struct tcb *t, uint64_t dest, bool with_reply)
{
    enum exception st = invocation_handle(t, dest, 0, false, false, true);
    if (st == EXCEPTION_NONE) {
        handle_recv(t, true, with_reply);
    }
    return st;
}

enum exception syscall_handle(struct tcb *t, int64_t number)
{
    uint64_t *r = t->ctx.regs;
    preempt_reset();
    switch (number) {
    case seL4_SysCall:
        return invocation_handle(t, r[REG_CAP], 0, true, true, true);
    case seL4_SysSend:
        return handle_send(t, r[REG_CAP], true);
    case seL4_SysNBSend:
        return handle_send(t, r[REG_CAP], false);
    case seL4_SysRecv:
        handle_recv(t, true, true);
        return EXCEPTION_NONE;
    case seL4_SysNBRecv:
        handle_recv(t, false, true);
        return EXCEPTION_NONE;
    case seL4_SysWait:
        handle_recv(t, true, false);
        return EXCEPTION_NONE;
    case seL4_SysNBWait:
        handle_recv(t, false, false);
        return EXCEPTION_NONE;
    case seL4_SysReplyRecv:
        return send_then_receive(t, r[REG_REPLY], true);
    case seL4_SysNBSendRecv:
        return send_then_receive(t, r[REG_NBSENDRECV_DEST], true);
    case seL4_SysNBSendWait:
        /* Upstream's libsel4 and kernel pass this destination in x6, not x8. */
        return send_then_receive(t, r[REG_REPLY], false);
    case seL4_SysYield:
        sched_yield();
        return EXCEPTION_NONE;
#ifdef CONFIG_KAIROS_INVARIANTS
    case KAIROS_SYS_DEBUG_CORRUPT:
        invariants_debug_corrupt(t);
        return EXCEPTION_NONE;
#endif
#ifdef CONFIG_PRINTING
    case seL4_SysDebugPutChar:
        console_user_putc((char)r[CTX_X0]);
        return EXCEPTION_NONE;
    case seL4_SysDebugDumpScheduler:
        sched_dump();
        return EXCEPTION_NONE;
#endif
#ifdef CONFIG_KAIROS_EXIT_CALLS
    case KAIROS_SYS_DEBUG_EXIT:
        kprintf("kairos: exit requested with status %ld\n", (int64_t)r[CTX_X0]);
        machine_poweroff((int)r[CTX_X0]);
    case KAIROS_SYS_DEBUG_EXIT_WHEN_IDLE:
        thread_exit_when_idle((int)r[CTX_X0]);
        return EXCEPTION_NONE;
#endif
#ifdef CONFIG_DEBUG_BUILD
    case seL4_SysDebugHalt:
        debug_halt();
    case seL4_SysDebugCapIdentify:
        r[CTX_X0] = cap_get_type(debug_lookup(t, r[CTX_X0]));
        return EXCEPTION_NONE;
    case seL4_SysDebugNameThread:
        debug_name_thread(t);
        return EXCEPTION_NONE;
    case seL4_SysDebugSnapshot:
        debug_snapshot(t);
        return EXCEPTION_NONE;
    case KAIROS_SYS_DEBUG_CHECK_CONSISTENCY:
        r[CTX_X0] = debug_check_consistency(t);
        return EXCEPTION_NONE;
    case KAIROS_SYS_DEBUG_PREEMPTIONS:
        r[CTX_X0] = preempt_count();
        return EXCEPTION_NONE;
    case KAIROS_SYS_DEBUG_FASTPATH_COUNT:
        r[CTX_X0] = fastpath_count();
        return EXCEPTION_NONE;
#endif
#ifdef CONFIG_KAIROS_TRACE
    case seL4_SysBenchmarkFlushCaches:
        trace_sys_flush_caches(t);
        return EXCEPTION_NONE;
    case seL4_SysBenchmarkResetLog:
        trace_sys_reset_log(t);
        return EXCEPTION_NONE;
    case seL4_SysBenchmarkFinalizeLog:
        trace_sys_finalize_log(t);
        return EXCEPTION_NONE;
    case seL4_SysBenchmarkSetLogBuffer:
        trace_sys_set_log_buffer(t);
        return EXCEPTION_NONE;
    case seL4_SysBenchmarkNullSyscall:
        return EXCEPTION_NONE;
    case KAIROS_SYS_TRACE_START:
        trace_sys_start(t);
        return EXCEPTION_NONE;
    case KAIROS_SYS_TRACE_STOP:
        trace_sys_stop(t);
        return EXCEPTION_NONE;
    case KAIROS_SYS_TRACE_READ:
        trace_sys_read(t);
        return EXCEPTION_NONE;
    case KAIROS_SYS_TRACE_MARK:
        trace_sys_mark(t);
        return EXCEPTION_NONE;
#endif
    default: {
        struct fault f = {.type = FAULT_UNKNOWN_SYSCALL, .addr = (uint64_t)number};
        fault_raise(t, &f);
        return EXCEPTION_NONE;
    }
    }
}
