/* Untyped memory (manual §2.4, §10.3.9): Retype, the watermark and the reset that
 * returns revoked memory, zeroed, to the start of the region. */
#ifndef KERNEL_UNTYPED_H
#define KERNEL_UNTYPED_H

#include "kernel/invocation.h"

/* Decodes an Untyped invocation and, if it is valid, performs it (EXCEPTION_PREEMPTED: the
 * reset before a Retype stopped at a preemption point and restarts). */
enum exception untyped_invocation(struct invocation *inv);

#endif
