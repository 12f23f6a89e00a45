/* Notification latency (`make bench`, docs/benchmarks.md), the FPU disabled in both threads:
 *   - seL4_Signal to a thread waiting at a higher priority: from our counter read just
 *     before the Signal to the waiter's just after its Wait returns (it preempts us);
 *   - seL4_Signal to a waiter at a lower and at the same priority: the Signal itself (the
 *     waiter becomes ready and runs later);
 *   - seL4_Wait on a notification that already has a signal: the Wait itself. */
#include "../lib/bench.h"

#define ME_PRIO 253

static seL4_IPCBuffer peer_buffer __attribute__((aligned(BENCH_PAGE_BYTES)));
static uint8_t peer_stack[BENCH_STACK_BYTES] __attribute__((aligned(16)));

static struct {
    seL4_CPtr ntfn, back;
    volatile uint64_t sent;
    uint64_t got[BENCH_ROUNDS];
    volatile unsigned int round;
} b;

static uint64_t samples[BENCH_SAMPLES];

/* Above us: records how long after b.sent it got the signal. */
static BENCH_NO_FPU void high_waiter(void)
{
    seL4_Word badge, m0 = 0, m1 = 0, m2 = 0, m3 = 0;
    for (;;) {
        (void)seL4_WaitWithMRs(b.ntfn, &badge, &m0, &m1, &m2, &m3);
        b.got[b.round] = bench_ccnt() - b.sent;
    }
}

/* Below or beside us: tells us it waits again, and waits, in one call. */
static BENCH_NO_FPU void other_waiter(void)
{
    seL4_Word badge, m0 = 0, m1 = 0, m2 = 0, m3 = 0;
    for (;;) {
        (void)seL4_NBSendWaitWithMRs(b.back, seL4_MessageInfo_new(0, 0, 0, 0), b.ntfn, &badge, &m0,
                                     &m1, &m2, &m3);
    }
}

static BENCH_NO_FPU void measure_to_higher(uint64_t overhead)
{
    for (unsigned int r = 0; r < BENCH_ROUNDS; r++) {
        b.round = r;
        b.sent = bench_ccnt();
        seL4_Signal(b.ntfn);
        bench_keep(samples, r, b.got[r], overhead);
    }
}

/* The Signal alone; then we wait for the waiter to be back in its Wait. */
static BENCH_NO_FPU void measure_to_other(uint64_t overhead)
{
    seL4_Word badge, m0 = 0, m1 = 0, m2 = 0, m3 = 0;
    (void)seL4_WaitWithMRs(b.back, &badge, &m0, &m1, &m2, &m3);
    for (unsigned int r = 0; r < BENCH_ROUNDS; r++) {
        uint64_t t0 = bench_ccnt();
        seL4_Signal(b.ntfn);
        uint64_t t1 = bench_ccnt();
        bench_keep(samples, r, t1 - t0, overhead);
        (void)seL4_WaitWithMRs(b.back, &badge, &m0, &m1, &m2, &m3);
    }
}

static BENCH_NO_FPU void measure_wait_pending(uint64_t overhead)
{
    seL4_Word badge, m0 = 0, m1 = 0, m2 = 0, m3 = 0;
    for (unsigned int r = 0; r < BENCH_ROUNDS; r++) {
        seL4_Signal(b.ntfn);
        uint64_t t0 = bench_ccnt();
        (void)seL4_WaitWithMRs(b.ntfn, &badge, &m0, &m1, &m2, &m3);
        uint64_t t1 = bench_ccnt();
        bench_keep(samples, r, t1 - t0, overhead);
    }
}

static int rows(seL4_CPtr peer, uint64_t overhead)
{
    static const struct {
        int prio;
        const char *direction;
    } others[] = {{ME_PRIO - 1, "to lower"}, {ME_PRIO, "to same priority"}};
    BENCH_TRY(bench_fpu(peer, false));
    BENCH_TRY(bench_fpu(seL4_CapInitThreadTCB, false));
    measure_to_higher(overhead);
    BENCH_TRY(bench_fpu(seL4_CapInitThreadTCB, true));
    bench_report(&(struct bench_row){"signal", "seL4_Signal", "to higher", ME_PRIO, ME_PRIO + 1, 0,
                                     true, false, 0},
                 samples);
    for (unsigned int i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
        BENCH_TRY(
            bench_restart(peer, others[i].prio, other_waiter, peer_stack + BENCH_STACK_BYTES));
        BENCH_TRY(bench_fpu(seL4_CapInitThreadTCB, false));
        measure_to_other(overhead);
        BENCH_TRY(bench_fpu(seL4_CapInitThreadTCB, true));
        bench_report(&(struct bench_row){"signal", "seL4_Signal", others[i].direction, ME_PRIO,
                                         others[i].prio, 0, true, false, 0},
                     samples);
    }
    BENCH_TRY(seL4_TCB_Suspend(peer));
    BENCH_TRY(bench_fpu(seL4_CapInitThreadTCB, false));
    measure_wait_pending(overhead);
    BENCH_TRY(bench_fpu(seL4_CapInitThreadTCB, true));
    bench_report(&(struct bench_row){"signal", "seL4_Wait", "signal already pending", ME_PRIO,
                                     ME_PRIO, 0, true, false, 0},
                 samples);
    return seL4_NoError;
}

int main(void)
{
    seL4_CPtr ut = bench_untyped(16), sc, peer = 0;
    b.ntfn = ut ? bench_object(ut, seL4_NotificationObject, 0) : 0;
    b.back = b.ntfn ? bench_object(ut, seL4_EndpointObject, 0) : 0;
    int err = seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, ME_PRIO);
    if (b.back && !err) {
        peer = bench_thread(high_waiter, peer_stack + BENCH_STACK_BYTES, &peer_buffer, ME_PRIO + 1,
                            &sc);
    }
    uint64_t overhead = bench_counter_cost();
    err = peer ? rows(peer, overhead) : seL4_NotEnoughMemory;
    return bench_end("signal", err, overhead);
}
