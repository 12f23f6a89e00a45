/* Preemption points: long operations (revoke, delete of a CNode, clearing untyped
 * memory) count their work and, every PREEMPT_WORK_UNITS units, give up if an interrupt
 * is waiting. They leave consistent state; the system call restarts later and continues. */
#ifndef KERNEL_PREEMPT_H
#define KERNEL_PREEMPT_H

#include <stdbool.h>
#include <stdint.h>

#define PREEMPT_WORK_UNITS 100

void preempt_reset(void);
/* How many times an operation stopped for an interrupt since boot (debug statistics). */
uint64_t preempt_count(void);
/* True when the caller must stop and return EXCEPTION_PREEMPTED. */
bool preempt_point(void);

#endif
