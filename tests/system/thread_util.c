/* Test threads in the root task's CSpace and VSpace, scheduling contexts, timer ticks and
 * the root task's ways of letting them run (see thread_util.h).
 * systest: needs a debug kernel */
#include "thread_util.h"

#include <kairos/string.h>

#include <kairos/runtime.h>

#define ENV_UNTYPED_BITS 18
#define PAGE_SIZE (1ul << seL4_PageBits)

static struct {
    seL4_CPtr ut;
    unsigned int mark;
    unsigned int count;
    bool active;
} env;

static struct thread threads[THREAD_MAX];
static unsigned char stacks[THREAD_MAX][THREAD_STACK_SIZE] __attribute__((aligned(16)));
static unsigned char tls_areas[THREAD_MAX][THREAD_TLS_SIZE] __attribute__((aligned(64)));

/* ---- Time ------------------------------------------------------------------------------ */

uint64_t us_to_ticks(uint64_t us)
{
    return us * read_cntfrq() / 1000000;
}

/* The products cannot overflow: the counter would need 80 hours at 62.5 MHz to exceed
 * 2^64 / 10^6. */
uint64_t ticks_to_us(uint64_t ticks)
{
    return ticks * 1000000 / read_cntfrq();
}

/* ---- The root task --------------------------------------------------------------------- */

void root_set_priority(uint8_t prio)
{
    CHECK_EQ(seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, prio),
             seL4_NoError);
}

void root_spin_us(uint64_t us)
{
    uint64_t end = now_ticks() + us_to_ticks(us);
    while (now_ticks() < end) {
    }
}

void root_background_us(uint64_t us)
{
    root_set_priority(ROOT_LOW_PRIO);
    root_spin_us(us);
    root_set_priority(ROOT_PRIO);
}

bool root_background_until(volatile int *flag, uint64_t timeout_us)
{
    uint64_t end = now_ticks() + us_to_ticks(timeout_us);
    root_set_priority(ROOT_LOW_PRIO);
    while (*flag == 0 && now_ticks() < end) {
    }
    root_set_priority(ROOT_PRIO);
    return *flag != 0;
}

/* ---- Environment ---------------------------------------------------------------------- */

bool threads_begin(void)
{
    env.mark = slot_mark();
    env.count = 0;
    env.ut = ut_alloc(ENV_UNTYPED_BITS);
    if (env.ut == 0) {
        systest_fail(__FILE__, __LINE__, "no %u-bit untyped for the test's threads",
                     ENV_UNTYPED_BITS);
        slot_release(env.mark);
        return false;
    }
    env.active = true;
    /* Three tables: L1, L2 and L3 of the region (each Map goes one level further). */
    for (int i = 0; i < 3; i++) {
        seL4_CPtr pt = threads_object(seL4_ARM_PageTableObject, 0);
        seL4_Error err = seL4_ARM_PageTable_Map(pt, seL4_CapInitThreadVSpace, THREAD_IPC_REGION,
                                                seL4_ARM_Default_VMAttributes);
        if (pt == 0 || err != seL4_NoError) {
            systest_fail(__FILE__, __LINE__, "page table %d of the IPC-buffer region: error %d", i,
                         (int)err);
            threads_end();
            return false;
        }
    }
    return true;
}

void threads_end(void)
{
    if (!env.active) {
        return;
    }
    (void)seL4_TCB_SetPriority(seL4_CapInitThreadTCB, seL4_CapInitThreadTCB, ROOT_PRIO);
    for (unsigned int i = 0; i < env.count; i++) {
        if (threads[i].tcb != 0) {
            (void)seL4_TCB_Suspend(threads[i].tcb);
        }
    }
    ut_free(env.ut);
    slot_release(env.mark);
    env.active = false;
    env.count = 0;
}

seL4_CPtr threads_untyped(void)
{
    return env.ut;
}

seL4_CPtr threads_object(seL4_Word type, seL4_Word size_bits)
{
    return object_new(env.ut, type, size_bits);
}

/* ---- Threads -------------------------------------------------------------------------- */

/* Every thread starts here, with x0 = its struct thread and TPIDR_EL0 = its own TLS block:
 * the IPC-buffer pointer is thread-local, so each thread sets its own copy. */
static void __attribute__((noreturn, noinline)) thread_entry(struct thread *t)
{
    seL4_SetIPCBuffer((seL4_IPCBuffer *)t->ipc_vaddr);
    t->started = 1;
    t->fn(t->arg);
    t->finished = 1;
    (void)seL4_TCB_Suspend(t->tcb);
    for (;;) {
    }
}

void thread_initial_context(const struct thread *t, seL4_UserContext *ctx)
{
    memset(ctx, 0, sizeof(*ctx));
    ctx->pc = (seL4_Word)thread_entry;
    ctx->sp = t->stack_top;
    ctx->x0 = (seL4_Word)t;
    ctx->tpidr_el0 = t->tls_tp;
}

/* Threads of the whole suite are numbered, so a kernel message names one unambiguously. */
static unsigned int thread_serial;

void thread_expect_inactive(const struct thread *t)
{
    char test[96];
    snprintf(test, sizeof(test), "%s_%s_made_inactive", systest_current, t->name);
    printf("EXPECT %s no fault handler; thread \"%s\" made inactive$\n", test, t->name);
}

struct thread *thread_create(thread_fn fn, seL4_Word arg, uint8_t prio)
{
    return thread_create_from(env.ut, fn, arg, prio);
}

struct thread *thread_create_from(seL4_CPtr untyped, thread_fn fn, seL4_Word arg, uint8_t prio)
{
    if (!env.active || env.count >= THREAD_MAX) {
        systest_fail(__FILE__, __LINE__, "no thread slot left (max %d)", THREAD_MAX);
        return NULL;
    }
    unsigned int i = env.count++;
    struct thread *t = &threads[i];
    memset(t, 0, sizeof(*t));
    t->fn = fn;
    t->arg = arg;
    t->stack_top = (seL4_Word)&stacks[i][THREAD_STACK_SIZE];
    t->tls_tp = kairos_tls_new(tls_areas[i], THREAD_TLS_SIZE);
    t->ipc_vaddr = THREAD_IPC_REGION + i * PAGE_SIZE;
    if (t->tls_tp == 0) {
        systest_fail(__FILE__, __LINE__, "the image's TLS does not fit %d bytes", THREAD_TLS_SIZE);
        return NULL;
    }
    t->tcb = object_new(untyped, seL4_TCBObject, 0);
    t->ipc_frame = threads_object(seL4_ARM_SmallPageObject, 0);
    if (t->tcb == 0 || t->ipc_frame == 0) {
        return NULL;
    }
    seL4_Error err = seL4_ARM_Page_Map(t->ipc_frame, seL4_CapInitThreadVSpace, t->ipc_vaddr,
                                       seL4_ReadWrite, seL4_ARM_Default_VMAttributes);
    if (err == seL4_NoError) {
        err = seL4_TCB_Configure(t->tcb, seL4_CapInitThreadCNode, 0, seL4_CapInitThreadVSpace, 0,
                                 t->ipc_vaddr, t->ipc_frame);
    }
    if (err == seL4_NoError) {
        err = seL4_TCB_SetMCPriority(t->tcb, seL4_CapInitThreadTCB, prio);
    }
    if (err == seL4_NoError) {
        err = seL4_TCB_SetPriority(t->tcb, seL4_CapInitThreadTCB, prio);
    }
    seL4_UserContext ctx;
    thread_initial_context(t, &ctx);
    if (err == seL4_NoError) {
        err = seL4_TCB_WriteRegisters(t->tcb, false, 0, sizeof(ctx) / sizeof(seL4_Word), &ctx);
    }
    snprintf(t->name, sizeof(t->name), "t%u", ++thread_serial);
    seL4_DebugNameThread(t->tcb, t->name);
    if (err != seL4_NoError) {
        systest_fail(__FILE__, __LINE__, "setting up thread %u: error %d", i, (int)err);
        return NULL;
    }
    return t;
}

seL4_CPtr sc_create(unsigned int size_bits)
{
    return threads_object(seL4_SchedContextObject, size_bits);
}

seL4_Error sc_configure(seL4_CPtr sc, uint64_t budget_us, uint64_t period_us, seL4_Word extra,
                        seL4_Word flags)
{
    return seL4_SchedControl_ConfigureFlags(seL4_GetBootInfo()->schedcontrol.start, sc, budget_us,
                                            period_us, extra, 0, flags);
}

seL4_CPtr thread_give_sc(struct thread *t, uint64_t budget_us, uint64_t period_us, seL4_Word flags)
{
    if (t == NULL) {
        return 0;
    }
    seL4_CPtr sc = sc_create(seL4_MinSchedContextBits);
    if (sc == 0) {
        return 0;
    }
    seL4_Error err = sc_configure(sc, budget_us, period_us, 0, flags);
    if (err == seL4_NoError) {
        err = seL4_SchedContext_Bind(sc, t->tcb);
    }
    if (err != seL4_NoError) {
        systest_fail(__FILE__, __LINE__, "scheduling context (%lu, %lu) for a thread: error %d",
                     (unsigned long)budget_us, (unsigned long)period_us, (int)err);
        return 0;
    }
    t->sc = sc;
    return sc;
}

void thread_resume(struct thread *t)
{
    if (t != NULL) {
        CHECK_EQ(seL4_TCB_Resume(t->tcb), seL4_NoError);
    }
}

struct thread *thread_spawn(thread_fn fn, seL4_Word arg, uint8_t prio, uint64_t budget_us,
                            uint64_t period_us, seL4_Word flags)
{
    struct thread *t = thread_create(fn, arg, prio);
    if (t == NULL || thread_give_sc(t, budget_us, period_us, flags) == 0) {
        return NULL;
    }
    thread_resume(t);
    return t;
}
