/* Fault messages and the no-handler path. Delivery to a fault endpoint arrives with IPC. */
#include "kernel/fault.h"

#include "kernel/console.h"

enum {
    UNKNOWN_SYSCALL_REGS = 8, /* X0..X7 lead the unknown-syscall message */
    MR_VM_IP = 0, MR_VM_ADDR, MR_VM_PREFETCH, MR_VM_FSR, VM_MSG_LEN,
    MR_UE_IP = 0, MR_UE_SP, MR_UE_SPSR, MR_UE_NUMBER, MR_UE_CODE, UE_MSG_LEN,
    MR_US_FAULT_IP = 8, MR_US_SP, MR_US_LR, MR_US_SPSR, MR_US_SYSCALL, US_MSG_LEN,
    MR_CF_IP = 0, MR_CF_ADDR, MR_CF_IN_RECV, MR_CF_LOOKUP,
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

void fault_raise(struct tcb *t, const struct fault *f)
{
    uint64_t mr[FAULT_MSG_MAX];
    unsigned int len = fault_message(t, f, mr);
    kprintf("kairos: %s in thread \"%s\": pc=0x%lx addr=0x%lx esr=0x%lx\n", fault_type_name(f->type),
            t->name, t->ctx.regs[CTX_FAULT_IP], f->addr, f->status);
    kprintf("kairos: fault message label=%u len=%u:", (unsigned int)f->type, len);
    for (unsigned int i = 0; i < len; i++) {
        kprintf(" 0x%lx", mr[i]);
    }
    kprintf("\nkairos: no fault handler; thread \"%s\" made inactive\n", t->name);
    t->state = THREAD_INACTIVE;
}
