/* Unit tests for the event-log stream: libsel4/src/trace_codec.c against published CRC-32 and
 * base64 vectors, and tools/ktrace's reader, analysis and writers on console logs built here
 * from hand-made records (clean, noisy with CRLF, truncated, corrupted, several blocks), with
 * every interval, budget point and window of the clean one checked exactly. */
#define CHECK_SUITE "ktrace"
#include "check.h"

#include <stdbool.h>
#include <stdint.h>

#include <kairos/trace_codec.h>

#include "ktrace_analyse.h"
#include "ktrace_fixture.h"
#include "ktrace_log.h"
#include "ktrace_output.h"

#define CRC_CHECK_VALUE 0xcbf43926u /* CRC-32 of "123456789" */

/* ---------------------------------------------------------------------------------------- */
/* The codec */

TEST(crc32_vectors)
{
    CHECK_EQ(ktrace_crc32(0, "123456789", 9), CRC_CHECK_VALUE);
    CHECK_EQ(ktrace_crc32(0, "", 0), 0);
    CHECK_EQ(ktrace_crc32(0, "a", 1), 0xe8b7be43u);
    const char *fox = "The quick brown fox jumps over the lazy dog";
    CHECK_EQ(ktrace_crc32(0, fox, strlen(fox)), 0x414fa339u);
    /* Incremental: any split gives the whole string's CRC. */
    for (size_t cut = 0; cut <= strlen(fox); cut++) {
        uint32_t crc = ktrace_crc32(ktrace_crc32(0, fox, cut), fox + cut, strlen(fox) - cut);
        CHECK_EQ(crc, 0x414fa339u);
    }
}

TEST(base64_vectors)
{
    /* RFC 4648 §10 */
    static const char *const plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    static const char *const coded[] = {"",         "Zg==",     "Zm8=",    "Zm9v",
                                        "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
    for (unsigned i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
        char out[16];
        CHECK_EQ(ktrace_base64_encode(out, sizeof(out), plain[i], strlen(plain[i])),
                 strlen(coded[i]));
        CHECK_STR_EQ(out, coded[i]);
        uint8_t back[16];
        size_t len = 99;
        CHECK_EQ(ktrace_base64_decode(back, sizeof(back), &len, coded[i], strlen(coded[i])),
                 KTRACE_CODEC_OK);
        CHECK_EQ(len, strlen(plain[i]));
        CHECK(memcmp(back, plain[i], len) == 0);
    }
}

static size_t count_char(const char *s, char c)
{
    size_t n = 0;
    for (; *s != '\0'; s++) {
        n += *s == c;
    }
    return n;
}

TEST(base64_round_trips)
{
    uint8_t in[100], back[100];
    char text[KTRACE_BASE64_CHARS(100) + 1];
    uint32_t seed = 12345;
    for (size_t n = 0; n <= sizeof(in); n++) {
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            in[i] = (uint8_t)(seed >> 16);
        }
        size_t len = ktrace_base64_encode(text, sizeof(text), in, n);
        CHECK_EQ(len, KTRACE_BASE64_CHARS(n));
        CHECK_EQ(len % 4, 0);
        CHECK_EQ(count_char(text, '='), (3 - n % 3) % 3);
        size_t got;
        CHECK_EQ(ktrace_base64_decode(back, sizeof(back), &got, text, len), KTRACE_CODEC_OK);
        CHECK_EQ(got, n);
        CHECK(memcmp(in, back, n) == 0);
    }
    /* Too small an output for the characters and the NUL: nothing written. */
    char small[5] = "xxxx";
    CHECK_EQ(ktrace_base64_encode(small, 4, "foo", 3), 0);
    CHECK_EQ(ktrace_base64_encode(small, sizeof(small), "foob", 4), 0);
    CHECK_STR_EQ(small, "xxxx");
    CHECK_EQ(ktrace_base64_encode(small, sizeof(small), "foo", 3), 4);
    CHECK_STR_EQ(small, "Zm9v");
}

TEST(base64_rejects)
{
    static const char *const bad[] = {"Zg=",  "Zg",           "Z===", "====",
                                      "Zm9*", "Z=9v",         "Zg=A", "Zh==", /* unused bits set */
                                      "Zm9=", "Zm9vYg==Zm9v", " Zm9v"};
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        uint8_t out[16];
        size_t len;
        CHECK_EQ(ktrace_base64_decode(out, sizeof(out), &len, bad[i], strlen(bad[i])),
                 KTRACE_CODEC_BASE64);
    }
    /* Longer than the output: still checked, and the full length reported. */
    uint8_t two[2];
    size_t len;
    CHECK_EQ(ktrace_base64_decode(two, sizeof(two), &len, "Zm9vYmFy", 8), KTRACE_CODEC_OK);
    CHECK_EQ(len, 6);
    CHECK(memcmp(two, "fo", 2) == 0);
}

TEST(record_wire_layout)
{
    struct ktrace_record r = {.time = 0x0102030405060708ull,
                              .event = 0x1112,
                              .arg = 0x2122,
                              .tcb = 0x31323334,
                              .sc = 0x41424344,
                              .aux = 0x51525354,
                              .value = 0x6162636465666768ull};
    static const uint8_t wire[KTRACE_RECORD_BYTES] = {
        0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01, 0x12, 0x11, 0x22,
        0x21, 0x34, 0x33, 0x32, 0x31, 0x44, 0x43, 0x42, 0x41, 0x54, 0x53,
        0x52, 0x51, 0x68, 0x67, 0x66, 0x65, 0x64, 0x63, 0x62, 0x61};
    uint8_t out[KTRACE_RECORD_BYTES];
    ktrace_record_pack(out, &r);
    CHECK(memcmp(out, wire, sizeof(wire)) == 0);
    struct ktrace_record back;
    ktrace_record_unpack(&back, wire);
    CHECK(same_record(&back, &r));
}

TEST(line_round_trips)
{
    struct ktrace_record r[KTRACE_LINE_RECORDS] = {
        rec(10, KTRACE_EV_SWITCH, 0, 1, 2, 0, US(1000)),
        rec(20, KTRACE_EV_THREAD, 3, 4, 5, 6, UINT64_MAX),
        {.time = UINT64_MAX,
         .event = UINT16_MAX,
         .arg = UINT16_MAX,
         .tcb = UINT32_MAX,
         .sc = UINT32_MAX,
         .aux = UINT32_MAX,
         .value = 0},
    };
    static const uint32_t firsts[] = {0, 7, 65533, UINT32_MAX - 1};
    for (unsigned n = 1; n <= KTRACE_LINE_RECORDS; n++) {
        for (unsigned k = 0; k < sizeof(firsts) / sizeof(firsts[0]); k++) {
            char line[KTRACE_LINE_BUFFER + 2];
            size_t len = ktrace_encode_line(line, KTRACE_LINE_BUFFER, firsts[k], r, n);
            CHECK(len > 0 && len <= KTRACE_LINE_MAX);
            CHECK_EQ(strlen(line), len);
            char prefix[32];
            snprintf(prefix, sizeof(prefix), "@kt %u ", (unsigned)firsts[k]);
            CHECK(strncmp(line, prefix, strlen(prefix)) == 0);
            /* Exactly as long as needed: one byte less does not fit. */
            char tight[KTRACE_LINE_BUFFER];
            CHECK_EQ(ktrace_encode_line(tight, len + 1, firsts[k], r, n), len);
            CHECK_EQ(ktrace_encode_line(tight, len, firsts[k], r, n), 0);
            strcat(line, "\r\n"); /* a console's line end is ignored */
            struct ktrace_record out[KTRACE_LINE_RECORDS];
            uint32_t first;
            unsigned got;
            CHECK_EQ(ktrace_decode_line(line, len + 2, &first, out, &got), KTRACE_CODEC_OK);
            CHECK_EQ(first, firsts[k]);
            CHECK_EQ(got, n);
            for (unsigned i = 0; i < n; i++) {
                CHECK(same_record(&out[i], &r[i]));
            }
        }
    }
    char line[KTRACE_LINE_BUFFER];
    CHECK_EQ(ktrace_encode_line(line, sizeof(line), 0, r, 0), 0);
    CHECK_EQ(ktrace_encode_line(line, sizeof(line), 0, r, KTRACE_LINE_RECORDS + 1), 0);
    /* The longest line is KTRACE_LINE_MAX. */
    CHECK_EQ(ktrace_encode_line(line, sizeof(line), UINT32_MAX, r, KTRACE_LINE_RECORDS),
             KTRACE_LINE_MAX);
}

/* Decodes `line` and checks the result, the index and record count it reports. */
#define CHECK_DECODE(line, want_err, want_first, want_n)                                           \
    do {                                                                                           \
        struct ktrace_record out_[KTRACE_LINE_RECORDS];                                            \
        uint32_t first_;                                                                           \
        unsigned n_;                                                                               \
        CHECK_EQ(ktrace_decode_line((line), strlen(line), &first_, out_, &n_), (want_err));        \
        CHECK_EQ(first_, (want_first));                                                            \
        CHECK_EQ(n_, (want_n));                                                                    \
    } while (0)

TEST(decode_errors)
{
    struct ktrace_record r[KTRACE_LINE_RECORDS] = {
        rec(10, KTRACE_EV_SWITCH, 0, 1, 2, 0, 3),
        rec(20, KTRACE_EV_BLOCK, 1, 1, 0, 0, 4),
        rec(30, KTRACE_EV_MARK, 0, 1, 0, 0, 5),
    };
    char good[KTRACE_LINE_BUFFER];
    size_t len = ktrace_encode_line(good, sizeof(good), 9, r, KTRACE_LINE_RECORDS);
    CHECK(len > 0);
    CHECK_DECODE(good, KTRACE_CODEC_OK, 9, KTRACE_LINE_RECORDS);

    const uint32_t unknown = KTRACE_INDEX_UNKNOWN;
    CHECK_DECODE("", KTRACE_CODEC_SYNTAX, unknown, 0);
    CHECK_DECODE("@kt", KTRACE_CODEC_SYNTAX, unknown, 0);
    CHECK_DECODE("@kt 9", KTRACE_CODEC_SYNTAX, unknown, 0);
    CHECK_DECODE("@kx 9 Zm9v 00000000", KTRACE_CODEC_SYNTAX, unknown, 0);
    CHECK_DECODE("@kt  9 Zm9v 00000000", KTRACE_CODEC_SYNTAX, unknown, 0);
    CHECK_DECODE("@kt -9 Zm9v 00000000", KTRACE_CODEC_SYNTAX, unknown, 0);
    CHECK_DECODE("@kt 4294967295 Zm9v 00000000", KTRACE_CODEC_SYNTAX, unknown, 0);
    CHECK_DECODE("@kt 99999999999 Zm9v 00000000", KTRACE_CODEC_SYNTAX, unknown, 0);
    CHECK_DECODE("@kt 9 Zm9v", KTRACE_CODEC_SYNTAX, 9, 0);
    CHECK_DECODE("@kt 9  00000000", KTRACE_CODEC_SYNTAX, 9, 0);
    CHECK_DECODE("@kt 9 Zm9v 0000000", KTRACE_CODEC_SYNTAX, 9, 0);
    CHECK_DECODE("@kt 9 Zm9v 000000000", KTRACE_CODEC_SYNTAX, 9, 0);
    CHECK_DECODE("@kt 9 Zm9v 0000000g", KTRACE_CODEC_SYNTAX, 9, 0);
    CHECK_DECODE("@kt 9 Zm9v 00000000 x", KTRACE_CODEC_SYNTAX, 9, 0);

    /* A character outside the alphabet: bad base64, the records guessed from the length. */
    char line[2 * KTRACE_LINE_BUFFER]; /* room for a line of too many records */
    strcpy(line, good);
    line[20] = '*';
    CHECK_DECODE(line, KTRACE_CODEC_BASE64, 9, KTRACE_LINE_RECORDS);
    /* Valid base64 of bytes that are not whole records, or too many of them. */
    CHECK_DECODE("@kt 9 Zm9v 9eb1ee8d", KTRACE_CODEC_LENGTH, 9, 0);
    uint8_t bytes[4 * KTRACE_RECORD_BYTES] = {0};
    char text[KTRACE_BASE64_CHARS(sizeof(bytes)) + 1];
    ktrace_base64_encode(text, sizeof(text), bytes, sizeof(bytes));
    snprintf(line, sizeof(line), "@kt 9 %s %08x", text, ktrace_crc32(0, bytes, sizeof(bytes)));
    CHECK_DECODE(line, KTRACE_CODEC_LENGTH, 9, 0);
    ktrace_base64_encode(text, sizeof(text), bytes, KTRACE_RECORD_BYTES - 1);
    snprintf(line, sizeof(line), "@kt 9 %s %08x", text,
             ktrace_crc32(0, bytes, KTRACE_RECORD_BYTES - 1));
    CHECK_DECODE(line, KTRACE_CODEC_LENGTH, 9, 0);
    /* A changed letter that is still base64, and a changed CRC: CRC mismatch. */
    strcpy(line, good);
    line[20] = line[20] == 'A' ? 'B' : 'A';
    CHECK_DECODE(line, KTRACE_CODEC_CRC, 9, KTRACE_LINE_RECORDS);
    strcpy(line, good);
    line[len - 1] = line[len - 1] == '0' ? '1' : '0';
    CHECK_DECODE(line, KTRACE_CODEC_CRC, 9, KTRACE_LINE_RECORDS);
    /* Upper-case hex is accepted. */
    strcpy(line, good);
    for (size_t i = len - KTRACE_CRC_DIGITS; i < len; i++) {
        line[i] = line[i] >= 'a' && line[i] <= 'f' ? (char)(line[i] - 'a' + 'A') : line[i];
    }
    CHECK_DECODE(line, KTRACE_CODEC_OK, 9, KTRACE_LINE_RECORDS);
    CHECK_STR_EQ(ktrace_codec_error_name(KTRACE_CODEC_CRC), "CRC mismatch");
}

struct want_interval {
    uint32_t thread, sc;
    enum ktrace_state state;
    uint64_t start_us, end_us;
};

struct want_point {
    uint32_t sc;
    uint64_t time_us, remaining_us;
};

/* The analysis' intervals are exactly want[0..n), in order. */
static void check_intervals(const struct ktrace_analysis *a, const struct want_interval *want,
                            size_t n)
{
    CHECK_EQ(a->nintervals, n);
    for (size_t i = 0; i < a->nintervals && i < n; i++) {
        CHECK_EQ(a->intervals[i].thread, want[i].thread);
        CHECK_EQ(a->intervals[i].sc, want[i].sc);
        CHECK_EQ(a->intervals[i].state, want[i].state);
        CHECK_EQ(a->intervals[i].start, US(want[i].start_us));
        CHECK_EQ(a->intervals[i].end, US(want[i].end_us));
    }
}

/* Its budget points are exactly want[0..n), in order. */
static void check_budget(const struct ktrace_analysis *a, const struct want_point *want, size_t n)
{
    CHECK_EQ(a->nbudget, n);
    for (size_t i = 0; i < a->nbudget && i < n; i++) {
        CHECK_EQ(a->budget[i].sc, want[i].sc);
        CHECK_EQ(a->budget[i].time, US(want[i].time_us));
        CHECK_EQ(a->budget[i].remaining, US(want[i].remaining_us));
    }
}

#define COUNT(x) (sizeof(x) / sizeof((x)[0]))

TEST(good_log_read_and_analysed)
{
    struct ktrace_record r[SAMPLE_RECORDS];
    CHECK_EQ(sample_records(r), SAMPLE_RECORDS);
    static struct console c;
    con_add(&c, "Kairos booting");
    con_add(&c, "@ktrace-ish line that is not the stream");
    con_add(&c, "@ktx 3 Zm9v 00000000");
    con_block(&c, r, SAMPLE_RECORDS, true);
    con_add(&c, "demo: done");
    struct ktrace_log log;
    CHECK_EQ(con_read(&c, "\r\n", &log), KTRACE_LOG_OK);
    CHECK_EQ(log.nerrors, 0);
    CHECK(kept_except(&log, r, SAMPLE_RECORDS, NULL));
    CHECK_EQ(log.hz, HZ);
    CHECK_EQ(log.version, KTRACE_VERSION);
    CHECK_EQ(log.begin_line, c.begin + 1);
    CHECK_EQ(log.end_line, c.end + 1);
    CHECK_EQ(log.end_records, SAMPLE_RECORDS);
    CHECK_EQ(log.blocks, 1);

    struct ktrace_analysis a;
    CHECK_EQ(ktrace_analyse(&a, log.records, log.count, log.hz), 0);
    CHECK_EQ(a.t0, T0);
    CHECK_EQ(a.length, US(4500));
    CHECK_EQ(a.idle, US(1790 + 600));
    CHECK_EQ(a.nthreads, 2);
    CHECK_STR_EQ(a.threads[0].name, "alpha");
    CHECK_STR_EQ(a.threads[1].name, NAME_LONG);
    CHECK_EQ(a.threads[0].prio, 10);
    CHECK_EQ(a.threads[1].sc, 2);
    CHECK_EQ(a.threads[0].running, US(390 + 610 + 400));
    CHECK_EQ(a.threads[1].running, US(200 + 300 + 200));
    CHECK_EQ(a.threads[0].exhausted, 1);
    CHECK_EQ(a.threads[1].exhausted, 1);
    CHECK_EQ(a.threads[1].timeouts, 1);
    CHECK_EQ(a.threads[1].faults, 0);
    CHECK_EQ(a.nsc, 2);
    CHECK_EQ(a.scs[0].budget_us, 1000);
    CHECK_EQ(a.scs[1].period_us, 2000);

    static const struct want_interval iv[] = {
        {1, 1, KTRACE_STATE_READY, 0, 10},          {1, 1, KTRACE_STATE_RUNNING, 10, 400},
        {1, 1, KTRACE_STATE_BLOCKED, 400, 600},     {1, 1, KTRACE_STATE_RUNNING, 600, 1210},
        {1, 1, KTRACE_STATE_THROTTLED, 1210, 4010}, {1, 1, KTRACE_STATE_READY, 4010, 4100},
        {1, 1, KTRACE_STATE_RUNNING, 4100, 4500},   {2, 2, KTRACE_STATE_READY, 0, 400},
        {2, 2, KTRACE_STATE_RUNNING, 400, 600},     {2, 2, KTRACE_STATE_READY, 600, 1210},
        {2, 2, KTRACE_STATE_RUNNING, 1210, 1510},   {2, 2, KTRACE_STATE_BLOCKED, 1510, 2400},
        {2, 2, KTRACE_STATE_THROTTLED, 2400, 3210}, {2, 2, KTRACE_STATE_READY, 3210, 3300},
        {2, 2, KTRACE_STATE_RUNNING, 3300, 3500},   {2, 2, KTRACE_STATE_READY, 3500, 4500},
    };
    check_intervals(&a, iv, COUNT(iv));

    /* A point on each side of each jump; none while the budget is not known yet. */
    static const struct want_point bp[] = {
        {1, 10, 1000}, {1, 400, 610},   {1, 600, 610},   {1, 1210, 0},
        {1, 4010, 0},  {1, 4010, 1000}, {1, 4100, 1000}, {1, 4500, 600},
        {2, 400, 500}, {2, 600, 300},   {2, 1210, 300},  {2, 1510, 0},
        {2, 3210, 0},  {2, 3210, 500},  {2, 3300, 500},  {2, 3500, 300},
    };
    check_budget(&a, bp, COUNT(bp));

    /* Context 1's runs 10-400, 600-1210, 4100-4500 in 4000 µs windows; context 2's runs
     * 400-600, 1210-1510, 3300-3500 in 2000 µs ones. */
    static const struct want_point win[] = {
        {1, 10, 1000}, {1, 600, 1010}, {1, 4100, 400},
        {2, 400, 500}, {2, 1210, 300}, {2, 3300, 200},
    };
    CHECK_EQ(a.nwindows, sizeof(win) / sizeof(win[0]));
    for (size_t i = 0; i < a.nwindows; i++) {
        CHECK_EQ(a.windows[i].sc, win[i].sc);
        CHECK_EQ(a.windows[i].start, US(win[i].time_us));
        CHECK_EQ(a.windows[i].consumed, US(win[i].remaining_us));
    }
    CHECK_EQ(a.scs[0].max_window, US(1010));
    CHECK_EQ(a.scs[1].max_window, US(500));
    CHECK_EQ(a.nruns, 8); /* three of each thread and two of idle */
    ktrace_analysis_free(&a);
    ktrace_log_free(&log);
}

TEST(truncated_log_keeps_intact_records)
{
    struct ktrace_record r[SAMPLE_RECORDS];
    sample_records(r);
    static struct console c;
    con_add(&c, "Kairos booting");
    con_block(&c, r, 27, false);
    /* The console stopped in the middle of the line holding records 24..26. */
    unsigned cut = c.kt[24];
    c.lines[cut][40] = '\0';
    c.n = cut + 1;
    struct ktrace_log log;
    CHECK_EQ(con_read(&c, "\n", &log), KTRACE_LOG_OK);
    CHECK(kept_except(&log, r, 24, NULL));
    CHECK_EQ(log.nerrors, 2);
    CHECK(has_error(&log, cut + 1, KTRACE_LOG_E_SYNTAX, "malformed line, records from 24 skipped"));
    CHECK(has_error(&log, cut + 1, KTRACE_LOG_E_TRUNCATED, NULL));
    CHECK_EQ(log.end_line, 0);
    struct ktrace_analysis a;
    CHECK_EQ(ktrace_analyse(&a, log.records, log.count, log.hz), 0);
    CHECK_EQ(a.nthreads, 2);
    CHECK_EQ(a.length, US(3300)); /* record 23, the last intact one */
    ktrace_analysis_free(&a);
    ktrace_log_free(&log);

    /* Only the end line missing: every record kept, one error at the last line. */
    memset(&c, 0, sizeof(c));
    con_block(&c, r, SAMPLE_RECORDS, false);
    CHECK_EQ(con_read(&c, "\r\n", &log), KTRACE_LOG_OK);
    CHECK(kept_except(&log, r, SAMPLE_RECORDS, NULL));
    CHECK_EQ(log.nerrors, 1);
    CHECK(has_error(&log, c.n, KTRACE_LOG_E_TRUNCATED, NULL));
    ktrace_log_free(&log);
}

TEST(corrupted_lines_skip_only_their_records)
{
    struct ktrace_record r[SAMPLE_RECORDS];
    sample_records(r);
    static struct console c;
    con_add(&c, "Kairos booting");
    con_block(&c, r, SAMPLE_RECORDS, true);
    c.lines[c.kt[9]][20] = '*';                                       /* not base64 */
    c.lines[c.kt[15]][30] = c.lines[c.kt[15]][30] == 'A' ? 'B' : 'A'; /* base64, wrong bytes */
    char *crc = strrchr(c.lines[c.kt[27]], ' ') + 1;                  /* a wrong CRC */
    crc[0] = crc[0] == 'f' ? 'e' : 'f';
    struct ktrace_log log;
    CHECK_EQ(con_read(&c, "\r\n", &log), KTRACE_LOG_OK);
    CHECK_EQ(log.nerrors, 3);
    CHECK(has_error(&log, c.kt[9] + 1, KTRACE_LOG_E_BASE64, "bad base64, records 9..11 skipped"));
    CHECK(has_error(&log, c.kt[15] + 1, KTRACE_LOG_E_CRC, "CRC mismatch, records 15..17 skipped"));
    CHECK(has_error(&log, c.kt[27] + 1, KTRACE_LOG_E_CRC, "CRC mismatch, record 27 skipped"));
    bool gone[SAMPLE_RECORDS] = {0};
    gone[9] = gone[10] = gone[11] = gone[15] = gone[16] = gone[17] = gone[27] = true;
    CHECK(kept_except(&log, r, SAMPLE_RECORDS, gone));
    ktrace_log_free(&log);
}

TEST(index_gap_and_overlap)
{
    struct ktrace_record r[SAMPLE_RECORDS];
    sample_records(r);
    static struct console c;
    con_block(&c, r, SAMPLE_RECORDS, true);
    unsigned after = c.kt[15] - 1; /* where "@kt 15" is once "@kt 12" is gone */
    con_remove(&c, c.kt[12]);
    struct ktrace_log log;
    CHECK_EQ(con_read(&c, "\n", &log), KTRACE_LOG_OK);
    CHECK_EQ(log.nerrors, 1);
    CHECK(has_error(&log, after + 1, KTRACE_LOG_E_GAP, "gap: records 12..14 missing"));
    bool gone[SAMPLE_RECORDS] = {0};
    gone[12] = gone[13] = gone[14] = true;
    CHECK(kept_except(&log, r, SAMPLE_RECORDS, gone));
    ktrace_log_free(&log);

    memset(&c, 0, sizeof(c));
    con_block(&c, r, SAMPLE_RECORDS, true);
    con_duplicate(&c, c.kt[6]);
    CHECK_EQ(con_read(&c, "\n", &log), KTRACE_LOG_OK);
    CHECK_EQ(log.nerrors, 1);
    CHECK(has_error(&log, c.kt[6] + 2, KTRACE_LOG_E_OVERLAP,
                    "overlap: records 6..8 read before, skipped"));
    CHECK(kept_except(&log, r, SAMPLE_RECORDS, NULL));
    ktrace_log_free(&log);
}

TEST(end_line_checked)
{
    struct ktrace_record r[SAMPLE_RECORDS];
    sample_records(r);
    static struct console c;
    con_block(&c, r, SAMPLE_RECORDS, true);
    uint32_t crc = records_crc(r, SAMPLE_RECORDS);
    struct ktrace_log log;

    snprintf(c.lines[c.end], CON_LINE_MAX, "@ktrace end records=29 dropped=0 crc=%08x", crc);
    CHECK_EQ(con_read(&c, "\n", &log), KTRACE_LOG_OK);
    CHECK_EQ(log.nerrors, 2);
    CHECK(
        has_error(&log, c.end + 1, KTRACE_LOG_E_GAP, "gap: record 28 missing before the end line"));
    CHECK(has_error(&log, c.end + 1, KTRACE_LOG_E_COUNT, "end says records=29, begin said 28"));
    ktrace_log_free(&log);

    snprintf(c.lines[c.end], CON_LINE_MAX, "@ktrace end records=28 dropped=0 crc=%08x", crc ^ 1);
    CHECK_EQ(con_read(&c, "\n", &log), KTRACE_LOG_OK);
    CHECK_EQ(log.nerrors, 1);
    CHECK_EQ(log.errors[0].kind, KTRACE_LOG_E_COUNT);
    CHECK_EQ(log.errors[0].line, c.end + 1);
    CHECK(strstr(log.errors[0].text, "CRC of all records") != NULL);
    ktrace_log_free(&log);

    snprintf(c.lines[c.end], CON_LINE_MAX, "@ktrace end records=28 dropped=3 crc=%08x", crc);
    CHECK_EQ(con_read(&c, "\n", &log), KTRACE_LOG_OK);
    CHECK(has_error(&log, c.end + 1, KTRACE_LOG_E_COUNT, "end says dropped=3, begin said 0"));
    CHECK_EQ(ktrace_log_dropped(&log), 3);
    ktrace_log_free(&log);

    snprintf(c.lines[c.end], CON_LINE_MAX, "@ktrace end records=28");
    CHECK_EQ(con_read(&c, "\n", &log), KTRACE_LOG_OK);
    CHECK(has_error(&log, c.end + 1, KTRACE_LOG_E_SYNTAX, NULL));
    ktrace_log_free(&log);

    /* A begin line of another version: nothing converted. */
    snprintf(c.lines[c.begin], CON_LINE_MAX, "@ktrace begin v=2 hz=%u records=28 dropped=0", HZ);
    CHECK_EQ(con_read(&c, "\n", &log), KTRACE_LOG_OK);
    CHECK_EQ(log.count, 0);
    CHECK(has_error(&log, c.begin + 1, KTRACE_LOG_E_VERSION, NULL));
    ktrace_log_free(&log);
}

TEST(last_block_is_converted)
{
    struct ktrace_record r[SAMPLE_RECORDS];
    sample_records(r);
    static struct console c;
    con_add(&c, "first run");
    con_block(&c, r, 10, true);
    c.lines[c.kt[3]][12] = '*'; /* damage in a block that does not count */
    con_add(&c, "second run");
    con_block(&c, r, SAMPLE_RECORDS, true);
    con_add(&c, "@kt 99 Zm9v 00000000"); /* after the end: not part of the block */
    struct ktrace_log log;
    CHECK_EQ(con_read(&c, "\r\n", &log), KTRACE_LOG_OK);
    CHECK_EQ(log.blocks, 2);
    CHECK_EQ(log.begin_line, c.begin + 1);
    CHECK_EQ(log.nerrors, 0);
    CHECK(kept_except(&log, r, SAMPLE_RECORDS, NULL));
    ktrace_log_free(&log);

    /* A last block cut short is still the one converted. */
    c.n--;
    con_block(&c, r, 6, false);
    CHECK_EQ(con_read(&c, "\r\n", &log), KTRACE_LOG_OK);
    CHECK_EQ(log.blocks, 3);
    CHECK(kept_except(&log, r, 6, NULL));
    CHECK_EQ(log.nerrors, 1);
    CHECK(has_error(&log, c.n, KTRACE_LOG_E_TRUNCATED, NULL));
    ktrace_log_free(&log);
}

TEST(no_begin_line)
{
    struct ktrace_record r[SAMPLE_RECORDS];
    sample_records(r);
    static struct console c;
    con_block(&c, r, SAMPLE_RECORDS, true);
    con_remove(&c, c.begin);
    struct ktrace_log log;
    CHECK_EQ(con_read(&c, "\n", &log), KTRACE_LOG_NO_BEGIN);
    CHECK_EQ(ktrace_log_read(&log, "", 0), KTRACE_LOG_NO_BEGIN);
    CHECK_EQ(ktrace_log_read(&log, "@ktrace beginning\n", 18), KTRACE_LOG_NO_BEGIN);
}

/* Donation and return, a rename, an unnamed thread, and the states before a thread's first
 * telling record: running (a mark before any switch), blocked (an unblock), throttled. */
TEST(analysis_contexts_names_first_states)
{
    struct ktrace_record r[32];
    unsigned n = 0;
    r[n++] = rec(0, KTRACE_EV_START, KTRACE_VERSION, 0, 0, 0, HZ);
    r[n++] = rec(0, KTRACE_EV_SC, 0, 0, 1, 1000, 5000);
    r[n++] = rec(0, KTRACE_EV_THREAD, 0, 1, 1, 20, name_chunk("client", 0));
    r[n++] = rec(0, KTRACE_EV_THREAD, 0, 3, 0, 1, 0); /* no name */
    r[n++] = rec(0, KTRACE_EV_SC, 1, 0, 2, 200, 1000);
    r[n++] = rec(0, KTRACE_EV_THREAD, 0, 4, 2, 2, name_chunk("sleepy", 0));
    r[n++] = rec(4, KTRACE_EV_MARK, 0, 1, 0, 0, 1);
    r[n++] = rec(6, KTRACE_EV_THREAD, 0, 2, 0, 30, name_chunk("server", 0));
    r[n++] = rec(50, KTRACE_EV_BLOCK, KTRACE_BLOCK_REPLY, 1, 0, 0, 0);
    r[n++] = rec(50, KTRACE_EV_DONATE, 0, 2, 1, 1, 0);
    r[n++] = rec(50, KTRACE_EV_SWITCH, 0, 2, 1, 0, US(950));
    r[n++] = rec(80, KTRACE_EV_RETURN, 0, 1, 1, 2, 0);
    r[n++] = rec(80, KTRACE_EV_BLOCK, KTRACE_BLOCK_RECEIVE, 2, 0, 0, 0);
    r[n++] = rec(80, KTRACE_EV_UNBLOCK, KTRACE_BLOCK_REPLY, 1, 0, 2, 0);
    r[n++] = rec(80, KTRACE_EV_SWITCH, 0, 1, 1, 0, US(920));
    r[n++] = rec(100, KTRACE_EV_UNBLOCK, KTRACE_BLOCK_NOTIFICATION, 3, 0, 0, 0);
    r[n++] = rec(150, KTRACE_EV_THREAD, 0, 1, 1, 21, name_chunk("renamed", 0));
    r[n++] = rec(200, KTRACE_EV_SWITCH, 0, 0, 0, 0, 0);
    r[n++] = rec(300, KTRACE_EV_RELEASE, 0, 4, 2, US(200), T0 + US(300));
    r[n++] = rec(400, KTRACE_EV_DOMAIN, 0, 0, 0, 0, 0);
    struct ktrace_analysis a;
    CHECK_EQ(ktrace_analyse(&a, r, n, 0), 0); /* hz from the START record */
    CHECK_EQ(a.hz, HZ);
    CHECK(!a.hz_guessed);
    CHECK_EQ(a.nthreads, 4);
    CHECK_STR_EQ(ktrace_thread_name(&a, 1), "renamed");
    CHECK_STR_EQ(ktrace_thread_name(&a, 2), "server");
    CHECK_STR_EQ(ktrace_thread_name(&a, 3), "tcb3");
    CHECK_STR_EQ(ktrace_thread_name(&a, 0), "idle");
    CHECK(ktrace_thread_name(&a, 9) == NULL);
    CHECK_EQ(ktrace_find_thread(&a, 1)->prio, 21);
    CHECK_EQ(ktrace_find_thread(&a, 2)->sc, 1); /* passive: the context it ran on */
    CHECK(ktrace_find_sc(&a, 2)->sporadic);

    static const struct want_interval iv[] = {
        {1, 1, KTRACE_STATE_RUNNING, 0, 50},   {1, 0, KTRACE_STATE_BLOCKED, 50, 80},
        {1, 1, KTRACE_STATE_RUNNING, 80, 200}, {1, 1, KTRACE_STATE_READY, 200, 400},
        {2, 0, KTRACE_STATE_READY, 6, 50},     {2, 1, KTRACE_STATE_RUNNING, 50, 80},
        {2, 0, KTRACE_STATE_BLOCKED, 80, 400}, {3, 0, KTRACE_STATE_BLOCKED, 0, 100},
        {3, 0, KTRACE_STATE_READY, 100, 400},  {4, 2, KTRACE_STATE_THROTTLED, 0, 300},
        {4, 2, KTRACE_STATE_READY, 300, 400},
    };
    check_intervals(&a, iv, COUNT(iv));
    /* Context 1's budget is unknown until the first switch onto it says it. */
    static const struct want_point bp[] = {
        {1, 50, 950},
        {1, 80, 920},
        {1, 200, 800},
        {2, 300, 200},
    };
    check_budget(&a, bp, COUNT(bp));
    CHECK_EQ(a.nwindows, 3);
    CHECK_EQ(a.windows[0].consumed, US(200));
    CHECK_EQ(a.windows[1].consumed, US(150));
    CHECK_EQ(a.windows[2].consumed, US(120));
    CHECK_EQ(a.windows[1].thread, 2);
    CHECK_EQ(a.idle, US(200));
    ktrace_analysis_free(&a);

    /* No frequency anywhere: 1 MHz, and said so. */
    CHECK_EQ(ktrace_analyse(&a, r + 1, n - 1, 0), 0);
    CHECK(a.hz_guessed);
    CHECK_EQ(a.t0, T0); /* the first record's time */
    ktrace_analysis_free(&a);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc((size_t)size + 1);
    size_t got = fread(text, 1, (size_t)size, f);
    text[got] = '\0';
    fclose(f);
    return text;
}

static size_t count_lines(const char *s)
{
    return count_char(s, '\n');
}

static const char *const output_names[] = {
    "events.jsonl", "events.csv",  "intervals.csv", "budget.csv", "windows.csv", "threads.csv",
    "trace.json",   "summary.txt", "labels.gp",     "gantt.csv",  "marks.csv",
};

/* A switch record's aux says how long ago its kernel entry began: the previous run ends
 * there and the next begins there, as the kernel bills the two contexts. */
TEST(runs_split_at_the_kernel_entry)
{
    struct ktrace_record r[16];
    unsigned n = 0;
    r[n++] = rec(0, KTRACE_EV_START, KTRACE_VERSION, 0, 0, 0, HZ);
    r[n++] = rec(0, KTRACE_EV_SC, 0, 0, 1, 1000, 5000);
    r[n++] = rec(0, KTRACE_EV_THREAD, 0, 1, 1, 10, name_chunk("one", 0));
    r[n++] = rec(0, KTRACE_EV_SC, 0, 0, 2, 1000, 5000);
    r[n++] = rec(0, KTRACE_EV_THREAD, 0, 2, 2, 10, name_chunk("two", 0));
    r[n++] = rec(10, KTRACE_EV_SWITCH, 0, 1, 1, US(4), US(1000));
    r[n++] = rec(100, KTRACE_EV_BLOCK, KTRACE_BLOCK_NOTIFICATION, 1, 1, 0, 0);
    r[n++] = rec(104, KTRACE_EV_SWITCH, 0, 2, 2, US(6), US(1000));
    r[n++] = rec(300, KTRACE_EV_SWITCH, 0, 0, 0, US(2), 0);
    r[n++] = rec(400, KTRACE_EV_DOMAIN, 0, 0, 0, 0, 0);
    struct ktrace_analysis a;
    CHECK_EQ(ktrace_analyse(&a, r, n, HZ), 0);
    static const struct {
        uint32_t thread;
        uint64_t start_us, end_us;
    } want[] = {{1, 6, 98}, {2, 98, 298}, {0, 298, 400}};
    CHECK_EQ(a.nruns, COUNT(want));
    for (size_t i = 0; i < a.nruns && i < COUNT(want); i++) {
        CHECK_EQ(a.runs[i].thread, want[i].thread);
        CHECK_EQ(a.runs[i].start, US(want[i].start_us));
        CHECK_EQ(a.runs[i].end, US(want[i].end_us));
    }
    CHECK_EQ(ktrace_find_thread(&a, 1)->running, US(92));
    CHECK_EQ(ktrace_find_thread(&a, 2)->running, US(200));
    CHECK_EQ(a.idle, US(102));
    ktrace_analysis_free(&a);
}

TEST(outputs_written)
{
    struct ktrace_record r[SAMPLE_RECORDS];
    sample_records(r);
    static struct console c;
    con_block(&c, r, SAMPLE_RECORDS, true);
    struct ktrace_log log;
    CHECK_EQ(con_read(&c, "\n", &log), KTRACE_LOG_OK);
    struct ktrace_analysis a;
    CHECK_EQ(ktrace_analyse(&a, log.records, log.count, log.hz), 0);
    char dir[] = "/tmp/ktrace-unit-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    struct ktrace_output o = {
        .dir = dir, .title = "unit \"test\"", .source = "console.log", .log = &log, .analysis = &a};
    FILE *listing = tmpfile();
    CHECK_EQ(ktrace_write_outputs(&o, listing), 0);
    CHECK_EQ(ftell(listing),
             (long)(sizeof(output_names) / sizeof(output_names[0]) * (strlen(dir) + 1) +
                    strlen("events.jsonlevents.csvintervals.csvbudget.csv"
                           "windows.csvthreads.csvtrace.jsonsummary.txt"
                           "labels.gpgantt.csvmarks.csv") +
                    sizeof(output_names) / sizeof(output_names[0])));
    fclose(listing);

    char path[sizeof(dir) + 32];
    char *text[sizeof(output_names) / sizeof(output_names[0])];
    for (size_t i = 0; i < sizeof(output_names) / sizeof(output_names[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, output_names[i]);
        text[i] = slurp(path);
        remove(path);
    }
    rmdir(dir);
    for (size_t i = 0; i < sizeof(output_names) / sizeof(output_names[0]); i++) {
        CHECK(text[i] != NULL);
    }
    CHECK_STR_EQ(text[7], "trace records=28 dropped=0 length_us=4500.000 idle_share=53.11 "
                          "hz=62500000 errors=0\n"
                          "thread id=1 name=\"alpha\" prio=10 sc=1 budget_us=1000 period_us=4000 "
                          "share=31.11 exhausted=1 timeouts=0 faults=0 max_window_us=1010.000\n"
                          "thread id=2 name=\"" NAME_LONG "\" prio=5 sc=2 budget_us=500 "
                          "period_us=2000 share=15.56 exhausted=1 timeouts=1 faults=0 "
                          "max_window_us=500.000\n");
    CHECK_EQ(count_lines(text[0]), SAMPLE_RECORDS);     /* events.jsonl */
    CHECK_EQ(count_lines(text[1]), SAMPLE_RECORDS + 1); /* events.csv and its header */
    CHECK(strncmp(text[2],
                  "thread_id,thread,sc,state,start_us,end_us\n"
                  "1,\"alpha\",1,ready,0.000,10.000\n"
                  "1,\"alpha\",1,running,10.000,400.000\n",
                  strlen("thread_id,thread,sc,state,start_us,end_us\n") + 62) == 0);
    CHECK(strstr(text[3], "\n1,1210.000,0.000\n1,4010.000,0.000\n1,4010.000,1000.000\n") != NULL);
    CHECK(strstr(text[4], "\n1,\"alpha\",600.000,1010.000,1000,4000\n") != NULL);
    CHECK(strstr(text[5], "\n2,\"" NAME_LONG "\",5,2,500,2000,1\n") != NULL);
    CHECK(strncmp(text[6], "{\"traceEvents\":[", 16) == 0);
    CHECK(strstr(text[6], "\"displayTimeUnit\":\"ms\"") != NULL);
    CHECK(strstr(text[6], "\"name\":\"unit \\\"test\\\"\"") != NULL);
    CHECK(strstr(text[6], "\"ph\":\"X\",\"pid\":1,\"tid\":1,\"ts\":10.000,\"dur\":390.000") !=
          NULL);
    CHECK(strstr(text[8], "\nnthreads = 2\n") != NULL);
    CHECK(strstr(text[8], "\ngantt_ytics = '(\"alpha (1 ms, 4 ms)\" 0, \"" NAME_LONG
                          " (0.5 ms, 2 ms)\" 1)'\n") != NULL);
    CHECK(strstr(text[8], "\nsc_ids = \"1 2\"\nnsc = 2\n") != NULL);
    CHECK(strstr(text[8], "\nsc_title_1 = \"alpha: budget 1 ms, period 4 ms\"") != NULL);
    CHECK(strstr(text[9], "\n1,2,blocked,1510.000,2400.000\n") != NULL);
    CHECK(strstr(text[10], "\n0,1,1210.000,exhausted\n") != NULL);
    CHECK(strstr(text[10], "\n1,2,1510.000,timeout\n") != NULL);
    for (size_t i = 0; i < sizeof(output_names) / sizeof(output_names[0]); i++) {
        free(text[i]);
    }
    ktrace_analysis_free(&a);
    ktrace_log_free(&log);
}

/* tests/unit/data/ktrace-sample.log, made by ktrace-sample.py with Python's own base64 and
 * zlib: the codec agrees with them, and the simulated schedule comes out as simulated. */
TEST(sample_console_log)
{
    char *text = slurp(KTRACE_SAMPLE_LOG);
    CHECK(text != NULL);
    struct ktrace_log log;
    int rc = ktrace_log_read(&log, text, strlen(text));
    free(text);
    CHECK_EQ(rc, KTRACE_LOG_OK);
    CHECK_EQ(log.nerrors, 0);
    CHECK(log.count > 0);
    CHECK_EQ(log.count, log.end_records);
    struct ktrace_analysis a;
    CHECK_EQ(ktrace_analyse(&a, log.records, log.count, log.hz), 0);
    const struct ktrace_thread *hog = ktrace_find_thread(&a, 2);
    CHECK(hog != NULL);
    CHECK_STR_EQ(hog->name, "hog");
    CHECK_EQ(hog->exhausted, 10);
    CHECK_EQ(hog->timeouts, 10);
    CHECK_EQ(hog->running, US(20000)); /* 2 ms in each of ten periods */
    CHECK_EQ(ktrace_find_thread(&a, 5)->faults, 1);
    CHECK_EQ(a.length, US(100000));
    ktrace_analysis_free(&a);
    ktrace_log_free(&log);
}
