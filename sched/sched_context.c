/* Scheduling-context methods (manual §10.3.6), as decode/invoke pairs, and binding; see
 * sched_context.h. */
#include "sched/sched_context.h"

#include <sel4/invocation.h>

#include "arch/aarch64/timer.h"
#include "kernel/message.h"
#include "kernel/objects.h"
#include "kernel/notification.h"
#include "kernel/reply.h"
#include "kernel/thread.h"
#include "sched/scheduler.h"

bool sc_released(const struct sched_context *sc)
{
    return sc_active(sc) && refill_ready(&sc->q, ks_cur_time);
}

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

void sched_context_complete_yield_to(struct tcb *t)
{
    struct sched_context *sc = t->yield_to;
    t->yield_to = 0;
    sc->yield_from = 0;
    /* Written as the answer to a Call (upstream does the same whatever the call was). */
    message_set_mr(t, message_ipc_buffer(t, true), 0, consumed_us(sc));
    t->ctx.regs[REG_CAP] = 0;
    t->ctx.regs[REG_MSG_INFO] = msginfo_make(0, 0, 0, 1);
}

/* Bind and UnbindObject name a thread or a notification. */
struct sc_object {
    struct tcb *tcb;
    struct notification *notification;
};

static enum exception decode_bind(const struct invocation *inv, struct sched_context *sc,
                                  struct sc_object *op)
{
    if (inv->extra_count < 1) {
        return inv_error(seL4_TruncatedMessage);
    }
    cap_t c = inv->extra[0]->cap;
    if (cap_get_type(c) == cap_thread_cap) {
        op->tcb = cap_thread_tcb(c);
        if (sc->tcb || op->tcb->sc) {
            return inv_error(seL4_IllegalOperation);
        }
        /* Manual §10.3.5.1: a blocked thread only gets a context that is schedulable. */
        return thread_is_blocked(op->tcb) && !sc_released(sc) ? inv_error(seL4_IllegalOperation)
                                                               : EXCEPTION_NONE;
    }
    if (cap_get_type(c) == cap_notification_cap) {
        op->notification = cap_ptr(c);
        return sc->notification || op->notification->sc ? inv_error(seL4_IllegalOperation)
                                                         : EXCEPTION_NONE;
    }
    return inv_invalid_cap(1);
}

static void invoke_bind(struct sched_context *sc, const struct sc_object *op)
{
    if (op->tcb) {
        sched_context_bind_tcb(sc, op->tcb);
    } else {
        sc->notification = op->notification;
        op->notification->sc = sc;
    }
}

static enum exception decode_unbind(const struct invocation *inv, const struct sched_context *sc)
{
    return sc->tcb && sc->tcb == inv->thread ? inv_error(seL4_IllegalOperation) : EXCEPTION_NONE;
}

static void invoke_unbind(struct sched_context *sc)
{
    sched_context_unbind_tcb(sc);
    sched_context_unbind_notification(sc);
    unlink_reply(sc);
}

static enum exception decode_unbind_object(const struct invocation *inv,
                                           const struct sched_context *sc, struct sc_object *op)
{
    if (inv->extra_count < 1) {
        return inv_error(seL4_TruncatedMessage);
    }
    cap_t c = inv->extra[0]->cap;
    if (cap_get_type(c) == cap_thread_cap) {
        op->tcb = cap_thread_tcb(c);
        return sc->tcb != op->tcb || op->tcb == inv->thread ? inv_error(seL4_IllegalOperation)
                                                             : EXCEPTION_NONE;
    }
    if (cap_get_type(c) == cap_notification_cap) {
        op->notification = cap_ptr(c);
        return sc->notification != op->notification ? inv_error(seL4_IllegalOperation)
                                                    : EXCEPTION_NONE;
    }
    return inv_invalid_cap(1);
}

static void invoke_unbind_object(struct sched_context *sc, const struct sc_object *op)
{
    if (!op->tcb) {
        sched_context_unbind_notification(sc);
        return;
    }
    /* A context the thread received by donation goes back to the thread that lent it
     * first, the caller at the bottom of its call stack (manual §10.3.5.3), unless that
     * thread has been given another context meanwhile. */
    struct reply *r = sc->reply;
    while (r && r->prev) {
        r = r->prev;
    }
    if (r && r->tcb && r->tcb != op->tcb && !r->tcb->sc) {
        sched_context_return(sc, r->tcb);
    } else {
        sched_context_unbind_tcb(sc);
    }
}

static void invoke_consumed(struct invocation *inv, struct sched_context *sc)
{
    inv_reply_mr(inv, 0, consumed_us(sc));
    inv_reply(inv, 1);
}

/* Manual §10.3.6.6: lend the rest of the caller's turn to the context's thread. */
static enum exception decode_yield_to(const struct invocation *inv, const struct sched_context *sc)
{
    const struct tcb *caller = inv->thread, *t = sc->tcb;
    if (!t || t == caller || t->priority > caller->mcp) {
        return inv_error(seL4_IllegalOperation);
    }
    return EXCEPTION_NONE;
}

/* If the context's thread is ready at no lower priority it runs next, the caller right
 * after it, and the caller's reply (the consumed time) waits until then; otherwise the
 * answer is at once. A yield to this context still waiting for its answer gets it now
 * (upstream), so the new one can take its place. */
static void invoke_yield_to(struct invocation *inv, struct sched_context *sc)
{
    struct tcb *caller = inv->thread, *t = sc->tcb;
    if (sc->yield_from) {
        sched_context_complete_yield_to(sc->yield_from);
    }
    if (t->queued && t->priority >= caller->priority) {
        caller->yield_to = sc;
        sc->yield_from = caller;
        caller->state = THREAD_RUNNING;
        sched_enqueue_head(caller);
        sched_enqueue_head(t);
        return;
    }
    if (t->queued) {
        sched_enqueue_head(t);
    }
    inv_reply_mr(inv, 0, consumed_us(sc));
    inv_reply(inv, 1);
}

enum exception sched_context_invocation(struct invocation *inv)
{
    struct sched_context *sc = cap_ptr(inv->cap);
    struct sc_object op = {0};
    enum exception st;
    switch (inv->label) {
    case SchedContextBind:
        st = decode_bind(inv, sc, &op);
        if (st == EXCEPTION_NONE) {
            inv_begin_perform(inv);
            invoke_bind(sc, &op);
        }
        return st;
    case SchedContextUnbind:
        st = decode_unbind(inv, sc);
        if (st == EXCEPTION_NONE) {
            inv_begin_perform(inv);
            invoke_unbind(sc);
        }
        return st;
    case SchedContextUnbindObject:
        st = decode_unbind_object(inv, sc, &op);
        if (st == EXCEPTION_NONE) {
            inv_begin_perform(inv);
            invoke_unbind_object(sc, &op);
        }
        return st;
    case SchedContextConsumed:
        inv_begin_perform(inv);
        invoke_consumed(inv, sc);
        return EXCEPTION_NONE;
    case SchedContextYieldTo:
        st = decode_yield_to(inv, sc);
        if (st == EXCEPTION_NONE) {
            inv_begin_perform(inv);
            invoke_yield_to(inv, sc);
        }
        return st;
    default:
        return inv_error(seL4_IllegalOperation);
    }
}
