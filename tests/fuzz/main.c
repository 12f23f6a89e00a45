/* The system-call fuzzer's root task (docs/fuzzing.md, issue 14): for each seed of
 * FUZZ_SEED_LIST it builds a pool of every object type, lets a worker thread run FUZZ_OPS
 * random ops on it, destroys everything and checks that nothing leaked, and reports on the
 * tools/run-system-tests.py line protocol. With FUZZ_PLAN_FILE it replays only the listed
 * ops of the first seed. main() returns the number of failed seeds. */
#include "fuzz.h"

static const uint64_t seeds[] = {FUZZ_SEED_LIST};
#define SEED_COUNT (sizeof(seeds) / sizeof(seeds[0]))

#ifdef FUZZ_PLAN_FILE
static const uint64_t plan[] = {
#include FUZZ_PLAN_FILE
};
#define HAVE_PLAN 1
#define PLAN plan
#define PLAN_COUNT (sizeof(plan) / sizeof(plan[0]))
#else
#define HAVE_PLAN 0
#define PLAN NULL
#define PLAN_COUNT 0
#endif

static uint64_t ticks_now(void)
{
    uint64_t v;
    __asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v));
    return v;
}

static uint64_t ticks_per_second(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
    return v;
}

/* Runs one seed; a reason for its failure, or NULL. */
static const char *run_seed(struct world *w, uint64_t seed)
{
    static char why[96];
    fuzz_shared.seed = seed;
    fuzz_shared.plan = PLAN;
    fuzz_shared.count = HAVE_PLAN ? PLAN_COUNT : FUZZ_OPS;
    fuzz_shared.next = 0;
    fuzz_shared.hash = FUZZ_HASH_INIT;
    fuzz_shared.done = 0;
    for (unsigned int i = 0; i < FUZZ_ERROR_BUCKETS; i++) {
        fuzz_shared.errors[i] = 0;
    }
    const char *fail = NULL;
    uint64_t faults = 0, restarts = 0;
    uint64_t start = ticks_now();
    if (!pool_build(w)) {
        fail = "could not build the pool";
    } else if (!supervisor_run(w, &faults, &restarts)) {
        fail = "could not (re)start the worker";
    }
    uint64_t ticks = ticks_now() - start;
    supervisor_stop();
    seL4_Word broken = kairos_debug_check_consistency();
    if (!fail && broken != 0) {
        snprintf(why, sizeof(why), "%lu inconsistencies after the ops", (unsigned long)broken);
        fail = why;
    }
    unsigned int leaks = pool_destroy(w);
    if (!fail && leaks != 0) {
        snprintf(why, sizeof(why), "%u untyped(s) leaked or did not revoke", leaks);
        fail = why;
    }
    broken = kairos_debug_check_consistency();
    if (!fail && broken != 0) {
        snprintf(why, sizeof(why), "%lu inconsistencies after the teardown", (unsigned long)broken);
        fail = why;
    }
    uint64_t ms = ticks * 1000 / ticks_per_second();
    printf("FUZZ seed=%lu ops=%lu faults=%lu restarts=%lu hash=%016lx\n", (unsigned long)seed,
           (unsigned long)fuzz_shared.next, (unsigned long)faults, (unsigned long)restarts,
           (unsigned long)fuzz_shared.hash);
    printf("FUZZ errors seed=%lu", (unsigned long)seed);
    for (unsigned int i = 0; i < seL4_NumErrors; i++) {
        printf(" %u=%lu", i, (unsigned long)fuzz_shared.errors[i]);
    }
    printf(" other=%lu\n", (unsigned long)fuzz_shared.errors[seL4_NumErrors]);
    printf("FUZZ time seed=%lu ms=%lu ops_per_s=%lu\n", (unsigned long)seed, (unsigned long)ms,
           (unsigned long)(ms ? fuzz_shared.next * 1000 / ms : 0));
    return fail;
}

int main(void)
{
    unsigned int count = HAVE_PLAN ? 1 : SEED_COUNT;
    printf("SUITE fuzz %u\n", count);
    /* Pool threads the worker resumes run whatever registers it gave them and usually have
     * no fault handler: the kernel reports them as made inactive. They are unnamed (""), the
     * fuzzer's own threads are named, so only theirs stay failures. */
    printf("ALLOW thread \"\" made inactive$\n");
    struct world w = {0};
    if (!world_init(&w) || !supervisor_init()) {
        for (unsigned int i = 0; i < count; i++) {
            printf("FAIL fuzz_seed_%lu: no environment\n", (unsigned long)seeds[i]);
        }
        return (int)count;
    }
    int failed = 0;
    for (unsigned int i = 0; i < count; i++) {
        const char *why = run_seed(&w, seeds[i]);
        if (why) {
            failed++;
            printf("FAIL fuzz_seed_%lu: %s\n", (unsigned long)seeds[i], why);
        } else {
            printf("PASS fuzz_seed_%lu\n", (unsigned long)seeds[i]);
        }
    }
    return failed;
}
