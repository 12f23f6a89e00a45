/* Fault latency (`make bench`, docs/benchmarks.md), the FPU disabled in both threads:
 *   - the fault round trip: a thread executes an undefined instruction, its fault handler
 *     (us) receives the UserException message, answers with the address after it, and the
 *     thread goes on: faulter->handler (its counter read just before the instruction to
 *     ours after our receive returns), handler->faulter (ours just before the ReplyRecv to
 *     its after the instruction), and the two together;
 *   - timeout-fault delivery: a thread spinning on a 100 µs budget every 1 ms, with us as
 *     its timeout handler: from its last counter read before the budget ran out to ours
 *     after our receive returns. */
#include "../lib/bench.h"

#define ME_PRIO 253
#define AARCH64_INSN_BYTES 4
#define TIMEOUT_BUDGET_US 100
#define TIMEOUT_PERIOD_US 1000
#define TIMEOUT_SC_BITS 8

static seL4_IPCBuffer peer_buffer __attribute__((aligned(BENCH_PAGE_BYTES)));
static uint8_t peer_stack[BENCH_STACK_BYTES] __attribute__((aligned(16)));

static struct {
    seL4_CPtr ep, reply;
    volatile uint64_t sent, replied, last;
    uint64_t back[BENCH_ROUNDS];
    volatile unsigned int round;
} b;

static uint64_t to_handler[BENCH_SAMPLES], to_faulter[BENCH_SAMPLES], round_trip[BENCH_SAMPLES];

/* An undefined instruction at a known place, forever; the handler skips it each time. */
static BENCH_NO_FPU void faulter(void)
{
    for (;;) {
        b.sent = bench_ccnt();
        __asm__ volatile("udf #0" ::: "memory");
        b.back[b.round] = bench_ccnt() - b.replied;
    }
}

/* Spins publishing the counter until a timeout fault stops it; each reply resumes it. */
static BENCH_NO_FPU void spinner(void)
{
    for (;;) {
        b.last = bench_ccnt();
    }
}

/* Round r: fault r arrives, we answer it; the faulter's record of answer r - 1 is in by
 * then. The last fault stays unanswered. */
static BENCH_NO_FPU void measure_faults(uint64_t overhead)
{
    seL4_Word badge, m0 = 0, m1 = 0, m2 = 0, m3 = 0;
    (void)seL4_RecvWithMRs(b.ep, &badge, b.reply, &m0, &m1, &m2, &m3);
    for (unsigned int r = 0;; r++) {
        uint64_t now = bench_ccnt();
        if (r > 0) {
            bench_keep(to_faulter, r - 1, b.back[r - 1], overhead);
        }
        if (r == BENCH_ROUNDS) {
            return;
        }
        bench_keep(to_handler, r, now - b.sent, overhead);
        /* UserException reply: MR0 is the new FaultIP (m0 holds the old one). */
        m0 += AARCH64_INSN_BYTES;
        b.round = r;
        b.replied = bench_ccnt();
        (void)seL4_ReplyRecvWithMRs(b.ep, seL4_MessageInfo_new(0, 0, 0, 1), &badge, &m0, &m1, &m2,
                                    &m3, b.reply);
    }
}

static BENCH_NO_FPU void measure_timeouts(uint64_t overhead, uint64_t *out)
{
    seL4_Word badge, m0 = 0, m1 = 0, m2 = 0, m3 = 0;
    (void)seL4_RecvWithMRs(b.ep, &badge, b.reply, &m0, &m1, &m2, &m3);
    for (unsigned int r = 0; r < BENCH_ROUNDS; r++) {
        uint64_t now = bench_ccnt();
        bench_keep(out, r, now - b.last, overhead);
        /* Label 0, no registers: the thread resumes with its next refill. */
        (void)seL4_ReplyRecvWithMRs(b.ep, seL4_MessageInfo_new(0, 0, 0, 0), &badge, &m0, &m1, &m2,
                                    &m3, b.reply);
    }
}

static int rows(seL4_CPtr peer, seL4_CPtr peer_sc, uint64_t overhead)
{
    BENCH_TRY(bench_fpu(peer, false));
    BENCH_TRY(
        seL4_TCB_SetSpace(peer, b.ep, seL4_CapInitThreadCNode, 0, seL4_CapInitThreadVSpace, 0));
    /* Restarted first: bench_restart is built with the FPU, which we are about to lose. */
    BENCH_TRY(bench_restart(peer, ME_PRIO, faulter, peer_stack + BENCH_STACK_BYTES));
    BENCH_TRY(bench_fpu(seL4_CapInitThreadTCB, false));
    measure_faults(overhead);
    BENCH_TRY(bench_fpu(seL4_CapInitThreadTCB, true));
    for (unsigned int i = 0; i < BENCH_SAMPLES; i++) {
        round_trip[i] = to_handler[i] + to_faulter[i];
    }
    bench_report(&(struct bench_row){"fault", "fault round trip", "faulter->handler->faulter",
                                     ME_PRIO, ME_PRIO, 0, true, false, 0},
                 round_trip);
    bench_report(&(struct bench_row){"fault", "fault", "faulter->handler", ME_PRIO, ME_PRIO, 0,
                                     true, false, 0},
                 to_handler);
    bench_report(&(struct bench_row){"fault", "fault reply", "handler->faulter", ME_PRIO, ME_PRIO,
                                     0, true, false, 0},
                 to_faulter);

    /* The same thread as a spinner with a timeout handler and a budget it overruns. */
    BENCH_TRY(seL4_TCB_Suspend(peer));
    BENCH_TRY(seL4_TCB_SetTimeoutEndpoint(peer, b.ep));
    BENCH_TRY(seL4_SchedControl_ConfigureFlags(seL4_GetBootInfo()->schedcontrol.start, peer_sc,
                                               TIMEOUT_BUDGET_US, TIMEOUT_PERIOD_US, 0, 0,
                                               seL4_SchedContext_NoFlag));
    BENCH_TRY(bench_restart(peer, ME_PRIO + 1, spinner, peer_stack + BENCH_STACK_BYTES));
    BENCH_TRY(bench_fpu(seL4_CapInitThreadTCB, false));
    measure_timeouts(overhead, to_handler);
    BENCH_TRY(bench_fpu(seL4_CapInitThreadTCB, true));
    bench_report(&(struct bench_row){"fault", "timeout fault", "budget end->handler", ME_PRIO + 1,
                                     ME_PRIO, 0, true, false, 0},
                 to_handler);
    return seL4_TCB_Suspend(peer);
}

int main(void)
{
    seL4_CPtr ut = bench_untyped(16), peer_sc = 0, peer = 0;
    b.ep = ut ? bench_object(ut, seL4_EndpointObject, 0) : 0;
    b.reply = b.ep ? bench_object(ut, seL4_ReplyObject, 0) : 0;
    int err = seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, ME_PRIO);
    if (b.reply && !err) {
        /* Parked until a row starts it: a thread of our priority that only waits. */
        peer = bench_thread(spinner, peer_stack + BENCH_STACK_BYTES, &peer_buffer, ME_PRIO - 1,
                            &peer_sc);
    }
    err = peer ? seL4_TCB_Suspend(peer) : seL4_NotEnoughMemory;
    uint64_t overhead = bench_counter_cost();
    if (!err) {
        err = rows(peer, peer_sc, overhead);
    }
    return bench_end("fault", err, overhead);
}
