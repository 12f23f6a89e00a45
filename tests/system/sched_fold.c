/* A thread preempted with less than the minimum budget left in its head refill: charging it
 * folds that rest into its next refill, which is not ready yet. The thread must wait for that
 * refill; before the fix it was picked from the ready queue again and ran on with no budget
 * until its next kernel entry (found by the schedulability experiments, docs/experiments.md).
 * Uses thread_util.h, so: systest: needs a debug kernel */
#include "thread_util.h"
#include "user_timer.h"

#define FOLD_BUDGET_US 1000
#define FOLD_PERIOD_US 10000
/* The driver preempts the spinner this long after the root task starts it: a few µs of its
 * budget are left, under the 20 µs minimum. */
#define FOLD_PREEMPT_US 990
#define FOLD_WATCH_US 5000
#define FOLD_SLACK_US 1
#define PRIO_FOLD_DRIVER 250
#define PRIO_FOLD_SPINNER 100
#define FOLD_BADGE 1

static struct {
    seL4_CPtr handler, tick, done;
    volatile int driver_ready;
} fold;

static void fold_spinner(seL4_Word unused)
{
    (void)unused;
    for (;;) {
        __asm__ volatile("" ::: "memory");
    }
}

/* First interrupt: the preemption. Second, FOLD_WATCH_US later: wake the root task. */
static void fold_driver(seL4_Word unused)
{
    (void)unused;
    fold.driver_ready = 1;
    seL4_Wait(fold.tick, NULL);
    cntp_program(cntpct() + us_to_ticks(FOLD_WATCH_US), CNTP_ENABLE);
    (void)seL4_IRQHandler_Ack(fold.handler);
    seL4_Wait(fold.tick, NULL);
    cntp_off();
    (void)seL4_IRQHandler_Ack(fold.handler);
    seL4_Signal(fold.done);
}

SYSTEST(sched_preempted_thread_waits_for_a_folded_refill)
{
    if (!threads_begin()) {
        return;
    }
    fold.driver_ready = 0;
    fold.tick = threads_object(seL4_NotificationObject, 0);
    fold.done = threads_object(seL4_NotificationObject, 0);
    fold.handler = slot_alloc();
    CHECK_EQ(
        seL4_IRQControl_Get(seL4_CapIRQControl, PHYS_TIMER_IRQ, ROOT, fold.handler, ROOT_DEPTH),
        seL4_NoError);
    CHECK_EQ(seL4_IRQHandler_SetNotification(fold.handler, fold.tick), seL4_NoError);
    struct thread *driver = thread_spawn(fold_driver, 0, PRIO_FOLD_DRIVER, FOLD_BUDGET_US,
                                         FOLD_PERIOD_US, seL4_SchedContext_NoFlag);
    struct thread *spinner = thread_create(fold_spinner, 0, PRIO_FOLD_SPINNER);
    if (driver && spinner && !systest_failed() &&
        thread_give_sc(spinner, FOLD_BUDGET_US, FOLD_PERIOD_US, seL4_SchedContext_NoFlag) &&
        root_background_until(&fold.driver_ready, FOLD_PERIOD_US)) {
        (void)seL4_SchedContext_Consumed(spinner->sc); /* from zero */
        cntp_program(cntpct() + us_to_ticks(FOLD_PREEMPT_US), CNTP_ENABLE);
        thread_resume(spinner);
        seL4_Wait(fold.done, NULL);
        seL4_SchedContext_Consumed_t c = seL4_SchedContext_Consumed(spinner->sc);
        CHECK_EQ(c.error, seL4_NoError);
        /* One budget in the watch, the refill being a period away. */
        CHECK(c.consumed <= FOLD_BUDGET_US + FOLD_SLACK_US);
        CHECK(c.consumed + FOLD_PREEMPT_US / 2 >= FOLD_BUDGET_US);
        if (systest_failed()) {
            printf("sched_fold: the spinner consumed %lu us in %d us\n", (unsigned long)c.consumed,
                   FOLD_WATCH_US);
        }
    }
    cntp_off();
    if (spinner) {
        (void)seL4_TCB_Suspend(spinner->tcb);
    }
    threads_end();
}
