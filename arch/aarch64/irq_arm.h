/* Arm IRQControl methods (manual §10.7.11): a handler with a chosen trigger, SGI signal
 * caps for this uniprocessor kernel, and signalling through one. */
#ifndef ARCH_IRQ_ARM_H
#define ARCH_IRQ_ARM_H

#include "kernel/invocation.h"

/* The IRQControl labels beyond the architecture-independent Get. */
enum exception arm_irq_control_invocation(struct invocation *inv);
/* Raises the SGI an SGI signal cap names. */
void arm_sgi_signal_invoke(cap_t c);

#endif
