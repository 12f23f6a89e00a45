/* ASIDs (manual §7.1.4–7.1.5, §10.7.1–10.7.2): 2^7 pools of 2^9 entries; an ASID is
 * pool << 9 | entry and is also the hardware ASID in TTBR0 (16-bit ASIDs). A pool entry
 * holds the physical address of the VSpace root assigned that ASID, 0 if none; ASID 0 is
 * never handed out. */
#ifndef ARCH_ASID_H
#define ARCH_ASID_H

#include <sel4/constants.h>
#include <stdint.h>

#include "kernel/invocation.h"
#include "kernel/kptr.h"

#define ASID_POOL_ENTRIES (1u << seL4_ASIDPoolIndexBits)
#define ASID_POOLS (1u << seL4_NumASIDPoolsBits)
#define ASID_INVALID 0

struct asid_pool {
    uint64_t vspace[ASID_POOL_ENTRIES];
};
_Static_assert(sizeof(struct asid_pool) == 1ul << seL4_ASIDPoolBits, "ASID pool object size");

/* Physical addresses of the pools, indexed by ASID >> 9; 0 for none. */
extern uint64_t asid_table[ASID_POOLS];

static inline struct asid_pool *asid_pool_of(uint64_t asid)
{
    uint64_t pool = asid >> seL4_ASIDPoolIndexBits;
    return pool < ASID_POOLS && asid_table[pool] ? ptr_from_paddr(asid_table[pool]) : 0;
}

/* The VSpace root assigned this ASID, 0 if none (inline: every switch asks). */
static inline uint64_t asid_lookup(uint64_t asid)
{
    struct asid_pool *p = asid_pool_of(asid);
    return (asid == ASID_INVALID || !p) ? 0 : p->vspace[asid & (ASID_POOL_ENTRIES - 1)];
}
void asid_flush(uint64_t asid);
/* A VSpace's final cap went: its ASID is free again and nothing of it stays in the TLB. */
void asid_delete(uint64_t asid, uint64_t vspace_pa);
void asid_delete_pool(uint64_t base, uint64_t pool_pa);

/* Decode an ASIDControl / ASIDPool invocation and, if it is valid, perform it. */
enum exception asid_control_invocation(struct invocation *inv);
enum exception asid_pool_invocation(struct invocation *inv);

#endif
