/* The capability derivation tree (manual §3.1.5), kept as upstream keeps it: a doubly
 * linked list of slots in depth-first order, where a cap's descendants follow it directly.
 * A slot is a parent of the next one when it is revocable and names a region containing
 * the other's (badges refine this for endpoints and notifications). O(1) insert and
 * remove; children and finality are decided by looking at neighbours. */
#ifndef KERNEL_CDT_H
#define KERNEL_CDT_H

#include <stdbool.h>

#include "kernel/cap.h"

#define MDB_REVOCABLE 1ull
#define MDB_FIRST_BADGED 2ull
#define MDB_FLAGS (MDB_REVOCABLE | MDB_FIRST_BADGED)

static inline cte_t *cdt_prev(const cte_t *s) { return (cte_t *)(uintptr_t)(s->mdb.prev_flags & ~MDB_FLAGS); }
static inline cte_t *cdt_next(const cte_t *s) { return (cte_t *)(uintptr_t)s->mdb.next; }
static inline bool cdt_revocable(const cte_t *s) { return s->mdb.prev_flags & MDB_REVOCABLE; }
static inline bool cdt_first_badged(const cte_t *s) { return s->mdb.prev_flags & MDB_FIRST_BADGED; }

/* b is a direct or indirect descendant of a (a's region contains b's, a is revocable, and
 * badges agree), judged for b directly after a's line in the list. */
bool cdt_is_parent_of(const cte_t *a, const cte_t *b);
bool cdt_has_children(const cte_t *slot);
/* No other cap to the same object sits next to this one in the list: its deletion
 * destroys the object. */
bool cdt_is_final(const cte_t *slot);

/* Places new_cap (derived from src's cap) in the empty dest, as a child or a sibling of src
 * according to cap_is_revocable. */
void cdt_insert(cap_t new_cap, cte_t *src, cte_t *dest);
/* A fresh cap to a newly created object (or a boot cap when parent is 0): revocable and
 * first-badged, placed directly after its parent. */
void cdt_insert_new(cap_t new_cap, cte_t *parent, cte_t *dest);
/* Moves src's cap (replaced by new_cap, e.g. with a new guard) and its place in the tree
 * to the empty dest. */
void cdt_move(cap_t new_cap, cte_t *src, cte_t *dest);
/* Exchanges two slots' caps (given as the new values) and tree positions. */
void cdt_swap(cap_t cap1, cte_t *slot1, cap_t cap2, cte_t *slot2);
/* Unlinks the slot and clears it; its children move up to its parent's line. */
void cdt_remove(cte_t *slot);

#endif
