/* What the latency benchmarks share (docs/benchmarks.md): one root task per family (ipc,
 * signal, sched, fault, irq, vm), each timing one operation with the cycle counter, which
 * counts instructions under -icount, and printing one JSON line per row with sel4bench's
 * field names:
 *   {"bench":"ipc","kind":"result","kernel":"kairos","Function":...,"Min":...,...}
 *   {"bench":"ipc","kind":"end","error":0,"counter_overhead":1}      the last line
 * Code that runs while the FPU is disabled for its thread is marked BENCH_NO_FPU: built for
 * the general registers only, so no compiler-chosen SIMD instruction can trap. */
#ifndef BENCH_LIB_BENCH_H
#define BENCH_LIB_BENCH_H

#include <kairos/stdio.h>
#include <sel4/sel4.h>
#include <stdbool.h>
#include <stdint.h>

#define BENCH_WARMUP 16
#define BENCH_SAMPLES 64
#define BENCH_ROUNDS (BENCH_WARMUP + BENCH_SAMPLES)
#define BENCH_PAGE_BYTES 4096ul
#define BENCH_STACK_BYTES 4096

#define BENCH_NO_FPU __attribute__((target("general-regs-only"), noinline))

static inline uint64_t bench_ccnt(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, pmccntr_el0" : "=r"(v)::"memory");
    return v;
}

/* One result row. `fpu`: both threads use the FPU, so every switch moves its state. */
struct bench_row {
    const char *bench, *function, *direction;
    int client_prio, server_prio;
    unsigned int length;
    bool same_vspace, fpu;
    unsigned int pages; /* vm rows: pages per operation, printed as "Pages" when non-zero */
};

/* The cost of a counter read, to subtract from every sample. */
uint64_t bench_counter_cost(void);
/* Sorts samples[0..BENCH_SAMPLES) and prints the row with its statistics. */
void bench_report(const struct bench_row *row, uint64_t *samples);
/* The same for n samples. */
void bench_report_n(const struct bench_row *row, uint64_t *samples, unsigned int n);
/* The last line; returns the root task's exit status (0 when err is 0). */
int bench_end(const char *bench, int err, uint64_t overhead);

/* Keeps sample r (after the warm-up) of a run: out[r - BENCH_WARMUP] = value - overhead. */
static inline void bench_keep(uint64_t *out, unsigned int r, uint64_t value, uint64_t overhead)
{
    if (r >= BENCH_WARMUP) {
        out[r - BENCH_WARMUP] = value - overhead;
    }
}

/* ---- Objects and threads ---------------------------------------------------------------- */

/* The next free slot of the root CNode (or n consecutive ones), and a RAM untyped of at
 * least 2^bits bytes. */
seL4_CPtr bench_slot(void);
seL4_CPtr bench_slots(unsigned int n);
seL4_CPtr bench_untyped(unsigned int bits);
/* One object of `type` (size_bits for the variable-size ones) in a new slot; 0 on error,
 * which is then printed. */
seL4_CPtr bench_object(seL4_CPtr untyped, seL4_Word type, seL4_Word size_bits);

/* A running thread in our CSpace and VSpace at `prio`, entering entry() on `stack_top`, with
 * `buffer` (a page of our image) as its IPC buffer and a round-robin context of its own,
 * returned in *sc: unbind it to make the thread passive. The TCB cap, 0 on error. */
seL4_CPtr bench_thread(void (*entry)(void), void *stack_top, seL4_IPCBuffer *buffer, int prio,
                       seL4_CPtr *sc);
/* Suspends t, sets its priority, and restarts it at entry() on the same stack top. */
int bench_restart(seL4_CPtr t, int prio, void (*entry)(void), void *stack_top);
/* seL4_TCB_SetFlags on t: the FPU off (seL4_TCBFlag_fpuDisabled) or on again. */
int bench_fpu(seL4_CPtr t, bool on);

/* The frame cap BootInfo gives for the page of our image at `vaddr`. */
seL4_CPtr bench_image_frame(const void *vaddr);
/* A second VSpace with the whole root-task image mapped as in the first (copies of its frame
 * caps, so memory is shared): threads moved there run the same code on the same data, but
 * every switch to or from them changes the address space. 0 on failure (printed). */
#define BENCH_PT_LEVELS 3
seL4_CPtr bench_vspace(void);
/* TCB_SetSpace: t keeps the root CNode and no fault endpoint, and gets vspace. */
int bench_set_vspace(seL4_CPtr t, seL4_CPtr vspace);

#define BENCH_TRY(expr)                                                                            \
    do {                                                                                           \
        int err_ = (expr);                                                                         \
        if (err_ != seL4_NoError) {                                                                \
            printf("bench: %s failed: error %d\n", #expr, err_);                                   \
            return err_;                                                                           \
        }                                                                                          \
    } while (0)

#endif
