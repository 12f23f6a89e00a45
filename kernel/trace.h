/* The kernel event log (docs/tracing.md): fixed-size records written in order into a 2 MiB
 * frame user space hands over. Built only with CONFIG_KAIROS_TRACE; without it every hook
 * below is an empty macro, so the kernel is the same code as one without the log.
 *
 * Each hook costs one load and a not-taken branch while logging is off. */
#ifndef KERNEL_TRACE_H
#define KERNEL_TRACE_H

#include <kairos/trace_format.h>

#include "kernel/tcb.h"
#include "sched/sched_context.h"

#ifdef CONFIG_KAIROS_TRACE

struct trace_log {
    uint32_t on;    /* checked by every hook: first, so it shares a cache line */
    uint32_t next;  /* index of the next record */
    uint32_t epoch; /* objects described since this start carry it */
    uint32_t next_tcb_id, next_sc_id;
    uint32_t started;          /* a log exists on this buffer (read is allowed) */
    uint64_t dropped;          /* records that did not fit */
    struct ktrace_record *buf; /* the frame, through the kernel window; 0 = none */
    uint64_t frame_paddr;
    const struct tcb *last_tcb; /* what the last switch record named */
    const struct sched_context *last_sc;
};
extern struct trace_log ks_trace;

/* Out of line: the work once logging is on. */
void trace_write(enum ktrace_event ev, uint16_t arg, uint32_t tcb, uint32_t sc, uint32_t aux,
                 uint64_t value);
uint32_t trace_describe_tcb(struct tcb *t);
uint32_t trace_describe_sc(struct sched_context *sc);
/* ev is a KTRACE_EV_*, arg and aux fit their fields: word-sized to keep the path short. */
void trace_thread_event(uint64_t ev, uint64_t arg, struct tcb *t, uint64_t aux, uint64_t value);
void trace_switch(const struct tcb *next, const struct sched_context *sc, ticks_t left);
void trace_state_change(struct tcb *t, enum thread_state from, enum thread_state to);

/* Log ids: an object first mentioned since the last start is described first. */
static inline uint32_t trace_tcb_id(struct tcb *t)
{
    if (!t) {
        return 0;
    }
    return t->trace_epoch == ks_trace.epoch ? t->trace_id : trace_describe_tcb(t);
}
static inline uint32_t trace_sc_id(struct sched_context *sc)
{
    if (!sc) {
        return 0;
    }
    return sc->trace_epoch == ks_trace.epoch ? sc->trace_id : trace_describe_sc(sc);
}

#define TRACE_ON() __builtin_expect(ks_trace.on != 0, 0)

/* An event about thread t (and the context it holds). */
#define TRACE_THREAD(ev, arg, t, aux, value)                                                       \
    do {                                                                                           \
        if (TRACE_ON()) {                                                                          \
            trace_thread_event((ev), (arg), (t), (aux), (value));                                  \
        }                                                                                          \
    } while (0)
/* An event that names no thread or context, or names them itself. */
#define TRACE_EVENT(ev, arg, tcb_id, sc_id, aux, value)                                            \
    do {                                                                                           \
        if (TRACE_ON()) {                                                                          \
            trace_write((ev), (arg), (tcb_id), (sc_id), (aux), (value));                           \
        }                                                                                          \
    } while (0)
#define TRACE_SWITCH(next, sc, left)                                                               \
    do {                                                                                           \
        if (TRACE_ON() && ((next) != ks_trace.last_tcb || (sc) != ks_trace.last_sc)) {             \
            trace_switch((next), (sc), (left));                                                    \
        }                                                                                          \
    } while (0)
#define TRACE_STATE(t, from, to)                                                                   \
    do {                                                                                           \
        if (TRACE_ON()) {                                                                          \
            trace_state_change((t), (from), (to));                                                 \
        }                                                                                          \
    } while (0)
/* A thread was renamed or reprioritised, a context reconfigured: describe it again. */
#define TRACE_REDESCRIBE_TCB(t)                                                                    \
    do {                                                                                           \
        if (TRACE_ON() && (t)->trace_epoch == ks_trace.epoch) {                                    \
            (void)trace_describe_tcb(t);                                                           \
        }                                                                                          \
    } while (0)
#define TRACE_REDESCRIBE_SC(sc)                                                                    \
    do {                                                                                           \
        if (TRACE_ON() && (sc)->trace_epoch == ks_trace.epoch) {                                   \
            (void)trace_describe_sc(sc);                                                           \
        }                                                                                          \
    } while (0)
#define TRACE_TCB_ID(t) trace_tcb_id(t)
#define TRACE_SC_ID(sc) trace_sc_id(sc)

/* The frame at paddr loses its last cap: stop, and never touch it again. */
void trace_frame_final(uint64_t paddr);
/* A TCB is destroyed: a later thread at its address must get a switch record. */
void trace_tcb_destroyed(const struct tcb *t);

/* The system calls (syscall.c): each reads its arguments from and writes its results to
 * the caller's registers. */
void trace_sys_set_log_buffer(struct tcb *t);
void trace_sys_reset_log(struct tcb *t);
void trace_sys_finalize_log(struct tcb *t);
void trace_sys_start(struct tcb *t);
void trace_sys_stop(struct tcb *t);
void trace_sys_read(struct tcb *t);
void trace_sys_mark(struct tcb *t);
void trace_sys_flush_caches(struct tcb *t);

#else

#define TRACE_ON() 0
#define TRACE_THREAD(ev, arg, t, aux, value) ((void)0)
#define TRACE_EVENT(ev, arg, tcb_id, sc_id, aux, value) ((void)0)
#define TRACE_SWITCH(next, sc, left) ((void)0)
#define TRACE_STATE(t, from, to) ((void)0)
#define TRACE_REDESCRIBE_TCB(t) ((void)0)
#define TRACE_REDESCRIBE_SC(sc) ((void)0)
#define TRACE_TCB_ID(t) 0u
#define TRACE_SC_ID(sc) 0u
#define trace_frame_final(paddr) ((void)0)
#define trace_tcb_destroyed(t) ((void)0)

#endif /* CONFIG_KAIROS_TRACE */

#endif
