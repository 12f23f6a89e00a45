/* Debug builds: a full consistency check of the capability system as one thread sees it,
 * for tests (Kairos' KAIROS_SysDebugCheckConsistency). */
#ifndef KERNEL_DEBUG_CHECK_H
#define KERNEL_DEBUG_CHECK_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/cap.h"

#include "kernel/tcb.h"

/* Walks every CNode reachable from t's CSpace root and t's own TCB slots; checks each
 * slot's cap and derivation-tree links and each untyped's descendants. Returns the number
 * of problems found (each is printed). */
uint64_t debug_check_consistency(struct tcb *t);

/* The same checks one slot at a time, for the invariant checks (invariants.c): report is
 * called for each problem with the slot, the kind of rule ("cdt", "cap", "cnode",
 * "untyped") and what is wrong. An untyped's descendants are left to the caller
 * (consistency_in_used_part). */
typedef void (*consistency_report_fn)(const cte_t *slot, const char *kind, const char *what);
void consistency_check_slot(const cte_t *slot, consistency_report_fn report);
/* [start, start + size) lies in RAM. */
bool consistency_in_ram(uint64_t start, uint64_t size);
/* d, a descendant of untyped, lies in the part of it that is used (below its free index). */
bool consistency_in_used_part(const cte_t *untyped, const cte_t *d);
/* A derivation-tree link is null or points at an aligned slot in RAM. */
bool consistency_link_ok(const cte_t *p);

#endif
