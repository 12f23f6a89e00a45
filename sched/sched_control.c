/* SchedControl_ConfigureFlags (manual §10.3.7): giving a scheduling context its budget,
 * period, refill count, badge and sporadic flag, also while it is bound and running. */
#include <sel4/flags.h>
#include <sel4/invocation.h>

#include "arch/aarch64/timer.h"
#include "kernel/objects.h"
#include "kernel/thread.h"
#include "sched/scheduler.h"

enum { ARG_BUDGET = 0, ARG_PERIOD, ARG_EXTRA_REFILLS, ARG_BADGE, ARG_FLAGS, CONFIGURE_LENGTH };

enum exception sched_control_decode(struct invocation *inv)
{
    if (inv->label != SchedControlConfigureFlags) {
        return inv_error(seL4_IllegalOperation);
    }
    if (inv->length < CONFIGURE_LENGTH || inv->extra_count < 1) {
        return inv_error(seL4_TruncatedMessage);
    }
    uint64_t budget_us = inv_arg(inv, ARG_BUDGET), period_us = inv_arg(inv, ARG_PERIOD);
    uint64_t extra = inv_arg(inv, ARG_EXTRA_REFILLS), badge = inv_arg(inv, ARG_BADGE);
    uint64_t flags = inv_arg(inv, ARG_FLAGS);
    cap_t c = inv->extra[0]->cap;
    if (cap_get_type(c) != cap_sched_context_cap) {
        return inv_invalid_cap(1);
    }
    uint64_t hz = timer_frequency(), max_us = sched_max_period_us();
    ticks_t min = sched_min_budget();
    ticks_t budget = time_us_to_ticks(budget_us, hz), period = time_us_to_ticks(period_us, hz);
    if (budget_us > max_us || budget < min) {
        return inv_range_error(MIN_BUDGET_US, max_us);
    }
    if (period_us > max_us || period < min) {
        return inv_range_error(MIN_BUDGET_US, max_us);
    }
    if (budget > period) {
        return inv_range_error(MIN_BUDGET_US, period_us);
    }
    struct sched_context *sc = cap_ptr(c);
    uint32_t capacity = sc_capacity(sc);
    if (extra > capacity - MIN_REFILLS) {
        return inv_range_error(0, capacity - MIN_REFILLS);
    }

    inv_begin_perform(inv);
    struct tcb *t = sc->tcb;
    if (t) {
        sched_remove(t);
    }
    if (sc == ks_cur_sc && ks_consumed) {
        /* Bill what the running thread used under the old parameters first. */
        refill_charge(&sc->q, ks_consumed, ks_cur_time, min);
        sc->consumed += ks_consumed;
        ks_consumed = 0;
    }
    bool sporadic = flags & seL4_SchedContext_Sporadic;
    uint32_t max = (uint32_t)extra + MIN_REFILLS;
    if (sc_active(sc) && t && (t->state == THREAD_RUNNING || t->state == THREAD_RESTART)) {
        refill_update(&sc->q, max, budget, period, sporadic, ks_cur_time, min);
    } else {
        refill_new(&sc->q, max, budget, period, sporadic, ks_cur_time);
    }
    sc->badge = badge;
    if (t) {
        sched_thread_changed(t);
    }
    return EXCEPTION_NONE;
}
