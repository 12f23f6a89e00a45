/* C side of kernel entry: decodes the exception class of a synchronous exception from
 * EL0 into a system call or a fault, and reports exceptions taken in the kernel itself. */
#include <stdint.h>

#include "arch/aarch64/cpu.h"
#include "arch/aarch64/sysreg.h"
#include "kernel/console.h"
#include "kernel/fault.h"
#include "kernel/invariants.h"
#include "kernel/irq.h"
#include "kernel/syscall.h"
#include "kernel/thread.h"
#include "sched/scheduler.h"

#define AARCH64_INSN_BYTES 4
#define SYSCALL_NUMBER_REG 7
#define KFRAME_REGS 31
#define KFRAME_SP_INDEX 31

void c_handle_sync_el0(uint64_t esr, uint64_t far) __attribute__((noreturn));
void c_handle_irq(void) __attribute__((noreturn));
void kernel_exception(uint64_t vector, const uint64_t *frame) __attribute__((noreturn));

void c_handle_sync_el0(uint64_t esr, uint64_t far)
{
    struct tcb *t = ks_cur_thread;
    uint64_t *r = t->ctx.regs;
    uint64_t ec = ESR_EC(esr);
    INVARIANTS_RECORD_ENTRY(ec == ESR_EC_SVC64 ? INVARIANT_ENTRY_SYSCALL : INVARIANT_ENTRY_FAULT,
                            t);
    /* FaultIP is where the thread restarts: the svc itself for a system call, so a
     * restarted call executes it again, else the instruction that trapped. */
    r[CTX_FAULT_IP] = r[CTX_ELR] - (ec == ESR_EC_SVC64 ? AARCH64_INSN_BYTES : 0);
    sched_update_time();
    if (!sched_check_budget()) {
        /* Out of budget: the call or fault is handled when the thread runs again (unless
         * a timeout fault has just blocked it). */
        if (t->state == THREAD_RUNNING) {
            t->state = THREAD_RESTART;
        }
        kernel_exit();
    }
    if (ec == ESR_EC_SVC64) {
        if (syscall_handle(t, (int64_t)r[SYSCALL_NUMBER_REG]) == EXCEPTION_PREEMPTED) {
            irq_handle_pending();
        }
        kernel_exit();
    }
    /* Field by field: a whole-struct initialiser here costs a memset call on every fault. */
    struct fault f;
    f.type = FAULT_USER_EXCEPTION;
    f.addr = 0;
    f.status = esr;
    f.prefetch = 0;
    f.lookup = (struct lookup_fault){0};
    if (ec == ESR_EC_DABT_LOWER) {
        f.type = FAULT_VM;
        f.addr = far;
    } else if (ec == ESR_EC_IABT_LOWER) {
        /* The PC is the address that could not be fetched (ABI §4.2). */
        f.type = FAULT_VM;
        f.addr = r[CTX_ELR];
        f.prefetch = 1;
    }
    fault_raise(t, &f);
    kernel_exit();
}

void c_handle_irq(void)
{
    INVARIANTS_RECORD_ENTRY(INVARIANT_ENTRY_INTERRUPT, ks_cur_thread);
    /* An interrupted thread restarts (if it is ever restarted) where it was stopped. */
    if (ks_cur_thread) {
        ks_cur_thread->ctx.regs[CTX_FAULT_IP] = ks_cur_thread->ctx.regs[CTX_ELR];
    }
    sched_update_time();
    sched_check_budget();
    irq_handle_pending();
    kernel_exit();
}

static const char *const vector_names[] = {
    "EL1t sync",   "EL1t IRQ", "EL1t FIQ", "EL1t SError", "EL1h sync",  "EL1h IRQ", "EL1h FIQ",
    "EL1h SError", "EL0 sync", "EL0 IRQ",  "EL0 FIQ",     "EL0 SError", "AArch32",
};

void kernel_exception(uint64_t vector, const uint64_t *frame)
{
    const char *name =
        vector < sizeof(vector_names) / sizeof(vector_names[0]) ? vector_names[vector] : "?";
    kprintf("\nkairos: KERNEL EXCEPTION (%s)\n", name);
    kprintf("  ESR  0x%016lx  ELR  0x%016lx\n", SYSREG_READ(esr_el1), SYSREG_READ(elr_el1));
    kprintf("  FAR  0x%016lx  SPSR 0x%016lx\n", SYSREG_READ(far_el1), SYSREG_READ(spsr_el1));
    for (unsigned int i = 0; i < KFRAME_REGS; i++) {
        kprintf("  x%-2u  0x%016lx%s", i, frame[i], (i % 2) ? "\n" : "");
    }
    kprintf("  sp   0x%016lx\nkairos: halted\n", frame[KFRAME_SP_INDEX]);
    machine_poweroff(1);
}
