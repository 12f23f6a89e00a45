/* Interrupt-driven scheduling with the user-level timer (the EL1 physical timer, PPI 30, as
 * upstream-built suites use it): periodic threads released by a timer driver, and how
 * exactly their releases land; a notification that lends its scheduling context to a
 * passive handler, and that context deleted while the handler holds it and an interrupt is
 * pending; interrupt storms, which must not starve the kernel's own timer or the budget of
 * a thread above the driver.
 * Uses ipc_util.h, so: systest: needs a debug kernel */
#include <kairos/string.h>

#include "ipc_util.h"
#include "user_timer.h"

/* A handler for the physical timer signalling `ntfn` with `badge`; 0 on failure. */
static seL4_CPtr timer_handler(seL4_CPtr ntfn, seL4_Word badge)
{
    seL4_CPtr slot = slot_alloc();
    seL4_CPtr badged = ntfn ? cap_mint(ntfn, RIGHTS_ALL, badge) : 0;
    if (!slot || !badged ||
        seL4_IRQControl_Get(seL4_CapIRQControl, PHYS_TIMER_IRQ, ROOT, slot, ROOT_DEPTH) !=
            seL4_NoError ||
        seL4_IRQHandler_SetNotification(slot, badged) != seL4_NoError) {
        systest_fail(__FILE__, __LINE__, "a handler for the physical timer");
        return 0;
    }
    return slot;
}

/* ---- Periodic threads ---------------------------------------------------------------------- */

#define PERIOD_US 2000
#define PERIODS 50
#define WORK_US 300
#define PRIO_DRIVER 250
#define PRIO_WORKER 150
/* Under icount an interrupt is taken two ticks after its compare value; the rest is the
 * kernel's entry, the driver's wake-up and (for the worker) one more switch. */
#define DRIVER_LATE_US 40
#define WORKER_LATE_US 80

static struct {
    seL4_CPtr handler, tick, release;
    uint64_t t0;
    volatile int released, started, driver_ready, worker_ready;
    volatile uint64_t driver_late_max, worker_late_max, worker_late_sum;
} per;

/* Releases the worker strictly periodically: at t0 + k * PERIOD_US, k = 1..PERIODS. */
static void periodic_driver(seL4_Word unused)
{
    (void)unused;
    per.driver_ready = 1;
    for (int k = 1; k <= PERIODS; k++) {
        uint64_t due = per.t0 + (uint64_t)k * us_to_ticks(PERIOD_US);
        cntp_program(due, CNTP_ENABLE);
        seL4_Wait(per.tick, NULL);
        uint64_t late = cntpct() - due;
        per.driver_late_max = late > per.driver_late_max ? late : per.driver_late_max;
        per.released = k;
        seL4_Signal(per.release);
        cntp_program(0, 0);
        seL4_IRQHandler_Ack(per.handler);
    }
}

static void periodic_worker(seL4_Word unused)
{
    (void)unused;
    per.worker_ready = 1;
    for (int k = 1; k <= PERIODS; k++) {
        seL4_Wait(per.release, NULL);
        uint64_t due = per.t0 + (uint64_t)k * us_to_ticks(PERIOD_US);
        uint64_t late = cntpct() - due;
        per.worker_late_max = late > per.worker_late_max ? late : per.worker_late_max;
        per.worker_late_sum += late;
        per.started = k;
        root_spin_us(WORK_US);
    }
}

/* Fifty releases of a (1 ms, 2 ms) worker by a driver on the user timer: none is missed or
 * early, and each lands within tens of microseconds of t0 + k * T. */
SYSTEST(irq_timer_releases_periodic_threads_on_time)
{
    if (!threads_begin()) {
        return;
    }
    memset((void *)&per, 0, sizeof(per));
    per.tick = ntfn_new();
    per.release = ntfn_new();
    per.handler = per.tick ? timer_handler(per.tick, 1) : 0;
    if (per.handler && per.release) {
        per.t0 = cntpct() + us_to_ticks(PERIOD_US);
        struct thread *w = thread_spawn(periodic_worker, 0, PRIO_WORKER, 1000, PERIOD_US,
                                        seL4_SchedContext_Sporadic);
        struct thread *d = ipc_spawn(periodic_driver, 0, PRIO_DRIVER);
        CHECK(w && d && root_background_until(&w->finished, (PERIODS + 10) * PERIOD_US));
        CHECK_EQ(per.released, PERIODS);
        CHECK_EQ(per.started, PERIODS);
        CHECK(per.driver_late_max <= us_to_ticks(DRIVER_LATE_US));
        CHECK(per.worker_late_max <= us_to_ticks(WORKER_LATE_US));
        printf("periodic: driver late by %lu us at most, worker by %lu us at most (mean %lu us)\n",
               (unsigned long)ticks_to_us(per.driver_late_max),
               (unsigned long)ticks_to_us(per.worker_late_max),
               (unsigned long)ticks_to_us(per.worker_late_sum / PERIODS));
    }
    cntp_program(0, 0);
    threads_end();
}

/* ---- A notification's context lent to a passive handler -------------------------------------- */

#define LENT_BUDGET_US 2000
#define LENT_PERIOD_US 10000
#define LENT_WORK_US 100

static struct {
    seL4_CPtr handler, ntfn, go;
    volatile int ready, handled, resumed;
    volatile seL4_Word badge;
} lent;

/* Waits on the timer's notification; on each interrupt re-arms the timer for a second
 * interrupt that stays pending while it holds off the Ack, waits on `go` (keeping the lent
 * context), then acks. */
static void lent_handler(seL4_Word unused)
{
    (void)unused;
    lent.ready = 1;
    for (;;) {
        seL4_Word badge = 0;
        seL4_Wait(lent.ntfn, &badge);
        lent.badge = badge;
        lent.handled = lent.handled + 1;
        root_spin_us(LENT_WORK_US);          /* charged to the lent context */
        cntp_program(cntpct(), CNTP_ENABLE); /* fires again at once: pending, masked */
        seL4_Wait(lent.go, NULL);
        lent.resumed = lent.resumed + 1;
        seL4_IRQHandler_Ack(lent.handler); /* the pending interrupt arrives now */
        cntp_program(0, 0);
    }
}

/* Manual §6.1.11: a passive thread woken through a notification with a bound context runs
 * on that context. Then the context's last cap is deleted while the handler holds it and
 * a second interrupt is pending at the masked line: the handler, passive again, stops where
 * it is; given a context of its own it goes on, and nothing is lost or left dangling. */
SYSTEST(irq_notification_lends_its_context_to_a_passive_handler)
{
    if (!threads_begin()) {
        return;
    }
    memset((void *)&lent, 0, sizeof(lent));
    lent.ntfn = ntfn_new();
    lent.go = ntfn_new();
    seL4_CPtr probe = probe_sc_new();
    seL4_CPtr sc = sc_create(seL4_MinSchedContextBits);
    lent.handler = lent.ntfn ? timer_handler(lent.ntfn, 0x1e) : 0;
    struct thread *h = lent.handler && lent.go && probe && sc
                           ? passive_spawn(lent_handler, 0, PRIO_MID, &lent.ready)
                           : NULL;
    if (h) {
        CHECK_EQ(sc_configure(sc, LENT_BUDGET_US, LENT_PERIOD_US, 0, seL4_SchedContext_Sporadic),
                 seL4_NoError);
        CHECK_EQ(seL4_SchedContext_Bind(sc, lent.ntfn), seL4_NoError);
        (void)seL4_SchedContext_Consumed(sc);
        CHECK(!holds_sc(h, probe));
        cntp_program(cntpct() + us_to_ticks(200), CNTP_ENABLE);
        CHECK(root_background_until(&lent.handled, IPC_WAIT_US));
        CHECK_EQ(lent.badge, 0x1e);
        CHECK(holds_sc(h, probe)); /* runs on the notification's context, blocked on go */
        seL4_SchedContext_Consumed_t c = seL4_SchedContext_Consumed(sc);
        CHECK(c.error == seL4_NoError && c.consumed >= LENT_WORK_US);

        CHECK_EQ(seL4_CNode_Delete(ROOT, sc, ROOT_DEPTH), seL4_NoError);
        CHECK(!holds_sc(h, probe));
        seL4_Signal(lent.go);
        root_background_us(IPC_QUIET_US);
        CHECK_EQ(lent.resumed, 0); /* passive: it cannot run to take the signal */
        CHECK_CONSISTENT();
        /* Its own context: it takes `go`, acks, and the pending interrupt arrives. */
        CHECK_EQ(seL4_SchedContext_Bind(probe, h->tcb), seL4_NoError);
        CHECK(root_background_until(&lent.resumed, IPC_WAIT_US));
        root_background_us(IPC_QUIET_US);
        CHECK_EQ(lent.handled, 2);
    }
    cntp_program(0, 0);
    threads_end();
}

/* ---- Interrupt storms ---------------------------------------------------------------------- */

#define STORM_BUDGET_US 2000
#define STORM_PERIOD_US 10000
#define STORM_WINDOW_US 100000
#define STORM_DRIVER_BUDGET_US 5000
#define PRIO_STORM 100
#define PRIO_ABOVE 150

static struct {
    seL4_CPtr handler, ntfn;
    volatile uint64_t acks, spins;
    volatile int ready;
} storm;

/* Acks a line that never stops firing (the source is never silenced). */
static void storm_driver(seL4_Word unused)
{
    (void)unused;
    storm.ready = 1;
    for (;;) {
        seL4_Wait(storm.ntfn, NULL);
        storm.acks++;
        seL4_IRQHandler_Ack(storm.handler);
    }
}

static void spinner(seL4_Word unused)
{
    (void)unused;
    for (;;) {
        storm.spins++;
    }
}

/* A level interrupt that is never acked arrives once. One whose driver acks it at once,
 * forever, keeps the driver busy at its priority and costs every other thread a kernel
 * entry per interrupt; but a thread above the driver still gets its whole budget, and the
 * kernel's timer still ends budgets and wakes the root task on time. */
SYSTEST(irq_storm_starves_neither_the_kernel_timer_nor_a_higher_priority_budget)
{
    if (!threads_begin()) {
        return;
    }
    memset((void *)&storm, 0, sizeof(storm));
    storm.ntfn = ntfn_new();
    storm.handler = storm.ntfn ? timer_handler(storm.ntfn, 1) : 0;
    if (storm.handler) {
        /* Never acked: one signal. */
        cntp_program(cntpct(), CNTP_ENABLE);
        root_spin_us(500);
        seL4_Word badge = 0;
        seL4_Poll(storm.ntfn, &badge);
        CHECK_EQ(badge, 1);
        root_spin_us(500);
        badge = 0;
        seL4_Poll(storm.ntfn, &badge);
        CHECK_EQ(badge, 0);

        struct thread *above = thread_spawn(spinner, 0, PRIO_ABOVE, STORM_BUDGET_US,
                                            STORM_PERIOD_US, seL4_SchedContext_Sporadic);
        /* The driver's own budget lets the root task (below it) run to measure. */
        struct thread *d = thread_spawn(storm_driver, 0, PRIO_STORM, STORM_DRIVER_BUDGET_US,
                                        STORM_PERIOD_US, seL4_SchedContext_Sporadic);
        CHECK_EQ(seL4_IRQHandler_Ack(storm.handler), seL4_NoError);
        if (above && d) {
            root_background_us(STORM_PERIOD_US);
            (void)seL4_SchedContext_Consumed(above->sc);
            uint64_t acks = storm.acks, t0 = now_ticks();
            root_background_us(STORM_WINDOW_US);
            uint64_t elapsed = ticks_to_us(now_ticks() - t0);
            seL4_SchedContext_Consumed_t c = seL4_SchedContext_Consumed(above->sc);
            uint64_t share = elapsed * STORM_BUDGET_US / STORM_PERIOD_US;
            CHECK(storm.acks - acks > 100); /* the storm went on */
            CHECK_EQ(c.error, seL4_NoError);
            CHECK(c.consumed + STORM_BUDGET_US >= share);
            CHECK(c.consumed <= share + STORM_BUDGET_US);
            /* The root task's own wait, ended by the kernel timer, took as long as asked. */
            CHECK(elapsed >= STORM_WINDOW_US && elapsed <= STORM_WINDOW_US + STORM_PERIOD_US);
            printf("storm: %lu acks; the thread above got %lu us of %lu us (b/p: %lu)\n",
                   (unsigned long)(storm.acks - acks), (unsigned long)c.consumed,
                   (unsigned long)elapsed, (unsigned long)share);
        }
    }
    cntp_program(0, 0);
    threads_end();
}
