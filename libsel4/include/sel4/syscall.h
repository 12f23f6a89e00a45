/* sel4/syscall.h — system call numbers, the value placed in x7 before `svc #0`
 * (ABI page §1, MCS column). Host-compilable. */
#pragma once

#include <sel4/macros.h>

/* The debug and benchmark numbers are fixed positions: they keep their values even in a
 * kernel that does not implement them (which then raises an UnknownSyscall fault). */
typedef enum {
    seL4_SysCall = -1,
    seL4_SysReplyRecv = -2,
    seL4_SysNBSendRecv = -3,
    seL4_SysNBSendWait = -4,
    seL4_SysSend = -5,
    seL4_SysNBSend = -6,
    seL4_SysRecv = -7,
    seL4_SysNBRecv = -8,
    seL4_SysWait = -9,
    seL4_SysNBWait = -10,
    seL4_SysYield = -11,
    /* Debug and benchmark numbers exist only where the kernel has the calls (upstream's
     * generated enum does the same); the numbers are fixed whichever are present. */
#ifdef CONFIG_PRINTING
    seL4_SysDebugPutChar = -12,
    seL4_SysDebugDumpScheduler = -13,
#endif
#ifdef CONFIG_DEBUG_BUILD
    seL4_SysDebugHalt = -14,
    seL4_SysDebugCapIdentify = -15,
    seL4_SysDebugSnapshot = -16,
    seL4_SysDebugNameThread = -17,
#endif
#if defined(CONFIG_DEBUG_BUILD) && defined(CONFIG_ENABLE_SMP_SUPPORT)
    seL4_SysDebugSendIPI = -18,
#endif
#ifdef CONFIG_DANGEROUS_CODE_INJECTION
    seL4_SysDebugRun = -19,
#endif
#ifdef CONFIG_ENABLE_BENCHMARKS
    seL4_SysBenchmarkFlushCaches = -20,
    seL4_SysBenchmarkResetLog = -21,
    seL4_SysBenchmarkFinalizeLog = -22,
    seL4_SysBenchmarkSetLogBuffer = -23,
    seL4_SysBenchmarkNullSyscall = -24,
#ifdef CONFIG_BENCHMARK_TRACK_UTILISATION
    seL4_SysBenchmarkGetThreadUtilisation = -25,
    seL4_SysBenchmarkResetThreadUtilisation = -26,
#ifdef CONFIG_DEBUG_BUILD
    seL4_SysBenchmarkDumpAllThreadsUtilisation = -27,
    seL4_SysBenchmarkResetAllThreadsUtilisation = -28,
#endif
#endif
#endif
    /* -29..-31 are x86-only (dangerous MSR access, VMEnter) */
    seL4_SysSetTLSBase = -32, /* CONFIG_SET_TLS_BASE_SELF; unused on AArch64 */
    SEL4_FORCE_LONG_ENUM(seL4_Syscall_ID),
} seL4_Syscall_ID;
