/* kairos/trace.h — the kernel event log (docs/tracing.md), for kernels built with it
 * (CONFIG_KAIROS_TRACE, `make TRACE=1`, the default in debug builds). NOT part of the seL4
 * ABI: a kernel without the log answers these with an UnknownSyscall fault.
 *
 * Hand the kernel a 2 MiB frame with seL4_BenchmarkSetLogBuffer, then start, stop and read
 * the log with the calls below; kairos_trace_dump prints it on the console for the host
 * tools (tools/ktrace). */
#pragma once

#ifndef __aarch64__
#error "kairos/trace.h is for AArch64 targets only"
#endif

#include <kairos/trace_format.h>
#include <sel4/sel4.h>

#ifdef CONFIG_KAIROS_TRACE

#define KAIROS_SysTraceStart (-68)
#define KAIROS_SysTraceStop (-69)
#define KAIROS_SysTraceRead (-70)
#define KAIROS_SysTraceMark (-71)

/* What stop and read report. */
struct kairos_trace_status {
    seL4_Word records; /* written since the start */
    seL4_Word dropped; /* that did not fit in the buffer */
    seL4_Word copied;  /* read only: records now at the start of the IPC buffer's msg[] */
};

/* Records one read copies at most: as many as fit in the IPC buffer's message area. */
#define KAIROS_TRACE_READ_MAX (seL4_MsgMaxLength * sizeof(seL4_Word) / KTRACE_RECORD_BYTES)

/* x0 in; x0 = error and x1..x3 = the status out. */
static inline seL4_Error kairos_trace_call(seL4_Word sys, seL4_Word arg,
                                           struct kairos_trace_status *st)
{
    register seL4_Word x0 __asm__("x0") = arg;
    register seL4_Word x1 __asm__("x1");
    register seL4_Word x2 __asm__("x2");
    register seL4_Word x3 __asm__("x3");
    register seL4_Word x7 __asm__("x7") = sys;
    __asm__ volatile("svc #0" : "+r"(x0), "=r"(x1), "=r"(x2), "=r"(x3) : "r"(x7) : "memory");
    if (st) {
        st->records = x1;
        st->dropped = x2;
        st->copied = x3;
    }
    return (seL4_Error)x0;
}

/* Empties the log and starts it. IllegalOperation: no buffer, or already logging. */
static inline seL4_Error kairos_trace_start(void)
{
    return kairos_trace_call((seL4_Word)KAIROS_SysTraceStart, 0, 0);
}

/* Stops logging; st gets the record and drop counts. IllegalOperation: not logging. */
static inline seL4_Error kairos_trace_stop(struct kairos_trace_status *st)
{
    struct kairos_trace_status tmp;
    seL4_Error e = kairos_trace_call((seL4_Word)KAIROS_SysTraceStop, 0, &tmp);
    if (e == seL4_NoError && st) {
        st->records = tmp.records;
        st->dropped = tmp.dropped;
        st->copied = 0;
    }
    return e;
}

/* Copies up to KAIROS_TRACE_READ_MAX records from index `first` to the caller's IPC buffer
 * (msg[0] on). IllegalOperation: no log since the buffer was set, or no IPC buffer;
 * RangeError: first is past the last record. */
static inline seL4_Error kairos_trace_read(seL4_Word first, struct kairos_trace_status *st)
{
    struct kairos_trace_status tmp;
    seL4_Error e = kairos_trace_call((seL4_Word)KAIROS_SysTraceRead, first, &tmp);
    if (e == seL4_NoError && st) {
        *st = tmp;
    }
    return e;
}

/* The records a read copied, in the IPC buffer. */
static inline const struct ktrace_record *kairos_trace_records(void)
{
    return (const struct ktrace_record *)(void *)seL4_GetIPCBuffer()->msg;
}

/* Logs a mark record with `value` (nothing while the log is stopped). */
static inline void kairos_trace_mark(seL4_Word value)
{
    (void)kairos_trace_call((seL4_Word)KAIROS_SysTraceMark, value, 0);
}

/* Prints the whole log on the console in the stream form tools/ktrace reads (the log may
 * be stopped or running; records written while it prints are not included). Returns the
 * number of records printed, or -1 if the log cannot be read. Nothing else should print
 * while it runs. */
long kairos_trace_dump(void);

#endif /* CONFIG_KAIROS_TRACE */
