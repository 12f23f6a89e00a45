/* Domains (manual §6.3), booted with a two-entry schedule (make DOMAINS=0:6000,1:4000):
 * only threads of the current domain run, the domain switches on time, and each domain's
 * threads get the share of the processor its entries give it. This image holds only these
 * tests: the rest of the suite expects the processor to itself.
 * Uses thread_util.h, so: systest: needs a debug kernel */
#include <kairos/string.h>

#include "tests/system/thread_util.h"

#if CONFIG_NUM_DOMAINS != 2
#error "the domain tests are built for DOMAINS=0:6000,1:4000"
#endif

#define DOM0_US 6000
#define DOM1_US 4000
#define FRAME_US (DOM0_US + DOM1_US)
#define PRIO_T 150
#define A_BUDGET_US 3000
#define WINDOW_US (20 * FRAME_US)
#define GAP_US 100
#define EDGE_US 50
#define MAX_RUNS 64

/* DomainSet_Set (manual §10.3.2.1): a domain below the number of domains, a TCB cap. */
SYSTEST(domain_set_checks_its_arguments)
{
    if (!threads_begin()) {
        return;
    }
    struct thread *t = thread_create(NULL, 0, PRIO_T);
    if (t) {
        CHECK_ARG_ERROR(seL4_DomainSet_Set(seL4_CapDomain, CONFIG_NUM_DOMAINS, t->tcb),
                        seL4_InvalidArgument, 0);
        CHECK_ARG_ERROR(seL4_DomainSet_Set(seL4_CapDomain, 1, seL4_CapInitThreadCNode),
                        seL4_InvalidArgument, 1);
        CHECK_EQ(seL4_DomainSet_Set(seL4_CapDomain, 1, t->tcb), seL4_NoError);
        CHECK_EQ(seL4_DomainSet_Set(seL4_CapDomain, 0, t->tcb), seL4_NoError);
    }
    CHECK_EQ(seL4_GetBootInfo()->initThreadDomain, 0);
    threads_end();
}

static struct {
    volatile uint64_t start[MAX_RUNS], end[MAX_RUNS];
    volatile int runs;
    volatile uint64_t spins;
} b;

/* Spins and records the intervals it ran in (a gap longer than GAP_US ends one). */
static void record_runs(seL4_Word unused)
{
    (void)unused;
    uint64_t last = now_ticks();
    b.start[0] = last;
    for (;;) {
        uint64_t now = now_ticks();
        if (now - last > us_to_ticks(GAP_US) && b.runs < MAX_RUNS - 1) {
            b.end[b.runs] = last;
            b.runs = b.runs + 1;
            b.start[b.runs] = now;
        }
        last = now;
    }
}

static void spin(seL4_Word unused)
{
    (void)unused;
    for (;;) {
        b.spins++;
    }
}

/* B, in domain 1, always wants to run: it runs exactly while domain 1's 4 ms last, then
 * waits out domain 0's 6 ms, so it gets 40% of the processor. A, in domain 0 with a (3 ms,
 * 10 ms) budget, gets its 30%; the root task, in domain 0 too, the rest of domain 0. */
SYSTEST(domain_schedule_gives_each_domain_its_share)
{
    if (!threads_begin()) {
        return;
    }
    memset((void *)&b, 0, sizeof(b));
    struct thread *tb = thread_create(record_runs, 0, PRIO_T);
    struct thread *ta = thread_create(spin, 0, PRIO_T);
    if (tb && ta && thread_give_sc(tb, 5000, 5000, 0) &&
        thread_give_sc(ta, A_BUDGET_US, FRAME_US, seL4_SchedContext_Sporadic)) {
        CHECK_EQ(seL4_DomainSet_Set(seL4_CapDomain, 1, tb->tcb), seL4_NoError);
        thread_resume(tb);
        thread_resume(ta);
        root_background_us(2 * FRAME_US);
        (void)seL4_SchedContext_Consumed(ta->sc);
        (void)seL4_SchedContext_Consumed(tb->sc);
        uint64_t t0 = now_ticks();
        root_background_us(WINDOW_US);
        uint64_t elapsed = ticks_to_us(now_ticks() - t0);
        uint64_t used_a = seL4_SchedContext_Consumed(ta->sc).consumed;
        uint64_t used_b = seL4_SchedContext_Consumed(tb->sc).consumed;
        CHECK_EQ(seL4_TCB_Suspend(tb->tcb), seL4_NoError);
        uint64_t want_b = elapsed * DOM1_US / FRAME_US, want_a = elapsed * A_BUDGET_US / FRAME_US;
        CHECK(used_b + DOM1_US >= want_b && used_b <= want_b + DOM1_US);
        CHECK(used_a + A_BUDGET_US >= want_a && used_a <= want_a + A_BUDGET_US);
        /* B's runs: whole 4 ms entries, 6 ms apart (the first and last may be cut). */
        int runs = b.runs;
        CHECK(runs >= 10);
        for (int i = 1; i + 1 < runs; i++) {
            uint64_t len = ticks_to_us(b.end[i] - b.start[i]);
            uint64_t gap = ticks_to_us(b.start[i + 1] - b.end[i]);
            CHECK(len + EDGE_US >= DOM1_US && len <= DOM1_US + EDGE_US);
            CHECK(gap + EDGE_US >= DOM0_US && gap <= DOM0_US + EDGE_US);
        }
        printf("domains: over %lu us, domain 1's thread got %lu us, domain 0's (3 ms / 10 ms) "
               "got %lu us; %d runs of domain 1\n",
               (unsigned long)elapsed, (unsigned long)used_b, (unsigned long)used_a, runs);
    }
    threads_end();
}
