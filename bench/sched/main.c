/* Scheduler latency (`make bench`, docs/benchmarks.md), the FPU disabled in both threads:
 *   - seL4_Yield with a thread of the same priority ready: from our counter read just
 *     before the Yield to the other's just after it gets the CPU;
 *   - seL4_Yield with nobody to switch to: the Yield itself;
 *   - seL4_SchedContext_YieldTo the context of a thread of the same priority: from our
 *     counter read to that thread running (it yields back with seL4_Yield). */
#include "../lib/bench.h"

#define ME_PRIO 253

static seL4_IPCBuffer peer_buffer __attribute__((aligned(BENCH_PAGE_BYTES)));
static uint8_t peer_stack[BENCH_STACK_BYTES] __attribute__((aligned(16)));

static struct {
    volatile uint64_t sent;
    uint64_t got[BENCH_ROUNDS];
    volatile unsigned int round;
} b;

static uint64_t samples[BENCH_SAMPLES];

static BENCH_NO_FPU void yield_peer(void)
{
    for (;;) {
        b.got[b.round] = bench_ccnt() - b.sent;
        seL4_Yield();
    }
}

static BENCH_NO_FPU void measure_yield(uint64_t overhead)
{
    for (unsigned int r = 0; r < BENCH_ROUNDS; r++) {
        b.round = r;
        b.sent = bench_ccnt();
        seL4_Yield();
        bench_keep(samples, r, b.got[r], overhead);
    }
}

static BENCH_NO_FPU void measure_yield_alone(uint64_t overhead)
{
    for (unsigned int r = 0; r < BENCH_ROUNDS; r++) {
        uint64_t t0 = bench_ccnt();
        seL4_Yield();
        uint64_t t1 = bench_ccnt();
        bench_keep(samples, r, t1 - t0, overhead);
    }
}

static BENCH_NO_FPU int measure_yield_to(seL4_CPtr peer_sc, uint64_t overhead)
{
    for (unsigned int r = 0; r < BENCH_ROUNDS; r++) {
        b.round = r;
        b.sent = bench_ccnt();
        seL4_SchedContext_YieldTo_t y = seL4_SchedContext_YieldTo(peer_sc);
        if (y.error) {
            return y.error;
        }
        bench_keep(samples, r, b.got[r], overhead);
    }
    return seL4_NoError;
}

static int rows(seL4_CPtr peer, seL4_CPtr peer_sc, uint64_t overhead)
{
    BENCH_TRY(bench_fpu(peer, false));
    seL4_Yield(); /* the peer's first run, which records nothing we keep */
    BENCH_TRY(bench_fpu(seL4_CapInitThreadTCB, false));
    measure_yield(overhead);
    BENCH_TRY(bench_fpu(seL4_CapInitThreadTCB, true));
    bench_report(&(struct bench_row){"sched", "seL4_Yield", "with a switch", ME_PRIO, ME_PRIO, 0,
                                     true, false, 0},
                 samples);

    BENCH_TRY(bench_fpu(seL4_CapInitThreadTCB, false));
    int err = measure_yield_to(peer_sc, overhead);
    BENCH_TRY(bench_fpu(seL4_CapInitThreadTCB, true));
    BENCH_TRY(err);
    bench_report(&(struct bench_row){"sched", "seL4_SchedContext_YieldTo", "to the same priority",
                                     ME_PRIO, ME_PRIO, 0, true, false, 0},
                 samples);

    BENCH_TRY(seL4_TCB_Suspend(peer));
    BENCH_TRY(bench_fpu(seL4_CapInitThreadTCB, false));
    measure_yield_alone(overhead);
    BENCH_TRY(bench_fpu(seL4_CapInitThreadTCB, true));
    bench_report(&(struct bench_row){"sched", "seL4_Yield", "no switch", ME_PRIO, ME_PRIO, 0, true,
                                     false, 0},
                 samples);
    return seL4_NoError;
}

int main(void)
{
    seL4_CPtr peer_sc = 0, peer = 0;
    int err = seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, ME_PRIO);
    if (!err) {
        peer = bench_thread(yield_peer, peer_stack + BENCH_STACK_BYTES, &peer_buffer, ME_PRIO,
                            &peer_sc);
    }
    uint64_t overhead = bench_counter_cost();
    err = peer ? rows(peer, peer_sc, overhead) : seL4_NotEnoughMemory;
    return bench_end("sched", err, overhead);
}
