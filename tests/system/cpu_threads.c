/* What the CPU state of two threads looks like when they share the core: the kernel's timer
 * really preempts a thread that never enters the kernel, and each thread's FP/SIMD state
 * (v0..v31, FPSR, FPCR) stays its own whether the threads alternate by seL4_Yield or by
 * budget expiry in the middle of their work.
 * Uses thread_util.h, so: systest: needs a debug kernel */
#include "thread_util.h"

#define PRIO_FP 150
#define SLICE_US 1000
#define YIELD_ROUNDS 64
#define PREEMPT_SPIN_US 12000
#define PREEMPT_MIN_SWITCHES 4
#define ROOT_SPIN_SLICES 3
#define WAIT_US 500000
#define FPSR_QC (1ul << 27)
#define FPCR_RMODE_PLUS_INF (1ul << 22)

/* ---- The kernel timer preempts a thread that never enters the kernel ------------------- */

static volatile uint64_t spinner_count;

static void count_forever(seL4_Word unused)
{
    (void)unused;
    for (;;) {
        spinner_count++;
    }
}

/* The root task (255, a 5 ms round-robin context) spins through three of its slices without
 * a system call while a thread of the same priority is ready: only a timer interrupt ending
 * the root task's budget lets that thread run, so its counter moves only if the kernel
 * takes its timer interrupt and enforces the budget. */
SYSTEST(timer_interrupt_preempts_a_spinning_thread)
{
    EXPECT_CONSOLE("timer_interrupt_taken_by_kernel",
                   "kairos: first timer interrupt taken at tick [0-9]+");
    if (!threads_begin()) {
        return;
    }
    spinner_count = 0;
    struct thread *t = thread_create(count_forever, 0, ROOT_PRIO);
    if (t && thread_give_sc(t, SLICE_US, SLICE_US, 0)) {
        thread_resume(t);
        CHECK_EQ(spinner_count, 0); /* the root task still holds the core */
        root_spin_us(ROOT_SPIN_SLICES * ROOT_TIMESLICE_US);
        CHECK(spinner_count > 0);
    }
    threads_end();
}

/* ---- FP/SIMD state of two interleaving threads ----------------------------------------- */

/* What one FP worker does and sees; the assembly below reads the layout, keep them in step. */
struct fp_worker {
    uint64_t seed;              /* 0: v_n = seed + n in both lanes; FPSR/FPCR from bit 0 */
    uint64_t rounds;            /* 8: Yield mode: how many rounds */
    uint64_t deadline;          /* 16: spin mode: CNTVCT at which to stop (0: Yield mode) */
    volatile uint64_t *other;   /* 24: the other worker's count */
    volatile uint64_t count;    /* 32: rounds done */
    volatile uint64_t bad;      /* 40: rounds that found a register not as this thread left it */
    volatile uint64_t switches; /* 48: rounds in which the other worker ran meanwhile */
};
_Static_assert(__builtin_offsetof(struct fp_worker, count) == 32, "fp_worker layout");
_Static_assert(__builtin_offsetof(struct fp_worker, switches) == 48, "fp_worker layout");

static struct fp_worker workers[2];

/* Fills v0..v31, FPSR and FPCR with the worker's pattern, then rounds of: note the other
 * worker's count, Yield (or just keep spinning), check every register, count. All in one
 * assembly block: compiled C may use the SIMD registers itself. */
static void fp_worker_run(seL4_Word index)
{
    struct fp_worker *w = &workers[index];
    __asm__ volatile(
        "ldr x10, [%[w], #0]\n"
        ".irp n,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
        "add x11, x10, #\\n\n"
        "dup v\\n\\().2d, x11\n"
        ".endr\n"
        "and x11, x10, #1\n"
        "lsl x12, x11, #27\n" /* FPSR.QC */
        "msr fpsr, x12\n"
        "lsl x12, x11, #22\n" /* FPCR.RMode = round towards +inf */
        "msr fpcr, x12\n"
        "ldr x12, [%[w], #24]\n"
        "ldr x13, [x12]\n" /* x13: the other's count as last seen */
        "1:\n"
        "ldr x14, [%[w], #16]\n"
        "cbnz x14, 2f\n"
        "mov x7, %[yield]\n"
        "svc #0\n"
        "2:\n"
        "ldr x14, [x12]\n"
        "cmp x13, x14\n"
        "mov x13, x14\n"
        "cset x15, ne\n"
        "ldr x14, [%[w], #48]\n"
        "add x14, x14, x15\n"
        "str x14, [%[w], #48]\n"
        "mov x15, #0\n"
        ".irp n,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
        "add x11, x10, #\\n\n"
        "mov x14, v\\n\\().d[0]\n"
        "cmp x11, x14\n"
        "cinc x15, x15, ne\n"
        "mov x14, v\\n\\().d[1]\n"
        "cmp x11, x14\n"
        "cinc x15, x15, ne\n"
        ".endr\n"
        "and x11, x10, #1\n"
        "mrs x14, fpsr\n"
        "cmp x14, x11, lsl #27\n"
        "cinc x15, x15, ne\n"
        "mrs x14, fpcr\n"
        "cmp x14, x11, lsl #22\n"
        "cinc x15, x15, ne\n"
        "cmp x15, #0\n"
        "cset x15, ne\n"
        "ldr x14, [%[w], #40]\n"
        "add x14, x14, x15\n"
        "str x14, [%[w], #40]\n"
        "ldr x14, [%[w], #32]\n"
        "add x14, x14, #1\n"
        "str x14, [%[w], #32]\n"
        "ldr x15, [%[w], #16]\n"
        "cbz x15, 3f\n"
        "isb\n"
        "mrs x11, cntvct_el0\n"
        "cmp x11, x15\n"
        "b.lo 1b\n"
        "b 4f\n"
        "3:\n"
        "ldr x15, [%[w], #8]\n"
        "cmp x14, x15\n"
        "b.lo 1b\n"
        "4:\n"
        "msr fpcr, xzr\n"
        "msr fpsr, xzr\n"
        :
        : [w] "r"(w), [yield] "i"(seL4_SysYield)
        : "x7", "x10", "x11", "x12", "x13", "x14", "x15", "v0", "v1", "v2", "v3", "v4", "v5",
          "v6", "v7", "v8", "v9", "v10", "v11", "v12", "v13", "v14", "v15", "v16", "v17", "v18",
          "v19", "v20", "v21", "v22", "v23", "v24", "v25", "v26", "v27", "v28", "v29", "v30",
          "v31", "memory", "cc");
}

static void fp_workers_reset(uint64_t rounds, uint64_t deadline)
{
    for (int i = 0; i < 2; i++) {
        workers[i] = (struct fp_worker){
            .seed = 0x1111111100000000ul * (uint64_t)(i + 1) + (uint64_t)i,
            .rounds = rounds,
            .deadline = deadline,
            .other = &workers[1 - i].count,
        };
    }
}

static bool fp_workers_start(struct thread **a, struct thread **b)
{
    *a = thread_create(fp_worker_run, 0, PRIO_FP);
    *b = thread_create(fp_worker_run, 1, PRIO_FP);
    if (*a == NULL || *b == NULL || !thread_give_sc(*a, SLICE_US, SLICE_US, 0) ||
        !thread_give_sc(*b, SLICE_US, SLICE_US, 0)) {
        return false;
    }
    thread_resume(*a);
    thread_resume(*b);
    return true;
}

/* Two threads of one priority alternate by seL4_Yield, each with its own v0..v31, FPSR and
 * FPCR: every round each finds its own values, and in every round but the last the other
 * thread ran (and loaded its different values) in between. */
SYSTEST(fpu_state_is_per_thread_across_yields)
{
    if (!threads_begin()) {
        return;
    }
    fp_workers_reset(YIELD_ROUNDS, 0);
    struct thread *a, *b;
    if (fp_workers_start(&a, &b)) {
        CHECK(root_background_until(&a->finished, WAIT_US));
        CHECK(root_background_until(&b->finished, WAIT_US));
        for (int i = 0; i < 2; i++) {
            CHECK_EQ(workers[i].count, YIELD_ROUNDS);
            CHECK_EQ(workers[i].bad, 0);
            CHECK(workers[i].switches >= YIELD_ROUNDS - 1);
        }
    }
    threads_end();
}

/* The same when the threads never enter the kernel themselves: each spins checking its
 * registers while the timer ends its 1 ms round-robin budget and the other runs. */
SYSTEST(fpu_state_is_per_thread_across_preemption)
{
    if (!threads_begin()) {
        return;
    }
    fp_workers_reset(0, now_ticks() + us_to_ticks(PREEMPT_SPIN_US));
    struct thread *a, *b;
    if (fp_workers_start(&a, &b)) {
        CHECK(root_background_until(&a->finished, WAIT_US));
        CHECK(root_background_until(&b->finished, WAIT_US));
        for (int i = 0; i < 2; i++) {
            CHECK(workers[i].count > 0);
            CHECK_EQ(workers[i].bad, 0);
            CHECK(workers[i].switches >= PREEMPT_MIN_SWITCHES);
        }
    }
    threads_end();
}
