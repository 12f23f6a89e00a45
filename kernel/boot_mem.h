/* Physical memory bookkeeping at boot: sorted lists of free regions, aligned carving for
 * the root task's objects, and the power-of-two split that becomes untyped capabilities.
 * Pure code, unit-tested on the host. */
#ifndef KERNEL_BOOT_MEM_H
#define KERNEL_BOOT_MEM_H

#include <stdbool.h>
#include <stdint.h>

#define BOOT_MAX_REGIONS 32

struct mem_region {
    uint64_t start, end; /* [start, end) */
};

struct region_list {
    struct mem_region r[BOOT_MAX_REGIONS];
    unsigned int count;
};

/* Adds [start, end), merging with neighbours; false if the list is full. */
bool region_list_add(struct region_list *l, uint64_t start, uint64_t end);
/* Removes [start, end) wherever it overlaps; false if a split would overflow the list. */
bool region_list_remove(struct region_list *l, uint64_t start, uint64_t end);
/* Takes a block of 2^size_bits bytes aligned to its size, at the lowest address that
 * fits; returns false if none does. */
bool region_list_alloc(struct region_list *l, unsigned int size_bits, uint64_t *out);
uint64_t region_list_total(const struct region_list *l);

typedef void (*pow2_block_fn)(void *ctx, uint64_t base, unsigned int size_bits);
/* Cuts [start, end) into naturally aligned power-of-two blocks, each as large as its
 * alignment, the space left and max_bits allow (upstream's order); pieces below min_bits
 * are skipped. Returns the number of blocks emitted. */
unsigned int region_split_pow2(uint64_t start, uint64_t end, unsigned int min_bits,
                               unsigned int max_bits, pow2_block_fn emit, void *ctx);

#endif
