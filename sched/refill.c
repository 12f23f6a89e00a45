/* Refill queues (see refill.h): the sporadic-server and round-robin charging rules of manual
 * §6.1.8 over a circular array of refills. Pure, freestanding C on 64-bit ticks. */
#include "sched/refill.h"

/*
 * Why a queue never gives more than `budget` in a window of `period` (budget < period).
 *
 * Let E(I) be the time the thread executed in the interval I and, at the time `now` of the
 * last operation on the queue, let
 *     F(t) = sum over refills r of min(r.amount, max(0, t - max(r.time, now)))
 * bound the budget that could still be used before time t. The invariant is
 *     (I)  E([max(t - p, R), now)) + F(t) <= b   for every t >= now,
 * where R is the time of the last refill_new/refill_update; at R, E is empty and F <= b.
 * Taking t = now, F(now) = 0 and (I) reads: E([now - p, now)) <= b (windows from R on).
 * Every step keeps (I):
 *  - time passing without execution only raises max(r.time, now): F falls;
 *  - running u <= a ticks from a head {T, a} over [s, s + u) with s >= max(T, previous now),
 *    then charging: the head becomes {T + u, a - u} (its contribution falls by exactly u for
 *    t >= s + u), the window gains at most u - min(u, t - p - s), and the new refill
 *    {s + p, u} adds min(u, t - s - p): the three cancel. The replenishment time is taken
 *    from s = now - usage, the real start of the stretch, not from the head's time T: a head
 *    whose time went stale while its thread was preempted or blocked would otherwise bring
 *    the budget back early. This is why the bound holds for constant-bandwidth queues too
 *    (refill_unblock_check is then only a defragmentation, see below). Charging later than
 *    the run ended, or for discontiguous runs, only places the run later: still safe;
 *  - the other transformations never make budget usable earlier. Each one replaces refills
 *    by ones whose F-contribution is no larger for every t:
 *      merge {N, u} into tail {Tt, at}  ->  {max(Tt, N - at), at + u} (ends at N + u, or later);
 *      borrow d from the end of tail     ->  {Tt, at - d} and {N - d, u + d}, N >= Tt + at;
 *      fold a head {Th, x} into next     ->  {Tn - x, an + x}, Th + x <= Tn;
 *      unblock: head {now, a} absorbs {Tn, an} with Tn <= now + a  ->  {now, a + an}.
 * Yield charges the unused rest of the head as if it ran right after the used part: a later
 * placement than any real execution, so safe. Only an overrun beyond the ready budget (usage
 * beyond the head and the ready refills after it) breaks (I): it is booked against a refill
 * that is not ready yet, shrinking it (tested, not proven: a window then holds at most b plus
 * the overruns of the runs that start in it).
 * Round robin (b == p) needs no argument: no window of p ticks holds more than p = b.
 */

static ticks_t sat_add(ticks_t a, ticks_t b)
{
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static ticks_t sat_sub(ticks_t a, ticks_t b)
{
    return a > b ? a - b : 0;
}

static ticks_t max_ticks(ticks_t a, ticks_t b)
{
    return a > b ? a : b;
}

static ticks_t min_ticks(ticks_t a, ticks_t b)
{
    return a < b ? a : b;
}

/* Index in r[] of the k-th refill from the head (k < max). */
static uint32_t slot(const struct refill_queue *q, uint32_t k)
{
    uint64_t i = (uint64_t)q->head + k;
    return (uint32_t)(i >= q->max ? i - q->max : i);
}

static struct refill *nth(struct refill_queue *q, uint32_t k)
{
    return &q->r[slot(q, k)];
}

static const struct refill *nth_const(const struct refill_queue *q, uint32_t k)
{
    return &q->r[slot(q, k)];
}

static struct refill *head_of(struct refill_queue *q)
{
    return &q->r[q->head];
}

static struct refill *tail_of(struct refill_queue *q)
{
    return nth(q, q->count - 1);
}

static ticks_t end_of(const struct refill *r)
{
    return sat_add(r->time, r->amount);
}

static void pop_head(struct refill_queue *q)
{
    q->head = slot(q, 1);
    q->count--;
}

static void push_tail(struct refill_queue *q, ticks_t time, ticks_t amount)
{
    struct refill *r = nth(q, q->count);
    r->time = time;
    r->amount = amount;
    q->count++;
}

bool refill_is_round_robin(const struct refill_queue *q)
{
    return q->budget == q->period;
}

/* Merge {time, amount} into the tail so that it ends where the new refill would (or where the
 * tail did, if later): the tail never starts earlier than it did, so no budget comes sooner. */
static void merge_into_tail(struct refill_queue *q, ticks_t time, ticks_t amount)
{
    struct refill *t = tail_of(q);
    t->time = max_ticks(t->time, sat_sub(time, t->amount));
    t->amount += amount; /* amounts sum to the budget: no overflow */
}

/*
 * Schedule the replenishment {time, amount} of used budget at the tail. It is appended when
 * it lies after the tail, there is room and it is at least min_budget. A smaller one borrows
 * the difference from the end of the tail (and starts that much earlier) when the tail can
 * spare it; otherwise, like one that overlaps or touches the tail or finds the queue full, it
 * is merged into the tail.
 */
static void schedule_used(struct refill_queue *q, ticks_t time, ticks_t amount, ticks_t min_budget)
{
    if (amount == 0) {
        return;
    }
    if (q->count == 0) {
        push_tail(q, time, amount);
        return;
    }
    struct refill *t = tail_of(q);
    if (q->count < q->max && end_of(t) < time) {
        if (amount >= min_budget) {
            push_tail(q, time, amount);
            return;
        }
        ticks_t d = min_budget - amount;
        if (t->amount >= min_budget && t->amount - min_budget >= d) {
            /* time > end_of(t) >= d, and the moved refill still starts after the tail ends */
            t->amount -= d;
            push_tail(q, time - d, min_budget);
            return;
        }
    }
    merge_into_tail(q, time, amount);
}

/*
 * A head below min_budget cannot be run usefully: fold its remainder into the next refill,
 * which starts that much earlier (still no earlier than the head ended). A lone head below
 * min_budget (only possible when budget < min_budget) moves a period later.
 */
static void fold_small_head(struct refill_queue *q, ticks_t min_budget)
{
    while (q->count > 1 && head_of(q)->amount < min_budget) {
        ticks_t rest = head_of(q)->amount;
        pop_head(q);
        struct refill *n = head_of(q);
        n->time = sat_sub(n->time, rest);
        n->amount += rest;
    }
    if (q->count == 1 && head_of(q)->amount < min_budget) {
        head_of(q)->time = sat_add(head_of(q)->time, q->period);
    }
}

/*
 * Sporadic / constant-bandwidth charge of `usage` ticks run from `start` on. Each refill is
 * used from max(its time, where the previous one stopped); what is used from it comes back
 * one period after that point. At most the refills present on entry are consumed and at most
 * the budget is charged, so the loop is bounded and nothing underflows.
 */
static void charge_sporadic(struct refill_queue *q, ticks_t start, ticks_t usage,
                            ticks_t min_budget)
{
    ticks_t remaining = min_ticks(usage, q->budget);
    ticks_t cursor = start;
    uint32_t present = q->count;
    for (uint32_t i = 0; i < present && remaining > 0 && q->count > 0; i++) {
        struct refill *h = head_of(q);
        ticks_t from = max_ticks(h->time, cursor);
        ticks_t take = min_ticks(remaining, h->amount);
        h->time = sat_add(h->time, take); /* the rest of the head keeps its end time */
        h->amount -= take;
        if (h->amount == 0) {
            pop_head(q);
        }
        schedule_used(q, sat_add(from, q->period), take, min_budget);
        cursor = sat_add(from, take);
        remaining -= take;
    }
    fold_small_head(q, min_budget);
    /* Time run beyond a whole budget (a late interrupt, say) is paid for by delaying
     * every refill by as much: later budget never breaks the window bound, and the
     * thread's long-run share stays b/p. */
    if (usage > q->budget) {
        ticks_t excess = usage - q->budget;
        for (uint32_t i = 0; i < q->count; i++) {
            nth(q, i)->time = sat_add(nth(q, i)->time, excess);
        }
    }
}

/*
 * Round robin: usage moves from the head to the tail, both stay ready at now. A head left
 * below min_budget takes the whole budget back (the tail's share and its own remainder).
 * Usage beyond the head is charged to the fresh head once; any more is dropped.
 */
static void charge_round_robin(struct refill_queue *q, ticks_t usage, ticks_t now,
                               ticks_t min_budget)
{
    struct refill *h = head_of(q);
    struct refill *t = nth(q, 1);
    ticks_t remaining = usage;
    for (int pass = 0; pass < 2; pass++) {
        ticks_t take = min_ticks(remaining, h->amount);
        h->amount -= take;
        t->amount += take;
        remaining -= take;
        if (h->amount < min_budget) {
            h->amount = q->budget;
            t->amount = 0;
        }
        if (remaining == 0) {
            break;
        }
    }
    h->time = now;
    t->time = now;
}

void refill_new(struct refill_queue *q, uint32_t max, ticks_t budget, ticks_t period, bool sporadic,
                ticks_t now)
{
    q->period = period;
    q->budget = budget;
    q->max = max;
    q->sporadic = sporadic ? 1 : 0;
    q->head = 0;
    q->count = 0;
    push_tail(q, now, budget);
    if (budget == period) {
        push_tail(q, now, 0);
    }
}

void refill_update(struct refill_queue *q, uint32_t max, ticks_t budget, ticks_t period,
                   bool sporadic, ticks_t now, ticks_t min_budget)
{
    if (q->count == 0 || budget == period) {
        refill_new(q, max, budget, period, sporadic, now);
        return;
    }
    struct refill h = *head_of(q);
    if (h.time <= now) {
        h.time = now;
    }
    q->period = period;
    q->budget = budget;
    q->max = max;
    q->sporadic = sporadic ? 1 : 0;
    q->head = 0;
    q->count = 0;
    if (h.amount >= budget) {
        push_tail(q, h.time, budget);
        return;
    }
    ticks_t rest = budget - h.amount;
    ticks_t rest_time = sat_add(h.time, period);
    if (rest < min_budget) {
        ticks_t d = min_budget - rest;
        if (h.amount >= min_budget && h.amount - min_budget >= d) {
            h.amount -= d; /* the head ends d earlier and the rest starts d earlier */
            rest = min_budget;
            rest_time = sat_sub(rest_time, d);
        } else {
            push_tail(q, h.time, budget); /* budget < 2 * min_budget: keep it whole */
            return;
        }
    }
    push_tail(q, h.time, h.amount);
    push_tail(q, rest_time, rest);
}

struct refill refill_head(const struct refill_queue *q)
{
    if (q->count == 0) {
        return (struct refill){0, 0};
    }
    return q->r[q->head];
}

bool refill_ready(const struct refill_queue *q, ticks_t now)
{
    return q->count > 0 && q->r[q->head].time <= now;
}

bool refill_sufficient(const struct refill_queue *q, ticks_t usage, ticks_t min_budget)
{
    if (q->count == 0) {
        return false;
    }
    ticks_t amount = q->r[q->head].amount;
    return amount >= min_budget && amount - min_budget >= usage;
}

void refill_charge(struct refill_queue *q, ticks_t usage, ticks_t now, ticks_t min_budget)
{
    if (q->count == 0) {
        return;
    }
    if (refill_is_round_robin(q)) {
        charge_round_robin(q, usage, now, min_budget);
    } else {
        charge_sporadic(q, sat_sub(now, usage), usage, min_budget);
    }
}

void refill_unblock_check(struct refill_queue *q, ticks_t now, ticks_t min_budget)
{
    (void)min_budget; /* the head only grows here */
    if (q->count == 0 || !q->sporadic || refill_is_round_robin(q) || !refill_ready(q, now)) {
        return;
    }
    struct refill *h = head_of(q);
    h->time = now;
    while (q->count > 1) {
        struct refill *n = nth(q, 1);
        if (n->time > end_of(h)) {
            break;
        }
        n->time = h->time;
        n->amount += h->amount;
        pop_head(q);
        h = head_of(q);
    }
}

void refill_yield(struct refill_queue *q, ticks_t usage, ticks_t now, ticks_t min_budget)
{
    if (q->count == 0) {
        return;
    }
    ticks_t whole = max_ticks(usage, head_of(q)->amount);
    if (refill_is_round_robin(q)) {
        charge_round_robin(q, whole, now, min_budget);
    } else {
        charge_sporadic(q, sat_sub(now, usage), whole, min_budget);
    }
}

ticks_t refill_budget_end(const struct refill_queue *q, ticks_t usage, ticks_t now)
{
    if (q->count == 0) {
        return 0;
    }
    const struct refill *h = &q->r[q->head];
    return sat_add(max_ticks(now, h->time), sat_sub(h->amount, usage));
}

uint32_t refill_capacity(unsigned int size_bits, unsigned int header_bytes)
{
    if (size_bits >= 64) {
        return 0;
    }
    uint64_t size = (uint64_t)1 << size_bits;
    if (size <= header_bytes) {
        return 0;
    }
    uint64_t n = (size - header_bytes) / sizeof(struct refill);
    return n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
}

const char *refill_check(const struct refill_queue *q, ticks_t min_budget)
{
    if (q->count == 0) {
        return NULL;
    }
    if (q->max < 2) {
        return "max below 2";
    }
    if (q->count > q->max) {
        return "count above max";
    }
    if (q->head >= q->max) {
        return "head outside the array";
    }
    if (q->sporadic > 1) {
        return "sporadic flag neither 0 nor 1";
    }
    if (q->budget > q->period) {
        return "budget above period";
    }
    ticks_t sum = 0;
    for (uint32_t k = 0; k < q->count; k++) {
        ticks_t a = nth_const(q, k)->amount;
        if (a > q->budget - sum) {
            return "amounts exceed the budget";
        }
        sum += a;
    }
    if (sum != q->budget) {
        return "amounts do not sum to the budget";
    }
    const struct refill *h = nth_const(q, 0);
    if (refill_is_round_robin(q)) {
        if (q->count != 2) {
            return "round robin without exactly two refills";
        }
        if (h->amount < min_budget) {
            return "round-robin head below min_budget";
        }
        if (nth_const(q, 1)->time != h->time) {
            return "round-robin refills at different times";
        }
        return NULL;
    }
    for (uint32_t k = 0; k < q->count; k++) {
        const struct refill *r = nth_const(q, k);
        if (r->amount == 0) {
            return "empty refill";
        }
        if (r->amount < min_budget) {
            return "refill below min_budget";
        }
        if (k + 1 < q->count) {
            const struct refill *n = nth_const(q, k + 1);
            if (n->time < r->time) {
                return "refills out of order";
            }
            /* A saturated end (UINT64_MAX, "never") is not compared: times stop there. */
            if (end_of(r) != UINT64_MAX && end_of(r) > n->time) {
                return "refills overlap";
            }
        }
    }
    return NULL;
}
