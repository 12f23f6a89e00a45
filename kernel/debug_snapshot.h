/* seL4_DebugSnapshot (debug builds): prints the calling thread's capabilities. */
#ifndef KERNEL_DEBUG_SNAPSHOT_H
#define KERNEL_DEBUG_SNAPSHOT_H

#include "kernel/tcb.h"

void debug_snapshot(struct tcb *t);

#endif
