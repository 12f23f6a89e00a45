/* Faults a thread can raise, with the message they carry (manual §6.2, ABI §4.1–4.2). */
#ifndef KERNEL_FAULT_H
#define KERNEL_FAULT_H

#include <stdint.h>

#include "kernel/fault_types.h"
#include "kernel/tcb.h"

#define FAULT_MSG_MAX 13

/* Builds the fault message registers of ABI §4.2 for t; returns the length. */
unsigned int fault_message(const struct tcb *t, const struct fault *f, uint64_t mr[FAULT_MSG_MAX]);
/* Raises the fault: delivered like a Call on the thread's fault endpoint (badge
 * included); with no valid handler the thread becomes inactive and the console says why. */
void fault_raise(struct tcb *t, const struct fault *f);
/* A thread ran out of budget and has a timeout endpoint (manual §6.1.13.2). */
void fault_raise_timeout(struct tcb *t, uint64_t badge, uint64_t consumed_us, bool has_sc);
/* An endpoint the thread may send faults on: Write plus Grant or GrantReply (manual
 * §6.1.13; the one check for fault and timeout handlers). */
bool fault_handler_valid(cap_t c);
const char *fault_type_name(enum fault_type type);

#endif
