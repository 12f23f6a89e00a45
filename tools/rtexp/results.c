/* results.c — the root task's result lines (results.h). */
#include "results.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "json.h"

struct line_ctx {
    const struct record_set *recs;
    uint32_t nsets;
    uint32_t log_index;
    struct results_set *res;
    struct results_log *log;
    unsigned long line;
};

__attribute__((format(printf, 2, 3))) static void problem(struct line_ctx *c, const char *fmt, ...)
{
    struct results_log *log = c->log;
    if (log->problems < RESULTS_MAX_PROBLEMS) {
        char *out = log->problem[log->problems];
        int n = snprintf(out, RESULTS_PROBLEM_MAX, "line %lu: ", c->line);
        if (n >= 0 && n < RESULTS_PROBLEM_MAX) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(out + n, RESULTS_PROBLEM_MAX - (size_t)n, fmt, ap);
            va_end(ap);
        }
    }
    log->problems++;
}

/* The set a line names, or NULL (a problem) when it is not one of this experiment's. */
static struct results_set *named_set(struct line_ctx *c, const struct json_object *obj,
                                     uint64_t *id)
{
    if (!json_get_u64(obj, "set", id)) {
        problem(c, "no \"set\" number");
        return NULL;
    }
    if (*id >= c->nsets) {
        problem(c, "set %llu is not in sets.jsonl (%u sets)", (unsigned long long)*id, c->nsets);
        return NULL;
    }
    return &c->res[*id];
}

static void read_task(struct line_ctx *c, const struct json_object *obj)
{
    uint64_t id, task;
    struct results_set *set = named_set(c, obj, &id);
    if (set == NULL) {
        return;
    }
    if (!json_get_u64(obj, "task", &task) || task >= c->recs[id].ntasks) {
        problem(c, "set %llu: no such task", (unsigned long long)id);
        return;
    }
    struct results_task t = {.seen = true};
    if (!json_get_u64(obj, "jobs", &t.jobs) || !json_get_u64(obj, "misses", &t.misses) ||
        !json_get_u64(obj, "wcrt_ns", &t.wcrt_ns) ||
        !json_get_u64(obj, "release_late_ns", &t.release_late_ns)) {
        problem(c, "set %llu task %llu: jobs, misses, wcrt_ns or release_late_ns missing",
                (unsigned long long)id, (unsigned long long)task);
        return;
    }
    if (set->task[task].seen) {
        problem(c, "set %llu task %llu: reported again, the first report kept",
                (unsigned long long)id, (unsigned long long)task);
        return;
    }
    c->log->task_lines++;
    set->task[task] = t;
}

static void read_window(struct line_ctx *c, const struct json_object *obj)
{
    uint64_t id, task;
    struct results_set *set = named_set(c, obj, &id);
    if (set == NULL) {
        return;
    }
    if (!json_get_u64(obj, "task", &task) || task >= c->recs[id].ntasks) {
        problem(c, "set %llu: window of no such task", (unsigned long long)id);
        return;
    }
    struct results_window w = {.seen = true};
    if (!json_get_u64(obj, "max_window_ns", &w.max_window_ns) ||
        !json_get_u64(obj, "budget_ns", &w.budget_ns)) {
        problem(c, "set %llu task %llu: max_window_ns or budget_ns missing", (unsigned long long)id,
                (unsigned long long)task);
        return;
    }
    if (set->window[task].seen) {
        problem(c, "set %llu task %llu: window reported again, the first report kept",
                (unsigned long long)id, (unsigned long long)task);
        return;
    }
    c->log->window_lines++;
    set->window[task] = w;
}

static void read_set(struct line_ctx *c, const struct json_object *obj)
{
    uint64_t id;
    struct results_set *set = named_set(c, obj, &id);
    if (set == NULL) {
        return;
    }
    const struct json_field *ok = json_find(obj, "ok");
    if (ok == NULL || (ok->type != JSON_NUMBER && ok->type != JSON_BOOL)) {
        problem(c, "set %llu: no \"ok\"", (unsigned long long)id);
        return;
    }
    if (set->seen) {
        problem(c, "set %llu: reported again, the first report kept", (unsigned long long)id);
        return;
    }
    c->log->set_lines++;
    set->seen = true;
    set->ok = ok->type == JSON_BOOL ? ok->b : ok->num.d != 0;
    set->log = c->log_index;
}

/* The calibration's costs. taskset.h's comment names them release_us and switch_us, in
 * microseconds; the _ns fields are preferred, the _us ones read when they are absent. */
static void read_overheads(struct line_ctx *c, const struct json_object *obj)
{
    uint64_t release, sw;
    if (json_get_u64(obj, "release_ns", &release) && json_get_u64(obj, "switch_ns", &sw)) {
        /* as given */
    } else if (json_get_u64(obj, "release_us", &release) && json_get_u64(obj, "switch_us", &sw)) {
        release *= RTA_NS_PER_US;
        sw *= RTA_NS_PER_US;
    } else {
        problem(c, "overheads without release_ns and switch_ns");
        return;
    }
    struct results_log *log = c->log;
    /* Several calibrations (one per boot): the worst of each bounds them all. */
    if (!log->have_overheads || release > log->ovh.release_ns) {
        log->ovh.release_ns = release;
    }
    if (!log->have_overheads || sw > log->ovh.switch_ns) {
        log->ovh.switch_ns = sw;
    }
    uint64_t signal = 0; /* absent in older calibrations: no signal cost */
    (void)json_get_u64(obj, "signal_ns", &signal);
    if (!log->have_overheads || signal > log->ovh.signal_ns) {
        log->ovh.signal_ns = signal;
    }
    log->have_overheads = true;
}

static void read_object(struct line_ctx *c, const char *text, size_t len)
{
    static struct json_object obj; /* 30 KiB, too large for a comfortable stack frame */
    char err[JSON_ERR_MAX];
    size_t end;
    if (!json_parse_object(text, len, &obj, &end, err, sizeof(err))) {
        problem(c, "malformed result line: %s", err);
        return;
    }
    const struct json_field *kind = json_find(&obj, "exp");
    if (kind == NULL || kind->type != JSON_STRING) {
        problem(c, "\"exp\" is not a string");
    } else if (strcmp(kind->str, "task") == 0) {
        read_task(c, &obj);
    } else if (strcmp(kind->str, "window") == 0) {
        read_window(c, &obj);
    } else if (strcmp(kind->str, "set") == 0) {
        read_set(c, &obj);
    } else if (strcmp(kind->str, "overheads") == 0) {
        read_overheads(c, &obj);
    } else if (strcmp(kind->str, "end") == 0) {
        c->log->ended = true;
        if (!json_get_u64(&obj, "sets", &c->log->end_sets)) {
            problem(c, "end without \"sets\"");
        }
    } else {
        problem(c, "unknown result line \"%s\"", kind->str);
    }
}

void results_parse_log(const char *text, size_t len, const struct record_set *recs, uint32_t nsets,
                       uint32_t log_index, struct results_set *res, struct results_log *log)
{
    memset(log, 0, sizeof(*log));
    struct line_ctx c = {
        .recs = recs, .nsets = nsets, .log_index = log_index, .res = res, .log = log};
    size_t mark_len = strlen(RESULTS_MARK);
    size_t pos = 0;
    while (pos < len) {
        const char *line = text + pos;
        const char *nl = memchr(line, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - line) : len - pos;
        pos += n + (nl != NULL);
        c.line++;
        /* Every object on the line: console output of other threads may share it. */
        for (size_t i = 0; i + mark_len <= n; i++) {
            if (memcmp(line + i, RESULTS_MARK, mark_len) == 0) {
                read_object(&c, line + i, n - i);
            }
        }
    }
}

bool results_set_complete(const struct results_set *res, uint32_t ntasks)
{
    if (!res->seen) {
        return false;
    }
    for (uint32_t t = 0; t < ntasks; t++) {
        if (!res->task[t].seen) {
            return false;
        }
    }
    return true;
}
