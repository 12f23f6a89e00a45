/* The kernel's own address space (TTBR1): the RAM window and the device pages. */
#ifndef ARCH_KERNEL_VSPACE_H
#define ARCH_KERNEL_VSPACE_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/boot_mem.h"

/* A device frame range the kernel maps (platform.h: PLAT_KERNEL_DEVICES); those user space
 * may not have are left out of the device untypeds. */
struct kernel_device {
    uint64_t paddr, size, vaddr;
    bool user_available;
};
extern const struct kernel_device kernel_devices[];
extern const unsigned int kernel_device_count;

/* Maps every 2 MiB-aligned part of the RAM in *ram into the kernel window and the kernel
 * devices into KDEV_BASE, then switches to those tables. RAM the window cannot hold
 * (unaligned edges, above PPTR_TOP) is removed from *ram. */
void kernel_vspace_init(struct region_list *ram);
/* TTBR0 for threads without a user address space (idle): an empty table, ASID 0. */
uint64_t kernel_vspace_empty_ttbr0(void);

#endif
