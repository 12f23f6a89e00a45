/* kairos_trace_dump: the kernel's event log out over the console, in the checksummed text
 * form of docs/tracing.md, so that it can be captured from any serial port. */
#include <kairos/trace.h>

#ifdef CONFIG_KAIROS_TRACE

#include <kairos/stdio.h>
#include <kairos/trace_codec.h>

/* "@kt " + index + " " + base64 of a line's records + " " + CRC + NUL, with room to spare. */
#define LINE_BYTES 192

_Static_assert(KAIROS_TRACE_READ_MAX % KTRACE_LINE_RECORDS == 0,
               "a read holds whole lines, so no line spans two reads");

long kairos_trace_dump(void)
{
    struct kairos_trace_status st;
    if (kairos_trace_read(0, &st) != seL4_NoError) {
        return -1;
    }
    /* A log still running grows while it prints: print what was there at the start. */
    seL4_Word total = st.records, dropped = st.dropped;
    seL4_Word hz = st.copied ? kairos_trace_records()[0].value : 0;
    printf("%s v=%d hz=%lu records=%lu dropped=%lu\n", KTRACE_STREAM_BEGIN, KTRACE_VERSION,
           (unsigned long)hz, (unsigned long)total, (unsigned long)dropped);
    uint32_t crc = 0;
    char line[LINE_BYTES];
    for (seL4_Word first = 0; first < total;) {
        if (kairos_trace_read(first, &st) != seL4_NoError || st.copied == 0) {
            return -1;
        }
        seL4_Word n = st.copied;
        if (n > total - first) {
            n = total - first;
        }
        const struct ktrace_record *r = kairos_trace_records();
        for (seL4_Word k = 0; k < n; k += KTRACE_LINE_RECORDS) {
            unsigned int m =
                n - k < KTRACE_LINE_RECORDS ? (unsigned int)(n - k) : KTRACE_LINE_RECORDS;
            if (!ktrace_encode_line(line, sizeof(line), (uint32_t)(first + k), &r[k], m)) {
                return -1;
            }
            puts(line);
            crc = ktrace_crc32(crc, &r[k], m * sizeof(r[k]));
        }
        first += n;
    }
    printf("%s records=%lu dropped=%lu crc=%08x\n", KTRACE_STREAM_END, (unsigned long)total,
           (unsigned long)dropped, crc);
    return (long)total;
}

#endif /* CONFIG_KAIROS_TRACE */
