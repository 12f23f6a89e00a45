/* qemu-arm-virt: the memory map and devices of QEMU's "virt" machine (QEMU 7.2). */
#ifndef PLATFORM_H
#define PLATFORM_H

#define PLAT_NAME "qemu-arm-virt"

/* RAM when no device tree is available (QEMU's default -m 128M). */
#define PLAT_RAM_FALLBACK_BASE 0x40000000ul
#define PLAT_RAM_FALLBACK_SIZE 0x08000000ul

#define PLAT_UART_PADDR 0x09000000ul
#define PLAT_UART_SIZE 0x1000ul
#define PLAT_UART_IRQ 33
#define PLAT_UART_PL011 1
/* The PL031 real-time clock, a device the system tests drive. */
#define PLAT_RTC_PL031_PADDR 0x09010000ul
#define PLAT_RTC_PL031_IRQ 34

/* GIC: the distributor is the same for both versions; v2 adds a memory-mapped CPU
 * interface, v3 a redistributor per core (RD_base + SGI_base frames). */
#define PLAT_GICD_PADDR 0x08000000ul
#define PLAT_GICD_SIZE 0x10000ul
#define PLAT_GICC_PADDR 0x08010000ul
#define PLAT_GICC_SIZE 0x2000ul
#define PLAT_GICR_PADDR 0x080a0000ul
#define PLAT_GICR_SIZE 0x20000ul /* this core's RD_base and SGI_base frames */

/* What of them the kernel maps and keeps from user space (upstream's kernel_size): the
 * first page of each GICv2 frame, the GICv3 distributor and this core's redistributor. The
 * rest of the GIC's address space goes to user space as device untypeds, as upstream. */
#if GIC_VERSION == 3
#define PLAT_GICD_KERNEL_SIZE 0x10000ul
#define PLAT_GICR_KERNEL_SIZE PLAT_GICR_SIZE
#else
#define PLAT_GICD_KERNEL_SIZE 0x1000ul
#define PLAT_GICC_KERNEL_SIZE 0x1000ul
#endif

/* The device frames the kernel maps, as DEV(paddr, size, kernel address, user may have it):
 * the console UART (user space may drive it too, as upstream) and the GIC pages above. */
#if GIC_VERSION == 3
#define PLAT_KERNEL_DEVICES(DEV)                                                                   \
    DEV(PLAT_UART_PADDR, PLAT_UART_SIZE, KDEV_UART, true)                                          \
    DEV(PLAT_GICD_PADDR, PLAT_GICD_KERNEL_SIZE, KDEV_GICD, false)                                  \
    DEV(PLAT_GICR_PADDR, PLAT_GICR_KERNEL_SIZE, KDEV_GICR, false)
#else
#define PLAT_KERNEL_DEVICES(DEV)                                                                   \
    DEV(PLAT_UART_PADDR, PLAT_UART_SIZE, KDEV_UART, true)                                          \
    DEV(PLAT_GICD_PADDR, PLAT_GICD_KERNEL_SIZE, KDEV_GICD, false)                                  \
    DEV(PLAT_GICC_PADDR, PLAT_GICC_KERNEL_SIZE, KDEV_GICC, false)
#endif

/* Generic timer PPIs: the kernel's (EL1 virtual) and the one user space may drive (EL1
 * physical, non-secure). */
#define PLAT_KERNEL_TIMER_IRQ 27
#define PLAT_USER_TIMER_IRQ 30

/* Highest interrupt number the kernel accepts from user space (upstream: maxIRQ). */
#define PLAT_MAX_IRQ 159
#define PLAT_HAS_SGIS 1

/* PSCI is reached with hvc on virt when QEMU itself emulates EL2/EL3 firmware. */
#define PLAT_HAS_PSCI 1
#define PLAT_PSCI_USE_HVC 1

#endif
