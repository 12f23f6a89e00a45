/* Thread switching for a kernel with one user thread so far; the MCS scheduler in sched/
 * takes over the choice of thread. The idle thread runs the wfi loop at EL1 with
 * interrupts open, so every wake-up comes back through irq_entry. */
#include "kernel/thread.h"

#include "arch/aarch64/cpu.h"
#include "arch/aarch64/fpu.h"
#include "arch/aarch64/kernel_vspace.h"
#include "arch/aarch64/sysreg.h"
#include "arch/aarch64/timer.h"
#include "arch/aarch64/vspace.h"
#include "kernel/console.h"
#include "kernel/invariants.h"
#include "kernel/invocation.h"
#include "kernel/message.h"
#include "kernel/rootserver.h"
#include "kernel/trace.h"
#include "lib/string.h"
#include "sched/scheduler.h"

struct tcb *ks_cur_thread;
static struct tcb idle_thread;
static bool exit_when_idle;
static int idle_exit_status;

void thread_init_idle(void)
{
    memset(&idle_thread, 0, sizeof(idle_thread));
    idle_thread.ctx.regs[CTX_ELR] = (uint64_t)(uintptr_t)idle_loop;
    /* EL1h with IRQs open; debug, SError and FIQ stay masked. */
    idle_thread.ctx.regs[CTX_SPSR] = SPSR_MODE_EL1h | SPSR_D | SPSR_A | SPSR_F;
    idle_thread.state = THREAD_IDLE;
    thread_set_name(&idle_thread, "idle");
}

bool thread_is_runnable(const struct tcb *t)
{
    return t && (t->state == THREAD_RUNNING || t->state == THREAD_RESTART);
}

bool thread_is_blocked(const struct tcb *t)
{
    switch (t->state) {
    case THREAD_BLOCKED_ON_RECEIVE:
    case THREAD_BLOCKED_ON_SEND:
    case THREAD_BLOCKED_ON_REPLY:
    case THREAD_BLOCKED_ON_NOTIFICATION:
        return true;
    default:
        return false;
    }
}

void thread_set_name(struct tcb *t, const char *name)
{
    size_t n = strlen(name);
    if (n >= TCB_NAME_LEN) {
        n = TCB_NAME_LEN - 1;
    }
    memcpy(t->name, name, n);
    t->name[n] = '\0';
    TRACE_REDESCRIBE_TCB(t);
}

void thread_set_state(struct tcb *t, enum thread_state state)
{
    TRACE_STATE(t, t->state, state);
    t->state = state;
    sched_thread_changed(t);
}

void thread_suspend(struct tcb *t)
{
    thread_set_state(t, THREAD_INACTIVE);
}

void thread_destroy(struct tcb *t)
{
    thread_suspend(t);
    fpu_release(t);
    trace_tcb_destroyed(t);
    if (ks_cur_thread == t) {
        ks_cur_thread = 0;
    }
    if (ks_root_thread == t) {
        ks_root_thread = 0;
    }
    INVARIANTS_FORGET_TCB(t);
}

bool thread_idle_exit_armed(void)
{
    return exit_when_idle;
}

void thread_exit_when_idle(int status)
{
    exit_when_idle = true;
    idle_exit_status = status;
}

void thread_idle_tick(void)
{
    /* A timer interrupt taken in the idle loop: proof the kernel outlived whatever made
     * every thread stop, which is what the fault tests wait for. */
    if (exit_when_idle && !thread_is_runnable(ks_cur_thread)) {
        kprintf("kairos: idle and still taking interrupts; powering off with status %d\n",
                idle_exit_status);
        machine_poweroff(idle_exit_status);
    }
}

void kernel_exit(void)
{
    struct tcb *next = sched_choose(&idle_thread);
    if (next == &idle_thread) {
        ks_cur_thread = 0;
        TRACE_SWITCH((struct tcb *)0, (struct sched_context *)0, 0);
    } else {
        TRACE_SWITCH(next, next->sc, sched_head_budget_left(next->sc));
        ks_cur_thread = next;
        if (next->state == THREAD_RESTART) {
            next->ctx.regs[CTX_ELR] = next->ctx.regs[CTX_FAULT_IP];
            next->state = THREAD_RUNNING;
        }
        if (next->yield_to) {
            sched_context_complete_yield_to(next);
        }
        fpu_switch_to(next);
    }
    /* The next thread is chosen and every queue settled: what must hold between entries. */
    INVARIANTS_CHECK();
    uint64_t ttbr;
    if (next == &idle_thread) {
        ttbr = kernel_vspace_empty_ttbr0();
    } else {
        ttbr = next->ttbr_gen == ks_vspace_gen ? next->ttbr : vspace_thread_ttbr(next);
    }
    /* No isb: the eret synchronises, and the kernel never uses TTBR0. */
    SYSREG_WRITE(ttbr0_el1, ttbr);
    restore_user_context(&next->ctx);
}
