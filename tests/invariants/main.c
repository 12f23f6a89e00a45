/* The invariant checks' own test (FUZZ=1 kernels): one boot per case. The root task sets up
 * the state an invariant is about (a thread blocked on an endpoint, a caller waiting for a
 * reply, ...), has the kernel break that invariant on purpose (kairos_debug_corrupt) and
 * expects the kernel to report it and stop with status 3 at that call's exit. The case's
 * name comes from a generated file (corrupt_case, the Makefile's INVARIANT_CASES); the
 * numbers are kernel/invariants.c's enum corrupt_case. */
#include <kairos/debug.h>
#include <kairos/string.h>

#include "../system/thread_util.h"

extern const char corrupt_case[];

#define THREAD_PRIO 100
#define SETTLE_US 3000
#define SPIN_BUDGET_US 1000
#define SPIN_PERIOD_US 1000000
#define OWN_BUDGET_US 5000

struct corrupt_case_info {
    const char *name;  /* invariant_<name>_is_caught */
    const char *which; /* the kernel's name for the invariant */
};

/* Indexed by case number (kernel/invariants.c, enum corrupt_case). */
static const struct corrupt_case_info cases[] = {
    [1] = {"cdt", "cdt"},
    [2] = {"ready_bitmap", "ready bitmap"},
    [3] = {"release_queue", "release queue"},
    [4] = {"refills", "refills"},
    [5] = {"endpoint_queue", "endpoint queue"},
    [6] = {"reply", "reply"},
    [7] = {"notification_queue", "notification queue"},
    [8] = {"sc_binding", "scheduling context"},
    [9] = {"ready_queue", "ready queue"},
    [10] = {"untyped", "untyped"},
};
#define NUM_CASES ((int)(sizeof(cases) / sizeof(cases[0])))

static void spin(seL4_Word arg)
{
    (void)arg;
    for (;;) {
    }
}

static void wait_on(seL4_Word cap)
{
    seL4_Wait(cap, NULL);
}

static void call(seL4_Word ep)
{
    seL4_Call(ep, seL4_MessageInfo_new(0, 0, 0, 0));
}

/* The state the case's invariant is about; false if it could not be made. */
static bool set_up(int c)
{
    seL4_CPtr obj;
    seL4_Word badge;
    switch (c) {
    case 3: /* a thread that used up its budget waits in the release queue */
        if (!thread_spawn(spin, 0, THREAD_PRIO, SPIN_BUDGET_US, SPIN_PERIOD_US, 0)) {
            return false;
        }
        root_background_us(SETTLE_US);
        return true;
    case 5: /* a thread blocked receiving on an endpoint */
    case 7: /* a thread waiting on a notification */
        obj = threads_object(c == 5 ? seL4_EndpointObject : seL4_NotificationObject, 0);
        if (!obj || !thread_spawn(wait_on, obj, THREAD_PRIO, OWN_BUDGET_US, OWN_BUDGET_US, 0)) {
            return false;
        }
        root_background_us(SETTLE_US);
        return true;
    case 6: { /* a caller waiting for the root task's reply */
        obj = threads_object(seL4_EndpointObject, 0);
        seL4_CPtr reply = threads_object(seL4_ReplyObject, 0);
        if (!obj || !reply ||
            !thread_spawn(call, obj, THREAD_PRIO, OWN_BUDGET_US, OWN_BUDGET_US, 0)) {
            return false;
        }
        seL4_Recv(obj, &badge, reply);
        return true;
    }
    case 9: /* a ready thread (the root task outranks it) */
        return thread_spawn(spin, 0, THREAD_PRIO, OWN_BUDGET_US, OWN_BUDGET_US, 0) != NULL;
    default: /* 1, 10: threads_begin's untyped and its page tables; 2, 4, 8: the root task */
        return true;
    }
}

int main(void)
{
    int c = 1;
    while (c < NUM_CASES && strcmp(cases[c].name, corrupt_case) != 0) {
        c++;
    }
    if (c == NUM_CASES) {
        printf("FAIL invariant_%s_is_caught: no such case\n", corrupt_case);
        return 1;
    }
    const struct corrupt_case_info *k = &cases[c];
    systest_begin("invariants");
    /* No SUITE line: the runner counts only PASS and FAIL lines against it, and a caught
     * invariant ends the run before any (the fault images do the same). */
    if (!threads_begin() || !set_up(c)) {
        printf("FAIL invariant_%s_is_caught: set-up: %s\n", k->name,
               systest_failed() ? systest_failure() : "?");
        return 1;
    }
    printf("STATUS 3\n");
    printf("EXPECT invariant_%s_is_caught kairos: invariant failed: %s: \n", k->name, k->which);
    printf("EXPECT invariant_%s_last_entry kairos: invariant: last entry: system call -73 by "
           "\"rootserver\": x0..x7 = 0x%x \n",
           k->name, c);
    if (kairos_debug_corrupt((seL4_Word)c) != 0) {
        printf("FAIL invariant_%s_is_caught: the state to corrupt is absent\n", k->name);
        return 1;
    }
    seL4_Yield();
    printf("FAIL invariant_%s_is_caught: not caught\n", k->name);
    return 1;
}
