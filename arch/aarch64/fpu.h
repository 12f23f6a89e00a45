/* FP/SIMD state of threads. Switching is eager but owner-tracked (as upstream): the
 * registers move only when the core switches to a thread other than the one whose state
 * they hold, so alternating with the idle thread or kernel-only work costs nothing. */
#ifndef ARCH_FPU_H
#define ARCH_FPU_H

#include "kernel/tcb.h"

void fpu_save(struct fpu_state *s);
void fpu_restore(const struct fpu_state *s);
/* Makes t's FP state the live one (t may have the FPU disabled: then it traps). */
void fpu_switch_to(struct tcb *t);
/* t is being destroyed: it no longer owns the registers. */
void fpu_release(struct tcb *t);

#endif
