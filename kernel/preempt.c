/* Work counting for preemption points; see preempt.h. */
#include "kernel/preempt.h"

#include "drivers/irq/irq_controller.h"

static unsigned int work_units;
static uint64_t preemptions;

void preempt_reset(void)
{
    work_units = 0;
}

bool preempt_point(void)
{
    if (++work_units < PREEMPT_WORK_UNITS) {
        return false;
    }
    work_units = 0;
    if (!irq_pending()) {
        return false;
    }
    preemptions++;
    return true;
}

uint64_t preempt_count(void)
{
    return preemptions;
}
