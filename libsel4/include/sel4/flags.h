/* sel4/flags.h — flag words of seL4_TCB_SetFlags and seL4_SchedControl_ConfigureFlags
 * (ABI page §1.3). Host-compilable. */
#pragma once

#include <sel4/macros.h>

typedef enum {
    seL4_TCBFlag_NoFlag = 0x0,
    /* The thread runs with FP/SIMD trapped, so the kernel never switches FPU state for it. */
    seL4_TCBFlag_fpuDisabled = 0x1,
    SEL4_FORCE_LONG_ENUM(seL4_TCBFlag),
    /* Every flag this kernel knows; SetFlags ignores other bits. */
    seL4_TCBFlag_MASK = seL4_TCBFlag_fpuDisabled,
} seL4_TCBFlag;

typedef enum {
    seL4_SchedContext_NoFlag = 0x0,
    /* Limit execution only by the sporadic-server rules, not to a continuous constant
     * bandwidth (manual §6.1). */
    seL4_SchedContext_Sporadic = 0x1,
    SEL4_FORCE_LONG_ENUM(seL4_SchedContextFlag),
} seL4_SchedContextFlag;
