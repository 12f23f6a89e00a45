/* Helpers of the thread and scheduling tests (threads.c, sched.c, sched_errors.c): threads
 * that share the root task's CSpace and VSpace (manual §6.1.2), each with its own stack, TLS
 * block and IPC buffer, scheduling contexts from SchedControl (§6.1.10), time in generic-timer
 * ticks, and ways for the root task (priority 255, MCP 255, a 5 ms round-robin context) to
 * get out of the way so that test threads run.
 *
 * Use: threads_begin() at the start of a test, threads_end() at its end (it restores the
 * root task's priority, suspends every thread, revokes the untyped they came from and gives
 * the slots back). Threads run one test function `fn(arg)`; when it returns the thread
 * marks itself finished and suspends itself. Test threads never call CHECK: they report
 * through shared memory and the root task checks.
 *
 * IPC buffers live in one 512 GiB region of the root task's VSpace (L0 slot 208,
 * 0x6800_0000_0000), which no other test uses; its page tables come from the test's
 * untyped, so revoking it unmaps them.
 * Uses cspace_util.h, so: systest: needs a debug kernel */
#ifndef THREAD_UTIL_H
#define THREAD_UTIL_H

#include "cspace_util.h"

#define THREAD_MAX 8
#define THREAD_STACK_SIZE (16 * 1024)
#define THREAD_TLS_SIZE 512
#define THREAD_IPC_REGION 0x680000000000ul

/* The root task's scheduling parameters at boot (ABI §7: 5 ms boot time slice). */
#define ROOT_PRIO 255
#define ROOT_TIMESLICE_US 5000
/* Where the root task goes when it lets the test threads run ("in the background"). */
#define ROOT_LOW_PRIO 10

typedef void (*thread_fn)(seL4_Word arg);

struct thread {
    seL4_CPtr tcb;       /* root CNode slot of the TCB cap */
    seL4_CPtr sc;        /* its scheduling context, 0 if none was made for it */
    seL4_CPtr ipc_frame; /* the IPC buffer's frame, mapped at ipc_vaddr */
    seL4_Word ipc_vaddr;
    seL4_Word tls_tp; /* the thread pointer (TPIDR_EL0) it starts with */
    seL4_Word stack_top;
    thread_fn fn;
    seL4_Word arg;
    char name[16];         /* "t<n>", unique in the suite (seL4_DebugNameThread) */
    volatile int started;  /* the thread reached its function */
    volatile int finished; /* its function returned */
};

/* ---- A test's set of threads --------------------------------------------------------- */

/* Takes an untyped of 2^18 bytes and maps the IPC-buffer region's page tables; false (with
 * a recorded failure, and nothing left behind) if that fails. */
bool threads_begin(void);
/* Root task back to ROOT_PRIO; every thread suspended; everything made since
 * threads_begin revoked and its slots given back. */
void threads_end(void);
/* The untyped of the current test: tests retype their own extra objects from it. */
seL4_CPtr threads_untyped(void);
/* One object retyped from it into a new root slot (0 with a recorded failure). */
seL4_CPtr threads_object(seL4_Word type, seL4_Word size_bits);

/* A new inactive thread in the root task's CSpace and VSpace: TCB, IPC buffer (Configure),
 * MCP = priority = prio (authority: the root task), registers set to enter `fn(arg)` on its
 * own stack and TLS block (WriteRegisters), named t->name. No scheduling context yet. NULL on
 * failure. */
struct thread *thread_create(thread_fn fn, seL4_Word arg, uint8_t prio);
/* The same with the TCB retyped from `untyped` (the rest still from the test's untyped),
 * for tests that reuse a deleted TCB's memory. */
struct thread *thread_create_from(seL4_CPtr untyped, thread_fn fn, seL4_Word arg, uint8_t prio);
/* A scheduling context of 2^size_bits bytes from the test's untyped. */
seL4_CPtr sc_create(unsigned int size_bits);
/* SchedControl_ConfigureFlags on the boot node's SchedControl cap (BootInfo schedcontrol). */
seL4_Error sc_configure(seL4_CPtr sc, uint64_t budget_us, uint64_t period_us, seL4_Word extra,
                        seL4_Word flags);
/* A minimum-size context configured (budget, period, 0 extra refills, badge 0, flags) and
 * bound to t (SchedContext_Bind); stored in t->sc and returned. */
seL4_CPtr thread_give_sc(struct thread *t, uint64_t budget_us, uint64_t period_us, seL4_Word flags);
/* TCB_Resume, checked. */
void thread_resume(struct thread *t);
/* create + give_sc + resume. */
struct thread *thread_spawn(thread_fn fn, seL4_Word arg, uint8_t prio, uint64_t budget_us,
                            uint64_t period_us, seL4_Word flags);
/* The test means this thread to fault without a handler: the kernel's "made inactive"
 * line for it is expected (the runner fails a run with one that is not). */
void thread_expect_inactive(const struct thread *t);
/* The seL4_UserContext thread_create wrote: a template for register tests. */
void thread_initial_context(const struct thread *t, seL4_UserContext *ctx);

/* ---- Time ------------------------------------------------------------------------------ */

/* Generic-timer ticks (CNTVCT_EL0, readable at EL0) and conversions at CNTFRQ_EL0. */
static inline uint64_t now_ticks(void)
{
    return read_cntvct();
}
uint64_t us_to_ticks(uint64_t us);
uint64_t ticks_to_us(uint64_t ticks);
static inline uint64_t now_us(void)
{
    return ticks_to_us(now_ticks());
}

/* ---- The root task getting out of the way --------------------------------------------- */

/* SetPriority on the root task with itself as authority (MCP 255). */
void root_set_priority(uint8_t prio);
/* Spins until `us` have passed (at whatever priority the root task has). */
void root_spin_us(uint64_t us);
/* Drops to ROOT_LOW_PRIO, spins for `us`, comes back to ROOT_PRIO: every runnable thread
 * above ROOT_LOW_PRIO runs meanwhile, as far as its budget allows. */
void root_background_us(uint64_t us);
/* The same until *flag becomes non-zero or `timeout_us` pass; whether the flag was seen. */
bool root_background_until(volatile int *flag, uint64_t timeout_us);

#endif
