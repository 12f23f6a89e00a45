/* SchedControl_ConfigureFlags (manual §10.3.7): giving a scheduling context its budget,
 * period, refill count, badge and sporadic flag, also while it is bound and running. */
#include <sel4/flags.h>
#include <sel4/invocation.h>

#include "arch/aarch64/timer.h"
#include "kernel/objects.h"
#include "kernel/thread.h"
#include "kernel/trace.h"
#include "sched/scheduler.h"

enum { ARG_BUDGET = 0, ARG_PERIOD, ARG_EXTRA_REFILLS, ARG_BADGE, ARG_FLAGS, CONFIGURE_LENGTH };

struct sched_control_configure {
    struct sched_context *sc;
    ticks_t budget, period;
    uint32_t max_refills;
    uint64_t badge;
    bool sporadic;
};

static enum exception decode_configure_flags(const struct invocation *inv,
                                             struct sched_control_configure *op)
{
    if (inv->length < CONFIGURE_LENGTH || inv->extra_count < 1) {
        return inv_error(seL4_TruncatedMessage);
    }
    uint64_t budget_us = inv_arg(inv, ARG_BUDGET), period_us = inv_arg(inv, ARG_PERIOD);
    uint64_t extra = inv_arg(inv, ARG_EXTRA_REFILLS);
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
    *op = (struct sched_control_configure){
        .sc = sc,
        .budget = budget,
        .period = period,
        .max_refills = (uint32_t)extra + MIN_REFILLS,
        .badge = inv_arg(inv, ARG_BADGE),
        .sporadic = inv_arg(inv, ARG_FLAGS) & seL4_SchedContext_Sporadic,
    };
    return EXCEPTION_NONE;
}

static void invoke_configure_flags(const struct sched_control_configure *op)
{
    struct sched_context *sc = op->sc;
    ticks_t min = sched_min_budget();
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
    if (sc_active(sc) && t && (t->state == THREAD_RUNNING || t->state == THREAD_RESTART)) {
        refill_update(&sc->q, op->max_refills, op->budget, op->period, op->sporadic, ks_cur_time,
                      min);
    } else {
        refill_new(&sc->q, op->max_refills, op->budget, op->period, op->sporadic, ks_cur_time);
    }
    sc->badge = op->badge;
    TRACE_REDESCRIBE_SC(sc);
    if (t) {
        sched_thread_changed(t);
    }
}

enum exception sched_control_invocation(struct invocation *inv)
{
    if (inv->label != SchedControlConfigureFlags) {
        return inv_error(seL4_IllegalOperation);
    }
    struct sched_control_configure op = {0};
    enum exception st = decode_configure_flags(inv, &op);
    if (st == EXCEPTION_NONE) {
        inv_begin_perform(inv);
        invoke_configure_flags(&op);
    }
    return st;
}
