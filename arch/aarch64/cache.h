/* Data and instruction cache maintenance on physical ranges, through the kernel window
 * (the caches are physically tagged for data; the instruction side is maintained to the
 * point of unification). Ranges outside RAM (device frames) need none and are skipped. */
#ifndef ARCH_CACHE_H
#define ARCH_CACHE_H

#include <stdint.h>

enum cache_op { CACHE_CLEAN, CACHE_INVALIDATE, CACHE_CLEAN_INVALIDATE, CACHE_UNIFY_INSTRUCTION };

/* [paddr, paddr + len) */
void cache_maintain(enum cache_op op, uint64_t paddr, uint64_t len);

#endif
