/* The MCS scheduler; see scheduler.h.
 *
 * The running thread is never in a ready queue. Time is accounted at every kernel entry
 * to ks_consumed and charged to the running context's refills only when the context
 * changes or its head refill runs out (as upstream does), so a thread that keeps running
 * keeps one refill. The timer is one-shot and reprogrammed at every exit. */
#include "sched/scheduler.h"

#include "arch/aarch64/timer.h"
#include "kernel/cap.h"
#include "kernel/console.h"
#include "kernel/fault.h"
#include "kernel/objects.h"
#include "kernel/thread.h"
#include "kernel/trace.h"
#include "sched/domain.h"

/* The small tests every kernel entry makes: inlined whatever the compiler thinks of their
 * callers' size, since a call costs more than they do. */
#define SCHED_INLINE static inline __attribute__((always_inline))

#define FAR_FUTURE UINT64_MAX
#define IDLE_EXIT_TICK_US 1000u

struct sched_context *ks_cur_sc;
ticks_t ks_cur_time;
ticks_t ks_consumed;

/* Ready queues per domain and priority, with a bitmap per domain (scheduler.h). Only the
 * current domain's are looked at when choosing. */
static struct ready_queues {
    struct sched_ready_queue q[NUM_PRIORITIES];
} ready[CONFIG_NUM_DOMAINS];
struct ready_bitmap ks_ready_bitmap[CONFIG_NUM_DOMAINS];
static struct tcb *release_head;

/* With one domain, the default, every domain index is 0 and every thread is in the current
 * domain: written this way the compiler drops the lookups. */
#define DOMAIN_INDEX(d) (CONFIG_NUM_DOMAINS == 1 ? 0u : (unsigned int)(d))
#define IN_CUR_DOMAIN(t) (CONFIG_NUM_DOMAINS == 1 || (t)->domain == ks_cur_domain)

/* The switch candidate: a thread made runnable during this kernel entry that outranks the
 * running thread and every ready one, as upstream's possibleSwitchTo. It counts as the tail
 * of its priority's ready queue without being in it, so choosing it at exit costs no queue
 * round trip. Any other insertion puts it into its queue first, so FIFO order is exactly as
 * if it had been queued; it never outlives the kernel entry that made it. */
static struct tcb *candidate;
#define QUEUED_IN_QUEUE SCHED_QUEUED_IN_QUEUE
#define QUEUED_CANDIDATE 2

/* In ticks, once the timer's frequency is known: every kernel entry needs them. */
static ticks_t min_budget_ticks;
ticks_t ks_entry_budget_ticks;

void sched_init(void)
{
    min_budget_ticks = time_us_to_ticks(MIN_BUDGET_US, timer_frequency());
    ks_entry_budget_ticks = time_us_to_ticks(KERNEL_WCET_US, timer_frequency());
}

ticks_t sched_min_budget(void)
{
    return min_budget_ticks;
}

/* Upstream's bound: periods whose tick count stays far from overflow in any sum. */
#define MAX_PERIOD_DIVISOR 8
#define HZ_PER_KHZ 1000
uint64_t sched_max_period_us(void)
{
    uint64_t khz = timer_frequency() / HZ_PER_KHZ;
    return khz ? UINT64_MAX / khz / MAX_PERIOD_DIVISOR : 0;
}

SCHED_INLINE bool runnable(const struct tcb *t)
{
    return t->state == THREAD_RUNNING || t->state == THREAD_RESTART;
}

static int highest_ready(const struct ready_bitmap *r)
{
    if (!r->top) {
        return -1;
    }
    unsigned int w = 63u - (unsigned int)__builtin_clzll(r->top);
    return (int)(w * PRIO_WORD_BITS + 63u - (unsigned int)__builtin_clzll(r->bits[w]));
}

static void ready_insert_queue(struct tcb *t, bool at_head)
{
    struct ready_queues *r = &ready[DOMAIN_INDEX(t->domain)];
    struct ready_bitmap *b = &ks_ready_bitmap[DOMAIN_INDEX(t->domain)];
    unsigned int p = t->priority;
    t->queued = QUEUED_IN_QUEUE;
    if (at_head) {
        t->sched_prev = 0;
        t->sched_next = r->q[p].head;
        if (r->q[p].head) {
            r->q[p].head->sched_prev = t;
        } else {
            r->q[p].tail = t;
        }
        r->q[p].head = t;
    } else {
        t->sched_next = 0;
        t->sched_prev = r->q[p].tail;
        if (r->q[p].tail) {
            r->q[p].tail->sched_next = t;
        } else {
            r->q[p].head = t;
        }
        r->q[p].tail = t;
    }
    b->bits[p / PRIO_WORD_BITS] |= 1ull << (p % PRIO_WORD_BITS);
    b->top |= 1ull << (p / PRIO_WORD_BITS);
}

static void flush_candidate(void)
{
    struct tcb *c = candidate;
    candidate = 0;
    ready_insert_queue(c, false);
}

static void ready_insert(struct tcb *t, bool at_head)
{
    if (candidate) {
        flush_candidate();
    }
    ready_insert_queue(t, at_head);
}

static void ready_remove(struct tcb *t)
{
    if (t->queued == QUEUED_CANDIDATE) {
        candidate = 0;
        t->queued = 0;
        return;
    }
    struct ready_queues *r = &ready[DOMAIN_INDEX(t->domain)];
    struct ready_bitmap *b = &ks_ready_bitmap[DOMAIN_INDEX(t->domain)];
    unsigned int p = t->priority;
    if (t->sched_prev) {
        t->sched_prev->sched_next = t->sched_next;
    } else {
        r->q[p].head = t->sched_next;
    }
    if (t->sched_next) {
        t->sched_next->sched_prev = t->sched_prev;
    } else {
        r->q[p].tail = t->sched_prev;
    }
    t->sched_next = t->sched_prev = 0;
    t->queued = 0;
    if (!r->q[p].head) {
        b->bits[p / PRIO_WORD_BITS] &= ~(1ull << (p % PRIO_WORD_BITS));
        if (!b->bits[p / PRIO_WORD_BITS]) {
            b->top &= ~(1ull << (p / PRIO_WORD_BITS));
        }
    }
}

static ticks_t release_time(const struct tcb *t)
{
    return refill_head(&t->sc->q).time;
}

/* Sorted by head-refill time; equal times keep arrival order. */
static void release_insert(struct tcb *t)
{
    struct tcb **pp = &release_head, *prev = 0;
    while (*pp && release_time(*pp) <= release_time(t)) {
        prev = *pp;
        pp = &(*pp)->sched_next;
    }
    t->sched_next = *pp;
    t->sched_prev = prev;
    if (*pp) {
        (*pp)->sched_prev = t;
    }
    *pp = t;
    t->released = 1;
    TRACE_THREAD(KTRACE_EV_POSTPONE, 0, t, 0, release_time(t));
}

static void release_remove(struct tcb *t)
{
    if (t->sched_prev) {
        t->sched_prev->sched_next = t->sched_next;
    } else {
        release_head = t->sched_next;
    }
    if (t->sched_next) {
        t->sched_next->sched_prev = t->sched_prev;
    }
    t->sched_next = t->sched_prev = 0;
    t->released = 0;
}

void sched_remove(struct tcb *t)
{
    if (t->queued) {
        ready_remove(t);
    }
    if (t->released) {
        release_remove(t);
    }
}

SCHED_INLINE bool has_runnable_context(const struct tcb *t)
{
    return runnable(t) && sc_active(t->sc) && t->sc->tcb == t;
}

SCHED_INLINE bool has_ready_budget(const struct tcb *t)
{
    const struct refill_queue *q = &t->sc->q;
    return refill_ready(q, ks_cur_time) && refill_sufficient(q, 0, sched_min_budget());
}

/* A thread with budget now goes to the back of its queue, else waits for its refill. */
static void enqueue_by_budget(struct tcb *t)
{
    if (has_ready_budget(t)) {
        ready_insert(t, false);
    } else {
        release_insert(t);
    }
}

/* t, just made runnable with ready budget, would be chosen at this entry's exit if nothing
 * changed before then: it outranks the running thread (or that one has stopped) and every
 * ready thread of its domain. */
SCHED_INLINE bool outranks_all(const struct tcb *t)
{
    const struct tcb *cur = ks_cur_thread;
    return !candidate && IN_CUR_DOMAIN(t) &&
           (!cur || !runnable(cur) || t->priority >= cur->priority) &&
           !sched_ready_at_or_above(t->priority);
}

void sched_enqueue_head(struct tcb *t)
{
    if (t->queued) {
        ready_remove(t);
    }
    ready_insert(t, true);
}

void sched_thread_changed(struct tcb *t)
{
    if (!has_runnable_context(t)) {
        sched_remove(t);
        return;
    }
    if (t == ks_cur_thread || t->queued || t->released) {
        return;
    }
    /* The running context (donated along a Call, say) has uncharged time: its refills
     * must not be moved before that is billed. */
    if (t->sc->q.sporadic && t->sc != ks_cur_sc) {
        refill_unblock_check(&t->sc->q, ks_cur_time, sched_min_budget());
    }
    if (!has_ready_budget(t)) {
        release_insert(t);
    } else if (outranks_all(t)) {
        candidate = t;
        t->queued = QUEUED_CANDIDATE;
    } else {
        ready_insert(t, false);
    }
}

static void charge(struct sched_context *sc, ticks_t usage)
{
    refill_charge(&sc->q, usage, ks_cur_time, sched_min_budget());
    sc->consumed += usage;
}

static bool has_timeout_handler(const struct tcb *t)
{
    return fault_handler_valid(tcb_slot((struct tcb *)t, TCB_TIMEOUT_HANDLER)->cap);
}

static void timeout_fault(struct tcb *t, struct sched_context *sc)
{
    uint64_t consumed = time_ticks_to_us(sc->consumed, timer_frequency());
    sc->consumed = 0;
    TRACE_THREAD(KTRACE_EV_TIMEOUT, 0, t, (uint32_t)sc->badge, consumed);
    /* Debug kernels only: a release kernel delivers the fault without a word, as upstream. */
    kprintf_user_error("kairos: timeout fault in thread \"%s\": label=5 len=2: 0x%lx 0x%lx\n",
                       t->name, sc->badge, consumed);
    fault_raise_timeout(t, sc->badge, consumed, true);
}

/* Enough budget left to finish this kernel entry (sched_check_budget): the kernel's WCET,
 * not the whole minimum budget (2 x WCET) that upstream asks for. A context at the minimum
 * budget has less than that left as soon as any time has passed, so under upstream's rule
 * its thread could never complete a system call: every entry would charge it and restart
 * the call. */
bool sched_budget_exhausted(void)
{
    struct sched_context *sc = ks_cur_sc;
    TRACE_EVENT(KTRACE_EV_EXHAUSTED, 0, TRACE_TCB_ID(ks_cur_thread), TRACE_SC_ID(sc), 0,
                ks_consumed);
    charge(sc, ks_consumed);
    ks_consumed = 0;
    struct tcb *t = ks_cur_thread;
    if (t && t->sc == sc && runnable(t) && !t->queued && !t->released) {
        if (!refill_is_round_robin(&sc->q) && has_timeout_handler(t)) {
            timeout_fault(t, sc);
        } else {
            enqueue_by_budget(t);
        }
    }
    return false;
}

void sched_reply_returned(struct tcb *t, bool answered_timeout_fault)
{
    struct sched_context *sc = t->sc;
    if (!runnable(t) || !sc_active(sc) || sc->tcb != t) {
        return;
    }
    if (refill_ready(&sc->q, ks_cur_time) && refill_sufficient(&sc->q, 0, sched_min_budget())) {
        return;
    }
    if (!answered_timeout_fault && has_timeout_handler(t)) {
        timeout_fault(t, sc);
    }
}

void sched_yield(void)
{
    struct tcb *t = ks_cur_thread;
    struct sched_context *sc = ks_cur_sc;
    if (!t || !sc || t->sc != sc) {
        return;
    }
    refill_yield(&sc->q, ks_consumed, ks_cur_time, sched_min_budget());
    sc->consumed += ks_consumed;
    ks_consumed = 0;
    if (!has_ready_budget(t)) {
        release_insert(t);
    } else if (sched_ready_at_or_above(t->priority) || !IN_CUR_DOMAIN(t)) {
        ready_insert(t, false);
    }
    /* Otherwise alone at its priority and above, with budget: it would be queued only to be
     * chosen again at once, so it stays the running thread. */
}

static void awaken(void)
{
    while (release_head && refill_ready(&release_head->sc->q, ks_cur_time)) {
        struct tcb *t = release_head;
        TRACE_THREAD(KTRACE_EV_RELEASE, 0, t, (uint32_t)refill_head(&t->sc->q).amount,
                     release_time(t));
        release_remove(t);
        ready_insert(t, false);
    }
}

static void program_timer(void)
{
    ticks_t deadline = FAR_FUTURE;
    if (ks_cur_sc) {
        deadline = refill_budget_end(&ks_cur_sc->q, ks_consumed, ks_cur_time);
    }
    if (release_head && release_time(release_head) < deadline) {
        deadline = release_time(release_head);
    }
    if (domain_end() < deadline) {
        deadline = domain_end();
    }
    if (deadline == FAR_FUTURE && thread_idle_exit_armed()) {
        deadline = ks_cur_time + time_us_to_ticks(IDLE_EXIT_TICK_US, timer_frequency());
    }
    if (deadline == FAR_FUTURE) {
        timer_ack();
    } else {
        timer_set_deadline(deadline);
    }
}

/* The candidate if it is still the one to run (nothing queued since outranks it, its domain
 * still runs, the running thread does not outrank it); otherwise it joins its queue. */
static struct tcb *take_candidate(const struct tcb *cur, bool cur_ok, int best)
{
    struct tcb *c = candidate;
    candidate = 0;
    c->queued = 0;
    if ((int)c->priority > best && IN_CUR_DOMAIN(c) && !(cur_ok && cur->priority >= c->priority) &&
        has_runnable_context(c) && has_ready_budget(c)) {
        return c;
    }
    ready_insert_queue(c, false);
    return 0;
}

struct tcb *sched_choose(struct tcb *idle)
{
    awaken();
    domain_advance(ks_cur_time);
    struct tcb *cur = ks_cur_thread, *next;
    bool cur_runnable = cur && has_runnable_context(cur) && !cur->queued && !cur->released &&
                        refill_ready(&cur->sc->q, ks_cur_time);
    bool cur_ok = cur_runnable && IN_CUR_DOMAIN(cur);
    struct ready_queues *r = &ready[DOMAIN_INDEX(ks_cur_domain)];
    const struct ready_bitmap *bits = &ks_ready_bitmap[DOMAIN_INDEX(ks_cur_domain)];
    int best = highest_ready(bits);
    struct tcb *direct = 0;
    if (candidate) {
        direct = take_candidate(cur, cur_ok, best);
        best = direct ? best : highest_ready(bits);
    }
    if (direct) {
        if (cur_runnable) {
            ready_insert(cur, true);
        }
        next = direct;
    } else if (cur_ok && (int)cur->priority >= best) {
        next = cur;
    } else {
        if (cur_runnable) {
            /* Preempted (or its domain's time is up): first in line among its equals. */
            ready_insert(cur, true);
        }
        next = best >= 0 ? r->q[best].head : idle;
        /* A thread charged after it was preempted can have lost its ready budget (a head
         * left below the minimum budget folds into the next, future refill): it waits for
         * that refill instead of running on budget it does not have. */
        while (next != idle && next->sc != ks_cur_sc && !has_ready_budget(next)) {
            ready_remove(next);
            release_insert(next);
            best = highest_ready(bits);
            next = best >= 0 ? r->q[best].head : idle;
        }
        if (next != idle) {
            ready_remove(next);
        }
    }
    struct sched_context *sc = next == idle ? 0 : next->sc;
    if (sc != ks_cur_sc) {
        if (ks_cur_sc && ks_consumed) {
            charge(ks_cur_sc, ks_consumed);
        }
        ks_consumed = 0;
        ks_cur_sc = sc;
        /* A constant-bandwidth context's refills are re-dated when it becomes the running
         * context, a sporadic one's when its thread became runnable (upstream). */
        if (sc && !sc->q.sporadic) {
            refill_unblock_check(&sc->q, ks_cur_time, sched_min_budget());
        }
    }
    program_timer();
    return next;
}

static void dump_thread(const char *tag, const struct tcb *t)
{
    kprintf("  %-7s prio %3u \"%s\"", tag, t->priority, t->name);
    if (t->sc && sc_active(t->sc)) {
        const struct refill_queue *q = &t->sc->q;
        kprintf(" budget %lu period %lu ticks, refills %u/%u:", q->budget, q->period, q->count,
                q->max);
        for (uint32_t k = 0; k < q->count; k++) {
            const struct refill *r = &q->r[(q->head + k) % q->max];
            kprintf(" {%lu, %lu}", r->time, r->amount);
        }
    }
    kprintf("\n");
}

/* seL4_DebugDumpScheduler: the running thread, the ready queues from the highest
 * priority down, then the release queue in release order. */
void sched_dump(void)
{
    kprintf("kairos: scheduler at tick %lu, domain %u\n", ks_cur_time, ks_cur_domain);
    if (ks_cur_thread) {
        dump_thread("running", ks_cur_thread);
    }
    for (unsigned int d = 0; d < CONFIG_NUM_DOMAINS; d++) {
        for (int p = NUM_PRIORITIES - 1; p >= 0; p--) {
            for (const struct tcb *t = ready[d].q[p].head; t; t = t->sched_next) {
                dump_thread("ready", t);
            }
        }
    }
    for (const struct tcb *t = release_head; t; t = t->sched_next) {
        dump_thread("release", t);
    }
}

#ifdef CONFIG_KAIROS_INVARIANTS
const struct sched_ready_queue *sched_ready_queues(unsigned int domain)
{
    return ready[domain].q;
}

struct tcb *sched_release_head(void)
{
    return release_head;
}

struct tcb *sched_candidate(void)
{
    return candidate;
}
#endif
