/* The kernel event log; see trace.h and docs/tracing.md. */
#include "kernel/trace.h"

#ifdef CONFIG_KAIROS_TRACE

#include <sel4/constants.h>
#include <sel4/errors.h>

#include "arch/aarch64/cache.h"
#include "arch/aarch64/timer.h"
#include "kernel/cap.h"
#include "kernel/console.h"
#include "kernel/cspace.h"
#include "kernel/kptr.h"
#include "kernel/message.h"
#include "kernel/objects.h"
#include "kernel/thread.h"
#include "lib/string.h"
#include "sched/domain.h"
#include "sched/scheduler.h"
#include "sched/time.h"

struct trace_log ks_trace;

/* Never equal to a thread or context: the first exit after a start writes a switch. */
#define NOT_AN_OBJECT ((const void *)~(uintptr_t)0)
#define NAME_CHUNK_BYTES 8u
#define NAME_CHUNKS (TCB_NAME_LEN / NAME_CHUNK_BYTES)
#define BUDGET_US_MAX UINT32_MAX
/* seL4_BenchmarkFlushCaches' x0 and, for L1 only, x1's seL4_ARM_CacheType bits. */
#define FLUSH_L1_ONLY 1u
#define CACHE_TYPE_I 1u
#define CACHE_TYPE_D 2u
#define L1_LEVELS 1u

/* The counter without the ISB timer_now() has: a record may be stamped a few instructions
 * early, and the log stays cheap. */
static inline uint64_t stamp(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, cntvct_el0" : "=r"(v));
    return v;
}

/* A record as four words, so that it goes out in two pair stores. */
struct record_words {
    uint64_t time, head, ids, value;
};
_Static_assert(sizeof(struct record_words) == sizeof(struct ktrace_record), "record words");
#define HEAD_ARG_SHIFT 16
#define HEAD_TCB_SHIFT 32
#define IDS_AUX_SHIFT 32

/* Word-sized arguments: narrower ones would cost an extension each on this path. */
static inline __attribute__((always_inline)) void put(uint64_t ev, uint64_t arg, uint64_t tcb,
                                                      uint64_t sc, uint64_t aux, uint64_t value)
{
    uint32_t i = ks_trace.next;
    if (__builtin_expect(i >= KTRACE_CAPACITY, 0)) {
        ks_trace.dropped++;
        return;
    }
    struct record_words *r = (struct record_words *)&ks_trace.buf[i];
    r->time = stamp();
    r->head = ev | arg << HEAD_ARG_SHIFT | tcb << HEAD_TCB_SHIFT;
    r->ids = sc | aux << IDS_AUX_SHIFT;
    r->value = value;
    ks_trace.next = i + 1;
}

void trace_write(enum ktrace_event ev, uint16_t arg, uint32_t tcb, uint32_t sc, uint32_t aux,
                 uint64_t value)
{
    put(ev, arg, tcb, sc, aux, value);
}

static uint32_t us32(ticks_t ticks)
{
    uint64_t us = time_ticks_to_us(ticks, timer_frequency());
    return us > BUDGET_US_MAX ? BUDGET_US_MAX : (uint32_t)us;
}

uint32_t trace_describe_sc(struct sched_context *sc)
{
    if (sc->trace_epoch != ks_trace.epoch) {
        sc->trace_epoch = ks_trace.epoch;
        sc->trace_id = ++ks_trace.next_sc_id;
    }
    const struct refill_queue *q = &sc->q;
    trace_write(KTRACE_EV_SC, q->sporadic, 0, sc->trace_id, us32(q->budget),
                time_ticks_to_us(q->period, timer_frequency()));
    return sc->trace_id;
}

uint32_t trace_describe_tcb(struct tcb *t)
{
    if (t->trace_epoch != ks_trace.epoch) {
        t->trace_epoch = ks_trace.epoch;
        t->trace_id = ++ks_trace.next_tcb_id;
    }
    uint32_t sc = trace_sc_id(t->sc);
    for (unsigned int k = 0; k < NAME_CHUNKS; k++) {
        const char *chunk = &t->name[k * NAME_CHUNK_BYTES];
        if (k > 0 && !chunk[0]) {
            break;
        }
        uint64_t v = 0;
        for (unsigned int b = 0; b < NAME_CHUNK_BYTES && chunk[b]; b++) {
            v |= (uint64_t)(uint8_t)chunk[b] << (b * 8u);
        }
        trace_write(KTRACE_EV_THREAD, (uint16_t)k, t->trace_id, sc, t->priority, v);
    }
    return t->trace_id;
}

/* Describes first; out of line, so that the common path below saves no registers. */
static __attribute__((noinline)) void
thread_event_undescribed(uint64_t ev, uint64_t arg, struct tcb *t, uint64_t aux, uint64_t value)
{
    uint32_t id = trace_tcb_id(t);
    put(ev, arg, id, trace_sc_id(t ? t->sc : 0), aux, value);
}

void trace_thread_event(uint64_t ev, uint64_t arg, struct tcb *t, uint64_t aux, uint64_t value)
{
    uint32_t epoch = ks_trace.epoch;
    struct sched_context *sc = t ? t->sc : 0;
    if (__builtin_expect((t && t->trace_epoch != epoch) || (sc && sc->trace_epoch != epoch), 0)) {
        thread_event_undescribed(ev, arg, t, aux, value);
        return;
    }
    put(ev, arg, t ? t->trace_id : 0, sc ? sc->trace_id : 0, aux, value);
}

void trace_switch(const struct tcb *next, const struct sched_context *sc, ticks_t left)
{
    ks_trace.last_tcb = next;
    ks_trace.last_sc = sc;
    /* The hooks take const pointers; describing writes only the log fields. */
    uint32_t id = trace_tcb_id((struct tcb *)next);
    uint32_t scid = trace_sc_id((struct sched_context *)sc);
    /* aux: how long ago this kernel entry began. The new context is charged from then, the
     * previous one up to then, so a reader can split time as the kernel bills it. */
    uint64_t since_entry = stamp() - ks_cur_time;
    put(KTRACE_EV_SWITCH, ks_cur_domain, id, scid,
        since_entry > UINT32_MAX ? UINT32_MAX : since_entry, left);
}

static uint16_t block_kind(enum thread_state s)
{
    switch (s) {
    case THREAD_BLOCKED_ON_RECEIVE:
        return KTRACE_BLOCK_RECEIVE;
    case THREAD_BLOCKED_ON_SEND:
        return KTRACE_BLOCK_SEND;
    case THREAD_BLOCKED_ON_REPLY:
        return KTRACE_BLOCK_REPLY;
    case THREAD_BLOCKED_ON_NOTIFICATION:
        return KTRACE_BLOCK_NOTIFICATION;
    default:
        return KTRACE_BLOCK_INACTIVE;
    }
}

static bool state_runnable(enum thread_state s)
{
    return s == THREAD_RUNNING || s == THREAD_RESTART;
}

void trace_state_change(struct tcb *t, enum thread_state from, enum thread_state to)
{
    bool was = state_runnable(from), is = state_runnable(to);
    if (!is && to != from) {
        bool waits = to != THREAD_INACTIVE && to != THREAD_BLOCKED_ON_REPLY;
        /* The object's physical address: user space can relate it to its untypeds. */
        uint64_t object = waits && t->blocking_object ? paddr_from_ptr(t->blocking_object) : 0;
        trace_thread_event(KTRACE_EV_BLOCK, block_kind(to), t, 0, object);
    } else if (is && !was) {
        uint32_t by = ks_cur_thread && ks_cur_thread != t ? trace_tcb_id(ks_cur_thread) : 0;
        trace_thread_event(KTRACE_EV_UNBLOCK, block_kind(from), t, by, 0);
    }
}

void trace_frame_final(uint64_t paddr)
{
    if (ks_trace.buf && paddr == ks_trace.frame_paddr) {
        ks_trace.on = 0;
        ks_trace.started = 0;
        ks_trace.buf = 0;
        ks_trace.frame_paddr = 0;
    }
}

void trace_tcb_destroyed(const struct tcb *t)
{
    if (ks_trace.last_tcb == t) {
        ks_trace.last_tcb = NOT_AN_OBJECT;
    }
}

/* ---- System calls ------------------------------------------------------------------------ */

static void set_result(struct tcb *t, seL4_Error e)
{
    t->ctx.regs[CTX_X0] = (uint64_t)e;
}

static bool buffer_cap_ok(cap_t c)
{
    return cap_get_type(c) == cap_frame_cap && cap_frame_size(c) == FRAME_2M &&
           !cap_frame_is_device(c) && cap_frame_rights(c) == VM_READ_WRITE;
}

void trace_sys_set_log_buffer(struct tcb *t)
{
    cte_t *slot;
    unsigned int rest;
    struct lookup_fault f;
    if (ks_trace.on) {
        kprintf_user_error("kairos: seL4_BenchmarkSetLogBuffer: still logging; stop first\n");
        set_result(t, seL4_IllegalOperation);
        return;
    }
    if (!cspace_resolve(tcb_slot(t, TCB_CTABLE)->cap, t->ctx.regs[CTX_X0], seL4_WordBits, &slot,
                        &rest, &f) ||
        !buffer_cap_ok(slot->cap)) {
        kprintf_user_error(
            "kairos: seL4_BenchmarkSetLogBuffer: not a writable 2 MiB RAM frame cap\n");
        set_result(t, seL4_IllegalOperation);
        return;
    }
    ks_trace.frame_paddr = cap_paddr(slot->cap);
    ks_trace.buf = ptr_from_paddr(ks_trace.frame_paddr);
    ks_trace.started = 0;
    ks_trace.next = 0;
    ks_trace.dropped = 0;
    set_result(t, seL4_NoError);
}

static void start(void)
{
    /* Epoch 0 is what a new object holds: it must never look described. */
    if (++ks_trace.epoch == 0) {
        ks_trace.epoch = 1;
    }
    ks_trace.next = 0;
    ks_trace.dropped = 0;
    ks_trace.next_tcb_id = 0;
    ks_trace.next_sc_id = 0;
    ks_trace.last_tcb = NOT_AN_OBJECT;
    ks_trace.last_sc = NOT_AN_OBJECT;
    ks_trace.started = 1;
    ks_trace.on = 1;
    trace_write(KTRACE_EV_START, KTRACE_VERSION, 0, 0, 0, timer_frequency());
}

void trace_sys_start(struct tcb *t)
{
    if (!ks_trace.buf || ks_trace.on) {
        kprintf_user_error("kairos: kairos_trace_start: %s\n",
                           ks_trace.buf ? "already logging" : "no log buffer set");
        set_result(t, seL4_IllegalOperation);
        return;
    }
    start();
    set_result(t, seL4_NoError);
}

void trace_sys_reset_log(struct tcb *t)
{
    if (!ks_trace.buf) {
        set_result(t, seL4_IllegalOperation);
        return;
    }
    start();
    set_result(t, seL4_NoError);
}

static void report_counts(struct tcb *t)
{
    t->ctx.regs[CTX_X0 + 1] = ks_trace.next;
    t->ctx.regs[CTX_X0 + 2] = ks_trace.dropped;
}

void trace_sys_stop(struct tcb *t)
{
    if (!ks_trace.on) {
        set_result(t, seL4_IllegalOperation);
        return;
    }
    ks_trace.on = 0;
    set_result(t, seL4_NoError);
    report_counts(t);
}

void trace_sys_finalize_log(struct tcb *t)
{
    ks_trace.on = 0;
    t->ctx.regs[CTX_X0] = ks_trace.next;
}

#define READ_RECORDS (sizeof(((seL4_IPCBuffer *)0)->msg) / KTRACE_RECORD_BYTES)

void trace_sys_read(struct tcb *t)
{
    uint64_t first = t->ctx.regs[CTX_X0];
    seL4_IPCBuffer *buf = message_ipc_buffer(t, true);
    if (!ks_trace.buf || !ks_trace.started || !buf) {
        set_result(t, seL4_IllegalOperation);
        return;
    }
    if (first > ks_trace.next) {
        set_result(t, seL4_RangeError);
        return;
    }
    uint64_t n = ks_trace.next - first;
    if (n > READ_RECORDS) {
        n = READ_RECORDS;
    }
    memcpy(buf->msg, &ks_trace.buf[first], n * KTRACE_RECORD_BYTES);
    set_result(t, seL4_NoError);
    report_counts(t);
    t->ctx.regs[CTX_X0 + 3] = n;
}

void trace_sys_mark(struct tcb *t)
{
    TRACE_THREAD(KTRACE_EV_MARK, 0, t, 0, t->ctx.regs[CTX_X0]);
    set_result(t, seL4_NoError);
}

void trace_sys_flush_caches(struct tcb *t)
{
    uint64_t which = t->ctx.regs[CTX_X0], type = t->ctx.regs[CTX_X0 + 1];
    if (which == FLUSH_L1_ONLY) {
        if (type & CACHE_TYPE_D) {
            cache_flush_data_levels(L1_LEVELS);
        }
        if (type & CACHE_TYPE_I) {
            cache_invalidate_instructions();
        }
        return;
    }
    cache_flush_data_levels(CACHE_ALL_LEVELS);
    cache_invalidate_instructions();
}

#endif /* CONFIG_KAIROS_TRACE */
