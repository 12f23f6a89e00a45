/* FP/SIMD owner tracking; see fpu.h. */
#include "arch/aarch64/fpu.h"

#include <stddef.h>

#include "arch/aarch64/sysreg.h"

#define CPACR_FPEN_TRAP_EL0 (1ul << 20) /* FPEN = 01: EL0 accesses trap, EL1 may use */

_Static_assert(offsetof(struct fpu_state, fpsr) == 512, "fpu_state.S layout");
_Static_assert(offsetof(struct fpu_state, fpcr) == 520, "fpu_state.S layout");

static struct tcb *fpu_owner;

void fpu_switch_to(struct tcb *t)
{
    /* EL1 must be able to move the registers whatever the thread's setting. */
    SYSREG_WRITE(cpacr_el1, CPACR_FPEN_NONE);
    isb();
    if (t != fpu_owner) {
        if (fpu_owner) {
            fpu_save(&fpu_owner->fpu);
        }
        fpu_restore(&t->fpu);
        fpu_owner = t;
    }
    if (t->flags & TCB_FLAG_FPU_DISABLED) {
        SYSREG_WRITE(cpacr_el1, CPACR_FPEN_TRAP_EL0);
        isb();
    }
}

void fpu_release(struct tcb *t)
{
    if (fpu_owner == t) {
        fpu_owner = 0;
    }
}
