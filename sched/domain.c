/* The domain schedule and DomainSet_Set; see domain.h. Entries keep their lengths exactly:
 * each ends a whole length after the previous one ended, not after the (late) interrupt
 * that noticed it, so the schedule does not drift. */
#include "sched/domain.h"

#include <sel4/invocation.h>

#include "arch/aarch64/timer.h"
#include "kernel/objects.h"
#include "kernel/trace.h"
#include "sched/scheduler.h"

#ifdef CONFIG_DOMAIN_SCHEDULE
static const struct domain_entry schedule[] = {CONFIG_DOMAIN_SCHEDULE};
#else
static const struct domain_entry schedule[] = {{0, 0}};
#endif
#define SCHEDULE_LENGTH (sizeof(schedule) / sizeof(schedule[0]))

_Static_assert(CONFIG_NUM_DOMAINS >= 1 && CONFIG_NUM_DOMAINS <= 256, "1..256 domains");

uint8_t ks_cur_domain;
static unsigned int entry;
static ticks_t entry_end; /* set by domain_init at boot */

uint8_t domain_initial(void)
{
    return schedule[0].domain;
}

static ticks_t length_ticks(unsigned int i)
{
    ticks_t t = time_us_to_ticks(schedule[i].length_us, timer_frequency());
    return t ? t : 1;
}

void domain_init(ticks_t now)
{
    entry = 0;
    ks_cur_domain = schedule[0].domain;
    entry_end = CONFIG_NUM_DOMAINS > 1 ? now + length_ticks(0) : UINT64_MAX;
}

ticks_t domain_end(void)
{
    return entry_end;
}

bool domain_advance(ticks_t now)
{
    if (CONFIG_NUM_DOMAINS == 1 || now < entry_end) {
        return false;
    }
    entry = (entry + 1) % SCHEDULE_LENGTH;
    ks_cur_domain = schedule[entry].domain;
    entry_end += length_ticks(entry);
    if (entry_end <= now) {
        entry_end = now + length_ticks(entry); /* fell behind by more than an entry */
    }
    TRACE_EVENT(KTRACE_EV_DOMAIN, ks_cur_domain, 0, 0, 0, entry_end);
    return true;
}

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

/* A ready thread moves to its new domain's queues; the current one is preempted if its
 * new domain is not the current domain (the scheduler sees that at exit). */
static void invoke_set(struct tcb *t, uint8_t domain)
{
    sched_remove(t);
    t->domain = domain;
    sched_thread_changed(t);
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
