/* rpi4: the memory map and devices of the Raspberry Pi 4 Model B (BCM2711) with the
 * firmware's default low-peripheral mode (ARM peripherals at 0xfe000000, the GIC-400 at
 * 0xff840000). */
#ifndef PLATFORM_H
#define PLATFORM_H

#define PLAT_NAME "rpi4"

/* RAM when no device tree is available: the first 1 GiB less the GPU's 76 MiB, which every
 * memory size has. */
#define PLAT_RAM_FALLBACK_BASE 0x00000000ul
#define PLAT_RAM_FALLBACK_SIZE 0x3b400000ul

/* The PL011 ("uart0") on GPIO 14/15 with dtoverlay=disable-bt (docs/boards.md). */
#define PLAT_UART_PADDR 0xfe201000ul
#define PLAT_UART_SIZE 0x1000ul
#define PLAT_UART_IRQ 153
#define PLAT_UART_PL011 1

/* GIC-400: the distributor and CPU interface; the kernel keeps their first pages. */
#define PLAT_GICD_PADDR 0xff841000ul
#define PLAT_GICD_SIZE 0x1000ul
#define PLAT_GICC_PADDR 0xff842000ul
#define PLAT_GICC_SIZE 0x2000ul
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

/* Highest interrupt number the kernel accepts from user space (upstream's bcm2711 maxIRQ). */
#define PLAT_MAX_IRQ 216
#define PLAT_HAS_SGIS 1

/* PSCI: the firmware's armstub (ATF on newer firmware) answers smc. */
#define PLAT_HAS_PSCI 1
#define PLAT_PSCI_USE_HVC 0

#endif
