/* The EL1 physical timer as user space drives it (CNTPCT_EL0, CNTP_CVAL_EL0, CNTP_CTL_EL0,
 * which the kernel lets EL0 use); its interrupt is the platform's (PPI 30 behind a GIC).
 * Shared by the interrupt tests. */
#ifndef USER_TIMER_H
#define USER_TIMER_H

#include <stdint.h>

#include "platform.h"

#define PHYS_TIMER_IRQ PLAT_USER_TIMER_IRQ
/* CNTP_CTL_EL0 bits. */
#define CNTP_ENABLE 1ul
#define CNTP_IMASK 2ul
#define CNTP_ISTATUS 4ul

static inline uint64_t cntpct(void)
{
    uint64_t v;
    __asm__ volatile("isb; mrs %0, cntpct_el0" : "=r"(v));
    return v;
}

static inline void cntp_program(uint64_t cval, uint64_t ctl)
{
    __asm__ volatile("msr cntp_cval_el0, %0; msr cntp_ctl_el0, %1; isb" ::"r"(cval), "r"(ctl));
}

static inline uint64_t cntp_ctl(void)
{
    uint64_t v;
    __asm__ volatile("isb; mrs %0, cntp_ctl_el0" : "=r"(v));
    return v;
}

static inline void cntp_off(void)
{
    cntp_program(0, 0);
}

#endif
