/* batch.c — budgets, batching and the batch image (batch.h). The image is written field by
 * field, so it is little-endian and packed exactly as the AArch64 root task reads it on any
 * host. */
#include "batch.h"

#include <stdio.h>
#include <string.h>

#define WORD_BYTES 4u
#define BYTE_BITS 8u

/* The field-by-field codec below covers every byte: no padding in the structs. */
_Static_assert(sizeof(struct rtexp_task) == 6 * WORD_BYTES, "rtexp_task is six words");
_Static_assert(sizeof(struct rtexp_set) == 4 * WORD_BYTES + RTEXP_MAX_TASKS * 6 * WORD_BYTES,
               "rtexp_set is four words and its tasks");
_Static_assert(sizeof(struct rtexp_batch) ==
                   4 * WORD_BYTES + RTEXP_MAX_SETS * sizeof(struct rtexp_set),
               "rtexp_batch is four words and its sets");

void batch_set_budgets(struct record_set *set, const struct rta_overheads *ovh)
{
    for (uint32_t i = 0; i < set->ntasks; i++) {
        struct record_task *t = &set->task[i];
        if (!set->enforce) {
            t->budget_us = t->t_us;
            continue;
        }
        uint64_t cost = rta_job_cost_ns(t->c_us, set->ntasks, ovh);
        uint64_t us = cost / RTA_NS_PER_US + (cost % RTA_NS_PER_US != 0);
        t->budget_us = us > t->t_us ? t->t_us : (uint32_t)us;
    }
}

bool batch_assign(struct record_set *sets, uint32_t nsets, uint32_t jobs, char *err, size_t errlen)
{
    uint32_t largest = nsets / jobs + (nsets % jobs != 0);
    if (largest > RTEXP_MAX_SETS) {
        uint32_t need = nsets / RTEXP_MAX_SETS + (nsets % RTEXP_MAX_SETS != 0);
        snprintf(err, errlen,
                 "%u sets in %u batch(es) is %u in a batch, more than the root task's %u: use "
                 "--jobs %u or more",
                 nsets, jobs, largest, RTEXP_MAX_SETS, need);
        return false;
    }
    for (uint32_t i = 0; i < nsets; i++) {
        sets[i].batch = i % jobs;
    }
    return true;
}

void batch_fill(struct rtexp_batch *b, const struct record_set *sets, uint32_t nsets,
                uint32_t batch)
{
    memset(b, 0, sizeof(*b));
    b->magic = RTEXP_MAGIC;
    b->version = RTEXP_VERSION;
    b->batch = batch;
    for (uint32_t i = 0; i < nsets && b->nsets < RTEXP_MAX_SETS; i++) {
        const struct record_set *r = &sets[i];
        if (r->batch != batch) {
            continue;
        }
        struct rtexp_set *s = &b->set[b->nsets++];
        s->id = r->id;
        s->ntasks = r->ntasks;
        s->run_us = r->run_us;
        s->flags = r->enforce ? RTEXP_SET_ENFORCE : 0;
        for (uint32_t t = 0; t < r->ntasks; t++) {
            s->task[t] = (struct rtexp_task){
                .c_us = r->task[t].c_us,
                .t_us = r->task[t].t_us,
                .d_us = r->task[t].d_us,
                .budget_us = r->task[t].budget_us,
                .prio = r->task[t].prio,
                .run_pct = r->task[t].run_pct,
            };
        }
    }
}

static uint8_t *put(uint8_t *p, uint32_t v)
{
    for (unsigned i = 0; i < WORD_BYTES; i++) {
        p[i] = (uint8_t)(v >> (BYTE_BITS * i));
    }
    return p + WORD_BYTES;
}

static const uint8_t *get(const uint8_t *p, uint32_t *v)
{
    *v = 0;
    for (unsigned i = 0; i < WORD_BYTES; i++) {
        *v |= (uint32_t)p[i] << (BYTE_BITS * i);
    }
    return p + WORD_BYTES;
}

void batch_encode(const struct rtexp_batch *b, uint8_t *out)
{
    uint8_t *p = out;
    p = put(p, b->magic);
    p = put(p, b->version);
    p = put(p, b->nsets);
    p = put(p, b->batch);
    for (uint32_t i = 0; i < RTEXP_MAX_SETS; i++) {
        const struct rtexp_set *s = &b->set[i];
        p = put(p, s->id);
        p = put(p, s->ntasks);
        p = put(p, s->run_us);
        p = put(p, s->flags);
        for (uint32_t t = 0; t < RTEXP_MAX_TASKS; t++) {
            const struct rtexp_task *k = &s->task[t];
            p = put(p, k->c_us);
            p = put(p, k->t_us);
            p = put(p, k->d_us);
            p = put(p, k->budget_us);
            p = put(p, k->prio);
            p = put(p, k->run_pct);
        }
    }
}

bool batch_decode(const uint8_t *in, size_t len, struct rtexp_batch *b, char *err, size_t errlen)
{
    if (len != BATCH_IMAGE_SIZE) {
        snprintf(err, errlen, "%zu bytes, not %zu", len, BATCH_IMAGE_SIZE);
        return false;
    }
    const uint8_t *p = in;
    p = get(p, &b->magic);
    p = get(p, &b->version);
    p = get(p, &b->nsets);
    p = get(p, &b->batch);
    for (uint32_t i = 0; i < RTEXP_MAX_SETS; i++) {
        struct rtexp_set *s = &b->set[i];
        p = get(p, &s->id);
        p = get(p, &s->ntasks);
        p = get(p, &s->run_us);
        p = get(p, &s->flags);
        for (uint32_t t = 0; t < RTEXP_MAX_TASKS; t++) {
            struct rtexp_task *k = &s->task[t];
            p = get(p, &k->c_us);
            p = get(p, &k->t_us);
            p = get(p, &k->d_us);
            p = get(p, &k->budget_us);
            p = get(p, &k->prio);
            p = get(p, &k->run_pct);
        }
    }
    if (b->magic != RTEXP_MAGIC || b->version != RTEXP_VERSION) {
        snprintf(err, errlen, "magic %#x version %u, not %#x version %u", b->magic, b->version,
                 RTEXP_MAGIC, RTEXP_VERSION);
        return false;
    }
    if (b->nsets > RTEXP_MAX_SETS) {
        snprintf(err, errlen, "%u sets, more than %u", b->nsets, RTEXP_MAX_SETS);
        return false;
    }
    return true;
}
