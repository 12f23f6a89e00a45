/* Domains (manual §6.3): a compile-time schedule with one domain by default, and
 * DomainSet_Set to place a thread in one of them. */
#include <sel4/invocation.h>

#include "kernel/objects.h"
#include "sched/domain.h"

static enum exception decode_set(const struct invocation *inv, struct tcb **t, uint8_t *domain)
{
    if (inv->length < 1) {
        return inv_error(seL4_TruncatedMessage);
    }
    uint64_t d = inv_arg(inv, 0);
    if (d >= CONFIG_NUM_DOMAINS) {
        return inv_invalid_argument(0);
    }
    if (inv->extra_count < 1) {
        return inv_error(seL4_TruncatedMessage);
    }
    cap_t c = inv->extra[0]->cap;
    if (cap_get_type(c) != cap_thread_cap) {
        return inv_invalid_argument(1);
    }
    *t = cap_thread_tcb(c);
    *domain = (uint8_t)d;
    return EXCEPTION_NONE;
}

static void invoke_set(struct tcb *t, uint8_t domain)
{
    t->domain = domain;
}

enum exception domain_invocation(struct invocation *inv)
{
    if (inv->label != DomainSetSet) {
        return inv_error(seL4_IllegalOperation);
    }
    struct tcb *t = 0;
    uint8_t domain = 0;
    enum exception st = decode_set(inv, &t, &domain);
    if (st == EXCEPTION_NONE) {
        inv_begin_perform(inv);
        invoke_set(t, domain);
    }
    return st;
}
