/* Time-slice deadline for the round-robin boot context. */
#include "sched/timeslice.h"

#include "arch/aarch64/timer.h"
#include "sched/time.h"

void timeslice_start(void)
{
    timer_set_deadline(timer_now() + time_us_to_ticks(BOOT_TIME_SLICE_US, timer_frequency()));
}
