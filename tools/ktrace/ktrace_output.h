/* ktrace_output.h — writes the converter's files (docs/tracing.md, Host tools) from a read log
 * and its analysis: CSV, JSON lines, Chrome trace-event JSON, the summary and gnuplot data. */
#pragma once

#include <stdio.h>

#include "ktrace_analyse.h"
#include "ktrace_log.h"

struct ktrace_output {
    const char *dir;    /* folder to write into; must exist */
    const char *title;  /* plot and trace title */
    const char *source; /* the console log's name, for comments */
    const struct ktrace_log *log;
    const struct ktrace_analysis *analysis;
};

/* Writes every file into o->dir and prints each one's path to `listing`, one a line. Returns 0,
 * or -1 after a message on stderr when a file could not be written. */
int ktrace_write_outputs(const struct ktrace_output *o, FILE *listing);
