/* The most one thread ran in any window of a given length, from the kernel's event log
 * (docs/tracing.md): the isolation experiment's proof that an overrunning task never gets
 * more than its budget in any window of its period. Runs are split where the kernel bills
 * them: a switch record's time less its aux, the start of the kernel entry that switched. */
#include "window.h"

#include <kairos/trace.h>

#ifdef CONFIG_KAIROS_TRACE

#define NAME_BYTE_BITS 8u

/* The runs of the thread whose name's first log chunk is `name`, in log order. */
static uint32_t collect_runs(uint64_t name, struct run *runs, uint32_t max)
{
    struct kairos_trace_status st;
    uint32_t target = 0, n = 0, running = 0;
    uint64_t since = 0;
    for (seL4_Word first = 0;; first += st.copied) {
        if (kairos_trace_read(first, &st) != seL4_NoError || st.copied == 0) {
            return n;
        }
        const struct ktrace_record *r = kairos_trace_records();
        for (seL4_Word k = 0; k < st.copied; k++) {
            if (r[k].event == KTRACE_EV_THREAD && r[k].arg == 0 && r[k].value == name) {
                target = r[k].tcb;
            }
            if (r[k].event != KTRACE_EV_SWITCH) {
                continue;
            }
            uint64_t entry = r[k].time - r[k].aux;
            if (running && target && running == target && n < max) {
                runs[n++] = (struct run){since, entry};
            }
            running = r[k].tcb;
            since = entry;
        }
    }
}

uint64_t trace_name_chunk(const char *name)
{
    uint64_t v = 0;
    for (unsigned int b = 0; b < sizeof(v) && name[b]; b++) {
        v |= (uint64_t)(uint8_t)name[b] << (b * NAME_BYTE_BITS);
    }
    return v;
}

uint64_t max_window_ticks(uint64_t name, uint64_t window, struct run *runs, uint32_t max)
{
    uint32_t n = collect_runs(name, runs, max);
    uint64_t best = 0;
    /* The most in [s, s + window) is reached with s at the start of a run. */
    for (uint32_t i = 0; i < n; i++) {
        uint64_t end = runs[i].start + window, sum = 0;
        for (uint32_t j = i; j < n && runs[j].start < end; j++) {
            sum += (runs[j].end < end ? runs[j].end : end) - runs[j].start;
        }
        best = sum > best ? sum : best;
    }
    return best;
}

#endif
