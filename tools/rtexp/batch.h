/* batch.h — the batch files the root task runs (struct rtexp_batch in bench/rtexp/taskset.h):
 * each set's scheduling-context budgets, the round-robin split of an experiment into batches,
 * and the exact little-endian image of a batch that objcopy puts into RTEXP_SECTION. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "record.h"
#include "rta.h"
#include "taskset.h"

/* The image is the struct itself, so its size is the struct's: 16 + 640 x 400 bytes. */
#define BATCH_IMAGE_SIZE sizeof(struct rtexp_batch)

/* Budgets for every task of set: for an enforced set ceil(C' / 1 us), C' being the task's
 * nominal C plus overheads (rta_job_cost_ns), and never above the period (the kernel refuses
 * a budget above the period, and such a task is unschedulable anyway); an overrunning task
 * keeps the budget of its nominal C, which is the point of the isolation experiment. For a
 * set without enforcement every budget is the period. */
void batch_set_budgets(struct record_set *set, const struct rta_overheads *ovh);

/* Deals sets[i] into batch i mod jobs. false, with err, when a batch would hold more than
 * RTEXP_MAX_SETS sets. */
bool batch_assign(struct record_set *sets, uint32_t nsets, uint32_t jobs, char *err, size_t errlen);

/* Fills b with the sets of batch number `batch`, in id order. */
void batch_fill(struct rtexp_batch *b, const struct record_set *sets, uint32_t nsets,
                uint32_t batch);

/* The image of b: BATCH_IMAGE_SIZE bytes into out, every field little-endian. */
void batch_encode(const struct rtexp_batch *b, uint8_t *out);

/* The inverse: false, with err, on a wrong size, magic, version or count. */
bool batch_decode(const uint8_t *in, size_t len, struct rtexp_batch *b, char *err, size_t errlen);
