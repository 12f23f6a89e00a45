/* System-call dispatch by number (x7), ABI §1. */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#include <stdint.h>

#include "kernel/invocation.h"
#include "kernel/tcb.h"

/* Kairos extensions for test harnesses, outside upstream's numbering: the exit calls in
 * kernels built with EXIT_CALLS=1 (CONFIG_KAIROS_EXIT_CALLS), the others in debug kernels. */
#define KAIROS_SYS_DEBUG_EXIT (-64)
#define KAIROS_SYS_DEBUG_EXIT_WHEN_IDLE (-65)
#define KAIROS_SYS_DEBUG_CHECK_CONSISTENCY (-66)
#define KAIROS_SYS_DEBUG_PREEMPTIONS (-67)
#define KAIROS_SYS_DEBUG_FASTPATH_COUNT (-72)
/* The event log (CONFIG_KAIROS_TRACE; docs/tracing.md). */
#define KAIROS_SYS_TRACE_START (-68)
#define KAIROS_SYS_TRACE_STOP (-69)
#define KAIROS_SYS_TRACE_READ (-70)
#define KAIROS_SYS_TRACE_MARK (-71)

/* EXCEPTION_PREEMPTED: an interrupt is pending; the call restarts after it. */
enum exception syscall_handle(struct tcb *t, int64_t number);

#endif
