/* The interrupt controller as the kernel uses it: one driver in drivers/irq/ implements
 * it, the one the platform's IRQ_DRIVER names (platform.mk). */
#ifndef DRIVERS_IRQ_CONTROLLER_H
#define DRIVERS_IRQ_CONTROLLER_H

#include <stdbool.h>
#include <stdint.h>

#define IRQ_NONE 0xffffffffu
/* INTIDs 1020..1023 are special (spurious); real interrupts are below. */
#define GIC_INTID_SPECIAL_FIRST 1020u
#define GIC_INTID_SPECIAL_END 1024u
#define GIC_PRIORITY_DEFAULT 0x80u
#define GIC_PMR_ALLOW_ALL 0xffu

#define GIC_NUM_SGIS 16u
#define GIC_FIRST_SPI 32u
/* The kernel timer's interrupt is taken before any user interrupt pending with it, so a
 * storm of device interrupts cannot delay budget enforcement. */
#define GIC_PRIORITY_KERNEL 0x40u

void irq_controller_init(void);
/* Acknowledges the highest-priority pending interrupt; IRQ_NONE if spurious. */
uint32_t irq_claim(void);
void irq_end(uint32_t irq);
void irq_enable(uint32_t irq);
void irq_disable(uint32_t irq);
/* True when an interrupt is waiting: the check at kernel preemption points. */
bool irq_pending(void);
/* For the boot banner: "GICv2", say. */
const char *irq_controller_name(void);
/* Taken before user interrupts (GIC_PRIORITY_KERNEL). */
void irq_set_kernel_priority(uint32_t irq);
/* Edge (true) or level triggered; SGIs have a fixed trigger and are left alone. */
void irq_set_trigger(uint32_t irq, bool edge);
/* Raises SGI `sgi` on the core that `target` names (GICv2: CPU interface number 0..7;
 * GICv3: the affinity Aff3.Aff2.Aff1.Aff0). */
void irq_send_sgi(uint32_t sgi, uint64_t target);
/* Whether `target` is a valid SGI target for this controller's architecture. */
bool irq_sgi_target_valid(uint64_t target);

#endif
