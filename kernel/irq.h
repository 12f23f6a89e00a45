/* Interrupts as capabilities (manual ch. 8, §10.3.3-4): the state of every interrupt line,
 * IRQControl_Get and the IRQHandler methods, and dispatch of an interrupt to the kernel
 * timer or, as a signal, to the notification its handler names. */
#ifndef KERNEL_IRQ_H
#define KERNEL_IRQ_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/invocation.h"

enum irq_state {
    IRQ_INACTIVE = 0, /* no handler cap: masked */
    IRQ_SIGNAL,       /* a handler cap exists: delivered to its notification, if any */
    IRQ_TIMER,        /* the kernel's own timer */
    IRQ_RESERVED,     /* kept by the kernel, never handed out */
};

void irq_init(void);
void irq_handle_pending(void);
uint64_t irq_timer_count(void);

/* The shared checks of IRQControl_Get and GetTrigger: the line is in range and free, the
 * destination slot is empty (manual §10.3.3.1); on success *dest is that slot. */
enum exception irq_decode_issue(uint64_t irq, cap_t root, uint64_t index, uint64_t depth,
                                cte_t **dest);
/* Hands out the handler cap for a line irq_decode_issue accepted. */
void irq_invoke_issue(uint32_t irq, cte_t *control_slot, cte_t *dest);

enum exception irq_control_invocation(struct invocation *inv);
enum exception irq_handler_invocation(struct invocation *inv);

/* The last handler cap for the line is being deleted: drop its notification... */
void irq_handler_deleting(uint32_t irq);
/* ...and, once the slot is empty, mask the line and make it free again. */
void irq_handler_deleted(uint32_t irq);

#endif
