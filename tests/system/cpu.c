/* What the kernel sets up for user code on the CPU: FP/SIMD state that survives kernel
 * entries, the PMU cycle counter and generic counter readable from EL0, and the kernel
 * timer's interrupt actually being taken. */
#include "systest.h"

#define TIMER_WAIT_SLICES 3
#define BOOT_SLICE_MS 5

/* Fills v0..v31 and FPSR with a pattern, enters the kernel (by syscall, or by waiting in
 * a loop for timer interrupts), then checks every register. Returns a mismatch mask. */
static uint64_t fp_survives(bool wait_for_interrupts, uint64_t ticks)
{
    uint64_t bad = 0;
    uint64_t deadline = read_cntvct() + ticks;
    __asm__ volatile(
        "mov x10, #0x0123\n"
        "movk x10, #0x4567, lsl #16\n"
        ".irp n,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
        "add x11, x10, #\\n\n"
        "dup v\\n\\().2d, x11\n"
        ".endr\n"
        "mov x11, #0x8000000\n" /* FPSR.QC */
        "msr fpsr, x11\n"
        "cbz %[wait], 1f\n"
        "2: isb\n mrs x11, cntvct_el0\n cmp x11, %[deadline]\n b.lo 2b\n b 3f\n"
        "1: mov x7, #-11\n svc #0\n" /* seL4_SysYield */
        "3:\n"
        ".irp n,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
        "add x11, x10, #\\n\n"
        "mov x12, v\\n\\().d[1]\n"
        "cmp x11, x12\n"
        "cset x12, ne\n"
        "lsl x12, x12, #\\n\n"
        "orr %[bad], %[bad], x12\n"
        ".endr\n"
        "mrs x11, fpsr\n"
        "mov x13, #0x8000000\n"
        "cmp x11, x13\n"
        "cset x12, ne\n"
        "orr %[bad], %[bad], x12, lsl #32\n"
        : [bad] "+r"(bad)
        : [wait] "r"((uint64_t)wait_for_interrupts), [deadline] "r"(deadline)
        : "x7", "x10", "x11", "x12", "x13", "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9",
          "v10", "v11", "v12", "v13", "v14", "v15", "v16", "v17", "v18", "v19", "v20", "v21",
          "v22", "v23", "v24", "v25", "v26", "v27", "v28", "v29", "v30", "v31", "memory", "cc");
    return bad;
}

SYSTEST(fp_registers_survive_syscall)
{
    CHECK_EQ(fp_survives(false, 0), 0);
}

SYSTEST(fp_registers_survive_timer_interrupts)
{
    uint64_t slice = read_cntfrq() / 1000 * BOOT_SLICE_MS;
    CHECK_EQ(fp_survives(true, TIMER_WAIT_SLICES * slice), 0);
}

SYSTEST(cycle_counter_advances)
{
    uint64_t a = read_pmccntr();
    volatile uint64_t sink = 0;
    for (int i = 0; i < 1000; i++) {
        sink += (uint64_t)i;
    }
    uint64_t b = read_pmccntr();
    CHECK(b > a);
}

SYSTEST(generic_counter_readable)
{
    CHECK(read_cntfrq() > 0);
    uint64_t a = read_cntvct();
    while (read_cntvct() == a) {
    }
    CHECK(read_cntvct() > a);
}

SYSTEST(timer_interrupt_taken)
{
    /* Spin past several 5 ms time slices: the kernel's timer must fire meanwhile, and the
     * kernel says so on the console when it takes the first one. */
    EXPECT_CONSOLE("timer_interrupt_taken_by_kernel", "kairos: first timer interrupt taken at tick [0-9]+");
    uint64_t slice = read_cntfrq() / 1000 * BOOT_SLICE_MS;
    uint64_t end = read_cntvct() + TIMER_WAIT_SLICES * slice;
    while (read_cntvct() < end) {
    }
    CHECK(true);
}
