/* The experiment root task (`make experiment`, docs/experiments.md): what its threads share.
 * main.c sets up a task set, releases it and reads the results; tasks.c holds the task
 * threads, the stopper that ends a set and the calibration spinner. The threads share the
 * root task's VSpace and CSpace and have no IPC buffer or TLS: they make only
 * register-only system calls. */
#ifndef BENCH_RTEXP_H
#define BENCH_RTEXP_H

#include <kairos/counter.h>
#include <sel4/sel4.h>
#include <stdint.h>

#include "taskset.h"

#define RTEXP_STACK_BYTES 4096u
/* Calibration records this many jobs and spinner gaps. */
#define CALIB_JOBS 64u

/* One task thread's parameters (written by the root task before the release) and results
 * (written by the thread, read by the root task once the set is stopped). */
struct task_state {
    seL4_CPtr ntfn;    /* its release: signalled once, at t0 */
    uint64_t t0;       /* counter value of job 0's release */
    uint64_t period;   /* ticks */
    uint64_t deadline; /* ticks after a release */
    uint64_t work;     /* instructions per job: ns under icount */
    /* Results. */
    volatile uint64_t release; /* the current job's release */
    uint64_t first_release;    /* t0 as the releaser counts it */
    volatile uint32_t in_job;  /* a job is released and not finished */
    volatile uint32_t jobs;    /* finished */
    volatile uint32_t misses;  /* finished after their deadline */
    volatile uint64_t wcrt;    /* ticks, the worst finish - release */
    volatile uint64_t late;    /* ticks, the worst start - release */
    /* Calibration: per job, its start and finish. */
    uint64_t starts[CALIB_JOBS], finishes[CALIB_JOBS];
};

struct rtexp_shared {
    struct task_state task[RTEXP_MAX_TASKS];
    /* The releaser: it signals each task at t0 + k T from the EL1 physical timer's
     * interrupt (PPI 30), which its handler delivers to timer_ntfn. */
    uint32_t ntasks;                         /* tasks of the running set */
    volatile uint64_t next[RTEXP_MAX_TASKS]; /* each task's next release */
    uint32_t order[RTEXP_MAX_TASKS];         /* task indices, highest priority first */
    seL4_CPtr timer_ntfn, timer_irq;
    uint64_t phys_offset;   /* CNTPCT - CNTVCT: the timer compares the physical count */
    seL4_CPtr stopper_ntfn; /* the stopper waits on it once, before a set */
    seL4_CPtr done_ntfn;    /* the stopper signals it when a set's time is up */
    volatile uint64_t stop_time;
    /* Calibration spinner: the first counter read after each gap longer than GAP_TICKS. */
    volatile uint32_t gaps;
    uint64_t gap_end[CALIB_JOBS];
    volatile uint32_t spinner_stop;
};

extern struct rtexp_shared rt;
extern uint8_t task_stacks[RTEXP_MAX_TASKS][RTEXP_STACK_BYTES];
extern uint8_t stopper_stack[RTEXP_STACK_BYTES], spinner_stack[RTEXP_STACK_BYTES],
    releaser_stack[RTEXP_STACK_BYTES];

/* Thread entry points: x0 is the task index. */
void task_main(seL4_Word i) __attribute__((noreturn));
void stopper_main(void) __attribute__((noreturn));
void releaser_main(void) __attribute__((noreturn));
/* Programs the EL1 physical timer for virtual count `at`. */
void releaser_arm(uint64_t at);
void releaser_disarm(void);
void spinner_main(void) __attribute__((noreturn));

/* Exactly n instructions of work (under icount, n ns), give or take the loop's set-up. */
void work_instructions(uint64_t n);

/* Two counter reads this far apart (64 instructions under icount) mean the spinner did not
 * run in between. */
#define GAP_TICKS 4u

#endif
