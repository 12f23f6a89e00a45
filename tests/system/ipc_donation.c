/* Scheduling-context donation (manual §6.1.9, §6.1.11, §10.3.5): passive servers run on
 * their callers' contexts along call chains and give them back with the reply; deleting
 * reply objects in and at the head of a chain; a Wait receiver gets no context;
 * NBSendRecv donation; contexts lent by notifications; Unbind and UnbindObject of a
 * donated context; and a Send (not a Call) to a passive server (upstream issue #1616).
 *
 * Who holds a context is probed with holds_sc() (ipc_util.h): binding a spare context to
 * a thread fails exactly when it has one. Time a passive thread spends is charged to the
 * context it runs on (SchedContext_Consumed). The root task never blocks (ipc_util.h).
 * systest: needs a debug kernel */
#include <kairos/string.h>

#include "ipc_util.h"

#define KERNEL_WCET_US 10 /* ABI §7 */
#define SPIN_US 2000

static volatile struct {
    seL4_CPtr ep1, ep2, hold, r1, r2, ra;
    bool hold_first; /* the second thread waits on `hold` after receiving */
} d;
/* Per thread role (0: the client A, 1: the first server, 2: the second server): the
 * number of times it is about to block in a receive, its progress, what it received. */
static volatile int ready[3], step[3];
static volatile seL4_Word value[3];

static void reset(void)
{
    memset((void *)&d, 0, sizeof(d));
    memset((void *)ready, 0, sizeof(ready));
    memset((void *)step, 0, sizeof(step));
    memset((void *)value, 0, sizeof(value));
}

static bool wait_step(int who, int n)
{
    uint64_t end = now_ticks() + us_to_ticks(IPC_WAIT_US);
    root_set_priority(ROOT_LOW_PRIO);
    while (step[who] < n && now_ticks() < end) {
    }
    root_set_priority(ROOT_PRIO);
    return step[who] >= n;
}

/* The client A: calls ep1 with MR0 = 10, records the answer's MR0. */
static void client(seL4_Word unused)
{
    (void)unused;
    seL4_SetMR(0, 10);
    ready[0] = 1;
    seL4_Call(d.ep1, seL4_MessageInfo_new(0, 0, 0, 1));
    value[0] = seL4_GetMR(0);
    step[0] = 1;
}

/* The same twice: MR0 = 10, then MR0 = 20; step[0] counts the answers. */
static void client_twice(seL4_Word unused)
{
    (void)unused;
    for (seL4_Word k = 1; k <= 2; k++) {
        seL4_SetMR(0, 10 * k);
        seL4_Call(d.ep1, seL4_MessageInfo_new(0, 0, 0, 1));
        value[0] = seL4_GetMR(0);
        step[0] = (int)k;
    }
}

/* A passive server's loop: Recv once, then answer and wait for the next request in one
 * ReplyRecv (a passive server has no context of its own to get from a reply back to a
 * Recv). ready[who] counts the times it is about to block. */

/* On ep1 with reply object r1: answers MR0 + 1 after spinning SPIN_US (waiting on `hold`
 * first if d.hold_first); step[1]: 1 received, 2 working. */
static void spin_server(seL4_Word unused)
{
    (void)unused;
    seL4_Word badge;
    ready[1] = 1;
    seL4_Recv(d.ep1, &badge, d.r1);
    for (;;) {
        value[1] = seL4_GetMR(0);
        step[1] = 1;
        if (d.hold_first) {
            seL4_Wait(d.hold, NULL);
        }
        step[1] = 2;
        root_spin_us(SPIN_US);
        seL4_SetMR(0, value[1] + 1);
        ready[1] = ready[1] + 1;
        seL4_ReplyRecv(d.ep1, seL4_MessageInfo_new(0, 0, 0, 1), &badge, d.r1);
    }
}

/* The middle of a chain: on ep1 (reply object r1) it forwards MR0 + 1 to ep2 by Call and
 * answers what comes back + 1; step[1]: 1 received, 2 answered by C. */
static void chain_middle(seL4_Word unused)
{
    (void)unused;
    seL4_Word badge;
    ready[1] = 1;
    seL4_Recv(d.ep1, &badge, d.r1);
    for (;;) {
        value[1] = seL4_GetMR(0);
        step[1] = 1;
        seL4_SetMR(0, value[1] + 1);
        seL4_Call(d.ep2, seL4_MessageInfo_new(0, 0, 0, 1));
        step[1] = 2;
        seL4_SetMR(0, seL4_GetMR(0) + 1);
        ready[1] = ready[1] + 1;
        seL4_ReplyRecv(d.ep1, seL4_MessageInfo_new(0, 0, 0, 1), &badge, d.r1);
    }
}

/* The end of a chain: on ep2 (reply object r2) answers MR0 + 1 after spinning SPIN_US
 * (waiting on `hold` first if d.hold_first); step[2]: 1 received, 2 working. */
static void chain_end(seL4_Word unused)
{
    (void)unused;
    seL4_Word badge;
    ready[2] = 1;
    seL4_Recv(d.ep2, &badge, d.r2);
    for (;;) {
        value[2] = seL4_GetMR(0);
        step[2] = 1;
        if (d.hold_first) {
            seL4_Wait(d.hold, NULL);
        }
        step[2] = 2;
        root_spin_us(SPIN_US);
        seL4_SetMR(0, value[2] + 1);
        ready[2] = ready[2] + 1;
        seL4_ReplyRecv(d.ep2, seL4_MessageInfo_new(0, 0, 0, 1), &badge, d.r2);
    }
}

static bool objects(void)
{
    d.ep1 = ep_new();
    d.ep2 = ep_new();
    d.hold = ntfn_new();
    d.r1 = reply_new();
    d.r2 = reply_new();
    d.ra = reply_new();
    return d.ep1 && d.ep2 && d.hold && d.r1 && d.r2 && d.ra;
}

/* The client with a round-robin context (10 ms) whose consumed time starts at 0. */
static struct thread *client_start(thread_fn fn)
{
    struct thread *a = thread_create(fn, 0, PRIO_LOW);
    if (a == NULL || !thread_give_sc(a, 10000, 10000, 0)) {
        return NULL;
    }
    (void)seL4_SchedContext_Consumed(a->sc);
    thread_resume(a);
    return a;
}

static uint64_t consumed(seL4_CPtr sc)
{
    seL4_SchedContext_Consumed_t c = seL4_SchedContext_Consumed(sc);
    CHECK_EQ(c.error, seL4_NoError);
    return c.consumed;
}

/* ---- Call and reply --------------------------------------------------------------------- */

/* §6.1.9, §6.1.11: a passive server called by a client runs on the client's context (its
 * 2 ms are charged there, and it holds a context while it works); the reply returns the
 * context: the client continues and holds it, the server is passive again, waiting in its
 * ReplyRecv, and serves the client's second call the same way. */
SYSTEST(donation_call_runs_a_passive_server_on_the_callers_context)
{
    if (!threads_begin()) {
        return;
    }
    reset();
    d.hold_first = true;
    seL4_CPtr probe = probe_sc_new();
    struct thread *s = objects() ? passive_spawn(spin_server, 0, PRIO_MID, &ready[1]) : NULL;
    if (s && probe) {
        CHECK(!holds_sc(s, probe));
        struct thread *a = client_start(client_twice);
        CHECK(a && wait_step(1, 1));
        if (a) {
            CHECK(holds_sc(s, probe));
            CHECK(!holds_sc(a, probe));
            seL4_Signal(d.hold);
            CHECK(wait_step(0, 1));
            CHECK_EQ(value[0], 11);
            CHECK(consumed(a->sc) + KERNEL_WCET_US >= SPIN_US);
            CHECK_EQ(ready[1], 2);
            seL4_Signal(d.hold);
            CHECK(wait_for(&a->finished));
            CHECK_EQ(value[0], 21);
            CHECK(consumed(a->sc) + KERNEL_WCET_US >= SPIN_US);
            CHECK(holds_sc(a, probe));
            CHECK(!holds_sc(s, probe));
            CHECK_EQ(ready[1], 3);
        }
    }
    threads_end();
}

/* §6.1.11: along a call chain A -> B -> C of passive servers the context goes all the way
 * (C's spin is charged to A's context) and comes back reply by reply to A; B and C end
 * passive. */
SYSTEST(donation_three_deep_call_chain)
{
    if (!threads_begin()) {
        return;
    }
    reset();
    seL4_CPtr probe = probe_sc_new();
    bool ok = objects() && probe;
    struct thread *b = ok ? passive_spawn(chain_middle, 0, PRIO_MID, &ready[1]) : NULL;
    struct thread *c = b ? passive_spawn(chain_end, 0, PRIO_HIGH, &ready[2]) : NULL;
    if (c) {
        struct thread *a = client_start(client);
        CHECK(a && wait_for(&a->finished));
        if (a) {
            CHECK_EQ(value[0], 13);
            CHECK(consumed(a->sc) + KERNEL_WCET_US >= SPIN_US);
            CHECK(holds_sc(a, probe));
        }
        CHECK(!holds_sc(b, probe));
        CHECK(!holds_sc(c, probe));
    }
    threads_end();
}

/* Starts the chain A -> B -> C with C holding A's context, blocked on `hold`. */
static struct thread *chain[3];
static bool chain_start(seL4_CPtr probe)
{
    reset();
    d.hold_first = true;
    if (!objects() || !probe) {
        return false;
    }
    chain[1] = passive_spawn(chain_middle, 0, PRIO_MID, &ready[1]);
    chain[2] = chain[1] ? passive_spawn(chain_end, 0, PRIO_HIGH, &ready[2]) : NULL;
    chain[0] = chain[2] ? client_start(client) : NULL;
    if (!chain[0] || !wait_step(2, 1)) {
        systest_fail(__FILE__, __LINE__, "the call chain did not reach C");
        return false;
    }
    CHECK(holds_sc(chain[2], probe));
    CHECK(!holds_sc(chain[1], probe));
    CHECK(!holds_sc(chain[0], probe));
    return true;
}

/* §6.1.11: "If whilst C holds the scheduling context, B's reply cap to A is revoked, then
 * the scheduling context will remain with C": deleting B's reply object (the one holding
 * A's call) leaves the context where it is, and C can go on running on it; A gets no
 * answer. */
SYSTEST(donation_deleting_a_middle_reply_leaves_the_context_with_the_callee)
{
    if (!threads_begin()) {
        return;
    }
    seL4_CPtr probe = probe_sc_new();
    if (chain_start(probe)) {
        /* B, given the context back by C's reply, answers on the deleted r1: a cap fault
         * with no handler. */
        thread_expect_inactive(chain[1]);
        CHECK_EQ(seL4_CNode_Delete(ROOT, d.r1, ROOT_DEPTH), seL4_NoError);
        CHECK(holds_sc(chain[2], probe));
        CHECK(!holds_sc(chain[1], probe));
        CHECK(!holds_sc(chain[0], probe));
        (void)consumed(chain[0]->sc);
        seL4_Signal(d.hold);
        CHECK(wait_for(&ready[2]) && ready[2] == 2);
        CHECK(consumed(chain[0]->sc) + KERNEL_WCET_US >= SPIN_US);
        root_background_us(IPC_QUIET_US);
        CHECK(!chain[0]->finished);
        CHECK_CONSISTENT();
    }
    threads_end();
}

/* §6.1.11 says that after B's reply object to A is deleted "a call chain will remain
 * between A and C, such that if C's reply cap is revoked, or invoked, the scheduling
 * context will return to A" -- but deleting that reply object also leaves A waiting on a
 * reply that can never come, so A cannot take the context back and run. The sentence
 * contradicts itself; Kairos does what upstream seL4 does: deleting a reply object in the
 * middle breaks the chain there, and C's reply gives the context to B, the caller its
 * reply object records. Invoked: */
SYSTEST(donation_reply_after_a_middle_deletion_gives_the_context_to_b)
{
    if (!threads_begin()) {
        return;
    }
    seL4_CPtr probe = probe_sc_new();
    if (chain_start(probe)) {
        thread_expect_inactive(chain[1]); /* its ReplyRecv names the deleted r1 */
        CHECK_EQ(seL4_CNode_Delete(ROOT, d.r1, ROOT_DEPTH), seL4_NoError);
        seL4_Signal(d.hold);
        CHECK(wait_for(&ready[2]) && ready[2] == 2);
        root_background_us(IPC_QUIET_US);
        CHECK(holds_sc(chain[1], probe));
        CHECK(!holds_sc(chain[0], probe));
        CHECK(!holds_sc(chain[2], probe));
    }
    threads_end();
}

/* ...and revoked: deleting C's reply object (B's call) too gives the context to B. */
SYSTEST(donation_deleting_both_replies_gives_the_context_to_b)
{
    if (!threads_begin()) {
        return;
    }
    seL4_CPtr probe = probe_sc_new();
    if (chain_start(probe)) {
        CHECK_EQ(seL4_CNode_Delete(ROOT, d.r1, ROOT_DEPTH), seL4_NoError);
        CHECK_EQ(seL4_CNode_Delete(ROOT, d.r2, ROOT_DEPTH), seL4_NoError);
        CHECK(holds_sc(chain[1], probe));
        CHECK(!holds_sc(chain[0], probe));
        CHECK(!holds_sc(chain[2], probe));
        CHECK_CONSISTENT();
    }
    threads_end();
}

/* §6.1.11: "If the reply cap is revoked, and the callee holds the scheduling context, the
 * scheduling context will be returned to the caller": deleting the reply object of a
 * passive server that holds its caller's context (blocked elsewhere) gives the context
 * back to the caller, which gets no answer (upstream: it is left inactive); the server,
 * without a context, no longer runs. */
SYSTEST(donation_deleting_the_head_reply_returns_the_context)
{
    if (!threads_begin()) {
        return;
    }
    reset();
    d.hold_first = true;
    seL4_CPtr probe = probe_sc_new();
    struct thread *s =
        objects() && probe ? passive_spawn(spin_server, 0, PRIO_MID, &ready[1]) : NULL;
    struct thread *a = s ? client_start(client) : NULL;
    if (a && wait_step(1, 1)) {
        CHECK(holds_sc(s, probe));
        CHECK_EQ(seL4_CNode_Delete(ROOT, d.r1, ROOT_DEPTH), seL4_NoError);
        CHECK(holds_sc(a, probe));
        CHECK(!holds_sc(s, probe));
        seL4_Signal(d.hold);
        root_background_us(IPC_QUIET_US);
        CHECK_EQ(step[1], 1);
        CHECK(!a->finished);
        CHECK_CONSISTENT();
    }
    threads_end();
}

/* A passive receiver that waits without a reply object. */
static void passive_waiter(seL4_Word unused)
{
    (void)unused;
    seL4_Word badge;
    ready[1] = 1;
    seL4_Wait(d.ep1, &badge);
    step[1] = 1;
}

/* §6.1.11: "If the receiver does not provide a reply object to track the donation (i.e.
 * uses seL4_Wait() instead of seL4_Recv()) scheduling context donation will not occur but
 * the message will be delivered": the message is in the passive receiver's registers
 * (badge, tag, MR0), it gets no context and does not run; the caller keeps its context and,
 * with no reply object to wait on, gets no answer (§4.2.4). */
SYSTEST(donation_none_to_a_passive_wait)
{
    if (!threads_begin()) {
        return;
    }
    reset();
    seL4_CPtr probe = probe_sc_new();
    struct thread *s =
        objects() && probe ? passive_spawn(passive_waiter, 0, PRIO_MID, &ready[1]) : NULL;
    seL4_CPtr badged = s ? cap_mint(d.ep1, RIGHTS_ALL, 0x5d) : 0;
    if (badged) {
        d.ep1 = badged;
        struct thread *a = client_start(client);
        CHECK(a && wait_for(&ready[0]));
        root_background_us(IPC_QUIET_US);
        seL4_UserContext ctx;
        CHECK_EQ(seL4_TCB_ReadRegisters(s->tcb, false, 0, sizeof(ctx) / sizeof(seL4_Word), &ctx),
                 seL4_NoError);
        CHECK_EQ(ctx.x0, 0x5d);
        CHECK_EQ(ctx.x1, seL4_MessageInfo_new(0, 0, 0, 1).words[0]);
        CHECK_EQ(ctx.x2, 10);
        CHECK_EQ(step[1], 0);
        CHECK(!holds_sc(s, probe));
        CHECK(a && holds_sc(a, probe));
        CHECK(a && !a->finished);
    }
    threads_end();
}

/* ---- NBSendRecv ------------------------------------------------------------------------- */

/* The data-flow pair: A sends MR0 = 10 to P with NBSendRecv and receives on ep2; P (passive)
 * holds on `hold`, spins, and sends MR0 + 1 back with NBSendRecv, receiving on ep1 again. */
static void flow_client(seL4_Word unused)
{
    (void)unused;
    seL4_Word badge;
    seL4_SetMR(0, 10);
    ready[0] = 1;
    seL4_NBSendRecv(d.ep1, seL4_MessageInfo_new(0, 0, 0, 1), d.ep2, &badge, d.ra);
    value[0] = seL4_GetMR(0);
    step[0] = 1;
}

static void flow_server(seL4_Word unused)
{
    (void)unused;
    seL4_Word badge;
    ready[1] = 1;
    seL4_Recv(d.ep1, &badge, d.r1);
    for (;;) {
        value[1] = seL4_GetMR(0);
        step[1] = 1;
        seL4_Wait(d.hold, NULL);
        step[1] = 2;
        root_spin_us(SPIN_US);
        seL4_SetMR(0, value[1] + 1);
        ready[1] = ready[1] + 1;
        seL4_NBSendRecv(d.ep2, seL4_MessageInfo_new(0, 0, 0, 1), d.ep1, &badge, d.r1);
    }
}

/* §6.1.11: "If the non-blocking send phase of the operation results in message delivery to
 * a passive thread, the scheduling context will be donated to that passive thread and the
 * thread making the system call becomes passive on the receiving endpoint": A's context
 * goes to P with the message (P holds it, A does not), and comes back the same way when P
 * answers with NBSendRecv; P's spin is charged to it. */
SYSTEST(donation_nbsendrecv_to_a_passive_receiver)
{
    if (!threads_begin()) {
        return;
    }
    reset();
    seL4_CPtr probe = probe_sc_new();
    struct thread *p =
        objects() && probe ? passive_spawn(flow_server, 0, PRIO_MID, &ready[1]) : NULL;
    struct thread *a = p ? client_start(flow_client) : NULL;
    if (a && wait_step(1, 1)) {
        CHECK_EQ(value[1], 10);
        CHECK(holds_sc(p, probe));
        CHECK(!holds_sc(a, probe));
        seL4_Signal(d.hold);
        CHECK(wait_for(&a->finished));
        CHECK_EQ(value[0], 11);
        CHECK(consumed(a->sc) + KERNEL_WCET_US >= SPIN_US);
        CHECK(holds_sc(a, probe));
        CHECK(!holds_sc(p, probe));
    }
    threads_end();
}

/* ---- Contexts of notifications ---------------------------------------------------------- */

/* Waits on the notification d.hold again and again, counting the signals in step[1] and
 * keeping the badge in value[1]; after the first one it also waits on hold2 (if set), then
 * spins SPIN_US. */
static seL4_CPtr hold2;
static void ntfn_worker(seL4_Word unused)
{
    (void)unused;
    for (;;) {
        seL4_Word badge;
        ready[1] = ready[1] + 1;
        seL4_Wait(d.hold, &badge);
        value[1] = badge;
        step[1] = step[1] + 1;
        if (step[1] == 1 && hold2) {
            seL4_Wait(hold2, NULL);
        }
        root_spin_us(SPIN_US);
    }
}

/* §6.1.11, §10.3.5.1: a context bound to a notification goes to a passive thread woken by
 * a signal on it, which keeps it (also while blocked elsewhere) "until it waits on the
 * notification object again"; its work is charged to the notification's context; the next
 * signal lends it again. */
SYSTEST(donation_notification_context_lent_to_a_passive_waiter)
{
    if (!threads_begin()) {
        return;
    }
    reset();
    seL4_CPtr probe = probe_sc_new(), nsc = sc_create(seL4_MinSchedContextBits);
    d.hold = ntfn_new();
    hold2 = ntfn_new();
    seL4_CPtr n3 = d.hold ? cap_mint(d.hold, RIGHTS_ALL, 3) : 0;
    struct thread *w =
        probe && hold2 && n3 ? passive_spawn(ntfn_worker, 0, PRIO_MID, &ready[1]) : NULL;
    if (w && nsc) {
        CHECK_EQ(sc_configure(nsc, 10000, 10000, 0, 0), seL4_NoError);
        CHECK_EQ(seL4_SchedContext_Bind(nsc, d.hold), seL4_NoError);
        (void)consumed(nsc);
        seL4_Signal(n3);
        CHECK(wait_step(1, 1));
        CHECK_EQ(value[1], 3);
        CHECK(holds_sc(w, probe));
        seL4_Signal(hold2);
        uint64_t end = now_ticks() + us_to_ticks(IPC_WAIT_US);
        root_set_priority(ROOT_LOW_PRIO);
        while (ready[1] < 2 && now_ticks() < end) {
        }
        root_set_priority(ROOT_PRIO);
        CHECK_EQ(ready[1], 2);
        CHECK(!holds_sc(w, probe));
        CHECK(consumed(nsc) + KERNEL_WCET_US >= SPIN_US);
        seL4_Signal(n3);
        CHECK(wait_step(1, 2));
        CHECK(!holds_sc(w, probe));
    }
    hold2 = 0;
    threads_end();
}

/* §6.1.11: "If a scheduling context is bound to both a notification object and a thread,
 * the behaviour will be the same as for a passive server: The scheduling context will be
 * unbound from the thread when it blocks on the bound notification object": the thread runs
 * on its context until it waits there, is passive then, and gets the context with each
 * signal. */
SYSTEST(donation_context_bound_to_thread_and_notification)
{
    if (!threads_begin()) {
        return;
    }
    reset();
    seL4_CPtr probe = probe_sc_new();
    d.hold = ntfn_new();
    struct thread *t = thread_create(ntfn_worker, 0, PRIO_MID);
    if (t && probe && d.hold && thread_give_sc(t, RR_US, RR_US, 0)) {
        CHECK_EQ(seL4_SchedContext_Bind(t->sc, d.hold), seL4_NoError);
        thread_resume(t);
        CHECK(wait_for(&ready[1]));
        CHECK(!holds_sc(t, probe));
        seL4_Signal(d.hold);
        CHECK(wait_step(1, 1));
        CHECK(!holds_sc(t, probe));
        CHECK_EQ(ready[1], 2);
    }
    threads_end();
}

/* ---- Unbind and UnbindObject of a donated context --------------------------------------- */

/* A passive server holding A's context, blocked on `hold`. */
static struct thread *holding_server(seL4_CPtr probe, struct thread **a)
{
    reset();
    d.hold_first = true;
    if (!objects() || !probe) {
        return NULL;
    }
    struct thread *s = passive_spawn(spin_server, 0, PRIO_MID, &ready[1]);
    *a = s ? client_start(client) : NULL;
    if (!*a || !wait_step(1, 1)) {
        systest_fail(__FILE__, __LINE__, "the call did not reach the server");
        return NULL;
    }
    CHECK(holds_sc(s, probe));
    return s;
}

/* §6.1.11, §10.3.5.4: "Scheduling contexts can be unbound from all objects (... TCBs that
 * ... have received a scheduling context through donation) using seL4_SchedContext_Unbind()":
 * the server loses the donated context and stops (it does not run when its wait ends), the
 * caller does not get it either; bound to the caller again it is the caller's, and once
 * the server gets a context of its own its answer reaches the caller. */
SYSTEST(donation_unbind_of_a_donated_context)
{
    if (!threads_begin()) {
        return;
    }
    seL4_CPtr probe = probe_sc_new();
    struct thread *a = NULL;
    struct thread *s = holding_server(probe, &a);
    if (s) {
        CHECK_EQ(seL4_SchedContext_Unbind(a->sc), seL4_NoError);
        CHECK(!holds_sc(s, probe));
        CHECK(!holds_sc(a, probe));
        seL4_Signal(d.hold);
        root_background_us(IPC_QUIET_US);
        CHECK_EQ(step[1], 1);
        CHECK_EQ(seL4_SchedContext_Bind(a->sc, a->tcb), seL4_NoError);
        CHECK(!a->finished);
        CHECK_EQ(seL4_SchedContext_Bind(s->sc, s->tcb), seL4_NoError);
        CHECK(wait_for(&a->finished));
        CHECK_EQ(value[0], 11);
        CHECK(holds_sc(a, probe));
    }
    threads_end();
}

/* §10.3.5.3: UnbindObject accepts a TCB that "has received it through scheduling context
 * donation", and then "the scheduling context will be returned to the thread that it was
 * originally bound to": the server is passive, the caller holds its context again (still
 * waiting for the answer, which arrives once the server can run). Upstream's
 * invokeSchedContext_UnbindObject only unbinds; the manual is what this test holds the
 * kernel to. */
SYSTEST(donation_unbind_object_returns_a_donated_context_to_its_owner)
{
    if (!threads_begin()) {
        return;
    }
    seL4_CPtr probe = probe_sc_new();
    struct thread *a = NULL;
    struct thread *s = holding_server(probe, &a);
    if (s) {
        CHECK_EQ(seL4_SchedContext_UnbindObject(a->sc, s->tcb), seL4_NoError);
        CHECK(!holds_sc(s, probe));
        CHECK(holds_sc(a, probe));
        CHECK(!a->finished);
        CHECK_EQ(seL4_SchedContext_Bind(s->sc, s->tcb), seL4_NoError);
        seL4_Signal(d.hold);
        CHECK(wait_for(&a->finished));
        CHECK_EQ(value[0], 11);
    }
    threads_end();
}

/* ---- A Send to a passive server (upstream issue #1616) ---------------------------------- */

#define LABEL_SEND 1
#define LABEL_CALL 2
static volatile seL4_Word served_badge[4];
static void tolerant_server(seL4_Word unused)
{
    (void)unused;
    seL4_Word badge = 0;
    ready[1] = 1;
    seL4_MessageInfo_t info = seL4_Recv(d.ep1, &badge, d.r1);
    for (;;) {
        if (step[1] < 4) {
            served_badge[step[1]] = badge;
        }
        step[1] = step[1] + 1;
        bool call = seL4_MessageInfo_get_label(info) == LABEL_CALL;
        seL4_SetMR(0, 0x600d);
        ready[1] = ready[1] + 1;
        info = seL4_ReplyRecv(d.ep1, seL4_MessageInfo_new(0, 0, 0, call ? 1 : 0), &badge, d.r1);
    }
}

static volatile seL4_CPtr sender_cap, caller_cap;
static void plain_sender(seL4_Word unused)
{
    (void)unused;
    seL4_Send(sender_cap, seL4_MessageInfo_new(LABEL_SEND, 0, 0, 0));
    step[0] = 1;
}

static void plain_caller(seL4_Word unused)
{
    (void)unused;
    seL4_MessageInfo_t info = seL4_Call(caller_cap, seL4_MessageInfo_new(LABEL_CALL, 0, 0, 0));
    value[2] = seL4_MessageInfo_get_length(info) == 1 ? seL4_GetMR(0) : 0;
    step[2] = 1;
}

/* Upstream issue #1616: a passive server hit by seL4_Send instead of Call. Kairos, like
 * upstream, lends a context only on Call and the send phases of the combined calls, so the
 * sender keeps its context and continues, and the server is never left holding a
 * context it cannot return. The message is delivered, but the passive server has no
 * context to run on, so it handles nothing until one is given to it: a later Call waits
 * in the endpoint's queue. That is the weakness #1616 names; what this test guards is
 * that no context is lost to it. Binding a context to the server lets it run again and
 * answer. */
SYSTEST(donation_send_to_a_passive_server_issue_1616)
{
    if (!threads_begin()) {
        return;
    }
    reset();
    memset((void *)served_badge, 0, sizeof(served_badge));
    seL4_CPtr probe = probe_sc_new();
    struct thread *s =
        objects() && probe ? passive_spawn(tolerant_server, 0, PRIO_MID, &ready[1]) : NULL;
    sender_cap = s ? cap_mint(d.ep1, RIGHTS_ALL, 0x51) : 0;
    caller_cap = s ? cap_mint(d.ep1, RIGHTS_ALL, 0xca) : 0;
    if (sender_cap && caller_cap) {
        struct thread *c1 = ipc_spawn(plain_sender, 0, PRIO_LOW);
        CHECK(c1 && wait_for(&c1->finished));
        CHECK(!holds_sc(s, probe));
        struct thread *c2 = ipc_spawn(plain_caller, 0, PRIO_LOW);
        root_background_us(IPC_QUIET_US);
        CHECK_EQ(step[1], 0);
        CHECK(c2 && !c2->finished);
        /* Given a context of its own, the server serves the Send and then the Call. */
        CHECK_EQ(seL4_SchedContext_Bind(s->sc, s->tcb), seL4_NoError);
        CHECK(c2 && wait_for(&c2->finished));
        CHECK_EQ(value[2], 0x600d);
        CHECK_EQ(served_badge[0], 0x51);
        CHECK_EQ(served_badge[1], 0xca);
    }
    threads_end();
}
