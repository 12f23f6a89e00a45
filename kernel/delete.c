/* Capability deletion and revocation; see delete.h. The zombie scheme is upstream's:
 * a final CNode or TCB cap becomes a zombie naming the slots still to clear; clearing the
 * last one recursively deletes it, except that a nested final CNode met inside such a
 * deletion is not recursed into: its zombie is swapped into that CNode's own first slot,
 * which bounds the recursion at two levels whatever the user built. */
#include "kernel/delete.h"

#include "kernel/cdt.h"
#include "kernel/finalise.h"
#include "kernel/preempt.h"

struct slot_result {
    enum exception status;
    bool success;
    cap_t cleanup;
};

static cte_t *zombie_slots(cap_t z)
{
    return (cte_t *)cap_ptr(z);
}

/* The slot can be emptied: nothing left, or a zombie whose only remaining slot is the one
 * holding it (a CNode that held the last cap to itself). */
static bool cap_removable(cap_t c, const cte_t *slot)
{
    if (cap_is_null(c)) {
        return true;
    }
    if (cap_get_type(c) != cap_zombie_cap) {
        return false;
    }
    uint64_t n = cap_zombie_number(c);
    return n == 0 || (n == 1 && zombie_slots(c) == slot);
}

/* A zombie stored in the first slot of the object it is clearing. */
static bool cap_cyclic_zombie(cap_t c, const cte_t *slot)
{
    return cap_get_type(c) == cap_zombie_cap && zombie_slots(c) == slot;
}

static enum exception reduce_zombie(cte_t *slot, bool immediate);

static struct slot_result finalise_slot(cte_t *slot, bool immediate)
{
    while (!cap_is_null(slot->cap)) {
        bool final = cdt_is_final(slot);
        struct finalise_result fr = finalise_cap(slot->cap, final);
        if (cap_removable(fr.remainder, slot)) {
            return (struct slot_result){EXCEPTION_NONE, true, fr.cleanup};
        }
        slot->cap = fr.remainder;
        if (!immediate && cap_cyclic_zombie(fr.remainder, slot)) {
            return (struct slot_result){EXCEPTION_NONE, false, fr.cleanup};
        }
        enum exception status = reduce_zombie(slot, immediate);
        if (status != EXCEPTION_NONE) {
            return (struct slot_result){status, false, cap_null()};
        }
        if (preempt_point()) {
            return (struct slot_result){EXCEPTION_PREEMPTED, false, cap_null()};
        }
    }
    return (struct slot_result){EXCEPTION_NONE, true, cap_null()};
}

static void empty_slot(cte_t *slot, cap_t cleanup)
{
    if (!cap_is_null(slot->cap)) {
        cdt_remove(slot);
        finalise_post_delete(cleanup);
    }
}

enum exception cte_delete(cte_t *slot, bool exposed)
{
    struct slot_result r = finalise_slot(slot, exposed);
    if (r.status != EXCEPTION_NONE) {
        return r.status;
    }
    if (exposed || r.success) {
        empty_slot(slot, r.cleanup);
    }
    return EXCEPTION_NONE;
}

static enum exception reduce_zombie(cte_t *slot, bool immediate)
{
    cap_t z = slot->cap;
    cte_t *base = zombie_slots(z);
    uint64_t n = cap_zombie_number(z);
    if (!immediate) {
        /* Hand the zombie to its own first slot instead of recursing into it. */
        if (base != slot) {
            cdt_swap(base->cap, base, slot->cap, slot);
        }
        return EXCEPTION_NONE;
    }
    cte_t *end = &base[n - 1];
    enum exception status = cte_delete(end, false);
    if (status != EXCEPTION_NONE) {
        return status;
    }
    /* The recursion may have moved caps around; only shrink the zombie if it is still
     * the one we were reducing. */
    cap_t now = slot->cap;
    if (cap_get_type(now) == cap_zombie_cap && zombie_slots(now) == base &&
        cap_zombie_number(now) == n && cap_zombie_is_tcb(now) == cap_zombie_is_tcb(z)) {
        slot->cap = cap_zombie_set_number(now, n - 1);
    }
    return EXCEPTION_NONE;
}

bool cte_has_children(const cte_t *slot)
{
    return cdt_has_children(slot);
}

enum exception cte_revoke(cte_t *slot)
{
    for (cte_t *next = cdt_next(slot); next && cdt_is_parent_of(slot, next); next = cdt_next(slot)) {
        enum exception status = cte_delete(next, true);
        if (status != EXCEPTION_NONE) {
            return status;
        }
        if (preempt_point()) {
            return EXCEPTION_PREEMPTED;
        }
    }
    return EXCEPTION_NONE;
}
