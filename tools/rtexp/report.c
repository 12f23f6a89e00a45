/* report.c — rtexp's output files (report.h). */
#include "report.h"

#include <inttypes.h>

#include "record_io.h"

#define US_PER_S 1e6
#define PERCENT 100.0

void report_experiment(FILE *f, const char *path, const struct exp_def *def,
                       const struct rta_overheads *ovh, const char *ovh_source,
                       const struct record_set *sets, uint32_t nsets, uint32_t jobs)
{
    fprintf(f, "experiment %s (%s)\n", def->name, path);
    if (def->comment[0] != '\0') {
        fprintf(f, "comment: %s\n", def->comment);
    }
    fprintf(f, "tasks per set: %u\n", def->tasks);
    fprintf(f, "utilisation: %g .. %g step %g: %u points x %u sets\n", def->u_min, def->u_max,
            def->u_step, def->npoints, def->sets_per_point);
    fprintf(f, "periods: log-uniform in [%u, %u] us (%g .. %g ms)\n", def->period_min_us,
            def->period_max_us, def->period_min_ms, def->period_max_ms);
    fprintf(f, "deadlines: D = %g x T, priorities %s-monotonic\n", def->deadline_factor,
            def->deadline_factor < 1 ? "deadline" : "rate");
    fprintf(f, "run: %u x the longest period per set, from a synchronous release\n",
            def->run_periods);
    fprintf(f, "seed: %" PRIu64 "\n", def->seed);
    if (def->nfactors == 0) {
        fprintf(f, "isolation: none\n");
    } else {
        fprintf(f, "isolation: factors");
        for (uint32_t i = 0; i < def->nfactors; i++) {
            fprintf(f, " %g", def->overrun_factor[i]);
        }
        fprintf(f,
                "; %u base sets at U = %g schedulable by RTA with overheads, the heaviest task "
                "overrunning, each enforced and with budget = period\n",
                def->isolation_sets, def->isolation_u);
    }
    fprintf(f,
            "overheads: release %" PRIu64 " ns, switch %" PRIu64 " ns, %" PRIu64
            " ns per further job released with it",
            ovh->release_ns, ovh->switch_ns, ovh->signal_ns);
    if (ovh_source != NULL) {
        fprintf(f, " (from %s)\n", ovh_source);
    } else {
        fprintf(f, " (no --overheads given: RTA with overheads is plain RTA)\n");
    }
    fprintf(f, "budget: ceil(C + release + 2 x switch) per job in enforced sets, T otherwise\n");
    uint32_t nrta = exp_rta_sets(def);
    fprintf(f, "sets: %u RTA (ids 0..%u) + %u isolation = %u\n", nrta, nrta - 1,
            exp_isolation_sets(def), nsets);
    fprintf(f, "batches: %u\n", jobs);
    double total = 0;
    for (uint32_t b = 0; b < jobs; b++) {
        uint32_t count = 0;
        double run = 0;
        for (uint32_t i = 0; i < nsets; i++) {
            if (sets[i].batch == b) {
                count++;
                run += sets[i].run_us / US_PER_S;
            }
        }
        total += run;
        fprintf(f, "  batch-%u.bin: %u sets, %.3f s of virtual run time\n", b, count, run);
    }
    fprintf(f, "virtual run time: %.3f s in all (set-up and tear-down not counted)\n", total);
}

static void write_task_array(FILE *f, const char *name, const struct record_set *rec,
                             const struct results_set *res, size_t which)
{
    fprintf(f, ",\"%s\":[", name);
    for (uint32_t t = 0; t < rec->ntasks; t++) {
        const struct results_task *r = &res->task[t];
        const uint64_t values[] = {r->jobs, r->misses, r->wcrt_ns, r->release_late_ns};
        if (r->seen) {
            fprintf(f, "%s%" PRIu64, t ? "," : "", values[which]);
        } else {
            fprintf(f, "%snull", t ? "," : "");
        }
    }
    fputc(']', f);
}

/* The overrunning task's window line, where the root task printed one. */
static void write_windows(FILE *f, const struct record_set *rec, const struct results_set *res)
{
    static const char *const names[] = {"max_window_ns", "window_budget_ns"};
    for (int k = 0; k < 2; k++) {
        fprintf(f, ",\"%s\":[", names[k]);
        for (uint32_t t = 0; t < rec->ntasks; t++) {
            const struct results_window *w = &res->window[t];
            if (w->seen) {
                fprintf(f, "%s%" PRIu64, t ? "," : "", k == 0 ? w->max_window_ns : w->budget_ns);
            } else {
                fprintf(f, "%snull", t ? "," : "");
            }
        }
        fputc(']', f);
    }
}

void report_results_jsonl(FILE *f, const struct record_set *recs, const struct results_set *res,
                          uint32_t n)
{
    static const char *const names[] = {"jobs", "misses", "wcrt_ns", "release_late_ns"};
    for (uint32_t i = 0; i < n; i++) {
        fputc('{', f);
        record_write_fields(f, &recs[i]);
        for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
            write_task_array(f, names[k], &recs[i], &res[i], k);
        }
        write_windows(f, &recs[i], &res[i]);
        bool failed = merge_failed(&recs[i], &res[i]);
        fprintf(f, ",\"ok\":%s,\"failed\":%s,\"observed_sched\":%s}\n",
                res[i].seen ? (res[i].ok ? "true" : "false") : "null", failed ? "true" : "false",
                failed ? "null" : (merge_observed_sched(&recs[i], &res[i]) ? "true" : "false"));
    }
}

static void write_ratio(FILE *f, uint32_t count, uint32_t ran)
{
    if (ran > 0) {
        fprintf(f, ",%.4f", (double)count / ran);
    } else {
        fprintf(f, ",");
    }
}

void report_summary_csv(FILE *f, const struct merge_point *points, uint32_t npoints)
{
    fprintf(f, "u,sets,failed,observed_ratio,rta_ratio,rta_ovh_ratio,ll_ratio,hyperbolic_ratio\n");
    for (uint32_t k = 0; k < npoints; k++) {
        const struct merge_point *p = &points[k];
        uint32_t ran = p->sets - p->failed;
        fprintf(f, "%.9g,%u,%u", p->u, p->sets, p->failed);
        write_ratio(f, p->observed, ran);
        write_ratio(f, p->rta, ran);
        write_ratio(f, p->rta_ovh, ran);
        write_ratio(f, p->ll, ran);
        write_ratio(f, p->hyperbolic, ran);
        fputc('\n', f);
    }
}

static void write_ns(FILE *f, uint64_t ns)
{
    if (ns != RECORD_NO_RTA) {
        fprintf(f, "%" PRIu64, ns);
    }
    fputc(',', f);
}

void report_wcrt_csv(FILE *f, const struct record_set *recs, const struct results_set *res,
                     uint32_t n)
{
    fprintf(f, "set,task,prio,rta_ns,rta_ovh_ns,wcrt_ns,within,misses\n");
    for (uint32_t i = 0; i < n; i++) {
        const struct record_set *s = &recs[i];
        if (s->kind != RECORD_RTA || merge_failed(s, &res[i])) {
            continue;
        }
        for (uint32_t t = 0; t < s->ntasks; t++) {
            const struct results_task *r = &res[i].task[t];
            fprintf(f, "%u,%u,%u,", s->id, t, s->task[t].prio);
            write_ns(f, s->task[t].rta_ns);
            write_ns(f, s->task[t].rta_ovh_ns);
            fprintf(f, "%" PRIu64 ",", r->wcrt_ns);
            enum merge_within w = merge_task_within(&s->task[t], r);
            if (w != MERGE_NO_BOUND) {
                fprintf(f, "%d", w == MERGE_WITHIN);
            }
            fprintf(f, ",%" PRIu64 "\n", r->misses);
        }
    }
}

void report_isolation_csv(FILE *f, const struct merge_isolation *groups, uint32_t ngroups)
{
    fprintf(f, "factor,enforce,sets,failed,other_jobs,other_misses,other_miss_ratio,"
               "sets_with_other_miss,window_sets,window_over\n");
    for (uint32_t k = 0; k < ngroups; k++) {
        const struct merge_isolation *g = &groups[k];
        fprintf(f, "%.9g,%d,%u,%u,%" PRIu64 ",%" PRIu64 ",", g->factor, g->enforce, g->sets,
                g->failed, g->other_jobs, g->other_misses);
        if (g->other_jobs > 0) {
            fprintf(f, "%.6f", (double)g->other_misses / g->other_jobs);
        }
        fprintf(f, ",%u,%u,%u\n", g->sets_with_other_miss, g->window_sets, g->window_over);
    }
}

static const char *verdict(bool ok)
{
    return ok ? "ok" : "BROKEN";
}

static void list_failed(FILE *f, const struct record_set *recs, const struct results_set *res,
                        uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        if (!merge_failed(&recs[i], &res[i])) {
            continue;
        }
        fprintf(f, "  set %u (%s, batch %u):", i, recs[i].kind == RECORD_RTA ? "rta" : "isolation",
                recs[i].batch);
        const char *sep = " no line for task";
        for (uint32_t t = 0; t < recs[i].ntasks; t++) {
            if (!res[i].task[t].seen) {
                fprintf(f, "%s %u", sep, t);
                sep = ",";
            }
        }
        if (!res[i].seen) {
            fprintf(f, "%s no \"set\" line: its QEMU run hung, crashed or stopped early",
                    sep[0] == ',' ? ";" : "");
        }
        fputc('\n', f);
    }
}

static void list_disagreements(FILE *f, const struct record_set *recs,
                               const struct results_set *res, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        const struct record_set *s = &recs[i];
        if (s->kind != RECORD_RTA || merge_failed(s, &res[i])) {
            continue;
        }
        bool observed = merge_observed_sched(s, &res[i]);
        if (observed == s->sched_rta_ovh) {
            continue;
        }
        fprintf(f, "  set %u (U %g): observed %s, RTA with overheads %s%s", i, s->u_point,
                observed ? "schedulable" : "unschedulable",
                s->sched_rta_ovh ? "schedulable" : "unschedulable",
                s->sched_rta_ovh ? " [MISSED]" : "");
        if (!res[i].ok) {
            fprintf(f, ", the set reported ok = 0");
        }
        for (uint32_t t = 0; t < s->ntasks; t++) {
            if (res[i].task[t].misses > 0) {
                fprintf(f, "; task %u: %" PRIu64 " of %" PRIu64 " jobs missed", t,
                        res[i].task[t].misses, res[i].task[t].jobs);
            }
        }
        fputc('\n', f);
    }
}

static void list_outside(FILE *f, const struct record_set *recs, const struct results_set *res,
                         uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        const struct record_set *s = &recs[i];
        if (s->kind != RECORD_RTA || merge_failed(s, &res[i])) {
            continue;
        }
        for (uint32_t t = 0; t < s->ntasks; t++) {
            enum merge_within w = merge_task_within(&s->task[t], &res[i].task[t]);
            if (w != MERGE_BELOW && w != MERGE_ABOVE) {
                continue;
            }
            fprintf(f, "  set %u task %u: wcrt %" PRIu64 " ns %s [%" PRIu64 ", %" PRIu64 "] ns%s\n",
                    i, t, res[i].task[t].wcrt_ns, w == MERGE_ABOVE ? "above" : "below",
                    s->task[t].rta_ns, s->task[t].rta_ovh_ns,
                    w == MERGE_ABOVE ? " [BOUND EXCEEDED]" : "");
        }
    }
}

static void list_isolation(FILE *f, const struct record_set *recs, const struct results_set *res,
                           uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        const struct record_set *s = &recs[i];
        if (s->kind != RECORD_ISOLATION || !s->enforce || !s->sched_rta_ovh ||
            merge_failed(s, &res[i]) || merge_other_misses(s, &res[i]) == 0) {
            continue;
        }
        fprintf(f,
                "  set %u (factor %g, task %d overrunning): %" PRIu64 " misses of %" PRIu64
                " jobs of the other tasks\n",
                i, s->factor, s->overrun_task, merge_other_misses(s, &res[i]),
                merge_other_jobs(s, &res[i]));
    }
}

static void list_windows(FILE *f, const struct record_set *recs, const struct results_set *res,
                         uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        const struct record_set *s = &recs[i];
        if (merge_failed(s, &res[i]) || !merge_window_over(s, &res[i])) {
            continue;
        }
        const struct results_window *w = &res[i].window[s->overrun_task];
        fprintf(f,
                "  set %u task %d (factor %g): %" PRIu64 " ns in a window of %u us, budget %" PRIu64
                " ns\n",
                i, s->overrun_task, s->factor, w->max_window_ns, s->task[s->overrun_task].t_us,
                w->budget_ns);
    }
}

static void list_logs(FILE *f, const struct record_set *recs, const struct results_log *logs,
                      const char *const *names, uint32_t nlogs)
{
    fprintf(f,
            "overheads the sets were built with: release %" PRIu64 " ns, switch %" PRIu64 " ns\n",
            recs[0].ovh_release_ns, recs[0].ovh_switch_ns);
    for (uint32_t k = 0; k < nlogs; k++) {
        const struct results_log *l = &logs[k];
        fprintf(f, "log %s: %u set lines, %u task lines, %u window lines", names[k], l->set_lines,
                l->task_lines, l->window_lines);
        if (l->have_overheads) {
            bool above = l->ovh.release_ns > recs[0].ovh_release_ns ||
                         l->ovh.switch_ns > recs[0].ovh_switch_ns;
            fprintf(f, "; measured release %" PRIu64 " ns, switch %" PRIu64 " ns%s",
                    l->ovh.release_ns, l->ovh.switch_ns,
                    above ? " [above the overheads the sets were built with]" : "");
        } else {
            fprintf(f, "; no overheads line");
        }
        if (l->ended) {
            fprintf(f, "; end line: %" PRIu64 " sets\n", l->end_sets);
        } else {
            fprintf(f, "; no end line: the run did not finish\n");
        }
        for (uint32_t p = 0; p < l->problems && p < RESULTS_MAX_PROBLEMS; p++) {
            fprintf(f, "  %s\n", l->problem[p]);
        }
        if (l->problems > RESULTS_MAX_PROBLEMS) {
            fprintf(f, "  ... %u problems in all\n", l->problems);
        }
    }
}

void report_agreement(FILE *f, const struct record_set *recs, const struct results_set *res,
                      uint32_t n, const struct merge_check *c, const struct results_log *logs,
                      const char *const *log_names, uint32_t nlogs)
{
    double agreement = merge_agreement(c);
    fprintf(f, "RTA sets: %u, ran %u, failed %u\n", c->rta_sets, c->rta_ran,
            c->rta_sets - c->rta_ran);
    fprintf(f,
            "agreement of the observed verdict with RTA with overheads: %u/%u = %.2f%% "
            "(at least %.0f%%): %s\n",
            c->agree, c->rta_ran, agreement * PERCENT, MERGE_AGREEMENT_MIN * PERCENT,
            verdict(agreement >= MERGE_AGREEMENT_MIN));
    fprintf(f, "sets RTA with overheads calls schedulable that missed: %u (must be 0): %s\n",
            c->sched_but_missed, verdict(c->sched_but_missed == 0));
    list_disagreements(f, recs, res, n);
    fprintf(f,
            "tasks with a bound: %u; observed wcrt within [rta, rta_ovh] = [rta_ovh - eps, "
            "rta_ovh]: %u, below: %u, above (must be 0): %u: %s\n",
            c->tasks_bounded, c->tasks_within, c->tasks_below, c->tasks_above,
            verdict(c->tasks_above == 0));
    list_outside(f, recs, res, n);
    fprintf(f,
            "isolation: enforced sets schedulable without the overrun whose other tasks "
            "missed: %u (must be 0): %s\n",
            c->isolation_broken, verdict(c->isolation_broken == 0));
    list_isolation(f, recs, res, n);
    fprintf(f,
            "isolation: enforced overrunning tasks that ran more than their budget (+%u ns) in "
            "a window of their period: %u of %u with a window line (must be 0; window lines come "
            "from trace builds only): %s\n",
            MERGE_WINDOW_SLACK_NS, c->window_over, c->window_checked, verdict(c->window_over == 0));
    list_windows(f, recs, res, n);
    fprintf(f, "failed sets: %u of %u (must be 0): %s\n", c->failed, c->sets,
            verdict(c->failed == 0));
    list_failed(f, recs, res, n);
    list_logs(f, recs, logs, log_names, nlogs);
    fprintf(f, "invariants: %s\n", merge_holds(c) ? "hold" : "BROKEN");
}

void report_human(FILE *f, const struct merge_check *c)
{
    fprintf(f, "%u sets, %u failed\n", c->sets, c->failed);
    fprintf(f, "  observed verdict = RTA with overheads: %u/%u RTA sets (%.1f%%, need %.0f%%)\n",
            c->agree, c->rta_ran, merge_agreement(c) * PERCENT, MERGE_AGREEMENT_MIN * PERCENT);
    fprintf(f, "  schedulable by RTA with overheads, yet missed: %u\n", c->sched_but_missed);
    fprintf(f, "  observed wcrt in [rta, rta_ovh]: %u/%u tasks, %u below, %u above the bound\n",
            c->tasks_within, c->tasks_bounded, c->tasks_below, c->tasks_above);
    fprintf(f, "  isolation broken (enforced, other tasks missed): %u sets\n", c->isolation_broken);
    fprintf(f, "  enforced overrunning tasks over budget in a window: %u of %u checked\n",
            c->window_over, c->window_checked);
    if (merge_holds(c)) {
        fprintf(f, "invariants hold\n");
        return;
    }
    fprintf(f, "BROKEN:");
    if (c->failed > 0) {
        fprintf(f, " %u sets failed;", c->failed);
    }
    if (merge_agreement(c) < MERGE_AGREEMENT_MIN) {
        fprintf(f, " agreement below %.0f%%;", MERGE_AGREEMENT_MIN * PERCENT);
    }
    if (c->sched_but_missed > 0) {
        fprintf(f, " %u schedulable sets missed;", c->sched_but_missed);
    }
    if (c->tasks_above > 0) {
        fprintf(f, " %u tasks above their bound;", c->tasks_above);
    }
    if (c->isolation_broken > 0) {
        fprintf(f, " %u isolation sets broken;", c->isolation_broken);
    }
    if (c->window_over > 0) {
        fprintf(f, " %u windows over budget;", c->window_over);
    }
    fprintf(f, " (see agreement.txt)\n");
}
