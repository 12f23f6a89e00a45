/* gen.c — task-set generation (gen.h). */
#include "gen.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The shifts, rotations and multipliers below are those of the reference implementations
 * (prng.di.unimi.it); changing any of them changes every experiment's sets. */
#define SPLITMIX_GAMMA 0x9e3779b97f4a7c15ull
#define UNIT_BITS 53 /* a double's mantissa: every value k / 2^53 is exact */

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += SPLITMIX_GAMMA);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

void gen_rng_seed(struct gen_rng *rng, uint64_t seed)
{
    /* splitmix64 never yields four zero words, the one state xoshiro cannot leave. */
    for (int i = 0; i < 4; i++) {
        rng->s[i] = splitmix64(&seed);
    }
}

uint64_t gen_rng_next(struct gen_rng *rng)
{
    uint64_t *s = rng->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double gen_rng_unit(struct gen_rng *rng)
{
    return (double)(gen_rng_next(rng) >> (64 - UNIT_BITS)) / (double)(1ull << UNIT_BITS);
}

bool gen_uunifast(struct gen_rng *rng, uint32_t n, double total, double *u)
{
    double rest = total;
    bool all_feasible = true;
    for (uint32_t i = 0; i + 1 < n; i++) {
        double next = rest * pow(gen_rng_unit(rng), 1.0 / (n - 1 - i));
        u[i] = rest - next;
        rest = next;
        all_feasible &= u[i] <= 1.0;
    }
    u[n - 1] = rest;
    return all_feasible && rest <= 1.0;
}

uint32_t gen_period_us(struct gen_rng *rng, uint32_t min_us, uint32_t max_us)
{
    double lo = log((double)min_us);
    double hi = log((double)max_us);
    long long t = llround(exp(lo + gen_rng_unit(rng) * (hi - lo)));
    /* exp(log(x)) can land a hair outside [min, max]. */
    if (t < (long long)min_us) {
        t = min_us;
    }
    if (t > (long long)max_us) {
        t = max_us;
    }
    return (uint32_t)t;
}

/* Deadline-monotonic order: shorter deadline first, then the lower generation index. */
static int by_deadline(const void *a, const void *b)
{
    const struct record_task *x = a;
    const struct record_task *y = b;
    if (x->d_us != y->d_us) {
        return x->d_us < y->d_us ? -1 : 1;
    }
    /* prio holds the generation index until the priorities are assigned. */
    return x->prio < y->prio ? -1 : x->prio > y->prio;
}

bool gen_set_draw(struct gen_rng *rng, const struct exp_def *def, double total,
                  struct record_set *set, char *err, size_t errlen)
{
    uint32_t n = def->tasks;
    double u[RTEXP_MAX_TASKS];
    uint32_t draws = 0;
    while (!gen_uunifast(rng, n, total, u)) {
        if (++draws >= GEN_MAX_DRAWS) {
            snprintf(err, errlen,
                     "U = %g with %u tasks: none of %u UUniFast draws had every u_i <= 1 "
                     "(lower u_max or isolation_u, or add tasks)",
                     total, n, GEN_MAX_DRAWS);
            return false;
        }
    }
    memset(set, 0, sizeof(*set));
    set->kind = RECORD_RTA;
    set->u_point = total;
    set->factor = 1.0;
    set->enforce = true;
    set->overrun_task = RECORD_NO_OVERRUN;
    set->ntasks = n;
    uint32_t longest = 0;
    for (uint32_t i = 0; i < n; i++) {
        struct record_task *t = &set->task[i];
        t->t_us = gen_period_us(rng, def->period_min_us, def->period_max_us);
        long long c = llround(u[i] * t->t_us);
        t->c_us = c < KAIROS_MIN_BUDGET_US ? KAIROS_MIN_BUDGET_US : (uint32_t)c;
        long long d = llround(def->deadline_factor * t->t_us);
        t->d_us = d < 1 ? 1 : (uint32_t)d;
        t->run_pct = RTEXP_EXACT_PCT;
        t->prio = i;
        longest = t->t_us > longest ? t->t_us : longest;
    }
    qsort(set->task, n, sizeof(set->task[0]), by_deadline);
    set->u = 0;
    for (uint32_t i = 0; i < n; i++) {
        set->task[i].prio = GEN_TOP_PRIO - i;
        set->u += (double)set->task[i].c_us / set->task[i].t_us;
    }
    set->run_us = def->run_periods * longest; /* exp_parse keeps this within 32 bits */
    return true;
}

uint32_t gen_heaviest_task(const struct record_set *set)
{
    uint32_t best = 0;
    for (uint32_t i = 1; i < set->ntasks; i++) {
        /* Compare C_i / T_i > C_b / T_b without rounding. */
        uint64_t lhs = (uint64_t)set->task[i].c_us * set->task[best].t_us;
        uint64_t rhs = (uint64_t)set->task[best].c_us * set->task[i].t_us;
        if (lhs > rhs) {
            best = i;
        }
    }
    return best;
}

/* Isolation base sets: drawn at isolation_u until RTA with overheads accepts one. */
static bool draw_isolation_base(struct gen_rng *rng, const struct exp_def *def,
                                const struct rta_overheads *ovh, struct record_set *set, char *err,
                                size_t errlen)
{
    for (uint32_t tries = 0; tries < GEN_MAX_ISOLATION_DRAWS; tries++) {
        if (!gen_set_draw(rng, def, def->isolation_u, set, err, errlen)) {
            return false;
        }
        rta_analyse_set(set, ovh);
        if (set->sched_rta_ovh) {
            return true;
        }
    }
    snprintf(err, errlen,
             "isolation_u = %g: none of %u sets was schedulable by RTA with overheads "
             "(lower isolation_u)",
             def->isolation_u, GEN_MAX_ISOLATION_DRAWS);
    return false;
}

bool gen_experiment(const struct exp_def *def, const struct rta_overheads *ovh,
                    struct record_set **sets, uint32_t *nsets, char *err, size_t errlen)
{
    uint32_t nrta = exp_rta_sets(def);
    uint32_t total = nrta + exp_isolation_sets(def);
    struct record_set *out = calloc(total, sizeof(*out));
    struct record_set *base = calloc(def->isolation_sets ? def->isolation_sets : 1, sizeof(*base));
    if (out == NULL || base == NULL) {
        snprintf(err, errlen, "out of memory for %u sets", total);
        free(out);
        free(base);
        return false;
    }
    struct gen_rng rng;
    gen_rng_seed(&rng, def->seed);
    uint32_t id = 0;
    bool ok = true;
    for (uint32_t k = 0; ok && k < def->npoints; k++) {
        double u = exp_point_u(def, k);
        for (uint32_t s = 0; ok && s < def->sets_per_point; s++, id++) {
            ok = gen_set_draw(&rng, def, u, &out[id], err, errlen);
            out[id].id = id;
            rta_analyse_set(&out[id], ovh);
        }
    }
    /* The same base sets at every factor, so the curves over factors differ only in the
     * overrun, not in the sets. */
    for (uint32_t b = 0; ok && def->nfactors > 0 && b < def->isolation_sets; b++) {
        ok = draw_isolation_base(&rng, def, ovh, &base[b], err, errlen);
    }
    for (uint32_t f = 0; ok && f < def->nfactors; f++) {
        for (uint32_t b = 0; b < def->isolation_sets; b++) {
            for (int enforce = 1; enforce >= 0; enforce--, id++) {
                struct record_set *set = &out[id];
                *set = base[b];
                set->id = id;
                set->kind = RECORD_ISOLATION;
                set->factor = def->overrun_factor[f];
                set->enforce = enforce;
                uint32_t heavy = gen_heaviest_task(set);
                set->overrun_task = (int32_t)heavy;
                set->task[heavy].run_pct =
                    (uint32_t)llround(RTEXP_EXACT_PCT * def->overrun_factor[f]);
            }
        }
    }
    free(base);
    if (!ok) {
        free(out);
        return false;
    }
    *sets = out;
    *nsets = total;
    return true;
}
