/* The fuzzer's per-op random generator: splitmix64 seeded from (seed, op), so an op's
 * choices never depend on the ops before it, and the "interesting" words drawn from it. */
#include "fuzz.h"

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

void rng_init(struct rng *r, uint64_t seed, uint64_t op)
{
    uint64_t x = seed;
    uint64_t h = splitmix64(&x);
    x = h ^ (op * 0xd1342543de82ef95ull);
    r->state = splitmix64(&x);
}

uint64_t rng_next(struct rng *r)
{
    return splitmix64(&r->state);
}

uint64_t rng_below(struct rng *r, uint64_t n)
{
    return rng_next(r) % n;
}

/* Depths a CNode method might be given: 0, W's, a sub-CNode's, one word, past a word. */
static const uint8_t interesting_depths[] = {0,  1,  4, 6, 8, W_RADIX, seL4_WordBits - W_SUB_BITS,
                                             63, 64, 65};

seL4_Word rng_interesting(struct rng *r)
{
    switch (rng_below(r, 14)) {
    case 0:
        return 0;
    case 1:
        return 1;
    case 2:
        return ~(seL4_Word)0;
    case 3: {
        seL4_Word p = (seL4_Word)1 << rng_below(r, seL4_WordBits);
        return p + (seL4_Word)rng_below(r, 3) - 1; /* 2^k - 1, 2^k, 2^k + 1 */
    }
    case 4:
        return rng_below(r, W_SLOTS); /* a slot index */
    case 5:
        return W_CPTR(rng_below(r, W_SLOTS)); /* a cptr of W */
    case 6:
        return rng_below(r, 32); /* sizes in bits, small counts, rights, priorities */
    case 7:
        return rng_below(r, seL4_ObjectTypeCount + 2);
    case 8:
        return interesting_depths[rng_below(r, sizeof(interesting_depths))];
    case 9:
        /* Virtual addresses a mapping could take: 4 KiB or 2 MiB aligned, low or high. */
        return (rng_below(r, 1u << 16) << (rng_below(r, 2) ? seL4_PageBits : seL4_LargePageBits));
    case 10:
        return rng_below(r, 256); /* priorities, IRQ numbers, labels */
    case 11:
        return rng_below(r, 100000); /* budgets and periods in microseconds */
    default:
        return rng_next(r);
    }
}
