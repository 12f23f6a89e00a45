/* Notifications (manual ch. 5): signal, wait and poll on a word of badge bits, binding to a
 * TCB so that a thread waiting on an endpoint also receives signals (§5.3), and a bound
 * scheduling context lent to a passive waiter (§6.1.11). */
#ifndef KERNEL_NOTIFICATION_H
#define KERNEL_NOTIFICATION_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/objects.h"

void send_signal(struct notification *n, uint64_t badge);
void receive_signal(struct tcb *t, struct notification *n, bool blocking);
/* A thread about to wait on an endpoint takes a pending signal of its bound notification
 * instead; true if it did. */
bool notification_take_bound_signal(struct tcb *t);
void notification_cancel_wait(struct tcb *t);
/* A waiting thread changed priority: it moves to its new place in the queue. */
void notification_reorder(struct tcb *t);
/* A thread running on its bound notification's context blocks: the context goes back. */
void notification_return_context(struct tcb *t);
void notification_bind(struct notification *n, struct tcb *t);
void notification_unbind_tcb(struct tcb *t);
void notification_finalise(struct notification *n);

#endif
