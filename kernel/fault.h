/* Faults a thread can raise, with the message they carry (manual §6.2, ABI §4.1–4.2). */
#ifndef KERNEL_FAULT_H
#define KERNEL_FAULT_H

#include <stdint.h>

#include "kernel/cspace.h"
#include "kernel/tcb.h"

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

#define FAULT_MSG_MAX 13

/* Builds the fault message registers of ABI §4.2 for t; returns the length. */
unsigned int fault_message(const struct tcb *t, const struct fault *f, uint64_t mr[FAULT_MSG_MAX]);
/* Raises the fault for the current thread. Without a handler (no fault endpoint exists
 * yet) the thread becomes inactive and the console says why. */
void fault_raise(struct tcb *t, const struct fault *f);
const char *fault_type_name(enum fault_type type);

#endif
