/* The budget benchmark's shared state: the spinner thread's trace of its own execution, which
 * the spinner writes while it runs and the root task reads only after the spinner has stopped
 * (spinner.c writes, main.c reads). */
#ifndef BENCH_BUDGET_H
#define BENCH_BUDGET_H

#include <kairos/counter.h>
#include <sel4/sel4.h>
#include <stdint.h>

/* One stretch of uninterrupted execution: the first and the last counter value the spinner
 * read in it (CNTVCT ticks). The thread really ran a little past `end`: less than one turn of
 * its loop, under one tick. */
struct spin_run {
    uint64_t start, end;
};

#define SPIN_MAX_RUNS 8192u

enum spin_state { SPIN_IDLE = 0, SPIN_RUNNING, SPIN_DONE, SPIN_SUSPEND_FAILED };

struct spin_trace {
    /* Set by the root task before the spinner starts. */
    seL4_CPtr self;  /* the spinner's own TCB cap, to suspend itself with */
    uint64_t length; /* ticks to trace, from the spinner's first counter read */
    uint64_t gap;    /* two reads further apart than this: it did not run between */
    /* Written by the spinner. */
    uint64_t t0;       /* its first counter read */
    uint32_t count;    /* runs[0..count) are valid */
    uint32_t overflow; /* runs that did not fit */
    volatile uint32_t state;
    struct spin_run runs[SPIN_MAX_RUNS];
};

extern struct spin_trace spin_trace;

/* The spinner thread's entry point (its pc): spins for spin_trace.length ticks, recording
 * runs, then sets state to SPIN_DONE and suspends itself. Uses no TLS and no IPC buffer. */
void spin_main(void) __attribute__((noreturn));

/* The spinner's stack; its sp starts at the end. */
#define SPIN_STACK_BYTES 4096u
extern uint8_t spin_stack[SPIN_STACK_BYTES];


#endif
