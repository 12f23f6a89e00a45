/* Unit tests for sched/refill.c: exact refill contents after operation sequences, the queue
 * invariants after every operation, and randomised property tests against a model that
 * records every executed interval: a constant-bandwidth queue never gives more than b ticks
 * in a window of p, and every queue, overruns included, keeps its long-run share at b/p. */
#define CHECK_SUITE "refill"
#include "check.h"

#include <stdbool.h>
#include <stdint.h>

#include "sched/refill.h"

#define MIN 1250ull  /* 20 us at 62.5 MHz */
#define MS 62500ull  /* 1 ms at 62.5 MHz */
#define CAPACITY 16u /* refills allocated behind every test queue */
#define NEVER UINT64_MAX

/* Exactly the header plus `cap` refills on the heap, so ASan sees any index past the array. */
static struct refill_queue *queue_alloc(uint32_t cap)
{
    struct refill_queue *q = malloc(sizeof(*q) + cap * sizeof(struct refill));
    if (!q) {
        abort();
    }
    memset(q, 0xa5, sizeof(*q) + cap * sizeof(struct refill)); /* nothing may be read unset */
    q->count = 0;
    return q;
}

/* Fail the case with the broken rule's name if an invariant does not hold. */
#define CHECK_INV(q)                                                                               \
    do {                                                                                           \
        const char *check_why_ = refill_check((q), MIN);                                           \
        if (check_why_) {                                                                          \
            check_fail(__FILE__, __LINE__, "refill_check: %s", check_why_);                        \
            return;                                                                                \
        }                                                                                          \
    } while (0)

/* Describe the first difference between the queue and the expected refills, head first. */
static const char *refills_differ(const struct refill_queue *q, const struct refill *want,
                                  uint32_t n)
{
    static char why[256];
    if (q->count != n) {
        snprintf(why, sizeof(why), "count %u, want %u", q->count, n);
        return why;
    }
    for (uint32_t k = 0; k < n; k++) {
        const struct refill *r = &q->r[(q->head + k) % q->max];
        if (r->time != want[k].time || r->amount != want[k].amount) {
            snprintf(why, sizeof(why), "refill %u is {%llu, %llu}, want {%llu, %llu}", k,
                     (unsigned long long)r->time, (unsigned long long)r->amount,
                     (unsigned long long)want[k].time, (unsigned long long)want[k].amount);
            return why;
        }
    }
    return NULL;
}

/* CHECK_REFILLS(q, {t0, a0}, {t1, a1}, ...): exact contents from the head, then invariants. */
#define CHECK_REFILLS(q, ...)                                                                      \
    do {                                                                                           \
        const struct refill check_want_[] = {__VA_ARGS__};                                         \
        const char *check_why_ = refills_differ(                                                   \
            (q), check_want_, (uint32_t)(sizeof(check_want_) / sizeof(check_want_[0])));           \
        if (check_why_) {                                                                          \
            check_fail(__FILE__, __LINE__, "%s", check_why_);                                      \
            return;                                                                                \
        }                                                                                          \
        CHECK_INV(q);                                                                              \
    } while (0)

/* ---- configuration ---------------------------------------------------------------------- */

TEST(new_round_robin)
{
    struct refill_queue *q = queue_alloc(2);
    refill_new(q, 2, 5 * MS, 5 * MS, false, 100);
    CHECK_REFILLS(q, {100, 5 * MS}, {100, 0});
    CHECK(refill_is_round_robin(q));
    CHECK(refill_ready(q, 100));
    CHECK(!refill_ready(q, 99));
    CHECK_EQ(q->max, 2);
    CHECK_EQ(q->sporadic, 0);
    free(q);
}

TEST(new_sporadic)
{
    struct refill_queue *q = queue_alloc(4);
    refill_new(q, 4, 10000, 100000, true, 7);
    CHECK_REFILLS(q, {7, 10000});
    CHECK(!refill_is_round_robin(q));
    CHECK_EQ(q->sporadic, 1);
    CHECK_EQ(q->budget, 10000);
    CHECK_EQ(q->period, 100000);
    CHECK_EQ(refill_head(q).time, 7);
    CHECK_EQ(refill_head(q).amount, 10000);
    free(q);
}

TEST(unconfigured_queue)
{
    struct refill_queue *q = queue_alloc(2);
    CHECK(refill_check(q, MIN) == NULL);
    CHECK(!refill_ready(q, 1000));
    CHECK(!refill_sufficient(q, 0, 0));
    CHECK_EQ(refill_head(q).time, 0);
    CHECK_EQ(refill_head(q).amount, 0);
    CHECK_EQ(refill_budget_end(q, 0, 1000), 0);
    refill_charge(q, 100, 1000, MIN); /* all no-ops */
    refill_yield(q, 100, 1000, MIN);
    refill_unblock_check(q, 1000, MIN);
    CHECK_EQ(q->count, 0);
    refill_update(q, 2, 10000, 100000, true, 50, MIN); /* configures from scratch */
    CHECK_REFILLS(q, {50, 10000});
    free(q);
}

TEST(capacity)
{
    CHECK_EQ(refill_capacity(7, 96), 2); /* seL4_MinSchedContextBits: two refills */
    CHECK_EQ(refill_capacity(8, 96), 10);
    CHECK_EQ(refill_capacity(10, 96), 58);
    CHECK_EQ(refill_capacity(6, 96), 0);
    CHECK_EQ(refill_capacity(5, 32), 0);
    CHECK_EQ(refill_capacity(36, 96), ((1ull << 36) - 96) / 16);
    CHECK_EQ(refill_capacity(35, 0), 1ull << 31);
    CHECK_EQ(refill_capacity(36, 0), UINT32_MAX); /* 2^32 refills: capped */
    CHECK_EQ(refill_capacity(63, 96), UINT32_MAX);
    CHECK_EQ(refill_capacity(64, 96), 0);
    CHECK_EQ(refill_capacity(200, 96), 0);
}

TEST(ready_sufficient_budget_end)
{
    struct refill_queue *q = queue_alloc(2);
    refill_new(q, 2, 10000, 100000, true, 1000);
    CHECK(!refill_ready(q, 999));
    CHECK(refill_ready(q, 1000));
    CHECK(refill_sufficient(q, 0, MIN));
    CHECK(refill_sufficient(q, 10000 - MIN, MIN));
    CHECK(!refill_sufficient(q, 10000 - MIN + 1, MIN));
    CHECK(!refill_sufficient(q, NEVER, MIN)); /* usage + min would wrap */
    CHECK(!refill_sufficient(q, 0, 10001));
    CHECK_EQ(refill_budget_end(q, 0, 500), 11000); /* not ready: from the head's time */
    CHECK_EQ(refill_budget_end(q, 0, 1000), 11000);
    CHECK_EQ(refill_budget_end(q, 3000, 4000), 11000);   /* ran 1000..4000 */
    CHECK_EQ(refill_budget_end(q, 12000, 20000), 20000); /* overrun: saturates at now */
    CHECK_EQ(refill_budget_end(q, 0, NEVER - 5), NEVER);
    free(q);
}

/* ---- round robin ------------------------------------------------------------------------ */

TEST(round_robin_charge_and_swap)
{
    struct refill_queue *q = queue_alloc(2);
    refill_new(q, 2, 5000, 5000, false, 100);
    refill_charge(q, 2000, 2100, MIN);
    CHECK_REFILLS(q, {2100, 3000}, {2100, 2000});
    CHECK(refill_sufficient(q, 1750, MIN));
    CHECK(!refill_sufficient(q, 1751, MIN));
    CHECK_EQ(refill_budget_end(q, 0, 2100), 5100);
    refill_charge(q, 1750, 3850, MIN); /* head left exactly at min_budget: no swap */
    CHECK_REFILLS(q, {3850, 1250}, {3850, 3750});
    refill_charge(q, 1, 3851, MIN); /* below min_budget: the full budget comes back now */
    CHECK_REFILLS(q, {3851, 5000}, {3851, 0});
    CHECK(refill_ready(q, 3851));
    refill_charge(q, 0, 4000, MIN); /* nothing used: times follow now */
    CHECK_REFILLS(q, {4000, 5000}, {4000, 0});
    free(q);
}

TEST(round_robin_overrun_and_yield)
{
    struct refill_queue *q = queue_alloc(2);
    refill_new(q, 2, 5000, 5000, false, 0);
    refill_charge(q, 2000, 2000, MIN);
    CHECK_REFILLS(q, {2000, 3000}, {2000, 2000});
    refill_charge(q, 3500, 5500, MIN); /* 500 beyond the head: charged to the fresh one */
    CHECK_REFILLS(q, {5500, 4500}, {5500, 500});
    refill_charge(q, 20000, 30000, MIN); /* absurd usage: bounded, never underflows */
    CHECK_REFILLS(q, {30000, 5000}, {30000, 0});
    refill_charge(q, 1000, 31000, MIN);
    refill_yield(q, 200, 31200, MIN); /* the rest of the slice is given up */
    CHECK_REFILLS(q, {31200, 5000}, {31200, 0});
    refill_unblock_check(q, 40000, MIN); /* no-op for round robin */
    CHECK_REFILLS(q, {31200, 5000}, {31200, 0});
    free(q);
}

/* ---- sporadic charging ------------------------------------------------------------------ */

TEST(sporadic_two_refills)
{
    struct refill_queue *q = queue_alloc(2);
    refill_new(q, 2, 10000, 100000, true, 0);
    refill_charge(q, 3000, 3000, MIN); /* ran 0..3000 */
    CHECK_REFILLS(q, {3000, 7000}, {100000, 3000});
    refill_charge(q, 2000, 5000, MIN); /* queue full: 2000 @ 103000 merged into the tail */
    CHECK_REFILLS(q, {5000, 5000}, {100000, 5000});
    refill_charge(q, 5000, 10000, MIN); /* head used up: 5000 @ 105000 touches the tail */
    CHECK_REFILLS(q, {100000, 10000});
    CHECK(!refill_ready(q, 99999));
    CHECK(refill_ready(q, 100000));
    free(q);
}

TEST(constant_bandwidth_replenishes_from_the_real_start)
{
    /* The head has been ready since 0 but the thread, preempted, only ran 50000..53000: the
     * replenishment is one period after 50000, not after the head's stale time. */
    struct refill_queue *q = queue_alloc(4);
    refill_new(q, 4, 10000, 100000, false, 0);
    refill_charge(q, 3000, 53000, MIN);
    CHECK_REFILLS(q, {3000, 7000}, {150000, 3000});
    CHECK_EQ(refill_budget_end(q, 0, 60000), 67000);
    refill_charge(q, 7000, 67000, MIN); /* ran 60000..67000 */
    CHECK_REFILLS(q, {150000, 3000}, {160000, 7000});
    free(q);
}

TEST(sporadic_replenishes_from_the_release)
{
    /* The same run on a sporadic queue: its use counts from the head's time (the thread's
     * release, upstream), so the budget comes back one period after 0. */
    struct refill_queue *q = queue_alloc(4);
    refill_new(q, 4, 10000, 100000, true, 0);
    refill_charge(q, 3000, 53000, MIN);
    CHECK_REFILLS(q, {3000, 7000}, {100000, 3000});
    refill_unblock_check(q, 60000, MIN); /* released again at 60000 */
    refill_charge(q, 7000, 70000, MIN);  /* ran 63000..70000 */
    CHECK_REFILLS(q, {100000, 3000}, {160000, 7000});
    free(q);
}

TEST(sporadic_many_refills)
{
    struct refill_queue *q = queue_alloc(8);
    refill_new(q, 8, 10000, 100000, true, 0);
    refill_charge(q, 2000, 2000, MIN); /* 0..2000 */
    CHECK_REFILLS(q, {2000, 8000}, {100000, 2000});
    refill_unblock_check(q, 10000, MIN); /* blocked until 10000 */
    CHECK_REFILLS(q, {10000, 8000}, {100000, 2000});
    refill_charge(q, 2000, 12000, MIN); /* 10000..12000 */
    CHECK_REFILLS(q, {12000, 6000}, {100000, 2000}, {110000, 2000});
    refill_unblock_check(q, 30000, MIN);
    refill_charge(q, 1500, 31500, MIN); /* 30000..31500 */
    CHECK_REFILLS(q, {31500, 4500}, {100000, 2000}, {110000, 2000}, {130000, 1500});
    refill_unblock_check(q, 50000, MIN);
    refill_charge(q, 3000, 53000, MIN); /* 50000..53000 */
    CHECK_REFILLS(q, {53000, 1500}, {100000, 2000}, {110000, 2000}, {130000, 1500}, {150000, 3000});
    /* Preempted, then 58500..60000: the head is used up, dated from its time (53000), so
     * it comes back at 153000, touching {150000, 3000}: merged. */
    refill_charge(q, 1500, 60000, MIN);
    CHECK_REFILLS(q, {100000, 2000}, {110000, 2000}, {130000, 1500}, {150000, 4500});
    CHECK(!refill_ready(q, 60000));
    /* The next runs come one per refill, each replenished a period after its time. */
    refill_charge(q, 2000, 102000, MIN);
    CHECK_REFILLS(q, {110000, 2000}, {130000, 1500}, {150000, 4500}, {200000, 2000});
    free(q);
}

TEST(sporadic_full_queue_merges_into_tail)
{
    struct refill_queue *q = queue_alloc(3);
    refill_new(q, 3, 10000, 100000, true, 0);
    refill_charge(q, 2000, 2000, MIN);
    refill_unblock_check(q, 20000, MIN);
    refill_charge(q, 2000, 22000, MIN);
    CHECK_REFILLS(q, {22000, 6000}, {100000, 2000}, {120000, 2000});
    /* Full: 2000 used from 40000 would come back at 140000; merged into the tail it ends there
     * (tail.time = 142000 - 4000), never starting before the tail did. */
    refill_unblock_check(q, 40000, MIN);
    refill_charge(q, 2000, 42000, MIN);
    CHECK_REFILLS(q, {42000, 4000}, {100000, 2000}, {138000, 4000});
    /* Full again, with the used part (1000 @ 160000) smaller than min_budget. */
    refill_unblock_check(q, 60000, MIN);
    refill_charge(q, 1000, 61000, MIN);
    CHECK_REFILLS(q, {61000, 3000}, {100000, 2000}, {156000, 5000});
    free(q);
}

TEST(sporadic_merge_never_starts_tail_earlier)
{
    /* A reconfiguration leaves a long tail; a refill inside it must not pull it earlier. */
    struct refill_queue *q = queue_alloc(2);
    refill_new(q, 2, 10000, 100000, true, 0);
    refill_charge(q, 6000, 6000, MIN);
    CHECK_REFILLS(q, {6000, 4000}, {100000, 6000});
    refill_update(q, 2, 20000, 100000, true, 6000, MIN);
    CHECK_REFILLS(q, {6000, 4000}, {106000, 16000});
    refill_charge(q, 2000, 8000, MIN); /* 2000 @ 106000 overlaps the tail: tail keeps 106000 */
    CHECK_REFILLS(q, {8000, 2000}, {106000, 18000});
    free(q);
}

TEST(sporadic_small_head_folds_into_next)
{
    struct refill_queue *q = queue_alloc(4);
    refill_new(q, 4, 10000, 100000, true, 0);
    refill_charge(q, 9000, 9000, MIN); /* 1000 left < min: folded into 9000 @ 100000 */
    CHECK_REFILLS(q, {99000, 10000});
    CHECK(!refill_ready(q, 98999));
    CHECK(refill_ready(q, 99000));

    refill_new(q, 4, 10000, 100000, true, 0);
    refill_charge(q, 2000, 2000, MIN);
    refill_unblock_check(q, 5000, MIN);
    refill_charge(q, 7500, 12500, MIN); /* 500 left: folded into the next refill */
    CHECK_REFILLS(q, {99500, 2500}, {105000, 7500});
    free(q);
}

TEST(sporadic_small_use_borrows_or_merges)
{
    struct refill_queue *q = queue_alloc(4);
    refill_new(q, 4, 10000, 100000, true, 0);
    refill_charge(q, 500, 500, MIN); /* 500 < min: the tail (the head) lends it 750 */
    CHECK_REFILLS(q, {500, 8750}, {99250, 1250});
    refill_unblock_check(q, 1000, MIN); /* the head only moves: nothing overlaps */
    CHECK_REFILLS(q, {1000, 8750}, {99250, 1250});

    /* The tail cannot lend: the small part is merged into it (here the lone head). */
    refill_new(q, 4, 2000, 100000, true, 0);
    refill_charge(q, 500, 500, MIN);
    CHECK_REFILLS(q, {98500, 2000});
    CHECK(!refill_ready(q, 500));
    free(q);
}

TEST(sporadic_overrun_is_paid_with_later_budget)
{
    struct refill_queue *q = queue_alloc(4);
    refill_new(q, 4, 10000, 100000, true, 0);
    refill_charge(q, 5000, 5000, MIN);
    CHECK_REFILLS(q, {5000, 5000}, {100000, 5000});
    /* Ran 5000..10100: 100 ticks beyond the ready budget (kernel WCET). The head's 5000 come
     * back at 105000, touching {100000, 5000}: merged. The 100 cost every refill the time
     * it takes to earn them at b/p = 1/10: 1000 ticks. */
    refill_charge(q, 5100, 10100, MIN);
    CHECK_REFILLS(q, {101000, 10000});
    CHECK(!refill_ready(q, 10100));
    /* An overrun into a ready refill is ordinary use of it. */
    refill_new(q, 4, 10000, 100000, false, 0);
    refill_charge(q, 5000, 5000, MIN);
    refill_charge(q, 5200, 105200, MIN); /* ran 100000..105200 (head 5000 @ 5000, ready) */
    CHECK_REFILLS(q, {100200, 4800}, {200000, 5200});
    /* Usage beyond the whole budget likewise: 40000 ticks too many at b/p = 1/10 take
     * 400000 ticks to earn, so the refill moves from 100000 to 500000 (five budgets' worth
     * push it five periods on, as upstream). */
    refill_new(q, 4, 10000, 100000, true, 0);
    refill_charge(q, 50000, 50000, MIN);
    CHECK_REFILLS(q, {500000, 10000});
    refill_new(q, 4, 10000, 100000, true, 0);
    refill_charge(q, 15000, 15000, MIN);
    CHECK_REFILLS(q, {150000, 10000});
    free(q);
}

/* b/p = 1/2 and every run e = b/2 beyond its whole budget: delaying the refills by the
 * excess alone would give (b + e) / (p + e) = 0.6 of the processor; paying for the excess
 * at b/p keeps it at b / p = 0.5 over many periods. */
#define OVR_B (100 * MIN)
#define OVR_P (200 * MIN)
TEST(overruns_keep_the_long_run_share)
{
    struct refill_queue *q = queue_alloc(4);
    for (int sporadic = 0; sporadic < 2; sporadic++) {
        refill_new(q, 2, OVR_B, OVR_P, sporadic, 0);
        ticks_t now = 0, ran = 0;
        for (int k = 0; k < 200; k++) {
            struct refill h = refill_head(q);
            now = h.time > now ? h.time : now;
            ticks_t run = h.amount + OVR_B / 2;
            now += run;
            ran += run;
            refill_charge(q, run, now, MIN);
            CHECK_INV(q);
        }
        /* At most the budget of every period begun, plus one budget of slack; and no less
         * than the share either (the thread always wants to run). */
        CHECK_LE(ran, (now / OVR_P + 2) * OVR_B);
        CHECK_LE(now / OVR_P * OVR_B, ran + 2 * OVR_B);
    }
    free(q);
}

TEST(sporadic_yield)
{
    struct refill_queue *q = queue_alloc(2);
    refill_new(q, 2, 10000, 100000, true, 0);
    refill_yield(q, 3000, 3000, MIN); /* the whole head, as if used from 0 */
    CHECK_REFILLS(q, {100000, 10000});
    CHECK(!refill_ready(q, 3000));

    struct refill_queue *m = queue_alloc(6);
    refill_new(m, 6, 10000, 100000, false, 0);
    refill_charge(m, 2000, 2000, MIN);
    refill_charge(m, 2000, 12000, MIN); /* 10000..12000 */
    CHECK_REFILLS(m, {4000, 6000}, {100000, 2000}, {110000, 2000});
    refill_yield(m, 1000, 21000, MIN); /* 20000..21000, then the other 5000 of the head */
    CHECK_REFILLS(m, {100000, 2000}, {110000, 2000}, {120000, 6000});
    /* With a ready refill behind the head, yielding gives up only the head. */
    refill_yield(m, 0, 111000, MIN); /* 2000 @ 100000 used as from 111000 */
    CHECK_REFILLS(m, {110000, 2000}, {120000, 6000}, {211000, 2000});
    CHECK(refill_ready(m, 111000));
    free(q);
    free(m);
}

/* ---- unblock -------------------------------------------------------------------------- */

TEST(unblock_check_merges_overlapping_refills)
{
    struct refill_queue *q = queue_alloc(6);
    refill_new(q, 6, 10000, 100000, true, 0);
    refill_charge(q, 2000, 2000, MIN);
    refill_unblock_check(q, 10000, MIN);
    refill_charge(q, 2000, 12000, MIN);
    refill_unblock_check(q, 20000, MIN);
    refill_charge(q, 2000, 22000, MIN);
    CHECK_REFILLS(q, {22000, 4000}, {100000, 2000}, {110000, 2000}, {120000, 2000});
    refill_unblock_check(q, 80000, MIN); /* ready, moved to now, nothing reached */
    CHECK_REFILLS(q, {80000, 4000}, {100000, 2000}, {110000, 2000}, {120000, 2000});
    refill_unblock_check(q, 96000, MIN); /* 96000 + 4000 touches 100000: merged */
    CHECK_REFILLS(q, {96000, 6000}, {110000, 2000}, {120000, 2000});
    refill_unblock_check(q, 115000, MIN); /* every refill is reached in turn */
    CHECK_REFILLS(q, {115000, 10000});
    refill_unblock_check(q, 90000, MIN); /* time never goes back: head not ready: no-op */
    CHECK_REFILLS(q, {115000, 10000});

    /* Constant bandwidth: the same (the kernel calls it when the context starts running). */
    refill_new(q, 6, 10000, 100000, false, 0);
    refill_charge(q, 2000, 2000, MIN);
    refill_unblock_check(q, 99000, MIN);
    CHECK_REFILLS(q, {99000, 10000});
    /* Sporadic, head not ready: no-op. */
    refill_new(q, 6, 10000, 100000, true, 0);
    refill_charge(q, 9000, 9000, MIN);
    refill_unblock_check(q, 50000, MIN);
    CHECK_REFILLS(q, {99000, 10000});
    free(q);
}

/* ---- reconfiguration ------------------------------------------------------------------ */

TEST(update_trims_or_extends_the_head)
{
    struct refill_queue *q = queue_alloc(8);
    refill_new(q, 4, 10000, 100000, true, 0);
    refill_charge(q, 3000, 3000, MIN);
    CHECK_REFILLS(q, {3000, 7000}, {100000, 3000});
    refill_update(q, 4, 5000, 50000, true, 4000, MIN); /* trim: 7000 >= 5000 */
    CHECK_REFILLS(q, {4000, 5000});
    CHECK_EQ(q->budget, 5000);
    CHECK_EQ(q->period, 50000);

    refill_new(q, 4, 10000, 100000, true, 0);
    refill_charge(q, 3000, 3000, MIN);
    refill_update(q, 8, 20000, 100000, false, 4000, MIN); /* extend: the rest a period on */
    CHECK_REFILLS(q, {4000, 7000}, {104000, 13000});
    CHECK_EQ(q->max, 8);
    CHECK_EQ(q->sporadic, 0);

    refill_new(q, 4, 10000, 100000, true, 0);
    refill_charge(q, 9000, 9000, MIN); /* head {99000, 10000}: not ready, keeps its time */
    refill_update(q, 4, 30000, 200000, true, 50000, MIN);
    CHECK_REFILLS(q, {99000, 10000}, {299000, 20000});
    refill_update(q, 4, 6000, 200000, true, 60000, MIN);
    CHECK_REFILLS(q, {99000, 6000});
    free(q);
}

TEST(update_never_leaves_a_refill_below_min)
{
    struct refill_queue *q = queue_alloc(4);
    refill_new(q, 4, 10000, 100000, true, 0);
    refill_charge(q, 3000, 3000, MIN);
    /* Rest 1000 < min: the head gives 250 of its end, the rest starts 250 earlier. */
    refill_update(q, 4, 8000, 100000, true, 4000, MIN);
    CHECK_REFILLS(q, {4000, 6750}, {103750, 1250});
    /* budget < 2 * min: one refill of the whole budget. */
    refill_new(q, 4, 2000, 100000, true, 0);
    refill_charge(q, 600, 600, MIN); /* small use merged: {98600, 2000} */
    refill_update(q, 4, 2400, 100000, true, 98600, MIN);
    CHECK_REFILLS(q, {98600, 2400});
    free(q);
}

TEST(update_round_robin_and_ring_relocation)
{
    struct refill_queue *q = queue_alloc(CAPACITY);
    refill_new(q, 4, 10000, 100000, true, 0);
    /* Walk the head round the ring so it sits at a high index. */
    ticks_t now = 0;
    for (int i = 0; i < 5; i++) {
        refill_unblock_check(q, now, MIN);
        ticks_t start = refill_head(q).time > now ? refill_head(q).time : now;
        now = start + 2000;
        refill_charge(q, 2000, now, MIN);
        CHECK_INV(q);
        now += 20000;
    }
    CHECK_EQ(q->head, 1);
    CHECK_REFILLS(q, {100000, 2000}, {122000, 2000}, {164000, 4000}, {188000, 2000});
    struct refill h = refill_head(q);
    ticks_t at = h.time > now ? h.time : now;
    refill_update(q, 3, 20000, 100000, true, at, MIN);
    CHECK_EQ(q->head, 0); /* relocated: the ring is now 3 entries */
    CHECK_REFILLS(q, {at, h.amount}, {at + 100000, 20000 - h.amount});
    refill_update(q, 2, 5000, 5000, false, at + 10, MIN); /* to round robin */
    CHECK_REFILLS(q, {at + 10, 5000}, {at + 10, 0});
    refill_charge(q, 3000, at + 3010, MIN);
    refill_update(q, 2, 8000, 10000, true, at + 5000, MIN); /* back: head 2000 kept */
    CHECK_REFILLS(q, {at + 5000, 2000}, {at + 15000, 6000});
    free(q);
}

/* ---- saturation and the checker -------------------------------------------------------- */

TEST(times_saturate_instead_of_wrapping)
{
    struct refill_queue *q = queue_alloc(4);
    ticks_t t0 = NEVER - 150000;
    refill_new(q, 4, 10000, 100000, true, t0);
    refill_charge(q, 3000, t0 + 3000, MIN);
    CHECK_REFILLS(q, {t0 + 3000, 7000}, {t0 + 100000, 3000});
    refill_unblock_check(q, t0 + 60000, MIN);
    refill_charge(q, 7000, t0 + 67000, MIN); /* comes back at t0 + 160000: past the end */
    CHECK_EQ(q->count, 2);
    CHECK_EQ(refill_head(q).time, t0 + 100000);
    CHECK_EQ(q->r[(q->head + 1) % q->max].time, NEVER); /* never, rather than wrapped to 0 */
    CHECK(!refill_ready(q, t0 + 67000));
    CHECK(refill_check(q, MIN) == NULL);
    CHECK_EQ(refill_budget_end(q, 0, NEVER - 1), NEVER);
    refill_update(q, 4, 20000, 100000, true, t0 + 67000, MIN);
    CHECK_EQ(refill_head(q).time, t0 + 100000);
    CHECK_EQ(q->r[(q->head + 1) % q->max].time, NEVER);
    free(q);
}

TEST(check_names_each_broken_rule)
{
    struct refill_queue *q = queue_alloc(4);
    refill_new(q, 4, 10000, 100000, true, 0);
    refill_charge(q, 3000, 3000, MIN);
    CHECK(refill_check(q, MIN) == NULL);
    struct refill *h = &q->r[q->head];
    struct refill *t = &q->r[(q->head + 1) % q->max];

    h->amount++;
    CHECK_STR_EQ(refill_check(q, MIN), "amounts exceed the budget");
    h->amount -= 2;
    CHECK_STR_EQ(refill_check(q, MIN), "amounts do not sum to the budget");
    h->amount++;
    t->time = 9000; /* head {3000, 7000} ends at 10000 */
    CHECK_STR_EQ(refill_check(q, MIN), "refills overlap");
    t->time = 2000;
    CHECK_STR_EQ(refill_check(q, MIN), "refills out of order");
    t->time = 100000;
    CHECK_STR_EQ(refill_check(q, 3001), "refill below min_budget");
    q->count = 5;
    CHECK_STR_EQ(refill_check(q, MIN), "count above max");
    q->count = 2;
    q->head = 4;
    CHECK_STR_EQ(refill_check(q, MIN), "head outside the array");
    q->head = 0;
    q->max = 1;
    CHECK_STR_EQ(refill_check(q, MIN), "max below 2");
    q->max = 4;
    q->sporadic = 2;
    CHECK_STR_EQ(refill_check(q, MIN), "sporadic flag neither 0 nor 1");
    q->sporadic = 1;
    q->period = 9999;
    CHECK_STR_EQ(refill_check(q, MIN), "budget above period");

    refill_new(q, 2, 5000, 5000, false, 0);
    CHECK(refill_check(q, MIN) == NULL);
    q->r[1].time = 1;
    CHECK_STR_EQ(refill_check(q, MIN), "round-robin refills at different times");
    q->r[1].time = 0;
    q->r[0].amount = 1000;
    q->r[1].amount = 4000;
    CHECK_STR_EQ(refill_check(q, MIN), "round-robin head below min_budget");
    free(q);
}

/* ---- property test ----------------------------------------------------------------------- */

static uint64_t rng_state;

static uint64_t rng_next(void) /* splitmix64 */
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Uniform in [lo, hi] (the modulo bias is irrelevant here). */
static uint64_t rng_range(uint64_t lo, uint64_t hi)
{
    return lo + rng_next() % (hi - lo + 1);
}

/* A run length up to `most`, favouring the edges: nothing, all of it, tiny and below min. */
static uint64_t rng_usage(uint64_t most)
{
    switch (rng_next() % 8) {
    case 0:
        return most;
    case 1:
        return 0;
    case 2:
        return rng_range(0, most < MIN ? most : MIN);
    default:
        return rng_range(0, most);
    }
}

struct interval {
    ticks_t start, end;
    ticks_t overrun; /* ticks run beyond the head refill (overrun runs only) */
};

/* The reference model: the executed intervals since the last (re)configuration. */
struct model {
    struct interval *iv;
    ticks_t *run_before; /* run_before[i]: total length of iv[0..i-1] */
    size_t n, cap;
};

static void model_reset(struct model *m)
{
    m->n = 0;
}

/*
 * Record [start, end) and, with `window`, check every window [iv[i].start, iv[i].start +
 * period) that the new interval reaches: earlier intervals lie wholly inside it, the new
 * one is clipped. The allowance is the budget, plus with count_overrun the overruns of the
 * runs that start in the window. Returns NULL, or why the bound (or the model) is broken.
 */
static const char *model_run(struct model *m, ticks_t start, ticks_t end, ticks_t overrun,
                             ticks_t budget, ticks_t period, bool count_overrun, bool window)
{
    static char why[200];
    if (end == start) {
        return NULL;
    }
    if (m->n && start < m->iv[m->n - 1].end) {
        return "model: intervals overlap (time went backwards)";
    }
    if (m->n == m->cap) {
        m->cap = m->cap ? 2 * m->cap : 1024;
        m->iv = realloc(m->iv, m->cap * sizeof(*m->iv));
        m->run_before = realloc(m->run_before, (m->cap + 1) * sizeof(*m->run_before));
        if (!m->iv || !m->run_before) {
            abort();
        }
    }
    if (m->n == 0) {
        m->run_before[0] = 0;
    }
    m->iv[m->n] = (struct interval){start, end, overrun};
    m->run_before[m->n + 1] = m->run_before[m->n] + (end - start);
    m->n++;
    size_t last = m->n - 1;
    ticks_t overrun_sum = 0;
    for (size_t i = last + 1; window && i-- > 0;) {
        ticks_t ws = m->iv[i].start;
        if (ws + period <= start) {
            break; /* this window, and every earlier one, ends before the new interval */
        }
        overrun_sum += m->iv[i].overrun;
        ticks_t we = ws + period;
        ticks_t total = m->run_before[last] - m->run_before[i] + ((end < we ? end : we) - start);
        ticks_t allowed = budget + (count_overrun ? overrun_sum : 0);
        if (total > allowed) {
            snprintf(why, sizeof(why), "window [%llu, %llu) ran %llu > %llu",
                     (unsigned long long)ws, (unsigned long long)we, (unsigned long long)total,
                     (unsigned long long)allowed);
            return why;
        }
    }
    return NULL;
}

/*
 * The long-run share: from the configuration at `from` to `end`, the thread has run at most
 * b/p of the time plus one budget (the budget of the period begun), plus the largest
 * overrun a run may make (it is paid for from later periods, so it never accumulates).
 */
static const char *model_share(const struct model *m, ticks_t from, ticks_t end, ticks_t budget,
                               ticks_t period, ticks_t most_overrun)
{
    static char why[200];
    ticks_t ran = m->n ? m->run_before[m->n] : 0;
    __uint128_t share = (__uint128_t)budget * (end - from) / period;
    __uint128_t allowed = share + budget + most_overrun;
    if (ran > allowed) {
        snprintf(why, sizeof(why), "ran %llu in [%llu, %llu): b/p of that is %llu (+ %llu)",
                 (unsigned long long)ran, (unsigned long long)from, (unsigned long long)end,
                 (unsigned long long)share, (unsigned long long)(budget + most_overrun));
        return why;
    }
    return NULL;
}

struct prop_config {
    uint64_t seed;
    int steps;
    uint32_t extra; /* extra refills; UINT32_MAX: random per configuration */
    bool sporadic;
    bool vary;       /* reconfigure now and then */
    ticks_t overrun; /* most ticks a run may go past the head (kernel WCET), 0: none */
    bool overrun_quarter_budget; /* instead: a greedy thread, up to a quarter of the budget */
};

/* Random (budget, period): p in [1 ms, 100 ms], b in [min, p], with the edges favoured. */
static void random_params(ticks_t *budget, ticks_t *period)
{
    ticks_t p = rng_range(MS, 100 * MS);
    ticks_t b;
    switch (rng_next() % 6) {
    case 0:
        b = MIN;
        break;
    case 1:
        b = p; /* round robin */
        break;
    case 2:
        b = rng_range(MIN, 4 * MIN < p ? 4 * MIN : p);
        break;
    default:
        b = rng_range(MIN, p);
        break;
    }
    *budget = b;
    *period = p;
}

static uint32_t random_max(uint32_t extra)
{
    return 2 + (extra == UINT32_MAX ? (uint32_t)rng_range(0, 10) : extra);
}

static long prop_steps_total;

/* Runs one configuration; the caller turns a non-NULL result into the case's failure. */
static const char *property_run(const struct prop_config *c)
{
    static char why[400];
    rng_state = c->seed;
    struct refill_queue *q = queue_alloc(12);
    struct model m = {0};
    ticks_t budget, period;
    random_params(&budget, &period);
    ticks_t now = rng_range(0, 1000 * MS);
    ticks_t configured = now;
    refill_new(q, random_max(c->extra), budget, period, c->sporadic, now);
    bool blocked = false;
    const char *err = NULL;
    const char *op = "new";
    int step;
    for (step = 0; step < c->steps && !err; step++) {
        err = refill_check(q, MIN);
        if (err) {
            break;
        }
        uint64_t pick = c->overrun_quarter_budget ? 0 : rng_next() % 100;
        if (pick < 45 && !blocked) {
            /* Run: wait for the head if it is in the future, then use some of it. */
            op = "run";
            struct refill h = refill_head(q);
            ticks_t start = h.time > now ? h.time : now;
            if (!c->sporadic) {
                /* The kernel re-dates a constant-bandwidth context as it starts running. */
                refill_unblock_check(q, start, MIN);
                h = refill_head(q);
            }
            if (!refill_ready(q, start) || !refill_sufficient(q, 0, MIN)) {
                err = "the thread would run without a ready, sufficient head";
                break;
            }
            if (refill_budget_end(q, 0, start) != start + h.amount) {
                err = "budget end is not the head's end";
                break;
            }
            bool yield = !c->overrun_quarter_budget && rng_next() % 8 == 0;
            /* A greedy thread (the large-overrun case) always uses its whole head. */
            ticks_t used = c->overrun_quarter_budget ? h.amount : rng_usage(h.amount);
            ticks_t over = 0;
            ticks_t most_over = c->overrun_quarter_budget ? budget / 4 : c->overrun;
            if (most_over && !yield && used == h.amount) {
                over = rng_range(0, most_over);
            }
            /* Several kernel entries may pass before the charge: usage accumulates. */
            ticks_t end = start + used + over;
            err = model_run(&m, start, end, over, budget, period, most_over != 0, !c->sporadic);
            if (!err) {
                err = model_share(&m, configured, end, budget, period, most_over);
            }
            now = end;
            if (yield) {
                op = "yield";
                refill_yield(q, used, now, MIN);
            } else {
                refill_charge(q, used + over, now, MIN);
                if (!refill_is_round_robin(q) && refill_ready(q, now) &&
                    !refill_sufficient(q, 0, MIN)) {
                    err = "after a charge the head is ready but below min_budget";
                }
            }
            if (refill_is_round_robin(q) && !refill_ready(q, now)) {
                err = "round robin head not ready";
            }
        } else if (pick < 60 && !blocked) {
            op = "preempt"; /* runnable, but others run: no unblock check */
            now += rng_range(0, rng_next() % 2 ? period / 4 : 2 * period);
        } else if (pick < 75 && !blocked) {
            op = "block";
            blocked = true;
            now += rng_range(0, rng_next() % 2 ? period / 4 : 3 * period);
        } else if (pick < 90 && blocked) {
            op = "unblock";
            blocked = false;
            now += rng_range(0, MIN);
            if (c->sporadic) {
                refill_unblock_check(q, now, MIN); /* a sporadic context is re-dated here */
            }
        } else if (pick >= 98 && c->vary) {
            op = "update";
            random_params(&budget, &period);
            refill_update(q, random_max(c->extra), budget, period, c->sporadic, now, MIN);
            model_reset(&m); /* the bounds are promised from here on */
            configured = now;
        } else {
            op = "idle";
            now += rng_range(0, MIN);
            if (blocked && rng_next() % 4 == 0) {
                blocked = false; /* woken without the check: as a non-sporadic wake-up */
            }
        }
    }
    prop_steps_total += step;
    if (!err) {
        err = refill_check(q, MIN);
    }
    if (err) {
        snprintf(why, sizeof(why),
                 "seed %llu step %d after %s: %s (b %llu p %llu max %u count %u head {%llu, %llu})",
                 (unsigned long long)c->seed, step, op, err, (unsigned long long)q->budget,
                 (unsigned long long)q->period, q->max, q->count,
                 (unsigned long long)refill_head(q).time,
                 (unsigned long long)refill_head(q).amount);
    }
    free(m.iv);
    free(m.run_before);
    free(q);
    return err ? why : NULL;
}

#define CHECK_PROPERTY(cfg)                                                                        \
    do {                                                                                           \
        const char *check_why_ = property_run(&(cfg));                                             \
        if (check_why_) {                                                                          \
            check_fail(__FILE__, __LINE__, "%s", check_why_);                                      \
            return;                                                                                \
        }                                                                                          \
    } while (0)

/* Sporadic queues, 0..10 extra refills, fixed parameters per run: the long-run share. (A
 * sporadic context's budget counts from its release, so a window that starts after a late
 * start may see more than b; the share over many periods stays b/p.) */
TEST(property_sporadic_share)
{
    prop_steps_total = 0;
    for (uint32_t extra = 0; extra <= 10; extra++) {
        for (uint64_t s = 0; s < 3; s++) {
            struct prop_config c = {1000 + extra * 10 + s, 6000, extra, true, false, 0, false};
            CHECK_PROPERTY(c);
        }
    }
    CHECK_LE(100000, prop_steps_total);
}

/* Constant bandwidth: at most b in every window of p, and the long-run share. */
TEST(property_constant_bandwidth_bound)
{
    prop_steps_total = 0;
    for (uint32_t extra = 0; extra <= 10; extra++) {
        for (uint64_t s = 0; s < 3; s++) {
            struct prop_config c = {2000 + extra * 10 + s, 6000, extra, false, false, 0, false};
            CHECK_PROPERTY(c);
        }
    }
    CHECK_LE(100000, prop_steps_total);
}

/* Reconfiguration while in use: random budgets, periods and refill limits. */
TEST(property_reconfigured_bound)
{
    prop_steps_total = 0;
    for (uint64_t s = 0; s < 40; s++) {
        struct prop_config c = {3000 + s, 5000, UINT32_MAX, s % 2 == 0, true, 0, false};
        CHECK_PROPERTY(c);
    }
    CHECK_LE(100000, prop_steps_total);
}

/* Kernel-WCET overruns past the head: invariants hold, a constant-bandwidth window gets at
 * most b plus the overruns of the runs that start in it, and the long-run share of both
 * kinds stays b/p (the overruns are paid from later budget). */
TEST(property_overrun_bound)
{
    prop_steps_total = 0;
    for (uint64_t s = 0; s < 30; s++) {
        struct prop_config c = {4000 + s, 5000, UINT32_MAX, s % 2 == 0, s % 3 == 0, 200, false};
        CHECK_PROPERTY(c);
    }
    CHECK_LE(100000, prop_steps_total);
}

/* A greedy thread that always uses its whole head and overruns it by up to a quarter of
 * the budget (a late kernel taken to the extreme): the long-run share must still hold. */
TEST(property_large_overruns_keep_the_share)
{
    prop_steps_total = 0;
    for (uint64_t s = 0; s < 30; s++) {
        struct prop_config c = {5000 + s, 5000, UINT32_MAX, s % 2 == 0, false, 0, true};
        CHECK_PROPERTY(c);
    }
    CHECK_LE(100000, prop_steps_total);
}
