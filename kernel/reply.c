/* Reply objects and scheduling-context donation; see reply.h. */
#include "kernel/reply.h"

#include "kernel/endpoint.h"
#include "kernel/thread.h"
#include "kernel/trace.h"
#include "sched/scheduler.h"

static void move_context(struct sched_context *sc, struct tcb *to, enum ktrace_event ev)
{
    if (to->sc) {
        return; /* a thread holds one context at most: callers check, this keeps it so */
    }
    struct tcb *from = sc->tcb;
    (void)ev; /* only the event log tells a donation from a return */
    TRACE_EVENT(ev, 0, TRACE_TCB_ID(to), TRACE_SC_ID(sc), TRACE_TCB_ID(from), 0);
    if (from) {
        sched_remove(from);
        from->sc = 0;
    }
    sc->tcb = to;
    to->sc = sc;
    sched_thread_changed(to);
}

void sched_context_donate(struct sched_context *sc, struct tcb *to)
{
    move_context(sc, to, KTRACE_EV_DONATE);
}

void sched_context_return(struct sched_context *sc, struct tcb *to)
{
    move_context(sc, to, KTRACE_EV_RETURN);
}

void reply_push(struct tcb *caller, struct tcb *callee, struct reply *r, bool can_donate)
{
    struct sched_context *sc = caller->sc;
    r->tcb = caller;
    caller->reply = r;
    thread_set_state(caller, THREAD_BLOCKED_ON_REPLY);
    if (sc && can_donate && !callee->sc) {
        reply_stack_push(sc, r);
        sched_context_donate(sc, callee);
    }
}

static void clear(struct reply *r, struct tcb *caller)
{
    r->tcb = 0;
    r->prev = 0;
    r->next = 0;
    r->next_is_sc = 0;
    if (caller && caller->reply == r) {
        caller->reply = 0;
    }
}

void reply_pop(struct reply *r, struct tcb *caller)
{
    if (r->next_is_sc && r->next) {
        struct sched_context *sc = r->next;
        reply_stack_pop(sc, r);
        /* A caller given another context while it waited keeps that one, and the donated
         * context stays with whoever holds it (upstream reply_pop). */
        if (!caller->sc) {
            sched_context_return(sc, caller);
        }
    }
    clear(r, caller);
}

void reply_remove(struct reply *r, struct tcb *caller)
{
    if (r->next_is_sc) {
        reply_pop(r, caller);
        return;
    }
    /* In the middle of a chain: the neighbours close up; the context stays put. */
    struct reply *next = r->next, *prev = r->prev;
    if (next) {
        next->prev = prev;
    }
    if (prev) {
        prev->next = next;
        prev->next_is_sc = 0;
    }
    clear(r, caller);
}

void reply_unlink(struct reply *r, struct tcb *receiver)
{
    r->tcb = 0;
    if (receiver->reply == r) {
        receiver->reply = 0;
    }
}

void reply_finalise(struct reply *r)
{
    struct tcb *t = r->tcb;
    if (!t) {
        return;
    }
    if (t->state == THREAD_BLOCKED_ON_REPLY) {
        reply_remove(r, t);
        thread_set_state(t, THREAD_INACTIVE);
    } else if (t->state == THREAD_BLOCKED_ON_RECEIVE) {
        cancel_ipc(t);
    }
}
