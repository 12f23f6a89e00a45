/* ASID table and TLB maintenance by ASID; see asid.h. */
#include "arch/aarch64/asid.h"

#include "arch/aarch64/sysreg.h"
#include "kernel/kptr.h"

#define TLBI_ASID_SHIFT 48

uint64_t asid_table[ASID_POOLS];

uint64_t asid_lookup(uint64_t asid)
{
    uint64_t pool = asid >> seL4_ASIDPoolIndexBits;
    if (asid == ASID_INVALID || pool >= ASID_POOLS || !asid_table[pool]) {
        return 0;
    }
    const struct asid_pool *p = ptr_from_paddr(asid_table[pool]);
    return p->vspace[asid & (ASID_POOL_ENTRIES - 1)];
}

void asid_flush(uint64_t asid)
{
    dsb_ish();
    __asm__ volatile("tlbi aside1is, %0" ::"r"(asid << TLBI_ASID_SHIFT) : "memory");
    dsb_ish();
    isb();
}
