/* Data and instruction cache maintenance on physical ranges, through the kernel window
 * (the caches are physically tagged for data; the instruction side is maintained to the
 * point of unification). Ranges outside RAM (device frames) need none and are skipped. */
#ifndef ARCH_CACHE_H
#define ARCH_CACHE_H

#include <stdint.h>

enum cache_op { CACHE_CLEAN, CACHE_INVALIDATE, CACHE_CLEAN_INVALIDATE, CACHE_UNIFY_INSTRUCTION };

/* [paddr, paddr + len) */
void cache_maintain(enum cache_op op, uint64_t paddr, uint64_t len);

/* Cleans and invalidates the data (and unified) caches of the first `levels` levels, by set
 * and way; CACHE_ALL_LEVELS: every level up to the point of coherency. */
#define CACHE_ALL_LEVELS 7u
void cache_flush_data_levels(unsigned int levels);
/* Invalidates the instruction caches to the point of unification. */
void cache_invalidate_instructions(void);

#endif
