/* The errors of the MCS scheduling methods (manual §10.3.5, §10.3.6.1; ABI §3.5):
 * SchedControl_ConfigureFlags with extreme budgets, periods and refill counts,
 * SchedContext Bind/Unbind/UnbindObject/YieldTo misuse, and afterwards the kernel timer
 * still ending budgets; plus seL4_DebugDumpScheduler's listing.
 * systest: needs a debug kernel */
#include "thread_util.h"

/* ABI §3.5: minimum budget and period 2 × WCET = 20 µs; the maximum period
 * (2^64 - 1) / 62500 / 8 µs (the timer's 62.5 MHz, and room for 8 periods of arithmetic). */
#define MIN_US 20ul
#define MAX_US (UINT64_MAX / 62500 / 8)

static seL4_CPtr sched_control(void)
{
    return seL4_GetBootInfo()->schedcontrol.start;
}

/* Capacity in refills of a context of 2^bits bytes (ABI §2.2): (2^bits - 128)/16 + 2. */
static seL4_Word capacity(unsigned int bits)
{
    return ((1ul << bits) - seL4_CoreSchedContextBytes) / seL4_RefillSizeBytes + 2;
}

static volatile uint64_t limits_counter;
static void count_forever(seL4_Word counter)
{
    volatile uint64_t *c = (volatile uint64_t *)counter;
    for (;;) {
        *c = *c + 1;
    }
}

/* §10.3.6.1: RangeError when the budget or period is too small (below the kernel's
 * minimum) or too big (would overflow the timer), MR0/MR1 = the allowed range [20,
 * MAX_US]; budget > period is RangeError(20, period) (ABI §3.5, upstream's decoder). (The
 * method's prose says InvalidArgument; its error table, the ABI page and upstream say
 * RangeError.) The values are the ones on either side of each limit and the extremes of
 * the word. MAX_US is for the 62.5 MHz timer of qemu-arm-virt. */
SYSTEST(sched_configure_flags_budget_and_period_limits)
{
    if (!threads_begin()) {
        return;
    }
    seL4_CPtr sc = sc_create(seL4_MinSchedContextBits);
    if (sc) {
        static const uint64_t bad[] = {0, 1, MIN_US - 1, MAX_US + 1, UINT64_MAX};
        for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
            /* Budget out of range (period fine, and fine as a period too). */
            CHECK_RANGE_ERROR(sc_configure(sc, bad[i], MAX_US, 0, 0), MIN_US, MAX_US);
            /* Period out of range with the smallest budget. */
            CHECK_RANGE_ERROR(sc_configure(sc, MIN_US, bad[i], 0, 0), MIN_US, MAX_US);
            CHECK_RANGE_ERROR(sc_configure(sc, MIN_US, bad[i], 0, seL4_SchedContext_Sporadic),
                              MIN_US, MAX_US);
        }
        CHECK_EQ(sc_configure(sc, MIN_US, MIN_US, 0, 0), seL4_NoError);
        CHECK_EQ(sc_configure(sc, MIN_US, MAX_US, 0, 0), seL4_NoError);
        CHECK_EQ(sc_configure(sc, MAX_US, MAX_US, 0, 0), seL4_NoError);
        CHECK_EQ(sc_configure(sc, MIN_US, MAX_US, 0, seL4_SchedContext_Sporadic), seL4_NoError);
        /* Budget above period. */
        CHECK_RANGE_ERROR(sc_configure(sc, 1000, 500, 0, 0), MIN_US, 500);
        CHECK_RANGE_ERROR(sc_configure(sc, MIN_US + 1, MIN_US, 0, 0), MIN_US, MIN_US);
        CHECK_RANGE_ERROR(sc_configure(sc, MAX_US, MAX_US - 1, 0, 0), MIN_US, MAX_US - 1);
        /* A failed call leaves a working context: a thread on it runs. */
        CHECK_EQ(sc_configure(sc, 1000, 2000, 0, 0), seL4_NoError);
        CHECK_RANGE_ERROR(sc_configure(sc, 0, 0, 0, 0), MIN_US, MAX_US);
        CHECK_RANGE_ERROR(sc_configure(sc, UINT64_MAX, UINT64_MAX, 0, 0), MIN_US, MAX_US);
        limits_counter = 0;
        struct thread *t = thread_create(count_forever, (seL4_Word)&limits_counter, 100);
        if (t) {
            CHECK_EQ(seL4_SchedContext_Bind(sc, t->tcb), seL4_NoError);
            thread_resume(t);
            root_background_us(5000);
            CHECK(limits_counter > 0);
        }
    }
    threads_end();
}

/* §10.3.6.1: the schedcontext argument must be a scheduling context (InvalidCapability 1);
 * the service must be the SchedControl cap (a context or TCB answers the label with
 * IllegalOperation, as upstream's decoders do for labels not theirs). */
SYSTEST(sched_configure_flags_cap_errors)
{
    if (!threads_begin()) {
        return;
    }
    seL4_CPtr sc = sc_create(seL4_MinSchedContextBits);
    seL4_CPtr ep = threads_object(seL4_EndpointObject, 0);
    if (sc && ep) {
        CHECK_ARG_ERROR(seL4_SchedControl_ConfigureFlags(sched_control(), ep, 1000, 1000, 0, 0, 0),
                        seL4_InvalidCapability, 1);
        CHECK_ARG_ERROR(seL4_SchedControl_ConfigureFlags(sched_control(), seL4_CapInitThreadTCB,
                                                         1000, 1000, 0, 0, 0),
                        seL4_InvalidCapability, 1);
        CHECK_ARG_ERROR(
            seL4_SchedControl_ConfigureFlags(sched_control(), seL4_CapNull, 1000, 1000, 0, 0, 0),
            seL4_InvalidCapability, 1);
        CHECK_EQ(seL4_SchedControl_ConfigureFlags(sc, sc, 1000, 1000, 0, 0, 0),
                 seL4_IllegalOperation);
        CHECK_EQ(seL4_SchedControl_ConfigureFlags(seL4_CapInitThreadTCB, sc, 1000, 1000, 0, 0, 0),
                 seL4_IllegalOperation);
        /* One more SchedControl cap than the boot node has is no SchedControl cap. */
        const seL4_BootInfo *bi = seL4_GetBootInfo();
        CHECK_EQ(bi->schedcontrol.end - bi->schedcontrol.start, 1);
    }
    threads_end();
}

/* §6.1.8, §10.3.6.1: extra_refills above the context's capacity less the 2 every context
 * has is RangeError(0, capacity - 2) (ABI §3.5), for sporadic and round-robin parameters
 * alike (upstream checks it before looking at budget and period); up to it is fine. */
SYSTEST(sched_configure_flags_extra_refills_limit)
{
    if (!threads_begin()) {
        return;
    }
    static const unsigned int sizes[] = {seL4_MinSchedContextBits, 8, 10};
    for (unsigned int i = 0; i < 3; i++) {
        seL4_CPtr sc = sc_create(sizes[i]);
        if (sc == 0) {
            break;
        }
        seL4_Word max = capacity(sizes[i]) - 2;
        CHECK_EQ(sc_configure(sc, 1000, 10000, max, 0), seL4_NoError);
        CHECK_EQ(sc_configure(sc, 1000, 10000, max, seL4_SchedContext_Sporadic), seL4_NoError);
        CHECK_RANGE_ERROR(sc_configure(sc, 1000, 10000, max + 1, 0), 0, max);
        CHECK_RANGE_ERROR(sc_configure(sc, 1000, 1000, max + 1, 0), 0, max);
        CHECK_RANGE_ERROR(sc_configure(sc, 1000, 10000, UINT64_MAX, 0), 0, max);
        CHECK_EQ(sc_configure(sc, 1000, 10000, 0, 0), seL4_NoError);
    }
    CHECK_EQ(capacity(seL4_MinSchedContextBits), 2);
    CHECK_EQ(capacity(8), 10);
    CHECK_EQ(capacity(10), 58);
    threads_end();
}

/* ---- Bind / Unbind / UnbindObject misuse --------------------------------------------------- */

static void idle_fn(seL4_Word unused)
{
    (void)unused;
}

/* §10.3.5.1: binding fails with IllegalOperation when the context already has a thread or
 * the thread already has a context; a cap that is neither TCB nor notification is
 * InvalidCapability 1. §10.3.5.3/4: UnbindObject of a thread not bound to the context, and
 * Unbind/UnbindObject of the caller's own context, are IllegalOperation. §10.3.8.2: the
 * same rules for SetSchedParams, whose context argument is cap 2 (upstream). */
SYSTEST(sched_bind_unbind_errors)
{
    if (!threads_begin()) {
        return;
    }
    struct thread *a = thread_create(idle_fn, 0, 100);
    struct thread *b = thread_create(idle_fn, 0, 100);
    seL4_CPtr sc1 = sc_create(seL4_MinSchedContextBits);
    seL4_CPtr sc2 = sc_create(seL4_MinSchedContextBits);
    seL4_CPtr ep = threads_object(seL4_EndpointObject, 0);
    if (a && b && sc1 && sc2 && ep) {
        CHECK_EQ(sc_configure(sc1, 1000, 10000, 0, 0), seL4_NoError);
        CHECK_EQ(sc_configure(sc2, 1000, 10000, 0, 0), seL4_NoError);
        CHECK_EQ(seL4_SchedContext_Bind(sc1, a->tcb), seL4_NoError);
        CHECK_EQ(seL4_SchedContext_Bind(sc1, b->tcb), seL4_IllegalOperation); /* sc1 has a TCB */
        CHECK_EQ(seL4_SchedContext_Bind(sc2, a->tcb), seL4_IllegalOperation); /* a has sc1 */
        CHECK_EQ(seL4_SchedContext_Bind(sc1, a->tcb), seL4_IllegalOperation);
        CHECK_EQ(seL4_SchedContext_Bind(sc2, seL4_CapInitThreadTCB), seL4_IllegalOperation);
        CHECK_ARG_ERROR(seL4_SchedContext_Bind(sc2, ep), seL4_InvalidCapability, 1);
        CHECK_ARG_ERROR(seL4_SchedContext_Bind(sc2, sc1), seL4_InvalidCapability, 1);
        CHECK_ARG_ERROR(seL4_SchedContext_Bind(sc2, seL4_CapNull), seL4_InvalidCapability, 1);
        CHECK_EQ(
            seL4_TCB_SetSchedParams(b->tcb, seL4_CapInitThreadTCB, 100, 100, sc1, seL4_CapNull),
            seL4_IllegalOperation);
        CHECK_EQ(
            seL4_TCB_SetSchedParams(a->tcb, seL4_CapInitThreadTCB, 100, 100, sc2, seL4_CapNull),
            seL4_IllegalOperation);
        CHECK_ARG_ERROR(
            seL4_TCB_SetSchedParams(b->tcb, seL4_CapInitThreadTCB, 100, 100, ep, seL4_CapNull),
            seL4_InvalidCapability, 2);
        /* Giving a thread the context it already has is no error: §10.3.8.2 fails only for
         * a context bound elsewhere or a thread bound to another context. (Upstream
         * rejects any thread that has a context; the manual is explicit here.) */
        CHECK_EQ(
            seL4_TCB_SetSchedParams(a->tcb, seL4_CapInitThreadTCB, 100, 100, sc1, seL4_CapNull),
            seL4_NoError);

        CHECK_EQ(seL4_SchedContext_UnbindObject(sc2, a->tcb), seL4_IllegalOperation);
        CHECK_EQ(seL4_SchedContext_UnbindObject(sc1, b->tcb), seL4_IllegalOperation);
        CHECK_ARG_ERROR(seL4_SchedContext_UnbindObject(sc1, ep), seL4_InvalidCapability, 1);
        CHECK_EQ(seL4_SchedContext_UnbindObject(sc1, a->tcb), seL4_NoError);
        CHECK_EQ(seL4_SchedContext_UnbindObject(sc1, a->tcb), seL4_IllegalOperation);
        /* Unbind of a context with nothing bound is no error (upstream). */
        CHECK_EQ(seL4_SchedContext_Unbind(sc1), seL4_NoError);
        /* Now free both ways: sc1 binds b, and a takes sc2. */
        CHECK_EQ(seL4_SchedContext_Bind(sc1, b->tcb), seL4_NoError);
        CHECK_EQ(seL4_SchedContext_Bind(sc2, a->tcb), seL4_NoError);

        /* The root task's own context. */
        CHECK_EQ(seL4_SchedContext_UnbindObject(seL4_CapInitThreadSC, seL4_CapInitThreadTCB),
                 seL4_IllegalOperation);
        CHECK_EQ(seL4_SchedContext_Unbind(seL4_CapInitThreadSC), seL4_IllegalOperation);
        /* Methods of a context invoked on other caps. */
        CHECK_EQ(seL4_SchedContext_Unbind(seL4_CapInitThreadTCB), seL4_IllegalOperation);
        seL4_SchedContext_Consumed_t c = seL4_SchedContext_Consumed(seL4_CapInitThreadCNode);
        CHECK_EQ(c.error, seL4_IllegalOperation);
    }
    threads_end();
}

/* §6.1.11, §10.3.5.1/3: a context and a notification bind one to one, beside the context's
 * thread; binding a second of either is IllegalOperation, UnbindObject takes back only the
 * notification bound to that context, and Unbind drops thread and notification. */
SYSTEST(sched_bind_notification_errors)
{
    if (!threads_begin()) {
        return;
    }
    struct thread *a = thread_create(idle_fn, 0, 100);
    seL4_CPtr sc1 = sc_create(seL4_MinSchedContextBits);
    seL4_CPtr sc2 = sc_create(seL4_MinSchedContextBits);
    seL4_CPtr n1 = threads_object(seL4_NotificationObject, 0);
    seL4_CPtr n2 = threads_object(seL4_NotificationObject, 0);
    if (a && sc1 && sc2 && n1 && n2) {
        CHECK_EQ(sc_configure(sc1, 1000, 10000, 0, 0), seL4_NoError);
        CHECK_EQ(sc_configure(sc2, 1000, 10000, 0, 0), seL4_NoError);
        CHECK_EQ(seL4_SchedContext_Bind(sc1, a->tcb), seL4_NoError);
        CHECK_EQ(seL4_SchedContext_Bind(sc1, n1), seL4_NoError); /* sc1: TCB a and n1 */
        CHECK_EQ(seL4_SchedContext_Bind(sc1, n2), seL4_IllegalOperation);
        CHECK_EQ(seL4_SchedContext_Bind(sc2, n1), seL4_IllegalOperation);
        CHECK_EQ(seL4_SchedContext_Bind(sc2, n2), seL4_NoError);
        CHECK_EQ(seL4_SchedContext_UnbindObject(sc1, n2), seL4_IllegalOperation);
        CHECK_EQ(seL4_SchedContext_UnbindObject(sc1, n1), seL4_NoError);
        CHECK_EQ(seL4_SchedContext_UnbindObject(sc1, n1), seL4_IllegalOperation);
        CHECK_EQ(seL4_SchedContext_Bind(sc2, n1), seL4_IllegalOperation); /* sc2 has n2 */
        CHECK_EQ(seL4_SchedContext_Bind(sc1, n1), seL4_NoError);
        CHECK_EQ(seL4_SchedContext_Unbind(sc1), seL4_NoError); /* drops a and n1 */
        CHECK_EQ(seL4_SchedContext_UnbindObject(sc1, a->tcb), seL4_IllegalOperation);
        CHECK_EQ(seL4_SchedContext_UnbindObject(sc1, n1), seL4_IllegalOperation);
        CHECK_EQ(seL4_SchedContext_Bind(sc2, a->tcb), seL4_NoError);
    }
    threads_end();
}

/* ---- YieldTo misuse -------------------------------------------------------------------- */

static volatile seL4_CPtr yield_target;
static volatile int yield_error;
static void yield_to_target(seL4_Word unused)
{
    (void)unused;
    yield_error = seL4_SchedContext_YieldTo(yield_target).error;
}

/* §10.3.5.5: IllegalOperation when the context is bound to no TCB, is the caller's own,
 * or its thread's priority is above the caller's MCP; IllegalOperation for a service cap
 * of another type. */
SYSTEST(sched_yield_to_errors)
{
    if (!threads_begin()) {
        return;
    }
    seL4_CPtr unbound = sc_create(seL4_MinSchedContextBits);
    struct thread *high = thread_create(idle_fn, 0, 150);
    struct thread *caller = thread_create(yield_to_target, 0, 100);
    if (unbound && high && caller) {
        CHECK_EQ(sc_configure(unbound, 1000, 10000, 0, 0), seL4_NoError);
        CHECK_EQ(seL4_SchedContext_YieldTo(unbound).error, seL4_IllegalOperation);
        CHECK_EQ(seL4_SchedContext_YieldTo(seL4_CapInitThreadSC).error, seL4_IllegalOperation);
        CHECK_EQ(seL4_SchedContext_YieldTo(seL4_CapInitThreadTCB).error, seL4_IllegalOperation);

        /* `high` (150) is runnable on a context; `caller` has MCP 100. */
        thread_give_sc(high, 1000, 10000, 0);
        yield_target = high->sc;
        yield_error = -1;
        thread_give_sc(caller, 5000, 5000, 0);
        /* high stays inactive (never resumed): the check needs only its priority. */
        thread_resume(caller);
        CHECK(root_background_until(&caller->finished, 200000));
        CHECK_EQ(yield_error, seL4_IllegalOperation);
        CHECK(!high->started);
    }
    threads_end();
}

/* ---- Debug dump -------------------------------------------------------------------------- */

/* Manual §10.2.3 (seL4_DebugDumpScheduler): the kernel prints its scheduler's threads; a
 * named, runnable thread must appear in the listing. The format is the kernel's own. */
SYSTEST(sched_debug_dump_scheduler_lists_threads)
{
    if (!threads_begin()) {
        return;
    }
    struct thread *t = thread_create(idle_fn, 0, 100);
    if (t && thread_give_sc(t, 1000, 10000, 0)) {
        seL4_DebugNameThread(t->tcb, "dumpsched-probe");
        thread_resume(t); /* ready, below the root task */
        EXPECT_CONSOLE("sched_debug_dump_scheduler_names_thread", "dumpsched-probe");
        seL4_DebugDumpScheduler();
    }
    threads_end();
}

/* ---- The timer after all of that ------------------------------------------------------ */

static volatile uint64_t timer_spin_counter;
static void spin_counter_fn(seL4_Word unused)
{
    (void)unused;
    for (;;) {
        timer_spin_counter = timer_spin_counter + 1;
    }
}

/* After the extreme configurations above, budgets still end on time: an equal-priority
 * round-robin spinner with a 1 ms budget gives the CPU back to the yielding root task
 * after each 1 ms slice (only the kernel timer can end its run). Each slice may end late by
 * a late timer interrupt (QEMU without -icount, see sched.c), and a kernel may take that
 * overrun from the next slice, so five slices take between 5 ms less one late interrupt
 * and five late slices. A (1 ms, 4 ms) spinner above the root task lets it run in the rest
 * of each period. */
#define TIMER_SLACK_US 1000
SYSTEST(sched_timer_still_ends_budgets)
{
    if (!threads_begin()) {
        return;
    }
    timer_spin_counter = 0;
    struct thread *rr = thread_spawn(spin_counter_fn, 0, ROOT_PRIO, 1000, 1000, 0);
    if (rr) {
        /* The first slice is left out: right after the set-up calls QEMU's first timer
         * interrupt is often late by more than the slack. */
        seL4_Yield();
        uint64_t total = 0;
        for (int i = 0; i < 5; i++) {
            uint64_t before = now_ticks(), c = timer_spin_counter;
            seL4_Yield();
            total += ticks_to_us(now_ticks() - before);
            CHECK(timer_spin_counter > c);
        }
        CHECK(total + TIMER_SLACK_US >= 5000);
        CHECK(total <= 5 * (1000 + TIMER_SLACK_US));
        CHECK_EQ(seL4_TCB_Suspend(rr->tcb), seL4_NoError);
        if (systest_failed()) {
            printf("timer: 5 slices away %lu us\n", (unsigned long)total);
        }
    }
    struct thread *hi = thread_spawn(spin_counter_fn, 0, 200, 1000, 4000, 0);
    if (hi) {
        uint64_t c = timer_spin_counter;
        root_background_us(20000);
        CHECK(timer_spin_counter > c);
    }
    threads_end();
}
