/* merge.h — what the runs say against what the analysis predicted: per-set verdicts, the
 * schedulability ratio per utilisation point, per-task response times against their bounds,
 * the isolation experiment's miss ratios, and the invariants an experiment must hold:
 *   - every set ran to its "set" line (none failed);
 *   - no set RTA with overheads calls schedulable missed a deadline;
 *   - no task's observed worst response time exceeds its RTA-with-overheads bound;
 *   - the observed verdict agrees with RTA with overheads on >= MERGE_AGREEMENT_MIN of the
 *     RTA sets that ran (synchronous release and exact C make RTA exact);
 *   - with budgets enforced, the tasks other than the overrunning one never miss in an
 *     isolation set that is schedulable without the overrun;
 *   - with budgets enforced, the overrunning task never runs more than its context's budget
 *     (plus MERGE_WINDOW_SLACK_NS) in any window of its period, where the root task reports
 *     it (its "window" lines, from the kernel's event log in trace builds). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "record.h"
#include "results.h"

#define MERGE_AGREEMENT_MIN 0.98
#define MERGE_U_SLACK 1e-9 /* sets.jsonl's u_point of one point compare equal within this */
/* What a window may hold beyond the budget: the event log's timestamps of a run's start and
 * end each fall on a timer tick, as in the budget demo's check (tools/ktrace-run.py). */
#define MERGE_WINDOW_SLACK_NS 1000u

/* Where a task's observed worst response time lies against [rta, rta_ovh]: its bound without
 * and with overheads. As overheads only add, wcrt below rta means a measurement problem, and
 * above rta_ovh an unsafe analysis. */
enum merge_within {
    MERGE_NO_BOUND, /* RTA with overheads finds it unschedulable */
    MERGE_WITHIN,
    MERGE_BELOW,
    MERGE_ABOVE,
};

/* The set has no "set" line or lacks a task's line. */
bool merge_failed(const struct record_set *rec, const struct results_set *res);
/* It ran, said ok, and no task missed. */
bool merge_observed_sched(const struct record_set *rec, const struct results_set *res);
/* Misses of the tasks other than the overrunning one (all tasks when none overruns). */
uint64_t merge_other_misses(const struct record_set *rec, const struct results_set *res);
uint64_t merge_other_jobs(const struct record_set *rec, const struct results_set *res);

/* A window line of an enforced set's overrunning task that holds more than budget + slack. */
bool merge_window_over(const struct record_set *rec, const struct results_set *res);

enum merge_within merge_task_within(const struct record_task *t, const struct results_task *r);

/* One utilisation point of the RTA sets. Ratios are over the sets that ran (sets - failed). */
struct merge_point {
    double u;
    uint32_t sets;
    uint32_t failed;
    uint32_t observed; /* observed schedulable */
    uint32_t rta;
    uint32_t rta_ovh;
    uint32_t ll;
    uint32_t hyperbolic;
};

/* The RTA sets' points in order of first appearance; at most cap. */
uint32_t merge_points(const struct record_set *recs, const struct results_set *res, uint32_t n,
                      struct merge_point *out, uint32_t cap);

/* One factor and enforcement of the isolation sets. */
struct merge_isolation {
    double factor;
    bool enforce;
    uint32_t sets;
    uint32_t failed;
    uint64_t other_jobs; /* of the tasks other than the overrunning one, in sets that ran */
    uint64_t other_misses;
    uint32_t sets_with_other_miss;
    uint32_t window_sets; /* sets that ran with a window line for the overrunning task */
    uint32_t window_over; /* of those: more than budget + slack in a window (enforced only) */
};

/* Enforced groups first, then those with budget = period, each by increasing factor; at most
 * cap. */
uint32_t merge_isolation(const struct record_set *recs, const struct results_set *res, uint32_t n,
                         struct merge_isolation *out, uint32_t cap);

struct merge_check {
    uint32_t sets;   /* all kinds */
    uint32_t failed; /* all kinds */
    uint32_t rta_sets;
    uint32_t rta_ran;          /* RTA sets that did not fail */
    uint32_t agree;            /* of rta_ran: observed verdict == sched_rta_ovh */
    uint32_t sched_but_missed; /* of rta_ran: sched_rta_ovh, yet a miss or not ok */
    uint32_t tasks_bounded;    /* tasks of rta_ran sets with an RTA-with-overheads bound */
    uint32_t tasks_within;
    uint32_t tasks_below;
    uint32_t tasks_above;
    uint32_t isolation_broken; /* enforced, schedulable isolation sets with other misses */
    uint32_t window_checked;   /* enforced isolation sets that ran with a window line */
    uint32_t window_over;      /* of those: merge_window_over */
};

void merge_check(const struct record_set *recs, const struct results_set *res, uint32_t n,
                 struct merge_check *out);

/* agree / rta_ran, or 1 when no RTA set ran. */
double merge_agreement(const struct merge_check *c);

/* All the invariants of the header comment. */
bool merge_holds(const struct merge_check *c);
