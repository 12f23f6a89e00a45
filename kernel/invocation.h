/* Invoking a capability (seL4_Call/Send/NBSend on a kernel object): the decoded message,
 * the error a decoder reports (manual §10.1, ABI §2.3) and the reply the caller gets. */
#ifndef KERNEL_INVOCATION_H
#define KERNEL_INVOCATION_H

#include <sel4/errors.h>
#include <sel4/ipcbuffer.h>
#include <stdbool.h>
#include <stdint.h>

#include "kernel/cap.h"
#include "kernel/cspace.h"
#include "kernel/tcb.h"

enum exception {
    EXCEPTION_NONE = 0,
    EXCEPTION_SYSCALL_ERROR,
    EXCEPTION_FAULT,
    EXCEPTION_PREEMPTED,
};

struct syscall_error {
    seL4_Error type;
    uint64_t invalid_argument;
    uint64_t invalid_cap;
    uint64_t range_min, range_max;
    uint64_t memory_left;
    bool failed_lookup_was_source;
    struct lookup_fault lookup;
};

/* The error the current decoder reports; only meaningful with EXCEPTION_SYSCALL_ERROR. */
extern struct syscall_error ks_syscall_error;

#define MAX_EXTRA_CAPS 3

struct invocation {
    struct tcb *thread;
    uint64_t label;
    unsigned int length; /* message registers actually available */
    uint64_t cptr;
    cte_t *slot;
    cap_t cap;
    cte_t *extra[MAX_EXTRA_CAPS]; /* slots named in caps_or_badges, 0 if not sent */
    unsigned int extra_count;
    /* The caller's IPC buffer (0 if it has none), looked up on first need: buffer_known. */
    seL4_IPCBuffer *buffer;
    bool buffer_known;
    bool is_call;
    bool is_blocking;
    bool can_donate;
};

/* Message register i of the invocation (x2..x5, then the IPC buffer). */
uint64_t inv_arg(const struct invocation *inv, unsigned int i);

/* Error helpers for decoders: set ks_syscall_error, return EXCEPTION_SYSCALL_ERROR. */
enum exception inv_error(seL4_Error type);
enum exception inv_invalid_argument(uint64_t index);
enum exception inv_invalid_cap(uint64_t index);
enum exception inv_range_error(uint64_t min, uint64_t max);
enum exception inv_failed_lookup(bool source, const struct lookup_fault *f);
enum exception inv_not_enough_memory(uint64_t left);

/* Upstream lookupTargetSlot: the destination slot of a method that creates a cap, at
 * (root, index, depth). Root not a CNode -> FailedLookup (InvalidRoot); depth outside
 * 1..64 -> RangeError(1, 64); a failed translation -> FailedLookup. The slot may be full. */
enum exception inv_lookup_target_slot(cap_t root, uint64_t index, uint64_t depth, cte_t **slot);

/* Called between a method's decode_x and its invoke_x, once every check has passed: the
 * caller's call completes (empty success reply) unless the invoke leaves other results or
 * is preempted and restarted. */
void inv_begin_perform(struct invocation *inv);
/* An invocation that returns values: MR i of the reply. */
void inv_reply_mr(struct invocation *inv, unsigned int i, uint64_t value);
void inv_reply(struct invocation *inv, unsigned int length);

/* The system-call side: seL4_Call (is_call), seL4_Send (blocking) and seL4_NBSend, and
 * the send phases of ReplyRecv, NBSendRecv and NBSendWait (can_donate: a message to a
 * passive receiver takes the sender's context along). cptr: the invoked cap; slot: where
 * the caller already found it (cspace_lookup_one_level), or NULL to look it up here. */
enum exception invocation_handle(struct tcb *t, uint64_t cptr, cte_t *slot, bool is_call,
                                 bool is_blocking, bool can_donate);

#endif
