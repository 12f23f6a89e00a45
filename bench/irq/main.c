/* Interrupt latency (`make bench`, docs/benchmarks.md): from a device interrupt to its
 * user-level handler running. The device is the EL1 physical timer (PPI 30), which EL0 may
 * program: we set its compare value a little ahead and wait on the notification its IRQ
 * handler cap signals; the latency is the physical count when our Wait returns minus the
 * compare value. Timer ticks are 16 ns, which under -icount shift=0 are 16 instructions:
 * the figures are in instructions at that resolution. Run twice: with the CPU idle when the
 * interrupt comes (the kernel's idle thread is interrupted) and with a lower-priority
 * thread spinning (a user thread is). */
#include "../lib/bench.h"

#define ME_PRIO 253
#define PHYS_TIMER_IRQ 30
#define CNTP_ENABLE 1ul
#define AHEAD_TICKS 200   /* when the timer fires after we arm it: we are waiting by then */
#define INSNS_PER_TICK 16 /* 62.5 MHz timer, one instruction per ns under icount */

static seL4_IPCBuffer peer_buffer __attribute__((aligned(BENCH_PAGE_BYTES)));
static uint8_t peer_stack[BENCH_STACK_BYTES] __attribute__((aligned(16)));

static seL4_CPtr irq, ntfn;
static uint64_t samples[BENCH_SAMPLES];

static inline uint64_t physical_count(void)
{
    uint64_t v;
    __asm__ volatile("isb; mrs %0, cntpct_el0" : "=r"(v)::"memory");
    return v;
}

static BENCH_NO_FPU void spinner(void)
{
    for (;;) {
    }
}

static BENCH_NO_FPU int measure(void)
{
    seL4_Word badge, m0 = 0, m1 = 0, m2 = 0, m3 = 0;
    for (unsigned int r = 0; r < BENCH_ROUNDS; r++) {
        uint64_t at = physical_count() + AHEAD_TICKS;
        __asm__ volatile("msr cntp_cval_el0, %0; msr cntp_ctl_el0, %1; isb" ::"r"(at),
                         "r"(CNTP_ENABLE));
        (void)seL4_WaitWithMRs(ntfn, &badge, &m0, &m1, &m2, &m3);
        uint64_t now = physical_count();
        __asm__ volatile("msr cntp_ctl_el0, xzr; isb");
        bench_keep(samples, r, (now - at) * INSNS_PER_TICK, 0);
        int err = seL4_IRQHandler_Ack(irq);
        if (err) {
            return err;
        }
    }
    return seL4_NoError;
}

static int row(const char *direction)
{
    BENCH_TRY(bench_fpu(seL4_CapInitThreadTCB, false));
    int err = measure();
    BENCH_TRY(bench_fpu(seL4_CapInitThreadTCB, true));
    BENCH_TRY(err);
    bench_report(
        &(struct bench_row){"irq", "interrupt", direction, ME_PRIO, ME_PRIO, 0, true, false, 0},
        samples);
    return seL4_NoError;
}

int main(void)
{
    seL4_CPtr ut = bench_untyped(16), sc = 0;
    ntfn = ut ? bench_object(ut, seL4_NotificationObject, 0) : 0;
    irq = bench_slot();
    int err = ntfn ? seL4_IRQControl_Get(seL4_CapIRQControl, PHYS_TIMER_IRQ,
                                         seL4_CapInitThreadCNode, irq, seL4_WordBits)
                   : seL4_NotEnoughMemory;
    if (!err) {
        err = seL4_IRQHandler_SetNotification(irq, ntfn);
    }
    if (!err) {
        err = seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, ME_PRIO);
    }
    if (!err) {
        err = row("device->handler (CPU idle)");
    }
    if (!err) {
        seL4_CPtr t =
            bench_thread(spinner, peer_stack + BENCH_STACK_BYTES, &peer_buffer, ME_PRIO - 1, &sc);
        err = t ? bench_fpu(t, false) : seL4_NotEnoughMemory;
        if (!err) {
            err = row("device->handler (a user thread running)");
        }
        if (t) {
            (void)seL4_TCB_Suspend(t);
        }
    }
    return bench_end("irq", err, 0);
}
