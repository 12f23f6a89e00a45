/* ktrace_analyse.h — rebuilds what the scheduler did from the event log: each thread's states
 * over time, each context's runs and remaining budget, its consumption per one-period window,
 * and per-thread totals. The rules are in ktrace_analyse.c's header comment. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <kairos/trace_format.h>

/* A THREAD record's name: KTRACE_NAME_CHUNKS chunks of 8 bytes. */
#define KTRACE_NAME_CHUNKS 4u
#define KTRACE_NAME_CHUNK_BYTES 8u
#define KTRACE_NAME_MAX (KTRACE_NAME_CHUNKS * KTRACE_NAME_CHUNK_BYTES)
#define KTRACE_IDLE_ID 0u

/* Ids are handed out from 1 in order of first mention, each after a description record, so in
 * a log of at most KTRACE_CAPACITY records no valid id reaches this; records naming a larger
 * one are left out of the analysis. */
#define KTRACE_ID_LIMIT KTRACE_CAPACITY

enum ktrace_state {
    KTRACE_STATE_RUNNING,
    KTRACE_STATE_READY,
    KTRACE_STATE_THROTTLED, /* waiting in the release queue for a refill */
    KTRACE_STATE_BLOCKED,
    KTRACE_STATE_COUNT
};

/* Times below are ticks since time 0 (the START record, else the first record). */
struct ktrace_thread {
    uint32_t id;
    char name[KTRACE_NAME_MAX + 1]; /* printable ASCII ('?' for other bytes); "tcb<id>" unnamed */
    uint32_t prio;
    uint32_t sc;     /* its own context: the latest THREAD record's sc, else the last it ran on */
    unsigned row;    /* Gantt row from the top: threads in id order */
    int64_t first;   /* its first mention */
    int64_t running; /* ticks it ran */
    unsigned exhausted, timeouts, faults;
};

struct ktrace_sc {
    uint32_t id;
    bool described; /* an SC record came: budget and period are known */
    bool sporadic;
    uint32_t budget_us;
    uint64_t period_us;
    int64_t period;     /* period in ticks; 0 when unknown */
    int64_t max_window; /* the most consumed in any window, ticks; 0 without windows */
};

/* One thread in one state; sc is the context it ran on (running) or its context then. */
struct ktrace_interval {
    uint32_t thread, sc;
    enum ktrace_state state;
    int64_t start, end;
};

/* A thread (idle too) running on one context, from a SWITCH to the next. */
struct ktrace_run {
    uint32_t thread, sc;
    int64_t start, end;
};

/* A context's head-refill budget at a time; two points at one time draw a jump. */
struct ktrace_budget_point {
    uint32_t sc;
    int64_t time, remaining;
};

/* [start, start + period) from a run's start: the time any thread ran on sc in it. */
struct ktrace_window {
    uint32_t sc, thread;
    int64_t start, consumed;
};

struct ktrace_analysis {
    uint64_t hz;
    bool hz_guessed; /* neither the begin line nor a START record had it: 1 MHz assumed */
    uint64_t t0;     /* absolute ticks of time 0 */
    int64_t length;  /* the last record's time */
    int64_t idle;    /* ticks the idle thread ran */
    size_t nrecords;
    int64_t *times; /* each record's time, made non-decreasing */
    size_t ignored; /* records naming an id at or above KTRACE_ID_LIMIT */

    struct ktrace_thread *threads; /* by id; the idle thread is not one */
    size_t nthreads;
    struct ktrace_sc *scs; /* by id: every context a record names */
    size_t nsc;
    struct ktrace_interval *intervals; /* by thread, then start */
    size_t nintervals;
    struct ktrace_run *runs; /* by start */
    size_t nruns;
    struct ktrace_budget_point *budget; /* by sc, then time */
    size_t nbudget;
    struct ktrace_window *windows; /* by sc, then start */
    size_t nwindows;

    /* private: id -> index in threads / scs, or -1 */
    int32_t *thread_index, *sc_index;
    size_t thread_ids, sc_ids;
};

/* Analyses records r[0..n) (in index order); hz as the begin line gave it, 0 if unknown.
 * Returns 0, or -1 when out of memory (a is then empty). Free with ktrace_analysis_free. */
int ktrace_analyse(struct ktrace_analysis *a, const struct ktrace_record *r, size_t n, uint64_t hz);
void ktrace_analysis_free(struct ktrace_analysis *a);

double ktrace_ticks_to_us(const struct ktrace_analysis *a, int64_t ticks);

/* NULL when no record names the id (and for the idle thread). */
const struct ktrace_thread *ktrace_find_thread(const struct ktrace_analysis *a, uint32_t id);
const struct ktrace_sc *ktrace_find_sc(const struct ktrace_analysis *a, uint32_t id);
/* "idle" for id 0; NULL when there is no such thread. */
const char *ktrace_thread_name(const struct ktrace_analysis *a, uint32_t id);

const char *ktrace_state_name(enum ktrace_state s);
/* "switch", "block", ...; "unknown" for a code this tool does not know. */
const char *ktrace_event_name(uint16_t event);
/* KTRACE_BLOCK_*'s name ("receive", ...); "" for another value. */
const char *ktrace_block_name(uint16_t arg);
