/* The IPC fastpath (docs/fastpath.md): for each condition it checks, a Call/ReplyRecv that
 * meets it and one that does not, with the answers the tests expect from seL4 either way.
 * kairos_debug_fastpath_count() says how many IPCs the fastpath completed: the count over a
 * scenario shows which path each call took. The same tests run on a kernel built without
 * the fastpath (the nofastpath variant), where the count is absent and only the answers
 * are checked: the observable results are the same on both paths.
 *
 * The scenario: a passive echo server on an endpoint, answering label + 1 and every word
 * + 1, and a client thread below it; the root task waits in the background (ipc_util.h).
 * systest: needs a debug kernel */
#include <kairos/debug.h>
#include <kairos/string.h>

#include "ipc_util.h"

#define MSG_BASE 0x1000u
#define ASK_LABEL 0x42u
#define BADGE 0x77u
#define SIGNAL_BADGE 0x5u
#define MAX_WORDS seL4_MsgMaxLength

static volatile struct {
    seL4_CPtr recv_ep, call_ep, reply, hold, self_signal, extra_cap;
    int holds;         /* the server waits on `hold` before answering, this many times */
    bool signal_first; /* the server signals its own bound notification before answering */
    int served, seq;
    seL4_Word got_badge[2], got_label[2], got_length[2], got_extra[2], got_word[MAX_WORDS];
    int server_ready;
} f;

/* Per client (0, 1): its answer and when it came (f.seq order). */
static volatile struct answer {
    seL4_Word label, length, word[MAX_WORDS];
    int order;
} ans[2];

static void reset(void)
{
    memset((void *)&f, 0, sizeof(f));
    memset((void *)ans, 0, sizeof(ans));
}

static void echo_server(seL4_Word unused)
{
    (void)unused;
    seL4_Word badge;
    f.server_ready = 1;
    seL4_MessageInfo_t info = seL4_Recv(f.recv_ep, &badge, f.reply);
    for (;;) {
        int k = f.served < 2 ? f.served : 1;
        seL4_Word n = seL4_MessageInfo_get_length(info);
        f.got_badge[k] = badge;
        f.got_label[k] = seL4_MessageInfo_get_label(info);
        f.got_length[k] = n;
        f.got_extra[k] = seL4_MessageInfo_get_extraCaps(info);
        for (seL4_Word i = 0; i < n; i++) {
            f.got_word[i] = seL4_GetMR((int)i);
        }
        f.served = f.served + 1;
        /* Before the answer is written: a Wait returns MR0..MR3 too (libsel4). */
        if (f.holds > 0) {
            f.holds = f.holds - 1;
            seL4_Wait(f.hold, NULL);
        }
        if (f.signal_first) {
            f.signal_first = false;
            seL4_Signal(f.self_signal);
        }
        for (seL4_Word i = 0; i < n; i++) {
            seL4_SetMR((int)i, f.got_word[i] + 1);
        }
        seL4_MessageInfo_t answer = seL4_MessageInfo_new(f.got_label[k] + 1, 0, 0, n);
        info = seL4_ReplyRecv(f.recv_ep, answer, &badge, f.reply);
    }
}

/* Calls f.call_ep with `length` words MSG_BASE + i (and one extra cap if f.extra_cap);
 * arg: length | client index << 8. */
static void client(seL4_Word arg)
{
    seL4_Word length = arg & 0xff, who = arg >> 8;
    for (seL4_Word i = 0; i < length && i < MAX_WORDS; i++) {
        seL4_SetMR((int)i, MSG_BASE + i);
    }
    seL4_Word extra = 0;
    if (f.extra_cap) {
        seL4_SetCap(0, f.extra_cap);
        extra = 1;
    }
    seL4_MessageInfo_t info =
        seL4_Call(f.call_ep, seL4_MessageInfo_new(ASK_LABEL, 0, extra, length));
    volatile struct answer *a = &ans[who];
    a->label = seL4_MessageInfo_get_label(info);
    a->length = seL4_MessageInfo_get_length(info);
    for (seL4_Word i = 0; i < a->length && i < MAX_WORDS; i++) {
        a->word[i] = seL4_GetMR((int)i);
    }
    f.seq = f.seq + 1;
    a->order = f.seq;
}

static bool have_fastpath(void)
{
    return kairos_debug_fastpath_count() != KAIROS_NO_FASTPATH;
}

/* Objects and the passive server (PRIO_MID) on a fresh endpoint; call_ep = the endpoint. */
static struct thread *server_start(void)
{
    reset();
    f.recv_ep = ep_new();
    f.reply = reply_new();
    f.hold = ntfn_new();
    f.call_ep = f.recv_ep;
    if (!f.recv_ep || !f.reply || !f.hold) {
        return NULL;
    }
    return passive_spawn(echo_server, 0, PRIO_MID, &f.server_ready);
}

/* The client's answer to a `length`-word question the server saw `seen` words of. */
static void check_answer(int who, seL4_Word seen)
{
    CHECK_EQ(ans[who].label, ASK_LABEL + 1);
    CHECK_EQ(ans[who].length, seen);
    for (seL4_Word i = 0; i < seen; i++) {
        CHECK_EQ(ans[who].word[i], MSG_BASE + i + 1);
    }
}

/* Runs one client Call of `length` words and returns the fastpath count over it. */
static seL4_Word one_call(seL4_Word length, struct thread **client_out)
{
    seL4_Word before = kairos_debug_fastpath_count();
    struct thread *c = ipc_spawn(client, length, PRIO_LOW);
    if (client_out) {
        *client_out = c;
    }
    if (c == NULL || !wait_for(&c->finished)) {
        return ~(seL4_Word)0;
    }
    return kairos_debug_fastpath_count() - before;
}

static void expect_count(seL4_Word count, seL4_Word fast)
{
    if (have_fastpath()) {
        CHECK_EQ(count, fast);
    }
}

/* ---- The common case -------------------------------------------------------------------- */

/* Every length from none to seL4_MsgMaxLength: words in registers (up to 4) and beyond, in
 * the IPC buffers. Both directions take the fastpath; the answer is exact. */
SYSTEST(fastpath_call_and_reply_every_length)
{
    static const seL4_Word lengths[] = {0, 1, 4, 5, 10, MAX_WORDS};
    for (unsigned int i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
        if (!threads_begin()) {
            return;
        }
        if (server_start()) {
            seL4_Word n = one_call(lengths[i], NULL);
            CHECK_EQ(f.served, 1);
            CHECK_EQ(f.got_label[0], ASK_LABEL);
            CHECK_EQ(f.got_length[0], lengths[i]);
            CHECK_EQ(f.got_badge[0], 0);
            check_answer(0, lengths[i]);
            expect_count(n, 2);
        }
        threads_end();
    }
}

/* The badge of the cap the client calls through arrives with the fast Call. */
SYSTEST(fastpath_call_delivers_the_badge)
{
    if (!threads_begin()) {
        return;
    }
    if (server_start()) {
        f.call_ep = cap_mint(f.recv_ep, RIGHTS_ALL, BADGE);
        seL4_Word n = one_call(2, NULL);
        CHECK_EQ(f.got_badge[0], BADGE);
        check_answer(0, 2);
        expect_count(n, 2);
    }
    threads_end();
}

/* ---- Rights ----------------------------------------------------------------------------- */

/* Without Write the Call is refused (InvalidCapability, manual §4.2): the slow path's
 * answer, the server never sees it. */
SYSTEST(fastpath_slow_call_without_write)
{
    if (!threads_begin()) {
        return;
    }
    if (server_start()) {
        f.call_ep = cap_mint(f.recv_ep, RIGHT_R | RIGHT_G | RIGHT_GR, 0);
        seL4_Word n = one_call(1, NULL);
        CHECK_EQ(ans[0].label, seL4_InvalidCapability);
        CHECK_EQ(f.served, 0);
        expect_count(n, 0);
    }
    threads_end();
}

/* GrantReply alone lets the caller wait for the answer: fast. Neither Grant nor
 * GrantReply: the message goes, the caller is left inactive and lends nothing, so the
 * passive server cannot even run (slow path, endpoint.c). */
SYSTEST(fastpath_call_needs_grant_or_grant_reply)
{
    if (!threads_begin()) {
        return;
    }
    if (server_start()) {
        f.call_ep = cap_mint(f.recv_ep, RIGHT_W | RIGHT_GR, 0);
        seL4_Word n = one_call(1, NULL);
        check_answer(0, 1);
        expect_count(n, 2);
    }
    threads_end();

    if (!threads_begin()) {
        return;
    }
    if (server_start()) {
        f.call_ep = cap_mint(f.recv_ep, RIGHT_W, 0);
        seL4_Word before = kairos_debug_fastpath_count();
        struct thread *c = ipc_spawn(client, 1, PRIO_LOW);
        root_background_us(IPC_QUIET_US);
        CHECK(c && !c->finished);
        CHECK_EQ(f.served, 0);
        expect_count(kairos_debug_fastpath_count() - before, 0);
    }
    threads_end();
}

/* ---- The message ------------------------------------------------------------------------ */

/* A length above seL4_MsgMaxLength is cut to it by the slow path; the answer (120 words)
 * comes back fast. */
SYSTEST(fastpath_slow_call_longer_than_the_buffer)
{
    if (!threads_begin()) {
        return;
    }
    if (server_start()) {
        seL4_Word n = one_call(MAX_WORDS + 1, NULL);
        CHECK_EQ(f.got_length[0], MAX_WORDS);
        check_answer(0, MAX_WORDS);
        expect_count(n, 1);
    }
    threads_end();
}

/* A cap in the message: the slow path (the server offers no receive slot, so the cap is
 * not transferred and extraCaps arrives as 0); the answer comes back fast. */
SYSTEST(fastpath_slow_call_with_a_cap)
{
    if (!threads_begin()) {
        return;
    }
    if (server_start()) {
        f.extra_cap = f.hold;
        seL4_Word n = one_call(1, NULL);
        CHECK_EQ(f.served, 1);
        CHECK_EQ(f.got_extra[0], 0);
        CHECK_EQ(f.got_word[0], MSG_BASE);
        check_answer(0, 1);
        expect_count(n, 1);
    }
    threads_end();
}

/* ---- The partner ------------------------------------------------------------------------ */

/* A server with a context of its own (not passive): nothing to donate, both ways slow,
 * the same answer. */
SYSTEST(fastpath_slow_for_a_server_with_its_own_context)
{
    if (!threads_begin()) {
        return;
    }
    reset();
    f.recv_ep = f.call_ep = ep_new();
    f.reply = reply_new();
    struct thread *s = f.recv_ep && f.reply ? ipc_spawn(echo_server, 0, PRIO_MID) : NULL;
    if (s && wait_for(&f.server_ready)) {
        seL4_Word n = one_call(3, NULL);
        check_answer(0, 3);
        expect_count(n, 0);
    }
    threads_end();
}

/* A passive server that receives without a reply object (Wait): the Call cannot wait for
 * an answer, so the caller is left inactive and the server gets no context to run on. */
static void wait_server(seL4_Word unused)
{
    (void)unused;
    seL4_Word badge;
    f.server_ready = 1;
    seL4_Wait(f.recv_ep, &badge);
    f.served = 1;
}

SYSTEST(fastpath_slow_for_a_server_without_a_reply_object)
{
    if (!threads_begin()) {
        return;
    }
    reset();
    f.recv_ep = f.call_ep = ep_new();
    struct thread *s = f.recv_ep ? passive_spawn(wait_server, 0, PRIO_MID, &f.server_ready) : NULL;
    if (s) {
        seL4_Word before = kairos_debug_fastpath_count();
        struct thread *c = ipc_spawn(client, 1, PRIO_LOW);
        root_background_us(IPC_QUIET_US);
        CHECK(c && !c->finished);
        CHECK_EQ(f.served, 0);
        /* Given a context, the server runs: it did get the message. */
        CHECK_EQ(seL4_SchedContext_Bind(s->sc, s->tcb), seL4_NoError);
        CHECK(wait_for(&s->finished));
        CHECK_EQ(f.served, 1);
        expect_count(kairos_debug_fastpath_count() - before, 0);
    }
    threads_end();
}

/* A second client of the same priority arrives while the server works (it waits on `hold`
 * holding the first client's context): the server's ReplyRecv finds a sender queued, so it
 * takes the slow path and picks that sender up at once. Its answer to the second client is
 * slow too: the first client, runnable again at the same priority, is ahead of it in the
 * ready queue and must run first (FIFO), which a switch straight to the second would break. */
SYSTEST(fastpath_slow_reply_with_a_sender_waiting_and_an_equal_ready)
{
    if (!threads_begin()) {
        return;
    }
    if (server_start()) {
        f.holds = 1;
        seL4_Word before = kairos_debug_fastpath_count();
        struct thread *a = ipc_spawn(client, 2, PRIO_LOW);
        struct thread *b = ipc_spawn(client, 2 | 1u << 8, PRIO_LOW);
        root_background_us(IPC_QUIET_US);
        CHECK_EQ(f.served, 1);
        seL4_Signal(f.hold);
        CHECK(a && b && wait_for(&a->finished) && wait_for(&b->finished));
        CHECK_EQ(f.served, 2);
        check_answer(0, 2);
        check_answer(1, 2);
        CHECK_EQ(ans[0].order, 1);
        CHECK_EQ(ans[1].order, 2);
        /* Only the first Call was fast. */
        expect_count(kairos_debug_fastpath_count() - before, 1);
    }
    threads_end();
}

/* A pending signal on the server's bound notification: the receive half of its ReplyRecv
 * would take it instead of blocking, so the slow path does both halves. The client still
 * gets its answer; the server next sees the signal's badge. */
SYSTEST(fastpath_slow_reply_with_a_bound_signal_pending)
{
    if (!threads_begin()) {
        return;
    }
    struct thread *s = server_start();
    seL4_CPtr n_cap = s ? ntfn_new() : 0;
    if (s && n_cap) {
        CHECK_EQ(seL4_TCB_BindNotification(s->tcb, n_cap), seL4_NoError);
        f.self_signal = cap_mint(n_cap, RIGHT_W, SIGNAL_BADGE);
        f.signal_first = true;
        seL4_Word n = one_call(1, NULL);
        check_answer(0, 1);
        /* The server saw the signal: it needs a context to get there, which the client's
         * return took away; lend it one. */
        CHECK_EQ(seL4_SchedContext_Bind(s->sc, s->tcb), seL4_NoError);
        root_background_us(IPC_QUIET_US);
        CHECK_EQ(f.served, 2);
        CHECK_EQ(f.got_badge[1], SIGNAL_BADGE);
        expect_count(n, 1);
    }
    threads_end();
}

/* ---- Faults ----------------------------------------------------------------------------- */

/* A fault message is never a fast Call, and the answer to one never a fast reply: the
 * passive handler's ReplyRecv finds its caller with a fault pending, and the slow path
 * restarts the faulter where the reply says (past its undefined instruction). */
static volatile seL4_Word udf_result;

static void udf_faulter(seL4_Word unused)
{
    (void)unused;
    udf_result = ipc_raw_udf();
}

static void udf_handler(seL4_Word unused)
{
    (void)unused;
    seL4_Word badge;
    f.server_ready = 1;
    seL4_MessageInfo_t info = seL4_Recv(f.recv_ep, &badge, f.reply);
    for (;;) {
        f.served = f.served + 1;
        f.got_label[0] = seL4_MessageInfo_get_label(info);
        seL4_SetMR(0, seL4_GetMR(seL4_UserException_FaultIP) + 4);
        seL4_SetMR(1, seL4_GetMR(seL4_UserException_SP));
        seL4_SetMR(2, seL4_GetMR(seL4_UserException_SPSR));
        info = seL4_ReplyRecv(f.recv_ep, seL4_MessageInfo_new(0, 0, 0, 3), &badge, f.reply);
    }
}

SYSTEST(fastpath_slow_reply_to_a_fault)
{
    if (!threads_begin()) {
        return;
    }
    reset();
    udf_result = 0;
    f.recv_ep = ep_new();
    f.reply = reply_new();
    struct thread *h =
        f.recv_ep && f.reply ? passive_spawn(udf_handler, 0, PRIO_MID, &f.server_ready) : NULL;
    struct thread *t = h ? thread_create(udf_faulter, 0, PRIO_LOW) : NULL;
    if (t) {
        CHECK_EQ(seL4_TCB_SetSpace(t->tcb, f.recv_ep, ROOT, 0, seL4_CapInitThreadVSpace, 0),
                 seL4_NoError);
        seL4_Word before = kairos_debug_fastpath_count();
        CHECK(thread_give_sc(t, RR_US, RR_US, 0));
        thread_resume(t);
        CHECK(wait_for(&t->finished));
        CHECK_EQ(udf_result, 0x600d);
        CHECK_EQ(f.served, 1);
        CHECK_EQ(f.got_label[0], seL4_Fault_UserException);
        expect_count(kairos_debug_fastpath_count() - before, 0);
    }
    threads_end();
}
