/* seL4_DebugCapIdentify's answers: upstream's cap type tags (its structures.bf), shared by
 * the capability tests (cspace_util.h) and the fuzzer (tests/fuzz/ops.c). */
#ifndef CAP_TYPES_H
#define CAP_TYPES_H

enum {
    CAP_NULL = 0,
    CAP_FRAME = 1,
    CAP_UNTYPED = 2,
    CAP_PAGE_TABLE = 3,
    CAP_ENDPOINT = 4,
    CAP_NOTIFICATION = 6,
    CAP_REPLY = 8,
    CAP_VSPACE = 9,
    CAP_CNODE = 10,
    CAP_ASID_CONTROL = 11,
    CAP_THREAD = 12,
    CAP_ASID_POOL = 13,
    CAP_IRQ_CONTROL = 14,
    CAP_IRQ_HANDLER = 16,
    CAP_ZOMBIE = 18,
    CAP_DOMAIN = 20,
    CAP_SCHED_CONTEXT = 22,
    CAP_SCHED_CONTROL = 24,
};

#endif
