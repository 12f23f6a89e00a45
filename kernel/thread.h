/* The running thread, the idle thread, and leaving the kernel into whichever should run. */
#ifndef KERNEL_THREAD_H
#define KERNEL_THREAD_H

#include <stdbool.h>

#include "kernel/tcb.h"

extern struct tcb *ks_cur_thread;

void thread_init_idle(void);
bool thread_is_runnable(const struct tcb *t);
void thread_set_name(struct tcb *t, const char *name);
/* Picks the thread to run (the current one if still runnable, else idle) and returns to
 * it; the single exit point of every kernel entry. */
void kernel_exit(void) __attribute__((noreturn));
/* Debug builds: power off with this status at the first timer interrupt taken while no
 * thread can run (the idle loop was reached and the kernel still works). */
void thread_exit_when_idle(int status);
void thread_idle_tick(void);
/* Stops the thread for good (it is being destroyed or suspended): it is no longer the
 * running thread and will not be chosen again until resumed. */
void thread_suspend(struct tcb *t);

#endif
