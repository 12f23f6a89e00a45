/* Domains (manual §6.3): a compile-time schedule with one domain by default, and
 * DomainSet_Set to place a thread in one of them. */
#include <sel4/invocation.h>

#include "kernel/objects.h"
#include "sched/domain.h"

enum exception domain_decode(struct invocation *inv)
{
    if (inv->label != DomainSetSet) {
        return inv_error(seL4_IllegalOperation);
    }
    if (inv->length < 1) {
        return inv_error(seL4_TruncatedMessage);
    }
    uint64_t domain = inv_arg(inv, 0);
    if (domain >= CONFIG_NUM_DOMAINS) {
        return inv_invalid_argument(0);
    }
    if (inv->extra_count < 1) {
        return inv_error(seL4_TruncatedMessage);
    }
    cap_t c = inv->extra[0]->cap;
    if (cap_get_type(c) != cap_thread_cap) {
        return inv_invalid_argument(1);
    }
    inv_begin_perform(inv);
    cap_thread_tcb(c)->domain = (uint8_t)domain;
    return EXCEPTION_NONE;
}
