/* Interrupt dispatch: the kernel's own timer and, later, user IRQ handlers. */
#ifndef KERNEL_IRQ_H
#define KERNEL_IRQ_H

#include <stdint.h>

void irq_handle_pending(void);
uint64_t irq_timer_count(void);

#endif
