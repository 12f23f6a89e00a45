/* System calls by number (x7): invocations through Call/Send/NBSend, Yield, the debug
 * calls (printing and debug builds) and Kairos' test extensions; anything else raises an
 * unknown-syscall fault. IPC receive paths arrive with the IPC subsystem. */
#include "kernel/syscall.h"

#include <sel4/constants.h>
#include <sel4/syscall.h>

#include "arch/aarch64/cpu.h"
#include "kernel/console.h"
#include "kernel/debug_check.h"
#include "kernel/fault.h"
#include "kernel/invocation.h"
#include "kernel/message.h"
#include "kernel/objects.h"
#include "kernel/preempt.h"
#include "kernel/thread.h"
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

static enum exception unimplemented(struct tcb *t, int64_t number)
{
    kprintf("kairos: system call %ld is not implemented yet\n", number);
    struct fault f = {.type = FAULT_UNKNOWN_SYSCALL, .addr = (uint64_t)number};
    fault_raise(t, &f);
    return EXCEPTION_NONE;
}

enum exception syscall_handle(struct tcb *t, int64_t number)
{
    uint64_t *r = t->ctx.regs;
    preempt_reset();
    switch (number) {
    case seL4_SysCall:
        return invocation_handle(t, true, true);
    case seL4_SysSend:
        return invocation_handle(t, false, true);
    case seL4_SysNBSend:
        return invocation_handle(t, false, false);
    case seL4_SysYield:
        sched_yield();
        return EXCEPTION_NONE;
    case seL4_SysReplyRecv:
    case seL4_SysNBSendRecv:
    case seL4_SysNBSendWait:
    case seL4_SysRecv:
    case seL4_SysNBRecv:
    case seL4_SysWait:
    case seL4_SysNBWait:
        return unimplemented(t, number);
#ifdef CONFIG_PRINTING
    case seL4_SysDebugPutChar:
        console_user_putc((char)r[CTX_X0]);
        return EXCEPTION_NONE;
    case seL4_SysDebugDumpScheduler:
        sched_dump();
        return EXCEPTION_NONE;
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
    case KAIROS_SYS_DEBUG_CHECK_CONSISTENCY:
        r[CTX_X0] = debug_check_consistency(t);
        return EXCEPTION_NONE;
    case KAIROS_SYS_DEBUG_PREEMPTIONS:
        r[CTX_X0] = preempt_count();
        return EXCEPTION_NONE;
#endif
    default: {
        struct fault f = {.type = FAULT_UNKNOWN_SYSCALL, .addr = (uint64_t)number};
        fault_raise(t, &f);
        return EXCEPTION_NONE;
    }
    }
}
