/* The order of endpoint and notification queues (upstream seL4 MCS; the manual says only
 * "queue"): threads leave a queue highest priority first, first-come first-served among
 * equal priorities, and a queued thread whose priority changes moves to its new place,
 * behind the threads already queued at that priority.
 *
 * Threads join a queue one at a time: each is made and left to block before the next, so
 * the order they joined in is known and differs from their priority order.
 * Uses ipc_util.h, so: systest: needs a debug kernel */
#include <kairos/string.h>

#include "ipc_shared.h"

static const uint8_t join_prio[N] = {100, 150, 120, 150};
/* Who leaves first: the two at 150 in the order they joined, then 120, then 100. */
static const int leave_order[N] = {1, 3, 2, 0};

static volatile seL4_Word woken_badge[N];
static volatile int woken_seq[N], woken_count;

/* Waits on cfg.ntfn; records the badge and its place among the waiters woken. */
static void waiter(seL4_Word i)
{
    seL4_Word badge = 0;
    ready[i] = 1;
    seL4_Wait(cfg.ntfn, &badge);
    woken_badge[i] = badge;
    woken_seq[i] = woken_count++;
}

/* Spawns fn(i) at prio[i] for each i in turn and lets it block before the next. */
static bool join_in_turn(struct thread **t, thread_fn fn, const uint8_t *prio, int n)
{
    for (int i = 0; i < n; i++) {
        t[i] = thread_spawn(fn, (seL4_Word)i, prio[i], RR_US, RR_US, 0);
        if (t[i] == NULL || !wait_for(&ready[i])) {
            systest_fail(__FILE__, __LINE__, "thread %d never blocked", i);
            return false;
        }
    }
    return true;
}

/* Takes the queued senders' messages without blocking; badge[k]: the k-th one's badge. */
static void receive_all(seL4_CPtr reply, seL4_Word *badge, int n)
{
    for (int k = 0; k < n; k++) {
        badge[k] = 0;
        seL4_MessageInfo_t info = seL4_NBRecv(cfg.ep, &badge[k], reply);
        CHECK_EQ(seL4_MessageInfo_get_label(info), MSG_LABEL(badge[k] - 1));
    }
}

/* A fresh endpoint with sender i's cap badged i + 1, and a reply object for the root
 * task's receives. */
static bool senders_setup(seL4_CPtr *reply)
{
    reset();
    cfg.ep = ep_new();
    *reply = reply_new();
    bool ok = cfg.ep && *reply;
    for (int i = 0; ok && i < N; i++) {
        cfg.send[i] = cap_mint(cfg.ep, RIGHTS_ALL, (seL4_Word)i + 1);
        ok = cfg.send[i] != 0;
    }
    return ok;
}

/* The root task takes the queued senders' messages without blocking: they come from
 * senders order[0], order[1], ... (each sender's badge is its number + 1). */
static void check_leave_order(seL4_CPtr reply, const int *order)
{
    seL4_Word badge[N];
    receive_all(reply, badge, N);
    for (int k = 0; k < N; k++) {
        CHECK_EQ(badge[k], (seL4_Word)order[k] + 1);
    }
}

SYSTEST(ipc_send_queue_is_ordered_by_priority)
{
    if (!threads_begin()) {
        return;
    }
    struct thread *t[N] = {0};
    seL4_CPtr reply = 0;
    bool ok = senders_setup(&reply);
    if (ok && join_in_turn(t, sender, join_prio, N)) {
        check_leave_order(reply, leave_order);
    }
    threads_end();
}

SYSTEST(ipc_receive_queue_is_ordered_by_priority)
{
    if (!threads_begin()) {
        return;
    }
    reset();
    cfg.ep = ep_new();
    struct thread *t[N] = {0};
    bool ok = cfg.ep != 0;
    for (int i = 0; ok && i < N; i++) {
        cfg.reply[i] = reply_new();
        ok = cfg.reply[i] != 0;
    }
    if (ok && join_in_turn(t, receiver, join_prio, N)) {
        for (int k = 0; k < N; k++) {
            msg_set((seL4_Word)k);
            seL4_NBSend(cfg.ep, seL4_MessageInfo_new(MSG_LABEL(k), 0, 0, 4));
        }
        for (int k = 0; k < N; k++) {
            int who = leave_order[k];
            CHECK(wait_for(&t[who]->finished));
            msg_check(&got[who], 0, (seL4_Word)k);
        }
    }
    threads_end();
}

SYSTEST(notification_wait_queue_is_ordered_by_priority)
{
    if (!threads_begin()) {
        return;
    }
    reset();
    woken_count = 0;
    cfg.ntfn = ntfn_new();
    struct thread *t[N] = {0};
    seL4_CPtr badged[N] = {0};
    bool ok = cfg.ntfn != 0;
    for (int k = 0; ok && k < N; k++) {
        badged[k] = cap_mint(cfg.ntfn, RIGHTS_ALL, 1ul << k);
        ok = badged[k] != 0;
    }
    if (ok && join_in_turn(t, waiter, join_prio, N)) {
        for (int k = 0; k < N; k++) {
            seL4_Signal(badged[k]);
            int who = leave_order[k];
            CHECK(wait_for(&t[who]->finished));
            CHECK_EQ(woken_badge[who], 1ul << k);
            CHECK_EQ(woken_seq[who], k);
        }
    }
    threads_end();
}

/* Queued senders at 100, 120, 140, 130; then 100 → 200 and 140 → 120 (equal to a thread
 * already queued, so behind it): they leave as 200, 130, 120 (the first), 120 (moved). */
SYSTEST(ipc_queued_sender_moves_when_its_priority_changes)
{
    static const uint8_t prio[N] = {100, 120, 140, 130};
    static const int order[N] = {0, 3, 1, 2};
    if (!threads_begin()) {
        return;
    }
    struct thread *t[N] = {0};
    seL4_CPtr reply = 0;
    bool ok = senders_setup(&reply);
    if (ok && join_in_turn(t, sender, prio, N)) {
        CHECK_EQ(seL4_TCB_SetPriority(t[0]->tcb, seL4_CapInitThreadTCB, 200), seL4_NoError);
        CHECK_EQ(seL4_TCB_SetPriority(t[2]->tcb, seL4_CapInitThreadTCB, 120), seL4_NoError);
        check_leave_order(reply, order);
    }
    threads_end();
}

/* The same for waiters on a notification, through SetSchedParams: 150 (joined second) drops
 * to 90, so the waiters leave as 150, 120, 100, 90. */
SYSTEST(notification_waiter_moves_when_its_priority_changes)
{
    static const int order[N] = {3, 2, 0, 1};
    if (!threads_begin()) {
        return;
    }
    reset();
    woken_count = 0;
    cfg.ntfn = ntfn_new();
    struct thread *t[N] = {0};
    if (cfg.ntfn && join_in_turn(t, waiter, join_prio, N)) {
        CHECK_EQ(seL4_TCB_SetSchedParams(t[1]->tcb, seL4_CapInitThreadTCB, 150, 90, t[1]->sc, 0),
                 seL4_NoError);
        for (int k = 0; k < N; k++) {
            seL4_Signal(cfg.ntfn);
            CHECK(wait_for(&t[order[k]]->finished));
            CHECK_EQ(woken_seq[order[k]], k);
        }
    }
    threads_end();
}

/* ---- A server deleted while it runs on a donated context -------------------------------- */

static volatile int server_ready, server_got;

/* A passive server that takes one call and then waits on cfg.go, holding the context. */
static void holding_server(seL4_Word unused)
{
    (void)unused;
    seL4_Word badge;
    server_ready = 1;
    seL4_Recv(cfg.ep, &badge, cfg.reply[0]);
    server_got = (int)badge;
    seL4_Wait(cfg.go, NULL);
}

/* Answers the queued callers in turn; records their badges in order. */
static volatile seL4_Word answered[N];
static void answering_server(seL4_Word count)
{
    seL4_Word badge = 0;
    seL4_Recv(cfg.ep, &badge, cfg.reply[1]);
    for (seL4_Word k = 0; k < count; k++) {
        answered[k] = badge;
        seL4_SetMR(0, badge);
        if (k + 1 == count) {
            seL4_Send(cfg.reply[1], seL4_MessageInfo_new(0, 0, 0, 1));
            break;
        }
        seL4_ReplyRecv(cfg.ep, seL4_MessageInfo_new(0, 0, 0, 1), &badge, cfg.reply[1]);
    }
}

/* A passive server runs on caller A's context and blocks; callers at 100 and 150 queue
 * behind. Deleting the server's TCB leaves A waiting for a reply that cannot come and the
 * queue intact: a new server answers the 150 caller first, then the 100 one. */
SYSTEST(ipc_deleting_a_server_on_a_donated_context_keeps_the_queue)
{
    static const uint8_t prio[N] = {120, 100, 150, 0};
    if (!threads_begin()) {
        return;
    }
    reset();
    server_got = 0;
    cfg.ep = ep_new();
    cfg.go = ntfn_new();
    cfg.reply[0] = reply_new();
    cfg.reply[1] = reply_new();
    struct thread *c[3] = {0};
    bool ok = cfg.ep && cfg.go && cfg.reply[0] && cfg.reply[1];
    for (int i = 0; ok && i < 3; i++) {
        cfg.send[i] = cap_mint(cfg.ep, RIGHTS_ALL, (seL4_Word)i + 1);
        ok = cfg.send[i] != 0;
    }
    struct thread *s = ok ? passive_spawn(holding_server, 0, PRIO_HIGH, &server_ready) : NULL;
    for (int i = 0; s && ok && i < 3; i++) {
        c[i] = thread_spawn(caller, (seL4_Word)i, prio[i], RR_US, RR_US, 0);
        ok = c[i] && wait_for(&ready[i]) &&
             (i > 0 || root_background_until(&server_got, IPC_WAIT_US));
    }
    if (s && ok) {
        CHECK_EQ(server_got, 1);
        CHECK_EQ(seL4_CNode_Delete(ROOT, s->tcb, ROOT_DEPTH), seL4_NoError);
        s->tcb = 0;
        struct thread *a = ipc_spawn(answering_server, 2, PRIO_HIGH);
        CHECK(a && wait_for(&a->finished));
        CHECK_EQ(answered[0], 3);
        CHECK_EQ(answered[1], 2);
        CHECK(c[2] && wait_for(&c[2]->finished));
        CHECK(wait_for(&c[1]->finished));
        root_background_us(IPC_QUIET_US);
        CHECK(!c[0]->finished);
        CHECK_CONSISTENT();
    }
    threads_end();
}

/* A passive server that takes one call on cfg.ep, then sends (blocking) on cfg.ep2 with
 * the caller's context, joining the senders queued there. */
static void forwarding_server(seL4_Word unused)
{
    (void)unused;
    seL4_Word badge;
    server_ready = 1;
    seL4_Recv(cfg.ep, &badge, cfg.reply[0]);
    server_got = (int)badge;
    msg_set(3);
    seL4_Send(cfg.send[3], seL4_MessageInfo_new(MSG_LABEL(3), 0, 0, 4));
}

/* The same with the server queued among senders of other priorities on a second endpoint
 * when it is deleted: it leaves that queue, the others stay in priority order. */
SYSTEST(ipc_deleting_a_queued_sender_on_a_donated_context_keeps_the_queue)
{
    static const uint8_t prio[2] = {100, 150};
    if (!threads_begin()) {
        return;
    }
    reset();
    server_got = 0;
    cfg.ep = ep_new();
    cfg.ep2 = ep_new();
    cfg.reply[0] = reply_new();
    seL4_CPtr reply = reply_new();
    bool ok = cfg.ep && cfg.ep2 && cfg.reply[0] && reply;
    for (int i = 0; ok && i < 2; i++) {
        cfg.send[i] = cap_mint(cfg.ep2, RIGHTS_ALL, (seL4_Word)i + 1);
        ok = cfg.send[i] != 0;
    }
    cfg.send[2] = ok ? cap_mint(cfg.ep, RIGHTS_ALL, 7) : 0;
    cfg.send[3] = ok ? cap_mint(cfg.ep2, RIGHTS_ALL, 9) : 0;
    struct thread *x[2] = {0};
    ok = ok && cfg.send[2] && cfg.send[3] && join_in_turn(x, sender, prio, 2);
    struct thread *s = ok ? passive_spawn(forwarding_server, 0, PRIO_HIGH, &server_ready) : NULL;
    struct thread *c = s ? thread_spawn(caller, 2, 120, RR_US, RR_US, 0) : NULL;
    if (c && root_background_until(&server_got, IPC_WAIT_US)) {
        root_background_us(IPC_QUIET_US);
        CHECK_EQ(server_got, 7);
        CHECK_EQ(seL4_CNode_Delete(ROOT, s->tcb, ROOT_DEPTH), seL4_NoError);
        s->tcb = 0;
        cfg.ep = cfg.ep2; /* where receive_all and finds_nothing look */
        seL4_Word badge[2];
        receive_all(reply, badge, 2);
        CHECK_EQ(badge[0], 2);
        CHECK_EQ(badge[1], 1);
        cfg.reply[3] = reply;
        CHECK(finds_nothing(0));
        root_background_us(IPC_QUIET_US);
        CHECK(!c->finished);
        CHECK_CONSISTENT();
    }
    threads_end();
}
