/* exp_file.h — an experiment definition (bench/experiments/NAME.json, docs/experiments.md):
 * a flat JSON object naming the task-set population, checked field by field so a bad file
 * fails with the field's name before anything is generated or run. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The kernel's minimum budget and period, MIN_BUDGET_US in sched/scheduler.h (2 x its WCET):
 * no C may be shorter, and a period must hold at least two of them. */
#define KAIROS_MIN_BUDGET_US 20u

#define EXP_NAME_MAX 64
#define EXP_COMMENT_MAX 256
#define EXP_MAX_FACTORS 16
#define EXP_MAX_OVERRUN 100.0 /* a larger factor is a hog, not an overrun */
#define EXP_MAX_POINTS 1000
#define EXP_MAX_SETS 40960u /* 64 batches of RTEXP_MAX_SETS: far beyond any useful run */
#define EXP_US_PER_MS 1000.0

struct exp_def {
    char name[EXP_NAME_MAX]; /* [A-Za-z0-9_.-]: it names the output folder */
    char comment[EXP_COMMENT_MAX];
    uint32_t tasks;              /* n per set */
    double u_min, u_max, u_step; /* total utilisation points */
    uint32_t npoints;            /* derived: u_min, u_min + u_step, ... <= u_max */
    uint32_t sets_per_point;     /* RTA sets at each point */
    double period_min_ms;        /* periods log-uniform in [min, max] */
    double period_max_ms;
    uint32_t period_min_us; /* derived, rounded */
    uint32_t period_max_us;
    uint32_t run_periods; /* a set runs run_periods x its longest period */
    uint64_t seed;
    double deadline_factor; /* D = factor x T; 1 = implicit deadlines */
    uint32_t nfactors;      /* 0: no isolation experiment */
    double overrun_factor[EXP_MAX_FACTORS];
    uint32_t isolation_sets; /* base sets, each run at every factor, enforced and not */
    double isolation_u;      /* their total utilisation */
};

/* Parses and checks a definition; path only names the file in messages. false with err set
 * to "PATH: field "F": what is wrong" (or a JSON syntax error). */
bool exp_parse(const char *text, size_t len, const char *path, struct exp_def *def, char *err,
               size_t errlen);

/* Reads path and parses it. */
bool exp_load(const char *path, struct exp_def *def, char *err, size_t errlen);

/* The k-th utilisation point, rounded to 1e-9 so 0.05 + 19 x 0.05 is exactly 1. */
double exp_point_u(const struct exp_def *def, uint32_t k);

/* How many sets the definition makes: RTA sets, then isolation sets. */
uint32_t exp_rta_sets(const struct exp_def *def);
uint32_t exp_isolation_sets(const struct exp_def *def);
