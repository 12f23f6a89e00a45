/* xlnx-zcu102: the memory map and devices of the ZCU102 (Zynq UltraScale+ MPSoC), as
 * QEMU's xlnx-zcu102 machine models them. */
#ifndef PLATFORM_H
#define PLATFORM_H

#define PLAT_NAME "xlnx-zcu102"

/* RAM when no device tree is available: the low 2 GiB of DDR. */
#define PLAT_RAM_FALLBACK_BASE 0x00000000ul
#define PLAT_RAM_FALLBACK_SIZE 0x80000000ul

/* UART0, the board's console. */
#define PLAT_UART_PADDR 0xff000000ul
#define PLAT_UART_SIZE 0x1000ul
#define PLAT_UART_IRQ 53

/* GIC-400: the distributor and CPU interface; the kernel keeps their first pages. */
#define PLAT_GICD_PADDR 0xf9010000ul
#define PLAT_GICD_SIZE 0x10000ul
#define PLAT_GICC_PADDR 0xf9020000ul
#define PLAT_GICC_SIZE 0x20000ul
#define PLAT_GICD_KERNEL_SIZE 0x1000ul
#define PLAT_GICC_KERNEL_SIZE 0x1000ul

#define PLAT_KERNEL_DEVICES(DEV)                                                                   \
    DEV(PLAT_UART_PADDR, PLAT_UART_SIZE, KDEV_UART, true)                                          \
    DEV(PLAT_GICD_PADDR, PLAT_GICD_KERNEL_SIZE, KDEV_GICD, false)                                  \
    DEV(PLAT_GICC_PADDR, PLAT_GICC_KERNEL_SIZE, KDEV_GICC, false)

/* Generic timer PPIs: the kernel's (EL1 virtual) and the one user space may drive (EL1
 * physical, non-secure). */
#define PLAT_KERNEL_TIMER_IRQ 27
#define PLAT_USER_TIMER_IRQ 30

/* Highest interrupt number the kernel accepts from user space (upstream's zynqmp maxIRQ). */
#define PLAT_MAX_IRQ 187
#define PLAT_HAS_SGIS 1

/* PSCI goes to the secure firmware (ATF) with smc. */
#define PLAT_HAS_PSCI 1
#define PLAT_PSCI_USE_HVC 0

#endif
