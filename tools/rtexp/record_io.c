/* record_io.c — writing and reading sets.jsonl lines (record_io.h). */
#include "record_io.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

/* Enough digits that a utilisation reads back as written. */
#define U_FMT "%.9g"

static const char *kind_name(enum record_kind kind)
{
    return kind == RECORD_ISOLATION ? "isolation" : "rta";
}

static const char *bool_name(bool b)
{
    return b ? "true" : "false";
}

enum task_field {
    TF_C,
    TF_T,
    TF_D,
    TF_PRIO,
    TF_BUDGET,
    TF_RUN_PCT,
    TF_RTA,
    TF_RTA_OVH,
    TF_COUNT,
};

static const char *const task_field_name[TF_COUNT] = {
    "c_us", "t_us", "d_us", "prio", "budget_us", "run_pct", "rta_ns", "rta_ovh_ns",
};

static uint64_t task_value(const struct record_task *t, enum task_field f)
{
    switch (f) {
    case TF_C:
        return t->c_us;
    case TF_T:
        return t->t_us;
    case TF_D:
        return t->d_us;
    case TF_PRIO:
        return t->prio;
    case TF_BUDGET:
        return t->budget_us;
    case TF_RUN_PCT:
        return t->run_pct;
    case TF_RTA:
        return t->rta_ns;
    case TF_RTA_OVH:
    default:
        return t->rta_ovh_ns;
    }
}

void record_write_fields(FILE *f, const struct record_set *s)
{
    fprintf(f, "\"id\":%u,\"batch\":%u,\"kind\":\"%s\",\"u_point\":" U_FMT ",\"u\":%.6f,", s->id,
            s->batch, kind_name(s->kind), s->u_point, s->u);
    fprintf(f, "\"factor\":" U_FMT ",\"enforce\":%s,", s->factor, bool_name(s->enforce));
    if (s->overrun_task == RECORD_NO_OVERRUN) {
        fprintf(f, "\"overrun_task\":null,");
    } else {
        fprintf(f, "\"overrun_task\":%d,", s->overrun_task);
    }
    fprintf(f, "\"ntasks\":%u,\"run_us\":%u", s->ntasks, s->run_us);
    for (int field = 0; field < TF_COUNT; field++) {
        bool nullable = field == TF_RTA || field == TF_RTA_OVH;
        fprintf(f, ",\"%s\":[", task_field_name[field]);
        for (uint32_t i = 0; i < s->ntasks; i++) {
            uint64_t v = task_value(&s->task[i], field);
            if (nullable && v == RECORD_NO_RTA) {
                fprintf(f, "%snull", i ? "," : "");
            } else {
                fprintf(f, "%s%" PRIu64, i ? "," : "", v);
            }
        }
        fprintf(f, "]");
    }
    fprintf(f, ",\"sched_rta\":%s,\"sched_rta_ovh\":%s,\"ll\":%s,\"hyperbolic\":%s",
            bool_name(s->sched_rta), bool_name(s->sched_rta_ovh), bool_name(s->ll),
            bool_name(s->hyperbolic));
    fprintf(f, ",\"ovh_release_ns\":%" PRIu64 ",\"ovh_switch_ns\":%" PRIu64, s->ovh_release_ns,
            s->ovh_switch_ns);
}

void record_write_line(FILE *f, const struct record_set *set)
{
    fputc('{', f);
    record_write_fields(f, set);
    fputs("}\n", f);
}

struct reader {
    const struct json_object *obj;
    char *err;
    size_t errlen;
};

__attribute__((format(printf, 3, 4))) static bool bad(const struct reader *r, const char *field,
                                                      const char *fmt, ...)
{
    int n = snprintf(r->err, r->errlen, "field \"%s\": ", field);
    if (n >= 0 && (size_t)n < r->errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(r->err + n, r->errlen - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return false;
}

static bool read_u32(const struct reader *r, const char *field, uint32_t *out)
{
    uint64_t v;
    if (!json_get_u64(r->obj, field, &v) || v > UINT32_MAX) {
        return bad(r, field, "missing or not a 32-bit count");
    }
    *out = (uint32_t)v;
    return true;
}

static bool read_double(const struct reader *r, const char *field, double *out)
{
    const struct json_field *f = json_find(r->obj, field);
    if (f == NULL || f->type != JSON_NUMBER) {
        return bad(r, field, "missing or not a number");
    }
    *out = f->num.d;
    return true;
}

static bool read_bool(const struct reader *r, const char *field, bool *out)
{
    const struct json_field *f = json_find(r->obj, field);
    if (f == NULL || f->type != JSON_BOOL) {
        return bad(r, field, "missing or not true/false");
    }
    *out = f->b;
    return true;
}

static bool read_tasks(const struct reader *r, struct record_set *s)
{
    for (int field = 0; field < TF_COUNT; field++) {
        const char *name = task_field_name[field];
        bool nullable = field == TF_RTA || field == TF_RTA_OVH;
        const struct json_field *f = json_find(r->obj, name);
        if (f == NULL || f->type != JSON_ARRAY || f->len != s->ntasks) {
            return bad(r, name, "missing or not an array of ntasks (%u) numbers", s->ntasks);
        }
        for (uint32_t i = 0; i < s->ntasks; i++) {
            const struct json_number *e = &f->elem[i];
            uint64_t v = RECORD_NO_RTA;
            if (e->is_null && !nullable) {
                return bad(r, name, "task %u is null", i);
            }
            if (!e->is_null) {
                if (!e->is_int || e->i < 0 || (!nullable && (uint64_t)e->i > UINT32_MAX)) {
                    return bad(r, name, "task %u is not a count", i);
                }
                v = (uint64_t)e->i;
            }
            struct record_task *t = &s->task[i];
            switch (field) {
            case TF_C:
                t->c_us = (uint32_t)v;
                break;
            case TF_T:
                t->t_us = (uint32_t)v;
                break;
            case TF_D:
                t->d_us = (uint32_t)v;
                break;
            case TF_PRIO:
                t->prio = (uint32_t)v;
                break;
            case TF_BUDGET:
                t->budget_us = (uint32_t)v;
                break;
            case TF_RUN_PCT:
                t->run_pct = (uint32_t)v;
                break;
            case TF_RTA:
                t->rta_ns = v;
                break;
            default:
                t->rta_ovh_ns = v;
                break;
            }
        }
    }
    return true;
}

static bool read_kind(const struct reader *r, struct record_set *s)
{
    const struct json_field *kind = json_find(r->obj, "kind");
    if (kind == NULL || kind->type != JSON_STRING ||
        (strcmp(kind->str, "rta") != 0 && strcmp(kind->str, "isolation") != 0)) {
        return bad(r, "kind", "missing or not \"rta\" or \"isolation\"");
    }
    s->kind = strcmp(kind->str, "rta") == 0 ? RECORD_RTA : RECORD_ISOLATION;
    const struct json_field *over = json_find(r->obj, "overrun_task");
    if (over == NULL) {
        return bad(r, "overrun_task", "missing");
    }
    if (over->type == JSON_NULL) {
        s->overrun_task = RECORD_NO_OVERRUN;
    } else if (over->type == JSON_NUMBER && over->num.is_int && over->num.i >= 0 &&
               over->num.i < s->ntasks) {
        s->overrun_task = (int32_t)over->num.i;
    } else {
        return bad(r, "overrun_task", "not null or a task index below ntasks (%u)", s->ntasks);
    }
    if (s->kind == RECORD_ISOLATION && s->overrun_task == RECORD_NO_OVERRUN) {
        return bad(r, "overrun_task", "null in an isolation set");
    }
    return true;
}

bool record_parse(const char *line, size_t len, struct record_set *s, char *err, size_t errlen)
{
    static struct json_object obj; /* 30 KiB, too large for a comfortable stack frame */
    size_t end;
    char jerr[JSON_ERR_MAX];
    if (!json_parse_object(line, len, &obj, &end, jerr, sizeof(jerr))) {
        snprintf(err, errlen, "not a flat JSON object: %s", jerr);
        return false;
    }
    struct reader r = {.obj = &obj, .err = err, .errlen = errlen};
    memset(s, 0, sizeof(*s));
    if (!read_u32(&r, "id", &s->id) || !read_u32(&r, "batch", &s->batch) ||
        !read_u32(&r, "ntasks", &s->ntasks)) {
        return false;
    }
    if (s->ntasks < 1 || s->ntasks > RTEXP_MAX_TASKS) {
        return bad(&r, "ntasks", "%u is not 1 to %u", s->ntasks, RTEXP_MAX_TASKS);
    }
    return read_kind(&r, s) && read_double(&r, "u_point", &s->u_point) &&
           read_double(&r, "u", &s->u) && read_double(&r, "factor", &s->factor) &&
           read_bool(&r, "enforce", &s->enforce) && read_u32(&r, "run_us", &s->run_us) &&
           read_tasks(&r, s) && read_bool(&r, "sched_rta", &s->sched_rta) &&
           read_bool(&r, "sched_rta_ovh", &s->sched_rta_ovh) && read_bool(&r, "ll", &s->ll) &&
           read_bool(&r, "hyperbolic", &s->hyperbolic) &&
           (json_get_u64(&obj, "ovh_release_ns", &s->ovh_release_ns) ||
            bad(&r, "ovh_release_ns", "missing or not a count")) &&
           (json_get_u64(&obj, "ovh_switch_ns", &s->ovh_switch_ns) ||
            bad(&r, "ovh_switch_ns", "missing or not a count"));
}

bool record_read_file(const char *path, struct record_set **sets, uint32_t *nsets, char *err,
                      size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return false;
    }
    struct record_set *out = NULL;
    uint32_t n = 0, cap = 0;
    char *line = NULL;
    size_t linecap = 0;
    ssize_t len;
    unsigned long lineno = 0;
    bool ok = true;
    char why[JSON_ERR_MAX + 64];
    while (ok && (len = getline(&line, &linecap, f)) >= 0) {
        lineno++;
        if (len == 0 || line[0] == '\n') {
            continue;
        }
        if (n == cap) {
            uint32_t grow = cap ? 2 * cap : 256;
            struct record_set *bigger = realloc(out, grow * sizeof(*out));
            if (bigger == NULL) {
                snprintf(err, errlen, "%s: out of memory", path);
                ok = false;
                break;
            }
            out = bigger;
            cap = grow;
        }
        if (!record_parse(line, (size_t)len, &out[n], why, sizeof(why))) {
            snprintf(err, errlen, "%s:%lu: %s", path, lineno, why);
            ok = false;
        } else if (out[n].id != n) {
            snprintf(err, errlen, "%s:%lu: set id %u, expected %u", path, lineno, out[n].id, n);
            ok = false;
        }
        n++;
    }
    if (ok && ferror(f)) {
        snprintf(err, errlen, "%s: cannot read it", path);
        ok = false;
    }
    if (ok && n == 0) {
        snprintf(err, errlen, "%s: no sets", path);
        ok = false;
    }
    free(line);
    fclose(f);
    if (!ok) {
        free(out);
        return false;
    }
    *sets = out;
    *nsets = n;
    return true;
}
