/* merge.c — verdicts, ratios and invariants from the records and the runs' results (merge.h). */
#include "merge.h"

#include <math.h>

bool merge_failed(const struct record_set *rec, const struct results_set *res)
{
    return !results_set_complete(res, rec->ntasks);
}

bool merge_observed_sched(const struct record_set *rec, const struct results_set *res)
{
    if (merge_failed(rec, res) || !res->ok) {
        return false;
    }
    for (uint32_t t = 0; t < rec->ntasks; t++) {
        if (res->task[t].misses > 0) {
            return false;
        }
    }
    return true;
}

uint64_t merge_other_misses(const struct record_set *rec, const struct results_set *res)
{
    uint64_t sum = 0;
    for (uint32_t t = 0; t < rec->ntasks; t++) {
        if ((int32_t)t != rec->overrun_task) {
            sum += res->task[t].misses;
        }
    }
    return sum;
}

uint64_t merge_other_jobs(const struct record_set *rec, const struct results_set *res)
{
    uint64_t sum = 0;
    for (uint32_t t = 0; t < rec->ntasks; t++) {
        if ((int32_t)t != rec->overrun_task) {
            sum += res->task[t].jobs;
        }
    }
    return sum;
}

static bool has_window(const struct record_set *rec, const struct results_set *res)
{
    return rec->overrun_task != RECORD_NO_OVERRUN && res->window[rec->overrun_task].seen;
}

bool merge_window_over(const struct record_set *rec, const struct results_set *res)
{
    if (!rec->enforce || !has_window(rec, res)) {
        return false;
    }
    const struct results_window *w = &res->window[rec->overrun_task];
    return w->max_window_ns > w->budget_ns + MERGE_WINDOW_SLACK_NS;
}

enum merge_within merge_task_within(const struct record_task *t, const struct results_task *r)
{
    if (t->rta_ovh_ns == RECORD_NO_RTA || t->rta_ns == RECORD_NO_RTA) {
        return MERGE_NO_BOUND;
    }
    /* epsilon = rta_ovh - rta, so [rta_ovh - epsilon, rta_ovh] is [rta, rta_ovh]. */
    if (r->wcrt_ns < t->rta_ns) {
        return MERGE_BELOW;
    }
    if (r->wcrt_ns > t->rta_ovh_ns) {
        return MERGE_ABOVE;
    }
    return MERGE_WITHIN;
}

uint32_t merge_points(const struct record_set *recs, const struct results_set *res, uint32_t n,
                      struct merge_point *out, uint32_t cap)
{
    uint32_t npoints = 0;
    for (uint32_t i = 0; i < n; i++) {
        const struct record_set *s = &recs[i];
        if (s->kind != RECORD_RTA) {
            continue;
        }
        uint32_t k = 0;
        while (k < npoints && fabs(out[k].u - s->u_point) > MERGE_U_SLACK) {
            k++;
        }
        if (k == npoints) {
            if (npoints == cap) {
                continue;
            }
            out[npoints++] = (struct merge_point){.u = s->u_point};
        }
        struct merge_point *p = &out[k];
        p->sets++;
        if (merge_failed(s, &res[i])) {
            p->failed++;
            continue;
        }
        p->observed += merge_observed_sched(s, &res[i]);
        p->rta += s->sched_rta;
        p->rta_ovh += s->sched_rta_ovh;
        p->ll += s->ll;
        p->hyperbolic += s->hyperbolic;
    }
    return npoints;
}

uint32_t merge_isolation(const struct record_set *recs, const struct results_set *res, uint32_t n,
                         struct merge_isolation *out, uint32_t cap)
{
    uint32_t count = 0;
    for (uint32_t i = 0; i < n; i++) {
        const struct record_set *s = &recs[i];
        if (s->kind != RECORD_ISOLATION) {
            continue;
        }
        uint32_t k = 0;
        while (k < count &&
               (fabs(out[k].factor - s->factor) > MERGE_U_SLACK || out[k].enforce != s->enforce)) {
            k++;
        }
        if (k == count) {
            if (count == cap) {
                continue;
            }
            out[count++] = (struct merge_isolation){.factor = s->factor, .enforce = s->enforce};
        }
        struct merge_isolation *g = &out[k];
        g->sets++;
        if (merge_failed(s, &res[i])) {
            g->failed++;
            continue;
        }
        uint64_t misses = merge_other_misses(s, &res[i]);
        g->other_jobs += merge_other_jobs(s, &res[i]);
        g->other_misses += misses;
        g->sets_with_other_miss += misses > 0;
        g->window_sets += has_window(s, &res[i]);
        g->window_over += merge_window_over(s, &res[i]);
    }
    /* Enforced groups first, each kind by factor: a plot's line then joins consecutive rows. */
    for (uint32_t i = 1; i < count; i++) {
        struct merge_isolation g = out[i];
        uint32_t j = i;
        while (j > 0 && (out[j - 1].enforce < g.enforce ||
                         (out[j - 1].enforce == g.enforce && out[j - 1].factor > g.factor))) {
            out[j] = out[j - 1];
            j--;
        }
        out[j] = g;
    }
    return count;
}

void merge_check(const struct record_set *recs, const struct results_set *res, uint32_t n,
                 struct merge_check *c)
{
    *c = (struct merge_check){.sets = n};
    for (uint32_t i = 0; i < n; i++) {
        const struct record_set *s = &recs[i];
        bool failed = merge_failed(s, &res[i]);
        c->failed += failed;
        if (s->kind == RECORD_ISOLATION) {
            c->isolation_broken +=
                !failed && s->enforce && s->sched_rta_ovh && merge_other_misses(s, &res[i]) > 0;
            c->window_checked += !failed && s->enforce && has_window(s, &res[i]);
            c->window_over += !failed && merge_window_over(s, &res[i]);
            continue;
        }
        c->rta_sets++;
        if (failed) {
            continue;
        }
        c->rta_ran++;
        bool observed = merge_observed_sched(s, &res[i]);
        c->agree += observed == s->sched_rta_ovh;
        c->sched_but_missed += s->sched_rta_ovh && !observed;
        for (uint32_t t = 0; t < s->ntasks; t++) {
            enum merge_within w = merge_task_within(&s->task[t], &res[i].task[t]);
            c->tasks_bounded += w != MERGE_NO_BOUND;
            c->tasks_within += w == MERGE_WITHIN;
            c->tasks_below += w == MERGE_BELOW;
            c->tasks_above += w == MERGE_ABOVE;
        }
    }
}

double merge_agreement(const struct merge_check *c)
{
    return c->rta_ran ? (double)c->agree / c->rta_ran : 1.0;
}

bool merge_holds(const struct merge_check *c)
{
    return c->failed == 0 && c->sched_but_missed == 0 && c->tasks_above == 0 &&
           c->isolation_broken == 0 && c->window_over == 0 &&
           merge_agreement(c) >= MERGE_AGREEMENT_MIN;
}
