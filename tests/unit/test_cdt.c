/* The capability derivation tree (manual §2.4.1, §3.1.5, §3.2): trees built by hand in a CNode
 * of 64 slots, checked against upstream seL4's cteInsert/insertNewCap/cteMove/cteSwap/
 * emptySlot, isMDBParentOf and isFinalCapability, and a randomized run against a model. */
#define CHECK_SUITE "cdt"
#include "check.h"

#include "kernel/cap_ops.h"
#include "kernel/cdt.h"

#include <stdint.h>

/* "Physical memory": physical address = offset into the arena. The slots live in a CNode in
 * it; the objects the caps name are never touched, only their addresses compared. */
#define RAM_SIZE (256 * 1024)
#define CNODE_PA 0x1000
#define NSLOTS 64

static uint8_t ram[RAM_SIZE] __attribute__((aligned(4096)));
uintptr_t host_test_ram_base;
static cte_t *cs; /* the CNode's slots */

__attribute__((constructor)) static void ram_init(void)
{
    host_test_ram_base = (uintptr_t)ram;
    cs = ptr_from_paddr(CNODE_PA);
}

static void reset(void)
{
    memset(cs, 0, NSLOTS * sizeof(cte_t));
}

/* Objects, by physical address. */
#define UT_PA 0x10000  /* untyped, 2^16 */
#define UT2_PA 0x30000 /* another untyped, 2^12 */
#define EP_PA 0x10100
#define EP2_PA 0x10200
#define NT_PA 0x10400
#define CN_PA 0x11000

static cap_t ep(uint64_t pa)
{
    return cap_endpoint_new(pa, 0, RIGHTS_ALL);
}

static bool cap_eq(cap_t a, cap_t b)
{
    return a.w[0] == b.w[0] && a.w[1] == b.w[1];
}

/* ---- list consistency -------------------------------------------------------------------- */

static char problem[256];

/* Index of a linked slot: -1 for none, -2 for a pointer that is no slot of the CNode. */
static int slot_index(const cte_t *p)
{
    if (p == NULL) {
        return -1;
    }
    uintptr_t base = (uintptr_t)cs, at = (uintptr_t)p;
    if (at < base || at >= base + NSLOTS * sizeof(cte_t) || (at - base) % sizeof(cte_t) != 0) {
        return -2;
    }
    return (int)((at - base) / sizeof(cte_t));
}

/* NULL when the list is sound: empty slots hold no links or flags, every link of a non-null
 * slot leads to a non-null slot that links back, and walking forward from every head and
 * backward from every tail visits each non-null slot exactly once. */
static const char *list_problem(void)
{
    for (int i = 0; i < NSLOTS; i++) {
        const cte_t *s = &cs[i];
        if (cap_is_null(s->cap)) {
            if (s->mdb.prev_flags != 0 || s->mdb.next != 0) {
                snprintf(problem, sizeof(problem), "empty slot %d has links or flags", i);
                return problem;
            }
            continue;
        }
        if (s->mdb.next & MDB_FLAGS) {
            snprintf(problem, sizeof(problem), "slot %d: flag bits in its next pointer", i);
            return problem;
        }
        int p = slot_index(cdt_prev(s)), n = slot_index(cdt_next(s));
        if (p == -2 || n == -2 || p == i || n == i) {
            snprintf(problem, sizeof(problem), "slot %d: bad links prev %d next %d", i, p, n);
            return problem;
        }
        if (p >= 0 && (cap_is_null(cs[p].cap) || cdt_next(&cs[p]) != s)) {
            snprintf(problem, sizeof(problem), "slot %d: prev %d does not link back", i, p);
            return problem;
        }
        if (n >= 0 && (cap_is_null(cs[n].cap) || cdt_prev(&cs[n]) != s)) {
            snprintf(problem, sizeof(problem), "slot %d: next %d does not link back", i, n);
            return problem;
        }
    }
    for (int dir = 0; dir < 2; dir++) {
        int seen[NSLOTS] = {0};
        for (int i = 0; i < NSLOTS; i++) {
            const cte_t *end = dir == 0 ? cdt_prev(&cs[i]) : cdt_next(&cs[i]);
            if (cap_is_null(cs[i].cap) || end != NULL) {
                continue;
            }
            int steps = 0;
            for (const cte_t *s = &cs[i]; s; s = dir == 0 ? cdt_next(s) : cdt_prev(s)) {
                int k = slot_index(s);
                if (k < 0 || seen[k] || ++steps > NSLOTS) {
                    snprintf(problem, sizeof(problem), "%s walk from %d revisits slot %d",
                             dir == 0 ? "forward" : "backward", i, k);
                    return problem;
                }
                seen[k] = 1;
            }
        }
        for (int i = 0; i < NSLOTS; i++) {
            if (!cap_is_null(cs[i].cap) && !seen[i]) {
                snprintf(problem, sizeof(problem), "slot %d unreachable walking %s", i,
                         dir == 0 ? "forward" : "backward");
                return problem;
            }
        }
    }
    return NULL;
}

#define CHECK_LIST()                                                                               \
    do {                                                                                           \
        const char *check_p_ = list_problem();                                                     \
        if (check_p_) {                                                                            \
            check_fail(__FILE__, __LINE__, "list: %s", check_p_);                                  \
            return;                                                                                \
        }                                                                                          \
    } while (0)

/* The list holding slot i, from its head, as slot numbers: "0 3 1 2". */
static char list_buf[4 * NSLOTS * 4];
static const char *list_of(int i)
{
    const cte_t *s = &cs[i];
    int guard = 0;
    while (cdt_prev(s) && guard++ < NSLOTS) {
        s = cdt_prev(s);
    }
    char *o = list_buf;
    *o = 0;
    for (guard = 0; s && guard < NSLOTS; s = cdt_next(s), guard++) {
        o += sprintf(o, "%s%d", o == list_buf ? "" : " ", slot_index(s));
    }
    return list_buf;
}

/* What Revoke on slot i would delete: the slots after it that it parents, in order. */
static char desc_buf[4 * NSLOTS];
static const char *descendants_of(int i)
{
    char *o = desc_buf;
    *o = 0;
    int guard = 0;
    for (const cte_t *s = cdt_next(&cs[i]); s && cdt_is_parent_of(&cs[i], s) && guard < NSLOTS;
         s = cdt_next(s), guard++) {
        o += sprintf(o, "%s%d", o == desc_buf ? "" : " ", slot_index(s));
    }
    return desc_buf;
}

static bool slot_is_clear(int i)
{
    return cap_is_null(cs[i].cap) && cs[i].mdb.prev_flags == 0 && cs[i].mdb.next == 0;
}

/* ---- the CNode invocations, as the kernel composes them ---------------------------------- */

/* Each operation below checks the whole list afterwards and blames the test's line. */
static void list_verify(int line)
{
    const char *p = list_problem();
    if (p) {
        check_fail(__FILE__, line, "list after this operation: %s", p);
    }
}

/* A cap created by the kernel at boot: a root of its own tree. */
static void boot_cap_at(int i, cap_t c, int line)
{
    cdt_insert_new(c, NULL, &cs[i]);
    list_verify(line);
}

/* Untyped_Retype: a fresh object's cap placed under the untyped that holds it. */
static void retype_at(int ut, int i, cap_t c, int line)
{
    cdt_insert_new(c, &cs[ut], &cs[i]);
    list_verify(line);
}

/* CNode_Copy: derive, then insert. False when the derivation is refused. */
static bool copy_at(int src, int dest, int line)
{
    cap_t c;
    if (cap_derive(cs[src].cap, cdt_has_children(&cs[src]), &c) != DERIVE_OK || cap_is_null(c)) {
        return false;
    }
    cdt_insert(c, &cs[src], &cs[dest]);
    list_verify(line);
    return true;
}

/* CNode_Mint: mask rights, set the badge (or guard), derive, insert. */
static bool mint_at(int src, int dest, unsigned int rights, uint64_t data, int line)
{
    cap_t c = cap_update_data(false, data, cap_mask_rights(rights, cs[src].cap));
    if (cap_is_null(c)) {
        return false;
    }
    if (cap_derive(c, cdt_has_children(&cs[src]), &c) != DERIVE_OK || cap_is_null(c)) {
        return false;
    }
    cdt_insert(c, &cs[src], &cs[dest]);
    list_verify(line);
    return true;
}

#define boot_cap(i, c) boot_cap_at((i), (c), __LINE__)
#define retype(ut, i, c) retype_at((ut), (i), (c), __LINE__)
#define copy(src, dest) copy_at((src), (dest), __LINE__)
#define mint(src, dest, rights, data) mint_at((src), (dest), (rights), (data), __LINE__)
/* cdt_insert with a cap of the test's choosing (IRQControl_Get, odd untypeds). */
#define insert(c, src, dest)                                                                       \
    do {                                                                                           \
        cdt_insert((c), &cs[src], &cs[dest]);                                                      \
        list_verify(__LINE__);                                                                     \
    } while (0)
/* Move (Mutate when c differs from the source cap). */
#define move(c, src, dest)                                                                         \
    do {                                                                                           \
        cdt_move((c), &cs[src], &cs[dest]);                                                        \
        list_verify(__LINE__);                                                                     \
    } while (0)
/* Delete: the slot leaves the list. */
#define del(i)                                                                                     \
    do {                                                                                           \
        cdt_remove(&cs[i]);                                                                        \
        list_verify(__LINE__);                                                                     \
    } while (0)

/* ---- insert_new -------------------------------------------------------------------------- */

TEST(insert_new_roots)
{
    reset();
    boot_cap(0, ep(EP_PA));
    boot_cap(5, ep(EP2_PA));
    CHECK_LIST();
    CHECK_STR_EQ(list_of(0), "0");
    CHECK_STR_EQ(list_of(5), "5");
    for (int i = 0; i <= 5; i += 5) {
        CHECK(cdt_prev(&cs[i]) == NULL && cdt_next(&cs[i]) == NULL);
        CHECK(cdt_revocable(&cs[i]));
        CHECK(cdt_first_badged(&cs[i]));
        CHECK(cdt_is_final(&cs[i]));
        CHECK(!cdt_has_children(&cs[i]));
    }
    CHECK(cap_eq(cs[0].cap, ep(EP_PA)));
}

TEST(retyped_objects_are_children_of_untyped)
{
    reset();
    boot_cap(0, cap_untyped_new(UT_PA, 16, false, 0));
    retype(0, 1, ep(EP_PA));
    CHECK_LIST();
    retype(0, 2, cap_notification_new(NT_PA, 0, RIGHTS_ALL));
    CHECK_LIST();
    retype(0, 3, cap_cnode_new(CN_PA, 3, 0, 0));
    CHECK_LIST();
    retype(0, 4, cap_untyped_new(UT_PA + 0x8000, 12, false, 0));
    CHECK_LIST();
    /* Each new cap goes directly after its parent. */
    CHECK_STR_EQ(list_of(0), "0 4 3 2 1");
    CHECK(cdt_has_children(&cs[0]));
    for (int i = 1; i <= 4; i++) {
        CHECK(cdt_is_parent_of(&cs[0], &cs[i]));
        CHECK(cdt_revocable(&cs[i]));
        CHECK(cdt_first_badged(&cs[i]));
    }
    CHECK_STR_EQ(descendants_of(0), "4 3 2 1");
    /* A nested untyped parents what is retyped from it; its parent parents both. */
    retype(4, 5, ep(UT_PA + 0x8000));
    CHECK_LIST();
    CHECK_STR_EQ(list_of(0), "0 4 5 3 2 1");
    CHECK_STR_EQ(descendants_of(4), "5");
    CHECK_STR_EQ(descendants_of(0), "4 5 3 2 1");
    /* Objects have no children just for being next to each other. */
    for (int i = 1; i <= 3; i++) {
        CHECK(!cdt_has_children(&cs[i]));
    }
    CHECK(!cdt_has_children(&cs[5]));
    CHECK(!cdt_is_parent_of(&cs[4], &cs[3])); /* the CNode lies outside the small untyped */
    /* An untyped with children may not be copied (Table 3.2: seL4_RevokeFirst). */
    cap_t out;
    CHECK_EQ(cap_derive(cs[4].cap, cdt_has_children(&cs[4]), &out), DERIVE_REVOKE_FIRST);
    CHECK(!copy(4, 6));
    CHECK(!copy(0, 6));
    CHECK(slot_is_clear(6));
}

TEST(untyped_copies_are_children)
{
    reset();
    boot_cap(10, cap_untyped_new(UT2_PA, 12, false, 0));
    CHECK(copy(10, 11));
    CHECK_LIST();
    CHECK_STR_EQ(list_of(10), "10 11");
    CHECK(cdt_revocable(&cs[11]));
    CHECK(cdt_is_parent_of(&cs[10], &cs[11]));
    /* "Untyped capabilities when copied always create children, never siblings." */
    CHECK(copy(11, 12));
    CHECK_LIST();
    CHECK_STR_EQ(list_of(10), "10 11 12");
    CHECK(cdt_is_parent_of(&cs[11], &cs[12]));
    CHECK_STR_EQ(descendants_of(10), "11 12");
    CHECK_STR_EQ(descendants_of(11), "12");
    /* Now the first two have children and cannot be copied again. */
    CHECK(!copy(10, 13));
    CHECK(!copy(11, 13));
    CHECK(copy(12, 13));
    CHECK_LIST();
}

/* ---- copies and badges ------------------------------------------------------------------- */

TEST(copy_of_unbadged_endpoint)
{
    reset();
    boot_cap(0, ep(EP_PA));
    CHECK(copy(0, 1));
    CHECK_LIST();
    CHECK_STR_EQ(list_of(0), "0 1");
    CHECK(cap_eq(cs[1].cap, cs[0].cap));
    CHECK(!cdt_revocable(&cs[1]));
    CHECK(!cdt_first_badged(&cs[1]));
    CHECK(cdt_is_parent_of(&cs[0], &cs[1]));
    CHECK(cdt_has_children(&cs[0]));
    CHECK(!cdt_has_children(&cs[1]));
    /* A copy of the copy is the copy's sibling, still under the original. */
    CHECK(copy(1, 2));
    CHECK_LIST();
    CHECK_STR_EQ(list_of(0), "0 1 2");
    CHECK(!cdt_is_parent_of(&cs[1], &cs[2]));
    CHECK(!cdt_has_children(&cs[1]));
    CHECK(cdt_is_parent_of(&cs[0], &cs[2]));
    CHECK_STR_EQ(descendants_of(0), "1 2");
    CHECK_STR_EQ(descendants_of(1), "");
    /* Another copy of the original goes right after it. */
    CHECK(copy(0, 3));
    CHECK_LIST();
    CHECK_STR_EQ(list_of(0), "0 3 1 2");
    CHECK_STR_EQ(descendants_of(0), "3 1 2");
    /* Rights reduced by Mint without a badge: still an ordinary copy. */
    CHECK(mint(2, 4, RIGHT_READ, 0));
    CHECK_LIST();
    CHECK_EQ(cap_rights(cs[4].cap), RIGHT_READ);
    CHECK(!cdt_revocable(&cs[4]));
    CHECK_STR_EQ(descendants_of(0), "3 1 2 4");
}

TEST(mint_starts_a_badge_line)
{
    reset();
    boot_cap(0, ep(EP_PA));
    CHECK(mint(0, 1, RIGHTS_ALL, 5));
    CHECK_LIST();
    CHECK_EQ(cap_badge(cs[1].cap), 5);
    CHECK(cdt_revocable(&cs[1]));
    CHECK(cdt_first_badged(&cs[1]));
    CHECK(cdt_is_parent_of(&cs[0], &cs[1]));
    /* Copies of the badged cap are its children... */
    CHECK(copy(1, 2));
    CHECK_LIST();
    CHECK_EQ(cap_badge(cs[2].cap), 5);
    CHECK(!cdt_revocable(&cs[2]));
    CHECK(!cdt_first_badged(&cs[2]));
    CHECK(cdt_is_parent_of(&cs[1], &cs[2]));
    /* ...and so are copies of those copies, as siblings. */
    CHECK(copy(2, 3));
    CHECK_LIST();
    CHECK_STR_EQ(list_of(0), "0 1 2 3");
    CHECK(!cdt_is_parent_of(&cs[2], &cs[3]));
    CHECK_STR_EQ(descendants_of(1), "2 3");
    CHECK_STR_EQ(descendants_of(0), "1 2 3");
    /* A badged cap cannot be badged again. */
    CHECK(!mint(1, 6, RIGHTS_ALL, 9));
    CHECK(!mint(2, 6, RIGHTS_ALL, 9));
    CHECK(slot_is_clear(6));
    /* A second badge line is no child of the first. */
    CHECK(mint(0, 4, RIGHT_WRITE, 6));
    CHECK_LIST();
    CHECK_STR_EQ(list_of(0), "0 4 1 2 3");
    CHECK(!cdt_is_parent_of(&cs[4], &cs[1]));
    CHECK(!cdt_has_children(&cs[4]));
    CHECK(copy(4, 5));
    CHECK_LIST();
    CHECK_STR_EQ(list_of(0), "0 4 5 1 2 3");
    CHECK_STR_EQ(descendants_of(4), "5");
    CHECK_STR_EQ(descendants_of(1), "2 3");
    CHECK_STR_EQ(descendants_of(0), "4 5 1 2 3");
}

TEST(same_badge_twice_makes_two_lines)
{
    reset();
    boot_cap(0, ep(EP_PA));
    CHECK(mint(0, 1, RIGHTS_ALL, 5));
    CHECK(copy(1, 2));
    CHECK(mint(0, 3, RIGHTS_ALL, 5));
    CHECK_LIST();
    CHECK_STR_EQ(list_of(0), "0 3 1 2");
    /* Slot 1 starts its own line: slot 3 with the same badge does not parent it. */
    CHECK(!cdt_is_parent_of(&cs[3], &cs[1]));
    CHECK_STR_EQ(descendants_of(3), "");
    CHECK(copy(3, 4));
    CHECK_LIST();
    CHECK_STR_EQ(descendants_of(3), "4");
    /* Deleting a line's first cap hands the mark to the next slot, so the orphaned copy
     * does not join the line before it. */
    del(1);
    CHECK_LIST();
    CHECK(slot_is_clear(1));
    CHECK_STR_EQ(list_of(0), "0 3 4 2");
    CHECK(cdt_first_badged(&cs[2]));
    CHECK(!cdt_revocable(&cs[2]));
    CHECK_STR_EQ(descendants_of(3), "4");
    CHECK_STR_EQ(descendants_of(0), "3 4 2");
}

TEST(notification_badge_lines)
{
    reset();
    boot_cap(0, cap_notification_new(NT_PA, 0, RIGHTS_ALL));
    CHECK(copy(0, 1));
    CHECK(mint(0, 2, RIGHT_WRITE, 1));
    CHECK(copy(2, 3));
    CHECK(mint(1, 4, RIGHT_WRITE, 2)); /* from an unbadged copy: not revocable by it */
    CHECK_LIST();
    CHECK_STR_EQ(list_of(0), "0 2 3 1 4");
    CHECK(cdt_revocable(&cs[2]));
    CHECK(cdt_revocable(&cs[4]));
    CHECK_STR_EQ(descendants_of(2), "3");
    CHECK_STR_EQ(descendants_of(1), "");
    CHECK_STR_EQ(descendants_of(4), "");
    CHECK_STR_EQ(descendants_of(0), "2 3 1 4");
    CHECK(!mint(3, 5, RIGHTS_ALL, 7));
}

TEST(irq_handler_from_irq_control)
{
    reset();
    boot_cap(0, cap_irq_control_new());
    /* IRQControl_Get inserts the handler cap with the control slot as its source. */
    insert(cap_irq_handler_new(27), 0, 1);
    CHECK_LIST();
    CHECK(cdt_revocable(&cs[1]));
    CHECK(cdt_is_parent_of(&cs[0], &cs[1]));
    CHECK(cdt_is_final(&cs[0]));
    CHECK(cdt_is_final(&cs[1]));
    CHECK(copy(1, 2));
    CHECK_LIST();
    CHECK(!cdt_revocable(&cs[2]));
    CHECK(cdt_is_parent_of(&cs[1], &cs[2]));
    CHECK(!cdt_is_final(&cs[1]));
    CHECK(!cdt_is_final(&cs[2]));
    CHECK_STR_EQ(descendants_of(0), "1 2");
    /* IRQControl itself cannot be copied. */
    CHECK(!copy(0, 3));
}

/* ---- finality ---------------------------------------------------------------------------- */

TEST(is_final)
{
    reset();
    boot_cap(0, ep(EP_PA));
    CHECK(cdt_is_final(&cs[0]));
    CHECK(copy(0, 1));
    CHECK(!cdt_is_final(&cs[0]));
    CHECK(!cdt_is_final(&cs[1]));
    del(1);
    CHECK_LIST();
    CHECK(cdt_is_final(&cs[0]));
    CHECK(copy(0, 2));
    CHECK(copy(2, 3));
    CHECK(mint(0, 4, RIGHTS_ALL, 8));
    CHECK_LIST();
    for (int i = 0; i <= 4; i += (i == 0 ? 2 : 1)) {
        CHECK(!cdt_is_final(&cs[i]));
    }
    del(0);
    del(3);
    del(4);
    CHECK_LIST();
    CHECK(cdt_is_final(&cs[2]));
}

TEST(untyped_caps_never_make_objects_non_final)
{
    reset();
    boot_cap(0, cap_untyped_new(UT_PA, 16, false, 0));
    retype(0, 1, ep(EP_PA));
    CHECK(cdt_is_final(&cs[0]));
    CHECK(cdt_is_final(&cs[1])); /* its neighbour is the untyped that holds it */
    retype(0, 2, ep(EP2_PA));
    CHECK_LIST();
    CHECK(cdt_is_final(&cs[1]));
    CHECK(cdt_is_final(&cs[2]));
    CHECK(copy(1, 3));
    CHECK_LIST();
    CHECK_STR_EQ(list_of(0), "0 2 1 3");
    CHECK(cdt_is_final(&cs[2]));
    CHECK(!cdt_is_final(&cs[1]));
    CHECK(!cdt_is_final(&cs[3]));
    /* Two caps to one untyped region are both final: deleting an untyped cap destroys no
     * object. */
    boot_cap(10, cap_untyped_new(UT2_PA, 12, false, 0));
    CHECK(copy(10, 11));
    CHECK(cdt_is_final(&cs[10]));
    CHECK(cdt_is_final(&cs[11]));
}

TEST(frame_copies_share_the_frame)
{
    reset();
    boot_cap(0, cap_untyped_new(UT_PA, 16, false, 0));
    retype(0, 1, cap_frame_new(UT_PA, FRAME_4K, VM_READ_WRITE, false, false, 0, 0));
    retype(0, 2, cap_frame_new(UT_PA + 0x1000, FRAME_4K, VM_READ_WRITE, false, false, 0, 0));
    CHECK(mint(1, 3, RIGHT_READ, 0));
    CHECK_LIST();
    CHECK_STR_EQ(list_of(0), "0 2 1 3");
    CHECK_EQ(cap_frame_rights(cs[3].cap), VM_READ_ONLY);
    CHECK(cdt_is_parent_of(&cs[1], &cs[3]));
    CHECK(!cdt_is_final(&cs[1]));
    CHECK(!cdt_is_final(&cs[3]));
    CHECK(cdt_is_final(&cs[2])); /* the next frame in memory is another object */
}

/* ---- move -------------------------------------------------------------------------------- */

TEST(move_keeps_position_and_flags)
{
    reset();
    boot_cap(0, ep(EP_PA));
    CHECK(mint(0, 1, RIGHTS_ALL, 5));
    CHECK(copy(1, 2));
    CHECK(copy(0, 3));
    CHECK_STR_EQ(list_of(0), "0 3 1 2");
    cap_t badged = cs[1].cap;
    move(badged, 1, 10);
    CHECK_LIST();
    CHECK(slot_is_clear(1));
    CHECK_STR_EQ(list_of(0), "0 3 10 2");
    CHECK(cap_eq(cs[10].cap, badged));
    CHECK(cdt_revocable(&cs[10]));
    CHECK(cdt_first_badged(&cs[10]));
    CHECK_STR_EQ(descendants_of(10), "2");
    CHECK_STR_EQ(descendants_of(0), "3 10 2");
    /* The head and the tail. */
    move(cs[0].cap, 0, 11);
    CHECK_LIST();
    CHECK(slot_is_clear(0));
    CHECK_STR_EQ(list_of(11), "11 3 10 2");
    CHECK(cdt_prev(&cs[11]) == NULL);
    CHECK(cdt_revocable(&cs[11]));
    CHECK_STR_EQ(descendants_of(11), "3 10 2");
    move(cs[2].cap, 2, 12);
    CHECK_LIST();
    CHECK_STR_EQ(list_of(11), "11 3 10 12");
    CHECK(cdt_next(&cs[12]) == NULL);
    CHECK(!cdt_revocable(&cs[12]));
    CHECK_STR_EQ(descendants_of(10), "12");
    /* Mutate: a move with fewer rights; the cap stays revocable (§3.1.2). */
    move(cap_mask_rights(RIGHT_READ, cs[10].cap), 10, 13);
    CHECK_LIST();
    CHECK_EQ(cap_rights(cs[13].cap), RIGHT_READ);
    CHECK_EQ(cap_badge(cs[13].cap), 5);
    CHECK(cdt_revocable(&cs[13]));
    CHECK(cdt_first_badged(&cs[13]));
    CHECK_STR_EQ(descendants_of(13), "12");
    /* A move back into a slot that was used before. */
    move(cs[13].cap, 13, 1);
    CHECK_LIST();
    CHECK_STR_EQ(list_of(11), "11 3 1 12");
    /* Mutate of a CNode cap sets the guard; the cap keeps its place and its children. */
    boot_cap(20, cap_untyped_new(UT_PA, 16, false, 0));
    retype(20, 21, cap_cnode_new(CN_PA, 3, 0, 0));
    CHECK(copy(21, 22));
    move(cap_update_data(true, (0x5ull << 6) | 4, cs[21].cap), 21, 23);
    CHECK_LIST();
    CHECK_STR_EQ(list_of(20), "20 23 22");
    CHECK_EQ(cap_cnode_guard(cs[23].cap), 5);
    CHECK_EQ(cap_cnode_guard_size(cs[23].cap), 4);
    CHECK(cdt_revocable(&cs[23]));
    CHECK_STR_EQ(descendants_of(23), "22");
    CHECK_STR_EQ(descendants_of(20), "23 22");
}

/* ---- swap -------------------------------------------------------------------------------- */

/* Slots 0..5 in list order 0 1 2 3 4 5 under an untyped: 1 an endpoint, 2 a badged cap minted
 * from it, 3 a copy of that, 4 another endpoint and 5 its copy, so the flags vary. */
static void build_chain(void)
{
    reset();
    boot_cap(0, cap_untyped_new(UT_PA, 16, false, 0));
    retype(0, 4, ep(UT_PA + 0x400));
    (void)copy(4, 5);
    retype(0, 1, ep(UT_PA + 0x100));
    (void)mint(1, 2, RIGHTS_ALL, 4);
    (void)copy(2, 3);
}

/* The list as (cap, flags) in order from the head that leads to slot i. */
struct seq {
    int n;
    cap_t cap[NSLOTS];
    uint64_t flags[NSLOTS];
};

static struct seq seq_of(int i)
{
    struct seq q = {0};
    const cte_t *s = &cs[i];
    while (cdt_prev(s) && q.n++ < NSLOTS) {
        s = cdt_prev(s);
    }
    q.n = 0;
    for (; s && q.n < NSLOTS; s = cdt_next(s), q.n++) {
        q.cap[q.n] = s->cap;
        q.flags[q.n] = s->mdb.prev_flags & MDB_FLAGS;
    }
    return q;
}

static bool seq_eq(const struct seq *a, const struct seq *b)
{
    if (a->n != b->n) {
        return false;
    }
    for (int k = 0; k < a->n; k++) {
        if (!cap_eq(a->cap[k], b->cap[k]) || a->flags[k] != b->flags[k]) {
            return false;
        }
    }
    return true;
}

/* Swapping two slots' caps (Rotate with the first and third slot the same) exchanges their
 * places too: read in list order, the caps and their flags do not change. */
#define CHECK_SWAP(a, b, expect)                                                                   \
    do {                                                                                           \
        struct seq check_before_ = seq_of(a);                                                      \
        cap_t check_ca_ = cs[a].cap, check_cb_ = cs[b].cap;                                        \
        cdt_swap(cs[a].cap, &cs[a], cs[b].cap, &cs[b]);                                            \
        CHECK_LIST();                                                                              \
        CHECK_STR_EQ(list_of(0), (expect));                                                        \
        CHECK(cap_eq(cs[a].cap, check_cb_));                                                       \
        CHECK(cap_eq(cs[b].cap, check_ca_));                                                       \
        struct seq check_after_ = seq_of(a);                                                       \
        CHECK(seq_eq(&check_before_, &check_after_));                                              \
    } while (0)

TEST(swap_distant)
{
    build_chain();
    CHECK_LIST();
    CHECK_STR_EQ(list_of(0), "0 1 2 3 4 5");
    CHECK(cdt_first_badged(&cs[2]) && !cdt_first_badged(&cs[3]) && !cdt_revocable(&cs[5]));
    CHECK_SWAP(1, 4, "0 4 2 3 1 5");
    CHECK_SWAP(4, 1, "0 1 2 3 4 5");
    CHECK_SWAP(2, 5, "0 1 5 3 4 2"); /* the tail */
    CHECK_SWAP(0, 3, "3 1 5 0 4 2"); /* the head */
}

TEST(swap_adjacent_forward)
{
    build_chain();
    CHECK_SWAP(2, 3, "0 1 3 2 4 5"); /* first argument before the second */
    CHECK_SWAP(0, 1, "1 0 3 2 4 5"); /* at the head */
    CHECK_SWAP(4, 5, "1 0 3 2 5 4"); /* at the tail */
}

TEST(swap_adjacent_backward)
{
    build_chain();
    CHECK_SWAP(3, 2, "0 1 3 2 4 5"); /* first argument after the second */
    CHECK_SWAP(1, 0, "1 0 3 2 4 5");
    CHECK_SWAP(5, 4, "1 0 3 2 5 4");
}

TEST(swap_two_element_list_and_across_lists)
{
    reset();
    boot_cap(0, ep(EP_PA));
    CHECK(mint(0, 1, RIGHTS_ALL, 3));
    CHECK_SWAP(0, 1, "1 0");
    CHECK_SWAP(0, 1, "0 1");
    /* Slot 1 holds the badged cap again; its flags went with it both times. */
    CHECK(cdt_revocable(&cs[1]) && cdt_first_badged(&cs[1]));
    boot_cap(7, ep(EP2_PA));
    CHECK(copy(7, 8));
    cdt_swap(cs[1].cap, &cs[1], cs[8].cap, &cs[8]);
    CHECK_LIST();
    CHECK_STR_EQ(list_of(0), "0 8");
    CHECK_STR_EQ(list_of(7), "7 1");
    CHECK_EQ(cap_badge(cs[8].cap), 3);
    CHECK(cdt_revocable(&cs[8]));
    CHECK(!cdt_revocable(&cs[1]));
    CHECK_STR_EQ(descendants_of(7), "1");
}

TEST(swap_keeps_badge_line_with_its_caps)
{
    reset();
    boot_cap(0, ep(EP_PA));
    CHECK(mint(0, 1, RIGHTS_ALL, 5));
    CHECK(copy(1, 2));
    CHECK_SWAP(1, 2, "0 2 1");
    CHECK(cdt_first_badged(&cs[2]));
    CHECK(!cdt_first_badged(&cs[1]));
    CHECK_STR_EQ(descendants_of(2), "1");
    CHECK_STR_EQ(descendants_of(1), "");
}

/* ---- remove ------------------------------------------------------------------------------ */

TEST(remove_relinks_neighbours)
{
    build_chain();
    del(2);
    CHECK_LIST();
    CHECK(slot_is_clear(2));
    CHECK_STR_EQ(list_of(0), "0 1 3 4 5");
    del(0); /* the head */
    CHECK_LIST();
    CHECK_STR_EQ(list_of(1), "1 3 4 5");
    CHECK(cdt_prev(&cs[1]) == NULL);
    del(5); /* the tail */
    CHECK_LIST();
    CHECK_STR_EQ(list_of(1), "1 3 4");
    CHECK(cdt_next(&cs[4]) == NULL);
    del(3);
    del(4);
    CHECK_LIST();
    CHECK_STR_EQ(list_of(1), "1");
    del(1); /* the only one */
    CHECK_LIST();
    for (int i = 0; i < NSLOTS; i++) {
        CHECK(slot_is_clear(i));
    }
}

TEST(remove_passes_first_badged_on)
{
    reset();
    boot_cap(0, cap_untyped_new(UT_PA, 16, false, 0));
    retype(0, 1, ep(EP_PA));
    CHECK(copy(1, 2));
    CHECK(!cdt_first_badged(&cs[2]));
    /* Children of a deleted cap move up to its parent's line, first-badged from now on. */
    del(1);
    CHECK_LIST();
    CHECK_STR_EQ(list_of(0), "0 2");
    CHECK(cdt_first_badged(&cs[2]));
    CHECK(!cdt_revocable(&cs[2]));
    CHECK_STR_EQ(descendants_of(0), "2");
    CHECK(cdt_is_final(&cs[2]));
    /* A slot that is not first-badged passes nothing on. */
    CHECK(copy(2, 3));
    CHECK(copy(2, 4));
    CHECK_STR_EQ(list_of(0), "0 2 4 3");
    del(4);
    CHECK_LIST();
    CHECK(!cdt_first_badged(&cs[3]));
    /* A first-badged mark already set stays set. */
    boot_cap(40, cap_untyped_new(UT2_PA, 12, false, 0));
    retype(40, 42, ep(UT2_PA + 0x100));
    CHECK(copy(42, 43));
    retype(40, 41, ep(UT2_PA + 0x200));
    CHECK(copy(41, 44));
    CHECK_STR_EQ(list_of(40), "40 41 44 42 43");
    del(44);
    CHECK_LIST();
    CHECK_STR_EQ(list_of(40), "40 41 42 43");
    CHECK(cdt_first_badged(&cs[42]));
    CHECK(!cdt_first_badged(&cs[43]));
}

/* ---- untyped watermark ------------------------------------------------------------------- */

TEST(copying_untyped_marks_source_full)
{
    reset();
    boot_cap(0, cap_untyped_new(UT_PA, 16, false, 0x400));
    CHECK(copy(0, 1));
    CHECK_LIST();
    CHECK_EQ(cap_untyped_free_index(cs[0].cap), 1ull << 16);
    CHECK_EQ(cap_untyped_free_index(cs[1].cap), 0x400); /* the copy keeps the watermark */
    CHECK_EQ(cap_untyped_size_bits(cs[0].cap), 16);
    CHECK_EQ(cap_paddr(cs[0].cap), UT_PA);
    /* Device untypeds too. */
    boot_cap(10, cap_untyped_new(UT2_PA, 12, true, 0));
    CHECK(copy(10, 11));
    CHECK_EQ(cap_untyped_free_index(cs[10].cap), 1ull << 12);
    CHECK(cap_untyped_is_device(cs[10].cap));
    /* Not for an untyped of another size or place inserted from it... */
    boot_cap(20, cap_untyped_new(UT2_PA, 12, false, 0x100));
    insert(cap_untyped_new(UT2_PA, 11, false, 0), 20, 21);
    CHECK_EQ(cap_untyped_free_index(cs[20].cap), 0x100);
    insert(cap_untyped_new(UT2_PA + 0x800, 12, false, 0), 20, 22);
    CHECK_EQ(cap_untyped_free_index(cs[20].cap), 0x100);
    /* ...nor for objects retyped from it. */
    retype(20, 23, cap_untyped_new(UT2_PA, 12, false, 0));
    retype(20, 24, ep(UT2_PA + 0x200));
    CHECK_EQ(cap_untyped_free_index(cs[20].cap), 0x100);
    CHECK_LIST();
}

/* ---- randomized run ---------------------------------------------------------------------- */

/* A model of the list in slot numbers, written from upstream's cteInsert, insertNewCap,
 * cteMove, cteSwap and emptySlot; after every operation it must equal the CNode exactly. */
struct model {
    cap_t cap[NSLOTS];
    int prev[NSLOTS], next[NSLOTS];
    bool rev[NSLOTS], fb[NSLOTS];
};

static struct model m;

static void m_clear(int i)
{
    m.cap[i] = cap_null();
    m.prev[i] = m.next[i] = -1;
    m.rev[i] = m.fb[i] = false;
}

static void m_link_after(int after, int i)
{
    m.prev[i] = after;
    m.next[i] = after >= 0 ? m.next[after] : -1;
    if (m.next[i] >= 0) {
        m.prev[m.next[i]] = i;
    }
    if (after >= 0) {
        m.next[after] = i;
    }
}

static void m_insert(cap_t c, int src, int dest)
{
    cap_t s = m.cap[src];
    m.rev[dest] = m.fb[dest] = cap_is_revocable(c, s);
    if (cap_get_type(s) == cap_untyped_cap && cap_get_type(c) == cap_untyped_cap &&
        cap_paddr(s) == cap_paddr(c) && cap_untyped_size_bits(s) == cap_untyped_size_bits(c)) {
        m.cap[src] = cap_untyped_set_free_index(s, 1ull << cap_untyped_size_bits(s));
    }
    m.cap[dest] = c;
    m_link_after(src, dest);
}

static void m_insert_new(cap_t c, int parent, int dest)
{
    m.cap[dest] = c;
    m.rev[dest] = m.fb[dest] = true;
    m_link_after(parent, dest);
}

static void m_move(cap_t c, int src, int dest)
{
    m.cap[dest] = c;
    m.prev[dest] = m.prev[src];
    m.next[dest] = m.next[src];
    m.rev[dest] = m.rev[src];
    m.fb[dest] = m.fb[src];
    if (m.prev[dest] >= 0) {
        m.next[m.prev[dest]] = dest;
    }
    if (m.next[dest] >= 0) {
        m.prev[m.next[dest]] = dest;
    }
    m_clear(src);
}

/* Slot x's node moves to slot sigma(x), where sigma exchanges a and b; links follow sigma. */
static void m_swap(cap_t ca, int a, cap_t cb, int b)
{
    struct model old = m;
#define SIGMA(x) ((x) == a ? b : (x) == b ? a : (x))
    for (int x = 0; x < NSLOTS; x++) {
        int y = SIGMA(x);
        m.prev[y] = old.prev[x] < 0 ? -1 : SIGMA(old.prev[x]);
        m.next[y] = old.next[x] < 0 ? -1 : SIGMA(old.next[x]);
        m.rev[y] = old.rev[x];
        m.fb[y] = old.fb[x];
    }
#undef SIGMA
    m.cap[a] = cb;
    m.cap[b] = ca;
}

static void m_remove(int r)
{
    int p = m.prev[r], n = m.next[r];
    if (p >= 0) {
        m.next[p] = n;
    }
    if (n >= 0) {
        m.prev[n] = p;
        m.fb[n] = m.fb[n] || m.fb[r];
    }
    m_clear(r);
}

static const char *model_problem(void)
{
    for (int i = 0; i < NSLOTS; i++) {
        const cte_t *s = &cs[i];
        if (!cap_eq(s->cap, m.cap[i]) || slot_index(cdt_prev(s)) != m.prev[i] ||
            slot_index(cdt_next(s)) != m.next[i] || cdt_revocable(s) != m.rev[i] ||
            cdt_first_badged(s) != m.fb[i]) {
            snprintf(problem, sizeof(problem),
                     "slot %d: prev %d next %d rev %d fb %d cap %#llx/%#llx; model prev %d "
                     "next %d rev %d fb %d cap %#llx/%#llx",
                     i, slot_index(cdt_prev(s)), slot_index(cdt_next(s)), cdt_revocable(s),
                     cdt_first_badged(s), (unsigned long long)s->cap.w[0],
                     (unsigned long long)s->cap.w[1], m.prev[i], m.next[i], m.rev[i], m.fb[i],
                     (unsigned long long)m.cap[i].w[0], (unsigned long long)m.cap[i].w[1]);
            return problem;
        }
    }
    return NULL;
}

static uint64_t rng_state = 0x4b4149524f53ull; /* fixed seed: "KAIROS" */

static uint64_t rng(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dull;
}

static int rnd(int n)
{
    return (int)(rng() % (uint64_t)n);
}

/* A random slot that is empty (want_null) or not; -1 if there is none. */
static int pick(bool want_null)
{
    int cand[NSLOTS], n = 0;
    for (int i = 0; i < NSLOTS; i++) {
        if (cap_is_null(cs[i].cap) == want_null) {
            cand[n++] = i;
        }
    }
    return n ? cand[rnd(n)] : -1;
}

static bool same_object(cap_t a, cap_t b)
{
    return cap_same_object_as(a, b) || cap_same_object_as(b, a);
}

/* Some slot names the object of c: for an untyped, the same region. */
static bool names_existing(cap_t c)
{
    for (int i = 0; i < NSLOTS; i++) {
        cap_t s = cs[i].cap;
        if (cap_get_type(c) == cap_untyped_cap) {
            if (cap_get_type(s) == cap_untyped_cap && cap_paddr(s) == cap_paddr(c) &&
                cap_untyped_size_bits(s) == cap_untyped_size_bits(c)) {
                return true;
            }
        } else if (!cap_is_null(s) && same_object(s, c)) {
            return true;
        }
    }
    return false;
}

/* Caps to one object sit next to each other in the list (what is_final relies on). */
static const char *contiguity_problem(void)
{
    for (int i = 0; i < NSLOTS; i++) {
        if (cap_is_null(cs[i].cap) || cdt_prev(&cs[i]) != NULL) {
            continue;
        }
        for (const cte_t *a = &cs[i]; a; a = cdt_next(a)) {
            bool left = false; /* a run of a's object ended after a */
            for (const cte_t *b = cdt_next(a); b; b = cdt_next(b)) {
                bool same = same_object(a->cap, b->cap);
                if (same && left) {
                    snprintf(problem, sizeof(problem),
                             "slots %d and %d name one object but sit apart", slot_index(a),
                             slot_index(b));
                    return problem;
                }
                left = left || !same;
            }
        }
    }
    return NULL;
}

enum {
    OP_BOOT,
    OP_RETYPE,
    OP_COPY,
    OP_MINT,
    OP_MOVE,
    OP_MUTATE,
    OP_SWAP,
    OP_SWAP_ADJ,
    OP_REMOVE,
    OP_REVOKE,
    OP_COUNT
};

TEST(random_operations_against_model)
{
    reset();
    for (int i = 0; i < NSLOTS; i++) {
        m_clear(i);
    }
    /* A few objects: two boot untypeds (one holding a nested untyped), endpoints, a
     * notification and a CNode inside them, and a boot endpoint outside all of them. */
    cap_t boot_objs[] = {
        cap_untyped_new(0x10000, 16, false, 0),
        cap_untyped_new(0x20000, 12, false, 0),
        ep(0x30000),
    };
    cap_t retype_objs[] = {
        cap_untyped_new(0x18000, 12, false, 0), /* nested in the first untyped */
        ep(0x11000),
        ep(0x18010), /* in the nested untyped */
        cap_notification_new(0x18040, 0, RIGHTS_ALL),
        cap_cnode_new(0x12000, 2, 0, 0),
        ep(0x20100), /* in the second boot untyped */
    };
    const int nboot = sizeof(boot_objs) / sizeof(boot_objs[0]);
    const int nretype = sizeof(retype_objs) / sizeof(retype_objs[0]);
    long done[OP_COUNT] = {0};
    long finals = 0, non_finals = 0, revoked = 0, badged = 0;
    const int ops = 40000;

    for (int step = 0; step < ops; step++) {
        int used = 0;
        for (int i = 0; i < NSLOTS; i++) {
            used += !cap_is_null(cs[i].cap);
        }
        int op = rnd(100);
        op = op < 4    ? OP_BOOT
             : op < 16 ? OP_RETYPE
             : op < 32 ? OP_COPY
             : op < 50 ? OP_MINT
             : op < 57 ? OP_MOVE
             : op < 62 ? OP_MUTATE
             : op < 70 ? OP_SWAP
             : op < 80 ? OP_SWAP_ADJ
             : op < 94 ? OP_REMOVE
                       : OP_REVOKE;
        if (used > 3 * NSLOTS / 4 && rnd(2)) {
            op = rnd(2) ? OP_REMOVE : OP_REVOKE; /* keep free slots and varied trees */
        }
        if (used < 3) {
            op = rnd(2) ? OP_BOOT : OP_RETYPE;
        }
        int src = pick(false), dest = pick(true);
        bool did = false;

        switch (op) {
        case OP_BOOT: {
            cap_t c = boot_objs[rnd(nboot)];
            if (dest >= 0 && !names_existing(c)) {
                cdt_insert_new(c, NULL, &cs[dest]);
                m_insert_new(c, -1, dest);
                did = true;
            }
            break;
        }
        case OP_RETYPE: {
            cap_t c = retype_objs[rnd(nretype)];
            int cand[NSLOTS], n = 0;
            for (int i = 0; i < NSLOTS; i++) {
                if (cap_get_type(cs[i].cap) == cap_untyped_cap &&
                    cap_same_region_as(cs[i].cap, c)) {
                    cand[n++] = i;
                }
            }
            if (dest >= 0 && n > 0 && !names_existing(c)) {
                int ut = cand[rnd(n)];
                cdt_insert_new(c, &cs[ut], &cs[dest]);
                m_insert_new(c, ut, dest);
                did = true;
            }
            break;
        }
        case OP_COPY:
        case OP_MINT: {
            if (src < 0 || dest < 0) {
                break;
            }
            cap_t c = cs[src].cap;
            if (op == OP_MINT) {
                uint64_t data = cap_get_type(c) == cap_cnode_cap
                                    ? ((uint64_t)rnd(8) << 6) | (uint64_t)rnd(4)
                                    : (uint64_t)rnd(4);
                c = cap_update_data(false, data, cap_mask_rights((unsigned int)rnd(16), c));
                if (cap_is_null(c)) {
                    break;
                }
            }
            if (cap_derive(c, cdt_has_children(&cs[src]), &c) != DERIVE_OK || cap_is_null(c)) {
                break;
            }
            bool fresh_badge =
                (cap_get_type(c) == cap_endpoint_cap || cap_get_type(c) == cap_notification_cap) &&
                cap_badge(c) != cap_badge(cs[src].cap);
            cdt_insert(c, &cs[src], &cs[dest]);
            m_insert(c, src, dest);
            badged += fresh_badge;
            did = true;
            break;
        }
        case OP_MOVE:
        case OP_MUTATE: {
            if (src < 0 || dest < 0) {
                break;
            }
            cap_t c = cs[src].cap;
            if (op == OP_MUTATE) {
                uint64_t data = ((uint64_t)rnd(8) << 6) | (uint64_t)rnd(4);
                c = cap_update_data(true, data, cap_mask_rights((unsigned int)rnd(16), c));
                if (cap_is_null(c)) {
                    break; /* Mutate refuses endpoints and notifications */
                }
            }
            cdt_move(c, &cs[src], &cs[dest]);
            m_move(c, src, dest);
            did = true;
            break;
        }
        case OP_SWAP:
        case OP_SWAP_ADJ: {
            if (src < 0) {
                break;
            }
            int other;
            if (op == OP_SWAP_ADJ) {
                const cte_t *o = rnd(2) ? cdt_next(&cs[src]) : cdt_prev(&cs[src]);
                other = slot_index(o);
            } else {
                other = pick(false);
            }
            if (other < 0 || other == src) {
                break;
            }
            cap_t ca = cs[src].cap, cb = cs[other].cap;
            cdt_swap(ca, &cs[src], cb, &cs[other]);
            m_swap(ca, src, cb, other);
            did = true;
            break;
        }
        case OP_REMOVE:
            if (src >= 0) {
                cdt_remove(&cs[src]);
                m_remove(src);
                did = true;
            }
            break;
        case OP_REVOKE:
            if (src < 0) {
                break;
            }
            while (cdt_has_children(&cs[src])) {
                int child = slot_index(cdt_next(&cs[src]));
                cdt_remove(&cs[child]);
                m_remove(child);
                revoked++;
                CHECK_LIST();
            }
            CHECK(!cdt_has_children(&cs[src]));
            did = true;
            break;
        }
        done[op] += did;

        const char *p = list_problem();
        if (!p) {
            p = model_problem();
        }
        if (!p) {
            p = contiguity_problem();
        }
        if (p) {
            check_fail(__FILE__, __LINE__, "step %d (op %d): %s", step, op, p);
            return;
        }
        /* is_final looks at two neighbours; the truth is every other slot. */
        for (int i = 0; i < NSLOTS; i++) {
            if (cap_is_null(cs[i].cap)) {
                continue;
            }
            bool alone = true;
            for (int j = 0; j < NSLOTS && alone; j++) {
                alone = j == i || cap_is_null(cs[j].cap) || !same_object(cs[i].cap, cs[j].cap);
            }
            if (cdt_is_final(&cs[i]) != alone) {
                check_fail(__FILE__, __LINE__, "step %d (op %d): is_final(slot %d) = %d, but %s",
                           step, op, i, !alone,
                           alone ? "no other cap names its object" : "another cap does");
                return;
            }
            finals += alone;
            non_finals += !alone;
        }
    }
    /* The run must have exercised every operation, not just passed through. */
    for (int op = 0; op < OP_COUNT; op++) {
        if (done[op] < 100) {
            check_fail(__FILE__, __LINE__, "operation %d done only %ld times", op, done[op]);
            return;
        }
    }
    CHECK_LT(300, badged);
    CHECK_LT(300, revoked);
    CHECK_LT(50000, finals);
    CHECK_LT(50000, non_finals);
}
