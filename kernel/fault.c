/* Fault messages and the no-handler path. Delivery to a fault endpoint arrives with IPC. */
#include "kernel/fault.h"

#include "kernel/console.h"
#include "kernel/endpoint.h"
#include "kernel/objects.h"
#include "kernel/thread.h"
#include "kernel/trace.h"

enum {
    UNKNOWN_SYSCALL_REGS = 8, /* X0..X7 lead the unknown-syscall message */
    MR_VM_IP = 0,
    MR_VM_ADDR,
    MR_VM_PREFETCH,
    MR_VM_FSR,
    VM_MSG_LEN,
    MR_UE_IP = 0,
    MR_UE_SP,
    MR_UE_SPSR,
    MR_UE_NUMBER,
    MR_UE_CODE,
    UE_MSG_LEN,
    MR_US_FAULT_IP = 8,
    MR_US_SP,
    MR_US_LR,
    MR_US_SPSR,
    MR_US_SYSCALL,
    US_MSG_LEN,
    MR_CF_IP = 0,
    MR_CF_ADDR,
    MR_CF_IN_RECV,
    MR_CF_LOOKUP,
    MR_TO_DATA = 0,
    MR_TO_CONSUMED,
    TO_MSG_LEN,
};

const char *fault_type_name(enum fault_type type)
{
    switch (type) {
    case FAULT_CAP:
        return "capability fault";
    case FAULT_UNKNOWN_SYSCALL:
        return "unknown syscall";
    case FAULT_USER_EXCEPTION:
        return "user exception";
    case FAULT_TIMEOUT:
        return "timeout fault";
    case FAULT_VM:
        return "vm fault";
    default:
        return "null fault";
    }
}

unsigned int fault_message(const struct tcb *t, const struct fault *f, uint64_t mr[FAULT_MSG_MAX])
{
    const uint64_t *r = t->ctx.regs;
    switch (f->type) {
    case FAULT_VM:
        mr[MR_VM_IP] = r[CTX_FAULT_IP];
        mr[MR_VM_ADDR] = f->addr;
        mr[MR_VM_PREFETCH] = f->prefetch;
        mr[MR_VM_FSR] = f->status;
        return VM_MSG_LEN;
    case FAULT_USER_EXCEPTION:
        mr[MR_UE_IP] = r[CTX_FAULT_IP];
        mr[MR_UE_SP] = r[CTX_SP_EL0];
        mr[MR_UE_SPSR] = r[CTX_SPSR];
        mr[MR_UE_NUMBER] = f->status;
        mr[MR_UE_CODE] = 0;
        return UE_MSG_LEN;
    case FAULT_TIMEOUT:
        mr[MR_TO_DATA] = f->addr;
        mr[MR_TO_CONSUMED] = f->status;
        return f->prefetch ? TO_MSG_LEN : TO_MSG_LEN - 1;
    case FAULT_CAP:
        mr[MR_CF_IP] = r[CTX_FAULT_IP];
        mr[MR_CF_ADDR] = f->addr;
        mr[MR_CF_IN_RECV] = f->prefetch;
        return MR_CF_LOOKUP + lookup_fault_encode(&f->lookup, &mr[MR_CF_LOOKUP]);
    case FAULT_UNKNOWN_SYSCALL:
        for (unsigned int i = 0; i < UNKNOWN_SYSCALL_REGS; i++) {
            mr[i] = r[CTX_X0 + i];
        }
        mr[MR_US_FAULT_IP] = r[CTX_FAULT_IP];
        mr[MR_US_SP] = r[CTX_SP_EL0];
        mr[MR_US_LR] = r[CTX_ELR];
        mr[MR_US_SPSR] = r[CTX_SPSR];
        mr[MR_US_SYSCALL] = f->addr;
        return US_MSG_LEN;
    default:
        return 0;
    }
}

bool fault_handler_valid(cap_t c)
{
    return cap_get_type(c) == cap_endpoint_cap && (cap_rights(c) & RIGHT_WRITE) &&
           (cap_rights(c) & (RIGHT_GRANT | RIGHT_GRANT_REPLY));
}

/* Sends the fault as a Call on handler; the reply restarts (or not) the thread. */
static void deliver(struct tcb *t, const struct fault *f, cap_t handler, bool can_donate)
{
    t->fault = *f;
    struct send_args a = {
        .badge = cap_badge(handler),
        .can_grant = cap_rights(handler) & RIGHT_GRANT,
        .can_grant_reply = cap_rights(handler) & RIGHT_GRANT_REPLY,
        .blocking = true,
        .is_call = false,
        .can_donate = can_donate,
    };
    send_ipc(t, cap_ptr(handler), &a);
}

void fault_raise_timeout(struct tcb *t, uint64_t badge, uint64_t consumed_us, bool has_sc)
{
    struct fault f = {
        .type = FAULT_TIMEOUT, .addr = badge, .status = consumed_us, .prefetch = has_sc};
    deliver(t, &f, tcb_slot(t, TCB_TIMEOUT_HANDLER)->cap, false);
}

void fault_raise(struct tcb *t, const struct fault *f)
{
    TRACE_THREAD(KTRACE_EV_FAULT, (uint16_t)f->type, t, 0, f->addr);
    cap_t handler = tcb_slot(t, TCB_FAULT_HANDLER)->cap;
    if (fault_handler_valid(handler)) {
        /* A passive handler runs on the faulting thread's context (manual §6.1.13.1). */
        deliver(t, f, handler, true);
        return;
    }
#ifdef CONFIG_DEBUG_BUILD
    /* One line, and only in debug kernels: what a user thread does must not flood the
     * console of a release kernel or slow it down. */
    uint64_t mr[FAULT_MSG_MAX];
    unsigned int len = fault_message(t, f, mr);
    kprintf("kairos: %s in thread \"%s\": pc=0x%lx addr=0x%lx esr=0x%lx; fault message label=%u "
            "len=%u:",
            fault_type_name(f->type), t->name, t->ctx.regs[CTX_FAULT_IP], f->addr, f->status,
            (unsigned int)f->type, len);
    for (unsigned int i = 0; i < len; i++) {
        kprintf(" 0x%lx", mr[i]);
    }
    kprintf("; no fault handler; thread \"%s\" made inactive\n", t->name);
#endif
    thread_set_state(t, THREAD_INACTIVE);
}
