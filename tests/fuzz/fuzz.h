/* The system-call fuzzer's shared declarations (docs/fuzzing.md, issue 14): the worker's
 * CSpace layout, the memory the root task and the worker share, the per-op generator and the
 * interfaces of pool.c (objects), ops.c (one random operation), worker.c (threads, restarts)
 * and main.c (seeds and result lines).
 *
 * Roles: the root task (priority 255) builds a pool of every object type per seed in a CNode
 * of its own, W, and starts a worker thread (priority WORKER_PRIO) whose CSpace is W and
 * whose VSpace is the root task's, so both see `fuzz_shared`. The worker runs ops; the root
 * task is its fault handler, and a ticker thread wakes the root task every tick so that it
 * sees a worker that stopped making progress. Either way the worker is destroyed and made
 * anew at the next op. */
#ifndef FUZZ_H
#define FUZZ_H

#include <kairos/debug.h>
#include <kairos/stdio.h>
#include <sel4/sel4.h>
#include <stdbool.h>
#include <stdint.h>

/* ---- The worker's CSpace W ------------------------------------------------------------- */

/* W has 2^W_RADIX slots and is the worker's CSpace root with a W_GUARD_BITS guard of 0, so
 * a cptr (64 bits) is a W slot number: the lookup ends in that slot with no bits left, even
 * where it holds a CNode (a lookup with bits left goes on into a CNode cap, and an
 * invocation could then never name a CNode in W). */
#define W_RADIX 9
#define W_GUARD_BITS (seL4_WordBits - W_RADIX)
#define W_SLOTS (1u << W_RADIX)
#define W_SLOT_DEPTH seL4_WordBits /* CNode-method depth of a W slot via W_SELF */
#define W_CPTR(slot) ((seL4_CPtr)(slot))

/* W[W_SELF] holds a cap to W guarded as the worker's root: the root argument of most of the
 * worker's CNode methods and retypes. W[W_DEEP] holds W with a guard W_SUB_BITS shorter: as
 * a root it spends 56 bits in W and reaches W_SUB_BITS into a CNode stored in a W slot, so
 * index (s << W_SUB_BITS) | x, depth 64, is slot x of the CNode in W[s] (two levels). The
 * pool starts at W_POOL_FIRST; slots from W_FREE_FIRST on start empty, as room for what the
 * worker retypes and copies. */
#define W_SELF 1
#define W_DEEP 2
#define W_SUB_BITS 8
#define W_DEEP_GUARD_BITS (seL4_WordBits - W_RADIX - W_SUB_BITS)
#define W_DEEP_CPTR(slot, sub) (((seL4_CPtr)(slot) << W_SUB_BITS) | (sub))
/* The root task retypes the pool's CNodes here first, then moves each to its pool slot
 * with a guard that makes it W_SUB_BITS deep (guard + radix), so W_DEEP reaches every slot
 * of it. */
#define W_SCRATCH 3
#define W_POOL_FIRST 8
#define W_FREE_FIRST 320

/* What the root task put in a pool slot (the worker may have changed it since). */
enum pool_kind {
    POOL_EMPTY,
    POOL_UNTYPED,
    POOL_TCB,
    POOL_ENDPOINT,
    POOL_NOTIFICATION,
    POOL_CNODE,
    POOL_REPLY,
    POOL_SC,
    POOL_FRAME,
    POOL_PAGE_TABLE,
    POOL_VSPACE,
    POOL_ASID_POOL,
    POOL_IRQ_HANDLER,
    POOL_CONTROL, /* copies of SchedControl, IRQControl, ASIDControl */
};

/* The pool as built: which W slots hold something; ops draw targets from it. */
struct pool {
    uint16_t slots[W_FREE_FIRST];
    unsigned int count;
    uint16_t cnodes[16]; /* W slots that held CNodes, with their radix */
    uint8_t cnode_radix[16];
    unsigned int cnode_count;
};
extern struct pool fuzz_pool;

/* ---- What the root task and the worker share ------------------------------------------ */

/* Errors by seL4_Error code; the last bucket counts labels that are no error code. */
#define FUZZ_ERROR_BUCKETS (seL4_NumErrors + 1)

struct fuzz_shared {
    /* Set by the root task before it starts a worker. */
    uint64_t seed;
    const uint64_t *plan; /* op numbers to run, or NULL: ops 0 .. count-1 */
    uint64_t count;
    /* Written by the worker; `next` last, after an op's results, so that an op the worker
     * did not finish (it faulted or got stuck) counts as not done. */
    volatile uint64_t next; /* position in the op list */
    volatile uint64_t hash;
    volatile uint64_t errors[FUZZ_ERROR_BUCKETS];
    volatile int done;
};
extern struct fuzz_shared fuzz_shared;

/* Folds a result into the run's hash (FNV-1a over 64-bit words). */
#define FUZZ_HASH_INIT 0xcbf29ce484222325ull
static inline uint64_t fuzz_fold(uint64_t hash, uint64_t word)
{
    return (hash ^ word) * 0x100000001b3ull;
}

/* ---- The per-op generator -------------------------------------------------------------- */

/* Op i's choices come from a generator seeded by a hash of (seed, i) alone, so any subset
 * of ops replays with each op unchanged (PLAN files). */
struct rng {
    uint64_t state;
};
void rng_init(struct rng *r, uint64_t seed, uint64_t op);
uint64_t rng_next(struct rng *r);
/* Uniform in [0, n); n > 0. */
uint64_t rng_below(struct rng *r, uint64_t n);
/* A word that tends to break checks: 0, 1, -1, powers of two and their neighbours, slot
 * indices, cptrs of W, sizes, object types, depths, aligned addresses or noise. */
seL4_Word rng_interesting(struct rng *r);

/* ---- pool.c ---------------------------------------------------------------------------- */

/* The root task's own resources (made once): slot allocator over BootInfo's empty region. */
seL4_CPtr root_slot_alloc(void);
/* A RAM untyped of exactly 2^bits bytes into `slot`, carved from BootInfo's. */
bool root_untyped_carve(unsigned int bits, seL4_CPtr slot);

/* The per-seed world: W (from the seed untyped), the pool (from the pool untyped) and W's
 * root cap. */
struct world {
    seL4_CPtr pool_ut; /* everything the worker can reach comes from here... */
    seL4_CPtr seed_ut; /* ...except W itself, from here */
    seL4_CPtr w;       /* the root task's cap to W (no guard) */
    seL4_CPtr asid_ut; /* the 4 KiB untyped the ASID pool was made from */
    seL4_CPtr probe;   /* an empty slot for the leak check */
    unsigned int pool_bits, seed_bits;
};
bool world_init(struct world *w);
/* Builds W and the pool for one seed; false with a reason printed on failure. */
bool pool_build(struct world *w);
/* Deletes everything of the seed and checks that every untyped it used comes back whole;
 * the number of problems (each printed). */
unsigned int pool_destroy(struct world *w);

/* ---- ops.c ----------------------------------------------------------------------------- */

/* Runs op `op` of `seed` in the worker: one random invocation or system call. Returns the
 * word folded into the hash; *error gets the seL4_Error bucket of an invocation's reply or
 * -1 for system calls that have none. */
uint64_t fuzz_op_run(uint64_t seed, uint64_t op, int *error);
/* Replays set it: each op prints what it is about to do ("FUZZ op <i>: ..."). */
extern bool fuzz_describe;

/* ---- worker.c -------------------------------------------------------------------------- */

/* Makes the ticker thread and the root task's IPC objects (once). */
bool supervisor_init(void);
/* Runs fuzz_shared's op list to its end in a worker, restarting it after every fault and
 * every stall; counts them. False if the worker could not be (re)made. */
bool supervisor_run(struct world *w, uint64_t *faults, uint64_t *restarts);
/* Destroys the worker (if any), for the seed's teardown. */
void supervisor_stop(void);

#endif
