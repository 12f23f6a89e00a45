/* The boot thread's round-robin time slice (5 ms, as upstream's boot scheduling context):
 * the one deadline the kernel timer has until MCS budgets take over. */
#ifndef SCHED_TIMESLICE_H
#define SCHED_TIMESLICE_H

#define BOOT_TIME_SLICE_US 5000u

/* Arms the kernel timer for the end of a fresh time slice starting now. */
void timeslice_start(void);

#endif
