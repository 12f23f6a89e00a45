/* IPC through endpoints and notifications (manual ch. 4, ch. 5, §2.2, §10.2.2): every send and
 * receive system call with and without a partner, rights, FIFO queues, badges, all message
 * registers, capability transfer with unwrapping and its receive-phase errors,
 * CancelBadgedSends, reply objects, Signal/Wait/Poll, bound notifications, and two seed
 * tutorials (the badged echo server, two producers and a consumer). Where the manual is
 * silent the expectation is upstream seL4's, said in a comment.
 *
 * Threads live in the root task's CSpace and VSpace (thread_util.h); the root task never
 * blocks in IPC (ipc_util.h). A thread sets ready[i] just before it blocks: it runs above
 * the root task, so once the root task sees the flag the thread is blocked.
 * systest: needs a debug kernel */
#include <kairos/string.h>
#include <sel4/faults.h>

#include "ipc_util.h"

/* ---- Shared state ----------------------------------------------------------------------- */

#define N 4
/* What the root task hands the threads. */
static volatile struct {
    seL4_CPtr ep, ep2, ntfn, go;
    seL4_CPtr send[N];  /* the cap thread i sends or calls through */
    seL4_CPtr reply[N]; /* thread i's reply object */
    seL4_CPtr caps[3];  /* extra caps of a cap-transfer sender */
    seL4_Word ncaps;
} cfg;
static volatile struct msg got[N];      /* what thread i received */
static volatile int ready[N], steps[N]; /* thread i is about to block; how far it got */

static void reset(void)
{
    memset((void *)&cfg, 0, sizeof(cfg));
    memset((void *)got, 0, sizeof(got));
    memset((void *)ready, 0, sizeof(ready));
    memset((void *)steps, 0, sizeof(steps));
}

/* Receives one message on cfg.ep with reply object cfg.reply[i] into got[i]. */
static void receiver(seL4_Word i)
{
    seL4_Word badge = 0;
    ready[i] = 1;
    seL4_MessageInfo_t info = seL4_Recv(cfg.ep, &badge, cfg.reply[i]);
    msg_record(&got[i], info, badge);
}

/* Sends sender i's message through cfg.send[i]. */
static void sender(seL4_Word i)
{
    msg_set(i);
    ready[i] = 1;
    seL4_Send(cfg.send[i], seL4_MessageInfo_new(MSG_LABEL(i), 0, 0, 4));
}

/* Calls through cfg.send[i] with sender i's message; the reply goes to got[i]. */
static void caller(seL4_Word i)
{
    msg_set(i);
    ready[i] = 1;
    seL4_MessageInfo_t info = seL4_Call(cfg.send[i], seL4_MessageInfo_new(MSG_LABEL(i), 0, 0, 4));
    msg_record(&got[i], info, 0);
}

/* The reply to request i: label 0x55, MR0 = the request's MR0 + 1, MR1 = 0xbeef. */
static void check_reply(volatile struct msg *m, seL4_Word i)
{
    CHECK_EQ(m->label, 0x55);
    CHECK_EQ(m->length, 2);
    CHECK_EQ(m->mr[0], MSG_MR(i, 0) + 1);
    CHECK_EQ(m->mr[1], 0xbeef);
}

static seL4_MessageInfo_t set_reply(seL4_Word request_mr0)
{
    seL4_SetMR(0, request_mr0 + 1);
    seL4_SetMR(1, 0xbeef);
    return seL4_MessageInfo_new(0x55, 0, 0, 2);
}

/* Receives one call into got[i], waits for cfg.go, then answers through the reply object. */
static void server_once(seL4_Word i)
{
    seL4_Word badge = 0;
    ready[i] = 1;
    seL4_MessageInfo_t info = seL4_Recv(cfg.ep, &badge, cfg.reply[i]);
    msg_record(&got[i], info, badge);
    steps[i] = 1;
    if (cfg.go) {
        seL4_Wait(cfg.go, NULL);
    }
    seL4_Send(cfg.reply[i], set_reply(got[i].mr[0]));
    steps[i] = 2;
}

/* ---- Send, NBSend, Recv, NBRecv, Wait, NBWait ------------------------------------------- */

/* §2.2, §4.1, §4.2.1: Recv blocks while nobody sends; a Send to the waiting receiver
 * delivers label, length and message registers, with the badge of the sender's cap in the
 * badge register; the sender continues. */
SYSTEST(ipc_send_to_a_waiting_receiver)
{
    if (!threads_begin()) {
        return;
    }
    reset();
    cfg.ep = ep_new();
    cfg.reply[0] = reply_new();
    cfg.send[1] = cap_mint(cfg.ep, RIGHTS_ALL, 0x42);
    struct thread *r = ipc_spawn(receiver, 0, PRIO_MID);
    if (r && cfg.send[1] && wait_for(&ready[0])) {
        root_background_us(IPC_QUIET_US);
        CHECK(!r->finished);
        struct thread *s = ipc_spawn(sender, 1, PRIO_LOW);
        CHECK(s && wait_for(&s->finished));
        CHECK(wait_for(&r->finished));
        msg_check(&got[0], 0x42, 1);
    }
    threads_end();
}

/* §2.2, §4.2: a Send with no receiver blocks until one comes; the root task's NBRecv takes
 * the queued message (badge, label, registers) and the sender continues. */
SYSTEST(ipc_send_blocks_until_received)
{
    if (!threads_begin()) {
        return;
    }
    reset();
    cfg.ep = ep_new();
    seL4_CPtr reply = reply_new();
    cfg.send[1] = cap_mint(cfg.ep, RIGHTS_ALL, 0x43);
    struct thread *s = ipc_spawn(sender, 1, PRIO_LOW);
    if (s && reply && wait_for(&ready[1])) {
        root_background_us(IPC_QUIET_US);
        CHECK(!s->finished);
        seL4_Word badge = 0;
        seL4_MessageInfo_t info = seL4_NBRecv(cfg.ep, &badge, reply);
        msg_record(&got[0], info, badge);
        msg_check(&got[0], 0x43, 1);
        CHECK(wait_for(&s->finished));
    }
    threads_end();
}

/* Non-blocking calls that should find nothing, made by a thread (run_in_thread): NBRecv
 * (arg 0) or NBWait (1) on cfg.ep, Poll (2) or NBWait (3) on cfg.ntfn; the badge goes to
 * got[3]. */
static void poll_nothing(seL4_Word which)
{
    seL4_Word badge = 0xdead;
    if (which == 0) {
        (void)seL4_NBRecv(cfg.ep, &badge, cfg.reply[3]);
    } else if (which == 1) {
        (void)seL4_NBWait(cfg.ep, &badge);
    } else if (which == 2) {
        (void)seL4_Poll(cfg.ntfn, &badge);
    } else {
        (void)seL4_NBWait(cfg.ntfn, &badge);
    }
    got[3].badge = badge;
}

static bool finds_nothing(seL4_Word which)
{
    got[3].badge = 0xbad;
    return run_in_thread(poll_nothing, which) && got[3].badge == 0;
}

/* §2.2, §10.2.2.6, §10.2.2.11: NBRecv and NBWait with nothing pending return at once with
 * badge 0 (upstream's doNBRecvFailedTransfer sets only the badge register). */
SYSTEST(ipc_nbrecv_and_nbwait_without_sender_return_badge_zero)
{
    if (!threads_begin()) {
        return;
    }
    reset();
    cfg.ep = ep_new();
    cfg.reply[3] = reply_new();
    if (cfg.ep && cfg.reply[3]) {
        CHECK(finds_nothing(0));
        CHECK(finds_nothing(1));
    }
    threads_end();
}

/* NBSends message i through cfg.send[i]. */
static void nbsender(seL4_Word i)
{
    msg_set(i);
    seL4_NBSend(cfg.send[i], seL4_MessageInfo_new(MSG_LABEL(i), 0, 0, 4));
}

/* §2.2: NBSend with no receiver drops the message (nothing is queued: a later NBRecv finds
 * nothing and a later receiver keeps waiting); with a receiver waiting it is delivered. */
SYSTEST(ipc_nbsend_delivers_only_to_a_waiting_receiver)
{
    if (!threads_begin()) {
        return;
    }
    reset();
    cfg.ep = ep_new();
    cfg.reply[0] = reply_new();
    seL4_CPtr badged = cap_mint(cfg.ep, RIGHTS_ALL, 0x11), reply = reply_new();
    cfg.send[2] = badged;
    cfg.reply[3] = reply;
    if (badged && reply) {
        CHECK(run_in_thread(nbsender, 2));
        CHECK(finds_nothing(0));
        struct thread *r = ipc_spawn(receiver, 0, PRIO_MID);
        CHECK(r && wait_for(&ready[0]));
        root_background_us(IPC_QUIET_US);
        CHECK(r && !r->finished);
        msg_set(3);
        seL4_NBSend(badged, seL4_MessageInfo_new(MSG_LABEL(3), 0, 0, 4));
        CHECK(r && wait_for(&r->finished));
        msg_check(&got[0], 0x11, 3);
    }
    threads_end();
}

/* §10.2.2.10-11: Wait and NBWait receive from an endpoint too (no reply object): a thread
 * blocked in Wait gets a Send, and the root task's NBWait takes a queued sender's message. */
static void waiter(seL4_Word i)
{
    seL4_Word badge = 0;
    ready[i] = 1;
    seL4_MessageInfo_t info = seL4_Wait(cfg.ep, &badge);
    msg_record(&got[i], info, badge);
}

SYSTEST(ipc_wait_and_nbwait_receive_from_an_endpoint)
{
    if (!threads_begin()) {
        return;
    }
    reset();
    cfg.ep = ep_new();
    cfg.send[1] = cap_mint(cfg.ep, RIGHTS_ALL, 0x51);
    cfg.send[2] = cap_mint(cfg.ep, RIGHTS_ALL, 0x52);
    struct thread *w = ipc_spawn(waiter, 0, PRIO_MID);
    if (w && cfg.send[1] && cfg.send[2] && wait_for(&ready[0])) {
        struct thread *s = ipc_spawn(sender, 1, PRIO_LOW);
        CHECK(s && wait_for(&w->finished));
        msg_check(&got[0], 0x51, 1);
        s = ipc_spawn(sender, 2, PRIO_LOW);
        CHECK(s && wait_for(&ready[2]));
        seL4_Word badge = 0;
        seL4_MessageInfo_t info = seL4_NBWait(cfg.ep, &badge);
        msg_record(&got[1], info, badge);
        msg_check(&got[1], 0x52, 2);
        CHECK(s && wait_for(&s->finished));
    }
    threads_end();
}

/* ---- Call and reply objects ------------------------------------------------------------- */

/* §2.2, §4.2.4, §10.2.2.3: a Call delivers like a Send and leaves the caller waiting on the
 * reply object the server offered in Recv, also while the server does other things; a Send
 * on the reply cap answers it (label and registers), and the server goes on. */
SYSTEST(ipc_call_waits_for_the_reply_object)
{
    if (!threads_begin()) {
        return;
    }
    reset();
    cfg.ep = ep_new();
    cfg.go = ntfn_new();
    cfg.reply[0] = reply_new();
    cfg.send[1] = cap_mint(cfg.ep, RIGHTS_ALL, 0x7);
    struct thread *srv = ipc_spawn(server_once, 0, PRIO_HIGH);
    if (srv && cfg.go && cfg.send[1] && wait_for(&ready[0])) {
        struct thread *c = ipc_spawn(caller, 1, PRIO_LOW);
        CHECK(c && wait_for(&steps[0]));
        msg_check(&got[0], 0x7, 1);
        root_background_us(IPC_QUIET_US);
        CHECK(c && !c->finished);
        seL4_Signal(cfg.go);
        CHECK(c && wait_for(&c->finished));
        CHECK(wait_for(&srv->finished));
        check_reply(&got[1], 1);
    }
    threads_end();
}

/* A server that answers `count` calls with Recv and then ReplyRecv, recording the badge
 * order in serve_order[]; the reply is set_reply(MR0). */
static volatile seL4_Word serve_order[8];
static volatile int serve_count;
static void replyrecv_server(seL4_Word count)
{
    seL4_Word badge = 0;
    ready[0] = 1;
    seL4_MessageInfo_t info = seL4_Recv(cfg.ep, &badge, cfg.reply[0]);
    for (;;) {
        (void)info;
        serve_order[serve_count] = badge;
        serve_count = serve_count + 1;
        if ((seL4_Word)serve_count == count) {
            seL4_Send(cfg.reply[0], set_reply(seL4_GetMR(0)));
            return;
        }
        info = seL4_ReplyRecv(cfg.ep, set_reply(seL4_GetMR(0)), &badge, cfg.reply[0]);
    }
}

/* §4.2, §4.2.1, §10.2.2.5: Calls with no receiver queue in the order they were made and are
 * served first-come first-served (equal priorities: upstream's MCS endpoint queues are
 * ordered by priority, the manual only says "queue"); ReplyRecv answers one caller and takes
 * the next; each caller gets its own answer; badges tell the callers apart, with all 64
 * bits (§4.2.1). */
SYSTEST(ipc_replyrecv_serves_queued_callers_in_order)
{
    static const seL4_Word badges[N] = {0, 0x1, 0x8000000000000000ul, 0xfedcba9876543210ul};
    if (!threads_begin()) {
        return;
    }
    reset();
    serve_count = 0;
    cfg.ep = ep_new();
    cfg.reply[0] = reply_new();
    struct thread *c[N] = {0};
    bool ok = cfg.ep && cfg.reply[0];
    for (int i = 1; ok && i < N; i++) {
        cfg.send[i] = cap_mint(cfg.ep, RIGHTS_ALL, badges[i]);
        c[i] = cfg.send[i] ? ipc_spawn(caller, (seL4_Word)i, PRIO_LOW) : NULL;
        ok = c[i] && wait_for(&ready[i]);
    }
    if (ok) {
        root_background_us(IPC_QUIET_US);
        for (int i = 1; i < N; i++) {
            CHECK(!c[i]->finished);
        }
        struct thread *srv = ipc_spawn(replyrecv_server, N - 1, PRIO_HIGH);
        CHECK(srv && wait_for(&srv->finished));
        CHECK_EQ(serve_count, N - 1);
        for (int i = 1; i < N; i++) {
            CHECK(wait_for(&c[i]->finished));
            CHECK_EQ(serve_order[i - 1], badges[i]);
            check_reply(&got[i], (seL4_Word)i);
        }
    }
    threads_end();
}

/* §4.2: three Sends queue and are received in the order they were made (equal priorities,
 * see above); three receivers likewise get three NBSends in the order they blocked. */
SYSTEST(ipc_queues_are_fifo)
{
    if (!threads_begin()) {
        return;
    }
    reset();
    cfg.ep = ep_new();
    seL4_CPtr reply = reply_new();
    bool ok = cfg.ep && reply;
    struct thread *t[N] = {0};
    for (int i = 1; ok && i < N; i++) {
        cfg.send[i] = cap_mint(cfg.ep, RIGHTS_ALL, (seL4_Word)i);
        t[i] = cfg.send[i] ? ipc_spawn(sender, (seL4_Word)i, PRIO_LOW) : NULL;
        ok = t[i] && wait_for(&ready[i]);
    }
    if (ok) {
        for (int i = 1; i < N; i++) {
            seL4_Word badge = 0;
            seL4_MessageInfo_t info = seL4_NBRecv(cfg.ep, &badge, reply);
            msg_record(&got[0], info, badge);
            msg_check(&got[0], (seL4_Word)i, (seL4_Word)i);
        }
        for (int i = 1; i < N; i++) {
            CHECK(wait_for(&t[i]->finished));
        }
    }
    reset();
    cfg.ep = ep_new();
    for (int i = 0; ok && i < N - 1; i++) {
        cfg.reply[i] = reply_new();
        t[i] = cfg.reply[i] ? ipc_spawn(receiver, (seL4_Word)i, PRIO_MID) : NULL;
        ok = t[i] && wait_for(&ready[i]);
    }
    if (ok) {
        for (int i = 0; i < N - 1; i++) {
            msg_set((seL4_Word)i);
            seL4_NBSend(cfg.ep, seL4_MessageInfo_new(MSG_LABEL(i), 0, 0, 4));
        }
        for (int i = 0; i < N - 1; i++) {
            CHECK(wait_for(&t[i]->finished));
            msg_check(&got[i], 0, (seL4_Word)i);
        }
    }
    threads_end();
}

/* §4.2.4: a Call whose receiver offers no reply object (Wait) still delivers, but nobody can
 * reply: the caller never returns (upstream: it becomes inactive). The same for a Call
 * through a cap with neither Grant nor GrantReply: the server's Recv records nobody in its
 * reply object, so its reply does nothing. */
SYSTEST(ipc_call_without_a_way_back_stops_the_caller)
{
    if (!threads_begin()) {
        return;
    }
    reset();
    cfg.ep = ep_new();
    cfg.send[1] = cap_mint(cfg.ep, RIGHTS_ALL, 0x61);
    cfg.send[2] = cap_mint(cfg.ep, RIGHT_W | RIGHT_R, 0x62);
    cfg.reply[0] = reply_new();
    struct thread *w = ipc_spawn(waiter, 0, PRIO_MID);
    if (w && cfg.send[1] && cfg.send[2] && cfg.reply[0] && wait_for(&ready[0])) {
        struct thread *c = ipc_spawn(caller, 1, PRIO_LOW);
        CHECK(wait_for(&w->finished));
        msg_check(&got[0], 0x61, 1);
        root_background_us(IPC_QUIET_US);
        CHECK(c && !c->finished);

        ready[0] = 0;
        struct thread *srv = ipc_spawn(server_once, 0, PRIO_MID);
        CHECK(srv && wait_for(&ready[0]));
        c = ipc_spawn(caller, 2, PRIO_LOW);
        CHECK(srv && wait_for(&srv->finished));
        msg_check(&got[0], 0x62, 2);
        root_background_us(IPC_QUIET_US);
        CHECK(c && !c->finished);
    }
    threads_end();
}

/* A server that holds two callers at once in two reply objects and answers the second
 * first. */
static void two_reply_server(seL4_Word unused)
{
    (void)unused;
    seL4_Word badge = 0;
    ready[0] = 1;
    msg_record(&got[0], seL4_Recv(cfg.ep, &badge, cfg.reply[0]), badge);
    msg_record(&got[3], seL4_Recv(cfg.ep, &badge, cfg.reply[3]), badge);
    seL4_Send(cfg.reply[3], set_reply(got[3].mr[0]));
    seL4_Send(cfg.reply[0], set_reply(got[0].mr[0]));
}

/* §4.2.4 (MCS): each reply object tracks its own caller, so a server can hold several and
 * answer them in any order; each caller gets its own answer. */
SYSTEST(ipc_two_reply_objects_hold_two_callers)
{
    if (!threads_begin()) {
        return;
    }
    reset();
    cfg.ep = ep_new();
    cfg.reply[0] = reply_new();
    cfg.reply[3] = reply_new();
    cfg.send[1] = cap_mint(cfg.ep, RIGHTS_ALL, 1);
    cfg.send[2] = cap_mint(cfg.ep, RIGHTS_ALL, 2);
    struct thread *srv = ipc_spawn(two_reply_server, 0, PRIO_HIGH);
    if (srv && cfg.reply[3] && cfg.send[1] && cfg.send[2] && wait_for(&ready[0])) {
        struct thread *c1 = ipc_spawn(caller, 1, PRIO_LOW);
        struct thread *c2 = ipc_spawn(caller, 2, PRIO_LOW);
        CHECK(wait_for(&srv->finished));
        CHECK(c1 && wait_for(&c1->finished));
        CHECK(c2 && wait_for(&c2->finished));
        CHECK_EQ(got[0].badge, 1);
        CHECK_EQ(got[3].badge, 2);
        check_reply(&got[1], 1);
        check_reply(&got[2], 2);
    }
    threads_end();
}

/* Receives a call in cfg.reply[0], then receives again with the same reply object while
 * the first caller still waits in it; answers the second after cfg.go. */
static void reuse_reply_server(seL4_Word unused)
{
    (void)unused;
    seL4_Word badge = 0;
    ready[0] = 1;
    msg_record(&got[0], seL4_Recv(cfg.ep, &badge, cfg.reply[0]), badge);
    ready[3] = 1;
    msg_record(&got[3], seL4_Recv(cfg.ep, &badge, cfg.reply[0]), badge);
    steps[3] = 1;
    seL4_Wait(cfg.go, NULL);
    seL4_Send(cfg.reply[0], set_reply(got[3].mr[0]));
}

/* MCS: a reply object offered in Recv that still holds a caller drops that caller
 * (upstream's receiveIPC cancels it: it never gets an answer and stays inactive); the new
 * caller is answered through the object. The dropped caller keeps no link to the object:
 * suspending it (which cancels whatever it waits for) does not take the new caller's
 * place away. */
SYSTEST(ipc_reply_object_offered_again_drops_its_caller)
{
    if (!threads_begin()) {
        return;
    }
    reset();
    cfg.ep = ep_new();
    cfg.go = ntfn_new();
    cfg.reply[0] = reply_new();
    cfg.send[1] = cap_mint(cfg.ep, RIGHTS_ALL, 1);
    cfg.send[2] = cap_mint(cfg.ep, RIGHTS_ALL, 2);
    struct thread *srv = ipc_spawn(reuse_reply_server, 0, PRIO_HIGH);
    if (srv && cfg.go && cfg.send[1] && cfg.send[2] && wait_for(&ready[0])) {
        struct thread *c1 = ipc_spawn(caller, 1, PRIO_LOW);
        CHECK(wait_for(&ready[3]));
        CHECK_EQ(got[0].badge, 1);
        struct thread *c2 = ipc_spawn(caller, 2, PRIO_LOW);
        CHECK(wait_for(&steps[3]));
        CHECK(c1 && seL4_TCB_Suspend(c1->tcb) == seL4_NoError);
        seL4_Signal(cfg.go);
        CHECK(wait_for(&srv->finished));
        CHECK(c2 && wait_for(&c2->finished));
        CHECK_EQ(got[3].badge, 2);
        check_reply(&got[2], 2);
        root_background_us(IPC_QUIET_US);
        CHECK(c1 && !c1->finished);
    }
    threads_end();
}

/* MCS (manual §4.2.4 for the non-MCS reply cap; upstream's reply finalisation): deleting
 * the reply object that holds a caller stops the caller for good, and the server's Send on
 * the now empty slot does nothing (a Send's error is not reported). */
SYSTEST(ipc_deleting_the_reply_object_stops_the_caller)
{
    if (!threads_begin()) {
        return;
    }
    reset();
    cfg.ep = ep_new();
    cfg.go = ntfn_new();
    cfg.reply[0] = reply_new();
    cfg.send[1] = cap_mint(cfg.ep, RIGHTS_ALL, 1);
    struct thread *srv = ipc_spawn(server_once, 0, PRIO_HIGH);
    if (srv && cfg.go && cfg.send[1] && wait_for(&ready[0])) {
        struct thread *c = ipc_spawn(caller, 1, PRIO_LOW);
        CHECK(wait_for(&steps[0]));
        CHECK_EQ(seL4_CNode_Delete(ROOT, cfg.reply[0], ROOT_DEPTH), seL4_NoError);
        seL4_Signal(cfg.go);
        CHECK(wait_for(&srv->finished));
        root_background_us(IPC_QUIET_US);
        CHECK(c && !c->finished);
        CHECK_CONSISTENT();
    }
    threads_end();
}

/* Answers one call (after cfg.go), then serves the next with the same reply object. */
static void server_twice(seL4_Word unused)
{
    (void)unused;
    server_once(0);
    server_once(3);
}

/* §4.2.4: a reply is a non-owning reference to the caller; deleting the calling thread
 * leaves the server's reply with nobody to answer: it does nothing, and the reply object
 * serves the next caller normally. */
SYSTEST(ipc_deleting_the_caller_leaves_the_reply_harmless)
{
    if (!threads_begin()) {
        return;
    }
    reset();
    cfg.ep = ep_new();
    cfg.go = ntfn_new();
    cfg.reply[0] = reply_new();
    cfg.send[1] = cap_mint(cfg.ep, RIGHTS_ALL, 1);
    cfg.send[2] = cap_mint(cfg.ep, RIGHTS_ALL, 2);
    struct thread *srv = ipc_spawn(server_twice, 0, PRIO_HIGH);
    if (srv && cfg.go && cfg.send[1] && cfg.send[2] && wait_for(&ready[0])) {
        cfg.reply[3] = cfg.reply[0];
        struct thread *c1 = ipc_spawn(caller, 1, PRIO_LOW);
        CHECK(wait_for(&steps[0]));
        CHECK(c1 && seL4_CNode_Delete(ROOT, c1->tcb, ROOT_DEPTH) == seL4_NoError);
        seL4_Signal(cfg.go);
        CHECK(wait_for(&ready[3]));
        struct thread *c2 = ipc_spawn(caller, 2, PRIO_LOW);
        CHECK(wait_for(&steps[3]));
        seL4_Signal(cfg.go);
        CHECK(c2 && wait_for(&c2->finished));
        CHECK_EQ(got[3].badge, 2);
        check_reply(&got[2], 2);
        CHECK_CONSISTENT();
    }
    threads_end();
}

/* ---- Rights ----------------------------------------------------------------------------- */

/* Sends, NBSends and Calls through cfg.send[i]; steps[i] counts the calls that returned. */
static void try_all_sends(seL4_Word i)
{
    msg_set(i);
    seL4_Send(cfg.send[i], seL4_MessageInfo_new(MSG_LABEL(i), 0, 0, 4));
    steps[i] = 1;
    seL4_NBSend(cfg.send[i], seL4_MessageInfo_new(MSG_LABEL(i), 0, 0, 4));
    steps[i] = 2;
    seL4_MessageInfo_t info = seL4_Call(cfg.send[i], seL4_MessageInfo_new(MSG_LABEL(i), 0, 0, 4));
    msg_record(&got[i], info, 0);
    steps[i] = 3;
}

/* §4.2: without Write a Send fails and the error is not reported (the sender goes on at
 * once, nothing reaches the waiting receiver); NBSend the same; a Call reports it, as
 * InvalidCapability for the invoked cap (upstream: invalidCapNumber 0). */
SYSTEST(ipc_send_without_write_right_does_nothing)
{
    if (!threads_begin()) {
        return;
    }
    reset();
    cfg.ep = ep_new();
    cfg.reply[0] = reply_new();
    cfg.send[1] = cap_mint(cfg.ep, RIGHT_R | RIGHT_G | RIGHT_GR, 0x33);
    struct thread *r = ipc_spawn(receiver, 0, PRIO_MID);
    if (r && cfg.send[1] && wait_for(&ready[0])) {
        struct thread *s = ipc_spawn(try_all_sends, 1, PRIO_LOW);
        CHECK(s && wait_for(&s->finished));
        CHECK_EQ(steps[1], 3);
        CHECK_EQ(got[1].label, seL4_InvalidCapability);
        CHECK_EQ(got[1].mr[0], 0);
        root_background_us(IPC_QUIET_US);
        CHECK(!r->finished);
    }
    threads_end();
}

/* ---- Message registers ------------------------------------------------------------------ */

static seL4_Word big_mr(seL4_Word i, seL4_Word seed)
{
    return (seed << 56) | (0x0101010101ul * (i + 1));
}

/* Calls with all 120 registers, records what comes back in long_reply[]. */
static volatile seL4_Word long_reply[seL4_MsgMaxLength];
static volatile seL4_Word long_label, long_length;
static void long_caller(seL4_Word unused)
{
    (void)unused;
    for (int i = 0; i < seL4_MsgMaxLength; i++) {
        seL4_SetMR(i, big_mr((seL4_Word)i, 0xa1));
    }
    ready[1] = 1;
    seL4_MessageInfo_t info =
        seL4_Call(cfg.send[1], seL4_MessageInfo_new(0xfffffffffffffull, 0, 0, seL4_MsgMaxLength));
    long_label = seL4_MessageInfo_get_label(info);
    long_length = seL4_MessageInfo_get_length(info);
    for (int i = 0; i < seL4_MsgMaxLength; i++) {
        long_reply[i] = seL4_GetMR(i);
    }
}

/* Receives the long call: checks all registers itself (counting mismatches in steps[0]),
 * answers with 120 registers of its own. */
static void long_server(seL4_Word unused)
{
    (void)unused;
    seL4_Word badge = 0;
    ready[0] = 1;
    seL4_MessageInfo_t info = seL4_Recv(cfg.ep, &badge, cfg.reply[0]);
    msg_record(&got[0], info, badge);
    int bad = 0;
    for (int i = 0; i < seL4_MsgMaxLength; i++) {
        bad += seL4_GetMR(i) != big_mr((seL4_Word)i, 0xa1);
    }
    steps[0] = bad;
    for (int i = 0; i < seL4_MsgMaxLength; i++) {
        seL4_SetMR(i, big_mr((seL4_Word)i, 0xb2));
    }
    seL4_Send(cfg.reply[0], seL4_MessageInfo_new(0x1, 0, 0, seL4_MsgMaxLength));
}

/* §4.1, ABI §1.2, §5: all 120 message registers (4 in CPU registers, the rest in the IPC
 * buffer) and the 52-bit label travel both ways of a Call. */
SYSTEST(ipc_all_message_registers_round_trip)
{
    if (!threads_begin()) {
        return;
    }
    reset();
    cfg.ep = ep_new();
    cfg.reply[0] = reply_new();
    cfg.send[1] = cap_mint(cfg.ep, RIGHTS_ALL, 0x120);
    steps[0] = -1;
    struct thread *srv = ipc_spawn(long_server, 0, PRIO_HIGH);
    if (srv && cfg.send[1] && wait_for(&ready[0])) {
        struct thread *c = ipc_spawn(long_caller, 0, PRIO_LOW);
        CHECK(c && wait_for(&c->finished));
        CHECK_EQ(got[0].badge, 0x120);
        CHECK_EQ(got[0].label, 0xfffffffffffffull);
        CHECK_EQ(got[0].length, seL4_MsgMaxLength);
        CHECK_EQ(steps[0], 0);
        CHECK_EQ(long_label, 0x1);
        CHECK_EQ(long_length, seL4_MsgMaxLength);
        for (int i = 0; i < seL4_MsgMaxLength; i++) {
            if (long_reply[i] != big_mr((seL4_Word)i, 0xb2)) {
                CHECK_EQ(long_reply[i], big_mr((seL4_Word)i, 0xb2));
                break;
            }
        }
    }
    threads_end();
}

/* Receives twice with its IPC buffer's msg[] filled with a marker first; records how many
 * registers of the message hold what the root task sent and how many past it still hold
 * the marker. */
#define MARKER 0x5eedf00d5eedf00dul
static volatile int matched[2], untouched[2];
static void marked_receiver(seL4_Word unused)
{
    (void)unused;
    for (int k = 0; k < 2; k++) {
        seL4_Word badge = 0;
        for (int i = 0; i < seL4_MsgMaxLength; i++) {
            seL4_SetMR(i, MARKER);
        }
        ready[k] = 1;
        seL4_MessageInfo_t info = seL4_Recv(cfg.ep, &badge, cfg.reply[0]);
        msg_record(&got[k], info, badge);
        int m = 0, n = 0;
        for (int i = 0; i < seL4_MsgMaxLength; i++) {
            if ((seL4_Word)i < got[k].length) {
                m += seL4_GetMR(i) == big_mr((seL4_Word)i, 0xc3);
            } else {
                n += seL4_GetMR(i) == MARKER;
            }
        }
        matched[k] = m;
        untouched[k] = n;
    }
}

/* §4.1: the length says how many registers go: a 5-register message leaves the receiver's
 * registers from MR5 on alone (MR4 is the first one in the buffer); a length above 120
 * (the field has 7 bits) sends 120 and says so (upstream clamps to seL4_MsgMaxLength). */
SYSTEST(ipc_length_limits_what_is_copied)
{
    if (!threads_begin()) {
        return;
    }
    reset();
    cfg.ep = ep_new();
    cfg.reply[0] = reply_new();
    struct thread *r = ipc_spawn(marked_receiver, 0, PRIO_MID);
    if (r && wait_for(&ready[0])) {
        for (int i = 0; i < seL4_MsgMaxLength; i++) {
            seL4_SetMR(i, big_mr((seL4_Word)i, 0xc3));
        }
        seL4_NBSend(cfg.ep, seL4_MessageInfo_new(9, 0, 0, 5));
        CHECK(wait_for(&ready[1]));
        CHECK_EQ(got[0].length, 5);
        CHECK_EQ(matched[0], 5);
        CHECK_EQ(untouched[0], seL4_MsgMaxLength - 5);
        seL4_NBSend(cfg.ep, seL4_MessageInfo_new(9, 0, 0, 127));
        CHECK(wait_for(&r->finished));
        CHECK_EQ(got[1].length, seL4_MsgMaxLength);
        CHECK_EQ(matched[1], seL4_MsgMaxLength);
    }
    threads_end();
}

/* ---- Capability transfer ---------------------------------------------------------------- */

/* Sends MR0 = 0x1234 with cfg.ncaps extra caps cfg.caps[] through cfg.send[1]. */
static void cap_sender(seL4_Word unused)
{
    (void)unused;
    for (unsigned int k = 0; k < cfg.ncaps; k++) {
        seL4_SetCap((int)k, cfg.caps[k]);
    }
    seL4_SetMR(0, 0x1234);
    ready[1] = 1;
    seL4_Send(cfg.send[1], seL4_MessageInfo_new(0x77, 0, cfg.ncaps, 1));
}

/* The root task receives one cap-transfer message with receive path (cnode, index, depth):
 * it spawns the sender, lets it block in Send, and takes the message with NBRecv. The
 * data must always arrive. */
static bool cap_exchange(seL4_CPtr cnode, seL4_CPtr index, seL4_Word depth, volatile struct msg *m)
{
    ready[1] = 0;
    seL4_CPtr reply = reply_new();
    struct thread *s = ipc_spawn(cap_sender, 0, PRIO_LOW);
    if (!s || !reply || !wait_for(&ready[1])) {
        return false;
    }
    seL4_SetCapReceivePath(cnode, index, depth);
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = seL4_NBRecv(cfg.ep, &badge, reply);
    msg_record(m, info, badge);
    seL4_Word unwrapped[3] = {seL4_GetBadge(0), seL4_GetBadge(1), seL4_GetBadge(2)};
    seL4_SetCapReceivePath(0, 0, 0);
    for (int k = 0; k < 3; k++) {
        m->mr[1 + k] = unwrapped[k]; /* only MR0 is sent: keep the badges here */
    }
    CHECK_EQ(m->label, 0x77);
    CHECK_EQ(m->length, 1);
    CHECK_EQ(m->mr[0], 0x1234);
    CHECK(wait_for(&s->finished));
    return true;
}

/* The objects of a cap-transfer test: the endpoint (the message goes through a badged cap
 * to it), a notification with a badged cap to send, a second endpoint. */
static seL4_CPtr xfer_ntfn, xfer_ntfn_badged, xfer_other_ep;
static bool xfer_setup(seL4_Word send_rights)
{
    reset();
    cfg.ep = ep_new();
    xfer_ntfn = ntfn_new();
    xfer_other_ep = ep_new();
    cfg.send[1] = cfg.ep ? cap_mint(cfg.ep, send_rights, 0x1) : 0;
    xfer_ntfn_badged = xfer_ntfn ? cap_mint(xfer_ntfn, RIGHTS_ALL, 0x9) : 0;
    return cfg.send[1] && xfer_ntfn_badged && xfer_other_ep;
}

/* The received cap is a working copy of the badged notification cap: a signal through it
 * arrives with badge 0x9. */
static void check_received_ntfn(seL4_CPtr slot)
{
    CHECK_CAP_TYPE(slot, CAP_NOTIFICATION);
    if (cap_type(slot) != CAP_NOTIFICATION) {
        return; /* a Signal to anything else might block the root task */
    }
    seL4_Signal(slot);
    seL4_Word badge = 0;
    (void)seL4_Poll(xfer_ntfn, &badge);
    CHECK_EQ(badge, 0x9);
}

/* §4.2.2, §3.1.5: with Grant, the cap in the message is copied into the receive slot the
 * receiver named: extraCaps 1, nothing unwrapped, a working cap to the same object, derived
 * from the sender's (revoking the original deletes it); the sender keeps its cap. */
SYSTEST(ipc_cap_transfer_with_grant_copies_the_cap)
{
    if (!threads_begin()) {
        return;
    }
    seL4_CPtr dest = slot_alloc();
    if (xfer_setup(RIGHTS_ALL) && dest) {
        cfg.caps[0] = xfer_ntfn_badged;
        cfg.ncaps = 1;
        CHECK(cap_exchange(ROOT, dest, ROOT_DEPTH, &got[0]));
        CHECK_EQ(got[0].extra, 1);
        CHECK_EQ(got[0].unwrapped, 0);
        check_received_ntfn(dest);
        CHECK_CAP_TYPE(xfer_ntfn_badged, CAP_NOTIFICATION);
        CHECK_EQ(seL4_CNode_Revoke(ROOT, xfer_ntfn, ROOT_DEPTH), seL4_NoError);
        CHECK_CAP_TYPE(dest, CAP_NULL);
        CHECK_CONSISTENT();
    }
    threads_end();
}

/* §4.2.2: without Grant "a transfer of the raw message, without any capability transfer":
 * extraCaps 0 and capsUnwrapped 0 even for a cap that could be unwrapped, the slot stays
 * empty, the data arrives. */
SYSTEST(ipc_cap_transfer_without_grant_moves_no_caps)
{
    if (!threads_begin()) {
        return;
    }
    seL4_CPtr dest = slot_alloc();
    if (xfer_setup(RIGHT_W | RIGHT_R | RIGHT_GR) && dest) {
        cfg.caps[0] = cap_mint(cfg.ep, RIGHTS_ALL, 0x77);
        cfg.caps[1] = xfer_ntfn_badged;
        cfg.ncaps = 2;
        CHECK(cap_exchange(ROOT, dest, ROOT_DEPTH, &got[0]));
        CHECK_EQ(got[0].extra, 0);
        CHECK_EQ(got[0].unwrapped, 0);
        CHECK_CAP_TYPE(dest, CAP_NULL);
    }
    threads_end();
}

/* §4.2.2: a cap to the endpoint the message goes through is unwrapped: its badge lands in
 * badges[n], bit n of capsUnwrapped is set, and the receive slot stays free for another cap.
 * The manual's example: extraCaps 2 and capsUnwrapped 2 mean the first cap went to the
 * slot and the second was unwrapped, and a third cap that could not be unwrapped (the slot
 * is taken) did not arrive. */
SYSTEST(ipc_cap_transfer_unwraps_caps_to_the_same_endpoint)
{
    if (!threads_begin()) {
        return;
    }
    seL4_CPtr dest = slot_alloc();
    if (xfer_setup(RIGHTS_ALL) && dest) {
        seL4_CPtr ep77 = cap_mint(cfg.ep, RIGHTS_ALL, 0x77);
        seL4_CPtr ep78 = cap_mint(cfg.ep, RIGHTS_ALL, 0x78);
        cfg.caps[0] = ep77;
        cfg.caps[1] = xfer_ntfn_badged;
        cfg.ncaps = 2;
        CHECK(cap_exchange(ROOT, dest, ROOT_DEPTH, &got[0]));
        CHECK_EQ(got[0].extra, 2);
        CHECK_EQ(got[0].unwrapped, 1);
        CHECK_EQ(got[0].mr[1], 0x77);
        check_received_ntfn(dest);

        CHECK_EQ(seL4_CNode_Delete(ROOT, dest, ROOT_DEPTH), seL4_NoError);
        cfg.caps[0] = xfer_ntfn_badged;
        cfg.caps[1] = ep78;
        cfg.caps[2] = xfer_other_ep;
        cfg.ncaps = 3;
        CHECK(cap_exchange(ROOT, dest, ROOT_DEPTH, &got[1]));
        CHECK_EQ(got[1].extra, 2);
        CHECK_EQ(got[1].unwrapped, 2);
        CHECK_EQ(got[1].mr[2], 0x78);
        check_received_ntfn(dest);
    }
    threads_end();
}

/* §4.2.3: the receive phase stops at the first cap it cannot store and reports nobody an
 * error: with the receive slot occupied, caps before the failure that were unwrapped count
 * in extraCaps, the rest is dropped (even an unwrappable cap after it), and the occupant
 * stays. */
SYSTEST(ipc_cap_transfer_stops_at_an_occupied_receive_slot)
{
    if (!threads_begin()) {
        return;
    }
    seL4_CPtr dest = slot_alloc();
    if (xfer_setup(RIGHTS_ALL) && dest) {
        CHECK_EQ(seL4_CNode_Copy(ROOT, dest, ROOT_DEPTH, ROOT, xfer_other_ep, ROOT_DEPTH,
                                 rights_word(RIGHTS_ALL)),
                 seL4_NoError);
        cfg.caps[0] = cap_mint(cfg.ep, RIGHTS_ALL, 0x77);
        cfg.caps[1] = xfer_ntfn_badged;
        cfg.caps[2] = cap_mint(cfg.ep, RIGHTS_ALL, 0x79);
        cfg.ncaps = 3;
        CHECK(cap_exchange(ROOT, dest, ROOT_DEPTH, &got[0]));
        CHECK_EQ(got[0].extra, 1);
        CHECK_EQ(got[0].unwrapped, 1);
        CHECK_EQ(got[0].mr[1], 0x77);
        CHECK_CAP_TYPE(dest, CAP_ENDPOINT);

        cfg.caps[0] = xfer_ntfn_badged;
        cfg.caps[1] = cap_mint(cfg.ep, RIGHTS_ALL, 0x7a);
        cfg.ncaps = 2;
        CHECK(cap_exchange(ROOT, dest, ROOT_DEPTH, &got[1]));
        CHECK_EQ(got[1].extra, 0);
        CHECK_EQ(got[1].unwrapped, 0);
        CHECK_CAP_TYPE(dest, CAP_ENDPOINT);
    }
    threads_end();
}

/* §4.2.3: a receive slot that cannot be looked up (the receive CNode is an endpoint; a
 * depth of 0) is no error either: only unwrapped caps arrive. */
SYSTEST(ipc_cap_transfer_stops_at_an_invalid_receive_slot)
{
    if (!threads_begin()) {
        return;
    }
    seL4_CPtr dest = slot_alloc();
    if (xfer_setup(RIGHTS_ALL) && dest) {
        cfg.caps[0] = cap_mint(cfg.ep, RIGHTS_ALL, 0x77);
        cfg.caps[1] = xfer_ntfn_badged;
        cfg.ncaps = 2;
        CHECK(cap_exchange(xfer_other_ep, dest, ROOT_DEPTH, &got[0]));
        CHECK_EQ(got[0].extra, 1);
        CHECK_EQ(got[0].unwrapped, 1);
        CHECK_EQ(got[0].mr[1], 0x77);
        CHECK(cap_exchange(ROOT, dest, 0, &got[1]));
        CHECK_EQ(got[1].extra, 1);
        CHECK_EQ(got[1].unwrapped, 1);
        CHECK_CAP_TYPE(dest, CAP_NULL);
    }
    threads_end();
}

/* §4.2.3, §3.1.5 Table 3.2: a cap that cannot be derived (IRQControl; an unmapped page
 * table) ends the transfer like a missing slot; and with two caps that both need the slot,
 * only the first gets it. */
SYSTEST(ipc_cap_transfer_stops_at_a_cap_that_cannot_be_derived)
{
    if (!threads_begin()) {
        return;
    }
    seL4_CPtr dest = slot_alloc();
    seL4_CPtr pt = threads_object(seL4_ARM_PageTableObject, 0);
    if (xfer_setup(RIGHTS_ALL) && dest && pt) {
        cfg.caps[0] = seL4_CapIRQControl;
        cfg.caps[1] = cap_mint(cfg.ep, RIGHTS_ALL, 0x77);
        cfg.ncaps = 2;
        CHECK(cap_exchange(ROOT, dest, ROOT_DEPTH, &got[0]));
        CHECK_EQ(got[0].extra, 0);
        CHECK_EQ(got[0].unwrapped, 0);
        CHECK_CAP_TYPE(dest, CAP_NULL);

        cfg.caps[0] = pt;
        CHECK(cap_exchange(ROOT, dest, ROOT_DEPTH, &got[1]));
        CHECK_EQ(got[1].extra, 0);
        CHECK_CAP_TYPE(dest, CAP_NULL);

        cfg.caps[0] = xfer_ntfn_badged;
        cfg.caps[1] = xfer_other_ep;
        CHECK(cap_exchange(ROOT, dest, ROOT_DEPTH, &got[2]));
        CHECK_EQ(got[2].extra, 1);
        check_received_ntfn(dest);
    }
    threads_end();
}

/* §4.2.3: a source cap that went away while its sender was blocked ends the transfer at
 * the receive phase (its slot is empty now: nothing to copy); the data still arrives. */
SYSTEST(ipc_cap_transfer_of_a_cap_deleted_while_queued)
{
    if (!threads_begin()) {
        return;
    }
    seL4_CPtr dest = slot_alloc(), reply = reply_new();
    if (xfer_setup(RIGHTS_ALL) && dest && reply) {
        seL4_CPtr copy = cap_mint(xfer_ntfn, RIGHTS_ALL, 0x9);
        cfg.caps[0] = copy;
        cfg.ncaps = 1;
        struct thread *s = ipc_spawn(cap_sender, 0, PRIO_LOW);
        if (s && copy && wait_for(&ready[1])) {
            CHECK_EQ(seL4_CNode_Delete(ROOT, copy, ROOT_DEPTH), seL4_NoError);
            seL4_SetCapReceivePath(ROOT, dest, ROOT_DEPTH);
            seL4_Word badge = 0;
            seL4_MessageInfo_t info = seL4_NBRecv(cfg.ep, &badge, reply);
            seL4_SetCapReceivePath(0, 0, 0);
            msg_record(&got[0], info, badge);
            CHECK_EQ(got[0].label, 0x77);
            CHECK_EQ(got[0].mr[0], 0x1234);
            CHECK_EQ(got[0].extra, 0);
            CHECK_CAP_TYPE(dest, CAP_NULL);
            CHECK(wait_for(&s->finished));
        }
    }
    threads_end();
}

/* ---- CancelBadgedSends ------------------------------------------------------------------ */

/* §10.3.1.1: CancelBadgedSends with a badged cap cancels the queued sends with that badge:
 * those senders restart their Send (upstream: state Restart), so they queue again behind the
 * others; other badges keep their place; with an unbadged cap it has no effect, not even on
 * senders of badge 0; a cap without all rights is IllegalOperation (and changes nothing).
 * Senders: A (badge 1), D (unbadged), B (badge 2), C (badge 1); after the cancel the queue
 * is D, B, A, C. */
SYSTEST(ipc_cancel_badged_sends_restarts_that_badge)
{
    static const seL4_Word badge_of[N] = {1, 0, 2, 1};
    if (!threads_begin()) {
        return;
    }
    reset();
    cfg.ep = ep_new();
    seL4_CPtr reply = reply_new();
    bool ok = cfg.ep && reply;
    struct thread *t[N] = {0};
    for (int i = 0; ok && i < N; i++) {
        cfg.send[i] = cap_mint(cfg.ep, RIGHTS_ALL, badge_of[i]);
        t[i] = cfg.send[i] ? ipc_spawn(sender, (seL4_Word)i, PRIO_LOW) : NULL;
        ok = t[i] && wait_for(&ready[i]);
    }
    seL4_CPtr weak = ok ? cap_mint(cfg.ep, RIGHT_W | RIGHT_R | RIGHT_G, 1) : 0;
    if (ok && weak) {
        CHECK_EQ(seL4_CNode_CancelBadgedSends(ROOT, weak, ROOT_DEPTH), seL4_IllegalOperation);
        CHECK_EQ(seL4_CNode_CancelBadgedSends(ROOT, cfg.ep, ROOT_DEPTH), seL4_NoError);
        CHECK_EQ(seL4_CNode_CancelBadgedSends(ROOT, cfg.send[0], ROOT_DEPTH), seL4_NoError);
        root_background_us(IPC_QUIET_US);
        static const int want[N] = {1, 2, 0, 3};
        for (int k = 0; k < N; k++) {
            seL4_Word badge = 0xdead;
            seL4_MessageInfo_t info = seL4_NBRecv(cfg.ep, &badge, reply);
            msg_record(&got[0], info, badge);
            msg_check(&got[0], badge_of[want[k]], (seL4_Word)want[k]);
        }
        for (int i = 0; i < N; i++) {
            CHECK(wait_for(&t[i]->finished));
        }
    }
    threads_end();
}

/* §3.2, §6.1.3: a thread queued on an endpoint leaves the queue when it is deleted (its last
 * TCB cap) or suspended; the others keep their order, and a receiver that was suspended
 * no longer takes messages (an NBSend then finds nobody). */
SYSTEST(ipc_deleted_or_suspended_threads_leave_the_queue)
{
    if (!threads_begin()) {
        return;
    }
    reset();
    cfg.ep = ep_new();
    seL4_CPtr reply = reply_new();
    bool ok = cfg.ep && reply;
    struct thread *t[N] = {0};
    for (int i = 0; ok && i < 3; i++) {
        cfg.send[i] = cap_mint(cfg.ep, RIGHTS_ALL, (seL4_Word)i + 1);
        t[i] = cfg.send[i] ? ipc_spawn(sender, (seL4_Word)i, PRIO_LOW) : NULL;
        ok = t[i] && wait_for(&ready[i]);
    }
    if (ok) {
        CHECK_EQ(seL4_CNode_Delete(ROOT, t[1]->tcb, ROOT_DEPTH), seL4_NoError);
        CHECK_EQ(seL4_TCB_Suspend(t[0]->tcb), seL4_NoError);
        seL4_Word badge = 0;
        seL4_MessageInfo_t info = seL4_NBRecv(cfg.ep, &badge, reply);
        msg_record(&got[0], info, badge);
        msg_check(&got[0], 3, 2);
        cfg.reply[3] = reply;
        CHECK(finds_nothing(0));
        CHECK_CONSISTENT();
    }
    reset();
    cfg.ep = ep_new();
    cfg.reply[0] = reply_new();
    cfg.reply[1] = reply_new();
    cfg.reply[3] = reply_new();
    struct thread *r0 = cfg.reply[3] ? ipc_spawn(receiver, 0, PRIO_MID) : NULL;
    struct thread *r1 = r0 && wait_for(&ready[0]) ? ipc_spawn(receiver, 1, PRIO_MID) : NULL;
    if (r1 && wait_for(&ready[1])) {
        CHECK_EQ(seL4_TCB_Suspend(r0->tcb), seL4_NoError);
        CHECK_EQ(seL4_TCB_Suspend(r1->tcb), seL4_NoError);
        cfg.send[2] = cfg.ep;
        CHECK(run_in_thread(nbsender, 2));
        CHECK(!r0->finished && !r1->finished);
        CHECK(finds_nothing(0));
        CHECK_CONSISTENT();
    }
    threads_end();
}

/* ---- NBSendRecv, NBSendWait ------------------------------------------------------------- */

/* Twice: sends MR0 = k + 1 to cfg.ep without blocking and receives on cfg.ep2 (NBSendRecv
 * with reply object cfg.reply[0], or NBSendWait when arg is 1) into got[k]. */
static void send_then_receive(seL4_Word wait)
{
    for (int k = 0; k < 2; k++) {
        seL4_Word badge = 0;
        seL4_SetMR(0, (seL4_Word)k + 1);
        seL4_MessageInfo_t msg = seL4_MessageInfo_new(0x31, 0, 0, 1);
        ready[k] = 1;
        seL4_MessageInfo_t info = wait
                                      ? seL4_NBSendWait(cfg.ep, msg, cfg.ep2, &badge)
                                      : seL4_NBSendRecv(cfg.ep, msg, cfg.ep2, &badge, cfg.reply[0]);
        msg_record(&got[k], info, badge);
    }
}

/* Spawns send_then_receive: its first send finds no receiver and is dropped, its second goes
 * to a receiver that waits by then; each time it then blocks until the root task sends to
 * cfg.ep2. */
static void check_send_then_receive(seL4_Word wait)
{
    reset();
    cfg.ep = ep_new();
    cfg.ep2 = ep_new();
    cfg.reply[0] = reply_new();
    cfg.reply[2] = reply_new();
    seL4_CPtr ep2_badged = cap_mint(cfg.ep2, RIGHTS_ALL, 0x22);
    struct thread *a = ipc_spawn(send_then_receive, wait, PRIO_MID);
    if (!a || !ep2_badged || !cfg.reply[2] || !wait_for(&ready[0])) {
        return;
    }
    root_background_us(IPC_QUIET_US);
    CHECK_EQ(ready[1], 0);
    struct thread *r = ipc_spawn(receiver, 2, PRIO_LOW);
    CHECK(r && wait_for(&ready[2]));
    seL4_SetMR(0, 0x99);
    seL4_NBSend(ep2_badged, seL4_MessageInfo_new(0x41, 0, 0, 1));
    CHECK(wait_for(&ready[1]));
    CHECK_EQ(got[0].badge, 0x22);
    CHECK_EQ(got[0].label, 0x41);
    CHECK_EQ(got[0].mr[0], 0x99);
    CHECK(r && wait_for(&r->finished));
    CHECK_EQ(got[2].label, 0x31);
    CHECK_EQ(got[2].mr[0], 2);
    root_background_us(IPC_QUIET_US);
    CHECK(!a->finished);
    seL4_SetMR(0, 0x98);
    seL4_NBSend(ep2_badged, seL4_MessageInfo_new(0x42, 0, 0, 1));
    CHECK(wait_for(&a->finished));
    CHECK_EQ(got[1].badge, 0x22);
    CHECK_EQ(got[1].mr[0], 0x98);
}

/* §10.2.2.7: NBSendRecv = NBSend on one cap (dropped without a receiver) then a blocking Recv
 * on another, with a reply object. */
SYSTEST(ipc_nbsendrecv_sends_then_receives)
{
    if (!threads_begin()) {
        return;
    }
    check_send_then_receive(0);
    threads_end();
}

/* §10.2.2.8: NBSendWait = NBSend then Wait (no reply object; upstream passes the destination
 * in x6, see libsel4). */
SYSTEST(ipc_nbsendwait_sends_then_waits)
{
    if (!threads_begin()) {
        return;
    }
    check_send_then_receive(1);
    threads_end();
}

/* ---- Notifications ---------------------------------------------------------------------- */

/* Waits on cfg.ntfn into got[i]. */
static void ntfn_waiter(seL4_Word i)
{
    seL4_Word badge = 0xdead;
    ready[i] = 1;
    seL4_MessageInfo_t info = seL4_Wait(cfg.ntfn, &badge);
    msg_record(&got[i], info, badge);
}

/* §5.1-5.2: Signal ORs the cap's badge into the notification word; Wait returns the word
 * and clears it. Signals of badges 1 and 2 before a Wait deliver 3; a Poll afterwards finds
 * nothing; a Poll after a signal returns its badge. */
SYSTEST(ntfn_signals_accumulate_by_or)
{
    if (!threads_begin()) {
        return;
    }
    reset();
    cfg.ntfn = ntfn_new();
    seL4_CPtr b1 = cap_mint(cfg.ntfn, RIGHTS_ALL, 1), b2 = cap_mint(cfg.ntfn, RIGHTS_ALL, 2);
    seL4_CPtr b4 = cap_mint(cfg.ntfn, RIGHTS_ALL, 4);
    if (b1 && b2 && b4) {
        seL4_Signal(b1);
        seL4_Signal(b2);
        seL4_Signal(b1);
        struct thread *w = ipc_spawn(ntfn_waiter, 0, PRIO_MID);
        CHECK(w && wait_for(&w->finished));
        CHECK_EQ(got[0].badge, 3);
        CHECK(finds_nothing(2));
        seL4_Signal(b4);
        seL4_Word badge = 0xdead;
        (void)seL4_Poll(cfg.ntfn, &badge);
        CHECK_EQ(badge, 4);
    }
    threads_end();
}

/* §5.2, §10.2.2.11-12: Wait blocks while the word is zero and returns the badge of the
 * signal that woke it; Poll and NBWait return 0 at once when nothing is pending. */
SYSTEST(ntfn_wait_blocks_and_poll_does_not)
{
    if (!threads_begin()) {
        return;
    }
    reset();
    cfg.ntfn = ntfn_new();
    seL4_CPtr b = cap_mint(cfg.ntfn, RIGHTS_ALL, 0x10);
    if (b) {
        CHECK(finds_nothing(2));
        CHECK(finds_nothing(3));
        struct thread *w = ipc_spawn(ntfn_waiter, 0, PRIO_MID);
        CHECK(w && wait_for(&ready[0]));
        root_background_us(IPC_QUIET_US);
        CHECK(w && !w->finished);
        seL4_Signal(b);
        CHECK(w && wait_for(&w->finished));
        CHECK_EQ(got[0].badge, 0x10);
    }
    threads_end();
}

/* §5.2: a signal wakes the first queued waiter only; the others keep waiting for the next
 * signal. */
SYSTEST(ntfn_signal_wakes_only_the_first_waiter)
{
    if (!threads_begin()) {
        return;
    }
    reset();
    cfg.ntfn = ntfn_new();
    seL4_CPtr b1 = cap_mint(cfg.ntfn, RIGHTS_ALL, 1), b2 = cap_mint(cfg.ntfn, RIGHTS_ALL, 2);
    struct thread *w1 = ipc_spawn(ntfn_waiter, 0, PRIO_MID);
    if (w1 && b1 && b2 && wait_for(&ready[0])) {
        struct thread *w2 = ipc_spawn(ntfn_waiter, 1, PRIO_MID);
        CHECK(w2 && wait_for(&ready[1]));
        seL4_Signal(b1);
        CHECK(wait_for(&w1->finished));
        root_background_us(IPC_QUIET_US);
        CHECK(w2 && !w2->finished);
        CHECK_EQ(got[0].badge, 1);
        seL4_Signal(b2);
        CHECK(w2 && wait_for(&w2->finished));
        CHECK_EQ(got[1].badge, 2);
    }
    threads_end();
}

/* An unbadged signal with nobody waiting is kept: the next Wait returns at once with
 * badge 0. Manual §5.2 says a Wait on a zero word blocks; upstream seL4 keeps the signal
 * pending, and programs written for it -- the seed tutorial's two producers among them --
 * depend on that, so Kairos does the same. */
SYSTEST(ntfn_unbadged_signal_stays_pending)
{
    if (!threads_begin()) {
        return;
    }
    reset();
    cfg.ntfn = ntfn_new();
    if (cfg.ntfn) {
        seL4_Signal(cfg.ntfn);
        struct thread *w = ipc_spawn(ntfn_waiter, 0, PRIO_MID);
        CHECK(w && wait_for(&ready[0]));
        CHECK(w && wait_for(&w->finished));
        CHECK_EQ(got[0].badge, 0);
    }
    threads_end();
}

/* Receives three times on cfg.ep (reply object cfg.reply[0]) into got[0..2]; before the
 * first it waits on cfg.go. */
static void bound_receiver(seL4_Word unused)
{
    (void)unused;
    ready[3] = 1;
    seL4_Wait(cfg.go, NULL);
    for (int k = 0; k < 3; k++) {
        seL4_Word badge = 0;
        ready[k] = 1;
        seL4_MessageInfo_t info = seL4_Recv(cfg.ep, &badge, cfg.reply[0]);
        msg_record(&got[k], info, badge);
    }
}

/* §5.3: signals to a notification bound to a thread reach it while it receives on an
 * endpoint: a signal pending when it calls Recv returns at once, one sent while it waits
 * wakes it; the badge register holds the notification word and the tag is empty (label 0,
 * length 0), distinct from an endpoint message through a badged cap. */
SYSTEST(ntfn_bound_signal_reaches_a_thread_in_recv)
{
    if (!threads_begin()) {
        return;
    }
    reset();
    cfg.ep = ep_new();
    cfg.go = ntfn_new();
    cfg.ntfn = ntfn_new();
    cfg.reply[0] = reply_new();
    seL4_CPtr n40 = cap_mint(cfg.ntfn, RIGHTS_ALL, 0x40),
              n80 = cap_mint(cfg.ntfn, RIGHTS_ALL, 0x80);
    seL4_CPtr ep3 = cap_mint(cfg.ep, RIGHTS_ALL, 0x3);
    struct thread *t = thread_create(bound_receiver, 0, PRIO_MID);
    if (t && cfg.go && cfg.reply[0] && n40 && n80 && ep3) {
        CHECK_EQ(seL4_TCB_BindNotification(t->tcb, cfg.ntfn), seL4_NoError);
        thread_give_sc(t, RR_US, RR_US, 0);
        thread_resume(t);
        CHECK(wait_for(&ready[3]));
        seL4_Signal(n40);
        seL4_Signal(cfg.go);
        CHECK(wait_for(&ready[1]));
        CHECK_EQ(got[0].badge, 0x40);
        CHECK_EQ(got[0].label, 0);
        CHECK_EQ(got[0].length, 0);
        root_background_us(IPC_QUIET_US);
        CHECK_EQ(ready[2], 0);
        seL4_Signal(n80);
        CHECK(wait_for(&ready[2]));
        CHECK_EQ(got[1].badge, 0x80);
        CHECK_EQ(got[1].length, 0);
        msg_set(5);
        seL4_NBSend(ep3, seL4_MessageInfo_new(MSG_LABEL(5), 0, 0, 4));
        CHECK(wait_for(&t->finished));
        msg_check(&got[2], 0x3, 5);
    }
    threads_end();
}

/* §5.3: "Once a notification has been bound, the only thread that may perform seL4_Wait()
 * on the notification is the bound thread": another thread's Wait is a capability fault
 * (§6.2.1, upstream: MissingCapability with 0 bits left, in the receive phase) delivered to
 * its handler; the bound thread itself waits and gets the signal. */
SYSTEST(ntfn_only_the_bound_thread_may_wait)
{
    if (!threads_begin()) {
        return;
    }
    reset();
    static struct caught c;
    memset(&c, 0, sizeof(c));
    c.ep = ep_new();
    c.reply = reply_new();
    cfg.ntfn = ntfn_new();
    seL4_CPtr fault_ep = c.ep ? cap_mint(c.ep, RIGHTS_ALL, 0xfa) : 0;
    seL4_CPtr n5 = cfg.ntfn ? cap_mint(cfg.ntfn, RIGHTS_ALL, 5) : 0;
    struct thread *bound = thread_create(ntfn_waiter, 0, PRIO_MID);
    struct thread *other = thread_create(ntfn_waiter, 1, PRIO_MID);
    struct thread *h = ipc_spawn(fault_catch, (seL4_Word)&c, PRIO_HIGH);
    if (bound && other && h && c.reply && fault_ep && n5 && wait_for(&c.ready)) {
        CHECK_EQ(seL4_TCB_BindNotification(bound->tcb, cfg.ntfn), seL4_NoError);
        CHECK_EQ(seL4_TCB_SetSpace(other->tcb, fault_ep, ROOT, 0, seL4_CapInitThreadVSpace, 0),
                 seL4_NoError);
        thread_give_sc(other, RR_US, RR_US, 0);
        thread_resume(other);
        CHECK(wait_for(&c.done));
        CHECK_EQ(c.badge, 0xfa);
        CHECK_EQ(c.label, seL4_Fault_CapFault);
        CHECK_EQ(c.mr[seL4_CapFault_Addr], cfg.ntfn);
        CHECK_EQ(c.mr[seL4_CapFault_InRecvPhase], 1);
        CHECK_EQ(c.mr[seL4_CapFault_LookupFailureType], seL4_MissingCapability);
        CHECK_EQ(c.mr[seL4_CapFault_BitsLeft], 0);
        CHECK(!other->finished);

        thread_give_sc(bound, RR_US, RR_US, 0);
        thread_resume(bound);
        CHECK(wait_for(&ready[0]));
        seL4_Signal(n5);
        CHECK(wait_for(&bound->finished));
        CHECK_EQ(got[0].badge, 5);
    }
    threads_end();
}

/* §10.3.7.1 (and §10.3.7.21 for UnbindNotification, upstream's decoders): BindNotification
 * fails with IllegalOperation when the TCB already has a notification, when the
 * notification is bound to another TCB, when the cap is no notification cap or lacks Read;
 * a bound pair can be unbound once. */
SYSTEST(ntfn_bind_notification_errors)
{
    if (!threads_begin()) {
        return;
    }
    seL4_CPtr n1 = ntfn_new(), n2 = ntfn_new(), ep = ep_new();
    struct thread *t1 = thread_create(ntfn_waiter, 0, PRIO_MID);
    struct thread *t2 = thread_create(ntfn_waiter, 1, PRIO_MID);
    seL4_CPtr n2_write_only = n2 ? cap_mint(n2, RIGHT_W, 0) : 0;
    if (n1 && n2 && ep && t1 && t2 && n2_write_only) {
        CHECK_EQ(seL4_TCB_BindNotification(t1->tcb, n1), seL4_NoError);
        CHECK_EQ(seL4_TCB_BindNotification(t1->tcb, n2), seL4_IllegalOperation);
        CHECK_EQ(seL4_TCB_BindNotification(t2->tcb, n1), seL4_IllegalOperation);
        CHECK_EQ(seL4_TCB_BindNotification(t2->tcb, ep), seL4_IllegalOperation);
        CHECK_EQ(seL4_TCB_BindNotification(t2->tcb, n2_write_only), seL4_IllegalOperation);
        CHECK_EQ(seL4_TCB_UnbindNotification(t2->tcb), seL4_IllegalOperation);
        CHECK_EQ(seL4_TCB_UnbindNotification(t1->tcb), seL4_NoError);
        CHECK_EQ(seL4_TCB_UnbindNotification(t1->tcb), seL4_IllegalOperation);
        CHECK_EQ(seL4_TCB_BindNotification(t2->tcb, n1), seL4_NoError);
        CHECK_EQ(seL4_TCB_BindNotification(t1->tcb, n2), seL4_NoError);
    }
    threads_end();
}

/* ---- Seed tutorials --------------------------------------------------------------------- */

/* The IPC tutorial's badged echo server, MCS form: an unbadged request asks for a badged
 * cap to the endpoint (badge = MR0), which the server mints and sends back in the reply
 * (seL4_Send on its reply object instead of seL4_Reply; the reply cap has Grant); a badged
 * request is a string, one character per register, which the server logs per badge and
 * answers (ReplyRecv instead of SaveCaller + Recv). */
#define ECHO_CLIENTS 2
#define ECHO_LOG 32
static const char *const echo_words[] = {"quick", "fox", "over", "lazy"};
static volatile char echo_log[ECHO_CLIENTS + 1][ECHO_LOG];
static volatile int echo_len[ECHO_CLIENTS + 1], echo_bad;
static volatile seL4_CPtr echo_free_slot, echo_client_slot[ECHO_CLIENTS + 1];

static void echo_server(seL4_Word unused)
{
    (void)unused;
    seL4_Word sender;
    ready[0] = 1;
    seL4_MessageInfo_t info = seL4_Recv(cfg.ep, &sender, cfg.reply[0]);
    for (;;) {
        if (sender == 0) {
            seL4_Word badge = seL4_GetMR(0);
            seL4_Error err = seL4_CNode_Mint(ROOT, echo_free_slot, ROOT_DEPTH, ROOT, cfg.ep,
                                             ROOT_DEPTH, seL4_AllRights, badge);
            echo_bad += err != seL4_NoError;
            seL4_SetCap(0, echo_free_slot);
            seL4_Send(cfg.reply[0], seL4_MessageInfo_new(0, 0, 1, 0));
            echo_bad += seL4_CNode_Delete(ROOT, echo_free_slot, ROOT_DEPTH) != seL4_NoError;
            info = seL4_Recv(cfg.ep, &sender, cfg.reply[0]);
        } else {
            seL4_Word length = seL4_MessageInfo_get_length(info);
            for (seL4_Word i = 0; i < length && sender <= ECHO_CLIENTS; i++) {
                if (echo_len[sender] < ECHO_LOG - 1) {
                    echo_log[sender][echo_len[sender]] = (char)seL4_GetMR((int)i);
                    echo_len[sender] = echo_len[sender] + 1;
                }
            }
            info = seL4_ReplyRecv(cfg.ep, seL4_MessageInfo_new(0, 0, 0, 0), &sender, cfg.reply[0]);
        }
    }
}

static void echo_client(seL4_Word id)
{
    seL4_SetCapReceivePath(ROOT, echo_client_slot[id], ROOT_DEPTH);
    seL4_SetMR(0, id);
    seL4_MessageInfo_t info = seL4_Call(cfg.ep, seL4_MessageInfo_new(0, 0, 0, 1));
    echo_bad += seL4_MessageInfo_get_extraCaps(info) != 1;
    for (unsigned int i = 0; i < sizeof(echo_words) / sizeof(echo_words[0]); i++) {
        int j;
        for (j = 0; echo_words[i][j] != '\0'; j++) {
            seL4_SetMR(j, (seL4_Word)echo_words[i][j]);
        }
        info = seL4_Call(echo_client_slot[id], seL4_MessageInfo_new(0, 0, 0, (seL4_Word)j));
        echo_bad += seL4_MessageInfo_get_length(info) != 0;
    }
}

SYSTEST(ipc_tutorial_badged_echo_server)
{
    if (!threads_begin()) {
        return;
    }
    reset();
    memset((void *)echo_log, 0, sizeof(echo_log));
    memset((void *)echo_len, 0, sizeof(echo_len));
    echo_bad = 0;
    cfg.ep = ep_new();
    cfg.reply[0] = reply_new();
    echo_free_slot = slot_alloc();
    for (int id = 1; id <= ECHO_CLIENTS; id++) {
        echo_client_slot[id] = slot_alloc();
    }
    struct thread *srv = ipc_spawn(echo_server, 0, PRIO_HIGH);
    if (srv && cfg.reply[0] && echo_free_slot && wait_for(&ready[0])) {
        for (int id = 1; id <= ECHO_CLIENTS; id++) {
            struct thread *c = ipc_spawn(echo_client, (seL4_Word)id, PRIO_LOW);
            CHECK(c && wait_for(&c->finished));
            CHECK_CAP_TYPE(echo_client_slot[id], CAP_ENDPOINT);
            CHECK(endpoint_is_badged(echo_client_slot[id]));
            CHECK_EQ(echo_len[id], 16);
            CHECK(strcmp((const char *)echo_log[id], "quickfoxoverlazy") == 0);
        }
        CHECK_EQ(echo_bad, 0);
        CHECK_CAP_TYPE(echo_free_slot, CAP_NULL);
    }
    threads_end();
}

/* The notification tutorial's producers and consumer: the consumer hands each producer its
 * buffer through an endpoint, then signals "buffer empty" to both; a producer fills its
 * buffer with its id and signals "full" through a cap badged with its bit; the consumer's
 * Wait on "full" tells by the badge bits which buffers to take (possibly both at once, the
 * OR of the badges). The consumer takes 10 rounds, as in the tutorial. */
#define TUT_ROUNDS 10
static volatile long tut_buf[3];
static volatile int tut_errors, tut_rounds;
static volatile seL4_Word tut_bits;
static volatile seL4_CPtr tut_empty[3], tut_full[3];

static void tut_producer(seL4_Word id)
{
    seL4_Wait(cfg.ep, NULL);
    volatile long *buf = (volatile long *)seL4_GetMR(0);
    for (int i = 0; i < 100; i++) {
        seL4_Wait(tut_empty[id], NULL);
        *buf = (long)id;
        seL4_Signal(tut_full[id]);
    }
}

static void tut_consumer(seL4_Word unused)
{
    (void)unused;
    seL4_SetMR(0, (seL4_Word)&tut_buf[1]);
    seL4_Send(cfg.ep, seL4_MessageInfo_new(0, 0, 0, 1));
    seL4_SetMR(0, (seL4_Word)&tut_buf[2]);
    seL4_Send(cfg.ep, seL4_MessageInfo_new(0, 0, 0, 1));
    tut_buf[1] = 0;
    tut_buf[2] = 0;
    seL4_Signal(tut_empty[1]);
    seL4_Signal(tut_empty[2]);
    for (int i = 0; i < TUT_ROUNDS; i++) {
        seL4_Word badge = 0;
        seL4_Wait(cfg.ntfn, &badge);
        tut_bits |= badge;
        tut_errors += (badge & ~3ul) != 0 || badge == 0;
        if (badge & 1) {
            tut_errors += tut_buf[1] != 1;
            tut_buf[1] = 0;
            seL4_Signal(tut_empty[1]);
        }
        if (badge & 2) {
            tut_errors += tut_buf[2] != 2;
            tut_buf[2] = 0;
            seL4_Signal(tut_empty[2]);
        }
        tut_rounds = i + 1;
    }
}

SYSTEST(ntfn_tutorial_two_producers_one_consumer)
{
    if (!threads_begin()) {
        return;
    }
    reset();
    tut_errors = tut_rounds = 0;
    tut_bits = 0;
    cfg.ep = ep_new();
    cfg.ntfn = ntfn_new();
    tut_empty[1] = ntfn_new();
    tut_empty[2] = ntfn_new();
    tut_full[1] = cfg.ntfn ? cap_mint(cfg.ntfn, RIGHTS_ALL, 1) : 0;
    tut_full[2] = cfg.ntfn ? cap_mint(cfg.ntfn, RIGHTS_ALL, 2) : 0;
    if (cfg.ep && tut_empty[1] && tut_empty[2] && tut_full[1] && tut_full[2]) {
        struct thread *p1 = ipc_spawn(tut_producer, 1, PRIO_LOW);
        struct thread *p2 = ipc_spawn(tut_producer, 2, PRIO_LOW);
        struct thread *c = ipc_spawn(tut_consumer, 0, PRIO_LOW);
        CHECK(p1 && p2 && c && wait_for(&c->finished));
        CHECK_EQ(tut_rounds, TUT_ROUNDS);
        CHECK_EQ(tut_errors, 0);
        CHECK_EQ(tut_bits, 3);
    }
    threads_end();
}
