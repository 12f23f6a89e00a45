/* The event log's cost per record (`make bench`; docs/benchmarks.md). Under -icount shift=0
 * a nanosecond of virtual time is one instruction, so the time a loop of system calls takes
 * is its instruction count. Each kairos_trace_mark writes one record; a null system call
 * the same way in and out writes none. The difference per call is what one record costs:
 * the hook's check, the thread and context ids, the timestamp and the stores. Both loops
 * also run with the log stopped, which shows what the hooks cost when nothing is logged.
 * A mark's own path (the call to the log) is the same with the log stopped, so a record
 * costs (mark on - mark stopped) - (null on - null stopped).
 * One JSON object per line:
 *   {"bench":"trace","kind":"cost",...}  the figures
 *   {"bench":"trace","kind":"end",...}   the last line; QEMU exits with status 0 if it ran */
#include <kairos/counter.h>
#include <kairos/stdio.h>
#include <kairos/trace.h>
#include <sel4/sel4.h>

/* Fewer than the buffer holds, so every mark is written. */
#define ITERATIONS 50000u
#define NS_PER_S 1000000000ull
/* The log frame comes from the first RAM untyped that holds it. */
#define MIN_UNTYPED_BITS (seL4_LargePageBits + 1)
#define MILLI 1000u

/* Virtual nanoseconds per call, in thousandths (instructions per call under icount). */
static uint64_t per_call_milli_ns(uint64_t ticks)
{
    return ticks * NS_PER_S / kairos_counter_frequency() * MILLI / ITERATIONS;
}

static uint64_t time_null(void)
{
    uint64_t t0 = kairos_counter_now();
    for (unsigned int i = 0; i < ITERATIONS; i++) {
        seL4_BenchmarkNullSyscall();
    }
    return per_call_milli_ns(kairos_counter_now() - t0);
}

static uint64_t time_mark(void)
{
    uint64_t t0 = kairos_counter_now();
    for (unsigned int i = 0; i < ITERATIONS; i++) {
        kairos_trace_mark(i);
    }
    return per_call_milli_ns(kairos_counter_now() - t0);
}

static seL4_CPtr log_frame(void)
{
    const seL4_BootInfo *bi = seL4_GetBootInfo();
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        const seL4_UntypedDesc *u = &bi->untypedList[i];
        if (!u->isDevice && u->sizeBits >= MIN_UNTYPED_BITS &&
            seL4_Untyped_Retype(bi->untyped.start + i, seL4_ARM_LargePageObject, 0,
                                seL4_CapInitThreadCNode, 0, 0, bi->empty.start,
                                1) == seL4_NoError) {
            return bi->empty.start;
        }
    }
    return seL4_CapNull;
}

static void put_milli(const char *key, uint64_t v)
{
    printf(",\"%s\":%lu.%03lu", key, (unsigned long)(v / MILLI), (unsigned long)(v % MILLI));
}

int main(void)
{
    seL4_CPtr frame = log_frame();
    int err = frame ? seL4_BenchmarkSetLogBuffer(frame) : seL4_NotEnoughMemory;
    if (err != seL4_NoError) {
        printf("{\"bench\":\"trace\",\"kind\":\"end\",\"error\":%d}\n", err);
        return 1;
    }
    /* Warm up, then the log stopped, then running. */
    (void)time_null();
    uint64_t null_off = time_null(), mark_off = time_mark();
    (void)kairos_trace_start();
    uint64_t null_on = time_null(), mark_on = time_mark();
    struct kairos_trace_status st = {0};
    (void)kairos_trace_stop(&st);
    uint64_t records = st.records + st.dropped;
    printf("{\"bench\":\"trace\",\"kind\":\"cost\",\"iterations\":%u,\"records\":%lu,"
           "\"dropped\":%lu",
           ITERATIONS, (unsigned long)records, (unsigned long)st.dropped);
    put_milli("null_off_insns", null_off);
    put_milli("mark_off_insns", mark_off);
    put_milli("null_on_insns", null_on);
    put_milli("mark_on_insns", mark_on);
    uint64_t idle = null_on > null_off ? null_on - null_off : 0;
    uint64_t mark = mark_on > mark_off ? mark_on - mark_off : 0;
    put_milli("per_record_insns", mark > idle ? mark - idle : 0);
    put_milli("hooks_on_insns", idle);
    printf("}\n{\"bench\":\"trace\",\"kind\":\"end\",\"error\":0}\n");
    return 0;
}
