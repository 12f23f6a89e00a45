/* The demo's threads. Each job's work is CPU time, not wall time: the loop counts only the
 * counter steps it saw itself, so time spent preempted or in the kernel is not work. */
#include "demo.h"

/* Two counter reads further apart than this (64 instructions under icount, where one turn
 * of the loop is ~9) mean the thread did not run in between. */
#define GAP_TICKS 4

uint8_t sensor_stack[TASK_STACK_BYTES] __attribute__((aligned(16)));
uint8_t control_stack[TASK_STACK_BYTES] __attribute__((aligned(16)));
uint8_t logger_stack[TASK_STACK_BYTES] __attribute__((aligned(16)));
uint8_t hog_stack[TASK_STACK_BYTES] __attribute__((aligned(16)));

static void work(uint64_t us)
{
    uint64_t need = us_to_ticks(us, demo.freq), done = 0, prev = kairos_counter_now();
    while (done < need) {
        uint64_t now = kairos_counter_now();
        if (now - prev <= GAP_TICKS) {
            done += now - prev;
        }
        prev = now;
    }
}

/* A job ends: count a miss if it is past its deadline, then wait for the next release.
 * Yield gives up what is left of the budget, so the thread runs again at its refill. */
static void job_done(struct periodic *p, uint64_t release)
{
    uint64_t end = kairos_counter_now();
    if (end > release + p->period_ticks) {
        p->misses++;
    }
    if (end - release > p->worst_response) {
        p->worst_response = end - release;
    }
    p->jobs++;
    seL4_Yield();
}

/* Job after job: each is released one period after the previous one, and job_done waits
 * for the next release. */
static void __attribute__((noreturn)) run_periodic(struct periodic *p, void (*job)(void))
{
    p->first_release = kairos_counter_now();
    for (;;) {
        uint64_t release = p->first_release + p->jobs * p->period_ticks;
        job();
        job_done(p, release);
    }
}

static void sensor_job(void)
{
    if (demo.sensor.jobs == SENSOR_JOBS) {
        seL4_Signal(demo.done_ntfn); /* the run is over: tell the root task */
    }
    work(SENSOR_WORK_US);
}

/* Its own work, a call to the logger (which then runs on this context), more work. */
static void control_job(void)
{
    work(CONTROL_WORK_BEFORE_US);
    seL4_Word m0 = demo.control.jobs, m1 = 0, m2 = 0, m3 = 0;
    (void)seL4_CallWithMRs(demo.logger_ep, seL4_MessageInfo_new(0, 0, 0, 1), &m0, &m1, &m2, &m3);
    work(CONTROL_WORK_AFTER_US);
}

void sensor_main(void)
{
    run_periodic(&demo.sensor, sensor_job);
}

void control_main(void)
{
    run_periodic(&demo.control, control_job);
}

/* Passive: it has no context of its own and runs on its caller's. */
void logger_main(void)
{
    seL4_Word badge, m0 = 0, m1 = 0, m2 = 0, m3 = 0;
    (void)seL4_RecvWithMRs(demo.logger_ep, &badge, demo.logger_reply, &m0, &m1, &m2, &m3);
    for (;;) {
        work(LOGGER_WORK_US);
        demo.requests++;
        (void)seL4_ReplyRecvWithMRs(demo.logger_ep, seL4_MessageInfo_new(0, 0, 0, 0), &badge, &m0,
                                    &m1, &m2, &m3, demo.logger_reply);
    }
}

/* Tries to run forever; its budget stops it, and its timeout-fault handler restarts it. */
void hog_main(void)
{
    demo.hog_spins = 0;
    for (;;) {
        demo.hog_spins++;
    }
}
