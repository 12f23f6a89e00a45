/* The IPC fastpath; see fastpath.h and docs/fastpath.md.
 *
 * Each path first checks, changing nothing, that the slow path would do exactly the simple
 * thing: no caps, a message of at most seL4_MsgMaxLength words (beyond x2..x5 only with
 * both IPC buffers usable), no fault pending, the cap an endpoint with the rights the slow
 * path wants, a partner waiting, the scheduling context donated to a passive server along
 * the Call and returned along the reply, and the partner the thread the scheduler would pick
 * next. Then it performs what the slow path would have, minus the work that provably changes
 * nothing there: no queue is touched (the partner would enter a ready queue and leave it at
 * once), the running context stays the same, so time is neither read nor charged and the
 * timer keeps its deadline (upstream's fastpath does the same).
 *
 * With the event log running every IPC takes the slow path, which records it. */
#include "arch/aarch64/fastpath.h"

#include <sel4/constants.h>
#include <sel4/syscall.h>

#include "arch/aarch64/fpu.h"
#include "arch/aarch64/sysreg.h"
#include "arch/aarch64/vspace.h"
#include "kernel/endpoint.h"
#include "kernel/invariants.h"
#include "kernel/message.h"
#include "kernel/objects.h"
#include "kernel/reply.h"
#include "kernel/thread.h"
#include "kernel/trace.h"
#include "sched/domain.h"
#include "sched/scheduler.h"

#ifdef CONFIG_FASTPATH

/* vectors.S tests these with its own copies of the numbers. */
_Static_assert(seL4_SysCall == -1 && seL4_SysReplyRecv == -2, "fastpath system call numbers");
_Static_assert(ESR_EC_SHIFT == 26 && ESR_EC_SVC64 == 0x15, "vectors.S ESR decoding");

#define CPTR_BITS 64
#define MSGINFO_EXTRA_BITS (MSGINFO_EXTRA_MASK << MSGINFO_EXTRA_SHIFT)
#define MSGINFO_UNWRAPPED_BITS ((uint64_t)MSGINFO_UNWRAPPED_MASK << MSGINFO_UNWRAPPED_SHIFT)

/* One straight path per call: the helpers below exist for reading, not for calling. */
#define FP_INLINE static inline __attribute__((always_inline))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/* traps.c: the slow path, which rereads everything from the saved registers. */
void c_handle_sync_el0(uint64_t esr, uint64_t far) __attribute__((noreturn));

static void __attribute__((noreturn, noinline, cold)) slowpath(void)
{
    c_handle_sync_el0(SYSREG_READ(esr_el1), 0);
}

/* Counted in debug kernels only: a release kernel's fastpath does nothing it need not. */
uint64_t ks_fastpath_count;
#ifdef CONFIG_DEBUG_BUILD
#define COUNT_FASTPATH() (ks_fastpath_count++)
#else
#define COUNT_FASTPATH() ((void)0)
#endif

/* cspace_resolve for a full 64-bit CPtr, or 0 wherever that would fail (the slow path then
 * reports the failure). Each level takes its guard and radix from the top of the bits left. */
static cte_t *__attribute__((noinline)) lookup_levels(cap_t node, uint64_t cptr)
{
    unsigned int n = CPTR_BITS;
    for (;;) {
        unsigned int radix = cap_cnode_radix(node);
        unsigned int level = radix + cap_cnode_guard_size(node);
        if (unlikely(level == 0 || level > n)) {
            return 0;
        }
        /* The low n bits, then the level's top bits of those: guard above the index. */
        uint64_t bits = (cptr & (~0ull >> (CPTR_BITS - n))) >> (n - level);
        if (unlikely((bits >> radix) != cap_cnode_guard(node))) {
            return 0;
        }
        cte_t *s = cap_cnode_slots(node) + (bits & ((1ull << radix) - 1));
        n -= level;
        if (n == 0 || cap_get_type(s->cap) != cap_cnode_cap) {
            return s;
        }
        node = s->cap;
    }
}

/* The usual CSpace first: one CNode whose guard and radix take the whole CPtr. */
FP_INLINE cte_t *lookup_fp(cap_t root, uint64_t cptr)
{
    if (unlikely(cap_get_type(root) != cap_cnode_cap)) {
        return 0;
    }
    unsigned int radix = cap_cnode_radix(root);
    if (unlikely(radix + cap_cnode_guard_size(root) != CPTR_BITS)) {
        return lookup_levels(root, cptr);
    }
    if (unlikely((cptr >> radix) != cap_cnode_guard(root))) {
        return 0;
    }
    return cap_cnode_slots(root) + (cptr & ((1ull << radix) - 1));
}

/* Any of `rights` in an endpoint cap, tested in place. */
FP_INLINE bool has_right(cap_t c, unsigned int rights)
{
    return c.w[0] & ((uint64_t)rights << F_RIGHTS_SHIFT);
}

/* The message fits: no caps, at most seL4_MsgMaxLength words. One test: extraCaps sits just
 * above the length, so any cap makes the low nine bits exceed seL4_MsgMaxLength. */
#define MSGINFO_LENGTH_AND_EXTRA (MSGINFO_EXTRA_BITS | MSGINFO_LENGTH_MASK)
_Static_assert(MSGINFO_LENGTH_MASK < MSGINFO_EXTRA_BITS &&
                   seL4_MsgMaxLength < (1u << MSGINFO_EXTRA_SHIFT),
               "an extra cap makes the length field test fail");
FP_INLINE bool message_ok(uint64_t info)
{
    return (info & MSGINFO_LENGTH_AND_EXTRA) <= seL4_MsgMaxLength;
}

/* Words beyond the registers need both buffers; the slow path would cut the message short
 * without them, so then it is the one to send it. */
FP_INLINE bool buffers_ok(struct tcb *from, struct tcb *to, unsigned int length,
                          const seL4_IPCBuffer **from_buf, seL4_IPCBuffer **to_buf)
{
    if (likely(length <= MSG_REGISTERS_IN_CPU)) {
        return true;
    }
    *from_buf = message_ipc_buffer(from, false);
    *to_buf = message_ipc_buffer(to, true);
    return *from_buf && *to_buf;
}

/* May `to` run now in place of the current thread, as the scheduler would choose it? */
FP_INLINE bool switch_ok(const struct tcb *to)
{
    /* With one domain every thread is in it. */
    bool domain_ok = CONFIG_NUM_DOMAINS == 1 || to->domain == ks_cur_domain;
    return domain_ok && !to->yield_to && !sched_ready_at_or_above(to->priority);
}

/* The partner's TTBR0 as the slow path last computed it, if nothing changed since (vspace.h).
 * That includes the empty table of a thread without a valid VSpace. */
FP_INLINE bool vspace_ok(const struct tcb *to, uint64_t *ttbr)
{
    *ttbr = to->ttbr;
    return to->ttbr_gen == ks_vspace_gen;
}

/* ipc_transfer without caps or faults: exactly `length` words, the label, badge in x0. */
FP_INLINE void copy_message(struct tcb *from, struct tcb *to, uint64_t info, uint64_t badge,
                            const seL4_IPCBuffer *from_buf, seL4_IPCBuffer *to_buf)
{
    unsigned int length = msginfo_length(info);
    uint64_t *src = &from->ctx.regs[MSG_FIRST_CPU_REGISTER];
    uint64_t *dst = &to->ctx.regs[MSG_FIRST_CPU_REGISTER];
    unsigned int i = 0;
    for (; i < length && i < MSG_REGISTERS_IN_CPU; i++) {
        dst[i] = src[i];
    }
    for (; i < length; i++) {
        to_buf->msg[i] = from_buf->msg[i];
    }
    to->ctx.regs[REG_MSG_INFO] = info & ~MSGINFO_UNWRAPPED_BITS;
    to->ctx.regs[REG_CAP] = badge;
}

/* kernel_exit for a partner that is known to be the scheduler's choice. */
FP_INLINE __attribute__((noreturn)) void switch_to(struct tcb *to, uint64_t ttbr)
{
    COUNT_FASTPATH();
    /* The caller's x0..x7 are still as it entered: the fastpath writes only to's registers. */
    INVARIANTS_RECORD_ENTRY(INVARIANT_ENTRY_SYSCALL, ks_cur_thread);
    to->state = THREAD_RUNNING;
    ks_cur_thread = to;
    INVARIANTS_CHECK();
    fpu_switch_to(to);
    /* No isb: the eret below synchronises, and the kernel never uses TTBR0. */
    SYSREG_WRITE(ttbr0_el1, ttbr);
    restore_user_context(&to->ctx);
}

/* hot, flatten: GCC takes a never-returning function for a cold one and would not inline. */
__attribute__((hot, flatten)) void fastpath_call(uint64_t cptr, uint64_t info)
{
    struct tcb *cur = ks_cur_thread;
    unsigned int length = msginfo_length(info);
    if (unlikely(!message_ok(info) || cur->fault.type != FAULT_NULL || TRACE_ON())) {
        slowpath();
    }
    cte_t *slot = lookup_fp(tcb_slot(cur, TCB_CTABLE)->cap, cptr);
    if (unlikely(!slot)) {
        slowpath();
    }
    cap_t c = slot->cap;
    /* Call needs Write to send, and Grant or GrantReply for the caller to wait for a reply
     * (without, it would be left inactive: endpoint.c). */
    if (unlikely(cap_get_type(c) != cap_endpoint_cap || !has_right(c, RIGHT_WRITE) ||
                 !has_right(c, RIGHT_GRANT | RIGHT_GRANT_REPLY))) {
        slowpath();
    }
    struct endpoint *ep = cap_ptr(c);
    if (unlikely(ep_state(ep) != EP_RECV)) {
        slowpath();
    }
    struct tcb *dest = ep->head;
    struct reply *r = dest->reply;
    /* The running thread holds the running context (sched_choose): sc is ks_cur_sc. */
    struct sched_context *sc = cur->sc;
    /* Donation to a passive server that offered a reply object. */
    uint64_t ttbr = 0;
    if (unlikely(!r || dest->sc || !sc || !switch_ok(dest) || !vspace_ok(dest, &ttbr))) {
        slowpath();
    }
    const seL4_IPCBuffer *from_buf = 0;
    seL4_IPCBuffer *to_buf = 0;
    if (unlikely(!buffers_ok(cur, dest, length, &from_buf, &to_buf))) {
        slowpath();
    }

    /* Committed: send_ipc, reply_push and the donation, in the slow path's order. */
    ep_remove_head(ep);
    copy_message(cur, dest, info, cap_badge(c), from_buf, to_buf);

    r->tcb = cur;
    cur->reply = r;
    dest->reply = 0;
    cur->state = THREAD_BLOCKED_ON_REPLY;
    reply_stack_push(sc, r);
    cur->sc = 0;
    sc->tcb = dest;
    dest->sc = sc;
    switch_to(dest, ttbr);
}

__attribute__((hot, flatten)) void fastpath_reply_recv(uint64_t cptr, uint64_t info, uint64_t mr0,
                                                       uint64_t mr1, uint64_t mr2, uint64_t mr3,
                                                       uint64_t reply_cptr)
{
    (void)mr0, (void)mr1, (void)mr2, (void)mr3; /* saved in the context, copied from there */
    struct tcb *cur = ks_cur_thread;
    unsigned int length = msginfo_length(info);
    if (unlikely(!message_ok(info) || cur->fault.type != FAULT_NULL || TRACE_ON())) {
        slowpath();
    }
    cap_t root = tcb_slot(cur, TCB_CTABLE)->cap;
    cte_t *reply_slot = lookup_fp(root, reply_cptr);
    if (unlikely(!reply_slot || cap_get_type(reply_slot->cap) != cap_reply_cap)) {
        slowpath();
    }
    struct reply *r = cap_ptr(reply_slot->cap);
    struct tcb *caller = r->tcb;
    /* The answer to a fault is the slow path's: known before the endpoint is looked up. */
    if (unlikely(!caller || caller->fault.type != FAULT_NULL)) {
        slowpath();
    }
    cte_t *ep_slot = lookup_fp(root, cptr);
    if (unlikely(!ep_slot)) {
        slowpath();
    }
    cap_t c = ep_slot->cap;
    if (unlikely(cap_get_type(c) != cap_endpoint_cap || !has_right(c, RIGHT_READ))) {
        slowpath();
    }
    struct endpoint *ep = cap_ptr(c);
    struct notification *n = cur->bound_notification;
    /* A waiting sender or a pending bound signal is what the receive would take instead. */
    if (unlikely(ep_state(ep) == EP_SEND || (n && n->state == NTFN_ACTIVE))) {
        slowpath();
    }
    struct sched_context *sc = cur->sc;
    uint64_t ttbr = 0;
    /* The reply answers a Call and heads the call stack of the context we run on, which goes
     * back to the caller. */
    if (unlikely(caller->state != THREAD_BLOCKED_ON_REPLY || !sc || !r->next_is_sc ||
                 r->next != sc || caller->sc || !switch_ok(caller) || !vspace_ok(caller, &ttbr))) {
        slowpath();
    }
    const seL4_IPCBuffer *from_buf = 0;
    seL4_IPCBuffer *to_buf = 0;
    if (unlikely(!buffers_ok(cur, caller, length, &from_buf, &to_buf))) {
        slowpath();
    }

    /* Committed: reply_pop, the transfer, then receive_ipc's blocking receive. */
    reply_stack_pop(sc, r);
    cur->sc = 0;
    sc->tcb = caller;
    caller->sc = sc;
    r->prev = 0;
    if (caller->reply == r) {
        caller->reply = 0;
    }
    copy_message(cur, caller, info, 0, from_buf, to_buf);

    cur->blocking_object = ep;
    cur->reply = r;
    r->tcb = cur;
    r->next = 0;
    r->next_is_sc = 0;
    cur->state = THREAD_BLOCKED_ON_RECEIVE;
    ep_append(ep, cur, EP_RECV);
    switch_to(caller, ttbr);
}

#endif /* CONFIG_FASTPATH */
