/* FP/SIMD owner tracking; see fpu.h. */
#include "arch/aarch64/fpu.h"

#include <stdbool.h>
#include <stddef.h>

#include "arch/aarch64/sysreg.h"

#define CPACR_FPEN_TRAP_EL0 (1ul << 20) /* FPEN = 01: EL0 accesses trap, EL1 may use */

_Static_assert(offsetof(struct fpu_state, fpsr) == 512, "fpu_state.S layout");
_Static_assert(offsetof(struct fpu_state, fpcr) == 520, "fpu_state.S layout");

struct tcb *ks_fpu_owner;
bool ks_fpu_el0_trapped; /* boot leaves CPACR_EL1 at CPACR_FPEN_NONE (cpu.c) */

static void set_el0_trap(bool trap)
{
    if (trap != ks_fpu_el0_trapped) {
        /* No isb: only EL0 sees the difference, and the eret that leaves for it synchronises.
         * Both settings let EL1 use the registers. */
        SYSREG_WRITE(cpacr_el1, trap ? CPACR_FPEN_TRAP_EL0 : CPACR_FPEN_NONE);
        ks_fpu_el0_trapped = trap;
    }
}

void fpu_switch_slow(struct tcb *t)
{
    /* A thread with the FPU disabled cannot see the registers: whoever owns them keeps
     * them, and t's state is loaded once it may use them again. */
    if (t->flags & TCB_FLAG_FPU_DISABLED) {
        set_el0_trap(true);
        return;
    }
    if (t != ks_fpu_owner) {
        if (ks_fpu_owner) {
            fpu_save(&ks_fpu_owner->fpu);
        }
        fpu_restore(&t->fpu);
        ks_fpu_owner = t;
    }
    set_el0_trap(false);
}

void fpu_release(struct tcb *t)
{
    if (ks_fpu_owner == t) {
        ks_fpu_owner = 0;
    }
}
