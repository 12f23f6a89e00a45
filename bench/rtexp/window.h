/* The most a thread ran in any window, from the kernel's event log; see window.c. */
#ifndef BENCH_RTEXP_WINDOW_H
#define BENCH_RTEXP_WINDOW_H

#include <stdint.h>

struct run {
    uint64_t start, end; /* counter ticks */
};

/* A thread's name as the log's first name chunk holds it (8 bytes, NUL-padded). */
uint64_t trace_name_chunk(const char *name);

/* The most, in ticks, the thread named `name` ran in any `window` ticks of the log; runs[]
 * (max entries) is scratch space. */
uint64_t max_window_ticks(uint64_t name, uint64_t window, struct run *runs, uint32_t max);

#endif
