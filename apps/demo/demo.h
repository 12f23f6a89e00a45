/* The demo root task (`make run`): four threads under MCS budgets, traced by the kernel's
 * event log. main.c sets them up, handles the misbehaving thread's timeout faults and
 * prints the summary and the log; tasks.c holds the threads' code.
 *
 * The threads run in the root task's VSpace and CSpace with no IPC buffer and no TLS, so
 * they use only register-only system calls. */
#ifndef DEMO_H
#define DEMO_H

#include <kairos/counter.h>
#include <sel4/sel4.h>
#include <stdint.h>

/* Rate-monotonic priorities; the server above its client, the root task above all. */
#define ROOT_PRIO 250
#define SENSOR_PRIO 200
#define LOGGER_PRIO 180
#define CONTROL_PRIO 150
#define HOG_PRIO 100

/* (budget, period) in µs, and the work each job does. */
#define SENSOR_BUDGET_US 1000
#define SENSOR_PERIOD_US 5000
#define SENSOR_WORK_US 500
#define CONTROL_BUDGET_US 2000
#define CONTROL_PERIOD_US 10000
#define CONTROL_WORK_BEFORE_US 600 /* then a call to the logger, then the rest */
#define CONTROL_WORK_AFTER_US 200
#define LOGGER_WORK_US 500 /* per request, on the caller's context */
#define HOG_BUDGET_US 2000
#define HOG_PERIOD_US 10000

/* The run ends when the sensor has done this many jobs: one second. */
#define SENSOR_JOBS 200

/* Badges: what woke the root task. */
#define BADGE_DONE 1u    /* the sensor's last job: the notification bound to the root */
#define BADGE_HOG 0x100u /* the hog's timeout-fault endpoint cap */

#define TASK_STACK_BYTES 4096u

/* A periodic task's record of its jobs. */
struct periodic {
    uint64_t period_ticks;
    uint64_t first_release; /* the counter when job 0 started */
    volatile uint32_t jobs;
    volatile uint32_t misses; /* jobs that finished after their deadline */
    uint64_t worst_response;  /* ticks from a job's release to its end */
};

struct demo {
    seL4_CPtr logger_ep; /* the control task calls the logger through it */
    seL4_CPtr logger_reply;
    seL4_CPtr done_ntfn; /* the sensor signals it after its last job */
    uint64_t freq;
    struct periodic sensor, control;
    volatile uint32_t requests;  /* served by the logger */
    volatile uint64_t hog_spins; /* loop turns since the last restart */
};

extern struct demo demo;

void sensor_main(void) __attribute__((noreturn));
void control_main(void) __attribute__((noreturn));
void logger_main(void) __attribute__((noreturn));
void hog_main(void) __attribute__((noreturn));


#define US_PER_S 1000000ull

static inline uint64_t us_to_ticks(uint64_t us, uint64_t freq)
{
    return us * freq / US_PER_S;
}

static inline uint64_t ticks_to_us(uint64_t ticks, uint64_t freq)
{
    return ticks * US_PER_S / freq;
}

#endif
