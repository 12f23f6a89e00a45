/* gen.h — task-set generation, deterministic from the experiment's seed: UUniFast utilisations
 * (Bini & Buttazzo 2005), log-uniform periods, C rounded to microseconds and at least the
 * kernel's minimum budget, deadline-monotonic priorities (rate-monotonic for implicit
 * deadlines) from GEN_TOP_PRIO downwards. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "exp_file.h"
#include "record.h"
#include "rta.h"

/* The highest priority a task gets; the next ones get 199, 198, ... The priorities above are
 * left to the root task's own threads. */
#define GEN_TOP_PRIO 200u

/* UUniFast draws per set before giving up: a U close to n leaves almost no draw with every
 * u_i <= 1, and the definition is then reported, not looped on. */
#define GEN_MAX_DRAWS 100000u
/* Draws per isolation base set before giving up on finding one that RTA with overheads calls
 * schedulable. */
#define GEN_MAX_ISOLATION_DRAWS 10000u

/* xoshiro256** (Blackman & Vigna), seeded through splitmix64. */
struct gen_rng {
    uint64_t s[4];
};

void gen_rng_seed(struct gen_rng *rng, uint64_t seed);
uint64_t gen_rng_next(struct gen_rng *rng);
/* Uniform in [0, 1), 53 bits. */
double gen_rng_unit(struct gen_rng *rng);

/* One UUniFast draw of n utilisations summing to total; true when every one is <= 1. */
bool gen_uunifast(struct gen_rng *rng, uint32_t n, double total, double *u);

/* A period log-uniform in [min_us, max_us], rounded to a microsecond. */
uint32_t gen_period_us(struct gen_rng *rng, uint32_t min_us, uint32_t max_us);

/* Draws one set of def->tasks tasks at total utilisation total: C, T, D and priorities,
 * tasks ordered highest priority first, run_pct exact, kind RTA; no analysis or budgets.
 * false, with err, when GEN_MAX_DRAWS draws had some u_i > 1. */
bool gen_set_draw(struct gen_rng *rng, const struct exp_def *def, double total,
                  struct record_set *set, char *err, size_t errlen);

/* The index of the task with the largest C / T (the lowest index on a tie). */
uint32_t gen_heaviest_task(const struct record_set *set);

/* The whole experiment, analysed with ovh (budgets not yet set): def's RTA sets, point by
 * point, then its isolation sets, factor by factor, each base set enforced and then with
 * budget = period. Isolation base sets are redrawn until RTA with overheads calls them
 * schedulable: "the other tasks never miss" is only a claim about such sets. *sets is
 * malloc'ed; false, with err, when a set cannot be drawn or memory runs out. */
bool gen_experiment(const struct exp_def *def, const struct rta_overheads *ovh,
                    struct record_set **sets, uint32_t *nsets, char *err, size_t errlen);
