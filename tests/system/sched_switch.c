/* The scheduler's shortcuts, seen from outside: a thread woken during a system call that
 * outranks everyone is switched to without a ready-queue round trip, a Yield with nobody
 * to yield to keeps the caller running, and Signal skips the general invocation path.
 * Each must order threads and answer exactly as the general way does: these tests pin the
 * order down where a shortcut taken wrongly would change it.
 * Uses ipc_util.h, so: systest: needs a debug kernel */
#include "ipc_util.h"

#define PRIO_T 150
#define LOG_MAX 8

static volatile int log_n;
static volatile char log_buf[LOG_MAX];
static volatile int waiting;
static seL4_CPtr ntfn;

static void note(char c)
{
    if (log_n < LOG_MAX) {
        log_buf[log_n++] = c;
    }
}

static void check_log(const char *want)
{
    int n = 0;
    while (want[n]) {
        n++;
    }
    CHECK_EQ(log_n, n);
    for (int i = 0; i < n && i < log_n; i++) {
        CHECK_EQ(log_buf[i], want[i]);
    }
}

static void log_reset(void)
{
    log_n = 0;
    waiting = 0;
}

static void wait_then_note(seL4_Word c)
{
    waiting = 1;
    seL4_Wait(ntfn, NULL);
    note((char)c);
}

static void note_once(seL4_Word c)
{
    note((char)c);
}

/* Signals the waiter, then yields once: 'S' before the yield, 's' after it. */
static void signal_and_yield(seL4_Word unused)
{
    (void)unused;
    seL4_Signal(ntfn);
    note('S');
    seL4_Yield();
    note('s');
}

/* §6.1.8: a thread woken at the waker's own priority does not preempt it and goes to the
 * back of its queue, behind R, which was ready before it: S, R, W, then S again. */
SYSTEST(sched_wake_at_equal_priority_queues_behind_ready_threads)
{
    if (!threads_begin()) {
        return;
    }
    log_reset();
    ntfn = ntfn_new();
    struct thread *w = ntfn ? ipc_spawn(wait_then_note, 'W', PRIO_T) : NULL;
    if (w && wait_for(&waiting)) {
        struct thread *s = ipc_spawn(signal_and_yield, 0, PRIO_T);
        struct thread *r = ipc_spawn(note_once, 'R', PRIO_T);
        CHECK(s && r && wait_for(&s->finished));
        CHECK(wait_for(&w->finished));
        check_log("SRWs");
    }
    threads_end();
}

/* §6.1.6: a thread woken above the waker runs before the waker's Signal returns. */
SYSTEST(sched_wake_above_the_waker_runs_before_its_call_returns)
{
    if (!threads_begin()) {
        return;
    }
    log_reset();
    ntfn = ntfn_new();
    struct thread *w = ntfn ? ipc_spawn(wait_then_note, 'W', PRIO_T + 1) : NULL;
    if (w && wait_for(&waiting)) {
        struct thread *s = ipc_spawn(signal_and_yield, 0, PRIO_T);
        CHECK(s && wait_for(&s->finished));
        check_log("WSs");
    }
    threads_end();
}

static seL4_CPtr ep, reply, go;
static volatile int received;

/* Takes one Call, waits for go, then answers it with ReplyRecv, which finds X's Send. */
static void serve_twice(seL4_Word unused)
{
    (void)unused;
    seL4_Word badge;
    waiting = 1;
    seL4_Recv(ep, &badge, reply);
    received = 1;
    seL4_Wait(go, NULL);
    seL4_ReplyRecv(ep, seL4_MessageInfo_new(0, 0, 0, 0), &badge, reply);
    note('S');
    seL4_Yield();
    note('s');
}

static void call_then_note(seL4_Word c)
{
    seL4_Call(ep, seL4_MessageInfo_new(0, 0, 0, 0));
    note((char)c);
}

static void send_then_note(seL4_Word c)
{
    seL4_Send(ep, seL4_MessageInfo_new(0, 0, 0, 0));
    note((char)c);
}

/* One system call wakes two threads of the caller's priority: the reply wakes the client C,
 * then the receive takes X's waiting Send and wakes X. They queue in that order behind the
 * server, which goes on: S, C, X, then the server again. */
SYSTEST(sched_two_wakes_in_one_call_queue_in_wake_order)
{
    if (!threads_begin()) {
        return;
    }
    log_reset();
    received = 0;
    ep = ep_new();
    reply = reply_new();
    go = ntfn_new();
    struct thread *s = ep && reply && go ? ipc_spawn(serve_twice, 0, PRIO_T) : NULL;
    struct thread *c = s && wait_for(&waiting) ? ipc_spawn(call_then_note, 'C', PRIO_T) : NULL;
    struct thread *x = c && wait_for(&received) ? ipc_spawn(send_then_note, 'X', PRIO_T) : NULL;
    if (x) {
        root_background_us(IPC_QUIET_US); /* X blocks in its Send */
        CHECK_EQ(log_n, 0);
        seL4_Signal(go);
        CHECK(wait_for(&s->finished));
        CHECK(wait_for(&x->finished));
        check_log("SCXs");
    }
    threads_end();
}

static void yield_between(seL4_Word c)
{
    note((char)c);
    seL4_Yield();
    note((char)(c + 1));
}

/* Thread a (budget, period) yields between 'a' and 'b' with only L, one priority lower,
 * ready besides it; the log must read `want` once both have finished. */
static void yield_alone(uint64_t budget_us, uint64_t period_us, const char *want)
{
    if (!threads_begin()) {
        return;
    }
    log_reset();
    struct thread *a = thread_create(yield_between, 'a', PRIO_T);
    struct thread *l = thread_create(note_once, 'L', PRIO_T - 1);
    if (a && l) {
        thread_give_sc(a, budget_us, period_us, 0);
        thread_give_sc(l, RR_US, RR_US, 0);
        thread_resume(l);
        thread_resume(a);
        CHECK(root_background_until(&a->finished, IPC_WAIT_US));
        CHECK(root_background_until(&l->finished, IPC_WAIT_US));
        check_log(want);
    }
    threads_end();
}

/* A round-robin thread alone at its priority and above keeps running after Yield (its
 * next refill is ready at once): a, b, then the lower thread L. */
SYSTEST(sched_yield_alone_keeps_running)
{
    yield_alone(RR_US, RR_US, "abL");
}

/* §6.1.8: a periodic thread that yields waits for its next period even when nothing else
 * at its priority is ready: the lower thread L runs in between. */
#define YIELD_BUDGET_US 2000
#define YIELD_PERIOD_US 50000
SYSTEST(sched_yield_alone_without_budget_waits_for_its_period)
{
    yield_alone(YIELD_BUDGET_US, YIELD_PERIOD_US, "aLb");
}

/* ---- Signal ---------------------------------------------------------------------------- */

/* Above every slot of the root CNode: its guard (all zeros) does not match. */
#define UNRESOLVABLE_CPTR (1ul << 40)

static seL4_CPtr send_cap, extra_cap;
static volatile int sent;

/* seL4_Send on send_cap naming one extra cap, extra_cap. */
static void send_with_extra_cap(seL4_Word unused)
{
    (void)unused;
    seL4_SetCap(0, extra_cap);
    seL4_Send(send_cap, seL4_MessageInfo_new(0, 0, 1, 0));
    sent = 1;
}

/* Send on a notification cap signals it with the cap's badge whatever the message; without
 * Write it does nothing and reports nothing (a Send has no answer). */
SYSTEST(ntfn_send_signals_only_through_a_cap_with_write)
{
    if (!threads_begin()) {
        return;
    }
    ntfn = ntfn_new();
    seL4_CPtr badged = ntfn ? cap_mint(ntfn, RIGHTS_ALL, 0x50) : 0;
    seL4_CPtr read_only = ntfn ? cap_mint(ntfn, RIGHT_R, 0x7) : 0;
    if (badged && read_only) {
        seL4_Word badge = 1;
        seL4_Send(badged, seL4_MessageInfo_new(9, 0, 0, 2));
        seL4_Poll(ntfn, &badge);
        CHECK_EQ(badge, 0x50);
        seL4_NBSend(badged, seL4_MessageInfo_new(0, 0, 0, 0));
        seL4_Poll(ntfn, &badge);
        CHECK_EQ(badge, 0x50);
        seL4_Send(read_only, seL4_MessageInfo_new(0, 0, 0, 0));
        seL4_NBSend(read_only, seL4_MessageInfo_new(0, 0, 0, 0));
        badge = 1;
        seL4_Poll(ntfn, &badge);
        CHECK_EQ(badge, 0);
    }
    threads_end();
}

/* A Send naming extra caps looks them up first (upstream handleInvocation): a valid one
 * changes nothing, the signal arrives; an address that does not resolve is a cap fault for
 * the sender, and the notification is not signalled. */
SYSTEST(ntfn_send_with_extra_caps_looks_them_up_first)
{
    if (!threads_begin()) {
        return;
    }
    ntfn = ntfn_new();
    send_cap = ntfn ? cap_mint(ntfn, RIGHTS_ALL, 0x3) : 0;
    if (send_cap) {
        seL4_Word badge = 1;
        extra_cap = ntfn;
        sent = 0;
        CHECK(run_in_thread(send_with_extra_cap, 0));
        CHECK_EQ(sent, 1);
        seL4_Poll(ntfn, &badge);
        CHECK_EQ(badge, 0x3);

        extra_cap = UNRESOLVABLE_CPTR;
        sent = 0;
        struct thread *t = ipc_spawn(send_with_extra_cap, 0, PRIO_MID);
        if (t) {
            thread_expect_inactive(t);
        }
        root_background_us(IPC_QUIET_US);
        CHECK(t && t->started && !sent);
        badge = 1;
        seL4_Poll(ntfn, &badge);
        CHECK_EQ(badge, 0);
    }
    threads_end();
}
