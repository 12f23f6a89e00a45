/* The one place that turns an object's physical address (as caps store it) into a pointer
 * the kernel can use. Host unit tests define KAIROS_HOST_TEST and back "physical memory"
 * with an arena of their own. */
#ifndef KERNEL_KPTR_H
#define KERNEL_KPTR_H

#include <stdint.h>

#ifdef KAIROS_HOST_TEST
extern uintptr_t host_test_ram_base;
static inline void *ptr_from_paddr(uint64_t pa) { return (void *)(host_test_ram_base + pa); }
static inline uint64_t paddr_from_ptr(const void *p) { return (uintptr_t)p - host_test_ram_base; }
#else
#include "arch/aarch64/vspace_layout.h"
static inline void *ptr_from_paddr(uint64_t pa) { return (void *)paddr_to_kptr(pa); }
static inline uint64_t paddr_from_ptr(const void *p) { return kptr_to_paddr(p); }
#endif

#endif
