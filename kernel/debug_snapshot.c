/* seL4_DebugSnapshot (debug builds): the calling thread's CSpace on the console, one line
 * per capability of its root CNode, so a developer sees what a thread holds. Upstream
 * prints a capDL description of the whole system here; Kairos lists the caller's caps. */
#include "kernel/debug_snapshot.h"

#include "kernel/cap_ops.h"
#include "kernel/console.h"
#include "kernel/objects.h"

#ifdef CONFIG_DEBUG_BUILD

static const char *cap_type_name(enum cap_type t)
{
    switch (t) {
    case cap_frame_cap:
        return "frame";
    case cap_untyped_cap:
        return "untyped";
    case cap_page_table_cap:
        return "page table";
    case cap_endpoint_cap:
        return "endpoint";
    case cap_notification_cap:
        return "notification";
    case cap_reply_cap:
        return "reply";
    case cap_vspace_cap:
        return "vspace";
    case cap_cnode_cap:
        return "cnode";
    case cap_asid_control_cap:
        return "asid control";
    case cap_thread_cap:
        return "tcb";
    case cap_asid_pool_cap:
        return "asid pool";
    case cap_irq_control_cap:
        return "irq control";
    case cap_irq_handler_cap:
        return "irq handler";
    case cap_zombie_cap:
        return "zombie";
    case cap_domain_cap:
        return "domain";
    case cap_sched_context_cap:
        return "sched context";
    case cap_sched_control_cap:
        return "sched control";
    case cap_sgi_signal_cap:
        return "sgi signal";
    default:
        return "null";
    }
}

void debug_snapshot(struct tcb *t)
{
    cap_t root = tcb_slot(t, TCB_CTABLE)->cap;
    if (cap_get_type(root) != cap_cnode_cap) {
        kprintf("kairos: snapshot of thread \"%s\": no CSpace\n", t->name);
        return;
    }
    unsigned int radix = cap_cnode_radix(root);
    const cte_t *slots = cap_cnode_slots(root);
    kprintf("kairos: snapshot of thread \"%s\": root CNode of 2^%u slots\n", t->name, radix);
    uint64_t caps = 0;
    for (uint64_t i = 0; i < (1ull << radix); i++) {
        cap_t c = slots[i].cap;
        if (cap_is_null(c)) {
            continue;
        }
        caps++;
        kprintf("  slot %lu: %s", i, cap_type_name(cap_get_type(c)));
        if (cap_is_physical(c)) {
            kprintf(" at 0x%lx, 2^%u bytes", cap_paddr(c), cap_size_bits(c));
        }
        switch (cap_get_type(c)) {
        case cap_endpoint_cap:
        case cap_notification_cap:
            kprintf(", badge 0x%lx, rights 0x%x", cap_badge(c), cap_rights(c));
            break;
        case cap_irq_handler_cap:
            kprintf(", irq %lu", cap_irq_handler_irq(c));
            break;
        default:
            break;
        }
        kprintf("\n");
    }
    kprintf("kairos: snapshot: %lu capabilities\n", caps);
}

#endif
