/* ktrace_windows.h — each context's consumption per one-period window: from every start of a
 * run on a context with a period, the time any thread ran on it in [start, start + period),
 * which a context kept to its budget never exceeds however its runs fall. */
#pragma once

#include <stdbool.h>

#include "ktrace_analyse.h"

/* From a->runs and the contexts' period_us: sets each context's period (ticks) and
 * max_window, and fills a->windows, by context then start. False when out of memory. */
bool ktrace_windows_compute(struct ktrace_analysis *a);
