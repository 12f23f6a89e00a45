/* Scheduling behaviours where Kairos follows upstream seL4 14.0.0 at the edges the manual
 * leaves open: what counts as a stopped thread for Resume and the register methods, when a
 * blocked thread may be given a scheduling context, and a second YieldTo to a context that
 * another thread already yielded to.
 * Uses ipc_util.h, so: systest: needs a debug kernel */
#include <kairos/string.h>

#include "ipc_util.h"

#define PRIO_T 150
#define SPENT_BUDGET_US 1000
#define SPENT_PERIOD_US 1000000

static volatile int waiting[2], woken[2], woken_order, redirected;
static seL4_CPtr ntfn, never;

static void wait_once(seL4_Word i)
{
    waiting[i] = 1;
    seL4_Wait(ntfn, NULL);
    woken[i] = ++woken_order;
}

/* Where the register methods send a waiting thread: it says so and stops for good. */
static void redirected_here(seL4_Word unused)
{
    (void)unused;
    redirected = 1;
    for (;;) {
        seL4_Wait(never, NULL);
    }
}

/* Two threads of one priority wait on a notification, A first. Resume counts a thread
 * blocked in Wait as stopped (upstream isStopped): A restarts its Wait and queues again,
 * now behind B, so one Signal wakes B. */
SYSTEST(resume_restarts_a_thread_waiting_on_a_notification)
{
    if (!threads_begin()) {
        return;
    }
    ntfn = ntfn_new();
    waiting[0] = waiting[1] = woken[0] = woken[1] = woken_order = 0;
    struct thread *a = ntfn ? ipc_spawn(wait_once, 0, PRIO_T) : NULL;
    struct thread *b = a && wait_for(&waiting[0]) ? ipc_spawn(wait_once, 1, PRIO_T) : NULL;
    if (b && wait_for(&waiting[1])) {
        waiting[0] = 0;
        CHECK_EQ(seL4_TCB_Resume(a->tcb), seL4_NoError);
        root_background_us(IPC_QUIET_US);
        CHECK_EQ(woken[0], 0);
        seL4_Signal(ntfn);
        CHECK(wait_for(&b->finished));
        CHECK_EQ(woken[1], 1);
        CHECK_EQ(woken[0], 0);
        seL4_Signal(ntfn);
        CHECK(wait_for(&a->finished));
        CHECK_EQ(woken[0], 2);
    }
    threads_end();
}

/* WriteRegisters and CopyRegisters with their resume flag restart a thread blocked in
 * Wait at the new program counter. */
SYSTEST(register_methods_resume_a_thread_waiting_on_a_notification)
{
    if (!threads_begin()) {
        return;
    }
    ntfn = ntfn_new();
    never = ntfn_new();
    waiting[0] = woken[0] = redirected = 0;
    struct thread *a = ntfn ? ipc_spawn(wait_once, 0, PRIO_T) : NULL;
    if (a && wait_for(&waiting[0])) {
        seL4_UserContext ctx;
        CHECK_EQ(seL4_TCB_ReadRegisters(a->tcb, false, 0, 3, &ctx), seL4_NoError);
        ctx.pc = (seL4_Word)redirected_here;
        CHECK_EQ(seL4_TCB_WriteRegisters(a->tcb, true, 0, 1, &ctx), seL4_NoError);
        CHECK(wait_for(&redirected));
        CHECK_EQ(woken[0], 0);
    }
    /* The same through CopyRegisters from a stopped template thread. */
    waiting[1] = woken[1] = redirected = 0;
    struct thread *b = ntfn ? ipc_spawn(wait_once, 1, PRIO_T) : NULL;
    struct thread *templ = thread_create(redirected_here, 0, PRIO_T);
    if (b && templ && wait_for(&waiting[1])) {
        CHECK_EQ(seL4_TCB_CopyRegisters(b->tcb, templ->tcb, false, true, true, true, 0),
                 seL4_NoError);
        CHECK(wait_for(&redirected));
        CHECK_EQ(woken[1], 0);
    }
    threads_end();
}

/* ---- Giving a blocked thread a context --------------------------------------------------- */

static void spin(seL4_Word unused)
{
    (void)unused;
    for (;;) {
    }
}

/* A configured, unbound context whose only refill lies in the future: it ran out of budget
 * on a spinning thread that was then suspended and lost it. 0 on failure. */
static seL4_CPtr spent_context(void)
{
    struct thread *s =
        thread_spawn(spin, 0, PRIO_T, SPENT_BUDGET_US, SPENT_PERIOD_US, seL4_SchedContext_Sporadic);
    if (s == NULL) {
        return 0;
    }
    root_background_us(4 * SPENT_BUDGET_US);
    CHECK_EQ(seL4_TCB_Suspend(s->tcb), seL4_NoError);
    CHECK_EQ(seL4_SchedContext_UnbindObject(s->sc, s->tcb), seL4_NoError);
    return s->sc;
}

/* Manual §10.3.5.1 and upstream: Bind and SetSchedParams refuse a blocked thread a context
 * that is not released (unconfigured, or no ready refill) with IllegalOperation and change
 * nothing; an inactive thread may have either; a released one goes to a blocked thread. */
SYSTEST(sched_blocked_thread_gets_only_a_released_context)
{
    if (!threads_begin()) {
        return;
    }
    ntfn = ntfn_new();
    waiting[0] = 0;
    seL4_CPtr probe = probe_sc_new();
    seL4_CPtr fresh = sc_create(seL4_MinSchedContextBits);
    seL4_CPtr spent = spent_context();
    struct thread *w = ntfn ? thread_create(wait_once, 0, PRIO_T) : NULL;
    if (w && probe && fresh && spent && thread_give_sc(w, RR_US, RR_US, 0)) {
        thread_resume(w);
        CHECK(wait_for(&waiting[0]));
        /* Passive while blocked: these are the contexts it may not get. */
        CHECK_EQ(seL4_SchedContext_UnbindObject(w->sc, w->tcb), seL4_NoError);
        CHECK_EQ(seL4_SchedContext_Bind(fresh, w->tcb), seL4_IllegalOperation);
        CHECK_EQ(seL4_SchedContext_Bind(spent, w->tcb), seL4_IllegalOperation);
        CHECK_EQ(seL4_TCB_SetSchedParams(w->tcb, seL4_CapInitThreadTCB, PRIO_T, PRIO_T, fresh, 0),
                 seL4_IllegalOperation);
        CHECK_EQ(seL4_TCB_SetSchedParams(w->tcb, seL4_CapInitThreadTCB, PRIO_T, PRIO_T, spent, 0),
                 seL4_IllegalOperation);
        CHECK(!holds_sc(w, probe));
        /* A released context is fine. */
        CHECK_EQ(seL4_TCB_SetSchedParams(w->tcb, seL4_CapInitThreadTCB, PRIO_T, PRIO_T, w->sc, 0),
                 seL4_NoError);
        CHECK(holds_sc(w, probe));
        /* An inactive thread may get either kind. */
        CHECK_EQ(seL4_TCB_Suspend(w->tcb), seL4_NoError);
        CHECK_EQ(seL4_SchedContext_UnbindObject(w->sc, w->tcb), seL4_NoError);
        CHECK_EQ(seL4_SchedContext_Bind(spent, w->tcb), seL4_NoError);
        CHECK_EQ(seL4_SchedContext_UnbindObject(spent, w->tcb), seL4_NoError);
        CHECK_EQ(seL4_TCB_SetSchedParams(w->tcb, seL4_CapInitThreadTCB, PRIO_T, PRIO_T, fresh, 0),
                 seL4_NoError);
    }
    /* The caller's own context is never taken away with a null cap. */
    CHECK_EQ(seL4_TCB_SetSchedParams(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, ROOT_PRIO,
                                     ROOT_PRIO, seL4_CapNull, 0),
             seL4_IllegalOperation);
    threads_end();
}

/* ---- A second YieldTo to one context ----------------------------------------------------- */

static struct {
    seL4_CPtr target_sc, wake;
    volatile int a_yielding;
    volatile seL4_Word a_error, b_error;
    volatile int a_done, b_done;
} y;

/* The target: spins, and wakes B once A has yielded to it. */
static void yield_target(seL4_Word unused)
{
    (void)unused;
    for (;;) {
        if (y.a_yielding == 1) {
            y.a_yielding = 2;
            seL4_Signal(y.wake);
        }
    }
}

static void yielder_a(seL4_Word unused)
{
    (void)unused;
    y.a_yielding = 1;
    y.a_error = seL4_SchedContext_YieldTo(y.target_sc).error;
    y.a_done = 1;
}

static void yielder_b(seL4_Word unused)
{
    (void)unused;
    seL4_Wait(y.wake, NULL);
    y.b_error = seL4_SchedContext_YieldTo(y.target_sc).error;
    y.b_done = 1;
}

/* A yields to T (same priority, T ready: T runs first, A's answer waits); T wakes B,
 * above them, which yields to T's context too. Upstream completes A's yield then and serves B; both
 * calls succeed (B's at once: T is below it). */
SYSTEST(sched_yield_to_a_context_already_yielded_to_completes_the_first)
{
    if (!threads_begin()) {
        return;
    }
    y.a_yielding = 0;
    y.a_error = y.b_error = ~0ul;
    y.a_done = y.b_done = 0;
    y.wake = ntfn_new();
    struct thread *b = y.wake ? ipc_spawn(yielder_b, 0, PRIO_T + 10) : NULL;
    struct thread *t = thread_create(yield_target, 0, PRIO_T);
    struct thread *a = thread_create(yielder_a, 0, PRIO_T);
    /* T spins on a sporadic budget, so the root task gets the rest of each period. */
    if (b && t && a && thread_give_sc(t, 2000, 10000, seL4_SchedContext_Sporadic) &&
        thread_give_sc(a, RR_US, RR_US, 0)) {
        y.target_sc = t->sc;
        thread_resume(a); /* A first in the queue of their priority, T behind it */
        thread_resume(t);
        CHECK(root_background_until(&y.b_done, IPC_WAIT_US));
        CHECK(root_background_until(&y.a_done, IPC_WAIT_US));
        CHECK_EQ(y.b_error, seL4_NoError);
        CHECK_EQ(y.a_error, seL4_NoError);
    }
    threads_end();
}

/* ---- The Sporadic flag ------------------------------------------------------------------- */

#define FLAG_BUDGET_US 2000
#define FLAG_PERIOD_US 20000
#define FLAG_DELAY_US 5000
#define FLAG_GAP_US 500
#define FLAG_SLACK_US 300

static struct {
    seL4_CPtr wake_t, wake_h;
    volatile uint64_t started, resumed;
    volatile int t_ready, h_ready;
} fl;

/* Woken, spins through its budget and records when it first runs again after the gap. */
static void flag_thread(seL4_Word unused)
{
    (void)unused;
    fl.t_ready = 1;
    seL4_Wait(fl.wake_t, NULL);
    uint64_t last = now_ticks();
    fl.started = last;
    for (;;) {
        uint64_t now = now_ticks();
        if (now - last > us_to_ticks(FLAG_GAP_US)) {
            fl.resumed = now;
            return;
        }
        last = now;
    }
}

/* Runs FLAG_DELAY_US above the flag thread once woken. */
static void flag_blocker(seL4_Word unused)
{
    (void)unused;
    fl.h_ready = 1;
    seL4_Wait(fl.wake_h, NULL);
    root_spin_us(FLAG_DELAY_US);
}

/* When the budget of a thread woken at w but first run at w + d comes back: w + p with the
 * Sporadic flag (its refills are re-dated when it becomes runnable, upstream), w + d + p
 * without (re-dated when its context starts running). Returns resumed - w in µs. */
static uint64_t flag_refill_delay(seL4_Word flags, uint64_t *start_us)
{
    memset((void *)&fl, 0, sizeof(fl));
    fl.wake_t = ntfn_new();
    fl.wake_h = ntfn_new();
    struct thread *t = thread_spawn(flag_thread, 0, PRIO_T, FLAG_BUDGET_US, FLAG_PERIOD_US, flags);
    struct thread *h = ipc_spawn(flag_blocker, 0, PRIO_T + 50);
    if (!fl.wake_t || !fl.wake_h || !t || !h || !wait_for(&fl.t_ready) || !wait_for(&fl.h_ready)) {
        return 0;
    }
    /* A fresh refill, from now: the thread's first run before its Wait left a small one. */
    CHECK_EQ(sc_configure(t->sc, FLAG_BUDGET_US, FLAG_PERIOD_US, 0, flags), seL4_NoError);
    uint64_t w = now_ticks();
    seL4_Signal(fl.wake_t);
    seL4_Signal(fl.wake_h);
    if (!root_background_until(&t->finished, 4 * FLAG_PERIOD_US)) {
        systest_fail(__FILE__, __LINE__, "the woken thread never ran again");
        return 0;
    }
    *start_us = ticks_to_us(fl.started - w);
    return ticks_to_us(fl.resumed - w);
}

SYSTEST(sched_sporadic_flag_dates_refills_from_the_wake_up)
{
    uint64_t start = 0, with = 0, without = 0;
    if (threads_begin()) {
        with = flag_refill_delay(seL4_SchedContext_Sporadic, &start);
        threads_end();
        CHECK(start + FLAG_SLACK_US >= FLAG_DELAY_US);
        CHECK(with + FLAG_SLACK_US >= FLAG_PERIOD_US);
        CHECK(with <= FLAG_PERIOD_US + FLAG_SLACK_US);
    }
    if (threads_begin()) {
        without = flag_refill_delay(0, &start);
        threads_end();
        CHECK(without + FLAG_SLACK_US >= FLAG_PERIOD_US + FLAG_DELAY_US);
        CHECK(without <= FLAG_PERIOD_US + FLAG_DELAY_US + FLAG_SLACK_US);
    }
    if (systest_failed()) {
        printf("sporadic flag: started %lu us after the wake-up; ran again after %lu us "
               "(Sporadic) and %lu us (constant bandwidth)\n",
               (unsigned long)start, (unsigned long)with, (unsigned long)without);
    }
}

/* ---- The minimum budget ------------------------------------------------------------------ */

#define MIN_BUDGET_TEST_US 20 /* 2 x the kernel WCET (ABI §3.5) */
#define MIN_BUDGET_CALLS 200
#define MIN_BUDGET_WAIT_US 200000

static volatile int min_calls;
static seL4_CPtr min_ntfn;

static void make_calls(seL4_Word unused)
{
    (void)unused;
    while (min_calls < MIN_BUDGET_CALLS) {
        seL4_Signal(min_ntfn);
        min_calls++;
    }
}

/* A round-robin context at the minimum budget (b = p = 20 µs) still lets its thread
 * complete system calls. Upstream's check at kernel entry wants the whole minimum budget
 * left after the time already used, which a 20 µs budget never has: each entry would charge
 * the thread and restart the call, and it would never get through one. Kairos asks for the
 * kernel's WCET (10 µs) of budget left instead. The root task waits at the thread's
 * priority, sharing the processor round robin, so a stuck thread cannot starve it. */
SYSTEST(sched_minimum_budget_still_makes_progress)
{
    if (!threads_begin()) {
        return;
    }
    min_calls = 0;
    min_ntfn = ntfn_new();
    struct thread *t = min_ntfn ? thread_create(make_calls, 0, PRIO_T) : NULL;
    if (t && thread_give_sc(t, MIN_BUDGET_TEST_US, MIN_BUDGET_TEST_US, 0)) {
        thread_resume(t);
        uint64_t end = now_ticks() + us_to_ticks(MIN_BUDGET_WAIT_US);
        root_set_priority(PRIO_T);
        while (!t->finished && now_ticks() < end) {
        }
        root_set_priority(ROOT_PRIO);
        CHECK(t->finished);
        CHECK_EQ(min_calls, MIN_BUDGET_CALLS);
    }
    threads_end();
}

/* ---- Passive servers do not amplify budgets (upstream issue #1365) ----------------------- */

#define AMP_BUDGET_US 2000
#define AMP_PERIOD_US 10000
#define AMP_SERVE_US 1500
#define AMP_WINDOW_US 200000
#define AMP_SLACK_US (AMP_BUDGET_US + 20 * 10)

static seL4_CPtr amp_ep, amp_reply;
static volatile int amp_server_ready;

/* A passive server above its clients that works AMP_SERVE_US per request. */
static void amp_server(seL4_Word unused)
{
    (void)unused;
    seL4_Word badge;
    amp_server_ready = 1;
    seL4_Recv(amp_ep, &badge, amp_reply);
    for (;;) {
        root_spin_us(AMP_SERVE_US);
        seL4_ReplyRecv(amp_ep, seL4_MessageInfo_new(0, 0, 0, 0), &badge, amp_reply);
    }
}

static void amp_client(seL4_Word unused)
{
    (void)unused;
    for (;;) {
        seL4_Call(amp_ep, seL4_MessageInfo_new(0, 0, 0, 0));
    }
}

/* Two clients of one priority, each (2 ms, 10 ms), call a passive server above them in a
 * loop; the server often runs out of a client's budget in the middle of a request and goes
 * on when the refill comes, at the server's priority. Neither client's context is charged
 * more than its b/p of the time. (Upstream #1365: a client whose budget was refilled while
 * the server ran on it is switched to directly on the reply, ahead of the other client of
 * its priority; Kairos queues it behind that client like any thread made runnable.) */
SYSTEST(sched_passive_server_does_not_amplify_budgets)
{
    if (!threads_begin()) {
        return;
    }
    amp_ep = ep_new();
    amp_reply = reply_new();
    struct thread *s =
        amp_ep && amp_reply ? passive_spawn(amp_server, 0, PRIO_T + 50, &amp_server_ready) : NULL;
    struct thread *c[2] = {0};
    for (int i = 0; s && i < 2; i++) {
        c[i] = thread_spawn(amp_client, 0, PRIO_T, AMP_BUDGET_US, AMP_PERIOD_US,
                            seL4_SchedContext_Sporadic);
    }
    if (s && c[0] && c[1]) {
        root_background_us(2 * AMP_PERIOD_US);
        (void)seL4_SchedContext_Consumed(c[0]->sc);
        (void)seL4_SchedContext_Consumed(c[1]->sc);
        uint64_t t0 = now_ticks();
        root_background_us(AMP_WINDOW_US);
        uint64_t elapsed = ticks_to_us(now_ticks() - t0);
        uint64_t allowed = elapsed * AMP_BUDGET_US / AMP_PERIOD_US;
        for (int i = 0; i < 2; i++) {
            seL4_SchedContext_Consumed_t used = seL4_SchedContext_Consumed(c[i]->sc);
            CHECK_EQ(used.error, seL4_NoError);
            /* Not a lower bound: with two refills a sporadic context that is preempted
             * in the middle of its budget loses some of it to merges (as upstream). */
            CHECK(used.consumed <= allowed + AMP_SLACK_US);
            CHECK(used.consumed > 0);
            if (systest_failed()) {
                printf("client %d: consumed %lu us of %lu us (b/p: %lu)\n", i,
                       (unsigned long)used.consumed, (unsigned long)elapsed,
                       (unsigned long)allowed);
            }
        }
    }
    threads_end();
}
