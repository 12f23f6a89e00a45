/* Reply objects (MCS, manual §4.2.4, §6.1.11): a Call leaves the caller waiting on the
 * callee's reply object, and when the callee is passive the caller's scheduling context
 * goes with the call. The replies of nested calls form a stack on that context: the head
 * reply returns it, a reply deleted in the middle just leaves the chain. */
#ifndef KERNEL_REPLY_H
#define KERNEL_REPLY_H

#include <stdbool.h>

#include "kernel/objects.h"
#include "sched/sched_context.h"

/* The call stack itself, shared with the fastpath: r goes on top of sc's stack (it heads
 * it: its next is the context), or comes off the top, the reply below heading it again. */
static inline void reply_stack_push(struct sched_context *sc, struct reply *r)
{
    struct reply *old = sc->reply;
    r->prev = old;
    if (old) {
        old->next = r;
        old->next_is_sc = 0;
    }
    r->next = sc;
    r->next_is_sc = 1;
    sc->reply = r;
}
static inline void reply_stack_pop(struct sched_context *sc, struct reply *r)
{
    struct reply *prev = r->prev;
    sc->reply = prev;
    if (prev) {
        prev->next = sc;
        prev->next_is_sc = 1;
    }
}

/* Caller waits on r for callee's answer; with can_donate and a passive callee the
 * caller's context moves to the callee and r becomes the head of its call stack. */
void reply_push(struct tcb *caller, struct tcb *callee, struct reply *r, bool can_donate);
/* The reply is used: r's caller gets its context back if r heads the stack and the caller
 * has no context of its own by now. */
void reply_pop(struct reply *r, struct tcb *caller);
/* The reply or its caller goes away: as pop at the head, else r leaves the chain. */
void reply_remove(struct reply *r, struct tcb *caller);
/* A receiver's offered reply object is detached from it (message arrived or cancelled). */
void reply_unlink(struct reply *r, struct tcb *receiver);
/* Moves a context to a thread that has none (donation and its return); a thread that
 * already has one is left as it is. */
void sched_context_donate(struct sched_context *sc, struct tcb *to);
/* The same for a lent context going back to its lender (the event log tells them apart). */
void sched_context_return(struct sched_context *sc, struct tcb *to);
/* The reply object's last cap goes. */
void reply_finalise(struct reply *r);

#endif
