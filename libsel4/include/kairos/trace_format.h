/* kairos/trace_format.h — the kernel event log's record layout and event codes, shared by
 * the kernel (which writes records), root tasks (which stream them out) and the host
 * converter (which reads them back). Host-compilable; see docs/tracing.md. */
#pragma once

#include <stdint.h>

/* Bumped whenever a record's layout or an event's meaning changes. */
#define KTRACE_VERSION 1

/* One event: 32 bytes, little-endian, written in order into the log buffer. */
struct ktrace_record {
    uint64_t time;  /* generic-timer ticks (CNTVCT) when the event happened */
    uint16_t event; /* KTRACE_EV_* */
    uint16_t arg;   /* a small event-specific argument (a state, a fault type, a domain) */
    uint32_t tcb;   /* the thread the event concerns: its log id, 0 = none or idle */
    uint32_t sc;    /* the scheduling context it concerns: its log id, 0 = none */
    uint32_t aux;   /* a second event-specific value */
    uint64_t value; /* the event's value */
};

#define KTRACE_RECORD_BYTES 32
_Static_assert(sizeof(struct ktrace_record) == KTRACE_RECORD_BYTES, "ktrace record size");

/* The buffer is one 2 MiB frame (seL4_BenchmarkSetLogBuffer's large page). */
#define KTRACE_BUFFER_BYTES (2u * 1024u * 1024u)
#define KTRACE_CAPACITY (KTRACE_BUFFER_BYTES / KTRACE_RECORD_BYTES)

/* Ids are given in order of first mention after each start, from 1; a thread or context
 * keeps its id until logging is started again. */
enum ktrace_event {
    /* The first record of every log. value = timer frequency in Hz, arg = KTRACE_VERSION. */
    KTRACE_EV_START = 1,
    /* A thread's description, emitted before the first record that mentions it (and again
     * after it is renamed or reprioritised): tcb, sc = its bound or donated context,
     * aux = its priority, arg = chunk index 0..3, value = 8 bytes of its name, NUL-padded
     * (chunk 0 is always emitted, the others only while the name lasts). */
    KTRACE_EV_THREAD = 2,
    /* A context's description, emitted before the first record that mentions it (and again
     * after SchedControl configures it): sc, aux = budget in µs, value = period in µs,
     * arg = 1 for a sporadic context, 0 for constant bandwidth. */
    KTRACE_EV_SC = 3,
    /* The CPU switched to a thread: tcb (0 = idle), sc = the context it runs on,
     * arg = the current domain, value = ticks left in the context's head refill, aux = ticks
     * since the kernel entry that switched began (the kernel bills the previous context up
     * to then, the new one from then). */
    KTRACE_EV_SWITCH = 4,
    /* A thread stopped being runnable: arg = KTRACE_BLOCK_*, value = the kernel address of
     * the endpoint or notification it waits on (0 when none). */
    KTRACE_EV_BLOCK = 5,
    /* A thread became runnable: arg = the KTRACE_BLOCK_* it left, aux = the id of the
     * running thread that caused it (0 = the kernel, an interrupt or the timer). */
    KTRACE_EV_UNBLOCK = 6,
    /* The running context's budget ran out: tcb, sc, value = ticks charged. */
    KTRACE_EV_EXHAUSTED = 7,
    /* A thread waits in the release queue for its context's next refill:
     * value = the release time in ticks. */
    KTRACE_EV_POSTPONE = 8,
    /* A thread's refill came back and it left the release queue: value = the refill's
     * release time in ticks (the record's time is when the kernel saw it), aux = ticks of
     * budget in the head refill. */
    KTRACE_EV_RELEASE = 9,
    /* A timeout fault was raised: tcb, sc, value = µs consumed (as reported to the handler),
     * aux = low 32 bits of the context's badge. */
    KTRACE_EV_TIMEOUT = 10,
    /* Any other fault was raised: arg = the seL4 fault type (seL4_Fault_*),
     * value = the faulting address or instruction. */
    KTRACE_EV_FAULT = 11,
    /* An interrupt was taken: aux = the interrupt line, tcb = the thread it interrupted. */
    KTRACE_EV_IRQ = 12,
    /* A context was lent along a call or a notification: tcb = the receiver, sc,
     * aux = the id of the thread it came from (0 = a notification). */
    KTRACE_EV_DONATE = 13,
    /* A lent context went back: tcb = the thread it returned to, sc, aux = the id of the
     * thread it came from. */
    KTRACE_EV_RETURN = 14,
    /* The domain schedule moved on: arg = the new domain, value = when it ends (ticks). */
    KTRACE_EV_DOMAIN = 15,
    /* kairos_trace_mark: tcb = the caller, value = the caller's value. */
    KTRACE_EV_MARK = 16,
    KTRACE_EV_COUNT
};

/* KTRACE_EV_BLOCK's and KTRACE_EV_UNBLOCK's arg: what the thread waits on. */
enum ktrace_block {
    KTRACE_BLOCK_RECEIVE = 1,      /* on an endpoint, receiving */
    KTRACE_BLOCK_SEND = 2,         /* on an endpoint, sending */
    KTRACE_BLOCK_REPLY = 3,        /* for a reply */
    KTRACE_BLOCK_NOTIFICATION = 4, /* on a notification */
    KTRACE_BLOCK_INACTIVE = 5,     /* suspended, or not started */
};

/* The console stream (docs/tracing.md): `@ktrace begin ...`, then lines of
 * KTRACE_LINE_RECORDS records, base64 with a CRC-32 each, then `@ktrace end ...`. */
#define KTRACE_LINE_RECORDS 3
#define KTRACE_STREAM_BEGIN "@ktrace begin"
#define KTRACE_STREAM_LINE "@kt"
#define KTRACE_STREAM_END "@ktrace end"
