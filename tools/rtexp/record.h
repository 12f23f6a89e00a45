/* record.h — one generated task set as rtexp keeps it: what the root task runs (the fields of
 * struct rtexp_set) plus what the analysis says about it. gen fills the tasks, rta the
 * verdicts, batch the budgets; record_io writes it to sets.jsonl and reads it back. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "taskset.h"

/* A response time that does not exist: the task is unschedulable (R > D). A real response
 * time is at least C >= the minimum budget, so 0 is free. */
#define RECORD_NO_RTA 0u

/* The overrun_task of an RTA set. An isolation set always names its highest-utilisation task,
 * even at factor 1 (it then runs exactly C), so "the other tasks" mean the same at every
 * factor. */
#define RECORD_NO_OVERRUN (-1)

enum record_kind {
    RECORD_RTA,       /* a set of the schedulability experiment */
    RECORD_ISOLATION, /* a set of the isolation experiment: one task overruns */
};

struct record_task {
    uint32_t c_us;       /* nominal worst-case execution time, as the analysis takes it */
    uint32_t t_us;       /* period */
    uint32_t d_us;       /* relative deadline */
    uint32_t prio;       /* seL4 priority, larger first; distinct within a set */
    uint32_t budget_us;  /* scheduling context budget (batch_set_budgets) */
    uint32_t run_pct;    /* RTEXP_EXACT_PCT, or more for the overrunning task */
    uint64_t rta_ns;     /* response time without overheads, or RECORD_NO_RTA */
    uint64_t rta_ovh_ns; /* response time with overheads, or RECORD_NO_RTA */
};

struct record_set {
    uint32_t id;    /* 0, 1, 2, ... in generation order; the index in sets.jsonl */
    uint32_t batch; /* the batch file it is in */
    enum record_kind kind;
    double u_point;       /* the total utilisation it was generated for */
    double u;             /* its actual total utilisation, sum of C/T after rounding */
    double factor;        /* the overrun factor (1 for RTA sets) */
    bool enforce;         /* budgets from C plus overheads; otherwise budget = period */
    int32_t overrun_task; /* index of the overrunning task, or RECORD_NO_OVERRUN */
    uint32_t run_us;      /* run length from the synchronous release */
    uint32_t ntasks;
    struct record_task task[RTEXP_MAX_TASKS]; /* highest priority first */
    bool sched_rta;                           /* every task has an RTA bound within its deadline */
    bool sched_rta_ovh;                       /* likewise with overheads */
    bool ll;                                  /* within the Liu & Layland bound */
    bool hyperbolic;                          /* within the hyperbolic bound */
    uint64_t ovh_release_ns;                  /* the overheads it was analysed and budgeted with */
    uint64_t ovh_switch_ns;
};
