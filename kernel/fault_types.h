/* The faults a thread can raise and what each carries (manual §6.2, ABI §4.1). */
#ifndef KERNEL_FAULT_TYPES_H
#define KERNEL_FAULT_TYPES_H

#include <stdint.h>

#include "kernel/cspace.h"

/* Fault type numbers: the label of the fault message (ABI §4.1, MCS). */
enum fault_type {
    FAULT_NULL = 0,
    FAULT_CAP = 1,
    FAULT_UNKNOWN_SYSCALL = 2,
    FAULT_USER_EXCEPTION = 3,
    FAULT_TIMEOUT = 5,
    FAULT_VM = 6,
};

struct fault {
    enum fault_type type;
    uint64_t addr;     /* VM: faulting address; unknown syscall: the number; cap: the cptr */
    uint64_t status;   /* VM: FSR (ESR_EL1); user exception: number (ESR_EL1) */
    uint64_t prefetch; /* VM: 1 for an instruction fetch; cap: 1 if in the receive phase */
    struct lookup_fault lookup; /* cap faults */
};

#endif
