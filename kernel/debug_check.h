/* Debug builds: a full consistency check of the capability system as one thread sees it,
 * for tests (Kairos' KAIROS_SysDebugCheckConsistency). */
#ifndef KERNEL_DEBUG_CHECK_H
#define KERNEL_DEBUG_CHECK_H

#include <stdint.h>

#include "kernel/tcb.h"

/* Walks every CNode reachable from t's CSpace root and t's own TCB slots; checks each
 * slot's cap and derivation-tree links and each untyped's descendants. Returns the number
 * of problems found (each is printed). */
uint64_t debug_check_consistency(struct tcb *t);

#endif
