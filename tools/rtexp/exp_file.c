/* exp_file.c — reading and checking experiment definitions (exp_file.h). */
#include "exp_file.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "taskset.h"

/* Point arithmetic is in doubles: 0.95 / 0.05 is 18.999999999999996, so counting points
 * forgives this much, and points are rounded to this grid. */
#define POINT_SLACK 1e-9
#define POINT_GRID 1e9

/* A definition file is a few hundred bytes; anything this large is not one. */
#define EXP_FILE_MAX (64u * 1024u)

static const char *const known_fields[] = {
    "name",   "comment",         "tasks",           "u_min",          "u_max",
    "u_step", "sets_per_point",  "period_min_ms",   "period_max_ms",  "run_periods",
    "seed",   "deadline_factor", "overrun_factors", "isolation_sets", "isolation_u",
};

struct checker {
    const struct json_object *obj;
    const char *path;
    char *err;
    size_t errlen;
};

__attribute__((format(printf, 3, 4))) static bool bad(const struct checker *c, const char *field,
                                                      const char *fmt, ...)
{
    int n = snprintf(c->err, c->errlen, "%s: field \"%s\": ", c->path, field);
    va_list ap;
    va_start(ap, fmt);
    json_error_tail(c->err, c->errlen, n, fmt, ap);
    va_end(ap);
    return false;
}

/* The field of the given type, or an error naming it: missing, or of another type. */
static const struct json_field *need(const struct checker *c, const char *field,
                                     enum json_type type, const char *what)
{
    const struct json_field *f = json_find(c->obj, field);
    if (f == NULL) {
        bad(c, field, "missing (%s)", what);
        return NULL;
    }
    if (f->type != type) {
        bad(c, field, "must be %s", what);
        return NULL;
    }
    return f;
}

static bool get_number(const struct checker *c, const char *field, double *out)
{
    const struct json_field *f = need(c, field, JSON_NUMBER, "a number");
    if (f == NULL) {
        return false;
    }
    *out = f->num.d;
    return true;
}

/* An integer in [min, max]. */
static bool get_uint(const struct checker *c, const char *field, uint64_t min, uint64_t max,
                     uint64_t *out)
{
    const struct json_field *f = need(c, field, JSON_NUMBER, "an integer");
    if (f == NULL) {
        return false;
    }
    if (!f->num.is_int || f->num.i < 0 || (uint64_t)f->num.i < min || (uint64_t)f->num.i > max) {
        return bad(c, field, "must be an integer in [%llu, %llu], got %g", (unsigned long long)min,
                   (unsigned long long)max, f->num.d);
    }
    *out = (uint64_t)f->num.i;
    return true;
}

static bool get_u32(const struct checker *c, const char *field, uint32_t min, uint32_t max,
                    uint32_t *out)
{
    uint64_t v;
    if (!get_uint(c, field, min, max, &v)) {
        return false;
    }
    *out = (uint32_t)v;
    return true;
}

/* A total utilisation: 0 < u <= n, as no task's own utilisation may exceed 1. */
static bool get_u(const struct checker *c, const char *field, uint32_t n, double *out)
{
    if (!get_number(c, field, out)) {
        return false;
    }
    if (!(*out > 0) || *out > n) {
        return bad(c, field, "must be in (0, tasks = %u], got %g", n, *out);
    }
    return true;
}

static bool check_unknown(const struct checker *c)
{
    for (uint32_t i = 0; i < c->obj->nfields; i++) {
        const char *key = c->obj->field[i].key;
        bool known = false;
        for (size_t k = 0; k < sizeof(known_fields) / sizeof(known_fields[0]); k++) {
            known |= strcmp(key, known_fields[k]) == 0;
        }
        if (!known) {
            return bad(c, key, "unknown field");
        }
    }
    return true;
}

static bool check_name(const struct checker *c, struct exp_def *def)
{
    const struct json_field *f = need(c, "name", JSON_STRING, "a string");
    if (f == NULL) {
        return false;
    }
    size_t n = strlen(f->str);
    if (n == 0 || n >= sizeof(def->name)) {
        return bad(c, "name", "must have 1 to %zu characters", sizeof(def->name) - 1);
    }
    for (size_t i = 0; i < n; i++) {
        char ch = f->str[i];
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                  (ch >= '0' && ch <= '9') || ch == '_' || ch == '-' || ch == '.';
        if (!ok || (i == 0 && ch == '.')) {
            return bad(c, "name", "must be letters, digits, '_', '-' or '.' (it names a folder)");
        }
    }
    memcpy(def->name, f->str, n + 1);
    const struct json_field *comment = json_find(c->obj, "comment");
    if (comment != NULL) {
        if (comment->type != JSON_STRING) {
            return bad(c, "comment", "must be a string");
        }
        snprintf(def->comment, sizeof(def->comment), "%s", comment->str);
    }
    return true;
}

/* The root task has threads and scheduling contexts for RTEXP_MAX_TASKS per set. */
static bool check_tasks(const struct checker *c, struct exp_def *def)
{
    uint64_t n;
    if (!get_uint(c, "tasks", 0, UINT32_MAX, &n)) {
        return false;
    }
    if (n < 1 || n > RTEXP_MAX_TASKS) {
        return bad(c, "tasks", "must be 1 to %u (what the root task holds per set), got %llu",
                   RTEXP_MAX_TASKS, (unsigned long long)n);
    }
    def->tasks = (uint32_t)n;
    return true;
}

static bool check_utilisation(const struct checker *c, struct exp_def *def)
{
    if (!get_u(c, "u_min", def->tasks, &def->u_min) ||
        !get_u(c, "u_max", def->tasks, &def->u_max) || !get_number(c, "u_step", &def->u_step)) {
        return false;
    }
    if (def->u_min > def->u_max) {
        return bad(c, "u_max", "must be at least u_min (%g), got %g", def->u_min, def->u_max);
    }
    if (!(def->u_step > 0)) {
        return bad(c, "u_step", "must be positive, got %g", def->u_step);
    }
    double steps = floor((def->u_max - def->u_min) / def->u_step + POINT_SLACK);
    if (steps + 1 > EXP_MAX_POINTS) {
        return bad(c, "u_step", "makes %.0f points, more than %d", steps + 1, EXP_MAX_POINTS);
    }
    def->npoints = (uint32_t)steps + 1;
    return get_u32(c, "sets_per_point", 1, EXP_MAX_SETS, &def->sets_per_point);
}

static bool check_periods(const struct checker *c, struct exp_def *def)
{
    if (!get_number(c, "period_min_ms", &def->period_min_ms) ||
        !get_number(c, "period_max_ms", &def->period_max_ms) ||
        !get_u32(c, "run_periods", 1, UINT32_MAX, &def->run_periods)) {
        return false;
    }
    double min_us = def->period_min_ms * EXP_US_PER_MS;
    double max_us = def->period_max_ms * EXP_US_PER_MS;
    if (!(min_us >= 2.0 * KAIROS_MIN_BUDGET_US)) {
        return bad(c, "period_min_ms",
                   "must be at least %g (twice the kernel's minimum budget of %u us), got %g",
                   2.0 * KAIROS_MIN_BUDGET_US / EXP_US_PER_MS, KAIROS_MIN_BUDGET_US,
                   def->period_min_ms);
    }
    if (!(max_us >= min_us)) {
        return bad(c, "period_max_ms", "must be at least period_min_ms (%g), got %g",
                   def->period_min_ms, def->period_max_ms);
    }
    /* A set runs run_periods x its longest period, in a 32-bit count of microseconds. */
    if (max_us * def->run_periods > (double)UINT32_MAX) {
        return bad(c, "period_max_ms", "times run_periods (%u) must be below %.0f ms",
                   def->run_periods, UINT32_MAX / EXP_US_PER_MS);
    }
    def->period_min_us = (uint32_t)llround(min_us);
    def->period_max_us = (uint32_t)llround(max_us);
    return true;
}

static bool check_deadlines(const struct checker *c, struct exp_def *def)
{
    def->deadline_factor = 1.0;
    if (json_find(c->obj, "deadline_factor") == NULL) {
        return true;
    }
    if (!get_number(c, "deadline_factor", &def->deadline_factor)) {
        return false;
    }
    double f = def->deadline_factor;
    if (!(f > 0) || f > 1) {
        return bad(c, "deadline_factor", "must be in (0, 1], got %g", f);
    }
    /* No job can meet a deadline shorter than the minimum budget. */
    if (f * def->period_min_us < KAIROS_MIN_BUDGET_US) {
        return bad(c, "deadline_factor",
                   "times period_min_ms makes deadlines below the minimum budget (%u us)",
                   KAIROS_MIN_BUDGET_US);
    }
    return true;
}

static bool check_isolation(const struct checker *c, struct exp_def *def)
{
    const struct json_field *f = json_find(c->obj, "overrun_factors");
    if (f == NULL) {
        if (json_find(c->obj, "isolation_sets") != NULL) {
            return bad(c, "isolation_sets", "given without overrun_factors");
        }
        if (json_find(c->obj, "isolation_u") != NULL) {
            return bad(c, "isolation_u", "given without overrun_factors");
        }
        return true;
    }
    if (f->type != JSON_ARRAY || f->len == 0) {
        return bad(c, "overrun_factors",
                   "must be a non-empty array of numbers (omit it for no "
                   "isolation experiment)");
    }
    if (f->len > EXP_MAX_FACTORS) {
        return bad(c, "overrun_factors", "has more than %d factors", EXP_MAX_FACTORS);
    }
    for (uint32_t i = 0; i < f->len; i++) {
        double v = f->elem[i].d;
        if (f->elem[i].is_null || !(v >= 1.0) || v > EXP_MAX_OVERRUN) {
            return bad(c, "overrun_factors", "element %u must be a number in [1, %g]", i,
                       EXP_MAX_OVERRUN);
        }
        def->overrun_factor[i] = v;
    }
    def->nfactors = f->len;
    return get_u32(c, "isolation_sets", 1, EXP_MAX_SETS, &def->isolation_sets) &&
           get_u(c, "isolation_u", def->tasks, &def->isolation_u);
}

bool exp_parse(const char *text, size_t len, const char *path, struct exp_def *def, char *err,
               size_t errlen)
{
    static struct json_object obj; /* 30 KiB: too large for a comfortable stack frame */
    char jerr[JSON_ERR_MAX];
    size_t end;
    memset(def, 0, sizeof(*def));
    if (!json_parse_object(text, len, &obj, &end, jerr, sizeof(jerr))) {
        snprintf(err, errlen, "%s: not a flat JSON object: %s", path, jerr);
        return false;
    }
    for (; end < len; end++) {
        if (strchr(" \t\r\n", text[end]) == NULL) {
            snprintf(err, errlen, "%s: offset %zu: text after the object", path, end);
            return false;
        }
    }
    struct checker c = {.obj = &obj, .path = path, .err = err, .errlen = errlen};
    uint64_t seed;
    if (!check_unknown(&c) || !check_name(&c, def) || !check_tasks(&c, def) ||
        !check_utilisation(&c, def) || !check_periods(&c, def) ||
        !get_uint(&c, "seed", 0, INT64_MAX, &seed) || !check_deadlines(&c, def) ||
        !check_isolation(&c, def)) {
        return false;
    }
    def->seed = seed;
    uint64_t total = (uint64_t)exp_rta_sets(def) + exp_isolation_sets(def);
    if (total > EXP_MAX_SETS) {
        return bad(&c, "sets_per_point", "the definition makes %llu sets, more than %u",
                   (unsigned long long)total, EXP_MAX_SETS);
    }
    return true;
}

bool exp_load(const char *path, struct exp_def *def, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return false;
    }
    static char text[EXP_FILE_MAX];
    size_t len = fread(text, 1, sizeof(text), f);
    bool too_long = len == sizeof(text);
    bool failed = ferror(f);
    fclose(f);
    if (failed || too_long) {
        snprintf(err, errlen, "%s: %s", path, failed ? "cannot read it" : "too large");
        return false;
    }
    return exp_parse(text, len, path, def, err, errlen);
}

double exp_point_u(const struct exp_def *def, uint32_t k)
{
    return round((def->u_min + k * def->u_step) * POINT_GRID) / POINT_GRID;
}

uint32_t exp_rta_sets(const struct exp_def *def)
{
    return def->npoints * def->sets_per_point;
}

uint32_t exp_isolation_sets(const struct exp_def *def)
{
    /* Each base set runs at every factor, once enforced and once with budget = period. */
    return def->nfactors * def->isolation_sets * 2;
}
