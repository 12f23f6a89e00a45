/* The MCS scheduler (manual §6.1.6–6.1.12): 256 priorities, FIFO within a priority, a
 * release queue of threads waiting for their next refill, and a one-shot timer programmed
 * for the earlier of the running context's budget end and the next release. */
#ifndef SCHED_SCHEDULER_H
#define SCHED_SCHEDULER_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/aarch64/timer.h"
#include "kernel/tcb.h"
#include "sched/sched_context.h"
#include "sched/time.h"

#define NUM_PRIORITIES 256

/* One priority's ready threads, FIFO through sched_next/sched_prev. */
struct sched_ready_queue {
    struct tcb *head, *tail;
};

extern struct sched_context *ks_cur_sc;
extern ticks_t ks_cur_time;
extern ticks_t ks_consumed;

/* Minimum budget and period, 2 x the kernel's WCET (ABI §3.5 note), in ticks and µs. */
#define KERNEL_WCET_US 10u
#define MIN_BUDGET_US (2 * KERNEL_WCET_US)
ticks_t sched_min_budget(void);
/* Boot, once the timer is set up: converts the fixed budgets above to ticks. */
void sched_init(void);
uint64_t sched_max_period_us(void);

/* Kernel entry: account the time since the last entry to the running context. */
static inline __attribute__((always_inline)) void sched_update_time(void)
{
    ticks_t now = timer_now();
    if (ks_cur_sc) {
        ks_consumed += now - ks_cur_time;
    }
    ks_cur_time = now;
}
/* The kernel's WCET in ticks: what a context must have left to finish a kernel entry. */
extern ticks_t ks_entry_budget_ticks;
/* The out-of-budget half of sched_check_budget: charges the running context and moves its
 * thread on; always false. */
bool sched_budget_exhausted(void);
/* Is the running context's head refill still enough to finish this kernel entry (the
 * kernel's WCET beyond what was used)? If not, charge it and move the thread to the back of
 * its queue or to the release queue (a timeout fault if it has a timeout handler) and
 * return false. Inline: every entry asks, and the answer is nearly always yes. */
static inline __attribute__((always_inline)) bool sched_check_budget(void)
{
    struct sched_context *sc = ks_cur_sc;
    if (!sc || refill_sufficient(&sc->q, ks_consumed, ks_entry_budget_ticks)) {
        return true;
    }
    return sched_budget_exhausted();
}

/* A reply let t run again on the context it now holds. Without a ready, sufficient refill
 * t waits in the release queue, or raises a timeout fault if it has a timeout handler and
 * the reply was not the answer to a timeout fault (upstream doReplyTransfer). */
void sched_reply_returned(struct tcb *t, bool answered_timeout_fault);

/* Queue membership follows the thread's state and context: call after either changes. */
void sched_thread_changed(struct tcb *t);
void sched_remove(struct tcb *t);
/* Puts a ready (or running) thread first in its priority's queue. */
void sched_enqueue_head(struct tcb *t);
/* Which priorities have ready threads, per domain: bit p % 64 of bits[p / 64], and bit w of
 * top says bits[w] is non-zero. */
#define PRIO_WORD_BITS 64
#define PRIO_WORDS (NUM_PRIORITIES / PRIO_WORD_BITS)
struct ready_bitmap {
    uint64_t bits[PRIO_WORDS];
    uint64_t top;
};
extern struct ready_bitmap ks_ready_bitmap[CONFIG_NUM_DOMAINS];
extern uint8_t ks_cur_domain;

/* Is a thread of priority prio or higher ready in the current domain? A thread made runnable
 * goes behind those (FIFO), so the fastpath may switch to it directly only if none is. */
static inline bool sched_ready_at_or_above(unsigned int prio)
{
    const struct ready_bitmap *b = &ks_ready_bitmap[CONFIG_NUM_DOMAINS == 1 ? 0 : ks_cur_domain];
    unsigned int w = prio / PRIO_WORD_BITS;
    if (!b->top) {
        return false;
    }
    /* Higher words: all of them; prio's word: bits prio % 64 and up (w + 1 <= 4 < 64). */
    return (b->top >> w >> 1) || (b->bits[w] >> (prio % PRIO_WORD_BITS));
}
/* Give up the head refill (MCS seL4_Yield). */
void sched_yield(void);
/* Pick the thread to run next, charge the outgoing context, program the timer. */
struct tcb *sched_choose(struct tcb *idle);

/* Ticks left in a running context's head refill (the event log's switch records). */
static inline ticks_t sched_head_budget_left(const struct sched_context *sc)
{
    if (!sc_active(sc)) {
        return 0;
    }
    ticks_t amount = refill_head(&sc->q).amount;
    return amount > ks_consumed ? amount - ks_consumed : 0;
}
void sched_reschedule(void);
void sched_dump(void);

/* A ready thread's `queued` value (the other, the switch candidate, never outlives an entry). */
#define SCHED_QUEUED_IN_QUEUE 1
#ifdef CONFIG_KAIROS_INVARIANTS
/* The queues as they are, for the invariant checks (kernel/invariants.c) and their tests. */
/* A domain's NUM_PRIORITIES queues, indexed by priority. */
const struct sched_ready_queue *sched_ready_queues(unsigned int domain);
struct tcb *sched_release_head(void);
struct tcb *sched_candidate(void);
#endif

#endif
