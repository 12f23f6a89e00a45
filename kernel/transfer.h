/* Moving a message between threads (manual §4.1–4.2.3): message registers, capabilities
 * with unwrapping, fault messages, and replies (including replies to faults, which restart
 * the faulting thread with registers from the reply, ABI §4.2). */
#ifndef KERNEL_TRANSFER_H
#define KERNEL_TRANSFER_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/objects.h"

/* The sender's message (or its fault) to the receiver, with the badge. */
void ipc_transfer(struct tcb *sender, struct endpoint *ep, uint64_t badge, bool grant,
                  struct tcb *receiver);
/* A non-blocking receive found nothing: badge 0, no other register written (upstream). */
void transfer_nothing(struct tcb *t);
/* The replier answers whoever waits on r (seL4_Send on a reply cap, ReplyRecv). */
void reply_transfer(struct tcb *replier, struct reply *r, bool grant);

#endif
