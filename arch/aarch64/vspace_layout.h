/* The kernel's virtual address layout (AArch64, no hypervisor), as upstream: all RAM is
 * seen at PPTR_BASE + physical, and kernel devices sit in the last 2 MiB. */
#ifndef ARCH_VSPACE_LAYOUT_H
#define ARCH_VSPACE_LAYOUT_H

#define PPTR_BASE 0xffffff8000000000ul
/* End of the kernel window: RAM above PPTR_TOP - PPTR_BASE cannot be used. */
#define PPTR_TOP 0xffffffffc0000000ul
#define KDEV_BASE 0xffffffffffe00000ul

/* seL4_UserTop: user virtual addresses are below this (ABI §2.2). */
#define USER_TOP 0x00007ffffffffffful

#define KERNEL_STACK_BITS 14

#ifndef __ASSEMBLER__
#include <stdint.h>
static inline uintptr_t paddr_to_kptr(uint64_t pa) { return (uintptr_t)(pa + PPTR_BASE); }
static inline uint64_t kptr_to_paddr(const void *p) { return (uint64_t)(uintptr_t)p - PPTR_BASE; }
#endif

#endif
