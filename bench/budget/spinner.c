/* The budget benchmark's spinner thread: it spins reading the virtual counter and records
 * when it ran. A jump between two consecutive reads larger than spin_trace.gap means the
 * thread was not running in between (kernel entry, preemption, budget exhausted), so each
 * stretch between such jumps is one run. The loop is ~9 instructions, under one tick with
 * QEMU's icount (16 instructions per tick), so the trace is exact to a tick. */
#include <sel4/invocation.h>

#include "budget.h"

struct spin_trace spin_trace;
uint8_t spin_stack[SPIN_STACK_BYTES] __attribute__((aligned(16)));

/* TCB_Suspend on our own cap, through the register-only form of the stub so that no path
 * touches an IPC buffer or TLS (this thread has neither). Returns only on failure. */
static void suspend_self(seL4_CPtr self)
{
    seL4_Word m0 = 0, m1 = 0, m2 = 0, m3 = 0;
    (void)seL4_CallWithMRs(self, seL4_MessageInfo_new(TCBSuspend, 0, 0, 0), &m0, &m1, &m2, &m3);
}

void spin_main(void)
{
    struct spin_trace *tr = &spin_trace;
    const uint64_t gap = tr->gap;
    const uint64_t t0 = kairos_counter_now();
    const uint64_t stop = t0 + tr->length;
    uint64_t start = t0, prev = t0, now;
    uint32_t n = 0, lost = 0;

    tr->t0 = t0;
    tr->state = SPIN_RUNNING;
    do {
        now = kairos_counter_now();
        if (now - prev > gap) {
            if (n < SPIN_MAX_RUNS) {
                tr->runs[n].start = start;
                tr->runs[n].end = prev;
                n++;
            } else {
                lost++;
            }
            start = now;
        }
        prev = now;
    } while (now < stop);
    if (n < SPIN_MAX_RUNS) {
        tr->runs[n].start = start;
        tr->runs[n].end = prev;
        n++;
    } else {
        lost++;
    }
    tr->count = n;
    tr->overflow = lost;
    __atomic_store_n(&tr->state, SPIN_DONE, __ATOMIC_RELEASE);
    suspend_self(tr->self);
    /* Still here: the root task must learn it, and it runs only when we do not. */
    __atomic_store_n(&tr->state, SPIN_SUSPEND_FAILED, __ATOMIC_RELEASE);
    for (;;) {
        seL4_Yield();
    }
}
