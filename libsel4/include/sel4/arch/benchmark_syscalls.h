/* sel4/arch/benchmark_syscalls.h — the benchmarking system calls of a benchmark kernel
 * (manual §10.2.4) for AArch64, declared only for one (CONFIG_ENABLE_BENCHMARKS, as
 * upstream; the utilisation calls also need CONFIG_BENCHMARK_TRACK_UTILISATION). Kairos
 * kernels are not built with them yet, so by default nothing here is declared. */
#pragma once

#ifndef __aarch64__
#error "sel4/arch/benchmark_syscalls.h is for AArch64 targets only"
#endif

#include <sel4/types.h>
#include <sel4/arch/syscall_asm.h>

#ifdef CONFIG_ENABLE_BENCHMARKS

/* x0 selects the flush: 0 = all caches, 1 = the L1 caches named by x1 (a seL4_ARM_CacheType). */
#define SEL4_BENCHMARK_FLUSH_ALL 0
#define SEL4_BENCHMARK_FLUSH_L1 1

LIBSEL4_INLINE_FUNC seL4_Error seL4_BenchmarkResetLog(void)
{
    return (seL4_Error)kairos_sys_word(seL4_SysBenchmarkResetLog, 0);
}

/* Returns the index of the final log entry. */
LIBSEL4_INLINE_FUNC seL4_Word seL4_BenchmarkFinalizeLog(void)
{
    return kairos_sys_word(seL4_SysBenchmarkFinalizeLog, 0);
}

/* frame_cptr: a large (2 MiB) non-device frame for the kernel's log. */
LIBSEL4_INLINE_FUNC seL4_Error seL4_BenchmarkSetLogBuffer(seL4_Word frame_cptr)
{
    return (seL4_Error)kairos_sys_word(seL4_SysBenchmarkSetLogBuffer, frame_cptr);
}

LIBSEL4_INLINE_FUNC void seL4_BenchmarkNullSyscall(void)
{
    kairos_sys_null(seL4_SysBenchmarkNullSyscall);
}

LIBSEL4_INLINE_FUNC void seL4_BenchmarkFlushCaches(void)
{
    kairos_sys_send_null(seL4_SysBenchmarkFlushCaches, SEL4_BENCHMARK_FLUSH_ALL, 0);
}

LIBSEL4_INLINE_FUNC void seL4_BenchmarkFlushL1Caches(seL4_Word cache_type)
{
    kairos_sys_send_null(seL4_SysBenchmarkFlushCaches, SEL4_BENCHMARK_FLUSH_L1, cache_type);
}

#ifdef CONFIG_BENCHMARK_TRACK_UTILISATION
/* Results land in the caller's IPC buffer at enum benchmark_track_util_ipc_index. */
LIBSEL4_INLINE_FUNC void seL4_BenchmarkGetThreadUtilisation(seL4_Word tcb_cptr)
{
    (void)kairos_sys_word(seL4_SysBenchmarkGetThreadUtilisation, tcb_cptr);
}

LIBSEL4_INLINE_FUNC void seL4_BenchmarkResetThreadUtilisation(seL4_Word tcb_cptr)
{
    (void)kairos_sys_word(seL4_SysBenchmarkResetThreadUtilisation, tcb_cptr);
}

#ifdef CONFIG_DEBUG_BUILD
LIBSEL4_INLINE_FUNC void seL4_BenchmarkDumpAllThreadsUtilisation(void)
{
    (void)kairos_sys_word(seL4_SysBenchmarkDumpAllThreadsUtilisation, 0);
}

LIBSEL4_INLINE_FUNC void seL4_BenchmarkResetAllThreadsUtilisation(void)
{
    (void)kairos_sys_word(seL4_SysBenchmarkResetAllThreadsUtilisation, 0);
}
#endif /* CONFIG_DEBUG_BUILD */
#endif /* CONFIG_BENCHMARK_TRACK_UTILISATION */
#endif /* CONFIG_ENABLE_BENCHMARKS */
