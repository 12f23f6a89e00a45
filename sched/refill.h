/* Refill queues: the budget of a scheduling context as a list of replenishments (manual §6.1.8),
 * charged by the sporadic-server rule, or by round robin when budget == period. Pure C on ticks. */
#ifndef SCHED_REFILL_H
#define SCHED_REFILL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sched/time.h"

/* One replenishment: `amount` ticks of execution, usable from `time` on. */
struct refill {
    ticks_t time;
    ticks_t amount;
};
_Static_assert(sizeof(struct refill) == 16, "seL4_RefillSizeBytes is 16");

/*
 * The refills of one scheduling context: a circular array of `max` entries (r[0..max-1]) of
 * which `count` are in use, starting at r[head]. The array is the tail of the object, so
 * `max` must not exceed refill_capacity() of the object.
 *
 * Invariants after every operation (refill_check() tests them):
 *  - the amounts sum to `budget`, 1 <= count <= max once configured, 2 <= max;
 *  - sporadic / constant bandwidth (budget < period): refills are ordered by time and do not
 *    overlap (r[i].time + r[i].amount <= r[i+1].time), every amount >= min_budget;
 *  - round robin (budget == period): exactly two refills with equal times, the head holds
 *    >= min_budget and the tail the rest (0..budget).
 *
 * The guarantees (see refill.c for the argument), for budget < period: from the last
 * refill_new()/refill_update() on, the thread's long-run share is at most b/p, overruns
 * included (they are paid from later budget); a constant-bandwidth queue also gives at most
 * `budget` ticks in every window [t, t + period), provided the thread only runs while the
 * head is ready, never beyond the head's amount, and is charged with the length of each run
 * when it ends. A sporadic queue dates its usage from its head, which refill_unblock_check()
 * moves to the time its thread was released, so a window after a late start may hold more.
 *
 * Ticks arithmetic saturates: a time that would pass UINT64_MAX becomes UINT64_MAX ("never").
 * With periods <= TIME_MAX_TICKS and a 64-bit counter this is only reached after ~2^63 ticks.
 */
struct refill_queue {
    ticks_t period;    /* p */
    ticks_t budget;    /* b: the amounts always sum to this */
    uint32_t head;     /* index of the head refill in r[] (circular over max entries) */
    uint32_t count;    /* refills in use, >= 1 once configured, 0 = unconfigured */
    uint32_t max;      /* refills allowed: 2 + extra_refills, <= the object's capacity */
    uint32_t sporadic; /* seL4_SchedContext_Sporadic given at configuration (0 or 1) */
    struct refill r[]; /* max entries follow (the scheduling-context object's tail) */
};

/*
 * Configure from scratch at time now. budget == period is round robin: head {now, b} and
 * tail {now, 0}, both always ready; otherwise one refill {now, b}. Preconditions (checked by
 * the caller): min_budget <= budget <= period, 2 <= max <= capacity.
 */
void refill_new(struct refill_queue *q, uint32_t max, ticks_t budget, ticks_t period, bool sporadic,
                ticks_t now);

/*
 * Reconfigure a queue that may be in use (SchedControl_ConfigureFlags on an active context):
 * the head refill is kept as the start of the new configuration and the others are dropped;
 * a ready head's time becomes now. If the head holds >= budget it is trimmed to budget;
 * otherwise the rest (budget - head) becomes a tail refill at head.time + period. If that
 * rest would be below min_budget, the tail is made min_budget by taking the difference from
 * the end of the head and starting the tail that much earlier (no budget comes sooner); if
 * the head cannot spare it (budget < 2 * min_budget) the head takes the whole budget.
 * Round robin (budget == period) starts afresh as in refill_new(). An unconfigured queue
 * (count == 0) is configured as by refill_new(). Same preconditions as refill_new().
 */
void refill_update(struct refill_queue *q, uint32_t max, ticks_t budget, ticks_t period,
                   bool sporadic, ticks_t now, ticks_t min_budget);

/* budget == period: charged by moving time from the head to the tail refill. */
bool refill_is_round_robin(const struct refill_queue *q);

/* A copy of the head refill; {0, 0} for an unconfigured queue. */
struct refill refill_head(const struct refill_queue *q);

/* The head refill may be used at now (head.time <= now); false when unconfigured. Always
 * inline, as the next one: the scheduler asks at every kernel entry, and a call costs more. */
static inline __attribute__((always_inline)) bool refill_ready(const struct refill_queue *q,
                                                               ticks_t now)
{
    return q->count > 0 && q->r[q->head].time <= now;
}

/* After `usage` ticks of the head, at least min_budget remain: head.amount >= usage + min. */
static inline __attribute__((always_inline)) bool
refill_sufficient(const struct refill_queue *q, ticks_t usage, ticks_t min_budget)
{
    if (q->count == 0) {
        return false;
    }
    ticks_t amount = q->r[q->head].amount;
    return amount >= min_budget && amount - min_budget >= usage;
}

/*
 * Charge `usage` ticks that the thread ran, in one stretch ending at now, from the head refill.
 * The stretch counts as started at now - usage (constant bandwidth) or at the head's time
 * (sporadic), or at head.time if that is later. The used part of each refill comes back one
 * period after it started being used (a new tail refill, merged into the tail when the queue
 * is full or it would be below min_budget); usage beyond the head takes from the following
 * ready refills, and usage beyond the ready budget delays every refill by the time it takes
 * to earn the excess at budget/period.
 * Round robin: usage moves from the head to the tail; a head left below min_budget gets the
 * full budget back at now. Afterwards the head holds >= min_budget or is not ready.
 */
void refill_charge(struct refill_queue *q, ticks_t usage, ticks_t now, ticks_t min_budget);

/*
 * Re-date a ready head to now, merging the following refills it now overlaps or touches.
 * The kernel calls it when a sporadic queue's thread becomes runnable and when a
 * constant-bandwidth queue becomes the running one. No-op for round robin, unconfigured
 * queues and a head that is not ready.
 */
void refill_unblock_check(struct refill_queue *q, ticks_t now, ticks_t min_budget);

/*
 * seL4_Yield at now after `usage` ticks of the head (run in one stretch ending at now): the
 * whole head is charged as if the thread had kept running until it was used up; with more
 * usage than the head, `usage` is charged as by refill_charge(). Round robin: the head gets
 * the full budget back at now (the caller moves the thread to the back of its queue).
 */
void refill_yield(struct refill_queue *q, ticks_t usage, ticks_t now, ticks_t min_budget);

/* When the head runs out if used from now on, after `usage` ticks of it have been used:
 * max(now, head.time) + head.amount - usage, saturating (at the max(...) when usage >
 * head.amount, and at UINT64_MAX); 0 for an unconfigured queue. */
ticks_t refill_budget_end(const struct refill_queue *q, ticks_t usage, ticks_t now);

/* Refills that fit in a 2^size_bits-byte scheduling context whose refills start at byte
 * header_bytes; 0 if none (or size_bits >= 64), capped at UINT32_MAX. */
uint32_t refill_capacity(unsigned int size_bits, unsigned int header_bytes);

/* Invariant check for tests and debug builds: NULL if all hold, else a short static string
 * naming the broken rule. An unconfigured queue (count == 0) passes. */
const char *refill_check(const struct refill_queue *q, ticks_t min_budget);

#endif /* SCHED_REFILL_H */
