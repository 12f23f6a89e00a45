/* What the kernel sets up for user code on the CPU: the PMU cycle counter and the generic
 * counter readable from EL0. FP/SIMD state and the kernel timer: cpu_threads.c. */
#include "systest.h"

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
