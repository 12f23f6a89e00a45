/* The running thread, the idle thread, and leaving the kernel into whichever should run. */
#ifndef KERNEL_THREAD_H
#define KERNEL_THREAD_H

#include <stdbool.h>

#include "kernel/tcb.h"

extern struct tcb *ks_cur_thread;

void thread_init_idle(void);
bool thread_is_runnable(const struct tcb *t);
/* Waiting in an endpoint, a notification or for a reply (upstream isBlocked). */
bool thread_is_blocked(const struct tcb *t);
void thread_set_name(struct tcb *t, const char *name);
/* Picks the thread to run (the current one if still runnable, else idle) and returns to
 * it; the single exit point of every kernel entry. */
void kernel_exit(void) __attribute__((noreturn));
/* Debug builds: power off with this status at the first timer interrupt taken while no
 * thread can run (the idle loop was reached and the kernel still works). */
void thread_exit_when_idle(int status);
void thread_idle_tick(void);
/* Changes the state and lets the scheduler know (queues follow runnability). */
void thread_set_state(struct tcb *t, enum thread_state state);
/* Stops the thread until it is resumed. */
void thread_suspend(struct tcb *t);
/* The thread's TCB is being destroyed: stopped, no longer running or owning the FPU. */
void thread_destroy(struct tcb *t);
bool thread_idle_exit_armed(void);

#endif
