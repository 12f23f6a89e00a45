/* Kernel invariant checks after every kernel entry; see invariants.h.
 *
 * Two depths. Every exit checks what is cheap and most often touched: the ready queues and
 * their bitmap, the release queue, the current thread, and the threads of the last entry
 * and of the next one with the objects they point at (blocking endpoint or notification and
 * its whole queue, reply, scheduling context and its refills and call stack). At every exit
 * by default, or every INVARIANT_FULL_INTERVAL exits (and at the exit after a deliberate
 * corruption), the walk goes over everything reachable: breadth first from the root task, the
 * current thread and the last entry's thread, through every CNode slot and every pointer between
 * TCBs, endpoints, notifications, replies and scheduling contexts, then every derivation-tree list
 * through the slots found. Tables are static (no allocation, no recursion); a full table is said
 * once and the rest left unchecked, never failed. */
#include "kernel/invariants.h"

#ifdef CONFIG_KAIROS_INVARIANTS

#include <sel4/constants.h>

#include "arch/aarch64/cpu.h"
#include "drivers/irq/irq_controller.h"
#include "kernel/cdt.h"
#include "kernel/console.h"
#include "kernel/debug_check.h"
#include "kernel/endpoint.h"
#include "kernel/objects.h"
#include "kernel/rootserver.h"
#include "kernel/thread.h"
#include "sched/domain.h"
#include "sched/scheduler.h"

/* How often the full walk runs: CONFIG_KAIROS_INVARIANT_WALK (make INVARIANT_WALK=n).
 * 1, the default: at the exit of every system call and fault, never cut short, so a broken
 * invariant is caught at the exit of the very call that broke it and reported with it (the
 * fuzzer's system, ~5000 slots of which ~300 are used, walks in ~170k instructions).
 * Interrupt entries get the per-exit checks only: they change queues and notification
 * state, which those cover, and a walk at each would leave a preemptible call that an
 * interrupt keeps stopping one walk per step of progress. A large
 * system cannot afford that: the system suite's 65536 endpoints take ~23M instructions, and
 * as one stall the walk makes a periodic thread late (tests/system/irq_timer.c allows
 * 40 us). With n > 1 the walk runs when the kernel goes idle, where nobody waits for the
 * processor, at most every n / IDLE_WALK_SHARE exits, in any case every n exits, and gives
 * way to a pending interrupt; the per-exit checks still run at every exit. */
#ifndef CONFIG_KAIROS_INVARIANT_WALK
#define CONFIG_KAIROS_INVARIANT_WALK 1
#endif
#define INVARIANT_FULL_INTERVAL ((unsigned int)CONFIG_KAIROS_INVARIANT_WALK)
#define IDLE_WALK_SHARE 32u
#define INVARIANT_FULL_MIN_INTERVAL (INVARIANT_FULL_INTERVAL / IDLE_WALK_SHARE)
/* Sized for test systems (thousands of TCBs, replies and contexts; endpoints and
 * notifications need no table) and small enough for the kernel's 2 MiB reservation that
 * BootInfo's test checks. */
#define MAX_CNODES 1024
#define MAX_OBJECTS (1u << 14)
#define SET_BITS 15
#define SET_SIZE (1u << SET_BITS)
#define SET_MAX_LOAD (SET_SIZE / 4 * 3)
/* Longer than any list of a test system: a walk this long has met a cycle. */
#define MAX_WALK (1u << 20)
/* A full walk looks for a pending interrupt this often (slots or objects) and gives up if
 * one waits, to be tried again at a later exit: it only reads, so stopping anywhere is
 * safe, and an interrupt then waits for a few thousand instructions at most. */
#define ABANDON_CHECK_MASK 63u
#define ENTRY_REGS 8
#define SYSCALL_NUMBER_REG 7
#define HASH_MULTIPLIER 0x9e3779b97f4a7c15ull
#define WORD_BITS 64

/* ---- Reporting ------------------------------------------------------------------------- */

static struct {
    enum invariant_entry kind;
    const struct tcb *t;
    char name[TCB_NAME_LEN];
    uint64_t x[ENTRY_REGS];
} last_entry;

#ifdef INVARIANTS_MEASURE
static uint64_t kinds[INVARIANT_ENTRY_INTERRUPT + 1];
#define COUNT_KIND(kind) (kinds[kind]++)
#else
#define COUNT_KIND(kind) ((void)0)
#endif

void invariants_record_entry(enum invariant_entry kind, const struct tcb *t)
{
    COUNT_KIND(kind);
    last_entry.kind = kind;
    last_entry.t = t;
    if (!t) {
        last_entry.name[0] = '\0';
        return;
    }
    /* Copied now: the entry may destroy the thread. */
    for (unsigned int i = 0; i < TCB_NAME_LEN; i++) {
        last_entry.name[i] = t->name[i];
    }
    for (unsigned int i = 0; i < ENTRY_REGS; i++) {
        last_entry.x[i] = t->ctx.regs[CTX_X0 + i];
    }
}

void invariants_forget_tcb(const struct tcb *t)
{
    if (last_entry.t == t) {
        last_entry.t = 0;
    }
}

static void report_last_entry(void)
{
    const char *name = last_entry.name[0] ? last_entry.name : "idle";
    switch (last_entry.kind) {
    case INVARIANT_ENTRY_SYSCALL: {
        const uint64_t *x = last_entry.x;
        kprintf("kairos: invariant: last entry: system call %ld by \"%s\": x0..x7 = 0x%lx 0x%lx "
                "0x%lx 0x%lx 0x%lx 0x%lx 0x%lx 0x%lx\n",
                (int64_t)x[SYSCALL_NUMBER_REG], name, x[0], x[1], x[2], x[3], x[4], x[5], x[6],
                x[7]);
        break;
    }
    case INVARIANT_ENTRY_FAULT:
        kprintf("kairos: invariant: last entry: fault by \"%s\"\n", name);
        break;
    case INVARIANT_ENTRY_INTERRUPT:
        kprintf("kairos: invariant: last entry: interrupt in \"%s\"\n", name);
        break;
    default:
        kprintf("kairos: invariant: last entry: boot\n");
        break;
    }
}

static void __attribute__((noreturn, noinline, cold))
fail(const char *which, const void *obj, const char *detail)
{
    kprintf("kairos: invariant failed: %s: %p: %s\n", which, obj, detail);
    report_last_entry();
    machine_poweroff(INVARIANT_FAILED_STATUS);
}

#define INV_CHECK(cond, which, obj, detail)                                                        \
    do {                                                                                           \
        if (__builtin_expect(!(cond), 0)) {                                                        \
            fail((which), (const void *)(obj), (detail));                                          \
        }                                                                                          \
    } while (0)

static void slot_problem(const cte_t *slot, const char *kind, const char *what)
{
    fail(kind, slot, what);
}

/* Once per table and boot: the check goes on with what fitted. */
static void table_full(const char *table, unsigned int *said)
{
    if (!*said) {
        *said = 1;
        kprintf("kairos: invariant: table full: %s; the rest is not checked\n", table);
    }
}

/* ---- A set of (pointer, tag) for one full walk ------------------------------------------- */

/* Open addressing; an entry belongs to the set only if it carries this walk's generation,
 * so starting a walk costs nothing. Tags sit in the low bits, which every object's
 * alignment (16 bytes or more) leaves free. */
enum set_tag {
    TAG_CNODE = 1,
    TAG_TCB,
    TAG_ENDPOINT,
    TAG_NOTIFICATION,
    TAG_REPLY,
    TAG_SC,
    TAG_SCHED_QUEUED, /* in a ready queue or the release queue */
};
enum set_result { SET_NEW, SET_PRESENT, SET_FULL };

/* One word per entry: the physical address (below 2^PADDR_BITS) and tag, the generation
 * above them. */
#define PADDR_BITS 44
#define GEN_MASK ((1ull << (WORD_BITS - PADDR_BITS)) - 1)
static uint64_t set_entries[SET_SIZE];
static uint64_t set_gen;
static unsigned int set_count, set_full_said;

static unsigned int set_index(uint64_t key)
{
    return (unsigned int)((key * HASH_MULTIPLIER) >> (WORD_BITS - SET_BITS));
}

static uint64_t set_key(const void *p, enum set_tag tag)
{
    return (paddr_from_ptr(p) | tag) | (set_gen << PADDR_BITS);
}

static bool set_live(uint64_t entry)
{
    return (entry >> PADDR_BITS) == set_gen;
}

static enum set_result set_add(const void *p, enum set_tag tag)
{
    uint64_t key = set_key(p, tag);
    for (unsigned int i = set_index(key);; i = (i + 1) & (SET_SIZE - 1)) {
        if (!set_live(set_entries[i])) {
            if (set_count >= SET_MAX_LOAD) {
                table_full("object set", &set_full_said);
                return SET_FULL;
            }
            set_entries[i] = key;
            set_count++;
            return SET_NEW;
        }
        if (set_entries[i] == key) {
            return SET_PRESENT;
        }
    }
}

static bool set_has(const void *p, enum set_tag tag)
{
    uint64_t key = set_key(p, tag);
    for (unsigned int i = set_index(key); set_live(set_entries[i]); i = (i + 1) & (SET_SIZE - 1)) {
        if (set_entries[i] == key) {
            return true;
        }
    }
    return false;
}

/* ---- Work lists ---------------------------------------------------------------------------- */

/* One list for every kind, each entry tagged with its kind (enum set_tag) in the low bits. */
static uintptr_t objects[MAX_OBJECTS];
static unsigned int object_count, objects_done, objects_full_said;
static struct {
    const cte_t *slots;
    unsigned int radix;
} cnodes[MAX_CNODES];
static unsigned int cnode_count, cnodes_done, cnodes_full_said;
/* A full walk that may stop for an interrupt (not the one a corruption asks for), and
 * whether it did. */
static bool may_abandon, abandoned;
static unsigned int abandon_ticks;
static uint64_t walks_abandoned; /* for a debugger: walks given up */

static bool should_abandon(void)
{
    if (!may_abandon || (++abandon_ticks & ABANDON_CHECK_MASK) != 0) {
        return abandoned;
    }
    if (!abandoned && irq_pending()) {
        abandoned = true;
        walks_abandoned++;
    }
    return abandoned;
}

/* Non-empty slots found in this full walk, for the derivation-tree pass: listed as they
 * are found, so that the pass need not scan the CNodes' empty slots again (most of a test
 * CSpace, and half the walk's cost); past MAX_FOUND_SLOTS the pass scans. */
#define MAX_FOUND_SLOTS (1u << 14)
static uint64_t slots_found;
static const cte_t *found_slots[MAX_FOUND_SLOTS];

/* FULL: objects go on their work lists; LOCAL: a thread's objects are checked at once, one
 * level deep (LEAF: not followed further). */
enum walk_mode { WALK_LEAF, WALK_LOCAL, WALK_FULL };
static enum walk_mode mode;

static bool obj_ok(const void *p, unsigned int size_bits)
{
    uint64_t pa = paddr_from_ptr(p);
    return p && (pa & ((1ull << size_bits) - 1)) == 0 && consistency_in_ram(pa, 1ull << size_bits);
}

static bool tcb_ok(const struct tcb *t)
{
    return t && obj_ok(tcb_slots((struct tcb *)t), seL4_TCBBits);
}

static bool sc_ok(const struct sched_context *sc)
{
    return obj_ok(sc, seL4_MinSchedContextBits) && sc->size_bits >= seL4_MinSchedContextBits &&
           sc->size_bits < WORD_BITS && obj_ok(sc, (unsigned int)sc->size_bits);
}

static void check_tcb(const struct tcb *t);
static void check_endpoint(const struct endpoint *ep);
static void check_notification(const struct notification *n);
static void check_reply(const struct reply *r);
static void check_sc(const struct sched_context *sc);

static void push(const void *p, enum set_tag tag)
{
    if (set_add(p, tag) != SET_NEW) {
        return;
    }
    if (object_count == MAX_OBJECTS) {
        table_full("objects", &objects_full_said);
        return;
    }
    objects[object_count++] = (uintptr_t)p | tag;
}

/* Each add_ is called with a pointer already found valid. */
#define ADD_OBJECT(fn, type, tag, check)                                                           \
    static void fn(const type *p)                                                                  \
    {                                                                                              \
        if (mode == WALK_FULL) {                                                                   \
            push(p, (tag));                                                                        \
        } else if (mode == WALK_LOCAL) {                                                           \
            mode = WALK_LEAF;                                                                      \
            check(p);                                                                              \
            mode = WALK_LOCAL;                                                                     \
        }                                                                                          \
    }
ADD_OBJECT(add_tcb, struct tcb, TAG_TCB, check_tcb)
/* Endpoints and notifications are checked where they are found, as often as they are (a
 * test system can hold 65536 of them): their checks push only threads and contexts. */
#define ADD_IPC_OBJECT(fn, type, check)                                                            \
    static void fn(const type *p)                                                                  \
    {                                                                                              \
        if (mode != WALK_LEAF) {                                                                   \
            enum walk_mode m = mode;                                                               \
            mode = m == WALK_FULL ? WALK_FULL : WALK_LEAF;                                         \
            check(p);                                                                              \
            mode = m;                                                                              \
        }                                                                                          \
    }
ADD_IPC_OBJECT(add_endpoint, struct endpoint, check_endpoint)
ADD_IPC_OBJECT(add_notification, struct notification, check_notification)
ADD_OBJECT(add_reply, struct reply, TAG_REPLY, check_reply)
ADD_OBJECT(add_sc, struct sched_context, TAG_SC, check_sc)

#define TAG_MASK 15u
static const void *object_at(unsigned int i, enum set_tag tag)
{
    return (objects[i] & TAG_MASK) == tag ? (const void *)(objects[i] & ~(uintptr_t)TAG_MASK) : 0;
}

static void add_cnode(cap_t c)
{
    const cte_t *slots = cap_cnode_slots(c);
    unsigned int radix = cap_cnode_radix(c);
    if (mode != WALK_FULL || radix < 1 || radix >= WORD_BITS ||
        !consistency_in_ram(cap_paddr(c), 1ull << (radix + seL4_SlotBits))) {
        return; /* a bad CNode cap is reported by the slot check of its slot */
    }
    if (set_add(slots, TAG_CNODE) != SET_NEW) {
        return;
    }
    if (cnode_count == MAX_CNODES) {
        table_full("CNodes", &cnodes_full_said);
        return;
    }
    cnodes[cnode_count].slots = slots;
    cnodes[cnode_count].radix = radix;
    cnode_count++;
}

/* ---- Slots and the derivation tree --------------------------------------------------------- */

/* A slot's checks (debug_check.c's, which stop here at the first problem), then what its
 * cap leads to. */
static void visit_slot(const cte_t *slot)
{
    consistency_check_slot(slot, slot_problem);
    cap_t c = slot->cap;
    if (cap_is_null(c) || mode != WALK_FULL) {
        return;
    }
    if (slots_found < MAX_FOUND_SLOTS) {
        found_slots[slots_found] = slot;
    }
    slots_found++;
    switch (cap_get_type(c)) {
    case cap_cnode_cap:
        add_cnode(c);
        break;
    case cap_thread_cap:
        add_tcb(cap_thread_tcb(c));
        break;
    case cap_endpoint_cap:
        add_endpoint(cap_ptr(c));
        break;
    case cap_notification_cap:
        add_notification(cap_ptr(c));
        break;
    case cap_reply_cap:
        add_reply(cap_ptr(c));
        break;
    case cap_sched_context_cap:
        INV_CHECK(sc_ok(cap_ptr(c)), "scheduling context", cap_ptr(c), "size out of range");
        add_sc(cap_ptr(c));
        break;
    default:
        break;
    }
}

static void visit_cnode(const cte_t *slots, unsigned int radix)
{
    uint64_t n = 1ull << radix;
    for (uint64_t i = 0; i < n; i++) {
        const cte_t *s = &slots[i];
        if ((i & ABANDON_CHECK_MASK) == 0 && should_abandon()) {
            return;
        }
        /* Most slots of a test CSpace are empty: all four words zero, nothing to look at. */
        if ((s->cap.w[0] | s->cap.w[1] | s->mdb.prev_flags | s->mdb.next) == 0) {
            continue;
        }
        visit_slot(s);
    }
}

/* Is slot one of those the walk found (in a CNode of the table or a TCB of the set)?
 * The CNode table is sorted by then. */
static bool slot_found(const cte_t *c)
{
    unsigned int lo = 0, hi = cnode_count;
    while (lo < hi) {
        unsigned int mid = (lo + hi) / 2;
        if (c < cnodes[mid].slots) {
            hi = mid;
        } else if (c >= cnodes[mid].slots + (1ull << cnodes[mid].radix)) {
            lo = mid + 1;
        } else {
            return true;
        }
    }
    uintptr_t obj = (uintptr_t)c & ~(((uintptr_t)1 << seL4_TCBBits) - 1);
    return (uintptr_t)c - obj < TCB_CNODE_ENTRIES * sizeof(cte_t) &&
           set_has(tcb_from_object((void *)obj), TAG_TCB);
}

static void sort_cnodes(void)
{
    for (unsigned int i = 1; i < cnode_count; i++) {
        for (unsigned int j = i; j > 0 && cnodes[j].slots < cnodes[j - 1].slots; j--) {
            const cte_t *slots = cnodes[j].slots;
            unsigned int radix = cnodes[j].radix;
            cnodes[j] = cnodes[j - 1];
            cnodes[j - 1].slots = slots;
            cnodes[j - 1].radix = radix;
        }
    }
}

/* Calls fn on every non-empty slot found: the CNodes' and the TCBs'. */
static void for_each_slot_found(void (*fn)(const cte_t *))
{
    if (slots_found <= MAX_FOUND_SLOTS) {
        for (uint64_t i = 0; i < slots_found; i++) {
            if ((i & ABANDON_CHECK_MASK) == 0 && should_abandon()) {
                return;
            }
            fn(found_slots[i]);
        }
        return;
    }
    for (unsigned int k = 0; k < cnode_count; k++) {
        for (uint64_t i = 0; i < (1ull << cnodes[k].radix); i++) {
            const cte_t *s = &cnodes[k].slots[i];
            if ((i & ABANDON_CHECK_MASK) == 0 && should_abandon()) {
                return;
            }
            if (!cap_is_null(s->cap)) {
                fn(s);
            }
        }
    }
    for (unsigned int i = 0; i < object_count; i++) {
        const struct tcb *t = object_at(i, TAG_TCB);
        for (unsigned int j = 0; t && j < TCB_CNODE_ENTRIES; j++) {
            const cte_t *s = tcb_slot((struct tcb *)t, j);
            if (!cap_is_null(s->cap)) {
                fn(s);
            }
        }
    }
}

static uint64_t slots_on_lists;

/* Untypeds above the slot a list walk is at, nearest last: a list holds each cap's
 * descendants right after it, so they are the untypeds before it that parent it. Deeper
 * nesting than this is not checked below the limit (said once). */
#define MAX_UNTYPED_NESTING 64
static const cte_t *untyped_above[MAX_UNTYPED_NESTING];
static unsigned int nesting_full_said;

/* From a list's first slot forward: links agree at every step, so the walk cannot loop.
 * Each slot is checked against its nearest untyped ancestor: inside its used part. That
 * ancestor was checked against its own, so this covers every ancestor, in one pass. */
static void walk_list(const cte_t *first)
{
    if (cdt_prev(first)) {
        return;
    }
    uint64_t n = 0;
    unsigned int depth = 0;
    for (const cte_t *c = first; c; c = cdt_next(c)) {
        while (depth && !cdt_is_parent_of(untyped_above[depth - 1], c)) {
            depth--;
        }
        INV_CHECK(!depth || consistency_in_used_part(untyped_above[depth - 1], c), "untyped", c,
                  "descendant of an untyped lies outside its used part");
        if (cap_get_type(c->cap) == cap_untyped_cap) {
            if (depth < MAX_UNTYPED_NESTING) {
                untyped_above[depth++] = c;
            } else {
                table_full("untyped nesting", &nesting_full_said);
            }
        }
        INV_CHECK(++n < MAX_WALK, "cdt", first, "list does not end (a cycle)");
        INV_CHECK(!cap_is_null(c->cap), "cdt", c, "empty slot in the derivation tree");
        const cte_t *next = cdt_next(c);
        INV_CHECK(consistency_link_ok(next), "cdt", c,
                  "derivation-tree link points outside RAM or is misaligned");
        INV_CHECK(!next || cdt_prev(next) == c, "cdt", next, "previous slot does not link back");
        slots_on_lists += slot_found(c);
    }
}

/* A slot whose list has no first slot within reach lies on a cycle. */
static void walk_back(const cte_t *s)
{
    const cte_t *c = s;
    for (uint64_t n = 0; cdt_prev(c); n++) {
        INV_CHECK(n < MAX_WALK, "cdt", s, "no first slot before this one (a cycle)");
        INV_CHECK(consistency_link_ok(cdt_prev(c)) && cdt_next(cdt_prev(c)) == c, "cdt", c,
                  "previous slot does not link back");
        c = cdt_prev(c);
    }
}

/* No cycles in the derivation tree: the lists from the first slots found cover every slot
 * found. If they do not (a cycle, or a list whose first slot sits where the walk did not
 * go), each slot walks back to its list's first slot: slow, but only then. */
static void check_cdt_lists(void)
{
    sort_cnodes();
    slots_on_lists = 0;
    for_each_slot_found(walk_list);
    if (abandoned) {
        return;
    }
    if (slots_on_lists != slots_found) {
        for_each_slot_found(walk_back);
    }
}

/* ---- Threads and IPC objects ---------------------------------------------------------------- */

static bool runnable(const struct tcb *t)
{
    return t->state == THREAD_RUNNING || t->state == THREAD_RESTART;
}

/* t's place in an IPC queue, seen from t: its neighbours and the queue's ends agree. */
static void check_ipc_links(const struct tcb *t, const struct tcb *head, const struct tcb *tail,
                            const char *which)
{
    INV_CHECK(t->ep_prev ? tcb_ok(t->ep_prev) && t->ep_prev->ep_next == t : head == t, which, t,
              "blocked thread's previous link disagrees with the queue");
    INV_CHECK(t->ep_next ? tcb_ok(t->ep_next) && t->ep_next->ep_prev == t : tail == t, which, t,
              "blocked thread's next link disagrees with the queue");
}

static void check_tcb(const struct tcb *t)
{
    INV_CHECK(t->state <= THREAD_BLOCKED_ON_NOTIFICATION, "thread", t, "state out of range");
    INV_CHECK(t->queued <= SCHED_QUEUED_IN_QUEUE && t->released <= 1 && !(t->queued && t->released),
              "thread", t, "scheduler queue flags out of range");
    if (mode == WALK_FULL && (t->queued || t->released)) {
        INV_CHECK(set_has(t, TAG_SCHED_QUEUED), "thread", t,
                  "marked queued but in no scheduler queue");
    }
    if (t->sc) {
        INV_CHECK(sc_ok(t->sc), "scheduling context", t->sc, "thread's context is not one");
        INV_CHECK(t->sc->tcb == t, "scheduling context", t->sc,
                  "a thread's context is bound to another thread");
        add_sc(t->sc);
    }
    switch (t->state) {
    case THREAD_BLOCKED_ON_SEND:
    case THREAD_BLOCKED_ON_RECEIVE: {
        const struct endpoint *ep = t->blocking_object;
        INV_CHECK(obj_ok(ep, seL4_EndpointBits), "endpoint queue", t,
                  "blocked thread's endpoint is not one");
        INV_CHECK(ep_state(ep) == (t->state == THREAD_BLOCKED_ON_SEND ? EP_SEND : EP_RECV),
                  "endpoint queue", ep, "endpoint's state disagrees with a blocked thread's");
        check_ipc_links(t, ep->head, ep_tail(ep), "endpoint queue");
        add_endpoint(ep);
        break;
    }
    case THREAD_BLOCKED_ON_NOTIFICATION: {
        const struct notification *n = t->blocking_object;
        INV_CHECK(obj_ok(n, seL4_NotificationBits), "notification queue", t,
                  "blocked thread's notification is not one");
        INV_CHECK(n->state == NTFN_WAITING, "notification queue", n,
                  "notification with a waiting thread is not in the waiting state");
        check_ipc_links(t, n->head, n->tail, "notification queue");
        add_notification(n);
        break;
    }
    case THREAD_BLOCKED_ON_REPLY:
        INV_CHECK(t->reply, "reply", t, "thread blocked on reply has no reply object");
        break;
    default:
        INV_CHECK(!t->ep_next && !t->ep_prev, "thread", t,
                  "not blocked but linked into an IPC queue");
        break;
    }
    if (t->reply) {
        INV_CHECK(obj_ok(t->reply, seL4_ReplyBits), "reply", t, "thread's reply object is not one");
        INV_CHECK(t->reply->tcb == t, "reply", t->reply,
                  "reply does not name the thread that holds it");
        add_reply(t->reply);
    }
    if (t->bound_notification) {
        INV_CHECK(obj_ok(t->bound_notification, seL4_NotificationBits) &&
                      t->bound_notification->bound_tcb == t,
                  "notification queue", t->bound_notification,
                  "bound notification does not name its thread");
        add_notification(t->bound_notification);
    }
    if (t->yield_to) {
        INV_CHECK(sc_ok(t->yield_to) && t->yield_to->yield_from == t, "scheduling context",
                  t->yield_to, "YieldTo target does not name the yielding thread");
        add_sc(t->yield_to);
    }
    if (mode == WALK_FULL) {
        for (unsigned int i = 0; i < TCB_CNODE_ENTRIES; i++) {
            visit_slot(tcb_slot((struct tcb *)t, i));
        }
    }
}

/* The queue from its head: links, ends, members' state, priority order (ipc_queue.h). */
static void check_ipc_queue(const void *obj, const struct tcb *head, const struct tcb *tail,
                            enum thread_state want, const char *which)
{
    const struct tcb *prev = 0;
    unsigned int n = 0;
    for (const struct tcb *t = head; t; prev = t, t = t->ep_next) {
        INV_CHECK(++n < MAX_WALK, which, obj, "queue does not end (a cycle)");
        INV_CHECK(tcb_ok(t), which, obj, "queued thread is not a TCB in RAM");
        INV_CHECK(t->ep_prev == prev, which, t, "queued thread's back link disagrees");
        INV_CHECK(t->state == want, which, t, "queued thread's state disagrees with the queue's");
        INV_CHECK(t->blocking_object == obj, which, t,
                  "queued thread is blocked on another object");
        INV_CHECK(!prev || prev->priority >= t->priority, which, t, "queue not in priority order");
        /* A thread in two queues is caught here too: it names one object only. */
        add_tcb(t);
    }
    INV_CHECK(prev == tail, which, obj, "tail is not the last queued thread");
}

static void check_endpoint(const struct endpoint *ep)
{
    enum ep_state s = ep_state(ep);
    INV_CHECK(s <= EP_RECV, "endpoint queue", ep, "state out of range");
    INV_CHECK((s == EP_IDLE) == (ep->head == 0) && (ep->head == 0) == (ep_tail(ep) == 0),
              "endpoint queue", ep, "state, head and tail disagree");
    check_ipc_queue(ep, ep->head, ep_tail(ep),
                    s == EP_SEND ? THREAD_BLOCKED_ON_SEND : THREAD_BLOCKED_ON_RECEIVE,
                    "endpoint queue");
}

static void check_notification(const struct notification *n)
{
    INV_CHECK(n->state <= NTFN_ACTIVE, "notification queue", n, "state out of range");
    INV_CHECK((n->state == NTFN_WAITING) == (n->head != 0) && (n->head == 0) == (n->tail == 0),
              "notification queue", n, "state, head and tail disagree");
    check_ipc_queue(n, n->head, n->tail, THREAD_BLOCKED_ON_NOTIFICATION, "notification queue");
    if (n->bound_tcb) {
        INV_CHECK(tcb_ok(n->bound_tcb) && n->bound_tcb->bound_notification == n,
                  "notification queue", n, "bound thread does not name the notification");
        add_tcb(n->bound_tcb);
    }
    if (n->sc) {
        INV_CHECK(sc_ok(n->sc) && n->sc->notification == n, "scheduling context", n->sc,
                  "notification's context does not name it");
        add_sc(n->sc);
    }
}

/* A reply is idle (no thread, no links), offered by a receiver, or waited on by its caller;
 * a reply in a call stack links both ways, the head naming the context (reply.h). */
static void check_reply(const struct reply *r)
{
    if (!r->tcb) {
        INV_CHECK(!r->next && !r->prev && !r->next_is_sc, "reply", r,
                  "reply without a thread is in a call stack");
        return;
    }
    const struct tcb *t = r->tcb;
    INV_CHECK(tcb_ok(t), "reply", r, "reply's thread is not a TCB in RAM");
    INV_CHECK(t->reply == r, "reply", r, "reply's thread does not point back");
    INV_CHECK(t->state == THREAD_BLOCKED_ON_REPLY || t->state == THREAD_BLOCKED_ON_RECEIVE, "reply",
              r, "reply's thread neither waits for it nor offers it");
    add_tcb(t);
    if (t->state == THREAD_BLOCKED_ON_RECEIVE) {
        INV_CHECK(!r->next && !r->prev, "reply", r,
                  "reply offered by a receiver is in a call stack");
        return;
    }
    if (r->next_is_sc) {
        const struct sched_context *sc = r->next;
        INV_CHECK(sc_ok(sc) && sc->reply == r, "donation", r,
                  "context does not name the head of its call stack");
        add_sc(sc);
    } else if (r->next) {
        const struct reply *next = r->next;
        INV_CHECK(obj_ok(next, seL4_ReplyBits) && next->prev == r, "donation", r,
                  "call stack's next reply does not link back");
        add_reply(next);
    }
    if (r->prev) {
        INV_CHECK(obj_ok(r->prev, seL4_ReplyBits) && r->prev->next == r && !r->prev->next_is_sc,
                  "donation", r, "call stack's previous reply does not link back");
        add_reply(r->prev);
    }
}

static void check_sc(const struct sched_context *sc)
{
    const char *broken = refill_check(&sc->q, sched_min_budget());
    INV_CHECK(!broken, "refills", sc, broken);
    INV_CHECK(sc->q.count == 0 || sc->q.max <= sc_capacity(sc), "refills", sc,
              "more refills allowed than the object holds");
    if (sc->tcb) {
        INV_CHECK(tcb_ok(sc->tcb) && sc->tcb->sc == sc, "scheduling context", sc,
                  "bound thread does not hold the context");
        add_tcb(sc->tcb);
    }
    if (sc->notification) {
        INV_CHECK(obj_ok(sc->notification, seL4_NotificationBits) && sc->notification->sc == sc,
                  "scheduling context", sc, "bound notification does not name the context");
        add_notification(sc->notification);
    }
    if (sc->yield_from) {
        INV_CHECK(tcb_ok(sc->yield_from) && sc->yield_from->yield_to == sc, "scheduling context",
                  sc, "yielding thread does not name the context");
        add_tcb(sc->yield_from);
    }
    /* The call stack lent this context: each caller waits for its reply. A caller may hold
     * the context again before its answer (SchedContext_UnbindObject on the server gives
     * it back, manual §10.3.5.6), so who holds it is not checked against the stack. */
    const struct reply *r = sc->reply;
    if (!r) {
        return;
    }
    INV_CHECK(obj_ok(r, seL4_ReplyBits) && r->next == sc && r->next_is_sc, "donation", sc,
              "head of the call stack does not name the context");
    for (unsigned int n = 0; r; r = r->prev, n++) {
        INV_CHECK(n < MAX_WALK, "donation", sc, "call stack does not end (a cycle)");
        INV_CHECK(obj_ok(r, seL4_ReplyBits), "donation", sc, "call stack reply is not one");
        INV_CHECK(r->tcb && tcb_ok(r->tcb) && r->tcb->state == THREAD_BLOCKED_ON_REPLY &&
                      r->tcb->reply == r,
                  "donation", r, "call stack reply's caller does not wait for it");
        INV_CHECK(!r->prev || (r->prev->next == r && !r->prev->next_is_sc), "donation", r,
                  "call stack's previous reply does not link back");
        add_reply(r);
    }
}

/* ---- The scheduler -------------------------------------------------------------------------- */

/* A thread in a ready queue or the release queue: runnable on a configured context bound
 * to it, not the running thread (which Kairos never queues, scheduler.c). */
static void check_sched_member(const struct tcb *t, const char *which)
{
    INV_CHECK(tcb_ok(t), which, t, "member is not a TCB in RAM");
    INV_CHECK(runnable(t), which, t, "member is not runnable");
    INV_CHECK(t != ks_cur_thread, which, t, "the running thread is queued");
    INV_CHECK(sc_ok(t->sc) && sc_active(t->sc) && t->sc->tcb == t, which, t,
              "member has no configured context bound to it");
    if (mode == WALK_FULL) {
        INV_CHECK(set_add(t, TAG_SCHED_QUEUED) != SET_PRESENT, which, t,
                  "thread twice in the scheduler's queues");
    }
    const char *broken = refill_check(&t->sc->q, sched_min_budget());
    INV_CHECK(!broken, "refills", t->sc, broken);
    add_tcb(t);
}

static unsigned int check_ready_queue(const struct sched_ready_queue *q, unsigned int d,
                                      unsigned int p, unsigned int seen)
{
    const struct tcb *prev = 0;
    INV_CHECK(q->head, "ready bitmap", q, "bit set for an empty queue");
    for (const struct tcb *t = q->head; t; prev = t, t = t->sched_next) {
        INV_CHECK(++seen < MAX_WALK, "ready queue", t, "queues do not end (a cycle)");
        check_sched_member(t, "ready queue");
        INV_CHECK(t->sched_prev == prev, "ready queue", t, "back link disagrees");
        INV_CHECK(t->queued == SCHED_QUEUED_IN_QUEUE && !t->released, "ready queue", t,
                  "member not marked as queued");
        INV_CHECK(t->priority == p, "ready queue", t, "member queued at another priority");
        INV_CHECK(CONFIG_NUM_DOMAINS == 1 || t->domain == d, "ready queue", t,
                  "member queued in another domain");
    }
    INV_CHECK(prev == q->tail, "ready queue", prev, "tail is not the last member");
    return seen;
}

/* Every exit walks the queues whose bits are set; a full walk also makes sure every other
 * queue is empty (256 loads, the larger part of the per-exit cost otherwise). */
static void check_scheduler(void)
{
    unsigned int seen = 0;
    for (unsigned int d = 0; d < CONFIG_NUM_DOMAINS; d++) {
        const struct ready_bitmap *b = &ks_ready_bitmap[d];
        const struct sched_ready_queue *q = sched_ready_queues(d);
        INV_CHECK((b->top >> PRIO_WORDS) == 0, "ready bitmap", b, "top-level bit beyond the words");
        for (unsigned int w = 0; w < PRIO_WORDS; w++) {
            INV_CHECK(((b->top >> w) & 1) == (b->bits[w] != 0), "ready bitmap", b,
                      "top-level bit disagrees with its word");
            for (uint64_t bits = b->bits[w]; bits; bits &= bits - 1) {
                unsigned int p = w * PRIO_WORD_BITS + (unsigned int)__builtin_ctzll(bits);
                seen = check_ready_queue(&q[p], d, p, seen);
            }
            if (mode != WALK_FULL) {
                continue;
            }
            for (unsigned int i = 0; i < PRIO_WORD_BITS; i++) {
                const struct sched_ready_queue *e = &q[w * PRIO_WORD_BITS + i];
                INV_CHECK(((b->bits[w] >> i) & 1) || (!e->head && !e->tail), "ready bitmap", e,
                          "bit clear for a non-empty queue");
            }
        }
    }
    const struct tcb *prev = 0;
    unsigned int n = 0;
    for (const struct tcb *t = sched_release_head(); t; prev = t, t = t->sched_next) {
        INV_CHECK(++n < MAX_WALK, "release queue", t, "queue does not end (a cycle)");
        check_sched_member(t, "release queue");
        INV_CHECK(t->sched_prev == prev, "release queue", t, "back link disagrees");
        INV_CHECK(t->released == 1 && !t->queued, "release queue", t, "member not marked released");
        INV_CHECK(!prev || refill_head(&prev->sc->q).time <= refill_head(&t->sc->q).time,
                  "release queue", t, "not ordered by release time");
    }
    /* The thread about to run: not queued (Kairos' convention), running on its own
     * context, which is the running context. */
    const struct tcb *cur = ks_cur_thread;
    INV_CHECK(!sched_candidate(), "current thread", sched_candidate(),
              "switch candidate outlived its kernel entry");
    if (!cur) {
        INV_CHECK(!ks_cur_sc, "current thread", ks_cur_sc, "idle runs on a scheduling context");
        return;
    }
    INV_CHECK(tcb_ok(cur), "current thread", cur, "not a TCB in RAM");
    INV_CHECK(cur->state == THREAD_RUNNING, "current thread", cur, "not in the running state");
    INV_CHECK(!cur->queued && !cur->released, "current thread", cur, "in a scheduler queue");
    INV_CHECK(cur->sc && cur->sc == ks_cur_sc, "current thread", cur,
              "its context is not the running context");
    INV_CHECK(sc_ok(cur->sc) && sc_active(cur->sc) && cur->sc->tcb == cur, "current thread", cur,
              "its context is not configured and bound to it");
}

/* ---- The checks ----------------------------------------------------------------------------- */

static unsigned int exits;
/* Each walk stopped for an interrupt doubles the wait for the next (up to 2^MAX_BACKOFF_SHIFT
 * times): a walk that cannot finish between two interrupts (the system suite's 65536
 * endpoints take ~23M instructions) would otherwise eat the processor until the next
 * interrupt at every exit. A finished walk resets it. */
#define MAX_BACKOFF_SHIFT 6u
static unsigned int backoff_shift; /* zero-initialised: the kernel keeps no .data */
static bool force_full;

static void reset_worklists(void)
{
    /* Generation 0 is what a never-used entry holds; wrapping takes 2^20 full walks. */
    set_gen = (set_gen + 1) & GEN_MASK;
    if (set_gen == 0) {
        set_gen = 1;
        for (unsigned int i = 0; i < SET_SIZE; i++) {
            set_entries[i] = 0;
        }
    }
    set_count = 0;
    object_count = objects_done = 0;
    slots_found = 0;
    cnode_count = cnodes_done = 0;
}

static void check_object(uintptr_t entry)
{
    const void *p = (const void *)(entry & ~(uintptr_t)TAG_MASK);
    switch (entry & TAG_MASK) {
    case TAG_TCB:
        check_tcb(p);
        break;
    case TAG_REPLY:
        check_reply(p);
        break;
    default:
        check_sc(p);
        break;
    }
}

/* Returns false if it stopped for an interrupt (only when interruptible). */
static bool check_everything(bool interruptible)
{
    may_abandon = interruptible;
    abandoned = false;
    mode = WALK_FULL;
    reset_worklists();
    check_scheduler();
    const struct tcb *roots[] = {ks_root_thread, ks_cur_thread, last_entry.t};
    for (unsigned int i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
        if (roots[i]) {
            INV_CHECK(tcb_ok(roots[i]), "thread", roots[i], "not a TCB in RAM");
            add_tcb(roots[i]);
        }
    }
    /* Breadth first over the work lists until nothing new turns up. */
    bool more = true;
    while (more) {
        more = false;
        while (cnodes_done < cnode_count) {
            visit_cnode(cnodes[cnodes_done].slots, cnodes[cnodes_done].radix);
            cnodes_done++;
            more = true;
        }
        while (objects_done < object_count && !should_abandon()) {
            check_object(objects[objects_done++]);
            more = true;
        }
        if (abandoned) {
            return false;
        }
    }
    check_cdt_lists();
    return !abandoned;
}

static void check_local(void)
{
    mode = WALK_LOCAL;
    check_scheduler();
    if (ks_cur_thread) {
        check_tcb(ks_cur_thread);
    }
    if (last_entry.t && last_entry.t != ks_cur_thread) {
        check_tcb(last_entry.t);
    }
}

#ifdef INVARIANTS_MEASURE
/* -DINVARIANTS_MEASURE: what the checks cost, in timer ticks, every 8192 exits. */
#include "arch/aarch64/timer.h"
static uint64_t cost[2], count[2], worst[2];
#endif
void invariants_check(void)
{
#ifdef INVARIANTS_MEASURE
    uint64_t t0 = timer_now();
#endif
    exits++;
    bool every_exit = INVARIANT_FULL_INTERVAL <= 1 && last_entry.kind != INVARIANT_ENTRY_INTERRUPT;
    bool full = every_exit || force_full ||
                (INVARIANT_FULL_INTERVAL > 1 &&
                 (exits >= (INVARIANT_FULL_INTERVAL << backoff_shift) ||
                  (!ks_cur_thread && exits >= (INVARIANT_FULL_MIN_INTERVAL << backoff_shift))));
    if (full) {
        exits = 0;
        if (check_everything(!force_full && !every_exit)) {
            backoff_shift = 0;
        } else {
            backoff_shift += backoff_shift < MAX_BACKOFF_SHIFT;
            check_local();
        }
        force_full = false;
    } else {
        check_local();
    }
#ifdef INVARIANTS_MEASURE
    uint64_t d = timer_now() - t0;
    cost[full] += d;
    count[full]++;
    worst[full] = d > worst[full] ? d : worst[full];
    if ((count[0] + count[1]) % 8192 == 0) {
        kprintf("measure: walk found %lu slots, %u CNodes, %u objects; entries: %lu system "
                "calls, %lu faults, %lu interrupts\n",
                slots_found, cnode_count, object_count, kinds[INVARIANT_ENTRY_SYSCALL],
                kinds[INVARIANT_ENTRY_FAULT], kinds[INVARIANT_ENTRY_INTERRUPT]);
        kprintf("measure: local %lu avg %lu worst %lu ticks; full %lu avg %lu worst %lu\n",
                count[0], cost[0] / (count[0] ? count[0] : 1), worst[0], count[1],
                cost[1] / (count[1] ? count[1] : 1), worst[1]);
    }
#endif
}

/* ---- Deliberate corruption (KAIROS_SYS_DEBUG_CORRUPT) ---------------------------------------- */

enum corrupt_case {
    CORRUPT_CDT = 1,        /* a slot's predecessor skips it: unlinked halfway */
    CORRUPT_READY_BITMAP,   /* priority 0's bit flipped */
    CORRUPT_RELEASE_QUEUE,  /* a member no longer marked released */
    CORRUPT_REFILL,         /* the caller's head refill one tick larger */
    CORRUPT_ENDPOINT,       /* a thread waiting to receive marked as sending */
    CORRUPT_REPLY,          /* a reply forgets the caller waiting on it */
    CORRUPT_NOTIFICATION,   /* a notification with waiters marked active */
    CORRUPT_SC_BINDING,     /* the caller's context bound to nobody */
    CORRUPT_READY_PRIORITY, /* a ready thread's priority changed behind its queue's back */
    CORRUPT_UNTYPED,        /* an untyped with children marked unused */
};

static bool corrupt_cdt(const struct tcb *t)
{
    cap_t root = tcb_slot((struct tcb *)t, TCB_CTABLE)->cap;
    if (cap_get_type(root) != cap_cnode_cap) {
        return false;
    }
    cte_t *slots = cap_cnode_slots(root);
    for (uint64_t i = 0; i < (1ull << cap_cnode_radix(root)); i++) {
        cte_t *s = &slots[i], *prev = cdt_prev(s), *next = cdt_next(s);
        if (!cap_is_null(s->cap) && prev && next) {
            prev->mdb.next = (uint64_t)(uintptr_t)next;
            return true;
        }
    }
    return false;
}

/* The first thread of the object tables blocked in the given state. */
static struct tcb *blocked_thread(enum thread_state state)
{
    for (unsigned int i = 0; i < object_count; i++) {
        struct tcb *t = (struct tcb *)object_at(i, TAG_TCB);
        if (t && t->state == state) {
            return t;
        }
    }
    return 0;
}

static bool corrupt_endpoint(void)
{
    struct tcb *t = blocked_thread(THREAD_BLOCKED_ON_RECEIVE);
    if (t) {
        ((struct endpoint *)t->blocking_object)->head->state = THREAD_BLOCKED_ON_SEND;
    }
    return t;
}

static bool corrupt_reply(void)
{
    for (unsigned int i = 0; i < object_count; i++) {
        struct reply *r = (struct reply *)object_at(i, TAG_REPLY);
        if (r && r->tcb && r->tcb->state == THREAD_BLOCKED_ON_REPLY) {
            r->tcb = 0;
            return true;
        }
    }
    return false;
}

static bool corrupt_notification(void)
{
    struct tcb *t = blocked_thread(THREAD_BLOCKED_ON_NOTIFICATION);
    if (t) {
        ((struct notification *)t->blocking_object)->state = NTFN_ACTIVE;
    }
    return t;
}

static bool corrupt_ready_priority(void)
{
    for (int p = NUM_PRIORITIES - 1; p > 0; p--) {
        struct tcb *h = sched_ready_queues(CONFIG_NUM_DOMAINS == 1 ? 0 : ks_cur_domain)[p].head;
        if (h) {
            h->priority--;
            return true;
        }
    }
    return false;
}

static bool corrupt_untyped(const struct tcb *t)
{
    cap_t root = tcb_slot((struct tcb *)t, TCB_CTABLE)->cap;
    if (cap_get_type(root) != cap_cnode_cap) {
        return false;
    }
    cte_t *slots = cap_cnode_slots(root);
    for (uint64_t i = 0; i < (1ull << cap_cnode_radix(root)); i++) {
        cte_t *s = &slots[i], *next = cdt_next(s);
        if (cap_get_type(s->cap) == cap_untyped_cap && next && cdt_is_parent_of(s, next) &&
            cap_get_type(next->cap) != cap_untyped_cap) {
            s->cap = cap_untyped_set_free_index(s->cap, 0);
            return true;
        }
    }
    return false;
}

void invariants_debug_corrupt(struct tcb *t)
{
    /* The tables of a full walk find the objects; the state is still sound here. */
    check_everything(false);
    bool done = false;
    switch (t->ctx.regs[CTX_X0]) {
    case CORRUPT_CDT:
        done = corrupt_cdt(t);
        break;
    case CORRUPT_READY_BITMAP:
        ks_ready_bitmap[CONFIG_NUM_DOMAINS == 1 ? 0 : ks_cur_domain].bits[0] ^= 1;
        done = true;
        break;
    case CORRUPT_RELEASE_QUEUE:
        if (sched_release_head()) {
            sched_release_head()->released = 0;
            done = true;
        }
        break;
    case CORRUPT_REFILL:
        if (sc_active(t->sc)) {
            t->sc->q.r[t->sc->q.head].amount++;
            done = true;
        }
        break;
    case CORRUPT_ENDPOINT:
        done = corrupt_endpoint();
        break;
    case CORRUPT_REPLY:
        done = corrupt_reply();
        break;
    case CORRUPT_NOTIFICATION:
        done = corrupt_notification();
        break;
    case CORRUPT_SC_BINDING:
        if (t->sc) {
            t->sc->tcb = 0;
            done = true;
        }
        break;
    case CORRUPT_READY_PRIORITY:
        done = corrupt_ready_priority();
        break;
    case CORRUPT_UNTYPED:
        done = corrupt_untyped(t);
        break;
    default:
        break;
    }
    /* Caught at this call's own exit, whichever part of the check would see it first. */
    force_full = done;
    t->ctx.regs[CTX_X0] = done ? 0 : 1;
}

#endif /* CONFIG_KAIROS_INVARIANTS */
