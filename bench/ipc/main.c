/* IPC latency (`make bench`, docs/benchmarks.md): one-way seL4_Call (client to server) and
 * seL4_ReplyRecv (server to client) with 0 to 10 message words, as sel4bench measures
 * them. The client reads the cycle counter just before its system call, the server just
 * after its own returns (and the other way round for the reply); the cost of a counter read
 * is subtracted, warm-up rounds are dropped. Under -icount the cycle counter counts
 * instructions. One JSON object per line, with sel4bench's field names:
 *   {"bench":"ipc","kernel":"kairos","Function":...,"IPC length":n,"Min":...,...}
 *   {"bench":"ipc","kind":"end","error":0}   the last line */
#include <kairos/stdio.h>
#include <sel4/sel4.h>
#include <stdbool.h>
#include <stdint.h>

#define CLIENT_PRIO 254
#define SERVER_PRIO 254
#define WARMUP 16
#define SAMPLES 64
#define ROUNDS (WARMUP + SAMPLES)
#define MIN_UNTYPED_BITS 16
#define SC_SIZE_BITS 8
/* The server's context: round robin, far longer than a run of the benchmark. */
#define SERVER_SLICE_US 100000
#define STACK_BYTES 4096
#define PAGE_BYTES 4096ul
#define COUNTER_READS 64

static const unsigned int lengths[] = {0, 1, 4, 10, seL4_MsgMaxLength};
#define NUM_LENGTHS (sizeof(lengths) / sizeof(lengths[0]))

/* The server's IPC buffer: a page of our own image, which BootInfo gives a frame cap for. */
static seL4_IPCBuffer server_buffer __attribute__((aligned(PAGE_BYTES)));
static uint8_t server_stack[STACK_BYTES] __attribute__((aligned(16)));
extern char __executable_start[];

static struct {
    seL4_CPtr ep, reply, ntfn, back;
    volatile uint64_t sent;       /* the client's counter just before Call */
    volatile uint64_t replied;    /* the server's counter just before ReplyRecv */
    uint64_t call[ROUNDS];        /* one way, client to server */
    volatile unsigned int length; /* words per message this run */
    volatile unsigned int round;
} b;

/* Code that never touches the FP/SIMD registers: what runs while the FPU is disabled. */
#define NO_FPU __attribute__((target("general-regs-only"), noinline))

static inline uint64_t ccnt(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, pmccntr_el0" : "=r"(v)::"memory");
    return v;
}

/* Answers every call with a message as long as the question. */
static NO_FPU void server_main(void)
{
    seL4_Word badge, m0 = 0, m1 = 0, m2 = 0, m3 = 0;
    seL4_MessageInfo_t info = seL4_RecvWithMRs(b.ep, &badge, b.reply, &m0, &m1, &m2, &m3);
    for (;;) {
        uint64_t now = ccnt();
        b.call[b.round] = now - b.sent;
        seL4_MessageInfo_t answer =
            seL4_MessageInfo_new(0, 0, 0, seL4_MessageInfo_get_length(info));
        b.replied = ccnt();
        info = seL4_ReplyRecvWithMRs(b.ep, answer, &badge, &m0, &m1, &m2, &m3, b.reply);
    }
}

/* The other families' peers: each records, in b.call[b.round], how long after b.sent it
 * got the CPU. */
static void record(void)
{
    uint64_t now = ccnt();
    b.call[b.round] = now - b.sent;
}

static void send_peer(void)
{
    seL4_Word badge, m0 = 0, m1 = 0, m2 = 0, m3 = 0;
    for (;;) {
        (void)seL4_RecvWithMRs(b.ep, &badge, b.reply, &m0, &m1, &m2, &m3);
        record();
    }
}

static void wait_peer(void)
{
    seL4_Word badge, m0 = 0, m1 = 0, m2 = 0, m3 = 0;
    for (;;) {
        (void)seL4_WaitWithMRs(b.ntfn, &badge, &m0, &m1, &m2, &m3);
        record();
    }
}

/* Below the signaller: tells it, and waits, in one call, so it is always waiting when the
 * signal comes. */
static void low_wait_peer(void)
{
    seL4_Word badge, m0 = 0, m1 = 0, m2 = 0, m3 = 0;
    for (;;) {
        (void)seL4_NBSendWaitWithMRs(b.back, seL4_MessageInfo_new(0, 0, 0, 0), b.ntfn, &badge, &m0,
                                     &m1, &m2, &m3);
    }
}

static void yield_peer(void)
{
    for (;;) {
        record();
        seL4_Yield();
    }
}

static uint64_t counter_cost(void)
{
    uint64_t best = UINT64_MAX;
    for (int i = 0; i < COUNTER_READS; i++) {
        uint64_t a = ccnt(), c = ccnt();
        best = c - a < best ? c - a : best;
    }
    return best;
}

static uint64_t isqrt(uint64_t x)
{
    uint64_t r = 0, bit = 1ull << 62;
    while (bit > x) {
        bit >>= 2;
    }
    while (bit) {
        if (x >= r + bit) {
            x -= r + bit;
            r = (r >> 1) + bit;
        } else {
            r >>= 1;
        }
        bit >>= 2;
    }
    return r;
}

static void sort(uint64_t *v, unsigned int n)
{
    for (unsigned int i = 1; i < n; i++) {
        uint64_t x = v[i];
        unsigned int j = i;
        for (; j > 0 && v[j - 1] > x; j--) {
            v[j] = v[j - 1];
        }
        v[j] = x;
    }
}

struct row {
    const char *bench, *function, *direction;
    int client_prio, server_prio;
    unsigned int length;
    bool fpu; /* both threads use the FPU, so every switch moves its state */
};

/* One result line from samples[0..SAMPLES) (sorted here). */
static void report(const struct row *w, uint64_t *samples)
{
    sort(samples, SAMPLES);
    uint64_t sum = 0;
    for (unsigned int i = 0; i < SAMPLES; i++) {
        sum += samples[i];
    }
    uint64_t mean = sum / SAMPLES, var = 0;
    for (unsigned int i = 0; i < SAMPLES; i++) {
        int64_t d = (int64_t)samples[i] - (int64_t)mean;
        var += (uint64_t)(d * d);
    }
    printf("{\"bench\":\"%s\",\"kind\":\"result\",\"kernel\":\"kairos\","
           "\"Function\":\"%s\",\"Direction\":\"%s\",\"Client Prio\":%d,\"Server Prio\":%d,"
           "\"Same vspace?\":true,\"FPU\":%s,\"IPC length\":%u,\"Min\":%lu,\"Max\":%lu,"
           "\"Median\":%lu,\"Mean\":%lu,\"Stddev\":%lu,\"Samples\":%d}\n",
           w->bench, w->function, w->direction, w->client_prio, w->server_prio,
           w->fpu ? "true" : "false", w->length,
           (unsigned long)samples[0], (unsigned long)samples[SAMPLES - 1],
           (unsigned long)samples[SAMPLES / 2], (unsigned long)mean,
           (unsigned long)isqrt(var / SAMPLES), SAMPLES);
}

#define TRY(expr)                                                                                  \
    do {                                                                                           \
        int err_ = (expr);                                                                         \
        if (err_ != seL4_NoError) {                                                                \
            printf("ipc: %s failed: error %d\n", #expr, err_);                                     \
            return err_;                                                                           \
        }                                                                                          \
    } while (0)

static int retype(seL4_CPtr ut, seL4_Word type, seL4_Word bits, seL4_CPtr slot)
{
    return seL4_Untyped_Retype(ut, type, bits, seL4_CapInitThreadCNode, 0, 0, slot, 1);
}

/* The server: a thread in our VSpace and CSpace at SERVER_PRIO, with its own context and an
 * IPC buffer (long messages need one), started to its first receive. */
static int setup(seL4_CPtr *tcb)
{
    const seL4_BootInfo *bi = seL4_GetBootInfo();
    seL4_CPtr slot = bi->empty.start, ut = seL4_CapNull;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start && !ut; i++) {
        if (!bi->untypedList[i].isDevice && bi->untypedList[i].sizeBits >= MIN_UNTYPED_BITS) {
            ut = bi->untyped.start + i;
        }
    }
    if (!ut) {
        return seL4_NotEnoughMemory;
    }
    seL4_CPtr sc = slot + 1;
    b.ep = slot + 2;
    b.reply = slot + 3;
    *tcb = slot;
    TRY(retype(ut, seL4_TCBObject, 0, slot));
    TRY(retype(ut, seL4_SchedContextObject, SC_SIZE_BITS, sc));
    TRY(retype(ut, seL4_EndpointObject, 0, b.ep));
    TRY(retype(ut, seL4_ReplyObject, 0, b.reply));
    b.ntfn = slot + 4;
    b.back = slot + 5;
    TRY(retype(ut, seL4_NotificationObject, 0, b.ntfn));
    TRY(retype(ut, seL4_NotificationObject, 0, b.back));
    seL4_CPtr frame = bi->userImageFrames.start +
                      ((seL4_Word)&server_buffer - (seL4_Word)__executable_start) / PAGE_BYTES;
    TRY(seL4_TCB_Configure(slot, seL4_CapInitThreadCNode, 0, seL4_CapInitThreadVSpace, 0,
                           (seL4_Word)&server_buffer, frame));
    TRY(seL4_SchedControl_ConfigureFlags(bi->schedcontrol.start, sc, SERVER_SLICE_US,
                                         SERVER_SLICE_US, 0, 0, seL4_SchedContext_NoFlag));
    TRY(seL4_TCB_SetSchedParams(slot, seL4_CapInitThreadTCB, SERVER_PRIO, SERVER_PRIO, sc,
                                seL4_CapNull));
    TRY(seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, CLIENT_PRIO));
    seL4_UserContext regs = {0};
    regs.pc = (seL4_Word)server_main;
    regs.sp = (seL4_Word)(server_stack + STACK_BYTES);
    return seL4_TCB_WriteRegisters(slot, 1, 0, sizeof(regs) / sizeof(seL4_Word), &regs);
}

/* The peer thread again, at prio with entry point entry. */
static int restart_peer(seL4_CPtr peer, int prio, void (*entry)(void))
{
    TRY(seL4_TCB_Suspend(peer));
    TRY(seL4_TCB_SetPriority(peer, seL4_CapInitThreadTCB, (seL4_Word)prio));
    seL4_UserContext regs = {0};
    regs.pc = (seL4_Word)entry;
    regs.sp = (seL4_Word)(server_stack + STACK_BYTES);
    return seL4_TCB_WriteRegisters(peer, 1, 0, sizeof(regs) / sizeof(seL4_Word), &regs);
}

static void collect(uint64_t *out, unsigned int r, uint64_t overhead)
{
    if (r >= WARMUP) {
        out[r - WARMUP] = b.call[r] - overhead;
    }
}

#define ME_PRIO 253 /* the root task in the Send, signal and yield rows */

/* Send to a higher-priority receiver; signals to a higher and to a lower waiter; Yield to
 * a thread of the same priority and with nobody to switch to. */
static int other_rows(seL4_CPtr peer, uint64_t overhead)
{
    static uint64_t s[SAMPLES];
    TRY(seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, ME_PRIO));

    TRY(restart_peer(peer, ME_PRIO + 1, send_peer));
    seL4_Yield();
    for (unsigned int r = 0; r < ROUNDS; r++) {
        b.round = r;
        b.sent = ccnt();
        seL4_Send(b.ep, seL4_MessageInfo_new(0, 0, 0, 0));
        collect(s, r, overhead);
    }
    report(&(struct row){"ipc", "seL4_Send", "client->server", ME_PRIO, ME_PRIO + 1, 0, true}, s);

    TRY(restart_peer(peer, ME_PRIO + 1, wait_peer));
    for (unsigned int r = 0; r < ROUNDS; r++) {
        b.round = r;
        b.sent = ccnt();
        seL4_Signal(b.ntfn);
        collect(s, r, overhead);
    }
    report(&(struct row){"signal", "seL4_Signal", "to higher", ME_PRIO, ME_PRIO + 1, 0, true}, s);

    TRY(restart_peer(peer, ME_PRIO - 1, low_wait_peer));
    seL4_Wait(b.back, NULL);
    for (unsigned int r = 0; r < ROUNDS; r++) {
        uint64_t t0 = ccnt();
        seL4_Signal(b.ntfn);
        uint64_t t1 = ccnt();
        if (r >= WARMUP) {
            s[r - WARMUP] = t1 - t0 - overhead;
        }
        seL4_Wait(b.back, NULL);
    }
    report(&(struct row){"signal", "seL4_Signal", "to lower", ME_PRIO, ME_PRIO - 1, 0, true}, s);

    TRY(restart_peer(peer, ME_PRIO, yield_peer));
    seL4_Yield();
    for (unsigned int r = 0; r < ROUNDS; r++) {
        b.round = r;
        b.sent = ccnt();
        seL4_Yield();
        collect(s, r, overhead);
    }
    report(&(struct row){"yield", "seL4_Yield", "with a switch", ME_PRIO, ME_PRIO, 0, true}, s);

    TRY(seL4_TCB_Suspend(peer));
    for (unsigned int r = 0; r < ROUNDS; r++) {
        uint64_t t0 = ccnt();
        seL4_Yield();
        uint64_t t1 = ccnt();
        if (r >= WARMUP) {
            s[r - WARMUP] = t1 - t0 - overhead;
        }
    }
    report(&(struct row){"yield", "seL4_Yield", "no switch", ME_PRIO, ME_PRIO, 0, true}, s);
    return seL4_NoError;
}

static uint64_t call_samples[NUM_LENGTHS][SAMPLES], reply_samples[NUM_LENGTHS][SAMPLES];

/* One-way Call and ReplyRecv for every length, samples into call_ and reply_samples. */
static NO_FPU void measure_calls(uint64_t overhead)
{
    for (unsigned int l = 0; l < NUM_LENGTHS; l++) {
        b.length = lengths[l];
        for (unsigned int i = 0; i < b.length; i++) {
            seL4_SetMR((int)i, i);
        }
        for (unsigned int r = 0; r < ROUNDS; r++) {
            b.round = r;
            seL4_MessageInfo_t info = seL4_MessageInfo_new(0, 0, 0, b.length);
            b.sent = ccnt();
            (void)seL4_Call(b.ep, info);
            uint64_t back = ccnt();
            if (r >= WARMUP) {
                call_samples[l][r - WARMUP] = b.call[r] - overhead;
                reply_samples[l][r - WARMUP] = back - b.replied - overhead;
            }
        }
    }
}

/* The Call and ReplyRecv rows, with the FPU switched at every IPC (both threads use it) or
 * with it disabled in both (seL4_TCBFlag_fpuDisabled: nothing to switch). */
static int call_rows(seL4_CPtr server, bool fpu, uint64_t overhead)
{
    seL4_Word flags = fpu ? 0 : seL4_TCBFlag_fpuDisabled;
    TRY(seL4_TCB_SetFlags(server, seL4_TCBFlag_fpuDisabled, flags).error);
    TRY(seL4_TCB_SetFlags(seL4_CapInitThreadTCB, seL4_TCBFlag_fpuDisabled, flags).error);
    measure_calls(overhead);
    TRY(seL4_TCB_SetFlags(seL4_CapInitThreadTCB, seL4_TCBFlag_fpuDisabled, 0).error);
    TRY(seL4_TCB_SetFlags(server, seL4_TCBFlag_fpuDisabled, 0).error);
    for (unsigned int l = 0; l < NUM_LENGTHS; l++) {
        struct row call = {"ipc", "seL4_Call", "client->server", CLIENT_PRIO, SERVER_PRIO,
                           lengths[l], fpu};
        struct row reply = {"ipc", "seL4_ReplyRecv", "server->client", CLIENT_PRIO,
                            SERVER_PRIO, lengths[l], fpu};
        report(&call, call_samples[l]);
        report(&reply, reply_samples[l]);
    }
    return seL4_NoError;
}

int main(void)
{
    seL4_CPtr server;
    int err = setup(&server);
    if (!err) {
        seL4_Yield(); /* the server runs to its first receive */
        /* Passive from now on: each Call lends it the client's context (donation). */
        err = seL4_SchedContext_Unbind(server + 1);
    }
    uint64_t overhead = counter_cost();
    if (!err) {
        err = call_rows(server, false, overhead);
    }
    if (!err) {
        err = call_rows(server, true, overhead);
    }
    if (!err) {
        /* The other rows' peers run on their own context again. */
        err = seL4_SchedContext_Bind(server + 1, server);
    }
    if (!err) {
        err = other_rows(server, overhead);
    }
    (void)seL4_TCB_Suspend(server);
    if (err) {
        printf("{\"bench\":\"ipc\",\"kind\":\"end\",\"error\":%d}\n", err);
        return 1;
    }
    printf("{\"bench\":\"ipc\",\"kind\":\"end\",\"error\":0,\"counter_overhead\":%lu}\n",
           (unsigned long)overhead);
    return 0;
}
