/* Notifications (manual ch. 5): Signal, Wait and Poll, badge ORing, binding to a TCB (§5.3)
 * and its errors, and the seed tutorials (the badged echo server; two producers and a
 * consumer). Shared state and helper threads: ipc_shared.h.
 * systest: needs a debug kernel */
#include <kairos/string.h>
#include <sel4/faults.h>

#include "ipc_shared.h"

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
 * wakes it; the badge register holds the notification word. Upstream writes nothing else
 * (the MessageInfo register keeps what the thread had there, ipc_registers.c), so the tag
 * is not checked here; an endpoint message through a badged cap still arrives whole. */
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
        root_background_us(IPC_QUIET_US);
        CHECK_EQ(ready[2], 0);
        seL4_Signal(n80);
        CHECK(wait_for(&ready[2]));
        CHECK_EQ(got[1].badge, 0x80);
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
