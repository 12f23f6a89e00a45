/* The wait queues of endpoints and notifications (MCS, as upstream): a doubly linked list
 * through ep_next/ep_prev, highest priority first and first-come first-served among equal
 * priorities. A thread is in at most one such queue (the object it is blocked on). */
#ifndef KERNEL_IPC_QUEUE_H
#define KERNEL_IPC_QUEUE_H

#include "kernel/tcb.h"

struct ipc_queue {
    struct tcb *head, *tail;
};

/* Behind every queued thread of t's priority or higher: a linear walk from the tail, which
 * is where a thread of the lowest queued priority stops at once. */
static inline void ipc_queue_insert(struct ipc_queue *q, struct tcb *t)
{
    struct tcb *after = q->tail;
    while (after && after->priority < t->priority) {
        after = after->ep_prev;
    }
    struct tcb *before = after ? after->ep_next : q->head;
    t->ep_prev = after;
    t->ep_next = before;
    if (after) {
        after->ep_next = t;
    } else {
        q->head = t;
    }
    if (before) {
        before->ep_prev = t;
    } else {
        q->tail = t;
    }
}

static inline void ipc_queue_remove(struct ipc_queue *q, struct tcb *t)
{
    if (t->ep_prev) {
        t->ep_prev->ep_next = t->ep_next;
    } else {
        q->head = t->ep_next;
    }
    if (t->ep_next) {
        t->ep_next->ep_prev = t->ep_prev;
    } else {
        q->tail = t->ep_prev;
    }
    t->ep_next = t->ep_prev = 0;
}

#endif
