/* Arm IRQControl methods; see irq_arm.h. Checks and their order follow upstream's
 * Arch_decodeIRQControlInvocation. */
#include "arch/aarch64/irq_arm.h"

#include <sel4/invocation.h>

#include "drivers/irq/irq_controller.h"
#include "kernel/cdt.h"
#include "kernel/irq.h"
#include "platform.h"

enum { ARG_IRQ = 0, ARG_SECOND = 1, ARG_INDEX = 2, ARG_DEPTH = 3, ARM_LENGTH = 4 };
enum { ARG_INDEX_TARGET = 1 }; /* IssueSGISignal's InvalidArgument number for the target */

/* GetTrigger: as IRQControl_Get, with the trigger (non-zero: edge) in MR1. */
static enum exception decode_get_trigger(const struct invocation *inv, cte_t **dest)
{
    if (inv->length < ARM_LENGTH || inv->extra_count < 1) {
        return inv_error(seL4_TruncatedMessage);
    }
    return irq_decode_issue(inv_arg(inv, ARG_IRQ), inv->extra[0]->cap, inv_arg(inv, ARG_INDEX),
                            inv_arg(inv, ARG_DEPTH), dest);
}

static void invoke_get_trigger(const struct invocation *inv, cte_t *dest)
{
    uint32_t irq = (uint32_t)inv_arg(inv, ARG_IRQ);
    irq_set_trigger(irq, inv_arg(inv, ARG_SECOND) != 0);
    irq_invoke_issue(irq, inv->slot, dest);
}

#if PLAT_HAS_SGIS
/* IssueSGISignal: SGI 0..15, a target the GIC can address (not whether that core exists:
 * manual §10.7.11.3). Any number of caps for the same SGI may exist. */
static enum exception decode_issue_sgi_signal(const struct invocation *inv, cte_t **dest)
{
    if (inv->length < ARM_LENGTH || inv->extra_count < 1) {
        return inv_error(seL4_TruncatedMessage);
    }
    if (inv_arg(inv, ARG_IRQ) >= GIC_NUM_SGIS) {
        return inv_range_error(0, GIC_NUM_SGIS - 1);
    }
    if (!irq_sgi_target_valid(inv_arg(inv, ARG_SECOND))) {
        return inv_invalid_argument(ARG_INDEX_TARGET);
    }
    enum exception st = inv_lookup_target_slot(inv->extra[0]->cap, inv_arg(inv, ARG_INDEX),
                                               inv_arg(inv, ARG_DEPTH), dest);
    if (st != EXCEPTION_NONE) {
        return st;
    }
    return cap_is_null((*dest)->cap) ? EXCEPTION_NONE : inv_error(seL4_DeleteFirst);
}

static void invoke_issue_sgi_signal(const struct invocation *inv, cte_t *dest)
{
    cdt_insert(cap_sgi_signal_new(inv_arg(inv, ARG_IRQ), inv_arg(inv, ARG_SECOND)), inv->slot,
               dest);
}

#endif

enum exception arm_irq_control_invocation(struct invocation *inv)
{
    cte_t *dest = 0;
    enum exception st;
    switch (inv->label) {
    case ARMIRQIssueIRQHandlerTrigger:
        st = decode_get_trigger(inv, &dest);
        if (st == EXCEPTION_NONE) {
            inv_begin_perform(inv);
            invoke_get_trigger(inv, dest);
        }
        return st;
#if PLAT_HAS_SGIS
    case ARMIRQIssueSGISignal:
        st = decode_issue_sgi_signal(inv, &dest);
        if (st == EXCEPTION_NONE) {
            inv_begin_perform(inv);
            invoke_issue_sgi_signal(inv, dest);
        }
        return st;
#endif
    default:
        return inv_error(seL4_IllegalOperation);
    }
}

void arm_sgi_signal_invoke(cap_t c)
{
    irq_send_sgi(cap_sgi_signal_irq(c), cap_sgi_signal_target(c));
}
