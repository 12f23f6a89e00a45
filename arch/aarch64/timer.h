/* The kernel's one-shot timer: the EL1 virtual generic timer, as upstream; its interrupt
 * number is the platform's (PPI 27 behind a GIC). */
#ifndef ARCH_TIMER_H
#define ARCH_TIMER_H

#include <stdint.h>

#include "platform.h"

#define KERNEL_TIMER_IRQ ((unsigned int)PLAT_KERNEL_TIMER_IRQ)

void timer_init(void);
uint64_t timer_frequency(void);
uint64_t timer_now(void);
/* Fires KERNEL_TIMER_IRQ once when the virtual count reaches deadline. */
void timer_set_deadline(uint64_t deadline);
/* Silences the timer after it fired, until the next timer_set_deadline. */
void timer_ack(void);

#endif
