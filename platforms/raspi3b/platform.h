/* raspi3b: the memory map and devices of the Raspberry Pi 3 Model B (BCM2837), as QEMU's
 * raspi3b machine models them. Interrupt numbers follow upstream seL4's for this SoC
 * (drivers/irq/bcm2836.h). */
#ifndef PLATFORM_H
#define PLATFORM_H

#include "drivers/irq/bcm2836.h"

#define PLAT_NAME "raspi3b"

/* RAM when no device tree is available: 1 GiB less the GPU's 64 MiB. */
#define PLAT_RAM_FALLBACK_BASE 0x00000000ul
#define PLAT_RAM_FALLBACK_SIZE 0x3c000000ul

/* The PL011 ("uart0"), QEMU's first serial port; on the board it needs
 * dtoverlay=disable-bt (docs/boards.md). */
#define PLAT_UART_PADDR 0x3f201000ul
#define PLAT_UART_SIZE 0x1000ul
#define PLAT_UART_IRQ BCM2836_IRQ_GPU_LINE(BCM2835_GPU_IRQ_UART)
#define PLAT_UART_PL011 1

/* The interrupt controllers: the ARM-local one (per-core timers, mailboxes, the GPU line)
 * and the BCM2835 one behind it; the kernel keeps the page of each. */
#define PLAT_LOCAL_INTC_PADDR 0x40000000ul
#define PLAT_ARMCTRL_PAGE_PADDR 0x3f00b000ul
#define PLAT_ARMCTRL_OFFSET 0x200ul

#define PLAT_KERNEL_DEVICES(DEV)                                                                   \
    DEV(PLAT_UART_PADDR, PLAT_UART_SIZE, KDEV_UART, true)                                          \
    DEV(PLAT_LOCAL_INTC_PADDR, 0x1000ul, KDEV_LOCAL_INTC, false)                                   \
    DEV(PLAT_ARMCTRL_PAGE_PADDR, 0x1000ul, KDEV_ARMCTRL_PAGE, false)

/* Generic timer lines at the local controller: the kernel's (EL1 virtual) and the one user
 * space may drive (EL1 physical, non-secure). */
#define PLAT_KERNEL_TIMER_IRQ BCM2836_IRQ_CNTVIRQ
#define PLAT_USER_TIMER_IRQ BCM2836_IRQ_CNTPNSIRQ

#define PLAT_MAX_IRQ BCM2836_MAX_IRQ
/* No GIC, so no SGIs. */
#define PLAT_HAS_SGIS 0

/* No PSCI: the firmware parks the other cores in spin tables. */
#define PLAT_HAS_PSCI 0
#define PLAT_PSCI_USE_HVC 0

#endif
