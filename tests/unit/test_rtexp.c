/* Unit tests for tools/rtexp's analysis side: the generator's distributions and determinism,
 * RTA on textbook task sets with known response times, the utilisation bounds, the flat JSON
 * reader and the experiment files' errors (test_rtexp_io.c has the files and merge). */
#define CHECK_SUITE "rtexp"
#include "check.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>

#include "batch.h"
#include "exp_file.h"
#include "gen.h"
#include "json.h"
#include "rta.h"

#define MS 1000000ull /* ns */
#include "rtexp_fixture.h"

/* ---------------------------------------------------------------------------------------- */
/* Generator */

TEST(rng_determinism)
{
    struct gen_rng a, b, c;
    gen_rng_seed(&a, 1);
    gen_rng_seed(&b, 1);
    gen_rng_seed(&c, 2);
    int differ = 0;
    for (int i = 0; i < 1000; i++) {
        uint64_t x = gen_rng_next(&a);
        CHECK_EQ(x, gen_rng_next(&b));
        differ += x != gen_rng_next(&c);
        double u = gen_rng_unit(&a);
        gen_rng_unit(&b);
        gen_rng_unit(&c);
        CHECK(u >= 0 && u < 1);
    }
    CHECK(differ > 990);
}

TEST(uunifast_sums_and_bounds)
{
    struct gen_rng rng;
    gen_rng_seed(&rng, 7);
    double u[RTEXP_MAX_TASKS];
    for (int draw = 0; draw < 2000; draw++) {
        double total = 0.1 + (draw % 10) * 0.1;
        CHECK(gen_uunifast(&rng, 5, total, u)); /* U <= 1: every u_i <= U <= 1 */
        double sum = 0;
        for (int i = 0; i < 5; i++) {
            CHECK(u[i] >= 0 && u[i] <= 1);
            sum += u[i];
        }
        CHECK(fabs(sum - total) < 1e-12);
    }
    /* At U = 4.5 of 5 most draws have some u_i > 1; the accepted ones have none. */
    int accepted = 0;
    for (int draw = 0; draw < 2000; draw++) {
        if (gen_uunifast(&rng, 5, 4.5, u)) {
            accepted++;
            for (int i = 0; i < 5; i++) {
                CHECK(u[i] <= 1);
            }
        }
    }
    CHECK(accepted < 1000);
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

TEST(periods_log_uniform)
{
    enum { DRAWS = 20001 };
    static uint32_t t[DRAWS];
    struct gen_rng rng;
    gen_rng_seed(&rng, 3);
    double log_sum = 0;
    for (int i = 0; i < DRAWS; i++) {
        t[i] = gen_period_us(&rng, 1000, 100000);
        CHECK(t[i] >= 1000 && t[i] <= 100000);
        log_sum += log(t[i]);
    }
    qsort(t, DRAWS, sizeof(t[0]), cmp_u32);
    /* Log-uniform: the median is the geometric mean 10 ms, and each decade holds half. */
    CHECK(t[DRAWS / 2] > 9500 && t[DRAWS / 2] < 10500);
    CHECK(fabs(log_sum / DRAWS - log(10000.0)) < 0.03);
    CHECK(t[DRAWS / 4] > 2900 && t[DRAWS / 4] < 3400); /* 10^0.5 ms */
    CHECK_EQ(gen_period_us(&rng, 5000, 5000), 5000);
}

TEST(set_draw_properties)
{
    struct exp_def def;
    char err[ERR_LEN];
    CHECK(parse_def(quick_def, &def, err));
    def.tasks = 5;
    struct gen_rng rng;
    gen_rng_seed(&rng, 11);
    for (int k = 0; k < 500; k++) {
        double total = 0.05 + (k % 20) * 0.05;
        struct record_set s;
        CHECK(gen_set_draw(&rng, &def, total, &s, err, sizeof(err)));
        CHECK_EQ(s.ntasks, 5);
        double u = 0;
        bool clamped = false;
        uint32_t longest = 0;
        for (uint32_t i = 0; i < s.ntasks; i++) {
            const struct record_task *t = &s.task[i];
            CHECK(t->c_us >= KAIROS_MIN_BUDGET_US && t->c_us <= t->t_us);
            CHECK(t->t_us >= 1000 && t->t_us <= 20000);
            CHECK_EQ(t->d_us, t->t_us);
            CHECK_EQ(t->prio, GEN_TOP_PRIO - i);
            CHECK_EQ(t->run_pct, RTEXP_EXACT_PCT);
            if (i > 0) {
                CHECK_LE(s.task[i - 1].t_us, t->t_us); /* rate-monotonic */
            }
            clamped |= t->c_us == KAIROS_MIN_BUDGET_US;
            u += (double)t->c_us / t->t_us;
            longest = t->t_us > longest ? t->t_us : longest;
        }
        CHECK(fabs(u - s.u) < 1e-9);
        /* Rounding C to 1 us moves each u_i by at most 0.5 / T_min. */
        if (!clamped) {
            CHECK(fabs(u - total) <= 5 * 0.5 / 1000 + 1e-12);
        }
        CHECK_EQ(s.run_us, longest);
    }
}

TEST(set_draw_deadline_monotonic)
{
    struct exp_def def;
    char err[ERR_LEN];
    CHECK(parse_def(quick_def, &def, err));
    def.deadline_factor = 0.5;
    struct gen_rng rng;
    gen_rng_seed(&rng, 5);
    for (int k = 0; k < 200; k++) {
        struct record_set s;
        CHECK(gen_set_draw(&rng, &def, 0.5, &s, err, sizeof(err)));
        for (uint32_t i = 0; i < s.ntasks; i++) {
            CHECK_EQ(s.task[i].d_us, (uint32_t)llround(0.5 * s.task[i].t_us));
            if (i > 0) {
                CHECK_LE(s.task[i - 1].d_us, s.task[i].d_us);
                CHECK_EQ(s.task[i].prio + 1, s.task[i - 1].prio);
            }
        }
    }
}

TEST(set_draw_gives_up)
{
    struct exp_def def;
    char err[ERR_LEN];
    CHECK(parse_def(quick_def, &def, err));
    struct gen_rng rng;
    gen_rng_seed(&rng, 1);
    struct record_set s;
    CHECK(!gen_set_draw(&rng, &def, 3.0, &s, err, sizeof(err))); /* only all u_i = 1 fits */
    CHECK(strstr(err, "U = 3") != NULL);
}

TEST(experiment_layout_and_determinism)
{
    struct exp_def def;
    char err[ERR_LEN];
    CHECK(parse_def(quick_def, &def, err));
    struct rta_overheads ovh = {.release_ns = 3000, .switch_ns = 1500};
    struct record_set *a, *b, *c;
    uint32_t na, nb, nc;
    CHECK(gen_experiment(&def, &ovh, &a, &na, err, sizeof(err)));
    CHECK(gen_experiment(&def, &ovh, &b, &nb, err, sizeof(err)));
    def.seed = 2;
    CHECK(gen_experiment(&def, &ovh, &c, &nc, err, sizeof(err)));
    CHECK_EQ(na, 5 * 4 + 2 * 3 * 2);
    CHECK_EQ(nb, na);
    CHECK(memcmp(a, b, na * sizeof(*a)) == 0);
    CHECK(memcmp(a, c, na * sizeof(*a)) != 0);
    for (uint32_t i = 0; i < na; i++) {
        CHECK_EQ(a[i].id, i);
        CHECK_EQ(a[i].ovh_release_ns, 3000);
        if (i < 20) {
            CHECK_EQ(a[i].kind, RECORD_RTA);
            CHECK(fabs(a[i].u_point - 0.2 * (1 + i / 4)) < 1e-9);
            CHECK_EQ(a[i].overrun_task, RECORD_NO_OVERRUN);
            continue;
        }
        /* Factor by factor, base set by base set, enforced then not. */
        uint32_t k = i - 20;
        CHECK_EQ(a[i].kind, RECORD_ISOLATION);
        CHECK(a[i].factor == (k < 6 ? 2.0 : 3.0));
        CHECK_EQ(a[i].enforce, k % 2 == 0);
        CHECK(a[i].sched_rta_ovh);
        int32_t heavy = (int32_t)gen_heaviest_task(&a[i]);
        CHECK_EQ(a[i].overrun_task, heavy);
        CHECK_EQ(a[i].task[heavy].run_pct, (uint32_t)(100 * a[i].factor));
        /* The same base sets at every factor. */
        const struct record_set *same = &a[20 + (k % 6)];
        for (uint32_t t = 0; t < a[i].ntasks; t++) {
            CHECK_EQ(a[i].task[t].c_us, same->task[t].c_us);
            CHECK_EQ(a[i].task[t].t_us, same->task[t].t_us);
            CHECK_EQ(a[i].task[t].prio, same->task[t].prio);
        }
    }
    free(a);
    free(b);
    free(c);
}

/* ---------------------------------------------------------------------------------------- */
/* Response-time analysis */

static void make_tasks(struct rta_task *t, const uint64_t (*ct)[2], uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        t[i] = (struct rta_task){
            .c_ns = ct[i][0] * MS, .t_ns = ct[i][1] * MS, .d_ns = ct[i][1] * MS, .prio = 100 - i};
    }
}

TEST(rta_textbook_sets)
{
    struct rta_task t[3];
    /* Buttazzo, Hard Real-Time Computing Systems: (1,4), (2,6), (3,10): R = 1, 3, 10. */
    static const uint64_t buttazzo[3][2] = {{1, 4}, {2, 6}, {3, 10}};
    make_tasks(t, buttazzo, 3);
    CHECK_EQ(rta_response_ns(t, 3, 0), 1 * MS);
    CHECK_EQ(rta_response_ns(t, 3, 1), 3 * MS);
    CHECK_EQ(rta_response_ns(t, 3, 2), 10 * MS);
    /* Burns & Wellings, Real-Time Systems: (3,7), (3,12), (5,20): R = 3, 6, 20. */
    static const uint64_t burns[3][2] = {{3, 7}, {3, 12}, {5, 20}};
    make_tasks(t, burns, 3);
    CHECK_EQ(rta_response_ns(t, 3, 0), 3 * MS);
    CHECK_EQ(rta_response_ns(t, 3, 1), 6 * MS);
    CHECK_EQ(rta_response_ns(t, 3, 2), 20 * MS);
    /* One more unit of C3 and the third task misses: 4, 7, 10, 11 > 10. */
    static const uint64_t late[3][2] = {{1, 4}, {2, 6}, {4, 10}};
    make_tasks(t, late, 3);
    CHECK_EQ(rta_response_ns(t, 3, 1), 3 * MS);
    CHECK_EQ(rta_response_ns(t, 3, 2), RECORD_NO_RTA);
}

TEST(rta_full_utilisation)
{
    struct rta_task t[2];
    /* Harmonic at exactly 100%: schedulable, the second finishing at its deadline. */
    static const uint64_t harmonic[2][2] = {{2, 4}, {4, 8}};
    make_tasks(t, harmonic, 2);
    CHECK_EQ(rta_response_ns(t, 2, 0), 2 * MS);
    CHECK_EQ(rta_response_ns(t, 2, 1), 8 * MS);
    /* Non-harmonic at 100%: 3, 5, 7 > 6. */
    static const uint64_t odd[2][2] = {{2, 4}, {3, 6}};
    make_tasks(t, odd, 2);
    CHECK_EQ(rta_response_ns(t, 2, 1), RECORD_NO_RTA);
    /* Priorities decide, not positions: the same set listed lowest priority first. */
    struct rta_task rev[3];
    static const uint64_t buttazzo[3][2] = {{1, 4}, {2, 6}, {3, 10}};
    make_tasks(rev, buttazzo, 3);
    struct rta_task tmp = rev[0];
    rev[0] = rev[2];
    rev[2] = tmp;
    CHECK_EQ(rta_response_ns(rev, 3, 0), 10 * MS);
    CHECK_EQ(rta_response_ns(rev, 3, 2), 1 * MS);
}

TEST(rta_with_overheads)
{
    struct rta_overheads ovh = {.release_ns = 2000, .switch_ns = 1000};
    CHECK_EQ(rta_job_cost_ns(100, 1, &ovh), 104000);
    /* Released with two others by the same interrupt: their signals come first. */
    struct rta_overheads sig = {.release_ns = 2000, .switch_ns = 1000, .signal_ns = 500};
    CHECK_EQ(rta_job_cost_ns(100, 3, &sig), 105000);
    struct record_set s = {.ntasks = 3};
    static const uint32_t ct[3][2] = {{1000, 4000}, {2000, 6000}, {3000, 10000}};
    for (uint32_t i = 0; i < 3; i++) {
        s.task[i] = (struct record_task){
            .c_us = ct[i][0], .t_us = ct[i][1], .d_us = ct[i][1], .prio = 200 - i};
    }
    rta_analyse_set(&s, &ovh);
    CHECK_EQ(s.task[0].rta_ns, 1 * MS);
    CHECK_EQ(s.task[2].rta_ns, 10 * MS);
    CHECK(s.sched_rta);
    /* C' = C + 4 us, and every lower task's release costs a higher one 2 us (the releaser
     * runs above all): 1.004 + 2 x 0.002; 2.004 + 1.004 + 0.002; the third task needs
     * 3.004 + 3 x 1.004 + 2 x 2.004 > 10 ms. */
    CHECK_EQ(s.task[0].rta_ovh_ns, 1008000);
    CHECK_EQ(s.task[1].rta_ovh_ns, 3010000);
    CHECK_EQ(s.task[2].rta_ovh_ns, RECORD_NO_RTA);
    CHECK(!s.sched_rta_ovh);
    CHECK(!s.ll);         /* U = 0.883 > 0.780 */
    CHECK(!s.hyperbolic); /* 1.25 x 1.333 x 1.3 = 2.17 */
    CHECK_EQ(s.ovh_switch_ns, 1000);
}

TEST(utilisation_bounds)
{
    const double one[] = {1.0};
    const double two_in[] = {0.4, 0.42};       /* 0.82 <= 0.828 */
    const double two_out[] = {0.4, 0.43};      /* 0.83 */
    const double hyper_only[] = {0.7, 0.15};   /* 0.85 > 0.828, but 1.7 x 1.15 = 1.955 */
    const double three[] = {0.26, 0.26, 0.26}; /* 0.78 > 3 (2^(1/3) - 1) = 0.7798 */
    CHECK(rta_liu_layland(one, 1));
    CHECK(rta_liu_layland(two_in, 2));
    CHECK(!rta_liu_layland(two_out, 2));
    CHECK(!rta_liu_layland(hyper_only, 2));
    CHECK(rta_hyperbolic(hyper_only, 2));
    CHECK(!rta_liu_layland(three, 3));
    CHECK(rta_hyperbolic(two_in, 2));
    const double hyper_out[] = {0.5, 0.4}; /* 1.5 x 1.4 = 2.1 */
    CHECK(!rta_hyperbolic(hyper_out, 2));
}

/* ---------------------------------------------------------------------------------------- */
/* Experiment files */

static const char *const base_fields[] = {
    "\"name\":\"t\"",    "\"tasks\":3",          "\"u_min\":0.05",      "\"u_max\":1.0",
    "\"u_step\":0.05",   "\"sets_per_point\":2", "\"period_min_ms\":1", "\"period_max_ms\":100",
    "\"run_periods\":1", "\"seed\":9",
};
#define NBASE (sizeof(base_fields) / sizeof(base_fields[0]))

/* base_fields as an object, without field `skip` (-1: none), with field `swap` replaced by
 * `with`, and `extra` (if not NULL) appended. */
static const char *build_def(int skip, int swap, const char *with, const char *extra)
{
    static char out[2048];
    size_t n = 0;
    n += snprintf(out + n, sizeof(out) - n, "{\n");
    bool first = true;
    for (int i = 0; i < (int)NBASE; i++) {
        if (i == skip) {
            continue;
        }
        n += snprintf(out + n, sizeof(out) - n, "%s  %s", first ? "" : ",\n",
                      i == swap ? with : base_fields[i]);
        first = false;
    }
    if (extra != NULL) {
        n += snprintf(out + n, sizeof(out) - n, ",\n  %s", extra);
    }
    snprintf(out + n, sizeof(out) - n, "\n}\n");
    return out;
}

/* The definition is refused and the message names the file and every given word. */
static bool refused(const char *text, const char *word1, const char *word2)
{
    struct exp_def def;
    char err[ERR_LEN];
    if (parse_def(text, &def, err)) {
        return false;
    }
    return strstr(err, "x.json") != NULL && strstr(err, word1) != NULL &&
           (word2 == NULL || strstr(err, word2) != NULL);
}

TEST(exp_good)
{
    struct exp_def def;
    char err[ERR_LEN];
    CHECK(parse_def(build_def(-1, -1, NULL, "\"deadline_factor\":0.8"), &def, err));
    CHECK_STR_EQ(def.name, "t");
    CHECK_EQ(def.tasks, 3);
    CHECK_EQ(def.npoints, 20); /* 0.95 / 0.05 is 18.999..., still 20 points */
    CHECK(exp_point_u(&def, 0) == 0.05);
    CHECK(exp_point_u(&def, 19) == 1.0);
    CHECK_EQ(def.period_min_us, 1000);
    CHECK_EQ(def.period_max_us, 100000);
    CHECK_EQ(def.seed, 9);
    CHECK(def.deadline_factor == 0.8);
    CHECK_EQ(def.nfactors, 0);
    CHECK_EQ(exp_rta_sets(&def), 40);
    CHECK_EQ(exp_isolation_sets(&def), 0);
    CHECK(parse_def(quick_def, &def, err));
    CHECK(def.deadline_factor == 1.0);
    CHECK_EQ(def.nfactors, 2);
    CHECK(def.overrun_factor[1] == 3.0);
    CHECK_EQ(exp_isolation_sets(&def), 12);
}

TEST(exp_missing_fields)
{
    static const char *const names[NBASE] = {
        "name",           "tasks",         "u_min",         "u_max",       "u_step",
        "sets_per_point", "period_min_ms", "period_max_ms", "run_periods", "seed",
    };
    for (int i = 0; i < (int)NBASE; i++) {
        char quoted[64];
        snprintf(quoted, sizeof(quoted), "\"%s\"", names[i]);
        CHECK(refused(build_def(i, -1, NULL, NULL), quoted, "missing"));
    }
}

TEST(exp_bad_values)
{
    CHECK(refused(build_def(-1, 3, "\"u_max\":4", NULL), "\"u_max\"", "tasks = 3"));
    CHECK(refused(build_def(-1, 2, "\"u_min\":0", NULL), "\"u_min\"", NULL));
    CHECK(refused(build_def(-1, 2, "\"u_min\":1.5", NULL), "\"u_max\"", "at least u_min"));
    CHECK(refused(build_def(-1, 4, "\"u_step\":0", NULL), "\"u_step\"", NULL));
    CHECK(refused(build_def(-1, 6, "\"period_min_ms\":0.03", NULL), "\"period_min_ms\"",
                  "minimum budget"));
    CHECK(refused(build_def(-1, 7, "\"period_max_ms\":0.5", NULL), "\"period_max_ms\"", NULL));
    CHECK(refused(build_def(-1, 1, "\"tasks\":17", NULL), "\"tasks\"", "16"));
    CHECK(refused(build_def(-1, 1, "\"tasks\":0", NULL), "\"tasks\"", NULL));
    CHECK(refused(build_def(-1, 1, "\"tasks\":\"3\"", NULL), "\"tasks\"", "integer"));
    CHECK(refused(build_def(-1, 1, "\"tasks\":2.5", NULL), "\"tasks\"", "integer"));
    CHECK(refused(build_def(-1, 5, "\"sets_per_point\":0", NULL), "\"sets_per_point\"", NULL));
    CHECK(refused(build_def(-1, 8, "\"run_periods\":0", NULL), "\"run_periods\"", NULL));
    CHECK(refused(build_def(-1, 9, "\"seed\":-1", NULL), "\"seed\"", NULL));
    CHECK(refused(build_def(-1, 0, "\"name\":\"a/b\"", NULL), "\"name\"", NULL));
    CHECK(refused(build_def(-1, -1, NULL, "\"deadline_factor\":1.5"), "\"deadline_factor\"", NULL));
    CHECK(refused(build_def(-1, -1, NULL, "\"colour\":1"), "\"colour\"", "unknown"));
    CHECK(refused(build_def(-1, -1, NULL,
                            "\"overrun_factors\":[2,0.5],\"isolation_sets\":1,"
                            "\"isolation_u\":0.5"),
                  "\"overrun_factors\"", "element 1"));
    CHECK(refused(build_def(-1, -1, NULL, "\"overrun_factors\":[2],\"isolation_sets\":1"),
                  "\"isolation_u\"", "missing"));
    CHECK(
        refused(build_def(-1, -1, NULL, "\"isolation_sets\":1"), "\"isolation_sets\"", "without"));
    CHECK(
        refused(build_def(-1, 5, "\"sets_per_point\":40000", NULL), "\"sets_per_point\"", "sets"));
}

TEST(exp_malformed)
{
    CHECK(refused("{\"name\":\"t\",}", "not a flat JSON object", NULL));
    CHECK(refused("{\"name\":\"t\"", "not a flat JSON object", NULL));
    CHECK(refused("[1,2]", "not a flat JSON object", NULL));
    CHECK(refused("{\"name\":{\"a\":1}}", "nested", NULL));
    CHECK(refused("{\"name\":\"t\",\"name\":\"u\"}", "twice", NULL));
    CHECK(refused("{\"name\":\"t\"} x", "after the object", NULL));
    CHECK(refused("", "not a flat JSON object", NULL));
    CHECK(refused("{\"tasks\":03}", "leading zero", NULL));
}

TEST(exp_shipped_definitions)
{
    /* The default must fit two batches and stay well inside 30 minutes on 2 cores: under
     * 15 minutes of virtual time per core even at 4x slower than real time, set-up aside. */
    struct exp_def def;
    char err[ERR_LEN];
    CHECK(exp_load(RTEXP_EXPERIMENTS_DIR "/default.json", &def, err, sizeof(err)));
    CHECK_EQ(def.tasks, 5);
    CHECK_EQ(def.npoints, 20);
    CHECK_EQ(def.sets_per_point, 50);
    struct rta_overheads ovh = {0};
    struct record_set *sets;
    uint32_t n;
    CHECK(gen_experiment(&def, &ovh, &sets, &n, err, sizeof(err)));
    CHECK(batch_assign(sets, n, 2, err, sizeof(err)));
    double run_s = 0;
    for (uint32_t i = 0; i < n; i++) {
        run_s += sets[i].run_us / 1e6;
    }
    free(sets);
    CHECK(run_s / 2 * 4 < 15 * 60);
    CHECK(exp_load(RTEXP_EXPERIMENTS_DIR "/quick.json", &def, err, sizeof(err)));
    CHECK_EQ(def.tasks, 3);
    CHECK_EQ(exp_rta_sets(&def), 20);
    CHECK(!exp_load(RTEXP_EXPERIMENTS_DIR "/no-such.json", &def, err, sizeof(err)));
    CHECK(strstr(err, "no-such.json") != NULL);
}

/* ---------------------------------------------------------------------------------------- */
/* The JSON reader */

TEST(json_values)
{
    static struct json_object obj;
    char err[JSON_ERR_MAX];
    size_t end;
    const char *text = " {\"a\":-12,\"b\":2.5e3,\"c\":[1,null,3],\"d\":true,\"e\":false,"
                       "\"f\":null,\"g\":\"x\\\"y\\\\z\",\"h\":99999999999999999999,\"i\":[]}tail";
    CHECK(json_parse_object(text, strlen(text), &obj, &end, err, sizeof(err)));
    CHECK_STR_EQ(text + end, "tail");
    CHECK_EQ(obj.nfields, 9);
    const struct json_field *f = json_find(&obj, "a");
    CHECK(f->type == JSON_NUMBER && f->num.is_int && f->num.i == -12);
    f = json_find(&obj, "b");
    CHECK(!f->num.is_int && f->num.d == 2500.0);
    f = json_find(&obj, "c");
    CHECK(f->type == JSON_ARRAY && f->len == 3 && f->elem[1].is_null && f->elem[2].i == 3);
    CHECK(json_find(&obj, "d")->b && !json_find(&obj, "e")->b);
    CHECK(json_find(&obj, "f")->type == JSON_NULL);
    CHECK_STR_EQ(json_find(&obj, "g")->str, "x\"y\\z");
    CHECK(!json_find(&obj, "h")->num.is_int); /* beyond int64: a double only */
    CHECK_EQ(json_find(&obj, "i")->len, 0);
    uint64_t v;
    CHECK(!json_get_u64(&obj, "a", &v));
    CHECK(!json_get_u64(&obj, "zz", &v));
    static const char *const bad[] = {
        "{\"a\":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17]}",
        "{\"a\":\"open}",
        "{\"a\":1.}",
        "{\"a\":[\"s\"]}",
        "{\"a\" 1}",
        "{a:1}",
        "{\"a\":1 \"b\":2}",
        "{\"a\":\"\\u0041\"}",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        CHECK(!json_parse_object(bad[i], strlen(bad[i]), &obj, &end, err, sizeof(err)));
        CHECK(strstr(err, "offset") != NULL);
    }
}
