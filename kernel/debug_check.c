/* The capability-system consistency check; see debug_check.h. It uses fixed-size tables
 * (it runs only in debug builds, on test-sized CSpaces) and says so when they overflow. */
#include "kernel/debug_check.h"

#include <sel4/constants.h>

#include "kernel/boot_mem.h"
#include "kernel/cap_ops.h"
#include "kernel/cdt.h"
#include "kernel/console.h"
#include "kernel/objects.h"

#define MAX_CNODES 4096
#define MAX_REPORTS 20
#define SLOT_ALIGN 32u
/* More descendants than any test system has slots: a longer walk has met a cycle. */
#define MAX_DESCENDANT_WALK (1u << 20)

extern struct region_list ks_ram;

struct cnode_ref {
    const cte_t *slots;
    unsigned int radix;
};

static struct cnode_ref visited[MAX_CNODES];
static unsigned int visited_count;
static uint64_t problems;

/* Who hears of each problem: 0 for the system call, which counts them; the invariant checks
 * (consistency_check_slot) stop at the first. Zero-initialised, so the kernel keeps no
 * .data. */
static consistency_report_fn reporter;

static void problem(const cte_t *slot, const char *kind, const char *what)
{
    if (reporter) {
        reporter(slot, kind, what);
        return;
    }
    if (problems++ < MAX_REPORTS) {
        kprintf("kairos: warning: consistency: slot %p (cap type %u): %s\n", (const void *)slot,
                (unsigned int)cap_get_type(slot->cap), what);
    }
}

bool consistency_in_ram(uint64_t start, uint64_t size)
{
    for (unsigned int i = 0; i < ks_ram.count; i++) {
        if (start >= ks_ram.r[i].start && start + size <= ks_ram.r[i].end && start + size >= start) {
            return true;
        }
    }
    return false;
}

static bool is_device_cap(cap_t c)
{
    return (cap_get_type(c) == cap_untyped_cap && cap_untyped_is_device(c)) ||
           (cap_get_type(c) == cap_frame_cap && cap_frame_is_device(c));
}

bool consistency_link_ok(const cte_t *p)
{
    return p == 0 || (((uintptr_t)p % SLOT_ALIGN) == 0 &&
                      consistency_in_ram(paddr_from_ptr(p), sizeof(cte_t)));
}

static void check_untyped(const cte_t *slot)
{
    cap_t u = slot->cap;
    uint64_t size = 1ull << cap_untyped_size_bits(u);
    if (cap_untyped_size_bits(u) < seL4_MinUntypedBits || cap_untyped_size_bits(u) > seL4_MaxUntypedBits) {
        problem(slot, "untyped", "untyped size out of range");
        return;
    }
    if (cap_untyped_free_index(u) > size) {
        problem(slot, "untyped", "untyped free index beyond its end");
    }
    if (reporter) {
        return; /* the invariant checks test descendants in their own list pass */
    }
    const cte_t *d = cdt_next(slot);
    for (uint64_t n = 0; d && consistency_link_ok(d) && cdt_is_parent_of(slot, d);
         d = cdt_next(d), n++) {
        if (n == MAX_DESCENDANT_WALK) {
            problem(slot, "cdt", "derivation tree below an untyped does not end (a cycle)");
            return;
        }
        if (!consistency_in_used_part(slot, d)) {
            problem(d, "untyped", "descendant of an untyped lies outside its used part");
        }
    }
}

bool consistency_in_used_part(const cte_t *untyped, const cte_t *d)
{
    uint64_t base = cap_paddr(untyped->cap), db = cap_paddr(d->cap);
    uint64_t ds = 1ull << cap_size_bits(d->cap);
    return db >= base && db + ds <= base + cap_untyped_free_index(untyped->cap);
}

static void check_slot(const cte_t *slot)
{
    cap_t c = slot->cap;
    const cte_t *prev = cdt_prev(slot), *next = cdt_next(slot);
    if (cap_is_null(c)) {
        if (slot->mdb.prev_flags || slot->mdb.next) {
            problem(slot, "cdt", "empty slot still linked into the derivation tree");
        }
        return;
    }
    if (!consistency_link_ok(prev) || !consistency_link_ok(next)) {
        problem(slot, "cdt", "derivation-tree link points outside RAM or is misaligned");
        return;
    }
    if (prev && cdt_next(prev) != slot) {
        problem(slot, "cdt", "previous slot does not link back");
    }
    if (next && cdt_prev(next) != slot) {
        problem(slot, "cdt", "next slot does not link back");
    }
    if (cap_is_physical(c)) {
        unsigned int bits = cap_size_bits(c);
        if (bits > seL4_MaxUntypedBits || (cap_paddr(c) & ((1ull << bits) - 1))) {
            problem(slot, "cap", "object misaligned for its size");
        } else if (!is_device_cap(c) && !consistency_in_ram(cap_paddr(c), 1ull << bits)) {
            problem(slot, "cap", "object outside RAM");
        }
    }
    if (cap_get_type(c) == cap_cnode_cap) {
        unsigned int radix = cap_cnode_radix(c), gs = cap_cnode_guard_size(c);
        if (radix < 1 || radix + gs > seL4_WordBits) {
            problem(slot, "cnode", "CNode radix and guard size out of range");
        } else if (gs < seL4_WordBits && (cap_cnode_guard(c) >> gs) != 0) {
            problem(slot, "cnode", "CNode guard wider than its guard size");
        }
    }
    if (cap_get_type(c) == cap_untyped_cap) {
        check_untyped(slot);
    }
}

void consistency_check_slot(const cte_t *slot, consistency_report_fn report)
{
    consistency_report_fn saved = reporter;
    reporter = report;
    check_slot(slot);
    reporter = saved;
}

static void visit(cap_t cnode)
{
    const cte_t *slots = cap_cnode_slots(cnode);
    unsigned int radix = cap_cnode_radix(cnode);
    if (radix < 1 || radix >= seL4_WordBits ||
        !consistency_in_ram(cap_paddr(cnode), 1ull << (radix + seL4_SlotBits))) {
        return; /* reported by check_slot on the cap that names it */
    }
    for (unsigned int i = 0; i < visited_count; i++) {
        if (visited[i].slots == slots) {
            return;
        }
    }
    if (visited_count == MAX_CNODES) {
        kprintf("kairos: warning: consistency: more than %u CNodes; the rest is not checked\n", MAX_CNODES);
        return;
    }
    visited[visited_count++] = (struct cnode_ref){slots, radix};
}

uint64_t debug_check_consistency(struct tcb *t)
{
    problems = 0;
    visited_count = 0;
    for (unsigned int i = 0; i < TCB_CNODE_ENTRIES; i++) {
        check_slot(tcb_slot(t, i));
    }
    cap_t root = tcb_slot(t, TCB_CTABLE)->cap;
    if (cap_get_type(root) == cap_cnode_cap) {
        visit(root);
    }
    /* Breadth first, using the visited list as the queue: no recursion, cycles end. */
    for (unsigned int k = 0; k < visited_count; k++) {
        struct cnode_ref n = visited[k];
        for (uint64_t i = 0; i < (1ull << n.radix); i++) {
            const cte_t *slot = &n.slots[i];
            check_slot(slot);
            if (cap_get_type(slot->cap) == cap_cnode_cap) {
                visit(slot->cap);
            }
        }
    }
    return problems;
}
