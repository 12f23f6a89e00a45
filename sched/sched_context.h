/* Scheduling-context objects (manual §6.1.8–6.1.11): a header of bookkeeping, then the
 * refill queue, whose entries fill the rest of the 2^size_bits object. The header is 96
 * bytes so that a 128-byte context (seL4_MinSchedContextBits) holds exactly two refills
 * and every 16 further bytes one more, as ABI §2.2 says. */
#ifndef SCHED_SCHED_CONTEXT_H
#define SCHED_SCHED_CONTEXT_H

#include <sel4/constants.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/invocation.h"
#include "sched/refill.h"

struct tcb;
struct notification;
struct reply;

struct sched_context {
    struct tcb *tcb;            /* bound or donated-to thread */
    struct notification *notification; /* bound notification: lent to passive waiters */
    struct reply *reply;               /* the reply heading this context's call stack */
    struct tcb *yield_from;     /* a thread waiting in YieldTo for this context */
    uint64_t badge;             /* reported in timeout faults */
    uint64_t consumed;          /* ticks charged since the last report */
    uint64_t size_bits;         /* object size, for the refill capacity */
    /* Free in the ABI's header; the event log keeps the context's id there. */
    union {
        uint64_t reserved;
        struct {
            uint32_t trace_epoch, trace_id;
        };
    };
    struct refill_queue q;      /* refills follow: the tail of the object */
};

#define SC_HEADER_BYTES 96
_Static_assert(offsetof(struct sched_context, q) + offsetof(struct refill_queue, r) == SC_HEADER_BYTES,
               "refills start at byte 96: 2 in a 128-byte context (ABI §2.2)");
_Static_assert(SC_HEADER_BYTES + 2 * sizeof(struct refill) == seL4_CoreSchedContextBytes,
               "seL4_CoreSchedContextBytes");

#define MIN_REFILLS 2

/* A context with parameters (SchedControl has configured it). */
static inline bool sc_active(const struct sched_context *sc) { return sc && sc->q.count > 0; }
/* Configured, with its head refill usable now: a thread given it could run at once. */
bool sc_released(const struct sched_context *sc);
static inline uint32_t sc_capacity(const struct sched_context *sc)
{
    return refill_capacity((unsigned int)sc->size_bits, SC_HEADER_BYTES);
}

/* Decode a SchedContext / SchedControl invocation and, if it is valid, perform it. */
enum exception sched_context_invocation(struct invocation *inv);
enum exception sched_control_invocation(struct invocation *inv);

/* Binding, as SchedContext_Bind and TCB_Configure/SetSchedParams do it; both must be free. */
void sched_context_bind_tcb(struct sched_context *sc, struct tcb *t);
void sched_context_unbind_tcb(struct sched_context *sc);
void sched_context_unbind_notification(struct sched_context *sc);
/* A YieldTo that t made has come back to it (t runs again, or another thread yields to the
 * same context): t's answer carries the context's consumed time (manual §10.3.5.5). */
void sched_context_complete_yield_to(struct tcb *t);
/* The last cap to the context is going: unbind everything it is attached to. */
void sched_context_finalise(struct sched_context *sc);

#endif
