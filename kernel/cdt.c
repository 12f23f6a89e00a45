/* Capability derivation tree operations; see cdt.h. */
#include "kernel/cdt.h"

#include "kernel/cap_ops.h"

static void set_prev(cte_t *s, cte_t *prev)
{
    s->mdb.prev_flags = (uint64_t)(uintptr_t)prev | (s->mdb.prev_flags & MDB_FLAGS);
}

static void set_next(cte_t *s, cte_t *next)
{
    s->mdb.next = (uint64_t)(uintptr_t)next;
}

static uint64_t flags(bool revocable, bool first_badged)
{
    return (revocable ? MDB_REVOCABLE : 0) | (first_badged ? MDB_FIRST_BADGED : 0);
}

bool cdt_is_parent_of(const cte_t *a, const cte_t *b)
{
    if (!cdt_revocable(a) || !cap_same_region_as(a->cap, b->cap)) {
        return false;
    }
    switch (cap_get_type(a->cap)) {
    case cap_endpoint_cap:
    case cap_notification_cap: {
        /* An unbadged original parents every cap to the object; a badged original only
         * the copies of its own badge, up to the next freshly badged one. */
        uint64_t badge = cap_badge(a->cap);
        return badge == 0 || (badge == cap_badge(b->cap) && !cdt_first_badged(b));
    }
    default:
        return true;
    }
}

bool cdt_has_children(const cte_t *slot)
{
    const cte_t *next = cdt_next(slot);
    return next && cdt_is_parent_of(slot, next);
}

bool cdt_is_final(const cte_t *slot)
{
    const cte_t *prev = cdt_prev(slot), *next = cdt_next(slot);
    if (prev && cap_same_object_as(prev->cap, slot->cap)) {
        return false;
    }
    return !next || !cap_same_object_as(slot->cap, next->cap);
}

static void link_after(cte_t *parent, cte_t *dest, uint64_t mdb_flags)
{
    cte_t *next = parent ? cdt_next(parent) : 0;
    dest->mdb.prev_flags = (uint64_t)(uintptr_t)parent | mdb_flags;
    set_next(dest, next);
    if (parent) {
        set_next(parent, dest);
    }
    if (next) {
        set_prev(next, dest);
    }
}

void cdt_insert(cap_t new_cap, cte_t *src, cte_t *dest)
{
    bool revocable = cap_is_revocable(new_cap, src->cap);
    /* A copy of an untyped may carve objects anywhere in the region without moving the
     * original's watermark; marking the original full makes its next reset clear it all. */
    if (cap_get_type(src->cap) == cap_untyped_cap && cap_get_type(new_cap) == cap_untyped_cap &&
        cap_paddr(src->cap) == cap_paddr(new_cap) &&
        cap_untyped_size_bits(src->cap) == cap_untyped_size_bits(new_cap)) {
        src->cap = cap_untyped_set_free_index(src->cap, 1ull << cap_untyped_size_bits(src->cap));
    }
    dest->cap = new_cap;
    link_after(src, dest, flags(revocable, revocable));
}

void cdt_insert_new(cap_t new_cap, cte_t *parent, cte_t *dest)
{
    dest->cap = new_cap;
    link_after(parent, dest, flags(true, true));
}

void cdt_move(cap_t new_cap, cte_t *src, cte_t *dest)
{
    dest->cap = new_cap;
    dest->mdb = src->mdb;
    src->cap = cap_null();
    src->mdb = (mdb_node_t){0, 0};
    cte_t *prev = cdt_prev(dest), *next = cdt_next(dest);
    if (prev) {
        set_next(prev, dest);
    }
    if (next) {
        set_prev(next, dest);
    }
}

void cdt_swap(cap_t cap1, cte_t *slot1, cap_t cap2, cte_t *slot2)
{
    slot1->cap = cap2;
    slot2->cap = cap1;
    /* Re-point slot1's neighbours first and only then read slot2's links: when the two
     * slots are adjacent this order leaves both lists consistent. */
    mdb_node_t mdb1 = slot1->mdb;
    if (cdt_prev(slot1)) {
        set_next(cdt_prev(slot1), slot2);
    }
    if (cdt_next(slot1)) {
        set_prev(cdt_next(slot1), slot2);
    }
    mdb_node_t mdb2 = slot2->mdb;
    slot1->mdb = mdb2;
    slot2->mdb = mdb1;
    if (cdt_prev(slot1)) {
        set_next(cdt_prev(slot1), slot1);
    }
    if (cdt_next(slot1)) {
        set_prev(cdt_next(slot1), slot1);
    }
}

void cdt_remove(cte_t *slot)
{
    cte_t *prev = cdt_prev(slot), *next = cdt_next(slot);
    if (prev) {
        set_next(prev, next);
    }
    if (next) {
        set_prev(next, prev);
        /* The first cap of a badge line keeps marking the line's start. */
        if (cdt_first_badged(slot)) {
            next->mdb.prev_flags |= MDB_FIRST_BADGED;
        }
    }
    slot->cap = cap_null();
    slot->mdb = (mdb_node_t){0, 0};
}
