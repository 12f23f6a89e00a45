/* Page mapping cost (`make bench`, docs/benchmarks.md): for N = 1 to 2048 pages, the
 * instructions to map N 4 KiB frames (seL4_ARM_Page_Map, read-write) at consecutive
 * addresses, to protect them (Page_Map again, read-only: seL4's remap), and to unmap them
 * (Page_Unmap), the page tables being in place already. One row per operation and N, the
 * whole batch per sample ("Pages": N). */
#include "../lib/bench.h"

#define MAX_PAGES 2048
#define RETYPE_FAN_OUT 256
#define FRAMES_BITS 23 /* 2048 frames of 4 KiB */
#define REGION 0x10000000ul
#define TABLE_SPAN (1ul << 21) /* what one last-level table maps */
#define VM_WARMUP 1
#define VM_SAMPLES 8
#define MAX_TABLE_TRIES 4 /* a level per try: the root's three below it, and the page */

static const unsigned int batches[] = {1, 4, 16, 64, 256, 1024, MAX_PAGES};
#define NUM_BATCHES (sizeof(batches) / sizeof(batches[0]))

static seL4_CPtr frames, untyped;
static uint64_t map_s[VM_SAMPLES], protect_s[VM_SAMPLES], unmap_s[VM_SAMPLES];

static seL4_Error map(unsigned int i, seL4_CapRights_t rights)
{
    return seL4_ARM_Page_Map(frames + i, seL4_CapInitThreadVSpace, REGION + i * BENCH_PAGE_BYTES,
                             rights, seL4_ARM_Default_VMAttributes);
}

/* Page tables for the whole region: map a frame at each table's first page, adding tables
 * while the map reports one missing, then unmap it again. */
static int tables(void)
{
    for (unsigned int i = 0; i < MAX_PAGES; i += TABLE_SPAN / BENCH_PAGE_BYTES) {
        seL4_Error err = map(i, seL4_ReadWrite);
        for (int tries = 0; err == seL4_FailedLookup && tries < MAX_TABLE_TRIES; tries++) {
            seL4_CPtr pt = bench_object(untyped, seL4_ARM_PageTableObject, 0);
            if (!pt) {
                return seL4_NotEnoughMemory;
            }
            BENCH_TRY(seL4_ARM_PageTable_Map(pt, seL4_CapInitThreadVSpace,
                                             REGION + i * BENCH_PAGE_BYTES,
                                             seL4_ARM_Default_VMAttributes));
            err = map(i, seL4_ReadWrite);
        }
        BENCH_TRY(err);
        BENCH_TRY(seL4_ARM_Page_Unmap(frames + i));
    }
    return seL4_NoError;
}

static int batch(unsigned int n, unsigned int s)
{
    uint64_t t0 = bench_ccnt();
    for (unsigned int i = 0; i < n; i++) {
        BENCH_TRY(map(i, seL4_ReadWrite));
    }
    uint64_t t1 = bench_ccnt();
    for (unsigned int i = 0; i < n; i++) {
        BENCH_TRY(map(i, seL4_CanRead));
    }
    uint64_t t2 = bench_ccnt();
    for (unsigned int i = 0; i < n; i++) {
        BENCH_TRY(seL4_ARM_Page_Unmap(frames + i));
    }
    uint64_t t3 = bench_ccnt();
    if (s >= VM_WARMUP) {
        map_s[s - VM_WARMUP] = t1 - t0;
        protect_s[s - VM_WARMUP] = t2 - t1;
        unmap_s[s - VM_WARMUP] = t3 - t2;
    }
    return seL4_NoError;
}

static int rows(void)
{
    BENCH_TRY(tables());
    for (unsigned int k = 0; k < NUM_BATCHES; k++) {
        for (unsigned int s = 0; s < VM_WARMUP + VM_SAMPLES; s++) {
            BENCH_TRY(batch(batches[k], s));
        }
        static const char *const names[] = {"seL4_ARM_Page_Map", "seL4_ARM_Page_Map (protect)",
                                            "seL4_ARM_Page_Unmap"};
        uint64_t *const results[] = {map_s, protect_s, unmap_s};
        for (unsigned int op = 0; op < 3; op++) {
            struct bench_row row = {"vm", names[op], "batch", 0, 0, 0, true, false, batches[k]};
            bench_report_n(&row, results[op], VM_SAMPLES);
        }
    }
    return seL4_NoError;
}

int main(void)
{
    untyped = bench_untyped(FRAMES_BITS + 1);
    frames = bench_slots(MAX_PAGES);
    int err = untyped ? seL4_NoError : seL4_NotEnoughMemory;
    /* In batches: a retype makes at most RETYPE_FAN_OUT objects (upstream's limit). */
    for (unsigned int i = 0; !err && i < MAX_PAGES; i += RETYPE_FAN_OUT) {
        err = seL4_Untyped_Retype(untyped, seL4_ARM_SmallPageObject, 0, seL4_CapInitThreadCNode,
                                  0, 0, frames + i, RETYPE_FAN_OUT);
    }
    if (!err) {
        err = rows();
    }
    return bench_end("vm", err, 0);
}
