/* Interrupt numbers on the BCM2836/BCM2837 (Raspberry Pi 2 and 3), as upstream seL4 numbers
 * them so that programs built against it name the same lines: 0-31 the ARM-local
 * controller's sources for this core, 32-39 the BCM2835 controller's basic interrupts, 64-127
 * its GPU interrupts (64 + the number the SoC's documentation gives). */
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
#define BCM2836_IRQ_LOCAL_TIMER 11

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
