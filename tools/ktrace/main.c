/* ktrace: converts the event log in a Kairos console log (docs/tracing.md) into CSV, JSON lines,
 * a Chrome trace-event file, a summary and the data the gnuplot scripts tools/ktrace-*.gp plot. */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../hostio.h"
#include "ktrace_analyse.h"
#include "ktrace_log.h"
#include "ktrace_output.h"

enum exit_status {
    EXIT_CLEAN = 0,
    EXIT_DAMAGED = 1, /* converted, but the stream had errors */
    EXIT_USAGE = 2,   /* also: unreadable input, no stream, unwritable output */
};

#define TITLE_MAX 512

static void usage(FILE *out)
{
    fprintf(out,
            "usage: ktrace [-o DIR] [--title TEXT] CONSOLE.LOG\n"
            "\n"
            "Convert the last `@ktrace begin` block of a Kairos console log (\"-\": standard\n"
            "input) into events.jsonl, events.csv, intervals.csv, budget.csv, windows.csv,\n"
            "threads.csv, trace.json (Perfetto, chrome://tracing), summary.txt, and labels.gp,\n"
            "gantt.csv and marks.csv for tools/ktrace-{gantt,budget,windows}.gp, then print\n"
            "the paths written. See docs/tracing.md.\n"
            "\n"
            "  -o, --output DIR  folder to write into, made if missing (default: .)\n"
            "      --title TEXT  title of the plots and the trace (default: \"Kairos trace:\n"
            "                    CONSOLE.LOG\")\n"
            "  -h, --help        show this help\n"
            "\n"
            "Exit status: 0 converted cleanly; 1 converted every intact record of a damaged or\n"
            "truncated stream (each error on stderr as LOG:LINE: what); 2 usage error, no\n"
            "`@ktrace begin` line, or a file that could not be read or written.\n");
}

/* The stream's errors and the analysis' doubts, on stderr; whether there were any. */
static bool report(const char *name, const struct ktrace_log *log, const struct ktrace_analysis *a)
{
    for (size_t i = 0; i < log->nerrors; i++) {
        fprintf(stderr, "%s:%lu: %s\n", name, log->errors[i].line, log->errors[i].text);
    }
    bool damaged = log->nerrors > 0;
    if (a->hz_guessed) {
        fprintf(stderr,
                "%s:%lu: no timer frequency in the begin line or a START record, 1 MHz "
                "assumed\n",
                name, log->begin_line);
        damaged = true;
    }
    if (a->ignored > 0) {
        fprintf(stderr, "%s:%lu: %zu records name ids of %u or more, left out of the analysis\n",
                name, log->begin_line, a->ignored, (unsigned)KTRACE_ID_LIMIT);
        damaged = true;
    }
    uint64_t dropped = ktrace_log_dropped(log);
    if (dropped > 0) {
        fprintf(stderr, "%s: note: the kernel dropped %llu records (its buffer was full)\n", name,
                (unsigned long long)dropped);
    }
    return damaged;
}

int main(int argc, char **argv)
{
    static const struct option options[] = {
        {"output", required_argument, NULL, 'o'},
        {"title", required_argument, NULL, 't'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *dir = ".";
    const char *title = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "o:h", options, NULL)) != -1) {
        switch (c) {
        case 'o':
            dir = optarg;
            break;
        case 't':
            title = optarg;
            break;
        case 'h':
            usage(stdout);
            return EXIT_CLEAN;
        default:
            usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (optind != argc - 1 || dir[0] == '\0') {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *path = argv[optind];
    bool from_stdin = strcmp(path, "-") == 0;
    const char *name = from_stdin ? "<stdin>" : path;

    FILE *in = from_stdin ? stdin : fopen(path, "rb");
    if (in == NULL) {
        fprintf(stderr, "ktrace: %s: %s\n", path, strerror(errno));
        return EXIT_USAGE;
    }
    size_t len;
    char *text = hostio_read_stream(in, &len);
    if (!from_stdin) {
        fclose(in);
    }
    if (text == NULL) {
        fprintf(stderr, "ktrace: %s: cannot read it\n", name);
        return EXIT_USAGE;
    }

    struct ktrace_log log;
    int rc = ktrace_log_read(&log, text, len);
    free(text);
    if (rc == KTRACE_LOG_NO_BEGIN) {
        fprintf(stderr, "%s: no \"%s\" line: no event log in it\n", name, KTRACE_STREAM_BEGIN);
        return EXIT_USAGE;
    }
    struct ktrace_analysis analysis;
    if (rc != KTRACE_LOG_OK || ktrace_analyse(&analysis, log.records, log.count, log.hz) != 0) {
        fprintf(stderr, "ktrace: out of memory\n");
        if (rc == KTRACE_LOG_OK) {
            ktrace_log_free(&log);
        }
        return EXIT_USAGE;
    }
    bool damaged = report(name, &log, &analysis);

    char default_title[TITLE_MAX];
    if (title == NULL) {
        snprintf(default_title, sizeof(default_title), "Kairos trace: %s", name);
        title = default_title;
    }
    struct ktrace_output out = {
        .dir = dir,
        .title = title,
        .source = name,
        .log = &log,
        .analysis = &analysis,
    };
    int status = damaged ? EXIT_DAMAGED : EXIT_CLEAN;
    if (!hostio_make_dirs(dir)) {
        fprintf(stderr, "ktrace: %s: cannot make the folder\n", dir);
        status = EXIT_USAGE;
    } else if (ktrace_write_outputs(&out, stdout) != 0) {
        status = EXIT_USAGE;
    }
    ktrace_analysis_free(&analysis);
    ktrace_log_free(&log);
    return status;
}
