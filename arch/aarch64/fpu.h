/* FP/SIMD state of threads. Switching is eager but owner-tracked (as upstream): the
 * registers move only when the core switches to a thread other than the one whose state
 * they hold, so alternating with the idle thread or kernel-only work costs nothing. */
#ifndef ARCH_FPU_H
#define ARCH_FPU_H

#include <stdbool.h>

#include "kernel/tcb.h"

void fpu_save(struct fpu_state *s);
void fpu_restore(const struct fpu_state *s);
/* fpu_swap (fpu_state.S) saves into `save` and loads from `load`. Called through asm with
 * its true clobbers, so a switch keeps everything else in registers. */
static inline void fpu_swap(struct fpu_state *save, const struct fpu_state *load)
{
    register struct fpu_state *x0 __asm__("x0") = save;
    register const struct fpu_state *x1 __asm__("x1") = load;
    __asm__ volatile("bl fpu_swap" : "+r"(x0), "+r"(x1) : : "x2", "x3", "x30", "memory");
}
/* The thread whose state the registers hold, and whether CPACR_EL1 now traps EL0's use. */
extern struct tcb *ks_fpu_owner;
extern bool ks_fpu_el0_trapped;
void fpu_switch_slow(struct tcb *t);

/* Makes t's FP state the live one, or makes EL0 use trap if t has the FPU disabled. Inline:
 * every exit asks, and usually nothing needs doing. */
static inline void fpu_switch_to(struct tcb *t)
{
    bool disabled = t->flags & TCB_FLAG_FPU_DISABLED;
    if (__builtin_expect(ks_fpu_el0_trapped == disabled, 1)) {
        if (disabled || t == ks_fpu_owner) {
            return;
        }
        /* Two threads that both use the FPU: one call moves the state both ways. */
        if (__builtin_expect(ks_fpu_owner != 0, 1)) {
            fpu_swap(&ks_fpu_owner->fpu, &t->fpu);
            ks_fpu_owner = t;
            return;
        }
    }
    fpu_switch_slow(t);
}
/* t is being destroyed: it no longer owns the registers. */
void fpu_release(struct tcb *t);

#endif
