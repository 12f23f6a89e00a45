/* Untyped memory (manual §2.4, §10.3.9): Retype, the watermark and the reset that
 * returns revoked memory, zeroed, to the start of the region. */
#ifndef KERNEL_UNTYPED_H
#define KERNEL_UNTYPED_H

#include "kernel/invocation.h"

enum exception untyped_decode(struct invocation *inv);

#endif
