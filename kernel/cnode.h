/* CNode methods (manual §10.3.1): Copy, Mint, Move, Mutate, Rotate, Delete, Revoke and
 * CancelBadgedSends. */
#ifndef KERNEL_CNODE_H
#define KERNEL_CNODE_H

#include "kernel/invocation.h"

/* Decodes a CNode invocation and, if it is valid, performs it (EXCEPTION_PREEMPTED: a
 * Revoke or Delete stopped at a preemption point and restarts). */
enum exception cnode_invocation(struct invocation *inv);

#endif
