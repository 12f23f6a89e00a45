/* Unit tests for tools/rtexp's files: the batch image the root task reads (layout and round
 * trip), budgets and batching, sets.jsonl round trips, the root task's result lines (good,
 * noisy, damaged), and merge's verdicts and outputs on console logs synthesised here from the
 * analysis: an ideal run, a hung set, a missed deadline, a bound exceeded, broken isolation. */
#define CHECK_SUITE "rtexp_io"
#include "check.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>

#include "batch.h"
#include "exp_file.h"
#include "gen.h"
#include "merge.h"
#include "record_io.h"
#include "report.h"
#include "results.h"
#include "rta.h"

#include "rtexp_fixture.h"

/* ---------------------------------------------------------------------------------------- */
/* Batches */

TEST(batch_budgets)
{
    struct rta_overheads ovh = {.release_ns = 1500, .switch_ns = 1000};
    struct record_set s = {.ntasks = 3, .enforce = true, .overrun_task = 1};
    s.task[0] = (struct record_task){.c_us = 100, .t_us = 1000, .run_pct = 100};
    s.task[1] = (struct record_task){.c_us = 200, .t_us = 2000, .run_pct = 300};
    s.task[2] = (struct record_task){.c_us = 1000, .t_us = 1000, .run_pct = 100};
    batch_set_budgets(&s, &ovh);
    CHECK_EQ(s.task[0].budget_us, 104);  /* ceil(103.5 us) */
    CHECK_EQ(s.task[1].budget_us, 204);  /* the nominal C's budget, not 3 x C */
    CHECK_EQ(s.task[2].budget_us, 1000); /* never above the period */
    s.enforce = false;
    batch_set_budgets(&s, &ovh);
    CHECK_EQ(s.task[0].budget_us, 1000);
    CHECK_EQ(s.task[1].budget_us, 2000);
}

TEST(batch_assign_round_robin)
{
    enum { N = 1300 };
    static struct record_set sets[N];
    char err[ERR_LEN];
    CHECK(!batch_assign(sets, N, 2, err, sizeof(err)));
    CHECK(strstr(err, "--jobs 3") != NULL);
    CHECK(batch_assign(sets, N, 3, err, sizeof(err)));
    for (uint32_t i = 0; i < N; i++) {
        CHECK_EQ(sets[i].batch, i % 3);
    }
}

TEST(batch_image_round_trip)
{
    struct exp_def def;
    char err[ERR_LEN];
    CHECK(parse_def(quick_def, &def, err));
    struct rta_overheads ovh = {.release_ns = 2500, .switch_ns = 800};
    struct record_set *sets;
    uint32_t n;
    CHECK(gen_experiment(&def, &ovh, &sets, &n, err, sizeof(err)));
    for (uint32_t i = 0; i < n; i++) {
        batch_set_budgets(&sets[i], &ovh);
    }
    CHECK(batch_assign(sets, n, 2, err, sizeof(err)));
    static struct rtexp_batch b, back;
    static uint8_t image[BATCH_IMAGE_SIZE];
    batch_fill(&b, sets, n, 1);
    CHECK_EQ(b.nsets, n / 2);
    batch_encode(&b, image);
    CHECK(batch_decode(image, sizeof(image), &back, err, sizeof(err)));
    CHECK(memcmp(&b, &back, sizeof(b)) == 0);
    /* The layout the root task reads: "RTEX", version, count, batch, then set 0. */
    CHECK(memcmp(image, "RTEX", 4) == 0);
    CHECK_EQ(image[4], RTEXP_VERSION);
    CHECK_EQ(image[8], n / 2);
    CHECK_EQ(image[12], 1);
    CHECK_EQ(image[16], 1); /* set 0 of batch 1 is set 1 */
    CHECK_EQ(image[20], sets[1].ntasks);
    uint32_t c0 = image[32] | image[33] << 8 | image[34] << 16 | (uint32_t)image[35] << 24;
    CHECK_EQ(c0, sets[1].task[0].c_us);
    const struct rtexp_set *last = &back.set[back.nsets - 1];
    CHECK_EQ(last->id, n - 1);
    CHECK_EQ(last->flags, 0); /* the last isolation set runs with budget = period */
    CHECK_EQ(last->task[sets[n - 1].overrun_task].run_pct, 300);
    CHECK_EQ(back.set[0].flags, RTEXP_SET_ENFORCE);
    CHECK_EQ(back.set[0].task[0].budget_us, sets[1].task[0].budget_us);
    image[0] ^= 1;
    CHECK(!batch_decode(image, sizeof(image), &back, err, sizeof(err)));
    CHECK(!batch_decode(image, sizeof(image) - 1, &back, err, sizeof(err)));
    free(sets);
}

/* ---------------------------------------------------------------------------------------- */
/* sets.jsonl */

static struct record_set sample_set(void)
{
    struct record_set s = {.id = 4,
                           .batch = 1,
                           .kind = RECORD_ISOLATION,
                           .u_point = 0.6,
                           .u = 0.6012,
                           .factor = 2.5,
                           .enforce = false,
                           .overrun_task = 1,
                           .run_us = 12000,
                           .ntasks = 2,
                           .sched_rta = true,
                           .ll = true,
                           .ovh_release_ns = 1234,
                           .ovh_switch_ns = 567};
    s.task[0] = (struct record_task){.c_us = 300,
                                     .t_us = 1000,
                                     .d_us = 900,
                                     .prio = 200,
                                     .budget_us = 1000,
                                     .run_pct = 100,
                                     .rta_ns = 300000,
                                     .rta_ovh_ns = 302368};
    s.task[1] = (struct record_task){.c_us = 3000,
                                     .t_us = 12000,
                                     .d_us = 12000,
                                     .prio = 199,
                                     .budget_us = 12000,
                                     .run_pct = 250,
                                     .rta_ns = 4500000,
                                     .rta_ovh_ns = RECORD_NO_RTA};
    return s;
}

TEST(record_round_trip)
{
    struct record_set s = sample_set(), back;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    record_write_line(f, &s);
    fclose(f);
    CHECK(strstr(buf, "\"rta_ovh_ns\":[302368,null]") != NULL);
    char err[ERR_LEN];
    CHECK(record_parse(buf, len, &back, err, sizeof(err)));
    CHECK(memcmp(&s.task, &back.task, sizeof(s.task)) == 0);
    CHECK_EQ(back.id, 4);
    CHECK_EQ(back.kind, RECORD_ISOLATION);
    CHECK_EQ(back.overrun_task, 1);
    CHECK(back.factor == 2.5 && back.u_point == 0.6 && !back.enforce && back.sched_rta);
    CHECK(!back.sched_rta_ovh && back.ll && !back.hyperbolic);
    CHECK_EQ(back.ovh_switch_ns, 567);
    /* A wrong array length or a missing field is refused by name. */
    char *cut = strstr(buf, "[302368,null]");
    memcpy(cut, "[302368]     ", 13);
    CHECK(!record_parse(buf, len, &back, err, sizeof(err)));
    CHECK(strstr(err, "rta_ovh_ns") != NULL);
    free(buf);
    CHECK(!record_parse("{\"id\":0}", 8, &back, err, sizeof(err)));
    CHECK(strstr(err, "batch") != NULL);
}

TEST(record_file)
{
    char path[] = "/tmp/test_rtexp_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    FILE *f = fdopen(fd, "w");
    struct record_set s = sample_set();
    for (uint32_t i = 0; i < 3; i++) {
        s.id = i;
        record_write_line(f, &s);
    }
    fclose(f);
    struct record_set *sets;
    uint32_t n;
    char err[ERR_LEN];
    bool ok = record_read_file(path, &sets, &n, err, sizeof(err));
    unlink(path);
    CHECK(ok);
    CHECK_EQ(n, 3);
    CHECK_EQ(sets[2].id, 2);
    free(sets);
    CHECK(!record_read_file("/nonexistent/sets.jsonl", &sets, &n, err, sizeof(err)));
}

/* ---------------------------------------------------------------------------------------- */
/* Result lines */

static struct record_set two_sets[2] = {{.id = 0, .ntasks = 2}, {.id = 1, .ntasks = 1}};

TEST(results_good_log)
{
    const char *log = "Kairos boot\r\n"
                      "[rtexp] {\"exp\":\"overheads\",\"release_ns\":2100,\"switch_ns\":900}\r\n"
                      "{\"exp\":\"task\",\"set\":0,\"task\":1,\"jobs\":3,\"misses\":1,"
                      "\"wcrt_ns\":5000000,\"release_late_ns\":120}\r\n"
                      "{\"exp\":\"task\",\"set\":0,\"task\":0,\"jobs\":9,\"misses\":0,"
                      "\"wcrt_ns\":1000,\"release_late_ns\":80} trailing text\r\n"
                      "random noise {\"exp\" not json\n"
                      "{\"exp\":\"window\",\"set\":0,\"task\":1,\"max_window_ns\":990,"
                      "\"budget_ns\":1000}\n"
                      "{\"exp\":\"set\",\"set\":0,\"ok\":1}\n"
                      "{\"exp\":\"overheads\",\"release_ns\":1900,\"switch_ns\":950,\"jobs\":64}\n"
                      "{\"exp\":\"task\",\"set\":1,\"task\":0,\"jobs\":2,\"misses\":0,"
                      "\"wcrt_ns\":7,\"release_late_ns\":0}\n"
                      "{\"exp\":\"end\",\"sets\":2}";
    struct results_set res[2] = {0};
    struct results_log l;
    results_parse_log(log, strlen(log), two_sets, 2, 5, res, &l);
    CHECK_EQ(l.problems, 0);
    CHECK(l.have_overheads);
    CHECK_EQ(l.ovh.release_ns, 2100); /* the worst of the two calibrations */
    CHECK_EQ(l.ovh.switch_ns, 950);
    CHECK(l.ended);
    CHECK_EQ(l.end_sets, 2);
    CHECK_EQ(l.task_lines, 3);
    CHECK_EQ(l.window_lines, 1);
    CHECK(res[0].window[1].seen && !res[0].window[0].seen);
    CHECK_EQ(res[0].window[1].max_window_ns, 990);
    CHECK_EQ(res[0].window[1].budget_ns, 1000);
    CHECK(res[0].seen && res[0].ok && res[0].log == 5);
    CHECK_EQ(res[0].task[1].misses, 1);
    CHECK_EQ(res[0].task[1].wcrt_ns, 5000000);
    CHECK_EQ(res[0].task[0].release_late_ns, 80);
    CHECK(results_set_complete(&res[0], 2));
    /* Set 1 has its task line but no set line: it did not finish. */
    CHECK(!res[1].seen);
    CHECK(!results_set_complete(&res[1], 1));
    CHECK(merge_failed(&two_sets[1], &res[1]));
    CHECK(!merge_failed(&two_sets[0], &res[0]));
    CHECK(!merge_observed_sched(&two_sets[0], &res[0])); /* a miss */
}

TEST(results_problems)
{
    const char *log = "{\"exp\":\"task\",\"set\":7,\"task\":0,\"jobs\":1,\"misses\":0,"
                      "\"wcrt_ns\":1,\"release_late_ns\":0}\n"
                      "{\"exp\":\"task\",\"set\":1,\"task\":1,\"jobs\":1,\"misses\":0,"
                      "\"wcrt_ns\":1,\"release_late_ns\":0}\n"
                      "{\"exp\":\"task\",\"set\":0,\"task\":0,\"jobs\":1}\n"
                      "{\"exp\":\"set\",\"set\":0,\"ok\":0}\n"
                      "{\"exp\":\"set\",\"set\":0,\"ok\":1}\n"
                      "{\"exp\":\"set\",\"set\":1,\"ok\":1,\"extra\":{\"nested\":1}}\n"
                      "{\"exp\":\"bogus\"}\n"
                      "{\"exp\":\"overheads\",\"release_us\":3,\"switch_us\":2}\n";
    struct results_set res[2] = {0};
    struct results_log l;
    results_parse_log(log, strlen(log), two_sets, 2, 0, res, &l);
    CHECK_EQ(l.problems, 6);
    CHECK(strstr(l.problem[0], "line 1: set 7") != NULL);
    CHECK(strstr(l.problem[1], "no such task") != NULL);
    CHECK(strstr(l.problem[3], "line 5") != NULL && strstr(l.problem[3], "again") != NULL);
    CHECK(strstr(l.problem[4], "line 6: malformed") != NULL);
    CHECK(res[0].seen && !res[0].ok); /* the first report is kept */
    CHECK(!res[0].task[0].seen);
    CHECK(!res[1].seen);
    CHECK(!l.ended);
    CHECK_EQ(l.ovh.release_ns, 3000); /* microseconds, the form taskset.h names */
    CHECK_EQ(l.ovh.switch_ns, 2000);
}

/* ---------------------------------------------------------------------------------------- */
/* Merge on synthetic runs */

static struct record_set *merge_sets;
static uint32_t merge_n;

/* quick_def's sets, analysed with overheads, so rta and rta_ovh differ. */
static bool make_merge_sets(void)
{
    struct exp_def def;
    char err[ERR_LEN];
    struct rta_overheads ovh = {.release_ns = 3000, .switch_ns = 1500};
    if (!parse_def(quick_def, &def, err) ||
        !gen_experiment(&def, &ovh, &merge_sets, &merge_n, err, sizeof(err))) {
        return false;
    }
    for (uint32_t i = 0; i < merge_n; i++) {
        batch_set_budgets(&merge_sets[i], &ovh);
    }
    return batch_assign(merge_sets, merge_n, 2, err, sizeof(err));
}

/* The console log of batch `batch` of an ideal run: each task's worst response time halfway
 * between its bounds, misses exactly where RTA with overheads predicts them and, in isolation
 * sets without enforcement, in every task below the overrunning one. Set `skip` (if in the
 * batch) stops before its set line, as a hung QEMU would. */
static char *synth_log(uint32_t batch, uint32_t skip)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    fprintf(f, "Kairos\r\n{\"exp\":\"overheads\",\"release_ns\":2900,\"switch_ns\":1400}\r\n");
    uint32_t done = 0;
    bool hung = false;
    for (uint32_t i = 0; i < merge_n; i++) {
        const struct record_set *s = &merge_sets[i];
        if (s->batch != batch) {
            continue;
        }
        for (uint32_t t = 0; t < s->ntasks; t++) {
            const struct record_task *k = &s->task[t];
            bool bounded = k->rta_ovh_ns != RECORD_NO_RTA;
            uint64_t wcrt = bounded ? (k->rta_ns + k->rta_ovh_ns) / 2 : k->d_us * 1000ull + 1;
            bool miss = !bounded;
            if (s->kind == RECORD_ISOLATION) {
                int32_t over = s->overrun_task;
                miss = (int32_t)t == over
                           ? s->factor > 1
                           : !s->enforce && s->factor > 1 && s->task[over].prio > k->prio;
            }
            fprintf(f,
                    "{\"exp\":\"task\",\"set\":%u,\"task\":%u,\"jobs\":%u,\"misses\":%d,"
                    "\"wcrt_ns\":%llu,\"release_late_ns\":100}\r\n",
                    i, t, s->run_us / k->t_us + 1, miss, (unsigned long long)wcrt);
        }
        /* The root task's window line for an overrunning task: enforced, exactly its budget. */
        if (s->kind == RECORD_ISOLATION && s->factor > 1) {
            const struct record_task *k = &s->task[s->overrun_task];
            uint64_t budget = (s->enforce ? k->budget_us : k->t_us) * 1000ull;
            fprintf(f,
                    "{\"exp\":\"window\",\"set\":%u,\"task\":%d,\"max_window_ns\":%llu,"
                    "\"budget_ns\":%llu}\n",
                    i, s->overrun_task, (unsigned long long)budget, (unsigned long long)budget);
        }
        if (i == skip) {
            hung = true;
            break;
        }
        fprintf(f, "{\"exp\":\"set\",\"set\":%u,\"ok\":1}\n", i);
        done++;
    }
    if (!hung) {
        fprintf(f, "{\"exp\":\"end\",\"sets\":%u}\n", done);
    }
    fclose(f);
    return buf;
}

static void merge_run(struct results_set *res, struct results_log *logs, uint32_t skip)
{
    memset(res, 0, merge_n * sizeof(*res));
    for (uint32_t b = 0; b < 2; b++) {
        char *text = synth_log(b, skip);
        results_parse_log(text, strlen(text), merge_sets, merge_n, b, res, &logs[b]);
        free(text);
    }
}

TEST(merge_ideal_run)
{
    CHECK(make_merge_sets());
    struct results_set *res = calloc(merge_n, sizeof(*res));
    struct results_log logs[2];
    merge_run(res, logs, UINT32_MAX);
    CHECK_EQ(logs[0].problems + logs[1].problems, 0);
    CHECK(logs[0].ended && logs[1].ended);
    struct merge_check c;
    merge_check(merge_sets, res, merge_n, &c);
    CHECK_EQ(c.sets, merge_n);
    CHECK_EQ(c.failed, 0);
    CHECK_EQ(c.rta_sets, 20);
    CHECK_EQ(c.agree, 20);
    CHECK_EQ(c.sched_but_missed, 0);
    CHECK_EQ(c.tasks_within, c.tasks_bounded);
    CHECK_EQ(c.isolation_broken, 0);
    CHECK_EQ(c.window_checked, 6); /* factors 2 and 3, 3 enforced sets each */
    CHECK_EQ(c.window_over, 0);
    CHECK(merge_holds(&c));
    struct merge_point points[8];
    CHECK_EQ(merge_points(merge_sets, res, merge_n, points, 8), 5);
    uint32_t rta_ovh = 0;
    for (uint32_t k = 0; k < 5; k++) {
        CHECK(fabs(points[k].u - 0.2 * (k + 1)) < 1e-9);
        CHECK_EQ(points[k].sets, 4);
        CHECK_EQ(points[k].observed, points[k].rta_ovh);
        CHECK_LE(points[k].rta_ovh, points[k].rta);
        CHECK_LE(points[k].ll, points[k].hyperbolic); /* hyperbolic dominates LL */
        rta_ovh += points[k].rta_ovh;
    }
    CHECK_EQ(points[0].rta_ovh, 4); /* U = 0.2 is always schedulable */
    struct merge_isolation groups[8];
    CHECK_EQ(merge_isolation(merge_sets, res, merge_n, groups, 8), 4);
    CHECK(groups[0].factor == 2.0 && groups[0].enforce);
    CHECK(groups[1].factor == 3.0 && groups[1].enforce);
    CHECK(groups[2].factor == 2.0 && !groups[2].enforce);
    CHECK(groups[3].factor == 3.0 && !groups[3].enforce);
    for (uint32_t k = 0; k < 4; k++) {
        CHECK_EQ(groups[k].sets, 3);
        CHECK(groups[k].other_jobs > 0);
        CHECK_EQ(groups[k].window_sets, 3);
        if (groups[k].enforce) {
            CHECK_EQ(groups[k].other_misses, 0);
        }
    }
    free(res);
}

TEST(merge_broken_runs)
{
    CHECK(make_merge_sets());
    struct results_set *res = calloc(merge_n, sizeof(*res));
    struct results_log logs[2];
    struct merge_check c;

    /* Set 5 hangs: it and the rest of its batch fail. */
    merge_run(res, logs, 5);
    merge_check(merge_sets, res, merge_n, &c);
    CHECK_EQ(c.failed, (merge_n - 5 + 1) / 2); /* 5, 7, ..., 31 */
    CHECK(!logs[1].ended && logs[0].ended);
    CHECK(!merge_holds(&c));

    /* A set RTA with overheads calls schedulable misses a deadline. */
    merge_run(res, logs, UINT32_MAX);
    uint32_t victim = 0;
    while (!merge_sets[victim].sched_rta_ovh) {
        victim++;
    }
    res[victim].task[0].misses = 1;
    merge_check(merge_sets, res, merge_n, &c);
    CHECK_EQ(c.sched_but_missed, 1);
    CHECK_EQ(c.agree, 19);
    CHECK(!merge_holds(&c)); /* and 95% agreement */

    /* A response time above its bound, and one below the overhead-free bound. */
    merge_run(res, logs, UINT32_MAX);
    res[victim].task[0].wcrt_ns = merge_sets[victim].task[0].rta_ovh_ns + 1;
    res[victim].task[1].wcrt_ns = merge_sets[victim].task[1].rta_ns - 1;
    CHECK_EQ(merge_task_within(&merge_sets[victim].task[0], &res[victim].task[0]), MERGE_ABOVE);
    merge_check(merge_sets, res, merge_n, &c);
    CHECK_EQ(c.tasks_above, 1);
    CHECK_EQ(c.tasks_below, 1);
    CHECK(!merge_holds(&c));

    /* Enforcement fails to isolate: another task of an enforced isolation set misses. */
    merge_run(res, logs, UINT32_MAX);
    uint32_t iso = 20; /* the first isolation set, enforced */
    uint32_t other = merge_sets[iso].overrun_task == 0 ? 1 : 0;
    res[iso].task[other].misses = 2;
    merge_check(merge_sets, res, merge_n, &c);
    CHECK_EQ(c.isolation_broken, 1);
    CHECK(!merge_holds(&c));

    /* The overrunning task of an enforced set got more than its budget in a window. */
    merge_run(res, logs, UINT32_MAX);
    struct results_window *w = &res[iso].window[merge_sets[iso].overrun_task];
    w->max_window_ns = w->budget_ns + MERGE_WINDOW_SLACK_NS;
    merge_check(merge_sets, res, merge_n, &c);
    CHECK_EQ(c.window_over, 0); /* within the slack */
    w->max_window_ns++;
    merge_check(merge_sets, res, merge_n, &c);
    CHECK_EQ(c.window_over, 1);
    CHECK(!merge_holds(&c));
    /* Without enforcement a window may hold anything up to the period. */
    struct results_window *free_w = &res[iso + 1].window[merge_sets[iso + 1].overrun_task];
    free_w->max_window_ns = free_w->budget_ns * 2;
    merge_check(merge_sets, res, merge_n, &c);
    CHECK_EQ(c.window_over, 1);
    free(res);
}

/* ---------------------------------------------------------------------------------------- */
/* Output files */

static char *capture(void (*write)(FILE *, const struct results_set *),
                     const struct results_set *res)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    write(f, res);
    fclose(f);
    return buf;
}

static void write_results(FILE *f, const struct results_set *res)
{
    report_results_jsonl(f, merge_sets, res, merge_n);
}

static void write_wcrt(FILE *f, const struct results_set *res)
{
    report_wcrt_csv(f, merge_sets, res, merge_n);
}

static void write_summary(FILE *f, const struct results_set *res)
{
    struct merge_point points[8];
    report_summary_csv(f, points, merge_points(merge_sets, res, merge_n, points, 8));
}

static void write_agreement(FILE *f, const struct results_set *res)
{
    struct merge_check c;
    merge_check(merge_sets, res, merge_n, &c);
    struct results_log logs[2] = {{.have_overheads = true, .ovh = {9000, 1}}, {0}};
    const char *names[2] = {"a.log", "b.log"};
    report_agreement(f, merge_sets, res, merge_n, &c, logs, names, 2);
}

static size_t count_lines(const char *s)
{
    size_t n = 0;
    for (; *s; s++) {
        n += *s == '\n';
    }
    return n;
}

TEST(report_files)
{
    CHECK(make_merge_sets());
    struct results_set *res = calloc(merge_n, sizeof(*res));
    struct results_log logs[2];
    merge_run(res, logs, 30); /* the last set of batch 0 hangs */

    char *text = capture(write_results, res);
    CHECK_EQ(count_lines(text), merge_n);
    /* results.jsonl lines are sets.jsonl lines with more fields: still readable as records. */
    struct record_set back;
    char err[ERR_LEN];
    CHECK(record_parse(text, strlen(text), &back, err, sizeof(err)));
    CHECK_EQ(back.id, 0);
    CHECK(strstr(text, "\"failed\":true,\"observed_sched\":null}") != NULL);
    CHECK(
        strstr(text, "\"max_window_ns\":[null,null,null],\"window_budget_ns\":[null,null,null]") !=
        NULL);
    free(text);

    text = capture(write_wcrt, res);
    CHECK(strncmp(text, "set,task,prio,rta_ns,rta_ovh_ns,wcrt_ns,within,misses\n", 54) == 0);
    CHECK_EQ(count_lines(text), 1 + 20 * 3);
    free(text);

    text = capture(write_summary, res);
    CHECK(strncmp(text,
                  "u,sets,failed,observed_ratio,rta_ratio,rta_ovh_ratio,ll_ratio,"
                  "hyperbolic_ratio\n0.2,4,0,1.0000,1.0000,1.0000,",
                  103) == 0);
    CHECK_EQ(count_lines(text), 6);
    free(text);

    text = capture(write_agreement, res);
    CHECK(strstr(text, "failed sets: 1 of 32") != NULL);
    CHECK(strstr(text, "set 30 (isolation, batch 0): no \"set\" line") != NULL);
    CHECK(strstr(text, "above the overheads the sets were built with") != NULL);
    CHECK(strstr(text, "invariants: BROKEN") != NULL);
    free(text);

    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    report_isolation_csv(f, NULL, 0);
    fclose(f);
    CHECK_EQ(count_lines(buf), 1);
    free(buf);
    free(res);
}
