/* The experiment root task (`make experiment`, docs/experiments.md). It first measures the
 * kernel's overheads (calibration), then runs every task set of the batch that tools/rtexp
 * wrote into its RTEXP_SECTION: one thread per task with its own sporadic scheduling
 * context, all released together at t0 (the critical instant), each job exactly C of work,
 * until the set's run time is up; then it prints each task's jobs, misses and worst response
 * time as JSON lines (the format is at the end of taskset.h) and goes on to the next set. */
#include <kairos/stdio.h>
#include <sel4/sel4.h>
#include <stdbool.h>

#include "rtexp.h"
#include "window.h"
#include <kairos/trace.h>

/* Written by tools/rtexp with objcopy; an image built without a batch only calibrates. */
struct rtexp_batch rtexp_batch __attribute__((section(RTEXP_SECTION), aligned(8))) = {.magic = 0};
struct rtexp_shared rt;

#define ROOT_PRIO 255
#define STOPPER_PRIO 254
#define RELEASER_PRIO 253
#define RELEASER_SLICE_US 5000u
#define PHYS_TIMER_IRQ 30 /* the EL1 physical timer's PPI */
/* t0 is this far after the set-up: time for the root task to block. */
#define RELEASE_LEAD_US 50u
#define SIGNAL_SAMPLES 64u
#define SPINNER_PRIO 10
#define SPINNER_SLICE_US 5000u
/* Below every thread that must reach its first wait, above nothing that spins. */
#define ROOT_WAIT_PRIO 5
#define SC_SIZE_BITS 10
#define EXTRA_REFILLS 8
/* The objects and the event log's 2 MiB frame come from one RAM untyped. */
#define MIN_UNTYPED_BITS 22
#define MAX_RUNS 8192u
#define NAME_BYTES 8u
#define KERNEL_WCET_US 10u
#define MIN_BUDGET_US (2 * KERNEL_WCET_US) /* the kernel's minimum budget */
/* The stopper runs this long after its yield; it ends the set a little after run_us. */
#define STOPPER_BUDGET_US 100u
#define STOP_MARGIN_US 1000u
#define NS_PER_S 1000000000ull
#define US_PER_S 1000000ull
/* Calibration: one task of this much work every period, above the spinner. */
#define CALIB_WORK_US 100u
#define CALIB_PERIOD_US 1000u
#define CALIB_BUDGET_US 200u
#define CALIB_PRIO 200u

static struct {
    seL4_CPtr tcb[RTEXP_MAX_TASKS], sc[RTEXP_MAX_TASKS];
    seL4_CPtr stopper_tcb, stopper_sc, spinner_tcb, spinner_sc, releaser_tcb, releaser_sc;
    seL4_CPtr sched_control, log_frame;
    uint64_t freq;
    bool logging; /* an event log to check the overrunning task's windows with */
} s;

static struct run runs[MAX_RUNS];

static seL4_CPtr next_slot;

static uint64_t ticks_to_ns(uint64_t t)
{
    return t / s.freq * NS_PER_S + t % s.freq * NS_PER_S / s.freq;
}

static uint64_t us_to_ticks(uint64_t us)
{
    return us * s.freq / US_PER_S;
}

static int retype(seL4_CPtr ut, seL4_Word type, seL4_Word bits, seL4_CPtr *out)
{
    *out = next_slot++;
    return seL4_Untyped_Retype(ut, type, bits, seL4_CapInitThreadCNode, 0, 0, *out, 1);
}

#define TRY(expr)                                                                                  \
    do {                                                                                           \
        int err_ = (expr);                                                                         \
        if (err_ != seL4_NoError) {                                                                \
            printf("rtexp: %s failed: error %d\n", #expr, err_);                                   \
            return err_;                                                                           \
        }                                                                                          \
    } while (0)

static int thread_new(seL4_CPtr ut, seL4_CPtr *tcb, seL4_CPtr *sc, seL4_Word prio)
{
    TRY(retype(ut, seL4_TCBObject, 0, tcb));
    TRY(retype(ut, seL4_SchedContextObject, SC_SIZE_BITS, sc));
    TRY(seL4_TCB_Configure(*tcb, seL4_CapInitThreadCNode, 0, seL4_CapInitThreadVSpace, 0, 0,
                           seL4_CapNull));
    return seL4_TCB_SetSchedParams(*tcb, seL4_CapInitThreadTCB, prio, prio, *sc, seL4_CapNull);
}

static int create_objects(void)
{
    const seL4_BootInfo *bi = seL4_GetBootInfo();
    next_slot = bi->empty.start;
    s.sched_control = bi->schedcontrol.start;
    seL4_CPtr ut = seL4_CapNull;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start && !ut; i++) {
        const seL4_UntypedDesc *u = &bi->untypedList[i];
        if (!u->isDevice && u->sizeBits >= MIN_UNTYPED_BITS) {
            ut = bi->untyped.start + i;
        }
    }
    if (ut == seL4_CapNull) {
        return seL4_NotEnoughMemory;
    }
    TRY(retype(ut, seL4_ARM_LargePageObject, 0, &s.log_frame));
    for (unsigned int i = 0; i < RTEXP_MAX_TASKS; i++) {
        TRY(thread_new(ut, &s.tcb[i], &s.sc[i], CALIB_PRIO));
#ifdef CONFIG_DEBUG_BUILD
        char name[NAME_BYTES] = "task";
        name[4] = (char)('a' + i); /* "taska".."taskp": one log name chunk each */
        seL4_DebugNameThread(s.tcb[i], name);
#endif
        TRY(retype(ut, seL4_NotificationObject, 0, &rt.task[i].ntfn));
    }
    TRY(thread_new(ut, &s.stopper_tcb, &s.stopper_sc, STOPPER_PRIO));
    TRY(thread_new(ut, &s.releaser_tcb, &s.releaser_sc, RELEASER_PRIO));
    TRY(retype(ut, seL4_NotificationObject, 0, &rt.timer_ntfn));
    rt.timer_irq = next_slot++;
    TRY(seL4_IRQControl_Get(seL4_CapIRQControl, PHYS_TIMER_IRQ, seL4_CapInitThreadCNode,
                            rt.timer_irq, seL4_WordBits));
    TRY(seL4_IRQHandler_SetNotification(rt.timer_irq, rt.timer_ntfn));
    /* Round robin: it never waits for a refill. */
    TRY(seL4_SchedControl_ConfigureFlags(s.sched_control, s.releaser_sc, RELEASER_SLICE_US,
                                         RELEASER_SLICE_US, 0, 0, seL4_SchedContext_NoFlag));
    TRY(thread_new(ut, &s.spinner_tcb, &s.spinner_sc, SPINNER_PRIO));
    TRY(retype(ut, seL4_NotificationObject, 0, &rt.stopper_ntfn));
    TRY(retype(ut, seL4_NotificationObject, 0, &rt.done_ntfn));
    return seL4_NoError;
}

static uint64_t physical_count(void)
{
    uint64_t v;
    __asm__ volatile("isb; mrs %0, cntpct_el0" : "=r"(v));
    return v;
}

static int start_thread(seL4_CPtr tcb, void (*entry)(void), uint8_t *stack, seL4_Word arg)
{
    seL4_UserContext regs = {0};
    regs.pc = (seL4_Word)entry;
    regs.sp = (seL4_Word)(stack + RTEXP_STACK_BYTES);
    regs.x0 = arg;
    return seL4_TCB_WriteRegisters(tcb, 1, 0, sizeof(regs) / sizeof(seL4_Word), &regs);
}

/* Lets every thread above ROOT_WAIT_PRIO run until it waits or yields, then comes back. */
static int let_threads_settle(void)
{
    TRY(seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, ROOT_WAIT_PRIO));
    return seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, ROOT_PRIO);
}

/* A context's budget is the batch's (C plus overheads) and two margins the kernel's refill
 * rules call for:
 * - it starts a system call only with its WCET of budget left (a job's closing Yield with
 *   less is put off to the next refill, which it then gives up: the job takes two periods);
 * - a run cut short by a preemption comes back as a refill of at least the minimum budget,
 *   which the rest of the budget pays for (docs/scheduling.md), so each interruption a job
 *   can suffer before its deadline (any other task's release: the releaser runs above all)
 *   costs up to one minimum budget.
 * A budget of a whole period would make the context round robin, which never waits for a
 * release: "no enforcement" is the period less the minimum budget. */
static uint32_t context_budget(const struct rtexp_set *set, uint32_t i)
{
    const struct rtexp_task *t = &set->task[i];
    uint64_t preemptions = 0;
    for (uint32_t j = 0; j < set->ntasks; j++) {
        if (j != i) { /* every release interrupts: lower tasks' go through the releaser */
            preemptions += (t->d_us + set->task[j].t_us - 1) / set->task[j].t_us;
        }
    }
    uint64_t b = (uint64_t)t->budget_us + KERNEL_WCET_US + preemptions * MIN_BUDGET_US;
    if (b + MIN_BUDGET_US > t->t_us) {
        return t->t_us - MIN_BUDGET_US;
    }
    return (uint32_t)b;
}

static int configure(const struct rtexp_set *set, uint32_t stop_us)
{
    for (uint32_t i = 0; i < set->ntasks; i++) {
        const struct rtexp_task *t = &set->task[i];
        /* Sporadic contexts keep releases on the period; an overrunning task's is constant
         * bandwidth, so that no window of its period, wherever it starts, holds more than its
         * budget (docs/scheduling.md). */
        seL4_Word flags =
            t->run_pct > RTEXP_EXACT_PCT ? seL4_SchedContext_NoFlag : seL4_SchedContext_Sporadic;
        TRY(seL4_SchedControl_ConfigureFlags(s.sched_control, s.sc[i], context_budget(set, i),
                                             t->t_us, EXTRA_REFILLS, i, flags));
    }
    return seL4_SchedControl_ConfigureFlags(s.sched_control, s.stopper_sc, STOPPER_BUDGET_US,
                                            stop_us, 0, 0, seL4_SchedContext_Sporadic);
}

/* Sets the tasks up and lets them run to their first wait; then configures their contexts
 * afresh, so that what they used getting there does not come back as an early refill; sets
 * the stopper one period of run_us + STOP_MARGIN_US away; then releases the tasks, highest
 * priority first, and waits for the stopper. Returns the stop time, or 0 on an error. */
static uint64_t run_set(const struct rtexp_set *set, bool with_spinner)
{
    uint32_t stop_us = set->run_us + STOP_MARGIN_US;
    if (configure(set, stop_us)) {
        return 0;
    }
    for (uint32_t i = 0; i < set->ntasks; i++) {
        const struct rtexp_task *t = &set->task[i];
        struct task_state *ts = &rt.task[i];
        seL4_CPtr ntfn = ts->ntfn;
        *ts = (struct task_state){.ntfn = ntfn};
        (void)seL4_Poll(ntfn, NULL); /* a release the last set left pending */
        ts->period = us_to_ticks(t->t_us);
        ts->deadline = us_to_ticks(t->d_us);
        ts->work = (uint64_t)t->c_us * t->run_pct / RTEXP_EXACT_PCT * (NS_PER_S / US_PER_S);
        if (seL4_TCB_SetPriority(s.tcb[i], seL4_CapInitThreadTCB, t->prio) ||
            start_thread(s.tcb[i], (void (*)(void))task_main, task_stacks[i], i)) {
            printf("rtexp: set %u task %u could not be set up\n", set->id, i);
            return 0;
        }
    }
    if (let_threads_settle() || configure(set, stop_us)) {
        return 0;
    }
    seL4_Signal(rt.stopper_ntfn);
    if (let_threads_settle()) {
        return 0;
    }
    /* The spinner runs round robin: whenever nothing else does. */
    if (with_spinner &&
        (seL4_SchedControl_ConfigureFlags(s.sched_control, s.spinner_sc, SPINNER_SLICE_US,
                                          SPINNER_SLICE_US, 0, 0, seL4_SchedContext_NoFlag) ||
         start_thread(s.spinner_tcb, spinner_main, spinner_stack, 0))) {
        return 0;
    }
    /* The highest priority first, so that no task is held up by one released after it. */
    uint32_t order[RTEXP_MAX_TASKS];
    for (uint32_t i = 0; i < set->ntasks; i++) {
        uint32_t j = i;
        for (; j > 0 && set->task[order[j - 1]].prio < set->task[i].prio; j--) {
            order[j] = order[j - 1];
        }
        order[j] = i;
    }
#ifdef CONFIG_KAIROS_TRACE
    if (s.logging && kairos_trace_start() != seL4_NoError) {
        return 0;
    }
#endif
    /* Every job, job 0 at t0 included, is released by the releaser from the timer, in
     * priority order, so that each costs the same. */
    uint64_t t0 = kairos_counter_now() + us_to_ticks(RELEASE_LEAD_US);
    for (uint32_t k = 0; k < set->ntasks; k++) {
        rt.order[k] = order[k];
        rt.task[order[k]].t0 = t0;
        rt.next[order[k]] = t0;
    }
    rt.ntasks = set->ntasks;
    releaser_arm(t0);
    seL4_Wait(rt.done_ntfn, NULL);
    rt.ntasks = 0;
    releaser_disarm();
#ifdef CONFIG_KAIROS_TRACE
    if (s.logging) {
        (void)kairos_trace_stop(0);
    }
#endif
    for (uint32_t i = 0; i < set->ntasks; i++) {
        (void)seL4_TCB_Suspend(s.tcb[i]);
    }
    if (with_spinner) {
        rt.spinner_stop = 1;
        (void)seL4_TCB_Suspend(s.spinner_tcb);
    }
    return rt.stop_time;
}

/* Jobs released early enough that their deadline passed before the stop, but not finished. */
static uint32_t unfinished_misses(const struct task_state *ts, uint64_t stop)
{
    uint32_t n = 0;
    for (uint64_t k = ts->jobs;; k++) {
        uint64_t deadline = ts->t0 + k * ts->period + ts->deadline;
        if (deadline > stop) {
            return n;
        }
        n++;
    }
}

static bool overruns(const struct rtexp_set *set)
{
    for (uint32_t i = 0; i < set->ntasks; i++) {
        if (set->task[i].run_pct > RTEXP_EXACT_PCT) {
            return true;
        }
    }
    return false;
}

/* For an overrunning task: the most it ran in any window of its period, from the log,
 * against the budget its context had. */
static void report_windows(const struct rtexp_set *set)
{
#if defined(CONFIG_KAIROS_TRACE) && defined(CONFIG_DEBUG_BUILD)
    if (!s.logging) {
        return;
    }
    for (uint32_t i = 0; i < set->ntasks; i++) {
        const struct rtexp_task *t = &set->task[i];
        if (t->run_pct <= RTEXP_EXACT_PCT) {
            continue;
        }
        char name[NAME_BYTES] = "task";
        name[4] = (char)('a' + i);
        uint64_t w = max_window_ticks(trace_name_chunk(name), us_to_ticks(t->t_us), runs, MAX_RUNS);
        printf("{\"exp\":\"window\",\"set\":%u,\"task\":%u,\"max_window_ns\":%lu,"
               "\"budget_ns\":%lu}\n",
               set->id, i, (unsigned long)ticks_to_ns(w),
               (unsigned long)(context_budget(set, i) * (NS_PER_S / US_PER_S)));
    }
#else
    (void)set;
#endif
}

static void report_set(const struct rtexp_set *set, uint64_t stop)
{
    for (uint32_t i = 0; i < set->ntasks; i++) {
        const struct task_state *ts = &rt.task[i];
        uint32_t misses = ts->misses + unfinished_misses(ts, stop);
        printf("{\"exp\":\"task\",\"set\":%u,\"task\":%u,\"jobs\":%u,\"misses\":%u,"
               "\"wcrt_ns\":%lu,\"release_late_ns\":%lu}\n",
               set->id, i, ts->jobs, misses, (unsigned long)ticks_to_ns(ts->wcrt),
               (unsigned long)ticks_to_ns(ts->late));
    }
    report_windows(set);
    printf("{\"exp\":\"set\",\"set\":%u,\"ok\":%d}\n", set->id, stop ? 1 : 0);
}

/* One task above the spinner: how late each job starts after its release (the release
 * overhead: timer interrupt, refill, switch in) and how long after its end the spinner runs
 * again (the switch out). */
static int calibrate(void)
{
    static struct rtexp_set calib;
    calib.ntasks = 1;
    calib.run_us = CALIB_JOBS * CALIB_PERIOD_US;
    calib.task[0] = (struct rtexp_task){.c_us = CALIB_WORK_US,
                                        .t_us = CALIB_PERIOD_US,
                                        .d_us = CALIB_PERIOD_US,
                                        .budget_us = CALIB_BUDGET_US,
                                        .prio = CALIB_PRIO,
                                        .run_pct = RTEXP_EXACT_PCT};
    if (!run_set(&calib, true)) {
        return seL4_IllegalOperation;
    }
    const struct task_state *ts = &rt.task[0];
    uint64_t release = 0, out = 0;
    uint32_t jobs = ts->jobs < CALIB_JOBS ? ts->jobs : CALIB_JOBS, g = 0;
    for (uint32_t k = 0; k < jobs; k++) {
        uint64_t late = ts->starts[k] - (ts->t0 + k * ts->period);
        release = late > release ? late : release;
        while (g < rt.gaps && rt.gap_end[g] <= ts->finishes[k]) {
            g++;
        }
        /* The spinner's first run comes after job 0: a gap that ends a period or more
         * later belongs to a later job. */
        if (g < rt.gaps && rt.gap_end[g] - ts->finishes[k] < ts->period / 2) {
            uint64_t back = rt.gap_end[g] - ts->finishes[k];
            out = back > out ? back : out;
        }
    }
    /* What one more task released by the same interrupt adds: a signal to a notification
     * nobody waits on is the releaser's work for it. */
    uint64_t t = kairos_counter_now();
    for (unsigned int k = 0; k < SIGNAL_SAMPLES; k++) {
        seL4_Signal(rt.task[1].ntfn);
    }
    uint64_t signal = (kairos_counter_now() - t + SIGNAL_SAMPLES - 1) / SIGNAL_SAMPLES;
    (void)seL4_Poll(rt.task[1].ntfn, NULL);
    printf("{\"exp\":\"overheads\",\"release_ns\":%lu,\"switch_ns\":%lu,\"signal_ns\":%lu,"
           "\"jobs\":%u}\n",
           (unsigned long)ticks_to_ns(release), (unsigned long)ticks_to_ns(out),
           (unsigned long)ticks_to_ns(signal), jobs);
    return jobs ? seL4_NoError : seL4_IllegalOperation;
}

int main(void)
{
    s.freq = kairos_counter_frequency();
    TRY(create_objects());
    rt.phys_offset = physical_count() - kairos_counter_now();
    TRY(start_thread(s.stopper_tcb, stopper_main, stopper_stack, 0));
    TRY(start_thread(s.releaser_tcb, releaser_main, releaser_stack, 0));
    TRY(calibrate());
    bool log_ready = false;
#ifdef CONFIG_KAIROS_TRACE
    log_ready = seL4_BenchmarkSetLogBuffer(s.log_frame) == seL4_NoError;
#endif
    const struct rtexp_batch *b = &rtexp_batch;
    uint32_t n = 0;
    if (b->magic == RTEXP_MAGIC && b->version == RTEXP_VERSION && b->nsets <= RTEXP_MAX_SETS) {
        for (; n < b->nsets; n++) {
            const struct rtexp_set *set = &b->set[n];
            if (set->ntasks == 0 || set->ntasks > RTEXP_MAX_TASKS) {
                printf("rtexp: set %u has %u tasks; skipped\n", set->id, set->ntasks);
                continue;
            }
            s.logging = log_ready && overruns(set);
            report_set(set, run_set(set, false));
        }
    } else if (b->magic == RTEXP_MAGIC) {
        printf("rtexp: batch version %u with %u sets: not for this root task\n", b->version,
               b->nsets);
    }
    printf("{\"exp\":\"end\",\"sets\":%u}\n", n);
    return 0;
}
