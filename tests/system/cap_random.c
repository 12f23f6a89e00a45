/* A randomized test of the capability system: over 10,000 CNode and Untyped invocations with
 * random addresses, depths, rights, badges, guards, types and sizes, from a fixed seed, in a
 * two-level test CSpace of its own. The kernel must answer each with a valid seL4_Error and
 * stay consistent (the debug kernel's CDT/CNode check); afterwards revoking the untypeds
 * used must give all their memory back (each is retyped into one untyped of its full size).
 * systest: needs a debug kernel */
#include "cspace_util.h"

#define SEED 0x4b6169726f73ul /* "Kairos" */
#define INVOCATIONS 40000
#define REPAIR_EVERY 100
#define CHECK_EVERY 4000

/* The test CSpace: L1 (16 slots, no guard) lives in a root slot and is the service and the
 * source/destination root of every random CNode method, so a random address can never
 * reach the root CNode. L1[0..3] hold L2 CNodes (32 slots); L1[3]'s cap has a 2-bit guard
 * 0b01. Addresses: L1 slot = (i, 4); L2 slot = (i << 5 | s, 9), guarded (3 << 7 | 1 << 5 |
 * s, 11). */
#define L1_BITS 4
#define L2_BITS 5
#define L2_COUNT 4
#define L2_GUARDED 3
#define L2_GUARD 1
#define L2_GUARD_BITS 2

#define GUARD(g, size) (seL4_CNode_CapData_new((g), (size)).words[0])

struct world {
    seL4_CPtr l1;       /* L1's cap, in the root CNode */
    seL4_CPtr cnode_ut; /* where L1 and the L2s come from */
    seL4_CPtr ut[3];    /* the untypeds the random retypes use */
    unsigned int ut_bits[3];
    seL4_CPtr empty;   /* an empty root slot: a root or service that is no CNode */
    seL4_CPtr scratch; /* an empty root slot for building */
};

struct address {
    seL4_Word index;
    seL4_Uint8 depth;
};

static uint64_t rng_state;

/* xorshift64*: small, and the same sequence on every run. */
static uint64_t rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dull;
}

static uint64_t below(uint64_t n)
{
    return rnd() % n;
}

static struct address l2_slot(unsigned int l2, seL4_Word slot)
{
    if (l2 == L2_GUARDED) {
        return (struct address){(((seL4_Word)l2 << L2_GUARD_BITS | L2_GUARD) << L2_BITS) | slot,
                                L1_BITS + L2_GUARD_BITS + L2_BITS};
    }
    return (struct address){((seL4_Word)l2 << L2_BITS) | slot, L1_BITS + L2_BITS};
}

/* Mostly slots that exist, sometimes ones a level deeper (through whatever an L2 slot
 * holds), sometimes anything at all, including depths 0 and above 64. */
static struct address random_address(void)
{
    uint64_t r = below(100);
    if (r < 60) {
        return l2_slot((unsigned int)below(L2_COUNT), below(1u << L2_BITS));
    }
    if (r < 70) {
        return (struct address){below(1u << L1_BITS), L1_BITS};
    }
    if (r < 80) {
        struct address a = l2_slot((unsigned int)below(L2_COUNT), below(1u << L2_BITS));
        unsigned int k = 1 + (unsigned int)below(6);
        return (struct address){(a.index << k) | below(1u << k), (seL4_Uint8)(a.depth + k)};
    }
    if (r < 90) {
        return (struct address){rnd() & 0xffff, (seL4_Uint8)below(71)};
    }
    return (struct address){rnd(), (seL4_Uint8)(below(4) == 0 ? rnd() : below(65))};
}

/* Slots that recently received a cap: sources and targets are often taken from here, so
 * that the methods act on caps (and build copies of copies, badged children, revocations
 * with something to revoke) instead of mostly failing on empty slots. */
#define LIVE_SLOTS 64
static struct address live[LIVE_SLOTS];
static unsigned int live_count;

static void note_live(struct address a)
{
    live[live_count % LIVE_SLOTS] = a;
    live_count++;
}

static struct address used_address(void)
{
    if (live_count == 0 || below(2) == 0) {
        return random_address();
    }
    unsigned int n = live_count < LIVE_SLOTS ? live_count : LIVE_SLOTS;
    return live[below(n)];
}

/* The CNode argument of a method: L1, or now and then something that is not a CNode. */
static seL4_CPtr random_cnode(const struct world *w)
{
    uint64_t r = below(100);
    return r < 94 ? w->l1 : r < 97 ? w->empty : w->ut[0];
}

/* A badge, a guard word, or noise. */
static seL4_Word random_data(void)
{
    uint64_t r = below(10);
    if (r < 4) {
        return 0;
    }
    if (r < 7) {
        return GUARD(below(4), below(6));
    }
    if (r < 9) {
        return 1 + below(1000);
    }
    return rnd();
}

static seL4_CapRights_t random_rights(void)
{
    return rights_word(below(8) == 0 ? rnd() : below(16));
}

/* size_bits that usually make sense for the type. */
static seL4_Word random_size_bits(seL4_Word type)
{
    if (below(10) == 0) {
        return below(70);
    }
    switch (type) {
    case seL4_UntypedObject:
        return seL4_MinUntypedBits + below(14);
    case seL4_CapTableObject:
        return 1 + below(7);
    case seL4_SchedContextObject:
        return seL4_MinSchedContextBits + below(4);
    default:
        return 0;
    }
}

/* Counts per error code, for the summary line and the sanity check; FailedLookups by
 * source flag and failure type. */
static unsigned int results[seL4_NumErrors + 1];
static unsigned int lookups[2][seL4_GuardMismatch + 1];

/* The checks every reply gets: a valid error code, sane registers, and the errors that the
 * arguments alone decide. Upstream's decode order is assumed for the latter: the service
 * cap's type first, then (CNode methods) the first slot's depth; (Retype) the type. */
static void check_reply(seL4_Error err, bool cnode_method, seL4_CPtr service,
                        seL4_Uint8 first_depth, seL4_Word type, const struct world *w)
{
    results[(seL4_Word)err < seL4_NumErrors ? err : seL4_NumErrors]++;
    CHECK((seL4_Word)err < seL4_NumErrors);
    if (err == seL4_FailedLookup) {
        CHECK(seL4_GetMR(0) <= 1);
        CHECK(seL4_GetMR(1) >= seL4_InvalidRoot && seL4_GetMR(1) <= seL4_GuardMismatch);
        if (seL4_GetMR(0) <= 1 && seL4_GetMR(1) <= seL4_GuardMismatch) {
            lookups[seL4_GetMR(0)][seL4_GetMR(1)]++;
        }
    }
    if (err == seL4_RangeError) {
        CHECK(seL4_GetMR(0) <= seL4_GetMR(1));
    }
    if (service == w->empty) {
        CHECK_EQ(err, seL4_InvalidCapability);
    } else if (cnode_method && service != w->l1) {
        CHECK_EQ(err, seL4_IllegalOperation);
    } else if (!cnode_method && service == w->l1) {
        CHECK_EQ(err, seL4_IllegalOperation);
    } else if (cnode_method && (first_depth == 0 || first_depth > 64)) {
        CHECK_RANGE_ERROR(err, 1, 64);
    } else if (!cnode_method && type >= seL4_ObjectTypeCount) {
        CHECK_ARG_ERROR(err, seL4_InvalidArgument, 0);
    }
}

static void random_cnode_method(const struct world *w)
{
    seL4_CPtr service = random_cnode(w);
    struct address d = random_address(), s = used_address(), p = used_address();
    seL4_Error err;
    bool moves_to_d = true;
    uint64_t op = below(100);
    if (op < 16) {
        err = seL4_CNode_Copy(service, d.index, d.depth, random_cnode(w), s.index, s.depth,
                              random_rights());
    } else if (op < 32) {
        err = seL4_CNode_Mint(service, d.index, d.depth, random_cnode(w), s.index, s.depth,
                              random_rights(), random_data());
    } else if (op < 46) {
        err = seL4_CNode_Move(service, d.index, d.depth, random_cnode(w), s.index, s.depth);
    } else if (op < 55) {
        err = seL4_CNode_Mutate(service, d.index, d.depth, random_cnode(w), s.index, s.depth,
                                random_data());
    } else if (op < 66) {
        /* Half of the rotations swap (source = destination). */
        if (below(2) == 0) {
            s = d;
        }
        err = seL4_CNode_Rotate(service, d.index, d.depth, random_data(), random_cnode(w), p.index,
                                p.depth, random_data(), random_cnode(w), s.index, s.depth);
    } else {
        moves_to_d = false;
        d = used_address();
        if (op < 80) {
            err = seL4_CNode_Delete(service, d.index, d.depth);
        } else if (op < 94) {
            err = seL4_CNode_Revoke(service, d.index, d.depth);
        } else {
            err = seL4_CNode_CancelBadgedSends(service, d.index, d.depth);
        }
    }
    check_reply(err, true, service, d.depth, 0, w);
    if (err == seL4_NoError && moves_to_d) {
        note_live(d);
        if (op >= 55 && op < 66) {
            note_live(p);
        }
    }
}

static void random_retype(const struct world *w)
{
    uint64_t r = below(100);
    seL4_CPtr service = r < 95 ? w->ut[below(3)] : r < 98 ? w->l1 : w->empty;
    seL4_Word type = below(10) == 0 ? (below(2) ? seL4_ObjectTypeCount + below(20) : rnd())
                                    : below(seL4_ObjectTypeCount);
    seL4_Word size_bits = random_size_bits(type);
    seL4_CPtr root = below(20) == 0 ? random_cnode(w) : w->l1;
    struct address node;
    r = below(100);
    if (r < 70) {
        node = (struct address){below(L2_COUNT + 1), L1_BITS}; /* an L2, or L1[4] */
    } else if (r < 80) {
        node = (struct address){0, 0}; /* node_depth 0: L1 itself */
    } else {
        node = random_address();
    }
    r = below(100);
    seL4_Word num = r < 85 ? 1 + below(4) : r < 90 ? 0 : r < 95 ? 257 + below(8) : below(40);
    seL4_Word offset = below(36);
    seL4_Error err =
        seL4_Untyped_Retype(service, type, size_bits, root, node.index, node.depth, offset, num);
    check_reply(err, false, service, 0, type, w);
    for (seL4_Word i = 0; err == seL4_NoError && root == w->l1 && i < num; i++) {
        if (node.depth == 0) {
            note_live((struct address){offset + i, L1_BITS});
        } else if (node.depth == L1_BITS && node.index < L2_COUNT) {
            note_live(l2_slot((unsigned int)node.index, offset + i));
        }
    }
}

/* Random deletes and moves take the L2 caps out of L1 now and then; put a fresh L2 back so
 * most addresses keep resolving. */
static void repair(const struct world *w)
{
    for (unsigned int i = 0; i < L2_COUNT; i++) {
        if (cap_type_at(w->l1, i, L1_BITS) == CAP_CNODE) {
            continue;
        }
        (void)seL4_CNode_Delete(w->l1, i, L1_BITS);
        if (retype_one(w->cnode_ut, seL4_CapTableObject, L2_BITS, w->scratch) != seL4_NoError) {
            continue; /* out of CNode memory: live with fewer L2s */
        }
        seL4_Word guard = i == L2_GUARDED ? GUARD(L2_GUARD, L2_GUARD_BITS) : GUARD(0, 0);
        CHECK_EQ(seL4_CNode_Mutate(w->l1, i, L1_BITS, ROOT, w->scratch, ROOT_DEPTH, guard),
                 seL4_NoError);
        (void)seL4_CNode_Delete(ROOT, w->scratch, ROOT_DEPTH);
    }
}

static bool build_world(struct world *w)
{
    static const unsigned int bits[3] = {20, 16, 22};
    w->cnode_ut = ut_alloc(17);
    w->empty = slot_alloc();
    w->scratch = slot_alloc();
    CHECK(w->cnode_ut != 0);
    for (unsigned int i = 0; i < 3; i++) {
        w->ut_bits[i] = bits[i];
        w->ut[i] = ut_alloc(bits[i]);
        CHECK(w->ut[i] != 0);
        if (w->ut[i] == 0) {
            return false;
        }
    }
    if (w->cnode_ut == 0) {
        return false;
    }
    w->l1 = object_new(w->cnode_ut, seL4_CapTableObject, L1_BITS);
    for (unsigned int i = 0; i < L2_COUNT; i++) {
        CHECK_EQ(retype_one(w->cnode_ut, seL4_CapTableObject, L2_BITS, w->scratch), seL4_NoError);
        seL4_Word guard = i == L2_GUARDED ? GUARD(L2_GUARD, L2_GUARD_BITS) : GUARD(0, 0);
        CHECK_EQ(seL4_CNode_Mutate(w->l1, i, L1_BITS, ROOT, w->scratch, ROOT_DEPTH, guard),
                 seL4_NoError);
    }
    /* The addresses mean what they should: an endpoint in the guarded L2's last slot. */
    struct address a = l2_slot(L2_GUARDED, (1u << L2_BITS) - 1);
    CHECK_EQ(seL4_Untyped_Retype(w->ut[0], seL4_EndpointObject, 0, w->l1, L2_GUARDED, L1_BITS,
                                 (1u << L2_BITS) - 1, 1),
             seL4_NoError);
    CHECK_CAP_TYPE_AT(w->l1, a.index, a.depth, CAP_ENDPOINT);
    return w->l1 != 0 && !systest_failed();
}

/* Revoke everything made from `ut` and retype it into one untyped of its full size: that
 * only fits if every byte came back (§2.4.1). */
static void check_all_memory_back(seL4_CPtr ut, unsigned int bits, seL4_CPtr slot)
{
    CHECK_EQ(seL4_CNode_Revoke(ROOT, ut, ROOT_DEPTH), seL4_NoError);
    CHECK_EQ(retype_one(ut, seL4_UntypedObject, bits, slot), seL4_NoError);
    CHECK_CAP_TYPE(slot, CAP_UNTYPED);
    CHECK_EQ(seL4_CNode_Delete(ROOT, slot, ROOT_DEPTH), seL4_NoError);
}

SYSTEST(cap_random_invocations)
{
    unsigned int mark = slot_mark();
    struct world w = {0};
    rng_state = SEED;
    live_count = 0;
    for (unsigned int i = 0; i <= seL4_NumErrors; i++) {
        results[i] = 0;
    }
    for (unsigned int t = 0; t <= seL4_GuardMismatch; t++) {
        lookups[0][t] = lookups[1][t] = 0;
    }
    if (!build_world(&w)) {
        for (unsigned int i = 0; i < 3; i++) {
            ut_free(w.ut[i]);
        }
        ut_free(w.cnode_ut);
        slot_release(mark);
        return;
    }
    uint64_t start = read_cntvct();
    for (unsigned int n = 1; n <= INVOCATIONS; n++) {
        uint64_t r = below(100);
        if (r < 72) {
            random_cnode_method(&w);
        } else if (r < 99) {
            random_retype(&w);
        } else {
            /* Now and then an untyped is emptied: later retypes reset it. */
            seL4_Error err = seL4_CNode_Revoke(ROOT, w.ut[below(3)], ROOT_DEPTH);
            results[(seL4_Word)err < seL4_NumErrors ? err : seL4_NumErrors]++;
            CHECK_EQ(err, seL4_NoError);
        }
        if (n % REPAIR_EVERY == 0) {
            repair(&w);
        }
        if (n % CHECK_EVERY == 0) {
            CHECK_CONSISTENT();
        }
    }
    uint64_t ticks = read_cntvct() - start;
    printf("cap_random: %u invocations in %lu ms:", INVOCATIONS,
           (unsigned long)(ticks * 1000 / read_cntfrq()));
    for (unsigned int i = 0; i <= seL4_NumErrors; i++) {
        printf(" %u", results[i]);
    }
    printf(" (by seL4_Error; last = invalid); lookups dest/source by type:");
    for (unsigned int i = 0; i < 2; i++) {
        for (unsigned int t = seL4_InvalidRoot; t <= seL4_GuardMismatch; t++) {
            printf(" %u", lookups[i][t]);
        }
    }
    printf("\n");
    /* The random mix must exercise the success paths, not only the checks. */
    CHECK(results[seL4_NoError] > INVOCATIONS / 10);
    CHECK_EQ(results[seL4_NumErrors], 0);
    CHECK_CONSISTENT();

    seL4_CPtr slot = w.scratch;
    CHECK_EQ(seL4_CNode_Delete(ROOT, slot, ROOT_DEPTH), seL4_NoError);
    for (unsigned int i = 0; i < 3; i++) {
        check_all_memory_back(w.ut[i], w.ut_bits[i], slot);
    }
    check_all_memory_back(w.cnode_ut, 17, slot);
    CHECK_CAP_TYPE(w.l1, CAP_NULL);
    CHECK_CONSISTENT();
    for (unsigned int i = 0; i < 3; i++) {
        ut_free(w.ut[i]);
    }
    ut_free(w.cnode_ut);
    slot_release(mark);
}
