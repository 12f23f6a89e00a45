/* Scheduling-context methods (manual §10.3.6) and binding; see sched_context.h. */
#include "sched/sched_context.h"

#include <sel4/invocation.h>

#include "arch/aarch64/timer.h"
#include "kernel/objects.h"
#include "kernel/notification.h"
#include "kernel/reply.h"
#include "kernel/thread.h"
#include "sched/scheduler.h"

void sched_context_bind_tcb(struct sched_context *sc, struct tcb *t)
{
    sc->tcb = t;
    t->sc = sc;
    sched_thread_changed(t);
}

void sched_context_unbind_tcb(struct sched_context *sc)
{
    struct tcb *t = sc->tcb;
    if (!t) {
        return;
    }
    sched_remove(t);
    t->sc = 0;
    sc->tcb = 0;
}

void sched_context_unbind_notification(struct sched_context *sc)
{
    struct notification *n = sc->notification;
    if (n) {
        n->sc = 0;
        sc->notification = 0;
    }
}

/* The context leaves its call stack: the reply heading it no longer holds a context. */
static void unlink_reply(struct sched_context *sc)
{
    struct reply *r = sc->reply;
    if (r) {
        r->next = 0;
        r->next_is_sc = 0;
        sc->reply = 0;
    }
}

void sched_context_finalise(struct sched_context *sc)
{
    sched_context_unbind_tcb(sc);
    sched_context_unbind_notification(sc);
    unlink_reply(sc);
    if (sc->yield_from) {
        sc->yield_from->yield_to = 0;
        sc->yield_from = 0;
    }
    if (ks_cur_sc == sc) {
        /* The running thread loses its budget with the context; nothing is left to charge. */
        ks_cur_sc = 0;
        ks_consumed = 0;
    }
    sc->q.count = 0;
}

static uint64_t consumed_us(struct sched_context *sc)
{
    uint64_t us = time_ticks_to_us(sc->consumed, timer_frequency());
    sc->consumed = 0;
    return us;
}

/* Manual §10.3.6.6: lend the rest of the caller's turn to the context's thread. If that
 * thread is ready at no lower priority it runs next, the caller right after it, and the
 * caller's reply (the consumed time) waits until then; otherwise the answer is at once. */
static enum exception decode_yield_to(struct invocation *inv, struct sched_context *sc)
{
    struct tcb *caller = inv->thread, *t = sc->tcb;
    if (!t || t == caller || t->priority > caller->mcp || sc->yield_from) {
        return inv_error(seL4_IllegalOperation);
    }
    inv_begin_perform(inv);
    if (t->queued && t->priority >= caller->priority) {
        caller->yield_to = sc;
        sc->yield_from = caller;
        caller->state = THREAD_RUNNING;
        sched_enqueue_head(caller);
        sched_enqueue_head(t);
        return EXCEPTION_NONE;
    }
    if (t->queued) {
        sched_enqueue_head(t);
    }
    inv_reply_mr(inv, 0, consumed_us(sc));
    inv_reply(inv, 1);
    return EXCEPTION_NONE;
}

enum exception sched_context_decode(struct invocation *inv)
{
    struct sched_context *sc = cap_ptr(inv->cap);
    switch (inv->label) {
    case SchedContextBind: {
        if (inv->extra_count < 1) {
            return inv_error(seL4_TruncatedMessage);
        }
        cap_t c = inv->extra[0]->cap;
        if (cap_get_type(c) == cap_thread_cap) {
            struct tcb *t = cap_thread_tcb(c);
            if (sc->tcb || t->sc) {
                return inv_error(seL4_IllegalOperation);
            }
            inv_begin_perform(inv);
            sched_context_bind_tcb(sc, t);
            return EXCEPTION_NONE;
        }
        if (cap_get_type(c) == cap_notification_cap) {
            struct notification *n = cap_ptr(c);
            if (sc->notification || n->sc) {
                return inv_error(seL4_IllegalOperation);
            }
            inv_begin_perform(inv);
            sc->notification = n;
            n->sc = sc;
            return EXCEPTION_NONE;
        }
        return inv_invalid_cap(1);
    }
    case SchedContextUnbind:
        if (sc->tcb && sc->tcb == inv->thread) {
            return inv_error(seL4_IllegalOperation);
        }
        inv_begin_perform(inv);
        sched_context_unbind_tcb(sc);
        sched_context_unbind_notification(sc);
        unlink_reply(sc);
        return EXCEPTION_NONE;
    case SchedContextUnbindObject: {
        if (inv->extra_count < 1) {
            return inv_error(seL4_TruncatedMessage);
        }
        cap_t c = inv->extra[0]->cap;
        if (cap_get_type(c) == cap_thread_cap) {
            struct tcb *t = cap_thread_tcb(c);
            if (sc->tcb != t || t == inv->thread) {
                return inv_error(seL4_IllegalOperation);
            }
            inv_begin_perform(inv);
            /* A context t received by donation goes back to the thread that lent it
             * first: the caller at the bottom of its call stack (manual §10.3.5.3). */
            struct reply *r = sc->reply;
            while (r && r->prev) {
                r = r->prev;
            }
            if (r && r->tcb && r->tcb != t) {
                sched_context_donate(sc, r->tcb);
            } else {
                sched_context_unbind_tcb(sc);
            }
            return EXCEPTION_NONE;
        }
        if (cap_get_type(c) == cap_notification_cap) {
            if (sc->notification != cap_ptr(c)) {
                return inv_error(seL4_IllegalOperation);
            }
            inv_begin_perform(inv);
            sched_context_unbind_notification(sc);
            return EXCEPTION_NONE;
        }
        return inv_invalid_cap(1);
    }
    case SchedContextConsumed:
        inv_begin_perform(inv);
        inv_reply_mr(inv, 0, consumed_us(sc));
        inv_reply(inv, 1);
        return EXCEPTION_NONE;
    case SchedContextYieldTo:
        return decode_yield_to(inv, sc);
    default:
        return inv_error(seL4_IllegalOperation);
    }
}
