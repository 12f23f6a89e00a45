/* Building the root task's address space at boot, before any VSpace invocation exists:
 * the page tables covering one virtual range, and 4 KiB frames mapped into them. */
#ifndef ARCH_VSPACE_BOOT_H
#define ARCH_VSPACE_BOOT_H

#include <stdbool.h>
#include <stdint.h>

/* Levels of the tables below the VSpace root, in the order their caps are handed out
 * (manual §9.2: upper levels first). */
#define VSPACE_BOOT_LEVELS 3

typedef bool (*vspace_table_alloc_fn)(void *ctx, uint64_t *paddr);
typedef void (*vspace_table_record_fn)(void *ctx, uint64_t table_paddr, uint64_t vaddr);

/* Number of page tables needed to map [start, end). */
unsigned int vspace_boot_tables_needed(uint64_t start, uint64_t end);
/* Allocates (zeroed) and links every table for [start, end) under the root at
 * root_paddr, reporting each with its base virtual address, level by level. */
bool vspace_boot_create_tables(uint64_t root_paddr, uint64_t start, uint64_t end,
                               vspace_table_alloc_fn alloc, vspace_table_record_fn record,
                               void *ctx);
void vspace_boot_map_frame(uint64_t root_paddr, uint64_t vaddr, uint64_t paddr, bool writable,
                           bool executable);
/* TTBR0 value for a VSpace root and its ASID. */
uint64_t vspace_ttbr(uint64_t root_paddr, uint64_t asid);

#endif
