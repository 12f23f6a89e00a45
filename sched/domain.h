/* Domains: one by default (CONFIG_NUM_DOMAINS), as upstream's default configuration. With
 * one domain there is nothing to switch between, so the domain schedule has no entries. */
#ifndef SCHED_DOMAIN_H
#define SCHED_DOMAIN_H

#include "kernel/invocation.h"

#ifndef CONFIG_NUM_DOMAINS
#define CONFIG_NUM_DOMAINS 1
#endif

/* Decodes a DomainSet invocation and, if it is valid, performs it. */
enum exception domain_invocation(struct invocation *inv);

#endif
