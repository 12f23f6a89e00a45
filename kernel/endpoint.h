/* Endpoints (manual ch. 4): synchronous rendezvous between senders and receivers, with
 * badges, capability grants, Call's reply and the blocking states that go with them. */
#ifndef KERNEL_ENDPOINT_H
#define KERNEL_ENDPOINT_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/objects.h"

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
