/* State and helper threads the IPC test files share (ipc.c, ipc_messages.c,
 * ipc_notifications.c): what the root task hands the threads, what they received, and
 * the receivers, senders, callers and one-shot server most tests use.
 * systest: needs a debug kernel */
#ifndef IPC_SHARED_H
#define IPC_SHARED_H

#include "ipc_util.h"

#define N 4

/* What the root task hands the threads. */
struct ipc_cfg {
    seL4_CPtr ep, ep2, ntfn, go;
    seL4_CPtr send[N];  /* the cap thread i sends or calls through */
    seL4_CPtr reply[N]; /* thread i's reply object */
    seL4_CPtr caps[3];  /* extra caps of a cap-transfer sender */
    seL4_Word ncaps;
};
extern volatile struct ipc_cfg cfg;
extern volatile struct msg got[N];      /* what thread i received */
extern volatile int ready[N], steps[N]; /* thread i is about to block; how far it got */

void reset(void);
/* Receives one message on cfg.ep with reply object cfg.reply[i] into got[i]. */
void receiver(seL4_Word i);
/* Sends sender i's message through cfg.send[i]. */
void sender(seL4_Word i);
/* Calls through cfg.send[i] with sender i's message; the reply goes to got[i]. */
void caller(seL4_Word i);
/* The reply to request i: label 0x55, MR0 = the request's MR0 + 1, MR1 = 0xbeef. */
void check_reply(volatile struct msg *m, seL4_Word i);
seL4_MessageInfo_t set_reply(seL4_Word request_mr0);
/* Receives one call into got[i], waits for cfg.go, then answers through the reply object. */
void server_once(seL4_Word i);
/* A thread's non-blocking receive finds nothing: NBRecv (which = 0) or NBWait (1) on
 * cfg.ep, Poll (2) or NBWait (3) on cfg.ntfn. */
bool finds_nothing(seL4_Word which);

#endif
