/* ktrace_analyse.c — rebuilds the schedule from the event log (records in index order).
 *
 * The rules, in the terms of trace_format.h:
 * - Time: ticks since time 0, which is the START record's time, else the first record's; a
 *   record earlier than the one before it is taken as at the same time. Ticks become µs with the
 *   begin line's hz, else the START record's value, else 1 MHz (hz_guessed).
 * - Names: a THREAD record writes 8 name bytes at chunk `arg`; chunk 0 clears the name first, so
 *   a rename replaces it. Unnamed threads are "tcb<id>"; id 0 is the idle thread, "idle", and
 *   gets no Gantt row. A thread's priority and own context are its latest THREAD record's aux
 *   and sc; SC records give a context's budget (aux, µs) and period (value, µs), the latest
 *   configuration counting for the whole trace.
 * - Context: a thread's current context is its THREAD record's sc, then the sc of each SWITCH to
 *   it, DONATE to it or RETURN to it; the thread a DONATE or RETURN names in aux gives that
 *   context up. Running intervals show the context the SWITCH named, the others the thread's
 *   current context when they began.
 * - States: a thread is running from the kernel entry that switched to it (the SWITCH's time
 *   less its aux, where the kernel starts billing its context) until the entry of the next
 *   SWITCH to another thread or context (a SWITCH to the same thread on the same context only
 * refreshes the budget). When it stops it becomes what the last of BLOCK (blocked), POSTPONE
 * (throttled), UNBLOCK or RELEASE (ready) for it since the SWITCH said, ready if none came. For a
 * thread that is not running those records change its state at once. Its rows start at its first
 * mention (any record naming it in tcb); its state then is inferred from its first telling record:
 * ready before a SWITCH to it, a BLOCK or a POSTPONE, blocked before an UNBLOCK, throttled before a
 *   RELEASE, and running when, before the log's first SWITCH, it was the first to do what only
 *   the running thread does (MARK, EXHAUSTED, TIMEOUT, FAULT, BLOCK). Intervals of no length
 *   are left out; the last ones end at the last record's time.
 * - Budget: a context's head-refill budget is the value of each SWITCH onto it, falls by one
 *   tick per tick while a thread runs on it (not below 0), is 0 after EXHAUSTED and the aux of
 *   a RELEASE after one. Points come at each run's start and end and on both sides of each jump;
 *   before the first such record it is unknown and has no points.
 * - Windows (ktrace_windows.c): for each context with a period, from each start of a run on
 *   it, the time any thread ran on it in [start, start + period).
 * - Totals: a thread's running time is the sum of its runs; the idle thread's is a->idle.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ktrace_analyse.h"
#include "ktrace_windows.h"

#define US_PER_S 1000000u
#define FALLBACK_HZ US_PER_S
#define GROW_INITIAL 256u
#define BYTE_BITS 8u
#define PRINTABLE_FIRST 0x20
#define PRINTABLE_LAST 0x7e
#define NO_INDEX (-1)

/* Working state of one thread, parallel to a->threads. */
struct thread_work {
    bool seen;
    enum ktrace_state initial;
    enum ktrace_state state;     /* since `since`, on interval_sc */
    enum ktrace_state after_run; /* what it becomes when its run ends */
    uint32_t interval_sc;
    int64_t since;
    uint32_t current_sc;
    uint32_t last_run_sc;
    long last_interval; /* its latest interval in a->intervals, or NO_INDEX */
    uint8_t name[KTRACE_NAME_MAX];
    bool named;
};

/* Working state of one context's budget, parallel to a->scs. */
struct sc_work {
    bool known, running;
    int64_t remaining, anchor; /* remaining at `anchor`; falls from there while running */
    bool emitted;
    int64_t last_time, last_value;
};

struct builder {
    struct ktrace_analysis *a;
    struct thread_work *tw;
    struct sc_work *sw;
    size_t cap_intervals, cap_runs, cap_budget;
    bool failed; /* out of memory */
    bool have_run;
    uint32_t run_thread, run_sc;
    int64_t run_start;
};

/* ---------------------------------------------------------------------------------------- */
/* Helpers */

static bool grow(void **array, size_t *cap, size_t count, size_t elem)
{
    if (count < *cap) {
        return true;
    }
    size_t n = *cap ? *cap * 2 : GROW_INITIAL;
    void *p = realloc(*array, n * elem);
    if (p == NULL) {
        return false;
    }
    *array = p;
    *cap = n;
    return true;
}

/* Stable sort of n elements into buckets 0..nkeys by key(): each bucket keeps the order the
 * elements were made in, which is time order. */
static bool sort_by_key(void *base, size_t n, size_t size, size_t nkeys,
                        size_t (*key)(const struct builder *, const void *),
                        const struct builder *b)
{
    size_t *start = calloc(nkeys + 1, sizeof(*start));
    char *out = malloc(n * size + 1);
    if (start == NULL || out == NULL) {
        free(start);
        free(out);
        return false;
    }
    char *in = base;
    for (size_t i = 0; i < n; i++) {
        start[key(b, in + i * size) + 1]++;
    }
    for (size_t k = 0; k < nkeys; k++) {
        start[k + 1] += start[k];
    }
    for (size_t i = 0; i < n; i++) {
        memcpy(out + start[key(b, in + i * size)]++ * size, in + i * size, size);
    }
    if (n > 0) {
        memcpy(base, out, n * size);
    }
    free(start);
    free(out);
    return true;
}

static long thread_slot(const struct ktrace_analysis *a, uint32_t id)
{
    return id < a->thread_ids ? a->thread_index[id] : NO_INDEX;
}

static long sc_slot(const struct ktrace_analysis *a, uint32_t id)
{
    return id < a->sc_ids ? a->sc_index[id] : NO_INDEX;
}

/* Whether the event's tcb (sc) field names a thread (context); START, SC and DOMAIN describe
 * no thread, and codes this tool does not know are not read at all. */
static bool names_thread(uint16_t ev)
{
    return ev > KTRACE_EV_START && ev < KTRACE_EV_COUNT && ev != KTRACE_EV_SC &&
           ev != KTRACE_EV_DOMAIN;
}

static bool names_sc(uint16_t ev)
{
    return ev > KTRACE_EV_START && ev < KTRACE_EV_COUNT && ev != KTRACE_EV_DOMAIN;
}

static bool record_usable(const struct ktrace_record *r)
{
    return (!names_thread(r->event) || r->tcb < KTRACE_ID_LIMIT) &&
           (!names_sc(r->event) || r->sc < KTRACE_ID_LIMIT);
}

static int64_t clamp_ticks(uint64_t v)
{
    return v > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)v;
}

/* ---------------------------------------------------------------------------------------- */
/* Set-up: time, ids and initial states */

static void compute_times(struct ktrace_analysis *a, const struct ktrace_record *r, size_t n,
                          uint64_t hz)
{
    const struct ktrace_record *start = NULL;
    for (size_t i = 0; i < n && start == NULL; i++) {
        if (r[i].event == KTRACE_EV_START) {
            start = &r[i];
        }
    }
    a->hz = hz != 0 ? hz : start != NULL ? start->value : 0;
    if (a->hz == 0) {
        a->hz = FALLBACK_HZ;
        a->hz_guessed = true;
    }
    a->t0 = start != NULL ? start->time : n > 0 ? r[0].time : 0;
    int64_t prev = INT64_MIN;
    for (size_t i = 0; i < n; i++) {
        int64_t t = (int64_t)(r[i].time - a->t0); /* wraps to negative before time 0 */
        a->times[i] = t < prev ? prev : t;
        prev = a->times[i];
    }
    a->length = n > 0 ? a->times[n - 1] : 0;
}

/* Id tables: every thread and context a usable record names, in id order. */
static bool index_ids(struct ktrace_analysis *a, const struct ktrace_record *r, size_t n)
{
    uint32_t max_tcb = 0, max_sc = 0;
    for (size_t i = 0; i < n; i++) {
        if (!record_usable(&r[i])) {
            a->ignored++;
            continue;
        }
        if (names_thread(r[i].event) && r[i].tcb > max_tcb) {
            max_tcb = r[i].tcb;
        }
        if (names_sc(r[i].event) && r[i].sc > max_sc) {
            max_sc = r[i].sc;
        }
    }
    a->thread_ids = (size_t)max_tcb + 1;
    a->sc_ids = (size_t)max_sc + 1;
    a->thread_index = malloc(a->thread_ids * sizeof(*a->thread_index));
    a->sc_index = malloc(a->sc_ids * sizeof(*a->sc_index));
    if (a->thread_index == NULL || a->sc_index == NULL) {
        return false;
    }
    for (size_t i = 0; i < a->thread_ids; i++) {
        a->thread_index[i] = NO_INDEX;
    }
    for (size_t i = 0; i < a->sc_ids; i++) {
        a->sc_index[i] = NO_INDEX;
    }
    for (size_t i = 0; i < n; i++) {
        if (!record_usable(&r[i])) {
            continue;
        }
        if (names_thread(r[i].event) && r[i].tcb != KTRACE_IDLE_ID) {
            a->thread_index[r[i].tcb] = 0; /* numbered below, in id order */
        }
        if (names_sc(r[i].event) && r[i].sc != 0) {
            a->sc_index[r[i].sc] = 0;
        }
    }
    for (size_t id = 0; id < a->thread_ids; id++) {
        if (a->thread_index[id] == 0) {
            a->thread_index[id] = (int32_t)a->nthreads++;
        }
    }
    for (size_t id = 0; id < a->sc_ids; id++) {
        if (a->sc_index[id] == 0) {
            a->sc_index[id] = (int32_t)a->nsc++;
        }
    }
    a->threads = calloc(a->nthreads + 1, sizeof(*a->threads));
    a->scs = calloc(a->nsc + 1, sizeof(*a->scs));
    if (a->threads == NULL || a->scs == NULL) {
        return false;
    }
    for (size_t id = 0; id < a->thread_ids; id++) {
        long k = thread_slot(a, (uint32_t)id);
        if (k != NO_INDEX) {
            a->threads[k].id = (uint32_t)id;
            a->threads[k].row = (unsigned)k;
        }
    }
    for (size_t id = 0; id < a->sc_ids; id++) {
        long k = sc_slot(a, (uint32_t)id);
        if (k != NO_INDEX) {
            a->scs[k].id = (uint32_t)id;
        }
    }
    return true;
}

/* Events only the running thread causes, so that one seen before any SWITCH shows which thread
 * was running when logging started. */
static bool done_by_running_thread(uint16_t ev)
{
    return ev == KTRACE_EV_MARK || ev == KTRACE_EV_EXHAUSTED || ev == KTRACE_EV_TIMEOUT ||
           ev == KTRACE_EV_FAULT || ev == KTRACE_EV_BLOCK;
}

static bool infer_initial_states(struct builder *b, const struct ktrace_record *r, size_t n)
{
    struct ktrace_analysis *a = b->a;
    bool *decided = calloc(a->nthreads + 1, sizeof(*decided));
    if (decided == NULL) {
        return false;
    }
    bool switched = false, runner = false;
    for (size_t i = 0; i < a->nthreads; i++) {
        b->tw[i].initial = KTRACE_STATE_READY;
    }
    for (size_t i = 0; i < n; i++) {
        uint16_t ev = r[i].event;
        long k = names_thread(ev) && record_usable(&r[i]) ? thread_slot(a, r[i].tcb) : NO_INDEX;
        if (ev == KTRACE_EV_SWITCH) {
            switched = true;
        }
        if (k == NO_INDEX || decided[k]) {
            continue;
        }
        if (!switched && !runner && done_by_running_thread(ev)) {
            b->tw[k].initial = KTRACE_STATE_RUNNING;
            runner = decided[k] = true;
        } else if (ev == KTRACE_EV_UNBLOCK) {
            b->tw[k].initial = KTRACE_STATE_BLOCKED;
            decided[k] = true;
        } else if (ev == KTRACE_EV_RELEASE) {
            b->tw[k].initial = KTRACE_STATE_THROTTLED;
            decided[k] = true;
        } else if (ev == KTRACE_EV_SWITCH || ev == KTRACE_EV_BLOCK || ev == KTRACE_EV_POSTPONE) {
            decided[k] = true;
        }
    }
    free(decided);
    return true;
}

/* ---------------------------------------------------------------------------------------- */
/* Intervals and runs */

static void push_interval(struct builder *b, long k, int64_t end)
{
    struct ktrace_analysis *a = b->a;
    struct thread_work *w = &b->tw[k];
    if (end <= w->since) {
        return;
    }
    if (w->last_interval != NO_INDEX) {
        struct ktrace_interval *last = &a->intervals[w->last_interval];
        /* An interval of no length between two of one state left them touching: join them. */
        if (last->state == w->state && last->sc == w->interval_sc && last->end == w->since) {
            last->end = end;
            return;
        }
    }
    if (!grow((void **)&a->intervals, &b->cap_intervals, a->nintervals, sizeof(*a->intervals))) {
        b->failed = true;
        return;
    }
    a->intervals[a->nintervals] = (struct ktrace_interval){
        .thread = a->threads[k].id,
        .sc = w->interval_sc,
        .state = w->state,
        .start = w->since,
        .end = end,
    };
    w->last_interval = (long)a->nintervals++;
}

static void set_state(struct builder *b, long k, enum ktrace_state s, uint32_t sc, int64_t t)
{
    struct thread_work *w = &b->tw[k];
    if (w->state == s && (s != KTRACE_STATE_RUNNING || w->interval_sc == sc)) {
        return;
    }
    push_interval(b, k, t);
    w->state = s;
    w->interval_sc = sc;
    w->since = t;
}

/* ---------------------------------------------------------------------------------------- */
/* Budget */

static int64_t budget_now(const struct sc_work *s, int64_t t)
{
    if (!s->running) {
        return s->remaining;
    }
    int64_t left = s->remaining - (t - s->anchor);
    return left < 0 ? 0 : left;
}

static void budget_point(struct builder *b, long k, int64_t t, int64_t v)
{
    struct ktrace_analysis *a = b->a;
    struct sc_work *s = &b->sw[k];
    if (s->emitted && s->last_time == t && s->last_value == v) {
        return;
    }
    if (!grow((void **)&a->budget, &b->cap_budget, a->nbudget, sizeof(*a->budget))) {
        b->failed = true;
        return;
    }
    a->budget[a->nbudget++] = (struct ktrace_budget_point){
        .sc = a->scs[k].id,
        .time = t,
        .remaining = v,
    };
    s->emitted = true;
    s->last_time = t;
    s->last_value = v;
}

static void budget_jump(struct builder *b, uint32_t sc, int64_t t, int64_t v)
{
    long k = sc_slot(b->a, sc);
    if (k == NO_INDEX) {
        return;
    }
    struct sc_work *s = &b->sw[k];
    if (s->known) {
        budget_point(b, k, t, budget_now(s, t));
    }
    s->known = true;
    s->remaining = v;
    s->anchor = t;
    budget_point(b, k, t, v);
}

static void budget_run(struct builder *b, uint32_t sc, int64_t t, bool starts)
{
    long k = sc_slot(b->a, sc);
    if (k == NO_INDEX) {
        return;
    }
    struct sc_work *s = &b->sw[k];
    s->remaining = budget_now(s, t);
    s->anchor = t;
    s->running = starts;
    if (s->known) {
        budget_point(b, k, t, s->remaining);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Runs */

static void start_run(struct builder *b, uint32_t thread, uint32_t sc, int64_t t)
{
    b->have_run = true;
    b->run_thread = thread;
    b->run_sc = sc;
    b->run_start = t;
    long k = thread_slot(b->a, thread);
    if (k != NO_INDEX) {
        b->tw[k].after_run = KTRACE_STATE_READY;
        b->tw[k].current_sc = sc;
        set_state(b, k, KTRACE_STATE_RUNNING, sc, t);
    }
    budget_run(b, sc, t, true);
}

static void end_run(struct builder *b, int64_t t)
{
    struct ktrace_analysis *a = b->a;
    b->have_run = false;
    int64_t ran = t - b->run_start;
    if (ran > 0) {
        if (!grow((void **)&a->runs, &b->cap_runs, a->nruns, sizeof(*a->runs))) {
            b->failed = true;
            return;
        }
        a->runs[a->nruns++] = (struct ktrace_run){
            .thread = b->run_thread,
            .sc = b->run_sc,
            .start = b->run_start,
            .end = t,
        };
    }
    long k = thread_slot(a, b->run_thread);
    if (k != NO_INDEX) {
        a->threads[k].running += ran;
        b->tw[k].last_run_sc = b->run_sc;
        set_state(b, k, b->tw[k].after_run, b->tw[k].current_sc, t);
    } else if (b->run_thread == KTRACE_IDLE_ID) {
        a->idle += ran;
    }
    budget_run(b, b->run_sc, t, false);
}

static void mention(struct builder *b, long k, int64_t t)
{
    struct thread_work *w = &b->tw[k];
    if (w->seen) {
        return;
    }
    w->seen = true;
    w->since = t;
    w->state = w->initial == KTRACE_STATE_RUNNING ? KTRACE_STATE_READY : w->initial;
    w->interval_sc = w->current_sc;
    b->a->threads[k].first = t;
    if (w->initial == KTRACE_STATE_RUNNING && !b->have_run) {
        start_run(b, b->a->threads[k].id, w->current_sc, t);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Records */

static void describe_thread(struct builder *b, long k, const struct ktrace_record *r)
{
    struct thread_work *w = &b->tw[k];
    if (r->arg < KTRACE_NAME_CHUNKS) {
        if (r->arg == 0) {
            memset(w->name, 0, sizeof(w->name));
        }
        for (unsigned i = 0; i < KTRACE_NAME_CHUNK_BYTES; i++) {
            w->name[r->arg * KTRACE_NAME_CHUNK_BYTES + i] = (uint8_t)(r->value >> (BYTE_BITS * i));
        }
        w->named = true;
    }
    b->a->threads[k].prio = r->aux;
    b->a->threads[k].sc = r->sc;
    w->current_sc = r->sc;
}

static void describe_sc(struct builder *b, const struct ktrace_record *r)
{
    long k = sc_slot(b->a, r->sc);
    if (k == NO_INDEX) {
        return;
    }
    struct ktrace_sc *s = &b->a->scs[k];
    s->described = true;
    s->budget_us = r->aux;
    s->period_us = r->value;
    s->sporadic = r->arg != 0;
}

static void do_switch(struct builder *b, const struct ktrace_record *r, int64_t t)
{
    bool same = b->have_run && b->run_thread == r->tcb && b->run_sc == r->sc;
    /* This kernel entry began aux ticks ago: the kernel billed the previous context up to
     * then and bills the new one from then, so runs split there too (never before what the
     * log already showed of either thread). */
    int64_t entry = t - (int64_t)r->aux;
    if (b->have_run && !same) {
        end_run(b, entry > b->run_start ? entry : b->run_start);
    }
    if (r->sc != 0) {
        budget_jump(b, r->sc, t, clamp_ticks(r->value));
    }
    if (!same) {
        long k = thread_slot(b->a, r->tcb);
        int64_t floor = k != NO_INDEX ? b->tw[k].since : 0; /* idle has no interval */
        if (b->a->nruns > 0 && b->a->runs[b->a->nruns - 1].end > floor) {
            floor = b->a->runs[b->a->nruns - 1].end;
        }
        start_run(b, r->tcb, r->sc, entry > floor ? entry : floor);
    }
}

/* BLOCK, UNBLOCK, POSTPONE, RELEASE: at once, or when the thread's run ends. */
static void change_state(struct builder *b, long k, enum ktrace_state s, int64_t t)
{
    if (b->have_run && b->run_thread == b->a->threads[k].id) {
        b->tw[k].after_run = s;
    } else {
        set_state(b, k, s, b->tw[k].current_sc, t);
    }
}

/* DONATE and RETURN: the receiver now holds sc, and the thread it came from does not. */
static void move_sc(struct builder *b, long k, const struct ktrace_record *r)
{
    b->tw[k].current_sc = r->sc;
    long from = thread_slot(b->a, r->aux);
    if (r->aux != KTRACE_IDLE_ID && from != NO_INDEX && b->tw[from].current_sc == r->sc) {
        b->tw[from].current_sc = 0;
    }
}

static void process(struct builder *b, const struct ktrace_record *r, int64_t t)
{
    struct ktrace_analysis *a = b->a;
    long k = names_thread(r->event) ? thread_slot(a, r->tcb) : NO_INDEX;
    if (r->event == KTRACE_EV_THREAD && k != NO_INDEX) {
        describe_thread(b, k, r); /* first, so a first mention starts on its context */
    }
    if (k != NO_INDEX) {
        mention(b, k, t);
    }
    switch (r->event) {
    case KTRACE_EV_SC:
        describe_sc(b, r);
        break;
    case KTRACE_EV_SWITCH:
        do_switch(b, r, t);
        break;
    case KTRACE_EV_BLOCK:
        if (k != NO_INDEX) {
            change_state(b, k, KTRACE_STATE_BLOCKED, t);
        }
        break;
    case KTRACE_EV_UNBLOCK:
        if (k != NO_INDEX) {
            change_state(b, k, KTRACE_STATE_READY, t);
        }
        break;
    case KTRACE_EV_POSTPONE:
        if (k != NO_INDEX) {
            change_state(b, k, KTRACE_STATE_THROTTLED, t);
        }
        break;
    case KTRACE_EV_RELEASE:
        if (k != NO_INDEX) {
            change_state(b, k, KTRACE_STATE_READY, t);
        }
        if (r->sc != 0) {
            budget_jump(b, r->sc, t, r->aux);
        }
        break;
    case KTRACE_EV_EXHAUSTED:
        if (k != NO_INDEX) {
            a->threads[k].exhausted++;
        }
        if (r->sc != 0) {
            budget_jump(b, r->sc, t, 0);
        }
        break;
    case KTRACE_EV_TIMEOUT:
        if (k != NO_INDEX) {
            a->threads[k].timeouts++;
        }
        break;
    case KTRACE_EV_FAULT:
        if (k != NO_INDEX) {
            a->threads[k].faults++;
        }
        break;
    case KTRACE_EV_DONATE:
    case KTRACE_EV_RETURN:
        if (k != NO_INDEX) {
            move_sc(b, k, r);
        }
        break;
    default:
        break;
    }
}

/* ---------------------------------------------------------------------------------------- */

static void finish_names(struct builder *b)
{
    for (size_t k = 0; k < b->a->nthreads; k++) {
        struct ktrace_thread *t = &b->a->threads[k];
        struct thread_work *w = &b->tw[k];
        size_t len = 0;
        while (w->named && len < KTRACE_NAME_MAX && w->name[len] != 0) {
            uint8_t c = w->name[len];
            t->name[len++] = c >= PRINTABLE_FIRST && c <= PRINTABLE_LAST ? (char)c : '?';
        }
        t->name[len] = '\0';
        if (len == 0) {
            snprintf(t->name, sizeof(t->name), "tcb%u", (unsigned)t->id);
        }
        if (t->sc == 0) {
            t->sc = w->last_run_sc; /* a passive thread: the context it last ran on */
        }
    }
}

static size_t interval_key(const struct builder *b, const void *p)
{
    return (size_t)thread_slot(b->a, ((const struct ktrace_interval *)p)->thread);
}

static size_t budget_key(const struct builder *b, const void *p)
{
    return (size_t)sc_slot(b->a, ((const struct ktrace_budget_point *)p)->sc);
}

int ktrace_analyse(struct ktrace_analysis *a, const struct ktrace_record *r, size_t n, uint64_t hz)
{
    memset(a, 0, sizeof(*a));
    struct builder b = {.a = a};
    a->nrecords = n;
    a->times = malloc((n + 1) * sizeof(*a->times));
    if (a->times == NULL || !index_ids(a, r, n)) {
        goto fail;
    }
    compute_times(a, r, n, hz);
    b.tw = calloc(a->nthreads + 1, sizeof(*b.tw));
    b.sw = calloc(a->nsc + 1, sizeof(*b.sw));
    if (b.tw == NULL || b.sw == NULL) {
        goto fail;
    }
    for (size_t k = 0; k < a->nthreads; k++) {
        b.tw[k].last_interval = NO_INDEX;
    }
    if (!infer_initial_states(&b, r, n)) {
        goto fail;
    }
    for (size_t i = 0; i < n && !b.failed; i++) {
        if (record_usable(&r[i])) {
            process(&b, &r[i], a->times[i]);
        }
    }
    if (b.have_run) {
        end_run(&b, a->length);
    }
    for (size_t k = 0; k < a->nthreads; k++) {
        if (b.tw[k].seen) {
            push_interval(&b, (long)k, a->length);
        }
    }
    finish_names(&b);
    if (b.failed || !ktrace_windows_compute(a) ||
        !sort_by_key(a->intervals, a->nintervals, sizeof(*a->intervals), a->nthreads, interval_key,
                     &b) ||
        !sort_by_key(a->budget, a->nbudget, sizeof(*a->budget), a->nsc, budget_key, &b)) {
        goto fail;
    }
    free(b.tw);
    free(b.sw);
    return 0;
fail:
    free(b.tw);
    free(b.sw);
    ktrace_analysis_free(a);
    return -1;
}

void ktrace_analysis_free(struct ktrace_analysis *a)
{
    free(a->times);
    free(a->threads);
    free(a->scs);
    free(a->intervals);
    free(a->runs);
    free(a->budget);
    free(a->windows);
    free(a->thread_index);
    free(a->sc_index);
    memset(a, 0, sizeof(*a));
}

double ktrace_ticks_to_us(const struct ktrace_analysis *a, int64_t ticks)
{
    return (double)ticks * US_PER_S / (double)a->hz;
}

const struct ktrace_thread *ktrace_find_thread(const struct ktrace_analysis *a, uint32_t id)
{
    long k = thread_slot(a, id);
    return k == NO_INDEX || id == KTRACE_IDLE_ID ? NULL : &a->threads[k];
}

const struct ktrace_sc *ktrace_find_sc(const struct ktrace_analysis *a, uint32_t id)
{
    long k = sc_slot(a, id);
    return k == NO_INDEX || id == 0 ? NULL : &a->scs[k];
}

const char *ktrace_thread_name(const struct ktrace_analysis *a, uint32_t id)
{
    if (id == KTRACE_IDLE_ID) {
        return "idle";
    }
    const struct ktrace_thread *t = ktrace_find_thread(a, id);
    return t != NULL ? t->name : NULL;
}

const char *ktrace_state_name(enum ktrace_state s)
{
    static const char *const names[KTRACE_STATE_COUNT] = {
        [KTRACE_STATE_RUNNING] = "running",
        [KTRACE_STATE_READY] = "ready",
        [KTRACE_STATE_THROTTLED] = "throttled",
        [KTRACE_STATE_BLOCKED] = "blocked",
    };
    return (unsigned)s < KTRACE_STATE_COUNT ? names[s] : "unknown";
}

const char *ktrace_event_name(uint16_t event)
{
    static const char *const names[KTRACE_EV_COUNT] = {
        [KTRACE_EV_START] = "start",
        [KTRACE_EV_THREAD] = "thread",
        [KTRACE_EV_SC] = "sc",
        [KTRACE_EV_SWITCH] = "switch",
        [KTRACE_EV_BLOCK] = "block",
        [KTRACE_EV_UNBLOCK] = "unblock",
        [KTRACE_EV_EXHAUSTED] = "exhausted",
        [KTRACE_EV_POSTPONE] = "postpone",
        [KTRACE_EV_RELEASE] = "release",
        [KTRACE_EV_TIMEOUT] = "timeout",
        [KTRACE_EV_FAULT] = "fault",
        [KTRACE_EV_IRQ] = "irq",
        [KTRACE_EV_DONATE] = "donate",
        [KTRACE_EV_RETURN] = "return",
        [KTRACE_EV_DOMAIN] = "domain",
        [KTRACE_EV_MARK] = "mark",
    };
    return event < KTRACE_EV_COUNT && names[event] != NULL ? names[event] : "unknown";
}

const char *ktrace_block_name(uint16_t arg)
{
    switch (arg) {
    case KTRACE_BLOCK_RECEIVE:
        return "receive";
    case KTRACE_BLOCK_SEND:
        return "send";
    case KTRACE_BLOCK_REPLY:
        return "reply";
    case KTRACE_BLOCK_NOTIFICATION:
        return "notification";
    case KTRACE_BLOCK_INACTIVE:
        return "inactive";
    default:
        return "";
    }
}
