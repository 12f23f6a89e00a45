/* PageTable methods, manual §10.7.7: Map (at the highest level still missing on the way
 * to vaddr) and Unmap. */
#ifndef ARCH_PAGE_TABLE_H
#define ARCH_PAGE_TABLE_H

#include "kernel/invocation.h"

/* Decodes a PageTable invocation and, if it is valid, performs it. */
enum exception page_table_invocation(struct invocation *inv);

#endif
