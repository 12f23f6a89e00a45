/* Domains (manual §6.3): a schedule fixed at build time (`make DOMAINS=d:us,d:us,...`, one
 * domain by default, as upstream's default configuration), the current domain, and
 * DomainSet_Set to place a thread in one. Only threads of the current domain run; the
 * kernel switches to the next entry when the current one's time is up. */
#ifndef SCHED_DOMAIN_H
#define SCHED_DOMAIN_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/invocation.h"
#include "sched/time.h"

#ifndef CONFIG_NUM_DOMAINS
#define CONFIG_NUM_DOMAINS 1
#endif

struct domain_entry {
    uint8_t domain;
    uint64_t length_us;
};

extern uint8_t ks_cur_domain;

/* The first entry's domain: the root task's (BootInfo initThreadDomain). */
uint8_t domain_initial(void);
/* Starts the schedule at `now`. */
void domain_init(ticks_t now);
/* When the current entry ends (UINT64_MAX with one domain: never). */
ticks_t domain_end(void);
/* Moves to the next entry if the current one's time is up at `now`; whether it did. */
bool domain_advance(ticks_t now);

enum exception domain_invocation(struct invocation *inv);

#endif
