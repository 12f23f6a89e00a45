/* ktrace_output.c — the converter's files, one writer each. Times are µs since time 0 with three
 * decimals; CSV files have a header row and quote every name; rows come in the analysis'
 * order (records by index, intervals by thread then time, budget points and windows by
 * context then time). */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ktrace_output.h"

#define US_PER_MS 1000.0
#define PERCENT 100.0
#define PRINTABLE_FIRST 0x20
#define PRINTABLE_LAST 0x7e
#define BYTE_BITS 8u
#define CHROME_PID 1   /* the whole system is one process in the trace viewer */
#define MS_TEXT_MAX 32 /* "%g ms" of a double */

/* ---------------------------------------------------------------------------------------- */
/* Formatting */

static void put_us(FILE *f, const struct ktrace_analysis *a, int64_t ticks)
{
    fprintf(f, "%.3f", ktrace_ticks_to_us(a, ticks));
}

static void put_csv_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s != '\0'; s++) {
        if (*s == '"') {
            fputc('"', f);
        }
        fputc(*s, f);
    }
    fputc('"', f);
}

static void put_json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            fprintf(f, "\\%c", c);
        } else if (c < PRINTABLE_FIRST) {
            fprintf(f, "\\u%04x", c);
        } else {
            fputc(c, f);
        }
    }
    fputc('"', f);
}

/* A double-quoted gnuplot string, which expands backslash escapes. */
static void put_gp_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s != '\0'; s++) {
        if (*s == '"' || *s == '\\') {
            fputc('\\', f);
        }
        if ((unsigned char)*s >= PRINTABLE_FIRST) {
            fputc(*s, f);
        }
    }
    fputc('"', f);
}

/* The name a record's tcb stands for: tcb 0 is the idle thread in a SWITCH and an IRQ (the
 * thread it interrupted), and no thread in any other record. */
static const char *record_thread(const struct ktrace_analysis *a, const struct ktrace_record *r)
{
    if (r->tcb == KTRACE_IDLE_ID && r->event != KTRACE_EV_SWITCH && r->event != KTRACE_EV_IRQ) {
        return NULL;
    }
    return ktrace_thread_name(a, r->tcb);
}

/* What a record's numbers mean, where words help: a name chunk, what a thread waits on. */
static const char *record_detail(const struct ktrace_record *r, char *buf, size_t size)
{
    buf[0] = '\0';
    if (r->event == KTRACE_EV_THREAD) {
        size_t n = 0;
        for (unsigned i = 0; i < KTRACE_NAME_CHUNK_BYTES && n + 1 < size; i++) {
            unsigned char c = (unsigned char)(r->value >> (BYTE_BITS * i));
            if (c == 0) {
                break;
            }
            buf[n++] = c >= PRINTABLE_FIRST && c <= PRINTABLE_LAST ? (char)c : '?';
        }
        buf[n] = '\0';
    } else if (r->event == KTRACE_EV_BLOCK || r->event == KTRACE_EV_UNBLOCK) {
        snprintf(buf, size, "%s", ktrace_block_name(r->arg));
    }
    return buf;
}

/* "2 ms" from µs, without trailing zeros. */
static void format_ms(char *buf, size_t size, double us)
{
    snprintf(buf, size, "%g ms", us / US_PER_MS);
}

static const struct ktrace_sc *described_sc(const struct ktrace_analysis *a, uint32_t id)
{
    const struct ktrace_sc *sc = ktrace_find_sc(a, id);
    return sc != NULL && sc->described ? sc : NULL;
}

/* "hog (2 ms, 10 ms)": the Gantt row's label; just the name when its context is unknown. */
static void thread_label(char *buf, size_t size, const struct ktrace_analysis *a,
                         const struct ktrace_thread *t)
{
    const struct ktrace_sc *sc = described_sc(a, t->sc);
    if (sc == NULL) {
        snprintf(buf, size, "%s", t->name);
        return;
    }
    char budget[MS_TEXT_MAX], period[MS_TEXT_MAX];
    format_ms(budget, sizeof(budget), sc->budget_us);
    format_ms(period, sizeof(period), (double)sc->period_us);
    snprintf(buf, size, "%s (%s, %s)", t->name, budget, period);
}

static double share(const struct ktrace_analysis *a, int64_t ticks)
{
    return a->length > 0 ? PERCENT * (double)ticks / (double)a->length : 0.0;
}

/* ---------------------------------------------------------------------------------------- */
/* Records */

static void write_events_csv(FILE *f, const struct ktrace_output *o)
{
    const struct ktrace_analysis *a = o->analysis;
    fprintf(f, "index,ticks,time_us,event,thread_id,thread,sc,arg,aux,value,detail\n");
    for (size_t i = 0; i < o->log->count; i++) {
        const struct ktrace_record *r = &o->log->records[i];
        const char *thread = record_thread(a, r);
        char detail[KTRACE_NAME_MAX + 1];
        fprintf(f, "%" PRIu32 ",%" PRIu64 ",", o->log->indices[i], r->time);
        put_us(f, a, a->times[i]);
        fprintf(f, ",%s,%" PRIu32 ",", ktrace_event_name(r->event), r->tcb);
        put_csv_string(f, thread != NULL ? thread : "");
        fprintf(f, ",%" PRIu32 ",%u,%" PRIu32 ",%" PRIu64 ",", r->sc, r->arg, r->aux, r->value);
        put_csv_string(f, record_detail(r, detail, sizeof(detail)));
        fputc('\n', f);
    }
}

static void write_events_jsonl(FILE *f, const struct ktrace_output *o)
{
    const struct ktrace_analysis *a = o->analysis;
    for (size_t i = 0; i < o->log->count; i++) {
        const struct ktrace_record *r = &o->log->records[i];
        const char *thread = record_thread(a, r);
        char detail[KTRACE_NAME_MAX + 1];
        fprintf(f, "{\"index\":%" PRIu32 ",\"ticks\":%" PRIu64 ",\"time_us\":", o->log->indices[i],
                r->time);
        put_us(f, a, a->times[i]);
        fprintf(f, ",\"event\":\"%s\",\"thread_id\":%" PRIu32 ",\"thread\":",
                ktrace_event_name(r->event), r->tcb);
        if (thread != NULL) {
            put_json_string(f, thread);
        } else {
            fputs("null", f);
        }
        fprintf(f, ",\"sc\":%" PRIu32 ",\"arg\":%u,\"aux\":%" PRIu32 ",\"value\":%" PRIu64, r->sc,
                r->arg, r->aux, r->value);
        if (record_detail(r, detail, sizeof(detail))[0] != '\0') {
            fputs(",\"detail\":", f);
            put_json_string(f, detail);
        }
        fputs("}\n", f);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* The analysis */

static void write_intervals(FILE *f, const struct ktrace_output *o)
{
    const struct ktrace_analysis *a = o->analysis;
    fprintf(f, "thread_id,thread,sc,state,start_us,end_us\n");
    for (size_t i = 0; i < a->nintervals; i++) {
        const struct ktrace_interval *v = &a->intervals[i];
        fprintf(f, "%" PRIu32 ",", v->thread);
        put_csv_string(f, ktrace_thread_name(a, v->thread));
        fprintf(f, ",%" PRIu32 ",%s,", v->sc, ktrace_state_name(v->state));
        put_us(f, a, v->start);
        fputc(',', f);
        put_us(f, a, v->end);
        fputc('\n', f);
    }
}

static void write_budget(FILE *f, const struct ktrace_output *o)
{
    const struct ktrace_analysis *a = o->analysis;
    fprintf(f, "sc,time_us,remaining_us\n");
    for (size_t i = 0; i < a->nbudget; i++) {
        const struct ktrace_budget_point *p = &a->budget[i];
        fprintf(f, "%" PRIu32 ",", p->sc);
        put_us(f, a, p->time);
        fputc(',', f);
        put_us(f, a, p->remaining);
        fputc('\n', f);
    }
}

static void write_windows(FILE *f, const struct ktrace_output *o)
{
    const struct ktrace_analysis *a = o->analysis;
    fprintf(f, "sc,thread,window_start_us,consumed_us,budget_us,period_us\n");
    for (size_t i = 0; i < a->nwindows; i++) {
        const struct ktrace_window *w = &a->windows[i];
        const struct ktrace_sc *sc = ktrace_find_sc(a, w->sc);
        const char *name = ktrace_thread_name(a, w->thread);
        fprintf(f, "%" PRIu32 ",", w->sc);
        put_csv_string(f, name != NULL ? name : "");
        fputc(',', f);
        put_us(f, a, w->start);
        fputc(',', f);
        put_us(f, a, w->consumed);
        fprintf(f, ",%" PRIu32 ",%" PRIu64 "\n", sc->budget_us, sc->period_us);
    }
}

static void write_threads(FILE *f, const struct ktrace_output *o)
{
    const struct ktrace_analysis *a = o->analysis;
    fprintf(f, "thread_id,thread,prio,sc,budget_us,period_us,row\n");
    for (size_t i = 0; i < a->nthreads; i++) {
        const struct ktrace_thread *t = &a->threads[i];
        const struct ktrace_sc *sc = described_sc(a, t->sc);
        fprintf(f, "%" PRIu32 ",", t->id);
        put_csv_string(f, t->name);
        fprintf(f, ",%" PRIu32 ",%" PRIu32 ",%" PRIu32 ",%" PRIu64 ",%u\n", t->prio, t->sc,
                sc != NULL ? sc->budget_us : 0, sc != NULL ? sc->period_us : 0, t->row);
    }
}

/* Key=value lines, names in double quotes with \" and \\ escaped. */
static void write_summary(FILE *f, const struct ktrace_output *o)
{
    const struct ktrace_analysis *a = o->analysis;
    fprintf(f, "trace records=%zu dropped=%" PRIu64 " length_us=", o->log->count,
            ktrace_log_dropped(o->log));
    put_us(f, a, a->length);
    fprintf(f, " idle_share=%.2f hz=%" PRIu64 " errors=%zu\n", share(a, a->idle), a->hz,
            o->log->nerrors);
    for (size_t i = 0; i < a->nthreads; i++) {
        const struct ktrace_thread *t = &a->threads[i];
        const struct ktrace_sc *sc = ktrace_find_sc(a, t->sc);
        bool known = sc != NULL && sc->described;
        fprintf(f, "thread id=%" PRIu32 " name=", t->id);
        put_gp_string(f, t->name); /* the same escapes */
        fprintf(f,
                " prio=%" PRIu32 " sc=%" PRIu32 " budget_us=%" PRIu32 " period_us=%" PRIu64
                " share=%.2f exhausted=%u timeouts=%u faults=%u max_window_us=",
                t->prio, t->sc, known ? sc->budget_us : 0, known ? sc->period_us : 0,
                share(a, t->running), t->exhausted, t->timeouts, t->faults);
        put_us(f, a, sc != NULL ? sc->max_window : 0);
        fputc('\n', f);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Chrome trace-event JSON (the "JSON Array Format" with an object around it) */

static bool chrome_instant(uint16_t event)
{
    return event == KTRACE_EV_EXHAUSTED || event == KTRACE_EV_RELEASE ||
           event == KTRACE_EV_TIMEOUT || event == KTRACE_EV_FAULT || event == KTRACE_EV_IRQ ||
           event == KTRACE_EV_MARK;
}

static void chrome_thread_meta(FILE *f, uint32_t tid, const char *name, unsigned sort)
{
    fprintf(f, "{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":%d,\"tid\":%" PRIu32 ",", CHROME_PID,
            tid);
    fputs("\"args\":{\"name\":", f);
    put_json_string(f, name);
    fprintf(f,
            "}},\n{\"name\":\"thread_sort_index\",\"ph\":\"M\",\"pid\":%d,\"tid\":%" PRIu32
            ",\"args\":{\"sort_index\":%u}},\n",
            CHROME_PID, tid, sort);
}

static void write_chrome(FILE *f, const struct ktrace_output *o)
{
    const struct ktrace_analysis *a = o->analysis;
    fputs("{\"traceEvents\":[\n", f);
    fprintf(f,
            "{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":%d,\"args\":{\"name\":", CHROME_PID);
    put_json_string(f, o->title);
    fputs("}},\n", f);
    for (size_t i = 0; i < a->nthreads; i++) {
        chrome_thread_meta(f, a->threads[i].id, a->threads[i].name, a->threads[i].row);
    }
    chrome_thread_meta(f, KTRACE_IDLE_ID, "idle", (unsigned)a->nthreads); /* idle last */
    for (size_t i = 0; i < a->nruns; i++) {
        const struct ktrace_run *r = &a->runs[i];
        fputs("{\"name\":", f);
        put_json_string(f, ktrace_thread_name(a, r->thread));
        fprintf(f, ",\"cat\":\"running\",\"ph\":\"X\",\"pid\":%d,\"tid\":%" PRIu32 ",\"ts\":",
                CHROME_PID, r->thread);
        put_us(f, a, r->start);
        fputs(",\"dur\":", f);
        put_us(f, a, r->end - r->start);
        fprintf(f, ",\"args\":{\"sc\":%" PRIu32 "}},\n", r->sc);
    }
    for (size_t i = 0; i < o->log->count; i++) {
        const struct ktrace_record *r = &o->log->records[i];
        if (!chrome_instant(r->event)) {
            continue;
        }
        fprintf(f, "{\"name\":\"%s\",\"cat\":\"event\",\"ph\":\"i\",\"s\":\"t\",\"pid\":%d,",
                ktrace_event_name(r->event), CHROME_PID);
        fprintf(f, "\"tid\":%" PRIu32 ",\"ts\":", r->tcb);
        put_us(f, a, a->times[i]);
        fprintf(f,
                ",\"args\":{\"index\":%" PRIu32 ",\"sc\":%" PRIu32 ",\"arg\":%u,\"aux\":%" PRIu32
                ",\"value\":%" PRIu64 "}},\n",
                o->log->indices[i], r->sc, r->arg, r->aux, r->value);
    }
    /* Trace-event arrays may not end in a comma: a last metadata event closes the list. */
    fprintf(f, "{\"name\":\"process_sort_index\",\"ph\":\"M\",\"pid\":%d,", CHROME_PID);
    fputs("\"args\":{\"sort_index\":0}}\n],\n\"displayTimeUnit\":\"ms\",\n", f);
    fprintf(f, "\"otherData\":{\"hz\":%" PRIu64 ",\"records\":%zu,\"dropped\":%" PRIu64 "}}\n",
            a->hz, o->log->count, ktrace_log_dropped(o->log));
}

/* ---------------------------------------------------------------------------------------- */
/* gnuplot: labels.gp and the plots' helper data */

/* Rows of the Gantt chart: intervals with the thread's row instead of its name. */
static void write_gantt(FILE *f, const struct ktrace_output *o)
{
    const struct ktrace_analysis *a = o->analysis;
    fprintf(f, "row,thread_id,state,start_us,end_us\n");
    for (size_t i = 0; i < a->nintervals; i++) {
        const struct ktrace_interval *v = &a->intervals[i];
        fprintf(f, "%u,%" PRIu32 ",%s,", ktrace_find_thread(a, v->thread)->row, v->thread,
                ktrace_state_name(v->state));
        put_us(f, a, v->start);
        fputc(',', f);
        put_us(f, a, v->end);
        fputc('\n', f);
    }
}

static bool gantt_mark(uint16_t event)
{
    return event == KTRACE_EV_RELEASE || event == KTRACE_EV_EXHAUSTED ||
           event == KTRACE_EV_TIMEOUT || event == KTRACE_EV_FAULT;
}

/* The Gantt chart's marks: refills, exhaustions, timeout and other faults on their rows. */
static void write_marks(FILE *f, const struct ktrace_output *o)
{
    const struct ktrace_analysis *a = o->analysis;
    fprintf(f, "row,thread_id,time_us,event\n");
    for (size_t i = 0; i < o->log->count; i++) {
        const struct ktrace_record *r = &o->log->records[i];
        const struct ktrace_thread *t = ktrace_find_thread(a, r->tcb);
        if (!gantt_mark(r->event) || t == NULL) {
            continue;
        }
        fprintf(f, "%u,%" PRIu32 ",", t->row, t->id);
        put_us(f, a, a->times[i]);
        fprintf(f, ",%s\n", ktrace_event_name(r->event));
    }
}

/* Contexts worth a budget or windows panel: described, or with budget points. */
static bool plotted_sc(const struct ktrace_analysis *a, const struct ktrace_sc *sc)
{
    if (sc->described) {
        return true;
    }
    for (size_t i = 0; i < a->nbudget; i++) {
        if (a->budget[i].sc == sc->id) {
            return true;
        }
    }
    return false;
}

/* "hog: budget 2 ms, period 10 ms", naming the threads whose own context it is. */
static void sc_title(char *buf, size_t size, const struct ktrace_analysis *a,
                     const struct ktrace_sc *sc)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < a->nthreads && n + 1 < size; i++) {
        if (a->threads[i].sc == sc->id) {
            int k = snprintf(buf + n, size - n, "%s%s", n > 0 ? ", " : "", a->threads[i].name);
            n = k < 0 ? n : n + (size_t)k < size ? n + (size_t)k : size - 1;
        }
    }
    if (n == 0) {
        n = (size_t)snprintf(buf, size, "sc%" PRIu32, sc->id);
    }
    if (n + 1 >= size) {
        return;
    }
    if (!sc->described) {
        snprintf(buf + n, size - n, ": budget unknown");
        return;
    }
    char budget[MS_TEXT_MAX], period[MS_TEXT_MAX];
    format_ms(budget, sizeof(budget), sc->budget_us);
    format_ms(period, sizeof(period), (double)sc->period_us);
    snprintf(buf + n, size - n, ": budget %s, period %s", budget, period);
}

#define LABEL_MAX 256

static void write_labels(FILE *f, const struct ktrace_output *o)
{
    const struct ktrace_analysis *a = o->analysis;
    char label[LABEL_MAX];
    fputs("# Written by ktrace from ", f);
    put_gp_string(f, o->source);
    fputs("; loaded by tools/ktrace-{gantt,budget,windows}.gp.\ntitle = ", f);
    put_gp_string(f, o->title);
    fputs("\nlength_us = ", f);
    put_us(f, a, a->length);
    fprintf(f, "\nnthreads = %zu\nthread_ids = \"", a->nthreads);
    for (size_t i = 0; i < a->nthreads; i++) {
        fprintf(f, "%s%" PRIu32, i > 0 ? " " : "", a->threads[i].id);
    }
    /* The tics as one string for `eval "set ytics " . gantt_ytics`: each label is a
     * double-quoted string inside a single-quoted one, where only ' needs escaping (as ''). */
    fputs("\"\ngantt_ytics = '(", f);
    for (size_t i = 0; i < a->nthreads; i++) {
        thread_label(label, sizeof(label), a, &a->threads[i]);
        fputs(i > 0 ? ", \"" : "\"", f);
        for (const char *p = label; *p != '\0'; p++) {
            if (*p == '"' || *p == '\\') {
                fputc('\\', f);
            } else if (*p == '\'') {
                fputc('\'', f);
            }
            fputc(*p, f);
        }
        fprintf(f, "\" %u", a->threads[i].row);
    }
    fputs(")'\n", f);
    for (size_t i = 0; i < a->nthreads; i++) {
        const struct ktrace_thread *t = &a->threads[i];
        thread_label(label, sizeof(label), a, t);
        fprintf(f, "thread_row_%" PRIu32 " = %u; thread_label_%" PRIu32 " = ", t->id, t->row,
                t->id);
        put_gp_string(f, label);
        fputc('\n', f);
    }
    size_t nsc = 0;
    fputs("sc_ids = \"", f);
    for (size_t i = 0; i < a->nsc; i++) {
        if (plotted_sc(a, &a->scs[i])) {
            fprintf(f, "%s%" PRIu32, nsc++ > 0 ? " " : "", a->scs[i].id);
        }
    }
    fprintf(f, "\"\nnsc = %zu\nwindow_sc_ids = \"", nsc);
    size_t nwindowed = 0;
    for (size_t i = 0; i < a->nsc; i++) {
        if (a->scs[i].period > 0 && plotted_sc(a, &a->scs[i])) {
            fprintf(f, "%s%" PRIu32, nwindowed++ > 0 ? " " : "", a->scs[i].id);
        }
    }
    fprintf(f, "\"\nnwindow_sc = %zu\n", nwindowed);
    for (size_t i = 0; i < a->nsc; i++) {
        const struct ktrace_sc *sc = &a->scs[i];
        if (!plotted_sc(a, sc)) {
            continue;
        }
        sc_title(label, sizeof(label), a, sc);
        fprintf(f, "sc_title_%" PRIu32 " = ", sc->id);
        put_gp_string(f, label);
        fprintf(f, "; sc_budget_us_%" PRIu32 " = %" PRIu32 "; sc_period_us_%" PRIu32 " = %" PRIu64,
                sc->id, sc->budget_us, sc->id, sc->period_us);
        fprintf(f, "; sc_max_window_us_%" PRIu32 " = ", sc->id);
        put_us(f, a, sc->max_window);
        fputc('\n', f);
    }
}

/* ---------------------------------------------------------------------------------------- */

struct output_file {
    const char *name;
    void (*write)(FILE *f, const struct ktrace_output *o);
};

static const struct output_file output_files[] = {
    {"events.jsonl", write_events_jsonl}, {"events.csv", write_events_csv},
    {"intervals.csv", write_intervals},   {"budget.csv", write_budget},
    {"windows.csv", write_windows},       {"threads.csv", write_threads},
    {"trace.json", write_chrome},         {"summary.txt", write_summary},
    {"labels.gp", write_labels},          {"gantt.csv", write_gantt},
    {"marks.csv", write_marks},
};

int ktrace_write_outputs(const struct ktrace_output *o, FILE *listing)
{
    for (size_t i = 0; i < sizeof(output_files) / sizeof(output_files[0]); i++) {
        size_t len = strlen(o->dir) + 1 + strlen(output_files[i].name) + 1;
        char *path = malloc(len);
        if (path == NULL) {
            fprintf(stderr, "ktrace: out of memory\n");
            return -1;
        }
        snprintf(path, len, "%s/%s", o->dir, output_files[i].name);
        FILE *f = fopen(path, "w");
        if (f == NULL) {
            fprintf(stderr, "ktrace: %s: %s\n", path, strerror(errno));
            free(path);
            return -1;
        }
        output_files[i].write(f, o);
        bool failed = ferror(f) != 0;
        failed |= fclose(f) != 0;
        if (failed) {
            fprintf(stderr, "ktrace: %s: write error\n", path);
            free(path);
            return -1;
        }
        fprintf(listing, "%s\n", path);
        free(path);
    }
    return 0;
}
