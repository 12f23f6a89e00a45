/* ktrace_log.c — finds the event-log stream in a console log and reads its last block: the
 * begin line, the `@kt` lines (checked one by one with the codec, then for gaps and repeats in
 * their indices) and the end line (checked against what was read). Damage is listed, never
 * fatal: every intact record is kept. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kairos/trace_codec.h>

#include "ktrace_log.h"

#define RECORDS_INITIAL 1024u
#define ERRORS_INITIAL 16u
#define DECIMAL 10
#define HEX 16
#define FIELD_DIGITS_MAX 24 /* a uint64_t in decimal, with room to spare */
#define RANGE_TEXT_MAX 64   /* "records 4294967295..4294967297" */

/* A console line: its text without the "\n" or "\r\n" and its 1-based number. */
struct line {
    const char *text;
    size_t len;
    unsigned long number;
};

struct line_reader {
    const char *text;
    size_t len, pos;
    unsigned long number;
};

static bool next_line(struct line_reader *rd, struct line *out)
{
    if (rd->pos >= rd->len) {
        return false;
    }
    const char *start = rd->text + rd->pos;
    const char *nl = memchr(start, '\n', rd->len - rd->pos);
    size_t len = nl != NULL ? (size_t)(nl - start) : rd->len - rd->pos;
    rd->pos += len + (nl != NULL ? 1 : 0);
    if (len > 0 && start[len - 1] == '\r') {
        len--;
    }
    out->text = start;
    out->len = len;
    out->number = ++rd->number;
    return true;
}

/* Whether the line is `word` followed by a space or nothing: "@ktrace begin" is not
 * "@ktrace beginning". */
static bool line_is(const struct line *l, const char *word)
{
    size_t n = strlen(word);
    return l->len >= n && memcmp(l->text, word, n) == 0 && (l->len == n || l->text[n] == ' ');
}

/* Finds " key=VALUE" on a begin or end line; VALUE in `base`, digits up to a space or the end. */
static bool line_field(const struct line *l, const char *key, int base, uint64_t *value)
{
    size_t klen = strlen(key);
    for (size_t i = 0; i + klen + 1 < l->len; i++) {
        if (l->text[i] != ' ' || memcmp(l->text + i + 1, key, klen) != 0 ||
            l->text[i + 1 + klen] != '=') {
            continue;
        }
        size_t start = i + 2 + klen;
        size_t end = start;
        while (end < l->len && l->text[end] != ' ') {
            end++;
        }
        char digits[FIELD_DIGITS_MAX];
        if (end == start || end - start >= sizeof(digits)) {
            return false;
        }
        memcpy(digits, l->text + start, end - start);
        digits[end - start] = '\0';
        char *stop;
        unsigned long long v = strtoull(digits, &stop, base);
        if (*stop != '\0' || digits[0] == '-' || digits[0] == '+') {
            return false;
        }
        *value = v;
        return true;
    }
    return false;
}

__attribute__((format(printf, 4, 5))) static int add_error(struct ktrace_log *log,
                                                           unsigned long line,
                                                           enum ktrace_log_error_kind kind,
                                                           const char *fmt, ...)
{
    if (log->nerrors == log->errors_capacity) {
        size_t cap = log->errors_capacity ? log->errors_capacity * 2 : ERRORS_INITIAL;
        struct ktrace_log_error *e = realloc(log->errors, cap * sizeof(*e));
        if (e == NULL) {
            return KTRACE_LOG_NO_MEMORY;
        }
        log->errors = e;
        log->errors_capacity = cap;
    }
    struct ktrace_log_error *e = &log->errors[log->nerrors++];
    e->line = line;
    e->kind = kind;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->text, sizeof(e->text), fmt, ap);
    va_end(ap);
    return KTRACE_LOG_OK;
}

/* "record 5" or "records 5..7", for n >= 1. */
static const char *record_range(char *buf, size_t size, uint64_t first, uint64_t n)
{
    if (n == 1) {
        snprintf(buf, size, "record %llu", (unsigned long long)first);
    } else {
        snprintf(buf, size, "records %llu..%llu", (unsigned long long)first,
                 (unsigned long long)(first + n - 1));
    }
    return buf;
}

static int append_record(struct ktrace_log *log, const struct ktrace_record *r, uint32_t index)
{
    if (log->count == log->capacity) {
        size_t cap = log->capacity ? log->capacity * 2 : RECORDS_INITIAL;
        struct ktrace_record *records = realloc(log->records, cap * sizeof(*records));
        if (records == NULL) {
            return KTRACE_LOG_NO_MEMORY;
        }
        log->records = records;
        uint32_t *indices = realloc(log->indices, cap * sizeof(*indices));
        if (indices == NULL) {
            return KTRACE_LOG_NO_MEMORY;
        }
        log->indices = indices;
        log->capacity = cap;
    }
    log->records[log->count] = *r;
    log->indices[log->count] = index;
    log->count++;
    uint8_t wire[KTRACE_RECORD_BYTES];
    ktrace_record_pack(wire, r);
    log->crc = ktrace_crc32(log->crc, wire, sizeof(wire));
    return KTRACE_LOG_OK;
}

/* Where the next @kt line should start. After a line whose extent is unknown (its index or its
 * length could not be read) `resync` is set: the next good line's index is taken as it is,
 * since the damaged line's error already covers what is missing. */
struct stream_state {
    uint64_t expected;
    bool resync;
};

static enum ktrace_log_error_kind codec_error_kind(int err)
{
    switch (err) {
    case KTRACE_CODEC_BASE64:
        return KTRACE_LOG_E_BASE64;
    case KTRACE_CODEC_LENGTH:
        return KTRACE_LOG_E_LENGTH;
    case KTRACE_CODEC_CRC:
        return KTRACE_LOG_E_CRC;
    default:
        return KTRACE_LOG_E_SYNTAX;
    }
}

static int report_gap(struct ktrace_log *log, struct stream_state *st, unsigned long line,
                      uint64_t first, const char *where)
{
    char range[RANGE_TEXT_MAX];
    record_range(range, sizeof(range), st->expected, first - st->expected);
    return add_error(log, line, KTRACE_LOG_E_GAP, "gap: %s missing%s", range, where);
}

static int read_bad_line(struct ktrace_log *log, struct stream_state *st, const struct line *l,
                         int err, uint32_t first, unsigned n)
{
    const char *what = ktrace_codec_error_name(err);
    char range[RANGE_TEXT_MAX];
    if (first == KTRACE_INDEX_UNKNOWN || n == 0) {
        st->resync = true;
        if (first == KTRACE_INDEX_UNKNOWN) {
            return add_error(log, l->number, codec_error_kind(err), "%s, line skipped", what);
        }
        return add_error(log, l->number, codec_error_kind(err), "%s, records from %lu skipped",
                         what, (unsigned long)first);
    }
    if (!st->resync && first > st->expected) {
        int rc = report_gap(log, st, l->number, first, " before this line");
        if (rc != KTRACE_LOG_OK) {
            return rc;
        }
    }
    st->resync = false;
    if ((uint64_t)first + n > st->expected) {
        st->expected = (uint64_t)first + n;
    }
    return add_error(log, l->number, codec_error_kind(err), "%s, %s skipped", what,
                     record_range(range, sizeof(range), first, n));
}

static int read_record_line(struct ktrace_log *log, struct stream_state *st, const struct line *l)
{
    struct ktrace_record recs[KTRACE_LINE_RECORDS];
    uint32_t first;
    unsigned n;
    int err = ktrace_decode_line(l->text, l->len, &first, recs, &n);
    if (err != KTRACE_CODEC_OK) {
        return read_bad_line(log, st, l, err, first, n);
    }
    int rc = KTRACE_LOG_OK;
    if (first > st->expected) {
        if (!st->resync) {
            rc = report_gap(log, st, l->number, first, "");
        }
        st->expected = first;
    }
    st->resync = false;
    unsigned skip = 0;
    if (first < st->expected) {
        uint64_t repeated = st->expected - first;
        skip = repeated < n ? (unsigned)repeated : n;
        char range[RANGE_TEXT_MAX];
        rc = add_error(log, l->number, KTRACE_LOG_E_OVERLAP, "overlap: %s read before, skipped",
                       record_range(range, sizeof(range), first, skip));
    }
    for (unsigned i = skip; i < n && rc == KTRACE_LOG_OK; i++) {
        rc = append_record(log, &recs[i], first + i);
    }
    if ((uint64_t)first + n > st->expected) {
        st->expected = (uint64_t)first + n;
    }
    return rc;
}

static int read_begin(struct ktrace_log *log, const struct line *l)
{
    uint64_t v = 0;
    bool ok = line_field(l, "v", DECIMAL, &v);
    log->version = (unsigned)v;
    ok &= line_field(l, "hz", DECIMAL, &log->hz);
    ok &= line_field(l, "records", DECIMAL, &log->begin_records);
    ok &= line_field(l, "dropped", DECIMAL, &log->begin_dropped);
    if (!ok) {
        int rc = add_error(log, l->number, KTRACE_LOG_E_SYNTAX,
                           "begin line lacks v=, hz=, records= or dropped=");
        if (rc != KTRACE_LOG_OK) {
            return rc;
        }
    }
    if (log->version != 0 && log->version != KTRACE_VERSION) {
        return add_error(log, l->number, KTRACE_LOG_E_VERSION,
                         "stream version v=%u, this tool reads v=%u: records not converted",
                         log->version, KTRACE_VERSION);
    }
    return KTRACE_LOG_OK;
}

/* The end line's checks. Counts that differ only because damaged lines were skipped are not
 * reported again: those lines' errors already say so. */
static int read_end(struct ktrace_log *log, struct stream_state *st, const struct line *l)
{
    uint64_t crc = 0;
    bool ok = line_field(l, "records", DECIMAL, &log->end_records);
    ok &= line_field(l, "dropped", DECIMAL, &log->end_dropped);
    ok &= line_field(l, "crc", HEX, &crc);
    log->end_crc = (uint32_t)crc;
    log->end_line = l->number;
    if (!ok) {
        return add_error(log, l->number, KTRACE_LOG_E_SYNTAX,
                         "end line lacks records=, dropped= or crc=");
    }
    int rc = KTRACE_LOG_OK;
    if (!st->resync && st->expected < log->end_records) {
        rc = report_gap(log, st, l->number, log->end_records, " before the end line");
    }
    if (rc == KTRACE_LOG_OK && log->end_records != log->begin_records) {
        rc =
            add_error(log, l->number, KTRACE_LOG_E_COUNT, "end says records=%llu, begin said %llu",
                      (unsigned long long)log->end_records, (unsigned long long)log->begin_records);
    }
    if (rc == KTRACE_LOG_OK && log->end_dropped != log->begin_dropped) {
        rc =
            add_error(log, l->number, KTRACE_LOG_E_COUNT, "end says dropped=%llu, begin said %llu",
                      (unsigned long long)log->end_dropped, (unsigned long long)log->begin_dropped);
    }
    if (rc != KTRACE_LOG_OK || log->nerrors != 0) {
        return rc;
    }
    if (log->count != log->end_records) {
        return add_error(log, l->number, KTRACE_LOG_E_COUNT, "end says records=%llu, %zu were read",
                         (unsigned long long)log->end_records, log->count);
    }
    if (log->crc != log->end_crc) {
        return add_error(log, l->number, KTRACE_LOG_E_COUNT,
                         "CRC of all records is %08x, end says %08x", log->crc, log->end_crc);
    }
    return KTRACE_LOG_OK;
}

/* The last begin line: where the block to read starts. */
static bool find_last_begin(struct ktrace_log *log, const char *text, size_t len,
                            struct line_reader *at)
{
    struct line_reader rd = {.text = text, .len = len};
    struct line l;
    bool found = false;
    for (;;) {
        struct line_reader before = rd;
        if (!next_line(&rd, &l)) {
            break;
        }
        if (line_is(&l, KTRACE_STREAM_BEGIN)) {
            *at = before;
            found = true;
            log->blocks++;
        }
    }
    log->last_line = rd.number;
    return found;
}

int ktrace_log_read(struct ktrace_log *log, const char *text, size_t len)
{
    memset(log, 0, sizeof(*log));
    struct line_reader rd;
    if (!find_last_begin(log, text, len, &rd)) {
        return KTRACE_LOG_NO_BEGIN;
    }
    struct line l;
    next_line(&rd, &l);
    log->begin_line = l.number;
    int rc = read_begin(log, &l);
    bool convert = log->nerrors == 0 || log->errors[log->nerrors - 1].kind != KTRACE_LOG_E_VERSION;

    /* Lines before this begin belong to earlier blocks, whose damage does not matter. */
    struct stream_state st = {0};
    while (rc == KTRACE_LOG_OK && convert && next_line(&rd, &l)) {
        if (line_is(&l, KTRACE_STREAM_END)) {
            rc = read_end(log, &st, &l);
            break;
        }
        if (line_is(&l, KTRACE_STREAM_LINE)) {
            rc = read_record_line(log, &st, &l);
        }
    }
    if (rc == KTRACE_LOG_OK && convert && log->end_line == 0) {
        rc = add_error(log, log->last_line, KTRACE_LOG_E_TRUNCATED,
                       "truncated: no end line after the begin on line %lu, %zu records read",
                       log->begin_line, log->count);
    }
    if (rc != KTRACE_LOG_OK) {
        ktrace_log_free(log);
    }
    return rc;
}

void ktrace_log_free(struct ktrace_log *log)
{
    free(log->records);
    free(log->indices);
    free(log->errors);
    log->records = NULL;
    log->indices = NULL;
    log->errors = NULL;
    log->count = log->capacity = 0;
    log->nerrors = log->errors_capacity = 0;
}

uint64_t ktrace_log_dropped(const struct ktrace_log *log)
{
    return log->end_line != 0 ? log->end_dropped : log->begin_dropped;
}
