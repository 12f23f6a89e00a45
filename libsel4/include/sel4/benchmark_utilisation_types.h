/* sel4/benchmark_utilisation_types.h — where seL4_BenchmarkGetThreadUtilisation leaves its
 * results: indexes into the caller's IPC buffer msg[] array. Host-compilable. */
#pragma once

enum benchmark_track_util_ipc_index {
    /* the thread named in the call */
    BENCHMARK_TCB_UTILISATION,           /* cycles spent scheduled */
    BENCHMARK_TCB_NUMBER_SCHEDULES,      /* times scheduled */
    BENCHMARK_TCB_KERNEL_UTILISATION,    /* cycles spent in the kernel */
    BENCHMARK_TCB_NUMBER_KERNEL_ENTRIES, /* kernel entries */
    /* the idle thread */
    BENCHMARK_IDLE_LOCALCPU_UTILISATION,
    BENCHMARK_IDLE_TCBCPU_UTILISATION,
    BENCHMARK_IDLE_NUMBER_SCHEDULES,
    BENCHMARK_IDLE_KERNEL_UTILISATION,
    BENCHMARK_IDLE_NUMBER_KERNEL_ENTRIES,
    /* totals for the current core over the measured period */
    BENCHMARK_TOTAL_UTILISATION,
    BENCHMARK_TOTAL_NUMBER_SCHEDULES,
    BENCHMARK_TOTAL_KERNEL_UTILISATION,
    BENCHMARK_TOTAL_NUMBER_KERNEL_ENTRIES,
};
