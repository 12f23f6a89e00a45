/* kairos/debug.h — Kairos extensions for the test harness. NOT part of the seL4 ABI: an
 * upstream seL4 kernel answers these with an UnknownSyscall fault. */
#pragma once

#ifndef __aarch64__
#error "kairos/debug.h is for AArch64 targets only"
#endif

#include <sel4/types.h>
#include <sel4/arch/syscall_asm.h>

/* Far below the seL4 numbers (-1..-32) so that no future seL4 system call collides. */
#define KAIROS_SysDebugExit (-64)
#define KAIROS_SysDebugExitWhenIdle (-65)

#ifdef CONFIG_KAIROS_EXIT_CALLS
/* Kernels built with EXIT_CALLS=1 (debug builds, and test and benchmark images): a release
 * kernel answers both with an UnknownSyscall fault.
 *
 * Powers QEMU off with `status` as its exit status (mod 256). Should the kernel return,
 * the request is repeated, so the caller never continues. */
static inline LIBSEL4_NORETURN void kairos_debug_exit(seL4_Word status)
{
    for (;;) {
        (void)kairos_sys_word((seL4_Syscall_ID)KAIROS_SysDebugExit, status);
    }
}

/* Returns at once; the kernel powers QEMU off with `status` at the first timer interrupt it
 * takes while no thread is runnable, which shows the kernel outlived the last thread. */
static inline void kairos_debug_exit_when_idle(seL4_Word status)
{
    (void)kairos_sys_word((seL4_Syscall_ID)KAIROS_SysDebugExitWhenIdle, status);
}
#endif /* CONFIG_KAIROS_EXIT_CALLS */

/* Debug kernels: walks every CNode reachable from the caller's CSpace root and every
 * derivation-tree link, and returns the number of inconsistencies found (0 = well formed);
 * each one is described on the console. */
#define KAIROS_SysDebugCheckConsistency (-66)
static inline seL4_Word kairos_debug_check_consistency(void)
{
    return kairos_sys_word((seL4_Syscall_ID)KAIROS_SysDebugCheckConsistency, 0);
}

/* Debug kernels: how many times a long operation (revoke, delete, untyped reset) stopped
 * at a preemption point for a pending interrupt since boot. */
#define KAIROS_SysDebugPreemptions (-67)
static inline seL4_Word kairos_debug_preemptions(void)
{
    return kairos_sys_word((seL4_Syscall_ID)KAIROS_SysDebugPreemptions, 0);
}

/* Debug kernels: how many Calls and ReplyRecvs the IPC fastpath completed since boot, or
 * KAIROS_NO_FASTPATH if the kernel was built without one (docs/fastpath.md). */
#define KAIROS_SysDebugFastpathCount (-72)
#define KAIROS_NO_FASTPATH (~(seL4_Word)0)
static inline seL4_Word kairos_debug_fastpath_count(void)
{
    return kairos_sys_word((seL4_Syscall_ID)KAIROS_SysDebugFastpathCount, 0);
}

#ifdef CONFIG_KAIROS_INVARIANTS
/* FUZZ=1 kernels (they check their invariants after every entry): breaks the invariant
 * `what` selects on purpose (kernel/invariants.c lists them), so that a test can show the
 * check catches it; the kernel then stops with status 3 at this call's exit. Returns 1 if
 * the state the corruption needs is absent. */
#define KAIROS_SysDebugCorrupt (-73)
static inline seL4_Word kairos_debug_corrupt(seL4_Word what)
{
    return kairos_sys_word((seL4_Syscall_ID)KAIROS_SysDebugCorrupt, what);
}
#endif /* CONFIG_KAIROS_INVARIANTS */
