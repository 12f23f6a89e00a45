/* Notifications; see notification.h. */
#include "kernel/notification.h"

#include "kernel/endpoint.h"
#include "kernel/ipc_queue.h"
#include "kernel/message.h"
#include "kernel/reply.h"
#include "kernel/thread.h"
#include "sched/scheduler.h"

/* A signal (or an empty poll) writes the badge register and nothing else (upstream): the
 * other argument registers keep what the thread had in them. */
static void deliver(struct tcb *t, uint64_t badge)
{
    t->ctx.regs[REG_CAP] = badge;
}

/* A passive thread woken by a notification with a context runs on that context until it
 * waits on the notification again (manual §6.1.11). */
static void maybe_lend_context(struct tcb *t, struct notification *n)
{
    if (!t->sc && n->sc && !n->sc->tcb) {
        sched_context_donate(n->sc, t);
    }
}

static void maybe_take_back_context(struct notification *n, struct tcb *t)
{
    if (n->sc && t->sc == n->sc) {
        sched_remove(t);
        t->sc = 0;
        n->sc->tcb = 0;
    }
}

static void queue_remove(struct notification *n, struct tcb *t)
{
    struct ipc_queue q = {n->head, n->tail};
    ipc_queue_remove(&q, t);
    n->head = q.head;
    n->tail = q.tail;
    if (!n->head) {
        n->state = NTFN_IDLE;
    }
}

static void queue_insert(struct notification *n, struct tcb *t)
{
    struct ipc_queue q = {n->head, n->tail};
    ipc_queue_insert(&q, t);
    n->head = q.head;
    n->tail = q.tail;
    n->state = NTFN_WAITING;
}

void notification_reorder(struct tcb *t)
{
    struct notification *n = t->blocking_object;
    queue_remove(n, t);
    queue_insert(n, t);
}

void send_signal(struct notification *n, uint64_t badge)
{
    switch (n->state) {
    case NTFN_IDLE: {
        struct tcb *t = n->bound_tcb;
        if (t && t->state == THREAD_BLOCKED_ON_RECEIVE) {
            cancel_ipc(t);
            deliver(t, badge);
            maybe_lend_context(t, n);
            thread_set_state(t, THREAD_RUNNING);
        } else {
            /* Even an unbadged signal stays pending for the next Wait, as upstream keeps
             * it (manual §5.2 reads otherwise; programs, the seed tutorial among them,
             * rely on upstream). */
            n->state = NTFN_ACTIVE;
            n->badge = badge;
        }
        break;
    }
    case NTFN_WAITING: {
        struct tcb *t = n->head;
        queue_remove(n, t);
        deliver(t, badge);
        maybe_lend_context(t, n);
        thread_set_state(t, THREAD_RUNNING);
        break;
    }
    default:
        n->badge |= badge;
        break;
    }
}

void receive_signal(struct tcb *t, struct notification *n, bool blocking)
{
    if (n->state == NTFN_ACTIVE) {
        deliver(t, n->badge);
        n->badge = 0;
        n->state = NTFN_IDLE;
        maybe_lend_context(t, n);
        return;
    }
    if (!blocking) {
        deliver(t, 0);
        return;
    }
    t->blocking_object = n;
    thread_set_state(t, THREAD_BLOCKED_ON_NOTIFICATION);
    queue_insert(n, t);
    maybe_take_back_context(n, t);
}

void notification_return_context(struct tcb *t)
{
    if (t->bound_notification) {
        maybe_take_back_context(t->bound_notification, t);
    }
}

bool notification_take_bound_signal(struct tcb *t)
{
    struct notification *n = t->bound_notification;
    if (!n || n->state != NTFN_ACTIVE) {
        return false;
    }
    deliver(t, n->badge);
    n->badge = 0;
    n->state = NTFN_IDLE;
    maybe_lend_context(t, n);
    return true;
}

void notification_cancel_wait(struct tcb *t)
{
    queue_remove(t->blocking_object, t);
    thread_set_state(t, THREAD_INACTIVE);
}

void notification_bind(struct notification *n, struct tcb *t)
{
    n->bound_tcb = t;
    t->bound_notification = n;
}

void notification_unbind_tcb(struct tcb *t)
{
    struct notification *n = t->bound_notification;
    if (n) {
        n->bound_tcb = 0;
        t->bound_notification = 0;
    }
}

void notification_finalise(struct notification *n)
{
    if (n->sc) {
        n->sc->notification = 0;
        n->sc = 0;
    }
    if (n->bound_tcb) {
        notification_unbind_tcb(n->bound_tcb);
    }
    /* Waiters restart their Wait and find the cap gone. */
    while (n->head) {
        struct tcb *t = n->head;
        queue_remove(n, t);
        thread_set_state(t, THREAD_RESTART);
    }
    n->state = NTFN_IDLE;
}
