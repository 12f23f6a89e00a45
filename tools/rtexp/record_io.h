/* record_io.h — sets.jsonl: one flat JSON object per set, the record of what was generated and
 * what the analysis says, written by `rtexp gen` and read back by `rtexp merge`. Per-task
 * values are arrays indexed by task (highest priority first), so every line stays a flat
 * object:
 *   {"id":0,"batch":0,"kind":"rta","u_point":0.05,"u":0.0503,"factor":1,"enforce":true,
 *    "overrun_task":null,"ntasks":5,"run_us":91234,"c_us":[...],"t_us":[...],"d_us":[...],
 *    "prio":[...],"budget_us":[...],"run_pct":[...],"rta_ns":[...],"rta_ovh_ns":[...],
 *    "sched_rta":true,"sched_rta_ovh":true,"ll":true,"hyperbolic":true,
 *    "ovh_release_ns":0,"ovh_switch_ns":0}
 * A task RTA finds unschedulable has null in rta_ns or rta_ovh_ns. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "record.h"

#define RECORD_LINE_MAX 4096 /* a 16-task line is about 1.5 KiB */

/* The set's fields, comma-separated, without the braces: sets.jsonl puts braces around them,
 * results.jsonl appends the results first. */
void record_write_fields(FILE *f, const struct record_set *set);

/* One sets.jsonl line, with its newline. */
void record_write_line(FILE *f, const struct record_set *set);

/* Parses one line (the results fields of a results.jsonl line are ignored). false, with
 * err, when a field is missing, of the wrong type or out of range. */
bool record_parse(const char *line, size_t len, struct record_set *set, char *err, size_t errlen);

/* A whole sets.jsonl: ids must run 0, 1, 2, ... *sets is malloc'ed. false, with err naming
 * the path and line. */
bool record_read_file(const char *path, struct record_set **sets, uint32_t *nsets, char *err,
                      size_t errlen);
