/* Endpoints (manual ch. 4): synchronous rendezvous between senders and receivers, with
 * badges, capability grants, Call's reply and the blocking states that go with them. */
#ifndef KERNEL_ENDPOINT_H
#define KERNEL_ENDPOINT_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/ipc_queue.h"
#include "kernel/objects.h"

/* The queue: senders or receivers, whichever the state says (the fastpath uses these too). */
static inline struct tcb *ep_tail(const struct endpoint *ep)
{
    return (struct tcb *)(uintptr_t)(ep->tail_state & ~EP_STATE_MASK);
}

static inline enum ep_state ep_state(const struct endpoint *ep)
{
    return (enum ep_state)(ep->tail_state & EP_STATE_MASK);
}

static inline void ep_set(struct endpoint *ep, struct ipc_queue q, enum ep_state s)
{
    ep->head = q.head;
    ep->tail_state = (uint64_t)(uintptr_t)q.tail | (q.head ? s : EP_IDLE);
}

static inline struct ipc_queue ep_queue(const struct endpoint *ep)
{
    return (struct ipc_queue){ep->head, ep_tail(ep)};
}

static inline void ep_append(struct endpoint *ep, struct tcb *t, enum ep_state s)
{
    struct ipc_queue q = ep_queue(ep);
    ipc_queue_insert(&q, t);
    ep_set(ep, q, s);
}

static inline void ep_remove(struct endpoint *ep, struct tcb *t)
{
    struct ipc_queue q = ep_queue(ep);
    ipc_queue_remove(&q, t);
    ep_set(ep, q, ep_state(ep));
}

/* The first in the queue leaves it (a partner found): cheaper than ep_remove. */
static inline struct tcb *ep_remove_head(struct endpoint *ep)
{
    struct tcb *t = ep->head, *next = t->ep_next;
    ep->head = next;
    if (next) {
        next->ep_prev = 0;
    } else {
        ep->tail_state = EP_IDLE;
    }
    t->ep_next = 0;
    return t;
}

struct send_args {
    uint64_t badge;
    bool can_grant, can_grant_reply;
    bool blocking, is_call, can_donate;
};

void send_ipc(struct tcb *t, struct endpoint *ep, const struct send_args *a);
/* reply: the reply object offered (0 for Wait/NBWait-style receives). */
void receive_ipc(struct tcb *t, struct endpoint *ep, bool blocking, struct reply *reply);
/* Takes a blocked thread out of whatever IPC it waits in; it becomes Inactive. */
void cancel_ipc(struct tcb *t);
/* The endpoint is going: everyone queued on it restarts its system call. */
void cancel_all_ipc(struct endpoint *ep);
void cancel_badged_sends(struct endpoint *ep, uint64_t badge);
/* A thread blocked sending or receiving changed priority: it moves to its new place. */
void endpoint_reorder(struct tcb *t);

#endif
