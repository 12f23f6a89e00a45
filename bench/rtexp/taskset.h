/* bench/rtexp/taskset.h — a batch of task sets as the experiment root task reads it
 * (bench/rtexp, `make experiment`, docs/experiments.md). Host-compilable: tools/rtexp writes
 * it, and `objcopy --update-section` puts it into the root task's RTEXP_SECTION, so one root
 * task ELF runs any batch without being recompiled. Little-endian, no pointers. */
#ifndef BENCH_RTEXP_TASKSET_H
#define BENCH_RTEXP_TASKSET_H

#include <stdint.h>

#define RTEXP_MAGIC 0x58455452u /* "RTEX" */
#define RTEXP_VERSION 1u
#define RTEXP_SECTION ".rtexp_batch"

/* What one root task can hold: threads, scheduling contexts and sets per boot. */
#define RTEXP_MAX_TASKS 16u
#define RTEXP_MAX_SETS 640u

/* Percent of C a job runs for: 100 = exactly C; the isolation experiment's overrunning task
 * has more. */
#define RTEXP_EXACT_PCT 100u

struct rtexp_task {
    uint32_t c_us;      /* worst-case execution time: every job runs this (times run_pct) */
    uint32_t t_us;      /* period: job k is released at t0 + k * t_us */
    uint32_t d_us;      /* relative deadline (= t_us for implicit deadlines) */
    uint32_t budget_us; /* the scheduling context's budget (C plus overheads, or T) */
    uint32_t prio;      /* seL4 priority: larger runs first */
    uint32_t run_pct;   /* RTEXP_EXACT_PCT, or more for an overrunning task */
};

struct rtexp_set {
    uint32_t id;     /* the set's number in the experiment, echoed in its result lines */
    uint32_t ntasks; /* tasks[0..ntasks) */
    uint32_t run_us; /* how long the set runs from its synchronous release t0 */
    uint32_t flags;  /* RTEXP_SET_* */
    struct rtexp_task task[RTEXP_MAX_TASKS];
};

/* Budgets as given (enforced); without it each context's budget is its period. */
#define RTEXP_SET_ENFORCE 1u

struct rtexp_batch {
    uint32_t magic;   /* RTEXP_MAGIC: anything else is an empty, unwritten section */
    uint32_t version; /* RTEXP_VERSION */
    uint32_t nsets;   /* set[0..nsets) */
    uint32_t batch;   /* which of the experiment's batches this is */
    struct rtexp_set set[RTEXP_MAX_SETS];
};

_Static_assert(sizeof(struct rtexp_task) == 24, "rtexp_task layout");
_Static_assert(sizeof(struct rtexp_set) == 16 + RTEXP_MAX_TASKS * 24, "rtexp_set layout");

/* The root task's result lines, one JSON object each (parsed by tools/rtexp), in ns:
 *   {"exp":"overheads","release_ns":R,"switch_ns":S,"signal_ns":G,"jobs":N}  calibration
 *   {"exp":"task","set":I,"task":J,"jobs":N,"misses":M,"wcrt_ns":W,"release_late_ns":L}
 *   {"exp":"window","set":I,"task":J,"max_window_ns":W,"budget_ns":B}  an overrunning task
 *   {"exp":"set","set":I,"ok":1}                                        after its tasks
 *   {"exp":"end","sets":N}                                              last; QEMU exits 0 */

#endif
