/* The interrupt controller as the kernel uses it; gicv2.c or gicv3.c implements it,
 * whichever the platform's GIC_VERSION selects. */
#ifndef ARCH_IRQ_CONTROLLER_H
#define ARCH_IRQ_CONTROLLER_H

#include <stdbool.h>
#include <stdint.h>

#define IRQ_NONE 0xffffffffu
/* INTIDs 1020..1023 are special (spurious); real interrupts are below. */
#define GIC_INTID_SPECIAL_FIRST 1020u
#define GIC_INTID_SPECIAL_END 1024u
#define GIC_PRIORITY_DEFAULT 0x80u
#define GIC_PMR_ALLOW_ALL 0xffu

void irq_controller_init(void);
/* Acknowledges the highest-priority pending interrupt; IRQ_NONE if spurious. */
uint32_t irq_claim(void);
void irq_end(uint32_t irq);
void irq_enable(uint32_t irq);
void irq_disable(uint32_t irq);
/* True when an interrupt is waiting: the check at kernel preemption points. */
bool irq_pending(void);
unsigned int irq_controller_version(void);

#endif
