/* The benchmarks' shared code; see bench.h. */
#include "bench.h"

#define COUNTER_READS 64
#define LABEL_BYTES 96
#define SC_SIZE_BITS 8
/* Helper threads' round-robin slice: far longer than any benchmark run. */
#define THREAD_SLICE_US 100000

extern char __executable_start[];

uint64_t bench_counter_cost(void)
{
    uint64_t best = UINT64_MAX;
    for (int i = 0; i < COUNTER_READS; i++) {
        uint64_t a = bench_ccnt(), c = bench_ccnt();
        best = c - a < best ? c - a : best;
    }
    return best;
}

static uint64_t isqrt(uint64_t x)
{
    uint64_t r = 0, bit = 1ull << 62;
    while (bit > x) {
        bit >>= 2;
    }
    while (bit) {
        if (x >= r + bit) {
            x -= r + bit;
            r = (r >> 1) + bit;
        } else {
            r >>= 1;
        }
        bit >>= 2;
    }
    return r;
}

static void sort(uint64_t *v, unsigned int n)
{
    for (unsigned int i = 1; i < n; i++) {
        uint64_t x = v[i];
        unsigned int j = i;
        for (; j > 0 && v[j - 1] > x; j--) {
            v[j] = v[j - 1];
        }
        v[j] = x;
    }
}

void bench_report(const struct bench_row *w, uint64_t *samples)
{
    bench_report_n(w, samples, BENCH_SAMPLES);
}

void bench_report_n(const struct bench_row *w, uint64_t *samples, unsigned int n)
{
    sort(samples, n);
    uint64_t sum = 0;
    for (unsigned int i = 0; i < n; i++) {
        sum += samples[i];
    }
    uint64_t mean = sum / n, var = 0;
    for (unsigned int i = 0; i < n; i++) {
        int64_t d = (int64_t)samples[i] - (int64_t)mean;
        var += (uint64_t)(d * d);
    }
    /* "label": the row in a few words, for the family's chart (tools/bench-latency.gp). */
    char label[LABEL_BYTES];
    int at = snprintf(label, sizeof(label), "%s / %s", w->function, w->direction);
    if (w->length && at > 0 && (unsigned int)at < sizeof(label)) {
        at += snprintf(label + at, sizeof(label) - (unsigned int)at, " / %u words", w->length);
    }
    if (w->pages && at > 0 && (unsigned int)at < sizeof(label)) {
        at += snprintf(label + at, sizeof(label) - (unsigned int)at, " / %u pages", w->pages);
    }
    if (!w->same_vspace && at > 0 && (unsigned int)at < sizeof(label)) {
        at += snprintf(label + at, sizeof(label) - (unsigned int)at, " / other VSpace");
    }
    if (w->fpu && at > 0 && (unsigned int)at < sizeof(label)) {
        (void)snprintf(label + at, sizeof(label) - (unsigned int)at, " / FPU switched");
    }
    printf("{\"bench\":\"%s\",\"kind\":\"result\",\"kernel\":\"kairos\",\"label\":\"%s\","
           "\"Function\":\"%s\",\"Direction\":\"%s\",\"Client Prio\":%d,\"Server Prio\":%d,"
           "\"Same vspace?\":%s,\"FPU\":%s,\"IPC length\":%u,",
           w->bench, label, w->function, w->direction, w->client_prio, w->server_prio,
           w->same_vspace ? "true" : "false", w->fpu ? "true" : "false", w->length);
    if (w->pages) {
        printf("\"Pages\":%u,", w->pages);
    }
    printf("\"Min\":%lu,\"Max\":%lu,\"Median\":%lu,\"Mean\":%lu,\"Stddev\":%lu,\"Samples\":%u}\n",
           (unsigned long)samples[0], (unsigned long)samples[n - 1], (unsigned long)samples[n / 2],
           (unsigned long)mean, (unsigned long)isqrt(var / n), n);
}

int bench_end(const char *bench, int err, uint64_t overhead)
{
    printf("{\"bench\":\"%s\",\"kind\":\"end\",\"error\":%d,\"counter_overhead\":%lu}\n", bench,
           err, (unsigned long)overhead);
    return err ? 1 : 0;
}

seL4_CPtr bench_slots(unsigned int n)
{
    static seL4_CPtr next;
    if (!next) {
        next = seL4_GetBootInfo()->empty.start;
    }
    seL4_CPtr first = next;
    next += n;
    return first;
}

seL4_CPtr bench_slot(void)
{
    return bench_slots(1);
}

seL4_CPtr bench_untyped(unsigned int bits)
{
    const seL4_BootInfo *bi = seL4_GetBootInfo();
    seL4_CPtr best = seL4_CapNull;
    unsigned int best_bits = 0;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        const seL4_UntypedDesc *d = &bi->untypedList[i];
        if (!d->isDevice && d->sizeBits >= bits && d->sizeBits > best_bits) {
            best = bi->untyped.start + i;
            best_bits = d->sizeBits;
        }
    }
    if (!best) {
        printf("bench: no RAM untyped of 2^%u bytes\n", bits);
    }
    return best;
}

seL4_CPtr bench_object(seL4_CPtr untyped, seL4_Word type, seL4_Word size_bits)
{
    seL4_CPtr slot = bench_slot();
    int err = seL4_Untyped_Retype(untyped, type, size_bits, seL4_CapInitThreadCNode, 0, 0, slot, 1);
    if (err) {
        printf("bench: retype of type %lu failed: error %d\n", (unsigned long)type, err);
        return 0;
    }
    return slot;
}

seL4_CPtr bench_image_frame(const void *vaddr)
{
    return seL4_GetBootInfo()->userImageFrames.start +
           ((seL4_Word)vaddr - (seL4_Word)__executable_start) / BENCH_PAGE_BYTES;
}

static int start(seL4_CPtr t, void (*entry)(void), void *stack_top)
{
    seL4_UserContext regs = {0};
    regs.pc = (seL4_Word)entry;
    regs.sp = (seL4_Word)stack_top;
    return seL4_TCB_WriteRegisters(t, 1, 0, sizeof(regs) / sizeof(seL4_Word), &regs);
}

seL4_CPtr bench_thread(void (*entry)(void), void *stack_top, seL4_IPCBuffer *buffer, int prio,
                       seL4_CPtr *sc)
{
    const seL4_BootInfo *bi = seL4_GetBootInfo();
    seL4_CPtr ut = bench_untyped(16);
    seL4_CPtr t = ut ? bench_object(ut, seL4_TCBObject, 0) : 0;
    *sc = t ? bench_object(ut, seL4_SchedContextObject, SC_SIZE_BITS) : 0;
    if (!*sc) {
        return 0;
    }
    int err = seL4_TCB_Configure(t, seL4_CapInitThreadCNode, 0, seL4_CapInitThreadVSpace, 0,
                                 (seL4_Word)buffer, bench_image_frame(buffer));
    if (!err) {
        err = seL4_SchedControl_ConfigureFlags(bi->schedcontrol.start, *sc, THREAD_SLICE_US,
                                               THREAD_SLICE_US, 0, 0, seL4_SchedContext_NoFlag);
    }
    if (!err) {
        err = seL4_TCB_SetSchedParams(t, seL4_CapInitThreadTCB, (seL4_Word)prio, (seL4_Word)prio,
                                      *sc, seL4_CapNull);
    }
    if (!err) {
        err = start(t, entry, stack_top);
    }
    if (err) {
        printf("bench: thread set-up failed: error %d\n", err);
        return 0;
    }
    return t;
}

int bench_restart(seL4_CPtr t, int prio, void (*entry)(void), void *stack_top)
{
    BENCH_TRY(seL4_TCB_Suspend(t));
    BENCH_TRY(seL4_TCB_SetPriority(t, seL4_CapInitThreadTCB, (seL4_Word)prio));
    return start(t, entry, stack_top);
}

int bench_fpu(seL4_CPtr t, bool on)
{
    return seL4_TCB_SetFlags(t, seL4_TCBFlag_fpuDisabled, on ? 0 : seL4_TCBFlag_fpuDisabled).error;
}

/* A frame copy mapped at vaddr in vspace, with the page tables it needs from ut. */
static int map_copy(seL4_CPtr ut, seL4_CPtr vspace, seL4_CPtr frame, seL4_Word vaddr)
{
    seL4_CPtr copy = bench_slot();
    BENCH_TRY(seL4_CNode_Copy(seL4_CapInitThreadCNode, copy, seL4_WordBits, seL4_CapInitThreadCNode,
                              frame, seL4_WordBits, seL4_AllRights));
    for (int level = 0; level <= BENCH_PT_LEVELS; level++) {
        int err =
            seL4_ARM_Page_Map(copy, vspace, vaddr, seL4_AllRights, seL4_ARM_Default_VMAttributes);
        if (err != seL4_FailedLookup) {
            return err;
        }
        /* A missing table: one more level, then try again. */
        seL4_CPtr pt = bench_object(ut, seL4_ARM_PageTableObject, 0);
        if (!pt) {
            return seL4_NotEnoughMemory;
        }
        BENCH_TRY(seL4_ARM_PageTable_Map(pt, vspace, vaddr, seL4_ARM_Default_VMAttributes));
    }
    return seL4_FailedLookup;
}

seL4_CPtr bench_vspace(void)
{
    const seL4_BootInfo *bi = seL4_GetBootInfo();
    seL4_CPtr ut = bench_untyped(16);
    seL4_CPtr vspace = ut ? bench_object(ut, seL4_ARM_VSpaceObject, 0) : 0;
    int err = vspace ? seL4_ARM_ASIDPool_Assign(seL4_CapInitThreadASIDPool, vspace)
                     : seL4_NotEnoughMemory;
    seL4_CPtr frame = bi->userImageFrames.start;
    for (; !err && frame < bi->userImageFrames.end; frame++) {
        seL4_Word vaddr =
            (seL4_Word)__executable_start + (frame - bi->userImageFrames.start) * BENCH_PAGE_BYTES;
        err = map_copy(ut, vspace, frame, vaddr);
    }
    if (err) {
        printf("bench: second VSpace set-up failed: error %d\n", err);
        return 0;
    }
    return vspace;
}

int bench_set_vspace(seL4_CPtr t, seL4_CPtr vspace)
{
    return seL4_TCB_SetSpace(t, seL4_CapNull, seL4_CapInitThreadCNode, 0, vspace, 0);
}
