/* The budget benchmark root task (`make bench`): how closely the kernel holds a spinning
 * thread to its scheduling context's budget. For each (budget, period) pair from 20 µs to
 * 100 ms, with and without seL4_SchedContext_Sporadic, one thread spins for a number of
 * periods at a priority above ours and traces when it ran (spinner.c); we run only while it
 * is out of budget, and read the trace once it has stopped itself, so the measurement does
 * not disturb what it measures. One JSON object per line on the console:
 *   {"bench":"budget","kind":"start",...}     the set-up
 *   {"bench":"budget","kind":"period",...}    executed time in each period window
 *   {"bench":"budget","kind":"summary",...}   one per configuration (docs/benchmarks.md)
 *   {"bench":"budget","kind":"end",...}       the last line; QEMU then exits with status 0
 *                                             when every configuration completed. */
#include <kairos/stdio.h>
#include <sel4/sel4.h>
#include <stdbool.h>
#include <stdint.h>

#include "budget.h"

/* Under our priority the spinner always preempts us; the root task starts at 255. */
#define ROOT_PRIO 100
#define SPIN_PRIO 200
/* A 1 KiB context: room for 56 extra refills; every configuration asks for 8. */
#define SC_SIZE_BITS 10
#define EXTRA_REFILLS 8
/* The objects come from a RAM untyped at least this large. */
#define MIN_UNTYPED_BITS 16
/* Counter reads further apart than this many ticks (64 instructions under icount, where
 * the spin loop takes ~9) mean the spinner was not running in between. */
#define GAP_TICKS 4
/* The root task checks its time limit once per this many polls of the spinner's state. */
#define POLLS_PER_COUNTER_READ 4096
#define NS_PER_S 1000000000ull
#define NS_PER_US 1000ull

struct config {
    uint32_t budget_us, period_us, periods;
};

/* Budget = period is a round-robin context (manual §6.1.8). Periods of 100 ms run for 10
 * windows, the rest for 20: about 7 s of guest time in all, ~30 s of wall time under icount. */
static const struct config configs[] = {
    {20, 100, 20},       {100, 1000, 20},     {1000, 10000, 20},    {5000, 20000, 20},
    {10000, 100000, 10}, {50000, 100000, 10}, {100000, 100000, 10},
};
#define NUM_CONFIGS (sizeof(configs) / sizeof(configs[0]))

static seL4_CPtr spin_tcb, spin_sc, sched_control;
static uint64_t freq;
/* prefix[i]: ticks executed in runs[0..i). */
static uint64_t prefix[SPIN_MAX_RUNS + 1];

static uint64_t ticks_to_ns(uint64_t t)
{
    return t / freq * NS_PER_S + t % freq * NS_PER_S / freq;
}

static uint64_t us_to_ticks(uint64_t us)
{
    return us * freq / (NS_PER_S / NS_PER_US);
}

/* `,"key":-12.345`: a signed nanosecond count as microseconds with three decimals. */
static void put_us(const char *key, int64_t ns)
{
    uint64_t a = ns < 0 ? (uint64_t)-ns : (uint64_t)ns;
    printf(",\"%s\":%s%lu.%03lu", key, ns < 0 ? "-" : "", (unsigned long)(a / NS_PER_US),
           (unsigned long)(a % NS_PER_US));
}

static void put_head(const char *kind, unsigned int index, const struct config *c, bool sporadic)
{
    printf("{\"bench\":\"budget\",\"kind\":\"%s\",\"config\":%u,\"label\":\"", kind, index);
    if (c->budget_us % 1000 == 0) {
        printf("%ums", c->budget_us / 1000);
    } else {
        printf("%uus", c->budget_us);
    }
    if (c->period_us % 1000 == 0) {
        printf("/%ums\"", c->period_us / 1000);
    } else {
        printf("/%uus\"", c->period_us);
    }
    printf(",\"budget_us\":%u,\"period_us\":%u,\"periods\":%u,\"sporadic\":%d", c->budget_us,
           c->period_us, c->periods, sporadic ? 1 : 0);
}

/* ---- analysis of a trace ------------------------------------------------------------ */

static uint64_t run_length(const struct spin_run *r)
{
    return r->end - r->start;
}

static void build_prefix(const struct spin_trace *tr)
{
    prefix[0] = 0;
    for (uint32_t i = 0; i < tr->count; i++) {
        prefix[i + 1] = prefix[i] + run_length(&tr->runs[i]);
    }
}

/* Ticks executed before counter value x (runs are sorted and disjoint). */
static uint64_t executed_before(const struct spin_trace *tr, uint64_t x)
{
    uint32_t lo = 0, hi = tr->count; /* find the first run starting at or after x */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (tr->runs[mid].start < x) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if (lo == 0) {
        return 0;
    }
    const struct spin_run *r = &tr->runs[lo - 1];
    uint64_t in = x - r->start;
    return prefix[lo - 1] + (in < run_length(r) ? in : run_length(r));
}

static uint64_t executed_in(const struct spin_trace *tr, uint64_t from, uint64_t to)
{
    return executed_before(tr, to) - executed_before(tr, from);
}

/* The most executed in any window of length p: the maximum of a sliding window over
 * piecewise-constant execution is reached with the window starting at a run's start or
 * ending at a run's end, so those are the only windows to try. */
static uint64_t worst_window(const struct spin_trace *tr, uint64_t p)
{
    uint64_t worst = 0;
    for (uint32_t i = 0; i < tr->count; i++) {
        const struct spin_run *r = &tr->runs[i];
        uint64_t a = executed_in(tr, r->start, r->start + p);
        uint64_t b = executed_in(tr, r->end > p ? r->end - p : 0, r->end);
        worst = a > worst ? a : worst;
        worst = b > worst ? b : worst;
    }
    return worst;
}

/* With one run per period (and the short run that stops the trace, which also starts at a
 * release), the releases are the starts of runs 1..periods (run 0 starts from our system
 * call, not from the kernel's timer): their mean interval in ns, which should be the period,
 * and the spread of the individual intervals in ticks. False when the runs do not line up
 * with the periods (a preemption or a kernel entry split a run). */
static bool release_stats(const struct spin_trace *tr, uint32_t periods, uint64_t *mean_ns,
                          uint64_t *spread)
{
    if (tr->count != periods + 1 || periods < 3) {
        return false;
    }
    uint64_t lo = UINT64_MAX, hi = 0;
    for (uint32_t k = 2; k <= periods; k++) {
        uint64_t interval = tr->runs[k].start - tr->runs[k - 1].start;
        lo = interval < lo ? interval : lo;
        hi = interval > hi ? interval : hi;
    }
    *mean_ns = ticks_to_ns(tr->runs[periods].start - tr->runs[1].start) / (periods - 1);
    *spread = hi - lo;
    return true;
}

/* ---- one configuration ---------------------------------------------------------------- */

struct result {
    const char *status;
    int error;
    uint64_t consumed_us;
};

/* Configures the context, starts the spinner and waits until it has stopped itself. */
static struct result run_spinner(const struct config *c, bool sporadic, unsigned int badge)
{
    struct result res = {"ok", 0, 0};
    struct spin_trace *tr = &spin_trace;
    int err = seL4_SchedControl_ConfigureFlags(
        sched_control, spin_sc, c->budget_us, c->period_us, EXTRA_REFILLS, badge,
        sporadic ? seL4_SchedContext_Sporadic : seL4_SchedContext_NoFlag);
    if (err != seL4_NoError) {
        return (struct result){"configure_failed", err, 0};
    }
    (void)seL4_SchedContext_Consumed(spin_sc); /* from zero */

    uint64_t length = us_to_ticks((uint64_t)c->period_us * c->periods);
    tr->self = spin_tcb;
    tr->length = length;
    tr->gap = GAP_TICKS;
    tr->count = 0;
    tr->overflow = 0;
    tr->state = SPIN_IDLE;
    seL4_UserContext regs = {0};
    regs.pc = (seL4_Word)spin_main;
    regs.sp = (seL4_Word)(spin_stack + SPIN_STACK_BYTES);
    uint64_t begin = kairos_counter_now();
    err = seL4_TCB_WriteRegisters(spin_tcb, 1, 0, sizeof(regs) / sizeof(seL4_Word), &regs);
    if (err != seL4_NoError) {
        return (struct result){"start_failed", err, 0};
    }
    /* From here on we run only while the spinner cannot. It should be done one trace length
     * after its start; give it three more periods and 10 ms before giving up. */
    uint64_t limit = begin + length + us_to_ticks(3ull * c->period_us + 10000);
    uint32_t state;
    for (uint64_t polls = 0; (state = __atomic_load_n(&tr->state, __ATOMIC_ACQUIRE)) < SPIN_DONE;
         polls++) {
        /* Counter reads are slow under icount; a plain load is not. */
        if (polls % POLLS_PER_COUNTER_READ == 0 && kairos_counter_now() > limit) {
            res.status = state == SPIN_IDLE ? "never_ran" : "timeout";
            break;
        }
    }
    if (state == SPIN_SUSPEND_FAILED) {
        res.status = "suspend_failed";
    }
    err = seL4_TCB_Suspend(spin_tcb);
    if (err != seL4_NoError) {
        res.status = "suspend_failed";
        res.error = err;
    }
    seL4_SchedContext_Consumed_t consumed = seL4_SchedContext_Consumed(spin_sc);
    res.consumed_us = consumed.error == seL4_NoError ? consumed.consumed : 0;
    if (tr->overflow) {
        res.status = "trace_overflow";
    }
    return res;
}

/* Runs one configuration and prints its period and summary lines; true when it completed. */
static bool bench_config(unsigned int index, bool sporadic)
{
    const struct config *c = &configs[index];
    const struct spin_trace *tr = &spin_trace;
    struct result res = run_spinner(c, sporadic, index * 2 + sporadic);
    bool traced = tr->state >= SPIN_DONE && tr->count > 0;

    uint64_t p = us_to_ticks(c->period_us), budget = us_to_ticks(c->budget_us);
    uint64_t total = 0, min = UINT64_MAX, max = 0, worst = 0, longest = 0;
    uint64_t release_ns = 0, release_spread = 0;
    bool released = false;
    if (traced) {
        build_prefix(tr);
        for (uint32_t k = 0; k < c->periods; k++) {
            uint64_t from = tr->t0 + k * p, e = executed_in(tr, from, from + p);
            total += e;
            min = e < min ? e : min;
            max = e > max ? e : max;
            put_head("period", index, c, sporadic);
            printf(",\"k\":%u", k);
            put_us("exec_us", (int64_t)ticks_to_ns(e));
            put_us("overrun_us", (int64_t)ticks_to_ns(e) - (int64_t)ticks_to_ns(budget));
            printf("}\n");
        }
        worst = worst_window(tr, p);
        released = release_stats(tr, c->periods, &release_ns, &release_spread);
        for (uint32_t i = 0; i < tr->count; i++) {
            longest = run_length(&tr->runs[i]) > longest ? run_length(&tr->runs[i]) : longest;
        }
    } else {
        min = 0;
    }

    put_head("summary", index, c, sporadic);
    printf(",\"round_robin\":%d,\"extra_refills\":%d,\"runs\":%u", c->budget_us == c->period_us,
           EXTRA_REFILLS, traced ? tr->count : 0);
    int64_t budget_ns = (int64_t)c->budget_us * (int64_t)NS_PER_US;
    put_us("min_exec_us", (int64_t)ticks_to_ns(min));
    put_us("mean_exec_us", (int64_t)ticks_to_ns(total / c->periods));
    put_us("max_exec_us", (int64_t)ticks_to_ns(max));
    put_us("worst_window_us", (int64_t)ticks_to_ns(worst));
    put_us("worst_overrun_us", traced ? (int64_t)ticks_to_ns(worst) - budget_ns : 0);
    put_us("max_run_us", (int64_t)ticks_to_ns(longest));
    put_us("traced_us", (int64_t)ticks_to_ns(total));
    if (released) {
        put_us("release_interval_us", (int64_t)release_ns);
        put_us("release_jitter_us", (int64_t)ticks_to_ns(release_spread));
    } else {
        printf(",\"release_interval_us\":null,\"release_jitter_us\":null");
    }
    printf(",\"consumed_us\":%lu,\"status\":\"%s\",\"error\":%d}\n", (unsigned long)res.consumed_us,
           res.status, res.error);
    return traced && res.status[0] == 'o';
}

/* ---- set-up -------------------------------------------------------------------------- */

/* The spinner's TCB and scheduling context, from the first RAM untyped of at least
 * MIN_UNTYPED_BITS (the small ones are leftovers around the boot images). */
static int create_objects(void)
{
    const seL4_BootInfo *bi = seL4_GetBootInfo();
    seL4_CPtr slot = bi->empty.start;
    spin_tcb = slot;
    spin_sc = slot + 1;
    sched_control = bi->schedcontrol.start;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        const seL4_UntypedDesc *u = &bi->untypedList[i];
        if (u->isDevice || u->sizeBits < MIN_UNTYPED_BITS) {
            continue;
        }
        seL4_CPtr ut = bi->untyped.start + i;
        if (seL4_Untyped_Retype(ut, seL4_TCBObject, 0, seL4_CapInitThreadCNode, 0, 0, spin_tcb,
                                1) != seL4_NoError) {
            continue;
        }
        int err = seL4_Untyped_Retype(ut, seL4_SchedContextObject, SC_SIZE_BITS,
                                      seL4_CapInitThreadCNode, 0, 0, spin_sc, 1);
        if (err != seL4_NoError) {
            return err;
        }
        err = seL4_TCB_Configure(spin_tcb, seL4_CapInitThreadCNode, 0, seL4_CapInitThreadVSpace, 0,
                                 0, seL4_CapNull);
        if (err != seL4_NoError) {
            return err;
        }
        return seL4_TCB_SetSchedParams(spin_tcb, seL4_CapInitThreadTCB, SPIN_PRIO, SPIN_PRIO,
                                       spin_sc, seL4_CapNull);
    }
    return seL4_NotEnoughMemory;
}

int main(void)
{
    freq = kairos_counter_frequency();
    int err = seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, ROOT_PRIO);
    if (err == seL4_NoError) {
        err = create_objects();
    }
    printf("{\"bench\":\"budget\",\"kind\":\"start\",\"freq_hz\":%lu,\"gap_ticks\":%d,"
           "\"root_prio\":%d,\"spin_prio\":%d,\"extra_refills\":%d,\"configs\":%u,"
           "\"error\":%d}\n",
           (unsigned long)freq, GAP_TICKS, ROOT_PRIO, SPIN_PRIO, EXTRA_REFILLS,
           (unsigned int)(2 * NUM_CONFIGS), err);
    if (err != seL4_NoError) {
        printf("{\"bench\":\"budget\",\"kind\":\"end\",\"completed\":0,\"failed\":%u}\n",
               (unsigned int)(2 * NUM_CONFIGS));
        return 1;
    }
    unsigned int failed = 0;
    for (unsigned int i = 0; i < NUM_CONFIGS; i++) {
        for (int sporadic = 0; sporadic <= 1; sporadic++) {
            failed += bench_config(i, sporadic) ? 0 : 1;
        }
    }
    printf("{\"bench\":\"budget\",\"kind\":\"end\",\"completed\":%u,\"failed\":%u}\n",
           (unsigned int)(2 * NUM_CONFIGS) - failed, failed);
    return failed ? 1 : 0;
}
