/* Interrupt numbers on the BCM2836/BCM2837 (Raspberry Pi 2 and 3), as upstream seL4 numbers
 * them so that programs built against it name the same lines (upstream's
 * include/drivers/irq/bcm2836-armctrl-ic.h and src/plat/bcm2837/config.cmake):
 *
 *     0..11   the ARM-local controller's sources for core 0, its IRQ source bit numbers:
 *             0 CNTPSIRQ, 1 CNTPNSIRQ, 2 CNTHPIRQ, 3 CNTVIRQ (the core's generic timers),
 *             4..7 mailboxes 0..3, 8 the BCM2835 controller (never a line of its own),
 *             9 PMU, 10 AXI, 11 the local timer
 *     32..39  the BCM2835's basic interrupts, 32 + the basic-pending bit: 32 ARM timer,
 *             33 ARM mailbox, 34/35 doorbells 0/1, 36/37 GPU 0/1 halted, 38/39 illegal
 *             access type 1/0 (upstream also names 40..52, the summary and shortcut bits,
 *             which never fire: this driver reads pending 1 and 2 instead)
 *     64..127 the BCM2835's GPU interrupts, 64 + the number the SoC's documentation gives
 *             (pending 1 bit n is 64 + n, pending 2 bit n is 96 + n): UART (PL011) 121
 *
 * The largest is 127 (upstream's maxIRQ). Numbers in between (12..31, 40..63) are accepted
 * by IRQControl, as upstream, and never fire. */
#ifndef DRIVERS_IRQ_BCM2836_H
#define DRIVERS_IRQ_BCM2836_H

#define BCM2836_IRQ_CNTPSIRQ 0
#define BCM2836_IRQ_CNTPNSIRQ 1
#define BCM2836_IRQ_CNTHPIRQ 2
#define BCM2836_IRQ_CNTVIRQ 3
#define BCM2836_IRQ_MAILBOX0 4
#define BCM2836_NUM_MAILBOXES 4
/* The BCM2835 controller's line into the local one: never a user line of its own. */
#define BCM2836_IRQ_GPU 8
#define BCM2836_IRQ_PMU 9
#define BCM2836_IRQ_AXI 10
#define BCM2836_IRQ_LOCAL_TIMER 11
#define BCM2836_NUM_LOCAL_IRQS 12

#define BCM2836_BASIC_IRQ_OFFSET 32
#define BCM2836_NUM_BASIC_IRQS 8
#define BCM2836_GPU_IRQ_OFFSET 64
#define BCM2836_NUM_GPU_IRQS 64
#define BCM2836_IRQ_BASIC(n) (BCM2836_BASIC_IRQ_OFFSET + (n))
#define BCM2836_IRQ_GPU_LINE(n) (BCM2836_GPU_IRQ_OFFSET + (n))
#define BCM2836_MAX_IRQ (BCM2836_GPU_IRQ_OFFSET + BCM2836_NUM_GPU_IRQS - 1)

/* GPU interrupt numbers of devices the platform uses. */
#define BCM2835_GPU_IRQ_UART 57

#endif
