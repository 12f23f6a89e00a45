/* CNode methods (manual §10.3.1): Copy, Mint, Move, Mutate, Rotate, Delete, Revoke and
 * CancelBadgedSends. */
#ifndef KERNEL_CNODE_H
#define KERNEL_CNODE_H

#include "kernel/invocation.h"

enum exception cnode_decode(struct invocation *inv);

#endif
