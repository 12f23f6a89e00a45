/* ktrace_fixture.h — console logs for test_ktrace.c: hand-made records, a builder that
 * streams them the way a root task does (with noise between the lines) and keeps where each
 * record's line went, and checks on what ktrace_log_read made of them. Included once. */
#ifndef KAIROS_TESTS_UNIT_KTRACE_FIXTURE_H
#define KAIROS_TESTS_UNIT_KTRACE_FIXTURE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kairos/trace_codec.h>

#include "ktrace_analyse.h"
#include "ktrace_log.h"

#define HZ 62500000u
#define T0 1000000u
/* Ticks of an even number of µs at 62.5 MHz: exact. */
#define US(x) ((uint64_t)(x)*125u / 2u)
#define SAMPLE_RECORDS 28u

static struct ktrace_record rec(uint64_t us, uint16_t event, uint16_t arg, uint32_t tcb,
                                uint32_t sc, uint32_t aux, uint64_t value)
{
    return (struct ktrace_record){.time = T0 + US(us),
                                  .event = event,
                                  .arg = arg,
                                  .tcb = tcb,
                                  .sc = sc,
                                  .aux = aux,
                                  .value = value};
}

static bool same_record(const struct ktrace_record *a, const struct ktrace_record *b)
{
    return a->time == b->time && a->event == b->event && a->arg == b->arg && a->tcb == b->tcb &&
           a->sc == b->sc && a->aux == b->aux && a->value == b->value;
}

#define CON_LINES 128
#define CON_LINE_MAX (KTRACE_LINE_BUFFER + 64)

struct console {
    char lines[CON_LINES][CON_LINE_MAX];
    unsigned n;
    unsigned kt[CON_LINES]; /* the console line (0-based) of the @kt line holding record i */
    unsigned begin, end;
};

__attribute__((format(printf, 2, 3))) static void con_add(struct console *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->lines[c->n++], CON_LINE_MAX, fmt, ap);
    va_end(ap);
}

static uint32_t records_crc(const struct ktrace_record *r, unsigned n)
{
    uint32_t crc = 0;
    for (unsigned i = 0; i < n; i++) {
        uint8_t wire[KTRACE_RECORD_BYTES];
        ktrace_record_pack(wire, &r[i]);
        crc = ktrace_crc32(crc, wire, sizeof(wire));
    }
    return crc;
}

/* A block with console noise between its lines, the way a root task's output mixes in. */
static void con_block(struct console *c, const struct ktrace_record *r, unsigned n, bool end)
{
    c->begin = c->n;
    con_add(c, "@ktrace begin v=1 hz=%u records=%u dropped=0", HZ, n);
    for (unsigned i = 0; i < n; i += KTRACE_LINE_RECORDS) {
        unsigned k = n - i < KTRACE_LINE_RECORDS ? n - i : KTRACE_LINE_RECORDS;
        for (unsigned j = 0; j < k; j++) {
            c->kt[i + j] = c->n;
        }
        ktrace_encode_line(c->lines[c->n++], CON_LINE_MAX, i, r + i, k);
        if (i % (2 * KTRACE_LINE_RECORDS) == 0) {
            con_add(c, "worker: tick %u, @kt lines may come between these", i);
        }
    }
    if (end) {
        c->end = c->n;
        con_add(c, "@ktrace end records=%u dropped=0 crc=%08x", n, records_crc(r, n));
    }
}

/* The console text with `eol` after each line; free it. */
static char *con_text(const struct console *c, const char *eol, size_t *len)
{
    size_t size = 1;
    for (unsigned i = 0; i < c->n; i++) {
        size += strlen(c->lines[i]) + strlen(eol);
    }
    char *text = malloc(size);
    text[0] = '\0';
    for (unsigned i = 0; i < c->n; i++) {
        strcat(text, c->lines[i]);
        strcat(text, eol);
    }
    *len = strlen(text);
    return text;
}

static int con_read(const struct console *c, const char *eol, struct ktrace_log *log)
{
    size_t len;
    char *text = con_text(c, eol, &len);
    int rc = ktrace_log_read(log, text, len);
    free(text);
    return rc;
}

#define NAME_LONG "a-very-long-thread-name" /* three chunks */

static uint64_t name_chunk(const char *name, unsigned chunk)
{
    uint64_t v = 0;
    size_t len = strlen(name);
    for (unsigned i = 0; i < KTRACE_NAME_CHUNK_BYTES; i++) {
        size_t at = chunk * KTRACE_NAME_CHUNK_BYTES + i;
        v |= (uint64_t)(at < len ? (uint8_t)name[at] : 0) << (8 * i);
    }
    return v;
}

/* Two threads: alpha (1, prio 10, context 1: 1000 µs per 4000 µs) blocks, is exhausted and
 * postponed, is refilled; the long-named one (2, prio 5, context 2: 500 per 2000) is exhausted
 * with a timeout fault, blocks for its handler, is postponed and refilled; idle in between.
 * The expected results in the tests below follow from these times by hand. */
static unsigned sample_records(struct ktrace_record *r)
{
    unsigned n = 0;
    r[n++] = rec(0, KTRACE_EV_START, KTRACE_VERSION, 0, 0, 0, HZ);
    r[n++] = rec(0, KTRACE_EV_SC, 0, 0, 1, 1000, 4000);
    r[n++] = rec(0, KTRACE_EV_THREAD, 0, 1, 1, 10, name_chunk("alpha", 0));
    r[n++] = rec(0, KTRACE_EV_SC, 0, 0, 2, 500, 2000);
    for (unsigned k = 0; k < 3; k++) {
        r[n++] = rec(0, KTRACE_EV_THREAD, (uint16_t)k, 2, 2, 5, name_chunk(NAME_LONG, k));
    }
    r[n++] = rec(10, KTRACE_EV_SWITCH, 0, 1, 1, 0, US(1000));
    r[n++] = rec(400, KTRACE_EV_BLOCK, KTRACE_BLOCK_RECEIVE, 1, 0, 0, 0xfeed);
    r[n++] = rec(400, KTRACE_EV_SWITCH, 0, 2, 2, 0, US(500));
    r[n++] = rec(600, KTRACE_EV_UNBLOCK, KTRACE_BLOCK_RECEIVE, 1, 0, 2, 0);
    r[n++] = rec(600, KTRACE_EV_SWITCH, 0, 1, 1, 0, US(610));
    r[n++] = rec(1210, KTRACE_EV_EXHAUSTED, 0, 1, 1, 0, US(1000));
    r[n++] = rec(1210, KTRACE_EV_POSTPONE, 0, 1, 1, 0, T0 + US(4010));
    r[n++] = rec(1210, KTRACE_EV_SWITCH, 0, 2, 2, 0, US(300));
    r[n++] = rec(1510, KTRACE_EV_EXHAUSTED, 0, 2, 2, 0, US(500));
    r[n++] = rec(1510, KTRACE_EV_TIMEOUT, 0, 2, 2, 7, 500);
    r[n++] = rec(1510, KTRACE_EV_BLOCK, KTRACE_BLOCK_REPLY, 2, 0, 0, 0xbeef);
    r[n++] = rec(1510, KTRACE_EV_SWITCH, 0, 0, 0, 0, 0);
    r[n++] = rec(2000, KTRACE_EV_IRQ, 0, 0, 0, 27, 0);
    r[n++] = rec(2400, KTRACE_EV_UNBLOCK, KTRACE_BLOCK_REPLY, 2, 0, 0, 0);
    r[n++] = rec(2400, KTRACE_EV_POSTPONE, 0, 2, 2, 0, T0 + US(3210));
    r[n++] = rec(3210, KTRACE_EV_RELEASE, 0, 2, 2, US(500), T0 + US(3210));
    r[n++] = rec(3300, KTRACE_EV_SWITCH, 0, 2, 2, 0, US(500));
    r[n++] = rec(3500, KTRACE_EV_SWITCH, 0, 0, 0, 0, 0);
    r[n++] = rec(4010, KTRACE_EV_RELEASE, 0, 1, 1, US(1000), T0 + US(4010));
    r[n++] = rec(4100, KTRACE_EV_SWITCH, 0, 1, 1, 0, US(1000));
    r[n++] = rec(4500, KTRACE_EV_MARK, 0, 1, 0, 0, 42);
    return n;
}

static bool has_error(const struct ktrace_log *log, unsigned long line,
                      enum ktrace_log_error_kind kind, const char *text)
{
    for (size_t i = 0; i < log->nerrors; i++) {
        if (log->errors[i].line == line && log->errors[i].kind == kind &&
            (text == NULL || strcmp(log->errors[i].text, text) == 0)) {
            return true;
        }
    }
    return false;
}

/* Every record of r[0..n) but those marked gone was read, in order, with its index. */
static bool kept_except(const struct ktrace_log *log, const struct ktrace_record *r, unsigned n,
                        const bool *gone)
{
    size_t k = 0;
    for (unsigned i = 0; i < n; i++) {
        if (gone != NULL && gone[i]) {
            continue;
        }
        if (k >= log->count || log->indices[k] != i || !same_record(&log->records[k], &r[i])) {
            return false;
        }
        k++;
    }
    return k == log->count;
}

static void con_remove(struct console *c, unsigned line)
{
    memmove(c->lines[line], c->lines[line + 1], (size_t)(c->n - line - 1) * CON_LINE_MAX);
    c->n--;
}

static void con_duplicate(struct console *c, unsigned line)
{
    memmove(c->lines[line + 1], c->lines[line], (size_t)(c->n - line) * CON_LINE_MAX);
    c->n++;
}

#endif /* KAIROS_TESTS_UNIT_KTRACE_FIXTURE_H */
