/* Scheduling behaviours where Kairos follows upstream seL4 14.0.0 at the edges the manual
 * leaves open: what counts as a stopped thread for Resume and the register methods, when a
 * blocked thread may be given a scheduling context, and a second YieldTo to a context that
 * another thread already yielded to.
 * Uses ipc_util.h, so: systest: needs a debug kernel */
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
    struct thread *s = thread_spawn(spin, 0, PRIO_T, SPENT_BUDGET_US, SPENT_PERIOD_US,
                                    seL4_SchedContext_Sporadic);
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
