/* rta.c — response-time analysis and utilisation bounds (rta.h). */
#include "rta.h"

#include <math.h>

/* A job's release can come in the same timer interrupt as every other task's (the
 * critical instant), and the releaser signals them all before any runs: one release, the
 * other tasks' signals, and two switches. */
uint64_t rta_job_cost_ns(uint32_t c_us, uint32_t ntasks, const struct rta_overheads *ovh)
{
    uint64_t others = ntasks > 0 ? ntasks - 1 : 0;
    return (uint64_t)c_us * RTA_NS_PER_US + ovh->release_ns + others * ovh->signal_ns +
           2 * ovh->switch_ns;
}

static uint64_t ceil_div(uint64_t a, uint64_t b)
{
    return a / b + (a % b != 0);
}

uint64_t rta_response_ns(const struct rta_task *tasks, uint32_t n, uint32_t i)
{
    const struct rta_task *me = &tasks[i];
    uint64_t r = me->c_ns;
    /* Each step's R is at least the previous one (the sum is monotone in R) and the loop ends
     * once R passes D, so it terminates: at most D - C steps, usually a handful. R <= D keeps
     * every product below D * C / T + C, far from overflowing 64 bits. */
    while (r <= me->d_ns) {
        uint64_t next = me->c_ns;
        for (uint32_t j = 0; j < n; j++) {
            if (tasks[j].prio > me->prio) {
                next += ceil_div(r, tasks[j].t_ns) * tasks[j].c_ns;
            } else if (j != i) {
                /* The releaser runs above every task: a lower task's release interrupts
                 * this one too. */
                next += ceil_div(r, tasks[j].t_ns) * tasks[j].release_ns;
            }
        }
        if (next == r) {
            return r;
        }
        r = next;
    }
    return RECORD_NO_RTA;
}

bool rta_liu_layland(const double *u, uint32_t n)
{
    double total = 0;
    for (uint32_t i = 0; i < n; i++) {
        total += u[i];
    }
    return n > 0 && total <= n * (pow(2.0, 1.0 / n) - 1.0);
}

bool rta_hyperbolic(const double *u, uint32_t n)
{
    double product = 1;
    for (uint32_t i = 0; i < n; i++) {
        product *= u[i] + 1.0;
    }
    return product <= 2.0;
}

void rta_analyse_set(struct record_set *set, const struct rta_overheads *ovh)
{
    static const struct rta_overheads none = {0};
    struct rta_task plain[RTEXP_MAX_TASKS];
    struct rta_task loaded[RTEXP_MAX_TASKS];
    double density[RTEXP_MAX_TASKS];
    uint32_t n = set->ntasks;
    for (uint32_t i = 0; i < n; i++) {
        const struct record_task *t = &set->task[i];
        plain[i] = (struct rta_task){
            .c_ns = rta_job_cost_ns(t->c_us, n, &none),
            .t_ns = (uint64_t)t->t_us * RTA_NS_PER_US,
            .d_ns = (uint64_t)t->d_us * RTA_NS_PER_US,
            .prio = t->prio,
        };
        loaded[i] = plain[i];
        loaded[i].c_ns = rta_job_cost_ns(t->c_us, n, ovh);
        loaded[i].release_ns = ovh->release_ns;
        density[i] = (double)t->c_us / t->d_us;
    }
    set->ovh_release_ns = ovh->release_ns;
    set->ovh_switch_ns = ovh->switch_ns;
    set->sched_rta = true;
    set->sched_rta_ovh = true;
    for (uint32_t i = 0; i < n; i++) {
        set->task[i].rta_ns = rta_response_ns(plain, n, i);
        set->task[i].rta_ovh_ns = rta_response_ns(loaded, n, i);
        set->sched_rta &= set->task[i].rta_ns != RECORD_NO_RTA;
        set->sched_rta_ovh &= set->task[i].rta_ovh_ns != RECORD_NO_RTA;
    }
    set->ll = rta_liu_layland(density, n);
    set->hyperbolic = rta_hyperbolic(density, n);
}
