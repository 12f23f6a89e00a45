/* The default root task (`make run`): a small real-time system, traced.
 *
 *   sensor   periodic, (1 ms, 5 ms), 500 µs of work per job
 *   control  periodic, (2 ms, 10 ms), 800 µs of its own work per job plus a call to
 *   logger   a passive server: 500 µs per request, on the caller's (control's) context
 *   hog      tries to run forever on (2 ms, 10 ms); each time its budget runs out its
 *            timeout fault comes to us, and we restart it
 *
 * The periodic tasks' contexts are sporadic (seL4_SchedContext_Sporadic): budget comes back
 * one period after a release, so releases stay on the period even when a job starts late.
 * The hog's is constant bandwidth (no flag): budget comes back one period after it was
 * used, so no window of one period holds more than its budget (docs/scheduling.md).
 *
 * The run lasts one second (200 sensor jobs). The kernel logs it; we then print the log for
 * tools/ktrace and a summary: each thread's budget, period, share of the CPU, missed
 * deadlines and timeout faults. */
#include <kairos/stdio.h>
#include <kairos/trace.h>
#include <sel4/sel4.h>

#include "demo.h"

extern uint8_t sensor_stack[], control_stack[], logger_stack[], hog_stack[];

struct demo demo;

/* Objects come from the first RAM untyped that holds them all: the 2 MiB log frame first
 * (it needs the alignment), then the rest. */
#define MIN_UNTYPED_BITS 22
/* Room for the sporadic refills a 1 ms budget in a 5 ms period can fragment into. */
#define SC_SIZE_BITS 10
#define EXTRA_REFILLS 8
/* The logger needs a context only to reach its first receive. */
#define LOGGER_START_BUDGET_US 1000
#define LOGGER_START_PERIOD_US 10000
/* Below the logger, so that it runs until it blocks. */
#define ROOT_WAIT_PRIO 10
#define PERCENT 100u
#define TENTHS 10u

enum task { SENSOR, CONTROL, LOGGER, HOG, NUM_TASKS };

struct task_info {
    const char *name;
    seL4_Word prio;
    uint32_t budget_us, period_us; /* 0: passive */
    seL4_Word flags;               /* seL4_SchedContext_* */
    void (*entry)(void);
    uint8_t *stack;
};

static const struct task_info tasks[NUM_TASKS] = {
    [SENSOR] = {"sensor", SENSOR_PRIO, SENSOR_BUDGET_US, SENSOR_PERIOD_US,
                seL4_SchedContext_Sporadic, sensor_main, sensor_stack},
    [CONTROL] = {"control", CONTROL_PRIO, CONTROL_BUDGET_US, CONTROL_PERIOD_US,
                 seL4_SchedContext_Sporadic, control_main, control_stack},
    [LOGGER] = {"logger", LOGGER_PRIO, 0, 0, seL4_SchedContext_NoFlag, logger_main, logger_stack},
    [HOG] = {"hog", HOG_PRIO, HOG_BUDGET_US, HOG_PERIOD_US, seL4_SchedContext_NoFlag, hog_main,
             hog_stack},
};

static struct {
    seL4_CPtr tcb[NUM_TASKS], sc[NUM_TASKS];
    seL4_CPtr log_frame, fault_ep, hog_fault_ep, root_reply, ntfn;
    seL4_CPtr sched_control;
    uint64_t consumed_us[NUM_TASKS];
    uint32_t timeouts;
} s;

static seL4_CPtr next_slot;

static int retype(seL4_CPtr ut, seL4_Word type, seL4_Word bits, seL4_CPtr *out)
{
    *out = next_slot++;
    return seL4_Untyped_Retype(ut, type, bits, seL4_CapInitThreadCNode, 0, 0, *out, 1);
}

static seL4_CPtr find_untyped(const seL4_BootInfo *bi)
{
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        const seL4_UntypedDesc *u = &bi->untypedList[i];
        if (!u->isDevice && u->sizeBits >= MIN_UNTYPED_BITS) {
            return bi->untyped.start + i;
        }
    }
    return seL4_CapNull;
}

static int mint(seL4_CPtr src, seL4_Word badge, seL4_CPtr *out)
{
    *out = next_slot++;
    return seL4_CNode_Mint(seL4_CapInitThreadCNode, *out, seL4_WordBits, seL4_CapInitThreadCNode,
                           src, seL4_WordBits, seL4_AllRights, badge);
}

#define TRY(expr)                                                                                  \
    do {                                                                                           \
        int err_ = (expr);                                                                         \
        if (err_ != seL4_NoError) {                                                                \
            printf("demo: %s failed: error %d\n", #expr, err_);                                    \
            return err_;                                                                           \
        }                                                                                          \
    } while (0)

static int create_objects(void)
{
    const seL4_BootInfo *bi = seL4_GetBootInfo();
    next_slot = bi->empty.start;
    s.sched_control = bi->schedcontrol.start;
    seL4_CPtr ut = find_untyped(bi);
    if (ut == seL4_CapNull) {
        printf("demo: no RAM untyped of 2^%d bytes\n", MIN_UNTYPED_BITS);
        return seL4_NotEnoughMemory;
    }
    TRY(retype(ut, seL4_ARM_LargePageObject, 0, &s.log_frame));
    for (int i = 0; i < NUM_TASKS; i++) {
        TRY(retype(ut, seL4_TCBObject, 0, &s.tcb[i]));
        TRY(retype(ut, seL4_SchedContextObject, SC_SIZE_BITS, &s.sc[i]));
    }
    TRY(retype(ut, seL4_EndpointObject, 0, &demo.logger_ep));
    TRY(retype(ut, seL4_ReplyObject, 0, &demo.logger_reply));
    TRY(retype(ut, seL4_EndpointObject, 0, &s.fault_ep));
    TRY(retype(ut, seL4_ReplyObject, 0, &s.root_reply));
    TRY(retype(ut, seL4_NotificationObject, 0, &s.ntfn));
    TRY(mint(s.fault_ep, BADGE_HOG, &s.hog_fault_ep));
    TRY(mint(s.ntfn, BADGE_DONE, &demo.done_ntfn));
    return seL4_NoError;
}

static int configure_threads(void)
{
    for (int i = 0; i < NUM_TASKS; i++) {
        const struct task_info *t = &tasks[i];
        TRY(seL4_TCB_Configure(s.tcb[i], seL4_CapInitThreadCNode, 0, seL4_CapInitThreadVSpace, 0, 0,
                               seL4_CapNull));
        TRY(seL4_TCB_SetSchedParams(s.tcb[i], seL4_CapInitThreadTCB, t->prio, t->prio, s.sc[i],
                                    seL4_CapNull));
        uint32_t budget = t->budget_us ? t->budget_us : LOGGER_START_BUDGET_US;
        uint32_t period = t->period_us ? t->period_us : LOGGER_START_PERIOD_US;
        TRY(seL4_SchedControl_ConfigureFlags(s.sched_control, s.sc[i], budget, period,
                                             EXTRA_REFILLS, (seL4_Word)i, t->flags));
#ifdef CONFIG_DEBUG_BUILD
        seL4_DebugNameThread(s.tcb[i], t->name);
#endif
    }
    TRY(seL4_TCB_SetTimeoutEndpoint(s.tcb[HOG], s.hog_fault_ep));
    TRY(seL4_TCB_BindNotification(seL4_CapInitThreadTCB, s.ntfn));
    demo.sensor.period_ticks = us_to_ticks(SENSOR_PERIOD_US, demo.freq);
    demo.control.period_ticks = us_to_ticks(CONTROL_PERIOD_US, demo.freq);
    return seL4_NoError;
}

static int start(enum task i)
{
    seL4_UserContext regs = {0};
    regs.pc = (seL4_Word)tasks[i].entry;
    regs.sp = (seL4_Word)(tasks[i].stack + TASK_STACK_BYTES);
    return seL4_TCB_WriteRegisters(s.tcb[i], 1, 0, sizeof(regs) / sizeof(seL4_Word), &regs);
}

/* The logger runs to its first receive on a context of its own; taking the context away
 * leaves it passive, waiting for a caller to lend it one. */
static int start_logger(void)
{
    TRY(start(LOGGER));
    TRY(seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, ROOT_WAIT_PRIO));
    TRY(seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, ROOT_PRIO));
    TRY(seL4_SchedContext_UnbindObject(s.sc[LOGGER], s.tcb[LOGGER]));
    return seL4_NoError;
}

/* Until the sensor's last job: restart the hog at each of its timeout faults. */
static void supervise(void)
{
    seL4_Word badge;
    seL4_MessageInfo_t info = seL4_Recv(s.fault_ep, &badge, s.root_reply);
    while (badge == BADGE_HOG && seL4_MessageInfo_get_label(info) == seL4_Fault_Timeout) {
        s.timeouts++;
        s.consumed_us[HOG] += seL4_GetMR(seL4_Timeout_Consumed);
        seL4_SetMR(0, (seL4_Word)hog_main);
        seL4_SetMR(1, (seL4_Word)(hog_stack + TASK_STACK_BYTES));
        /* A timeout-fault reply sets pc then sp: the hog starts over. */
        info = seL4_ReplyRecv(s.fault_ep, seL4_MessageInfo_new(0, 0, 0, 2), &badge, s.root_reply);
    }
    if (badge != BADGE_DONE) {
        printf("demo: unexpected message, badge %lu label %lu\n", (unsigned long)badge,
               (unsigned long)seL4_MessageInfo_get_label(info));
    }
}

static void put_ms(uint32_t us)
{
    if (us % 1000 == 0) {
        printf("%u ms", us / 1000);
    } else {
        printf("%u.%u ms", us / 1000, us % 1000 / 100);
    }
}

static void summary(uint64_t length_us)
{
    printf("\n=== Kairos demo: %lu ms of four threads under MCS budgets ===\n",
           (unsigned long)(length_us / 1000));
    printf("%-8s %4s %8s %8s %9s %6s %5s %6s %8s\n", "thread", "prio", "budget", "period",
           "consumed", "share", "jobs", "misses", "timeouts");
    for (int i = 0; i < NUM_TASKS; i++) {
        const struct task_info *t = &tasks[i];
        uint64_t permille = s.consumed_us[i] * PERCENT * TENTHS / length_us;
        printf("%-8s %4lu ", t->name, (unsigned long)t->prio);
        if (t->budget_us) {
            printf("%5u.%u ms %4u ms ", t->budget_us / 1000, t->budget_us % 1000 / 100,
                   t->period_us / 1000);
        } else {
            printf("%17s ", "passive");
        }
        printf("%6lu ms %3lu.%lu%% ", (unsigned long)(s.consumed_us[i] / 1000),
               (unsigned long)(permille / TENTHS), (unsigned long)(permille % TENTHS));
        const struct periodic *p = i == SENSOR ? &demo.sensor : i == CONTROL ? &demo.control : 0;
        if (p) {
            printf("%5u %6u %8s\n", p->jobs, p->misses, "-");
        } else if (i == LOGGER) {
            printf("%5u %6s %8s\n", demo.requests, "-", "-");
        } else {
            printf("%5s %6s %8u\n", "-", "-", s.timeouts);
        }
    }
    printf("logger: %u requests, served on control's context (its time is in control's)\n",
           demo.requests);
    printf("hog: ");
    put_ms(HOG_BUDGET_US);
    printf(" every ");
    put_ms(HOG_PERIOD_US);
    printf(", %u timeout faults, restarted after each\n", s.timeouts);
    printf("worst response: sensor %lu us, control %lu us\n",
           (unsigned long)ticks_to_us(demo.sensor.worst_response, demo.freq),
           (unsigned long)ticks_to_us(demo.control.worst_response, demo.freq));
    printf("demo: misses=%u timeouts=%u jobs=%u,%u requests=%u\n",
           demo.sensor.misses + demo.control.misses, s.timeouts, demo.sensor.jobs,
           demo.control.jobs, demo.requests);
}

int main(void)
{
    demo.freq = kairos_counter_frequency();
    TRY(seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, ROOT_PRIO));
    TRY(create_objects());
#ifdef CONFIG_KAIROS_TRACE
    TRY(seL4_BenchmarkSetLogBuffer(s.log_frame));
#endif
    TRY(configure_threads());
    TRY(start_logger());

#ifdef CONFIG_KAIROS_TRACE
    TRY(kairos_trace_start());
#endif
    for (int i = 0; i < NUM_TASKS; i++) {
        (void)seL4_SchedContext_Consumed(s.sc[i]); /* from zero */
    }
    uint64_t begin = kairos_counter_now();
    TRY(start(SENSOR));
    TRY(start(CONTROL));
    TRY(start(HOG));
    supervise();
    uint64_t length_us = ticks_to_us(kairos_counter_now() - begin, demo.freq);
#ifdef CONFIG_KAIROS_TRACE
    struct kairos_trace_status st = {0};
    TRY(kairos_trace_stop(&st));
#endif

    for (int i = 0; i < NUM_TASKS; i++) {
        TRY(seL4_TCB_Suspend(s.tcb[i]));
        seL4_SchedContext_Consumed_t c = seL4_SchedContext_Consumed(s.sc[i]);
        s.consumed_us[i] += c.error == seL4_NoError ? c.consumed : 0;
    }
#ifdef CONFIG_KAIROS_TRACE
    printf("demo: trace of %lu records (%lu dropped); printing it for tools/ktrace\n",
           (unsigned long)st.records, (unsigned long)st.dropped);
    if (kairos_trace_dump() < 0) {
        printf("demo: the log could not be read\n");
        return 1;
    }
#else
    printf("demo: this kernel has no event log (built with TRACE=0): no trace\n");
#endif
    summary(length_us);
    return demo.sensor.misses + demo.control.misses == 0 && s.timeouts > 0 ? 0 : 1;
}
