/* Interrupt objects and dispatch; see irq.h. A line with a handler cap is masked each time
 * it fires and unmasked by IRQHandler_Ack, so a driver sees one interrupt per Ack and a
 * line that keeps firing costs the kernel one entry per Ack at most. SGIs cannot be masked
 * at the GIC on every implementation, so their mask is kept here: one that arrives while
 * masked is remembered and delivered at the next Ack. */
#include "kernel/irq.h"

#include <sel4/invocation.h>

#include "arch/aarch64/irq_arm.h"
#include "arch/aarch64/timer.h"
#include "drivers/irq/irq_controller.h"
#include "kernel/cdt.h"
#include "kernel/console.h"
#include "kernel/delete.h"
#include "kernel/notification.h"
#include "kernel/thread.h"
#include "kernel/trace.h"
#include "platform.h"

#define NUM_IRQS (PLAT_MAX_IRQ + 1)
/* Behind a GIC the first 16 lines are SGIs; other controllers have none. */
#define IRQ_IS_SGI(irq) (PLAT_HAS_SGIS && (irq) < GIC_NUM_SGIS)

enum { ARG_IRQ = 0, ARG_INDEX = 1, ARG_DEPTH = 2, GET_LENGTH = 3 };

static uint8_t irq_states[NUM_IRQS];
/* Per line: masked since it last fired (not yet acked), and an SGI that came meanwhile. */
static bool irq_masked[NUM_IRQS], sgi_pending[NUM_IRQS];
/* The notification each handler signals: kernel-held slots in the derivation tree, so the
 * notification lives as long as a handler names it (upstream's intStateIRQNode). */
static cte_t irq_node[NUM_IRQS] __attribute__((aligned(sizeof(cte_t))));
static uint64_t timer_irqs;

_Static_assert(KERNEL_TIMER_IRQ < NUM_IRQS, "the kernel timer's line is a valid IRQ");

void irq_init(void)
{
    irq_states[KERNEL_TIMER_IRQ] = IRQ_TIMER;
    irq_set_kernel_priority(KERNEL_TIMER_IRQ);
}

uint64_t irq_timer_count(void)
{
    return timer_irqs;
}

static void mask(uint32_t irq)
{
    irq_masked[irq] = true;
    if (!IRQ_IS_SGI(irq)) {
        irq_disable(irq);
    }
}

static void unmask(uint32_t irq)
{
    irq_masked[irq] = false;
    irq_enable(irq);
}

/* ---- Dispatch ---------------------------------------------------------------------------- */

static void handle_timer(void)
{
    timer_ack();
    if (timer_irqs++ == 0) {
        kprintf_note("kairos: first timer interrupt taken at tick %lu\n", timer_now());
    }
    thread_idle_tick();
}

static void signal_handler(uint32_t irq)
{
    cap_t c = irq_node[irq].cap;
    if (cap_get_type(c) == cap_notification_cap && (cap_rights(c) & RIGHT_WRITE)) {
        send_signal(cap_ptr(c), cap_badge(c));
    } else {
        kprintf_user_error("kairos: interrupt %u undelivered: its handler has no notification\n",
                           irq);
    }
}

static void handle_user_irq(uint32_t irq)
{
    if (irq_masked[irq]) {
        sgi_pending[irq] = true; /* only an SGI gets here: other lines are masked at the GIC */
        return;
    }
    signal_handler(irq);
    mask(irq);
}

void irq_handle_pending(void)
{
    uint32_t irq = irq_claim();
    if (irq == IRQ_NONE) {
        return; /* spurious: nothing to end */
    }
    TRACE_EVENT(KTRACE_EV_IRQ, 0, TRACE_TCB_ID(ks_cur_thread), 0, irq, 0);
    if (irq >= NUM_IRQS) {
        kprintf("kairos: warning: interrupt %u above the largest IRQ %u; masked\n", irq,
                (unsigned int)PLAT_MAX_IRQ);
        irq_disable(irq);
    } else {
        switch (irq_states[irq]) {
        case IRQ_TIMER:
            handle_timer();
            break;
        case IRQ_SIGNAL:
            handle_user_irq(irq);
            break;
        case IRQ_RESERVED:
            break;
        default:
            if (IRQ_IS_SGI(irq)) {
                /* Anyone with an SGI signal cap can raise one nobody handles. */
                kprintf_user_error("kairos: SGI %u with no handler; dropped\n", irq);
            } else {
                kprintf("kairos: warning: interrupt %u with no handler; masked\n", irq);
                mask(irq);
            }
            break;
        }
    }
    irq_end(irq);
}

/* ---- IRQControl ---------------------------------------------------------------------------- */

enum exception irq_decode_issue(uint64_t irq, cap_t root, uint64_t index, uint64_t depth,
                                cte_t **dest)
{
    if (irq > PLAT_MAX_IRQ) {
        return inv_range_error(0, PLAT_MAX_IRQ);
    }
    if (irq_states[irq] != IRQ_INACTIVE) {
        return inv_error(seL4_RevokeFirst);
    }
    enum exception st = inv_lookup_target_slot(root, index, depth, dest);
    if (st != EXCEPTION_NONE) {
        return st;
    }
    return cap_is_null((*dest)->cap) ? EXCEPTION_NONE : inv_error(seL4_DeleteFirst);
}

/* The line is live from now on: an interrupt before SetNotification is reported and masked
 * until the first Ack (upstream unmasks at Get too). */
void irq_invoke_issue(uint32_t irq, cte_t *control_slot, cte_t *dest)
{
    irq_states[irq] = IRQ_SIGNAL;
    sgi_pending[irq] = false;
    unmask(irq);
    cdt_insert(cap_irq_handler_new(irq), control_slot, dest);
}

static enum exception decode_get(const struct invocation *inv, cte_t **dest)
{
    if (inv->length < GET_LENGTH || inv->extra_count < 1) {
        return inv_error(seL4_TruncatedMessage);
    }
    return irq_decode_issue(inv_arg(inv, ARG_IRQ), inv->extra[0]->cap, inv_arg(inv, ARG_INDEX),
                            inv_arg(inv, ARG_DEPTH), dest);
}

enum exception irq_control_invocation(struct invocation *inv)
{
    if (inv->label != IRQIssueIRQHandler) {
        return arm_irq_control_invocation(inv);
    }
    cte_t *dest = 0;
    enum exception st = decode_get(inv, &dest);
    if (st == EXCEPTION_NONE) {
        inv_begin_perform(inv);
        irq_invoke_issue((uint32_t)inv_arg(inv, ARG_IRQ), inv->slot, dest);
    }
    return st;
}

/* ---- IRQHandler ---------------------------------------------------------------------------- */

static void invoke_ack(uint32_t irq)
{
    if (sgi_pending[irq]) {
        /* The SGI that came while masked is delivered now, and the line masked again. */
        sgi_pending[irq] = false;
        signal_handler(irq);
        return;
    }
    unmask(irq);
}

/* Manual §10.3.4.3: a notification cap with the Write right; upstream reports a wrong one
 * as InvalidCapability 0. */
static enum exception decode_set_notification(const struct invocation *inv)
{
    if (inv->extra_count < 1) {
        return inv_error(seL4_TruncatedMessage);
    }
    cap_t c = inv->extra[0]->cap;
    if (cap_get_type(c) != cap_notification_cap || !(cap_rights(c) & RIGHT_WRITE)) {
        return inv_invalid_cap(0);
    }
    return EXCEPTION_NONE;
}

/* The old notification cap goes (a notification cap's deletion is never preempted), the
 * new one is copied in as a sibling of the caller's. */
static void invoke_set_notification(uint32_t irq, cte_t *src)
{
    (void)cte_delete(&irq_node[irq], true);
    cdt_insert(src->cap, src, &irq_node[irq]);
}

static void invoke_clear(uint32_t irq)
{
    (void)cte_delete(&irq_node[irq], true);
}

enum exception irq_handler_invocation(struct invocation *inv)
{
    uint32_t irq = (uint32_t)cap_irq_handler_irq(inv->cap);
    enum exception st;
    switch (inv->label) {
    case IRQAckIRQ:
        inv_begin_perform(inv);
        invoke_ack(irq);
        return EXCEPTION_NONE;
    case IRQSetIRQHandler:
        st = decode_set_notification(inv);
        if (st == EXCEPTION_NONE) {
            inv_begin_perform(inv);
            invoke_set_notification(irq, inv->extra[0]);
        }
        return st;
    case IRQClearIRQHandler:
        inv_begin_perform(inv);
        invoke_clear(irq);
        return EXCEPTION_NONE;
    default:
        return inv_error(seL4_IllegalOperation);
    }
}

/* ---- Deletion ------------------------------------------------------------------------------ */

void irq_handler_deleting(uint32_t irq)
{
    if (irq < NUM_IRQS) {
        (void)cte_delete(&irq_node[irq], true);
    }
}

void irq_handler_deleted(uint32_t irq)
{
    if (irq < NUM_IRQS && irq_states[irq] == IRQ_SIGNAL) {
        irq_states[irq] = IRQ_INACTIVE;
        sgi_pending[irq] = false;
        mask(irq);
    }
}
