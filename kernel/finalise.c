/* Destroying objects when their last cap goes; see finalise.h. Every thread waiting on a
 * destroyed object is released, every binding to it undone, a donated scheduling context
 * goes back along its call stack, and an interrupt line whose last handler cap goes is
 * masked and free again. */
#include "kernel/finalise.h"

#include <sel4/constants.h>

#include "arch/aarch64/vspace.h"
#include "kernel/objects.h"
#include "kernel/thread.h"
#include "kernel/endpoint.h"
#include "kernel/irq.h"
#include "kernel/notification.h"
#include "kernel/reply.h"
#include "kernel/trace.h"
#include "sched/sched_context.h"

static struct finalise_result done(void)
{
    return (struct finalise_result){cap_null(), cap_null()};
}

struct finalise_result finalise_cap(cap_t cap, bool final)
{
    switch (cap_get_type(cap)) {
    case cap_cnode_cap:
        if (final) {
            unsigned int radix = cap_cnode_radix(cap);
            return (struct finalise_result){cap_zombie_new(cap_paddr(cap), false, radix, 1ull << radix),
                                            cap_null()};
        }
        return done();
    case cap_thread_cap:
        if (final) {
            struct tcb *t = cap_thread_tcb(cap);
            cancel_ipc(t);
            notification_unbind_tcb(t);
            if (t->sc) {
                sched_context_unbind_tcb(t->sc);
            }
            if (t->yield_to) {
                t->yield_to->yield_from = 0;
                t->yield_to = 0;
            }
            thread_destroy(t);
            return (struct finalise_result){
                cap_zombie_new(cap_paddr(cap), true, 0, TCB_CNODE_ENTRIES), cap_null()};
        }
        return done();
    case cap_zombie_cap:
        return (struct finalise_result){cap, cap_null()};
    case cap_endpoint_cap:
        if (final) {
            cancel_all_ipc(cap_ptr(cap));
        }
        return done();
    case cap_notification_cap:
        if (final) {
            notification_finalise(cap_ptr(cap));
        }
        return done();
    case cap_reply_cap:
        if (final) {
            reply_finalise(cap_ptr(cap));
        }
        return done();
    case cap_sched_context_cap:
        if (final) {
            sched_context_finalise(cap_ptr(cap));
        }
        return done();
    case cap_irq_handler_cap:
        if (final) {
            irq_handler_deleting((uint32_t)cap_irq_handler_irq(cap));
            return (struct finalise_result){cap_null(), cap};
        }
        return done();
    case cap_frame_cap:
        if (final) {
            trace_frame_final(cap_paddr(cap));
        }
        vspace_finalise_cap(cap, final);
        return done();
    case cap_page_table_cap:
    case cap_vspace_cap:
    case cap_asid_pool_cap:
        vspace_finalise_cap(cap, final);
        return done();
    default:
        return done();
    }
}

void finalise_post_delete(cap_t cleanup)
{
    if (cap_get_type(cleanup) == cap_irq_handler_cap) {
        irq_handler_deleted((uint32_t)cap_irq_handler_irq(cleanup));
    }
}
