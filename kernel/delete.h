/* Deleting and revoking capabilities (manual §3.2). Deleting the last cap to an object
 * destroys it; a CNode or TCB is first turned into a zombie whose slots are cleared one
 * at a time, so the work is bounded per step and can stop at a preemption point and
 * resume when the system call restarts. */
#ifndef KERNEL_DELETE_H
#define KERNEL_DELETE_H

#include <stdbool.h>

#include "kernel/cap.h"
#include "kernel/invocation.h"

/* Empties the slot, destroying the object if this was its last cap. exposed: the slot is
 * visible to user space (not a zombie's internal slot), so it must end up empty. */
enum exception cte_delete(cte_t *slot, bool exposed);
/* Deletes every descendant of the slot's cap; the cap itself stays. */
enum exception cte_revoke(cte_t *slot);
/* RevokeFirst when the slot's cap has children (Table 3.2 for untyped). */
bool cte_has_children(const cte_t *slot);

#endif
