/* ktrace_windows.c — one-period windows over each context's runs (ktrace_windows.h). A
 * context's runs are disjoint and sorted by start, so with prefix sums of their lengths each
 * window costs one binary search: O(n log n) for the whole log. */
#include <stdlib.h>

#include "ktrace_windows.h"

#define US_PER_S 1000000u
#define GROW_INITIAL 256u

static int by_sc_then_start(const void *pa, const void *pb)
{
    const struct ktrace_run *a = pa, *b = pb;
    if (a->sc != b->sc) {
        return a->sc < b->sc ? -1 : 1;
    }
    return a->start < b->start ? -1 : a->start > b->start;
}

static bool push_window(struct ktrace_analysis *a, size_t *cap, struct ktrace_window w)
{
    if (a->nwindows == *cap) {
        size_t n = *cap ? *cap * 2 : GROW_INITIAL;
        struct ktrace_window *p = realloc(a->windows, n * sizeof(*p));
        if (p == NULL) {
            return false;
        }
        a->windows = p;
        *cap = n;
    }
    a->windows[a->nwindows++] = w;
    return true;
}

/* The windows of runs[0..n), all on sc; prefix has room for n + 1 sums. */
static bool windows_of(struct ktrace_analysis *a, struct ktrace_sc *sc,
                       const struct ktrace_run *runs, size_t n, int64_t *prefix, size_t *cap)
{
    prefix[0] = 0;
    for (size_t i = 0; i < n; i++) {
        prefix[i + 1] = prefix[i] + (runs[i].end - runs[i].start);
    }
    for (size_t i = 0; i < n; i++) {
        int64_t end = runs[i].start + sc->period;
        size_t lo = i, hi = n; /* the last run starting before end is in [lo, hi) */
        while (hi - lo > 1) {
            size_t mid = lo + (hi - lo) / 2;
            if (runs[mid].start < end) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        int64_t last_end = runs[lo].end < end ? runs[lo].end : end;
        int64_t consumed = prefix[lo] - prefix[i] + (last_end - runs[lo].start);
        struct ktrace_window w = {
            .sc = sc->id,
            .thread = runs[i].thread,
            .start = runs[i].start,
            .consumed = consumed,
        };
        if (!push_window(a, cap, w)) {
            return false;
        }
        if (consumed > sc->max_window) {
            sc->max_window = consumed;
        }
    }
    return true;
}

bool ktrace_windows_compute(struct ktrace_analysis *a)
{
    for (size_t k = 0; k < a->nsc; k++) {
        struct ktrace_sc *sc = &a->scs[k];
        unsigned __int128 ticks = (unsigned __int128)sc->period_us * a->hz / US_PER_S;
        sc->period = ticks > INT64_MAX ? INT64_MAX : (int64_t)ticks;
    }
    struct ktrace_run *runs = malloc((a->nruns + 1) * sizeof(*runs));
    int64_t *prefix = malloc((a->nruns + 1) * sizeof(*prefix));
    bool ok = runs != NULL && prefix != NULL;
    size_t n = 0;
    for (size_t i = 0; ok && i < a->nruns; i++) {
        if (a->runs[i].sc != 0) {
            runs[n++] = a->runs[i];
        }
    }
    if (ok) {
        qsort(runs, n, sizeof(*runs), by_sc_then_start);
    }
    size_t cap = 0;
    /* a->scs is sorted by id, as the runs now are: walk both together. */
    size_t k = 0;
    for (size_t i = 0; ok && i < n;) {
        size_t j = i;
        while (j < n && runs[j].sc == runs[i].sc) {
            j++;
        }
        while (k < a->nsc && a->scs[k].id < runs[i].sc) {
            k++;
        }
        if (k < a->nsc && a->scs[k].id == runs[i].sc && a->scs[k].period > 0) {
            ok = windows_of(a, &a->scs[k], runs + i, j - i, prefix, &cap);
        }
        i = j;
    }
    free(runs);
    free(prefix);
    return ok;
}
