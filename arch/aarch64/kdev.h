/* Where the kernel sees its devices: fixed pages in the KDEV_BASE window. */
#ifndef ARCH_KDEV_H
#define ARCH_KDEV_H

#include "arch/aarch64/vspace_layout.h"

#define KDEV_UART (KDEV_BASE + 0x00000ul)
#define KDEV_GICD (KDEV_BASE + 0x10000ul)
#define KDEV_GICC (KDEV_BASE + 0x20000ul)
#define KDEV_GICR (KDEV_BASE + 0x40000ul)
/* Boards without a GIC: the BCM2836 ARM-local controller and the page of the BCM2835 one. */
#define KDEV_LOCAL_INTC (KDEV_BASE + 0x10000ul)
#define KDEV_ARMCTRL_PAGE (KDEV_BASE + 0x20000ul)
/* The window is one 2 MiB L2 slot of 4 KiB pages. */
#define KDEV_WINDOW_SIZE (1ul << 21)

#endif
