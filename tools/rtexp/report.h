/* report.h — rtexp's output files, each written to a FILE so the tests can read them back:
 * experiment.txt from `gen`; results.jsonl, summary.csv, wcrt.csv, isolation.csv and
 * agreement.txt from `merge` (columns in each function's comment and in `rtexp --help`). */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "exp_file.h"
#include "merge.h"
#include "record.h"
#include "results.h"
#include "rta.h"

/* The definition as read, the overheads used and where they came from (NULL: none given, so
 * zero), and each batch's set count and virtual run time. */
void report_experiment(FILE *f, const char *path, const struct exp_def *def,
                       const struct rta_overheads *ovh, const char *ovh_source,
                       const struct record_set *sets, uint32_t nsets, uint32_t jobs);

/* Each set's sets.jsonl fields, then jobs, misses, wcrt_ns and release_late_ns per task
 * (arrays, null where a task's line is missing), max_window_ns and window_budget_ns per task
 * (null but for an overrunning task with a window line), ok, failed and observed_sched (null
 * when failed). */
void report_results_jsonl(FILE *f, const struct record_set *recs, const struct results_set *res,
                          uint32_t n);

/* u,sets,failed,observed_ratio,rta_ratio,rta_ovh_ratio,ll_ratio,hyperbolic_ratio: ratios
 * over the sets that ran, empty when none did. */
void report_summary_csv(FILE *f, const struct merge_point *points, uint32_t npoints);

/* set,task,prio,rta_ns,rta_ovh_ns,wcrt_ns,within,misses: one row per task of each RTA set
 * that ran; rta_ns, rta_ovh_ns empty when unschedulable, within 1/0, empty without a bound. */
void report_wcrt_csv(FILE *f, const struct record_set *recs, const struct results_set *res,
                     uint32_t n);

/* factor,enforce,sets,failed,other_jobs,other_misses,other_miss_ratio,sets_with_other_miss,
 * window_sets,window_over: the header alone when there are no isolation sets. */
void report_isolation_csv(FILE *f, const struct merge_isolation *groups, uint32_t ngroups);

/* The checks of merge.h with their figures and every exception listed: failed sets, sets
 * schedulable with overheads that missed, tasks outside [rta, rta_ovh], broken isolation,
 * windows over budget, and overheads measured in the logs above those the sets were built with. */
void report_agreement(FILE *f, const struct record_set *recs, const struct results_set *res,
                      uint32_t n, const struct merge_check *check, const struct results_log *logs,
                      const char *const *log_names, uint32_t nlogs);

/* A few lines for a human: sets, failures, agreement, invariants. */
void report_human(FILE *f, const struct merge_check *check);
