/* The experiment's threads: periodic tasks, the stopper and the calibration spinner. */
#include "rtexp.h"

uint8_t task_stacks[RTEXP_MAX_TASKS][RTEXP_STACK_BYTES] __attribute__((aligned(16)));
uint8_t stopper_stack[RTEXP_STACK_BYTES] __attribute__((aligned(16)));
uint8_t spinner_stack[RTEXP_STACK_BYTES] __attribute__((aligned(16)));
uint8_t releaser_stack[RTEXP_STACK_BYTES] __attribute__((aligned(16)));

/* Two instructions a turn (subs, b.ne), so n instructions are n / 2 turns. Under icount
 * one instruction is one nanosecond of virtual time: the work is exact. */
#define INSNS_PER_TURN 2u

void work_instructions(uint64_t n)
{
    uint64_t turns = n / INSNS_PER_TURN;
    if (turns == 0) {
        return;
    }
    __asm__ volatile("1: subs %0, %0, #1\n\tb.ne 1b" : "+r"(turns)::"cc");
}

/* Job k is released at t0 + k * T: the releaser signals the task's notification then. It
 * runs exactly its work and waits for the next release. A job that is still running at its
 * next release finds that signal pending and goes straight on. */
void task_main(seL4_Word i)
{
    struct task_state *ts = &rt.task[i];
    seL4_Word badge;
    seL4_Word m0 = 0, m1 = 0, m2 = 0, m3 = 0;
    uint64_t release = 0;
    for (uint32_t k = 0;; k++) {
        (void)seL4_WaitWithMRs(ts->ntfn, &badge, &m0, &m1, &m2, &m3);
        release = k == 0 ? ts->t0 : release; /* t0 is written just before the release */
        ts->release = release;
        ts->in_job = 1;
        uint64_t start = kairos_counter_now();
        work_instructions(ts->work);
        uint64_t finish = kairos_counter_now();
        if (k < CALIB_JOBS) {
            ts->starts[k] = start;
            ts->finishes[k] = finish;
        }
        ts->late = start - release > ts->late ? start - release : ts->late;
        ts->wcrt = finish - release > ts->wcrt ? finish - release : ts->wcrt;
        if (finish > release + ts->deadline) {
            ts->misses++;
        }
        ts->jobs++;
        ts->in_job = 0;
        release += ts->period;
    }
}

#define CNTP_ENABLE 1ul

void releaser_arm(uint64_t at)
{
    __asm__ volatile("msr cntp_cval_el0, %0; msr cntp_ctl_el0, %1; isb" ::"r"(at + rt.phys_offset),
                     "r"(CNTP_ENABLE));
}

void releaser_disarm(void)
{
    __asm__ volatile("msr cntp_ctl_el0, xzr; isb");
}

/* Above every task: at each timer interrupt, signals every task whose release has come,
 * then sets the timer for the next release and acknowledges the interrupt. */
void releaser_main(void)
{
    seL4_Word badge;
    seL4_Word m0 = 0, m1 = 0, m2 = 0, m3 = 0;
    for (;;) {
        (void)seL4_WaitWithMRs(rt.timer_ntfn, &badge, &m0, &m1, &m2, &m3);
        if (rt.ntasks == 0) {
            releaser_disarm(); /* a set just ended */
            (void)seL4_IRQHandler_Ack(rt.timer_irq);
            continue;
        }
        uint64_t now = kairos_counter_now(), next = UINT64_MAX;
        for (uint32_t k = 0; k < rt.ntasks; k++) {
            uint32_t i = rt.order[k];
            if (rt.next[i] <= now) {
                seL4_Signal(rt.task[i].ntfn);
                rt.next[i] += rt.task[i].period;
            }
            next = rt.next[i] < next ? rt.next[i] : next;
        }
        releaser_arm(next);
        (void)seL4_IRQHandler_Ack(rt.timer_irq);
    }
}

/* Its first run comes before the set's release and only yields, so its next one comes a
 * period later: the end of the set. It then wakes the root task, which stops the set. */
void stopper_main(void)
{
    seL4_Word badge;
    seL4_Word m0 = 0, m1 = 0, m2 = 0, m3 = 0;
    for (;;) {
        (void)seL4_WaitWithMRs(rt.stopper_ntfn, &badge, &m0, &m1, &m2, &m3);
        seL4_Yield();
        rt.stop_time = kairos_counter_now();
        seL4_Signal(rt.done_ntfn);
    }
}

/* Below every task: records when it gets the CPU back after each gap. */
void spinner_main(void)
{
    uint64_t prev = kairos_counter_now();
    while (!rt.spinner_stop) {
        uint64_t now = kairos_counter_now();
        if (now - prev > GAP_TICKS && rt.gaps < CALIB_JOBS) {
            rt.gap_end[rt.gaps++] = now;
        }
        prev = now;
    }
    for (;;) {
        seL4_Yield();
    }
}
