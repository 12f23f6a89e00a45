/* ASID table, pools and their invocations; see asid.h. Each method is a decode_x that only
 * checks (and returns the manual's error) and an invoke_x that only acts. */
#include "arch/aarch64/asid.h"

#include <sel4/invocation.h>

#include "arch/aarch64/sysreg.h"
#include "arch/aarch64/vspace.h"
#include "kernel/cdt.h"
#include "kernel/kptr.h"
#include "lib/string.h"

#define TLBI_ASID_SHIFT 48

enum { ARG_INDEX = 0, ARG_DEPTH = 1, MAKE_POOL_LENGTH = 2 };
enum { EXTRA_UNTYPED = 0, EXTRA_ROOT = 1, EXTRA_VSPACE = 0 };

uint64_t asid_table[ASID_POOLS];

void asid_flush(uint64_t asid)
{
    dsb_ish();
    __asm__ volatile("tlbi aside1is, %0" ::"r"(asid << TLBI_ASID_SHIFT) : "memory");
    dsb_ish();
    isb();
}

void asid_delete(uint64_t asid, uint64_t vspace_pa)
{
    vspace_gen_bump();
    struct asid_pool *p = asid_pool_of(asid);
    if (p && asid_lookup(asid) == vspace_pa) {
        p->vspace[asid & (ASID_POOL_ENTRIES - 1)] = 0;
        asid_flush(asid);
    }
}

void asid_delete_pool(uint64_t base, uint64_t pool_pa)
{
    vspace_gen_bump();
    uint64_t pool = base >> seL4_ASIDPoolIndexBits;
    if (pool >= ASID_POOLS || asid_table[pool] != pool_pa) {
        return;
    }
    struct asid_pool *p = ptr_from_paddr(pool_pa);
    for (unsigned int i = 0; i < ASID_POOL_ENTRIES; i++) {
        if (p->vspace[i]) {
            asid_flush(base + i);
        }
    }
    asid_table[pool] = 0;
}

/* What a MakePool will do once decoded: the untyped's memory becomes pool number pool,
 * its cap goes to dest as the untyped's child. */
struct asid_make_pool {
    cte_t *ut_slot, *dest;
    unsigned int pool;
};

/* Manual §10.7.1.1: a 4 KiB non-device untyped with no children becomes a pool. */
static enum exception decode_make_pool(const struct invocation *inv, struct asid_make_pool *op)
{
    if (inv->length < MAKE_POOL_LENGTH || inv->extra_count < 2) {
        return inv_error(seL4_TruncatedMessage);
    }
    unsigned int pool = 0;
    while (pool < ASID_POOLS && asid_table[pool]) {
        pool++;
    }
    if (pool == ASID_POOLS) {
        return inv_error(seL4_DeleteFirst);
    }
    cte_t *ut_slot = inv->extra[EXTRA_UNTYPED];
    cap_t ut = ut_slot->cap;
    if (cap_get_type(ut) != cap_untyped_cap || cap_untyped_size_bits(ut) != seL4_ASIDPoolBits ||
        cap_untyped_is_device(ut)) {
        return inv_invalid_cap(1);
    }
    if (cdt_has_children(ut_slot)) {
        return inv_error(seL4_RevokeFirst);
    }
    uint64_t depth = inv_arg(inv, ARG_DEPTH);
    if (depth < 1 || depth > seL4_WordBits) {
        return inv_range_error(1, seL4_WordBits);
    }
    cte_t *dest;
    struct lookup_fault f;
    if (cspace_lookup_slot_for_cnode_op(inv->extra[EXTRA_ROOT]->cap, inv_arg(inv, ARG_INDEX),
                                        (unsigned int)depth, &dest, &f) != CSPACE_OK) {
        return inv_failed_lookup(false, &f);
    }
    if (!cap_is_null(dest->cap)) {
        return inv_error(seL4_DeleteFirst);
    }
    *op = (struct asid_make_pool){.ut_slot = ut_slot, .dest = dest, .pool = pool};
    return EXCEPTION_NONE;
}

static void invoke_make_pool(const struct asid_make_pool *op)
{
    vspace_gen_bump();
    cap_t ut = op->ut_slot->cap;
    uint64_t pa = cap_paddr(ut);
    /* The untyped's memory now holds the pool; its next reset must clear it all. */
    op->ut_slot->cap = cap_untyped_set_free_index(ut, 1ull << seL4_ASIDPoolBits);
    memset(ptr_from_paddr(pa), 0, 1ul << seL4_ASIDPoolBits);
    uint64_t base = (uint64_t)op->pool << seL4_ASIDPoolIndexBits;
    cdt_insert(cap_asid_pool_new(pa, base), op->ut_slot, op->dest);
    asid_table[op->pool] = pa;
}

enum exception asid_control_invocation(struct invocation *inv)
{
    if (inv->label != ARMASIDControlMakePool) {
        return inv_error(seL4_IllegalOperation);
    }
    struct asid_make_pool op = {0};
    enum exception st = decode_make_pool(inv, &op);
    if (st == EXCEPTION_NONE) {
        inv_begin_perform(inv);
        invoke_make_pool(&op);
    }
    return st;
}

/* What an Assign will do once decoded: entry of pool p takes the VSpace, whose cap records
 * its ASID. */
struct asid_assign {
    cte_t *vs_slot;
    struct asid_pool *p;
    unsigned int entry;
    uint64_t asid;
};

/* Manual §10.7.2.1: the lowest free ASID of the pool goes to an unassigned VSpace. */
static enum exception decode_assign(const struct invocation *inv, struct asid_assign *op)
{
    if (inv->extra_count < 1) {
        return inv_error(seL4_TruncatedMessage);
    }
    cte_t *vs_slot = inv->extra[EXTRA_VSPACE];
    cap_t vs = vs_slot->cap;
    if (cap_get_type(vs) != cap_vspace_cap || cap_vm_is_mapped(vs)) {
        return inv_invalid_cap(1);
    }
    uint64_t base = cap_asid_pool_base(inv->cap);
    uint64_t pool = base >> seL4_ASIDPoolIndexBits;
    if (pool >= ASID_POOLS || !asid_table[pool]) {
        struct lookup_fault f = {.type = LOOKUP_FAULT_INVALID_ROOT};
        return inv_failed_lookup(false, &f);
    }
    if (asid_table[pool] != cap_paddr(inv->cap)) {
        return inv_invalid_cap(0);
    }
    struct asid_pool *p = ptr_from_paddr(asid_table[pool]);
    unsigned int i = 0;
    while (i < ASID_POOL_ENTRIES && (base + i == ASID_INVALID || p->vspace[i])) {
        i++;
    }
    if (i == ASID_POOL_ENTRIES) {
        return inv_error(seL4_DeleteFirst);
    }
    *op = (struct asid_assign){.vs_slot = vs_slot, .p = p, .entry = i, .asid = base + i};
    return EXCEPTION_NONE;
}

static void invoke_assign(const struct asid_assign *op)
{
    vspace_gen_bump();
    cap_t vs = op->vs_slot->cap;
    op->vs_slot->cap = cap_vspace_new(cap_paddr(vs), true, op->asid);
    op->p->vspace[op->entry] = cap_paddr(vs);
}

enum exception asid_pool_invocation(struct invocation *inv)
{
    if (inv->label != ARMASIDPoolAssign) {
        return inv_error(seL4_IllegalOperation);
    }
    struct asid_assign op = {0};
    enum exception st = decode_assign(inv, &op);
    if (st == EXCEPTION_NONE) {
        inv_begin_perform(inv);
        invoke_assign(&op);
    }
    return st;
}
