/* ktrace_log.h — reads a console log's event-log stream (docs/tracing.md) into records, the
 * begin/end lines' metadata and a list of errors, each tied to a console line. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <kairos/trace_format.h>

/* What went wrong on a line; the stream's damage, not the reader's. */
enum ktrace_log_error_kind {
    KTRACE_LOG_E_SYNTAX,    /* a malformed @kt, begin or end line */
    KTRACE_LOG_E_BASE64,    /* a @kt line's base64 is damaged */
    KTRACE_LOG_E_LENGTH,    /* a @kt line holds no whole number of records, or too many */
    KTRACE_LOG_E_CRC,       /* a @kt line's records do not match its CRC */
    KTRACE_LOG_E_GAP,       /* indices skip: records are missing */
    KTRACE_LOG_E_OVERLAP,   /* indices repeat: the repeated records are ignored */
    KTRACE_LOG_E_TRUNCATED, /* no end line after the last begin */
    KTRACE_LOG_E_COUNT,     /* the end line's counts or CRC disagree with what was read */
    KTRACE_LOG_E_VERSION,   /* the begin line's v= is not KTRACE_VERSION */
};

#define KTRACE_LOG_TEXT_MAX 160

struct ktrace_log_error {
    unsigned long line; /* 1-based console line */
    enum ktrace_log_error_kind kind;
    char text[KTRACE_LOG_TEXT_MAX]; /* e.g. "CRC mismatch, record 45..47 skipped" */
};

/* Of the last `@ktrace begin` block in the console log. */
struct ktrace_log {
    /* The intact records in index order, and each one's index in the stream. */
    struct ktrace_record *records;
    uint32_t *indices;
    size_t count;

    unsigned long begin_line; /* line of the begin used; 0 when there is none */
    unsigned long end_line;   /* 0 when the block is truncated */
    unsigned long last_line;  /* the console log's last line */
    unsigned blocks;          /* begin lines seen; all but the last are ignored */

    /* From the begin line; 0 for a value it lacks. */
    unsigned version;
    uint64_t hz;
    uint64_t begin_records, begin_dropped;
    /* From the end line, when end_line != 0. */
    uint64_t end_records, end_dropped;
    uint32_t end_crc;
    uint32_t crc; /* CRC-32 of every intact record's wire bytes, in order */

    struct ktrace_log_error *errors;
    size_t nerrors;

    size_t capacity, errors_capacity; /* private */
};

enum ktrace_log_result {
    KTRACE_LOG_OK = 0,        /* read; errors may still have been found */
    KTRACE_LOG_NO_BEGIN = -1, /* no `@ktrace begin` line at all */
    KTRACE_LOG_NO_MEMORY = -2,
};

/* Reads the last block of a console log of len bytes (not NUL-terminated; lines end in "\n" or
 * "\r\n"; lines that are not the stream's are ignored). On KTRACE_LOG_OK the caller frees log
 * with ktrace_log_free; otherwise log holds nothing to free. */
int ktrace_log_read(struct ktrace_log *log, const char *text, size_t len);

void ktrace_log_free(struct ktrace_log *log);

/* The dropped count to report: the end line's, else the begin line's. */
uint64_t ktrace_log_dropped(const struct ktrace_log *log);
