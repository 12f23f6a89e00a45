/* Kernel invariant checks after every kernel entry (FUZZ=1 builds, CONFIG_KAIROS_INVARIANTS):
 * the capability derivation tree, every reachable CNode, the ready and release queues,
 * endpoint and notification queues, refills, the current thread, replies and donation.
 * The first broken invariant is reported with the last kernel entry and ends QEMU with
 * INVARIANT_FAILED_STATUS. Without the option every hook compiles to nothing. */
#ifndef KERNEL_INVARIANTS_H
#define KERNEL_INVARIANTS_H

#include <stdint.h>

#include "kernel/tcb.h"

/* QEMU's exit status after a failed invariant: the fuzzer and the tests tell it from a
 * test failure (1) and from a kernel exception (also 1). */
#define INVARIANT_FAILED_STATUS 3

/* Corrupts one invariant on purpose, to show the checks catch it (see invariants.c). */
#define KAIROS_SYS_DEBUG_CORRUPT (-73)

/* What the kernel was last entered for, reported with a failed invariant. */
enum invariant_entry {
    INVARIANT_ENTRY_BOOT = 0,
    INVARIANT_ENTRY_SYSCALL,
    INVARIANT_ENTRY_FAULT,
    INVARIANT_ENTRY_INTERRUPT,
};

#ifdef CONFIG_KAIROS_INVARIANTS

/* Kernel entry: t (0 for the idle thread) entered for `kind`; a system call's number and
 * x0..x7 are read from its saved registers. */
void invariants_record_entry(enum invariant_entry kind, const struct tcb *t);
/* Kernel exit, once the next thread is chosen and ks_cur_thread set: checks everything
 * that must hold between kernel entries (the CSpace-wide part at every exit, or less often
 * with CONFIG_KAIROS_INVARIANT_WALK > 1; invariants.c). Does not return if an invariant is
 * broken. */
void invariants_check(void);
/* A TCB is being destroyed: no check may look at its memory from now on. */
void invariants_forget_tcb(const struct tcb *t);
/* KAIROS_SYS_DEBUG_CORRUPT: breaks the invariant selected by t's x0; x0 = 0 if it did,
 * 1 if the state it needs is absent. */
void invariants_debug_corrupt(struct tcb *t);

#define INVARIANTS_RECORD_ENTRY(kind, t) invariants_record_entry((kind), (t))
#define INVARIANTS_CHECK() invariants_check()
#define INVARIANTS_FORGET_TCB(t) invariants_forget_tcb(t)

#else

#define INVARIANTS_RECORD_ENTRY(kind, t) ((void)0)
#define INVARIANTS_CHECK() ((void)0)
#define INVARIANTS_FORGET_TCB(t) ((void)0)

#endif

#endif
