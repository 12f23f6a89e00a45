/* Endpoints; see endpoint.h. A blocked thread's TCB records the endpoint and how it sends;
 * the queue is ordered by priority, FIFO among equals (ipc_queue.h). */
#include "kernel/endpoint.h"

#include "kernel/notification.h"
#include "kernel/reply.h"
#include "kernel/thread.h"
#include "kernel/transfer.h"
#include "sched/scheduler.h"

void endpoint_reorder(struct tcb *t)
{
    struct endpoint *ep = t->blocking_object;
    enum ep_state s = ep_state(ep);
    ep_remove(ep, t);
    ep_append(ep, t, s);
}

/* After a Call (or a fault, which is delivered as one) the sender waits for the reply if
 * the receiver offered a reply object and the sender may grant one; otherwise it stops. */
static void sender_after_transfer(struct tcb *sender, struct tcb *receiver, struct reply *reply,
                                  bool is_call, bool can_grant, bool can_grant_reply,
                                  bool can_donate)
{
    if (is_call || sender->fault.type != FAULT_NULL) {
        if (reply && (can_grant || can_grant_reply)) {
            reply_push(sender, receiver, reply, can_donate);
        } else {
            thread_set_state(sender, THREAD_INACTIVE);
        }
    } else if (can_donate && sender->sc && !receiver->sc) {
        /* NBSendRecv to a passive receiver: the context goes with the message. */
        sched_context_donate(sender->sc, receiver);
    }
}

void send_ipc(struct tcb *t, struct endpoint *ep, const struct send_args *a)
{
    if (ep_state(ep) != EP_RECV) {
        if (a->blocking) {
            t->blocking_object = ep;
            t->blocking_badge = a->badge;
            t->blocking_can_grant = a->can_grant;
            t->blocking_can_grant_reply = a->can_grant_reply;
            t->blocking_is_call = a->is_call;
            thread_set_state(t, THREAD_BLOCKED_ON_SEND);
            ep_append(ep, t, EP_SEND);
        }
        return;
    }
    struct tcb *dest = ep_remove_head(ep);
    struct reply *reply = dest->reply;
    if (reply) {
        reply_unlink(reply, dest);
    }
    ipc_transfer(t, ep, a->badge, a->can_grant, dest);
    thread_set_state(dest, THREAD_RUNNING);
    sender_after_transfer(t, dest, reply, a->is_call, a->can_grant, a->can_grant_reply,
                          a->can_donate);
}

void receive_ipc(struct tcb *t, struct endpoint *ep, bool blocking, struct reply *reply)
{
    if (reply && reply->tcb && reply->tcb != t) {
        /* The reply object still serves someone else: that exchange is cancelled. */
        struct tcb *other = reply->tcb;
        if (other->state == THREAD_BLOCKED_ON_REPLY) {
            reply_remove(reply, other);
            thread_set_state(other, THREAD_INACTIVE);
        } else {
            cancel_ipc(other);
        }
    }
    if (notification_take_bound_signal(t)) {
        return;
    }
    if (ep_state(ep) != EP_SEND) {
        if (!blocking) {
            transfer_nothing(t);
            return;
        }
        t->blocking_object = ep;
        t->reply = reply;
        if (reply) {
            reply->tcb = t;
        }
        thread_set_state(t, THREAD_BLOCKED_ON_RECEIVE);
        ep_append(ep, t, EP_RECV);
        notification_return_context(t);
        return;
    }
    struct tcb *sender = ep_remove_head(ep);
    ipc_transfer(sender, ep, sender->blocking_badge, sender->blocking_can_grant, t);
    if (sender->sc && sender->sc->q.sporadic && sender->sc != ks_cur_sc) {
        refill_unblock_check(&sender->sc->q, ks_cur_time, sched_min_budget());
    }
    if (sender->blocking_is_call || sender->fault.type != FAULT_NULL) {
        sender_after_transfer(sender, t, reply, true, sender->blocking_can_grant,
                              sender->blocking_can_grant_reply, sender->sc != 0);
    } else {
        thread_set_state(sender, THREAD_RUNNING);
    }
}

void cancel_ipc(struct tcb *t)
{
    switch (t->state) {
    case THREAD_BLOCKED_ON_SEND:
    case THREAD_BLOCKED_ON_RECEIVE:
        ep_remove(t->blocking_object, t);
        if (t->reply) {
            reply_unlink(t->reply, t);
        }
        t->fault.type = FAULT_NULL;
        thread_set_state(t, THREAD_INACTIVE);
        break;
    case THREAD_BLOCKED_ON_NOTIFICATION:
        notification_cancel_wait(t);
        break;
    case THREAD_BLOCKED_ON_REPLY:
        if (t->reply) {
            reply_remove(t->reply, t);
        }
        t->fault.type = FAULT_NULL;
        thread_set_state(t, THREAD_INACTIVE);
        break;
    default:
        break;
    }
}

/* Queued threads go back to Restart: they re-execute their system call and find out. */
void cancel_all_ipc(struct endpoint *ep)
{
    while (ep->head) {
        struct tcb *t = ep->head;
        ep_remove(ep, t);
        if (t->reply) {
            reply_unlink(t->reply, t);
        }
        if (t->fault.type == FAULT_NULL) {
            thread_set_state(t, THREAD_RESTART);
        } else {
            thread_set_state(t, THREAD_INACTIVE);
        }
    }
}

void cancel_badged_sends(struct endpoint *ep, uint64_t badge)
{
    if (ep_state(ep) != EP_SEND) {
        return;
    }
    for (struct tcb *t = ep->head, *next; t; t = next) {
        next = t->ep_next;
        if (t->blocking_badge == badge) {
            ep_remove(ep, t);
            thread_set_state(t, t->fault.type == FAULT_NULL ? THREAD_RESTART : THREAD_INACTIVE);
        }
    }
}
