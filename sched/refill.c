/* Refill queues (see refill.h): the sporadic-server and round-robin charging rules of manual
 * §6.1.8 over a circular array of refills. Pure, freestanding C on 64-bit ticks. */
#include "sched/refill.h"

/*
 * What the rules guarantee (budget < period; round robin, b == p, needs no argument).
 *
 * Long-run share, both kinds: every tick the thread runs uses a tick of some refill, and a
 * refill only comes back (whole or in part) one period after the point it was used from,
 * which is never before its own time; the transformations below never bring budget earlier.
 * So each tick of budget is used at most once per period of its own timeline, and from a
 * configuration at R to t the thread runs at most b * (floor((t - R) / p) + 1). An overrun
 * beyond the ready budget delays every refill by excess * p / b: it is paid for from later
 * periods instead of raising the share.
 *
 * Window bound, constant bandwidth: usage counts from when the run really started (now -
 * usage), so with E(I) the time run in interval I and, at the last operation's time `now`,
 *     F(t) = sum over refills r of min(r.amount, max(0, t - max(r.time, now)))
 * bounding what could still run before t, the invariant
 *     (I)  E([max(t - p, R), now)) + F(t) <= b   for every t >= now
 * holds at R and after every step; at t = now it says no window of p holds more than b:
 *  - time passing without execution only raises max(r.time, now): F falls;
 *  - running u <= a ticks from a head {T, a} over [s, s + u), s >= max(T, previous now), then
 *    charging: the head becomes {T + u, a - u} (its contribution falls by u for t >= s + u),
 *    the window gains at most u - min(u, t - p - s), and the new refill {s + p, u} adds
 *    min(u, t - s - p): the three cancel;
 *  - the other transformations replace refills by ones whose F-contribution is no larger:
 *      merge {N, u} into tail {Tt, at}  ->  {max(Tt, N - at), at + u} (ends at N + u, or later);
 *      borrow d from the end of tail     ->  {Tt, at - d} and {N - d, u + d}, N >= Tt + at;
 *      fold a head {Th, x} into next     ->  {Tn - x, an + x}, Th + x <= Tn;
 *      re-date a ready head to now, absorbing {Tn, an} with Tn <= now + a -> {now, a + an}.
 * Yield charges the unused rest of the head as if it ran right after the used part: later
 * than any real execution, so safe. An overrun breaks (I) by at most its own length: the
 * tests check that a window then holds at most b plus the overruns of the runs in it.
 *
 * Sporadic: usage counts from the head refill's time (upstream), which the kernel sets to
 * "now" when the thread becomes runnable, so budget comes back one period after the
 * thread's release even if it started running later; a window that begins after such a
 * late start can hold more than b, the share over many periods cannot.
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

/* ceil(a * b / c) without overflow, saturating at UINT64_MAX; c > 0. */
static ticks_t mul_div_ceil(ticks_t a, ticks_t b, ticks_t c)
{
    __uint128_t q = ((__uint128_t)a * b + c - 1) / c;
    return q > UINT64_MAX ? UINT64_MAX : (ticks_t)q;
}

/*
 * Sporadic / constant-bandwidth charge of `usage` ticks run from `start` on, ending at now.
 * Each ready refill is used from max(its time, where the previous one stopped); what is used
 * from it comes back one period after that point. Usage beyond the ready budget (a kernel
 * late to end a run, by a few ticks of interrupt latency or much more) is paid for with
 * time instead: every refill moves on by as long as it takes to earn the excess at b/p, so
 * the long-run share stays b/p. Taking the excess from refills that are not ready would
 * cut them into pieces below the minimum budget, and the merges that tidy those up can
 * push a whole refill a period later; delaying by the excess alone would give the thread
 * (b + e) / (p + e).
 */
static void charge_sporadic(struct refill_queue *q, ticks_t start, ticks_t usage, ticks_t now,
                            ticks_t min_budget)
{
    ticks_t remaining = usage;
    ticks_t cursor = start;
    uint32_t present = q->count;
    for (uint32_t i = 0; i < present && remaining > 0 && q->count > 0; i++) {
        struct refill *h = head_of(q);
        if (h->time > now) {
            break;
        }
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
    if (remaining > 0) {
        ticks_t delay = mul_div_ceil(remaining, q->period, q->budget);
        for (uint32_t i = 0; i < q->count; i++) {
            nth(q, i)->time = sat_add(nth(q, i)->time, delay);
        }
    }
}

/* Where the charged run is taken to have started (manual §6.1.8 with upstream's reading of
 * the Sporadic flag): a sporadic context's usage counts from its head refill's time, which
 * is re-dated when its thread becomes runnable, so budget comes back one period after the
 * thread was released; a constant-bandwidth context's from when the run really started
 * (its head is re-dated when it becomes the current context), so no window of a period
 * ever holds more than the budget. */
static ticks_t charge_start(const struct refill_queue *q, ticks_t usage, ticks_t now)
{
    return q->sporadic ? head_of((struct refill_queue *)q)->time : sat_sub(now, usage);
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

void refill_charge(struct refill_queue *q, ticks_t usage, ticks_t now, ticks_t min_budget)
{
    if (q->count == 0) {
        return;
    }
    if (refill_is_round_robin(q)) {
        charge_round_robin(q, usage, now, min_budget);
    } else {
        charge_sporadic(q, charge_start(q, usage, now), usage, now, min_budget);
    }
}

void refill_unblock_check(struct refill_queue *q, ticks_t now, ticks_t min_budget)
{
    (void)min_budget; /* the head only grows here */
    if (q->count == 0 || refill_is_round_robin(q) || !refill_ready(q, now)) {
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
        charge_sporadic(q, charge_start(q, usage, now), whole, now, min_budget);
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
