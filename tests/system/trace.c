/* The kernel event log (docs/tracing.md): the buffer calls with every bad input, a full
 * buffer, the buffer unmapped or deleted while logging, and a scripted scenario whose log
 * is checked record by record. The log is a kernel build option, on in debug kernels.
 * Uses thread_util.h, so: systest: needs a debug kernel */
#include <kairos/trace.h>

#include "thread_util.h"

#ifdef CONFIG_KAIROS_TRACE

#define LOG_VADDR (THREAD_IPC_REGION + 64ul * 1024 * 1024) /* 2 MiB aligned, no L3 table */
#define GUARD_VADDR (THREAD_IPC_REGION + 16 * (1ul << seL4_PageBits))
#define LOG_UT_BITS (seL4_LargePageBits + 1)
#define GUARD_PATTERN 0x5a5a5a5a5a5a5a5aull
#define PAGE_WORDS ((1ul << seL4_PageBits) / sizeof(uint64_t))
#define OVERFLOW_MARKS 100
#define MARKS_PER_COUNT_READ 1024
#define TRACE_ATTR seL4_ARM_Default_VMAttributes

static const volatile struct ktrace_record *const mapped_log =
    (const volatile struct ktrace_record *)LOG_VADDR;

/* A fresh 2 MiB log frame from its own untyped (*ut, freed by the caller). */
static seL4_CPtr log_frame(seL4_CPtr *ut)
{
    *ut = ut_alloc(LOG_UT_BITS);
    return *ut ? object_new(*ut, seL4_ARM_LargePageObject, 0) : 0;
}

static seL4_Error map_rw(seL4_CPtr frame, seL4_Word vaddr)
{
    return seL4_ARM_Page_Map(frame, seL4_CapInitThreadVSpace, vaddr, seL4_ReadWrite, TRACE_ATTR);
}

static seL4_Error set_buffer(seL4_CPtr frame)
{
    return seL4_BenchmarkSetLogBuffer(frame);
}

static struct kairos_trace_status counts(void)
{
    struct kairos_trace_status st = {0};
    CHECK_EQ(kairos_trace_read(0, &st), seL4_NoError);
    return st;
}

/* Leaves no log running and no buffer set: the next test starts from nothing. */
static void trace_reset(seL4_CPtr ut)
{
    (void)kairos_trace_stop(0);
    ut_free(ut);
}

/* ---- Bad input -------------------------------------------------------------------------- */

SYSTEST(trace_buffer_must_be_a_writable_2mib_ram_frame)
{
    if (!threads_begin()) {
        return;
    }
    seL4_CPtr ut = ut_alloc(LOG_UT_BITS), dev = ut_alloc_device(seL4_LargePageBits);
    seL4_CPtr ep = object_new(threads_untyped(), seL4_EndpointObject, 0);
    seL4_CPtr small = object_new(threads_untyped(), seL4_ARM_SmallPageObject, 0);
    seL4_CPtr big = object_new(ut, seL4_ARM_LargePageObject, 0), ro = slot_alloc();
    CHECK_EQ(seL4_CNode_Mint(ROOT, ro, ROOT_DEPTH, ROOT, big, ROOT_DEPTH, seL4_CanRead, 0),
             seL4_NoError);
    CHECK_EQ(set_buffer(seL4_CapNull), seL4_IllegalOperation);
    CHECK_EQ(set_buffer(ep), seL4_IllegalOperation);
    CHECK_EQ(set_buffer(small), seL4_IllegalOperation);
    CHECK_EQ(set_buffer(ro), seL4_IllegalOperation);
    if (dev) {
        seL4_CPtr devframe = object_new(dev, seL4_ARM_LargePageObject, 0);
        CHECK_EQ(set_buffer(devframe), seL4_IllegalOperation);
    }
    CHECK_EQ(set_buffer(1ul << (seL4_WordBits - 1)), seL4_IllegalOperation); /* no slot */
    /* None of them became the buffer: starting still fails. */
    CHECK_EQ(kairos_trace_start(), seL4_IllegalOperation);
    CHECK_EQ(set_buffer(big), seL4_NoError);
    CHECK_EQ(kairos_trace_start(), seL4_NoError);
    trace_reset(ut);
    ut_free(dev);
    threads_end();
}

SYSTEST(trace_calls_out_of_order_are_refused)
{
    if (!threads_begin()) {
        return;
    }
    seL4_CPtr ut, frame = log_frame(&ut);
    struct kairos_trace_status st = {0};
    CHECK_EQ(kairos_trace_stop(&st), seL4_IllegalOperation);   /* nothing running */
    CHECK_EQ(seL4_BenchmarkResetLog(), seL4_IllegalOperation); /* upstream: no buffer */
    CHECK_EQ(set_buffer(frame), seL4_NoError);
    CHECK_EQ(kairos_trace_read(0, &st), seL4_IllegalOperation); /* never started */
    CHECK_EQ(kairos_trace_stop(&st), seL4_IllegalOperation);
    CHECK_EQ(kairos_trace_start(), seL4_NoError);
    CHECK_EQ(kairos_trace_start(), seL4_IllegalOperation); /* twice */
    CHECK_EQ(set_buffer(frame), seL4_IllegalOperation);    /* while logging */
    kairos_trace_mark(7);
    st = counts();
    CHECK(st.records >= 2);
    CHECK_EQ(kairos_trace_read(st.records + 1, &st), seL4_RangeError); /* past the end */
    st = counts();
    CHECK_EQ(kairos_trace_read(st.records, &st), seL4_NoError); /* at the end: none */
    CHECK_EQ(st.copied, 0);
    CHECK_EQ(kairos_trace_stop(&st), seL4_NoError);
    CHECK(st.records >= 2);
    CHECK_EQ(st.dropped, 0);
    seL4_Word stopped = st.records;
    kairos_trace_mark(8); /* not logged */
    CHECK_EQ(kairos_trace_stop(&st), seL4_IllegalOperation);
    CHECK_EQ(kairos_trace_read(0, &st), seL4_NoError); /* reading a stopped log is fine */
    CHECK_EQ(st.records, stopped);
    const struct ktrace_record *r = kairos_trace_records();
    CHECK_EQ(r[0].event, KTRACE_EV_START);
    CHECK_EQ(r[0].arg, KTRACE_VERSION);
    CHECK_EQ(r[0].value, read_cntfrq());
    /* Upstream's pair: ResetLog starts afresh, FinalizeLog stops and counts. */
    CHECK_EQ(seL4_BenchmarkResetLog(), seL4_NoError);
    CHECK_EQ(seL4_BenchmarkResetLog(), seL4_NoError);
    seL4_Word n = seL4_BenchmarkFinalizeLog();
    CHECK(n >= 1 && n < stopped + 8);
    CHECK_EQ(kairos_trace_stop(&st), seL4_IllegalOperation);
    seL4_BenchmarkNullSyscall();
    seL4_BenchmarkFlushCaches();
    seL4_BenchmarkFlushL1Caches(seL4_ARM_CacheID);
    trace_reset(ut);
    threads_end();
}

/* ---- The frame going away --------------------------------------------------------------- */

SYSTEST(trace_buffer_unmapped_while_logging_keeps_logging)
{
    if (!threads_begin()) {
        return;
    }
    seL4_CPtr ut, frame = log_frame(&ut);
    CHECK_EQ(map_rw(frame, LOG_VADDR), seL4_NoError);
    CHECK_EQ(set_buffer(frame), seL4_NoError);
    CHECK_EQ(kairos_trace_start(), seL4_NoError);
    kairos_trace_mark(1);
    /* The kernel writes the frame through its own mapping: it is in the user's view too. */
    struct kairos_trace_status st = counts();
    CHECK_EQ(mapped_log[0].event, KTRACE_EV_START);
    CHECK_EQ(mapped_log[st.records - 1].event, KTRACE_EV_MARK);
    CHECK_EQ(mapped_log[st.records - 1].value, 1);
    CHECK_EQ(seL4_ARM_Page_Unmap(frame), seL4_NoError);
    kairos_trace_mark(2);
    CHECK_EQ(kairos_trace_stop(&st), seL4_NoError);
    CHECK_EQ(kairos_trace_read(st.records - 1, &st), seL4_NoError);
    CHECK_EQ(st.copied, 1);
    CHECK_EQ(kairos_trace_records()[0].event, KTRACE_EV_MARK);
    CHECK_EQ(kairos_trace_records()[0].value, 2);
    trace_reset(ut);
    threads_end();
}

/* The frame's last cap goes while logging: the kernel stops and forgets it. The untyped is
 * then reused for a new frame, which must stay as we wrote it while events happen. */
SYSTEST(trace_buffer_deleted_while_logging_is_never_written_again)
{
    if (!threads_begin()) {
        return;
    }
    seL4_CPtr ut, frame = log_frame(&ut), copy = slot_alloc();
    CHECK_EQ(seL4_CNode_Copy(ROOT, copy, ROOT_DEPTH, ROOT, frame, ROOT_DEPTH, seL4_AllRights),
             seL4_NoError);
    CHECK_EQ(set_buffer(frame), seL4_NoError);
    CHECK_EQ(kairos_trace_start(), seL4_NoError);
    CHECK_EQ(seL4_CNode_Delete(ROOT, frame, ROOT_DEPTH), seL4_NoError);
    kairos_trace_mark(1); /* a copy remains: still logging */
    struct kairos_trace_status st = counts();
    CHECK(st.records >= 2);
    CHECK_EQ(seL4_CNode_Delete(ROOT, copy, ROOT_DEPTH), seL4_NoError);
    CHECK_EQ(kairos_trace_stop(&st), seL4_IllegalOperation);
    CHECK_EQ(kairos_trace_read(0, &st), seL4_IllegalOperation);
    CHECK_EQ(kairos_trace_start(), seL4_IllegalOperation);

    /* The same memory as a new frame, filled with a pattern. */
    CHECK_EQ(seL4_CNode_Revoke(ROOT, ut, ROOT_DEPTH), seL4_NoError);
    seL4_CPtr again = object_new(ut, seL4_ARM_LargePageObject, 0);
    CHECK_EQ(map_rw(again, LOG_VADDR), seL4_NoError);
    volatile uint64_t *w = (volatile uint64_t *)LOG_VADDR;
    for (seL4_Word i = 0; i < PAGE_WORDS; i++) {
        w[i] = GUARD_PATTERN;
    }
    kairos_trace_mark(2);
    seL4_Yield();
    seL4_Word bad = 0;
    for (seL4_Word i = 0; i < PAGE_WORDS; i++) {
        bad += w[i] != GUARD_PATTERN;
    }
    CHECK_EQ(bad, 0);
    CHECK_EQ(seL4_ARM_Page_Unmap(again), seL4_NoError);
    trace_reset(ut);
    threads_end();
}

/* ---- A full buffer ---------------------------------------------------------------------- */

/* Marks until the buffer is full, then exactly OVERFLOW_MARKS more on a fresh time slice (so
 * no timer event comes between): every one of those is dropped and counted, the records are
 * the first KTRACE_CAPACITY in order, and the page after the frame is untouched. */
SYSTEST(trace_full_buffer_stops_and_counts_what_it_drops)
{
    if (!threads_begin()) {
        return;
    }
    seL4_CPtr ut = ut_alloc(LOG_UT_BITS + 1);
    seL4_CPtr frame = ut ? object_new(ut, seL4_ARM_LargePageObject, 0) : 0;
    seL4_CPtr guard = ut ? object_new(ut, seL4_ARM_SmallPageObject, 0) : 0;
    seL4_ARM_Page_GetAddress_t fa = seL4_ARM_Page_GetAddress(frame);
    seL4_ARM_Page_GetAddress_t ga = seL4_ARM_Page_GetAddress(guard);
    CHECK_EQ(ga.paddr, fa.paddr + (1ul << seL4_LargePageBits)); /* right after the buffer */
    CHECK_EQ(map_rw(guard, GUARD_VADDR), seL4_NoError);
    volatile uint64_t *g = (volatile uint64_t *)GUARD_VADDR;
    for (seL4_Word i = 0; i < PAGE_WORDS; i++) {
        g[i] = GUARD_PATTERN;
    }
    CHECK_EQ(map_rw(frame, LOG_VADDR), seL4_NoError);
    CHECK_EQ(set_buffer(frame), seL4_NoError);
    CHECK_EQ(kairos_trace_start(), seL4_NoError);
    struct kairos_trace_status st = counts();
    seL4_Word marks = 0;
    while (st.records < KTRACE_CAPACITY && !systest_failed()) {
        kairos_trace_mark(marks++);
        bool near = KTRACE_CAPACITY - st.records < 2 * MARKS_PER_COUNT_READ;
        if (near || marks % MARKS_PER_COUNT_READ == 0) {
            st = counts();
        }
    }
    CHECK_EQ(st.records, KTRACE_CAPACITY);
    CHECK_EQ(st.dropped, 0);
    seL4_Yield();
    for (seL4_Word k = 0; k < OVERFLOW_MARKS; k++) {
        kairos_trace_mark(marks++);
    }
    CHECK_EQ(kairos_trace_stop(&st), seL4_NoError);
    CHECK_EQ(st.records, KTRACE_CAPACITY);
    CHECK_EQ(st.dropped, OVERFLOW_MARKS);
    /* In order: the marks that made it are 0, 1, 2, ... with no gap, and the last record
     * is the mark that filled the buffer. */
    seL4_Word next = 0, order_errors = 0;
    for (seL4_Word i = 0; i < KTRACE_CAPACITY; i++) {
        if (mapped_log[i].event == KTRACE_EV_MARK) {
            order_errors += mapped_log[i].value != next;
            next = mapped_log[i].value + 1;
        }
    }
    CHECK_EQ(order_errors, 0);
    CHECK_EQ(mapped_log[KTRACE_CAPACITY - 1].event, KTRACE_EV_MARK);
    CHECK_EQ(next + OVERFLOW_MARKS, marks);
    seL4_Word bad = 0;
    for (seL4_Word i = 0; i < PAGE_WORDS; i++) {
        bad += g[i] != GUARD_PATTERN;
    }
    CHECK_EQ(bad, 0);
    /* A new start empties it. */
    CHECK_EQ(kairos_trace_start(), seL4_NoError);
    st = counts();
    CHECK(st.records < 8);
    CHECK_EQ(st.dropped, 0);
    CHECK_EQ(seL4_ARM_Page_Unmap(frame), seL4_NoError);
    CHECK_EQ(seL4_ARM_Page_Unmap(guard), seL4_NoError);
    trace_reset(ut);
    threads_end();
}

#endif /* CONFIG_KAIROS_TRACE */

#ifdef CONFIG_KAIROS_TRACE
/* ---- A scripted scenario ---------------------------------------------------------------- */

#define SCENARIO_PRIO 200
#define SCENARIO_ROOT_PRIO 150
#define SCENARIO_BUDGET_US 1000
#define SCENARIO_PERIOD_US 5000
#define SCENARIO_WORK_US 1500 /* more than a budget: it is throttled once */
#define SCENARIO_MAX 64
#define CPU_GAP_TICKS 4

static seL4_CPtr scenario_go, scenario_done;
static struct ktrace_record scenario_log[SCENARIO_MAX];

/* Spins for `us` of its own CPU time: counter steps longer than CPU_GAP_TICKS are time it
 * did not run. */
static void cpu_spin_us(uint64_t us)
{
    uint64_t need = us_to_ticks(us), done = 0, prev = now_ticks();
    while (done < need) {
        uint64_t now = now_ticks();
        done += now - prev <= CPU_GAP_TICKS ? now - prev : 0;
        prev = now;
    }
}

static void scenario_thread(seL4_Word arg)
{
    (void)arg;
    seL4_Wait(scenario_go, NULL);
    cpu_spin_us(SCENARIO_WORK_US);
    seL4_Signal(scenario_done);
    seL4_Wait(scenario_go, NULL);
}

/* Runs the scenario and copies its log into scenario_log; the number of records. */
static seL4_Word run_scenario(void)
{
    scenario_go = threads_object(seL4_NotificationObject, 0);
    scenario_done = threads_object(seL4_NotificationObject, 0);
    struct thread *a = thread_create(scenario_thread, 0, SCENARIO_PRIO);
    if (!a || !thread_give_sc(a, SCENARIO_BUDGET_US, SCENARIO_PERIOD_US, 0)) {
        return 0;
    }
    seL4_Yield(); /* a fresh slice: our own budget must not end inside the scenario */
    CHECK_EQ(kairos_trace_start(), seL4_NoError);
    kairos_trace_mark(1);
    thread_resume(a);
    root_set_priority(SCENARIO_ROOT_PRIO);
    seL4_Signal(scenario_go);
    seL4_Wait(scenario_done, NULL);
    kairos_trace_mark(2);
    struct kairos_trace_status st = {0};
    CHECK_EQ(kairos_trace_stop(&st), seL4_NoError);
    root_set_priority(ROOT_PRIO);
    seL4_Word n = 0;
    while (n < st.records && n < SCENARIO_MAX) {
        struct kairos_trace_status rd;
        if (kairos_trace_read(n, &rd) != seL4_NoError || rd.copied == 0) {
            break;
        }
        for (seL4_Word k = 0; k < rd.copied && n < SCENARIO_MAX; k++) {
            scenario_log[n++] = kairos_trace_records()[k];
        }
    }
    CHECK_EQ(n, st.records);
    return n;
}

/* Who a record names: the root task (R), the scenario's thread (A), idle or nobody (I). */
enum who { I, R, A };
struct expect {
    uint16_t event, arg;
    enum who who;
};
#define EV(e) KTRACE_EV_##e
#define BL(b) KTRACE_BLOCK_##b

/* The scenario: we start the log and mark it; A (priority 200, 1 ms every 5 ms) is resumed;
 * we drop to 150 so A runs and waits on `go`; we signal it; it spins 1.5 ms of CPU, so its
 * budget runs out, it waits for its refills (a minimum-budget one for its first short run,
 * then the rest, while the CPU idles), finishes, signals `done` and waits again; we mark.
 * Descriptions (thread, sc) come before a thread's or context's first mention, and again
 * when our priority changes. */
static const struct expect scenario[] = {
    {EV(START), KTRACE_VERSION, I},
    {EV(SC), 0, I},
    {EV(THREAD), 0, R},
    {EV(THREAD), 1, R}, /* "rootserver" */
    {EV(SWITCH), 0, R},
    {EV(MARK), 0, R},
    {EV(SC), 0, I},
    {EV(THREAD), 0, A},
    {EV(UNBLOCK), BL(INACTIVE), A},
    {EV(THREAD), 0, R},
    {EV(THREAD), 1, R}, /* priority 150 */
    {EV(SWITCH), 0, A},
    {EV(BLOCK), BL(NOTIFICATION), A},
    {EV(SWITCH), 0, R},
    {EV(UNBLOCK), BL(NOTIFICATION), A},
    {EV(SWITCH), 0, A},
    {EV(EXHAUSTED), 0, A},
    {EV(POSTPONE), 0, A},
    {EV(IRQ), 0, A},
    {EV(SWITCH), 0, R},
    {EV(BLOCK), BL(NOTIFICATION), R},
    {EV(SWITCH), 0, I},
    {EV(IRQ), 0, I},
    {EV(RELEASE), 0, A},
    {EV(SWITCH), 0, A},
    {EV(EXHAUSTED), 0, A},
    {EV(POSTPONE), 0, A},
    {EV(IRQ), 0, A},
    {EV(SWITCH), 0, I},
    {EV(IRQ), 0, I},
    {EV(RELEASE), 0, A},
    {EV(SWITCH), 0, A},
    {EV(UNBLOCK), BL(NOTIFICATION), R},
    {EV(BLOCK), BL(NOTIFICATION), A},
    {EV(SWITCH), 0, R},
    {EV(MARK), 0, R},
};
#define SCENARIO_RECORDS (sizeof(scenario) / sizeof(scenario[0]))
/* Latencies under icount: a budget is cut within a microsecond of its end, a refill is
 * seen within ten of its release. */
#define ENFORCE_SLACK_US 1
#define RELEASE_SLACK_US 10
#define REPEAT_SLACK_TICKS 2
#define MIN_BUDGET_US 20 /* 2 x the kernel WCET: a refill for a short run is this large */

static uint32_t who_id(enum who w, const struct ktrace_record *log)
{
    /* Ids follow first mention: we are 1, A is 2. */
    (void)log;
    return w == I ? 0 : w == R ? 1 : 2;
}

static void check_scenario(const struct ktrace_record *log, seL4_Word n)
{
    CHECK_EQ(n, SCENARIO_RECORDS);
    for (seL4_Word i = 0; i < n && i < SCENARIO_RECORDS && !systest_failed(); i++) {
        const struct expect *e = &scenario[i];
        const struct ktrace_record *r = &log[i];
        if (r->event != e->event || r->arg != e->arg ||
            (e->event != EV(SC) && r->tcb != who_id(e->who, log))) {
            systest_fail(__FILE__, __LINE__,
                         "record %lu: event %u arg %u tcb %u, expected %u %u %u", (unsigned long)i,
                         r->event, r->arg, r->tcb, e->event, e->arg, who_id(e->who, log));
        }
        if (i > 0) {
            CHECK(r->time >= log[i - 1].time);
        }
    }
    if (systest_failed()) {
        return;
    }
    CHECK_EQ(log[1].sc, 1);
    CHECK_EQ(log[6].sc, 2);
    CHECK_EQ(log[6].aux, SCENARIO_BUDGET_US);
    CHECK_EQ(log[6].value, SCENARIO_PERIOD_US);
    CHECK_EQ(log[7].aux, SCENARIO_PRIO);
    CHECK_EQ(log[8].aux, 1); /* resumed by us */
    CHECK_EQ(log[9].aux, SCENARIO_ROOT_PRIO);
    CHECK_EQ(log[12].value, log[20].value - 64); /* two notifications, one after the other */
    CHECK_EQ(log[32].aux, 2);                    /* we were woken by A */
    /* The budget: A is switched in with `left` ticks and charged that to within a µs. */
    const struct ktrace_record *in = &log[15], *out = &log[16];
    CHECK(out->value >= in->value);
    CHECK(out->value - in->value <= us_to_ticks(ENFORCE_SLACK_US));
    CHECK(out->time - in->time <= in->value);
    /* Refills: each released at the time the postpone named, and seen within the slack; the
     * first comes one period after A first ran. */
    const int pairs[][2] = {{17, 23}, {26, 30}};
    for (unsigned int k = 0; k < 2; k++) {
        const struct ktrace_record *p = &log[pairs[k][0]], *rel = &log[pairs[k][1]];
        CHECK_EQ(rel->value, p->value);
        CHECK(rel->time >= rel->value);
        CHECK(rel->time - rel->value <= us_to_ticks(RELEASE_SLACK_US));
    }
    /* A's first run was short: its refill is rounded up to the minimum budget, which it
     * borrows from the refill's start (docs/scheduling.md), so it comes that much early. */
    uint64_t period = us_to_ticks(SCENARIO_PERIOD_US), min = us_to_ticks(MIN_BUDGET_US);
    CHECK(log[17].value + min >= log[11].time + period);
    CHECK(log[17].value <= log[11].time + period);
    CHECK_EQ(log[23].aux, us_to_ticks(MIN_BUDGET_US));
}

SYSTEST(trace_scenario_is_logged_event_by_event)
{
    /* The buffer outlives both runs' threads (threads_end deletes what came after it). */
    seL4_CPtr ut, frame = log_frame(&ut);
    CHECK_EQ(set_buffer(frame), seL4_NoError);
    if (!threads_begin()) {
        trace_reset(ut);
        return;
    }
    static struct ktrace_record first[SCENARIO_MAX];
    seL4_Word n = run_scenario();
    check_scenario(scenario_log, n);
    for (seL4_Word i = 0; i < n; i++) {
        first[i] = scenario_log[i];
    }
    threads_end();
    /* Under icount the same scenario again gives the same log: the same records at the
     * same times after its start, to REPEAT_SLACK_TICKS. */
    if (!systest_failed() && threads_begin()) {
        seL4_Word again = run_scenario();
        CHECK_EQ(again, n);
        int64_t slack = REPEAT_SLACK_TICKS;
        for (seL4_Word i = 0; i < n && i < again && !systest_failed(); i++) {
            const struct ktrace_record *a = &first[i], *b = &scenario_log[i];
            CHECK_EQ(b->event, a->event);
            CHECK_EQ(b->tcb, a->tcb);
            /* Times are whole ticks (16 instructions): the two starts sit at different
             * points inside a tick, which moves a record's relative time by one tick; a timer
             * interrupt fires on a tick boundary, which can move what follows it by one
             * more. And each time A is stopped, cpu_spin_us loses the counter step that
             * spans the stop, whose running part (under a tick) depends on that phase: A's
             * work, and all that follows it, ends up to a tick later per stop. */
            int64_t ta = (int64_t)(a->time - first[0].time);
            int64_t tb = (int64_t)(b->time - scenario_log[0].time);
            if (i > 0 && first[i - 1].event == EV(IRQ) && first[i - 1].tcb == who_id(A, first)) {
                slack++;
            }
            if (tb - ta > slack || ta - tb > slack) {
                systest_fail(__FILE__, __LINE__, "record %lu: at %ld ticks, first run %ld",
                             (unsigned long)i, (long)tb, (long)ta);
            }
        }
        threads_end();
    }
    trace_reset(ut);
}
#endif /* CONFIG_KAIROS_TRACE */
