/* kairos/counter.h — the generic timer's virtual counter as user programs read it: the
 * kernel lets EL0 read CNTVCT_EL0 and CNTFRQ_EL0 (CNTKCTL_EL1.EL0VCTEN). Kairos extension,
 * used by the demo, the benchmarks and the tests. */
#pragma once

#include <stdint.h>

/* The ISB keeps the read from being taken before the code in front of it. */
static inline uint64_t kairos_counter_now(void)
{
    uint64_t v;
    __asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v)::"memory");
    return v;
}

/* Ticks per second. */
static inline uint64_t kairos_counter_frequency(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
    return v;
}
