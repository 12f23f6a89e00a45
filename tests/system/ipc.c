/* IPC through endpoints (manual ch. 4, §2.2, §10.2.2): every send and receive system call
 * with and without a partner, rights, FIFO queues, badges, reply objects, CancelBadgedSends
 * and the combined send-and-receive calls. Message registers and capability transfer are in
 * ipc_messages.c, notifications and the seed tutorials in ipc_notifications.c. Where the
 * manual is silent the expectation is upstream seL4's, said in a comment.
 *
 * Threads live in the root task's CSpace and VSpace (thread_util.h); the root task never
 * blocks in IPC (ipc_util.h). A thread sets ready[i] just before it blocks: it runs above
 * the root task, so once the root task sees the flag the thread is blocked.
 * systest: needs a debug kernel */
#include <kairos/string.h>
#include <sel4/faults.h>

#include "ipc_shared.h"

/* ---- Shared state ----------------------------------------------------------------------- */

volatile struct ipc_cfg cfg;
volatile struct msg got[N];
volatile int ready[N], steps[N];

void reset(void)
{
    memset((void *)&cfg, 0, sizeof(cfg));
    memset((void *)got, 0, sizeof(got));
    memset((void *)ready, 0, sizeof(ready));
    memset((void *)steps, 0, sizeof(steps));
}

/* Receives one message on cfg.ep with reply object cfg.reply[i] into got[i]. */
void receiver(seL4_Word i)
{
    seL4_Word badge = 0;
    ready[i] = 1;
    seL4_MessageInfo_t info = seL4_Recv(cfg.ep, &badge, cfg.reply[i]);
    msg_record(&got[i], info, badge);
}

/* Sends sender i's message through cfg.send[i]. */
void sender(seL4_Word i)
{
    msg_set(i);
    ready[i] = 1;
    seL4_Send(cfg.send[i], seL4_MessageInfo_new(MSG_LABEL(i), 0, 0, 4));
}

/* Calls through cfg.send[i] with sender i's message; the reply goes to got[i]. */
void caller(seL4_Word i)
{
    msg_set(i);
    ready[i] = 1;
    seL4_MessageInfo_t info = seL4_Call(cfg.send[i], seL4_MessageInfo_new(MSG_LABEL(i), 0, 0, 4));
    msg_record(&got[i], info, 0);
}

/* The reply to request i: label 0x55, MR0 = the request's MR0 + 1, MR1 = 0xbeef. */
void check_reply(volatile struct msg *m, seL4_Word i)
{
    CHECK_EQ(m->label, 0x55);
    CHECK_EQ(m->length, 2);
    CHECK_EQ(m->mr[0], MSG_MR(i, 0) + 1);
    CHECK_EQ(m->mr[1], 0xbeef);
}

seL4_MessageInfo_t set_reply(seL4_Word request_mr0)
{
    seL4_SetMR(0, request_mr0 + 1);
    seL4_SetMR(1, 0xbeef);
    return seL4_MessageInfo_new(0x55, 0, 0, 2);
}

/* Receives one call into got[i], waits for cfg.go, then answers through the reply object. */
void server_once(seL4_Word i)
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

bool finds_nothing(seL4_Word which)
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

