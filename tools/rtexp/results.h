/* results.h — reads the experiment root task's result lines (the end of bench/rtexp/taskset.h)
 * out of a QEMU console log:
 *   {"exp":"overheads","release_ns":R,"switch_ns":S}
 *   {"exp":"task","set":I,"task":J,"jobs":N,"misses":M,"wcrt_ns":W,"release_late_ns":L}
 *   {"exp":"window","set":I,"task":J,"max_window_ns":W,"budget_ns":B}   trace builds only
 *   {"exp":"set","set":I,"ok":1}
 *   {"exp":"end","sets":N}
 * A "window" line is the most an overrunning task ran in any window of its period (from the
 * kernel's event log) against the budget its context had. Extra fields are ignored.
 * A line may carry other console text around the object and end in CRLF; lines without
 * `{"exp":` are not looked at. A set without its "set" line did not finish: QEMU hung, crashed
 * or was killed. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "record.h"
#include "rta.h"

#define RESULTS_MARK "{\"exp\":"
#define RESULTS_MAX_PROBLEMS 8
#define RESULTS_PROBLEM_MAX 200

struct results_task {
    bool seen;
    uint64_t jobs;
    uint64_t misses;
    uint64_t wcrt_ns;         /* the worst response time observed, release to finish */
    uint64_t release_late_ns; /* the latest a release came after t0 + k T */
};

struct results_window {
    bool seen;
    uint64_t max_window_ns; /* the most the task ran in any window of its period */
    uint64_t budget_ns;     /* its context's budget */
};

struct results_set {
    bool seen; /* its "set" line was read */
    bool ok;
    uint32_t log; /* which log it came from */
    struct results_task task[RTEXP_MAX_TASKS];
    struct results_window window[RTEXP_MAX_TASKS];
};

/* What one log held besides the sets' results. */
struct results_log {
    bool have_overheads;
    struct rta_overheads ovh; /* the largest of each field over all "overheads" lines */
    bool ended;               /* an "end" line was read */
    uint64_t end_sets;
    uint32_t set_lines;
    uint32_t task_lines;
    uint32_t window_lines;
    uint32_t problems; /* malformed result lines, unknown sets or tasks, duplicates */
    char problem[RESULTS_MAX_PROBLEMS][RESULTS_PROBLEM_MAX]; /* the first few, "line N: ..." */
};

/* Reads one log's lines into res[0..nsets), indexed by set id; recs gives each set's task
 * count. The first result for a set or task wins; a repeat is a problem. Overheads lines
 * are collected with nsets = 0 too. log_index is stored in each set it completes. */
void results_parse_log(const char *text, size_t len, const struct record_set *recs, uint32_t nsets,
                       uint32_t log_index, struct results_set *res, struct results_log *log);

/* Whether a set's results are complete: its "set" line and a "task" line for each task. */
bool results_set_complete(const struct results_set *res, uint32_t ntasks);
