/* IPC latency (`make bench`, docs/benchmarks.md), as sel4bench measures it: one way, from
 * the sender's counter read just before its system call to the receiver's just after its
 * own returns.
 *   - seL4_Call (client to a passive server, which runs on the client's donated context)
 *     and seL4_ReplyRecv (back), 0 to 120 words, with the FPU disabled in both threads and
 *     with both using it (its state then moves at every switch); the same with a server
 *     that has a context of its own (no donation: the slow path);
 *   - seL4_Send from priority 253 to a receiver at 254;
 *   - seL4_NBSendRecv and seL4_NBSendWait ping-pong between two threads of one priority.
 * Priorities 254/254 unless a row says otherwise. */
#include "../lib/bench.h"

#define CLIENT_PRIO 254
#define SERVER_PRIO 254
#define ME_PRIO 253 /* the root task in the Send and ping-pong rows */

static const unsigned int lengths[] = {0, 1, 4, 10, seL4_MsgMaxLength};
#define NUM_LENGTHS (sizeof(lengths) / sizeof(lengths[0]))

static seL4_IPCBuffer server_buffer __attribute__((aligned(BENCH_PAGE_BYTES)));
static uint8_t server_stack[BENCH_STACK_BYTES] __attribute__((aligned(16)));

static struct {
    seL4_CPtr ep, reply, ep2, reply2;
    volatile uint64_t sent;    /* the sender's counter just before its system call */
    volatile uint64_t replied; /* the server's counter just before ReplyRecv */
    uint64_t call[BENCH_ROUNDS];
    volatile unsigned int round;
} b;

static uint64_t call_samples[NUM_LENGTHS][BENCH_SAMPLES], reply_samples[NUM_LENGTHS][BENCH_SAMPLES];
static uint64_t samples[BENCH_SAMPLES];

/* Answers every call with a message as long as the question. */
static BENCH_NO_FPU void server_main(void)
{
    seL4_Word badge, m0 = 0, m1 = 0, m2 = 0, m3 = 0;
    seL4_MessageInfo_t info = seL4_RecvWithMRs(b.ep, &badge, b.reply, &m0, &m1, &m2, &m3);
    for (;;) {
        uint64_t now = bench_ccnt();
        b.call[b.round] = now - b.sent;
        seL4_MessageInfo_t answer =
            seL4_MessageInfo_new(0, 0, 0, seL4_MessageInfo_get_length(info));
        b.replied = bench_ccnt();
        info = seL4_ReplyRecvWithMRs(b.ep, answer, &badge, &m0, &m1, &m2, &m3, b.reply);
    }
}

/* One-way Call and ReplyRecv for every length, into call_ and reply_samples. */
static BENCH_NO_FPU void measure_calls(uint64_t overhead)
{
    for (unsigned int l = 0; l < NUM_LENGTHS; l++) {
        for (unsigned int i = 0; i < lengths[l]; i++) {
            seL4_SetMR((int)i, i);
        }
        for (unsigned int r = 0; r < BENCH_ROUNDS; r++) {
            b.round = r;
            seL4_MessageInfo_t info = seL4_MessageInfo_new(0, 0, 0, lengths[l]);
            b.sent = bench_ccnt();
            (void)seL4_Call(b.ep, info);
            uint64_t back = bench_ccnt();
            bench_keep(call_samples[l], r, b.call[r], overhead);
            bench_keep(reply_samples[l], r, back - b.replied, overhead);
        }
    }
}

/* The Call and ReplyRecv rows (the first `lengths_run` lengths) with the FPU switched at
 * every IPC (both threads use it) or disabled in both (nothing to switch). */
static int call_rows(seL4_CPtr server, bool fpu, unsigned int lengths_run, bool passive,
                     bool same_vspace, uint64_t overhead)
{
    BENCH_TRY(bench_fpu(server, fpu));
    BENCH_TRY(bench_fpu(seL4_CapInitThreadTCB, fpu));
    measure_calls(overhead);
    BENCH_TRY(bench_fpu(seL4_CapInitThreadTCB, true));
    BENCH_TRY(bench_fpu(server, true));
    const char *to = passive ? "client->server" : "client->server (server with its own context)";
    const char *back = passive ? "server->client" : "server->client (server with its own context)";
    for (unsigned int l = 0; l < lengths_run; l++) {
        struct bench_row call = {"ipc",       "seL4_Call", to, CLIENT_PRIO, SERVER_PRIO, lengths[l],
                                 same_vspace, fpu,         0};
        struct bench_row reply = {
            "ipc", "seL4_ReplyRecv", back, CLIENT_PRIO, SERVER_PRIO, lengths[l], same_vspace, fpu,
            0};
        bench_report(&call, call_samples[l]);
        bench_report(&reply, reply_samples[l]);
    }
    return seL4_NoError;
}

/* ---- Send and the ping-pongs ------------------------------------------------------------ */

static BENCH_NO_FPU void send_peer(void)
{
    seL4_Word badge, m0 = 0, m1 = 0, m2 = 0, m3 = 0;
    for (;;) {
        (void)seL4_RecvWithMRs(b.ep, &badge, b.reply, &m0, &m1, &m2, &m3);
        b.call[b.round] = bench_ccnt() - b.sent;
    }
}

static BENCH_NO_FPU void measure_send(uint64_t overhead)
{
    for (unsigned int r = 0; r < BENCH_ROUNDS; r++) {
        b.round = r;
        b.sent = bench_ccnt();
        seL4_Send(b.ep, seL4_MessageInfo_new(0, 0, 0, 0));
        bench_keep(samples, r, b.call[r], overhead);
    }
}

/* The peer of a ping-pong: answers on ep with the same call it is measured with, and
 * records how long after b.sent it got the message. */
static BENCH_NO_FPU void nbsendrecv_peer(void)
{
    seL4_Word badge, m0 = 0, m1 = 0, m2 = 0, m3 = 0;
    (void)seL4_RecvWithMRs(b.ep2, &badge, b.reply, &m0, &m1, &m2, &m3);
    for (;;) {
        b.call[b.round] = bench_ccnt() - b.sent;
        b.sent = bench_ccnt();
        (void)seL4_NBSendRecvWithMRs(b.ep, seL4_MessageInfo_new(0, 0, 0, 0), b.ep2, &badge, &m0,
                                     &m1, &m2, &m3, b.reply);
    }
}

static BENCH_NO_FPU void nbsendwait_peer(void)
{
    seL4_Word badge, m0 = 0, m1 = 0, m2 = 0, m3 = 0;
    (void)seL4_WaitWithMRs(b.ep2, &badge, &m0, &m1, &m2, &m3);
    for (;;) {
        b.call[b.round] = bench_ccnt() - b.sent;
        b.sent = bench_ccnt();
        (void)seL4_NBSendWaitWithMRs(b.ep, seL4_MessageInfo_new(0, 0, 0, 0), b.ep2, &badge, &m0,
                                     &m1, &m2, &m3);
    }
}

/* Each round: we send to the peer waiting on ep2 and wait on ep; the peer, switched to
 * because we blocked, sends back. samples: us to the peer. */
static BENCH_NO_FPU void measure_ping_pong(bool with_reply, uint64_t overhead)
{
    seL4_Word badge, m0 = 0, m1 = 0, m2 = 0, m3 = 0;
    seL4_MessageInfo_t empty = seL4_MessageInfo_new(0, 0, 0, 0);
    for (unsigned int r = 0; r < BENCH_ROUNDS; r++) {
        b.round = r;
        b.sent = bench_ccnt();
        if (with_reply) {
            (void)seL4_NBSendRecvWithMRs(b.ep2, empty, b.ep, &badge, &m0, &m1, &m2, &m3, b.reply2);
        } else {
            (void)seL4_NBSendWaitWithMRs(b.ep2, empty, b.ep, &badge, &m0, &m1, &m2, &m3);
        }
        bench_keep(samples, r, b.call[r], overhead);
    }
}

static int other_rows(seL4_CPtr peer, uint64_t overhead)
{
    BENCH_TRY(seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, ME_PRIO));
    BENCH_TRY(bench_fpu(peer, false));
    BENCH_TRY(bench_restart(peer, ME_PRIO + 1, send_peer, server_stack + BENCH_STACK_BYTES));
    BENCH_TRY(bench_fpu(seL4_CapInitThreadTCB, false));
    measure_send(overhead);
    BENCH_TRY(bench_fpu(seL4_CapInitThreadTCB, true));
    bench_report(&(struct bench_row){"ipc", "seL4_Send", "client->server", ME_PRIO, ME_PRIO + 1, 0,
                                     true, false, 0},
                 samples);

    static const struct {
        void (*peer)(void);
        const char *function;
        bool with_reply;
    } pongs[] = {{nbsendrecv_peer, "seL4_NBSendRecv", true},
                 {nbsendwait_peer, "seL4_NBSendWait", false}};
    for (unsigned int i = 0; i < sizeof(pongs) / sizeof(pongs[0]); i++) {
        BENCH_TRY(bench_restart(peer, ME_PRIO, pongs[i].peer, server_stack + BENCH_STACK_BYTES));
        seL4_Yield(); /* the peer runs to its first receive */
        BENCH_TRY(bench_fpu(seL4_CapInitThreadTCB, false));
        measure_ping_pong(pongs[i].with_reply, overhead);
        BENCH_TRY(bench_fpu(seL4_CapInitThreadTCB, true));
        bench_report(&(struct bench_row){"ipc", pongs[i].function, "client->server", ME_PRIO,
                                         ME_PRIO, 0, true, false, 0},
                     samples);
    }
    return seL4_TCB_Suspend(peer);
}

int main(void)
{
    seL4_CPtr ut = bench_untyped(16), sc = 0, server = 0;
    b.ep = ut ? bench_object(ut, seL4_EndpointObject, 0) : 0;
    b.ep2 = b.ep ? bench_object(ut, seL4_EndpointObject, 0) : 0;
    b.reply = b.ep2 ? bench_object(ut, seL4_ReplyObject, 0) : 0;
    b.reply2 = b.reply ? bench_object(ut, seL4_ReplyObject, 0) : 0;
    if (b.reply2) {
        server = bench_thread(server_main, server_stack + BENCH_STACK_BYTES, &server_buffer,
                              SERVER_PRIO, &sc);
    }
    int err = server
                  ? seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, CLIENT_PRIO)
                  : seL4_NotEnoughMemory;
    uint64_t overhead = bench_counter_cost();
    if (!err) {
        /* With its own context first (the slow path), then passive: each Call lends it the
         * client's context (donation), the fastpath's case. */
        seL4_Yield(); /* the server runs to its first receive */
        err = call_rows(server, false, 1, false, true, overhead);
    }
    if (!err) {
        err = seL4_SchedContext_Unbind(sc);
    }
    if (!err) {
        err = call_rows(server, false, NUM_LENGTHS, true, true, overhead);
    }
    if (!err) {
        err = call_rows(server, true, NUM_LENGTHS, true, true, overhead);
    }
    /* The same with the server in a VSpace of its own: every IPC switches address space. */
    seL4_CPtr vspace = err ? 0 : bench_vspace();
    if (!err) {
        err = vspace ? bench_set_vspace(server, vspace) : seL4_NotEnoughMemory;
    }
    if (!err) {
        err = call_rows(server, false, NUM_LENGTHS, true, false, overhead);
    }
    if (!err) {
        err = call_rows(server, true, 1, true, false, overhead);
    }
    if (!err) {
        err = bench_set_vspace(server, seL4_CapInitThreadVSpace);
    }
    if (!err) {
        /* The other rows' peers run on their own context again. */
        err = seL4_SchedContext_Bind(sc, server);
    }
    if (!err) {
        err = other_rows(server, overhead);
    }
    return bench_end("ipc", err, overhead);
}
