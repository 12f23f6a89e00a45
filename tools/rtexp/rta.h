/* rta.h — schedulability analysis of a fixed-priority task set on one CPU: exact response-time
 * analysis (Joseph & Pandya; Audsley et al.), with and without kernel overheads, and the
 * Liu & Layland and hyperbolic (Bini, Buttazzo & Buttazzo) utilisation bounds for reference.
 *
 * Overheads are folded into each job's execution time, as the literature does:
 *     C' = C + release + 2 x switch
 * Every job is released once (the timer interrupt and the kernel work that make it ready),
 * switched in once and switched out once (when it completes). A preemption costs the
 * preempted job nothing extra: the switch away from it is the preempting job's switch in,
 * and the switch back is the preempting job's switch out, both already in the preempting
 * job's C'. RTA with overheads is therefore plain RTA on C'. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "record.h"

#define RTA_NS_PER_US 1000u

/* The kernel's costs as the calibration run measures them, in nanoseconds. */
struct rta_overheads {
    uint64_t release_ns; /* releasing one job alone */
    uint64_t switch_ns;  /* one context switch */
    uint64_t signal_ns;  /* each further job the same timer interrupt releases */
};

/* One task as the analysis sees it, in nanoseconds. */
struct rta_task {
    uint64_t c_ns;
    uint64_t t_ns;
    uint64_t d_ns;
    uint64_t release_ns; /* what each of its releases costs every task below the releaser */
    uint32_t prio;       /* larger runs first; distinct within a set */
};

/* C' in ns: C plus one release, the signals of the other tasks released with it, and two
 * switches. */
uint64_t rta_job_cost_ns(uint32_t c_us, uint32_t ntasks, const struct rta_overheads *ovh);

/* The worst-case response time of tasks[i] under synchronous release: the least fixed point of
 * R = C_i + sum over higher-priority j of ceil(R / T_j) * C_j + sum over lower-priority j of
 * ceil(R / T_j) * release_j (their releases interrupt it too), iterated from C_i, in integers.
 * RECORD_NO_RTA when R exceeds D_i. */
uint64_t rta_response_ns(const struct rta_task *tasks, uint32_t n, uint32_t i);

/* Liu & Layland: sum u_i <= n (2^(1/n) - 1). */
bool rta_liu_layland(const double *u, uint32_t n);
/* Hyperbolic: product (u_i + 1) <= 2. */
bool rta_hyperbolic(const double *u, uint32_t n);

/* Fills each task's rta_ns and rta_ovh_ns and the set's four verdicts from the tasks' nominal
 * C, T, D and priorities. The bounds take u_i = C_i / D_i: for implicit deadlines that is
 * the utilisation, and for constrained ones it keeps them sufficient (a set that passes with
 * periods D_i is schedulable with the longer periods T_i). */
void rta_analyse_set(struct record_set *set, const struct rta_overheads *ovh);
