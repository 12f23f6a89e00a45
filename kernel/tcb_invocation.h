/* TCB methods (manual §10.3.5) and the thread operations other objects use. */
#ifndef KERNEL_TCB_INVOCATION_H
#define KERNEL_TCB_INVOCATION_H

#include <stdint.h>

#include "kernel/invocation.h"

/* Decodes a TCB invocation and, if it is valid, performs it (EXCEPTION_PREEMPTED: replacing
 * one of the TCB's caps stopped at a preemption point and the call restarts). */
enum exception tcb_invocation(struct invocation *inv);
/* Resume: a stopped thread restarts where it stopped (its FaultIP). */
void tcb_restart(struct tcb *t);
void tcb_suspend(struct tcb *t);
void tcb_set_priority(struct tcb *t, uint8_t prio);
/* What a user may put in SPSR: the condition flags only. */
uint64_t tcb_sanitise_spsr(uint64_t v);

#endif
