/* EL1 virtual timer: CNTV_CVAL compare value with the interrupt masked between deadlines. */
#include "arch/aarch64/timer.h"

#include "drivers/irq/irq_controller.h"
#include "arch/aarch64/sysreg.h"

#define CNTV_CTL_ENABLE 1u
#define CNTV_CTL_IMASK 2u

static uint64_t frequency;

void timer_init(void)
{
    frequency = SYSREG_READ(cntfrq_el0);
    SYSREG_WRITE(cntv_ctl_el0, CNTV_CTL_IMASK);
    irq_enable(KERNEL_TIMER_IRQ);
}

uint64_t timer_frequency(void)
{
    return frequency;
}

uint64_t timer_now(void)
{
    isb();
    return SYSREG_READ(cntvct_el0);
}

void timer_set_deadline(uint64_t deadline)
{
    SYSREG_WRITE(cntv_cval_el0, deadline);
    SYSREG_WRITE(cntv_ctl_el0, CNTV_CTL_ENABLE);
    isb();
}

void timer_ack(void)
{
    SYSREG_WRITE(cntv_ctl_el0, CNTV_CTL_IMASK);
    isb();
}
