/* Thread control blocks: a thread's saved registers, state and identity. The struct sits
 * TCB_OFFSET bytes into a 2^seL4_TCBBits TCB object, after the TCB's capability slots;
 * vectors.S saves registers at the address of ctx, its first member. */
#ifndef KERNEL_TCB_H
#define KERNEL_TCB_H

#include <stdint.h>

#include "arch/aarch64/context.h"
#include "kernel/fault_types.h"

enum thread_state {
    THREAD_INACTIVE = 0,
    THREAD_RUNNING,
    THREAD_RESTART,
    THREAD_BLOCKED_ON_RECEIVE,
    THREAD_BLOCKED_ON_SEND,
    THREAD_BLOCKED_ON_REPLY,
    THREAD_BLOCKED_ON_NOTIFICATION,
    THREAD_IDLE,
};

#define TCB_NAME_LEN 32

/* Capability slots every TCB holds (the TCB's own small CNode). */
enum tcb_cnode_index {
    TCB_CTABLE = 0,      /* CSpace root */
    TCB_VTABLE,          /* VSpace root */
    TCB_BUFFER,          /* IPC buffer frame */
    TCB_FAULT_HANDLER,   /* MCS: the fault endpoint cap itself */
    TCB_TIMEOUT_HANDLER, /* MCS: the timeout endpoint cap */
    TCB_CNODE_ENTRIES,
};

/* FP/SIMD registers of a thread: v0..v31, FPSR, FPCR (fpu.S saves and loads this). */
struct fpu_state {
    __uint128_t v[32];
    uint64_t fpsr, fpcr;
} __attribute__((aligned(16)));

/* seL4_TCBFlag_fpuDisabled */
#define TCB_FLAG_FPU_DISABLED 1u
#define TCB_FLAGS_ALL TCB_FLAG_FPU_DISABLED

struct sched_context;
struct reply;
struct notification;

struct tcb {
    struct user_context ctx;
    enum thread_state state;
    uint8_t priority;
    uint8_t mcp;
    uint8_t domain;
    uint8_t queued;   /* in its priority's ready queue */
    uint8_t released; /* in the release queue, waiting for a refill */
    uint32_t flags;   /* TCB_FLAG_* */
    struct tcb *sched_next, *sched_prev;
    struct sched_context *sc;       /* bound or donated context; 0 = passive */
    struct sched_context *yield_to; /* the context a YieldTo from this thread went to */
    uint64_t ipc_buffer_vaddr;
    /* IPC: what the thread is blocked on and how (manual ch. 4–5). */
    void *blocking_object;       /* endpoint or notification */
    uint64_t blocking_badge;     /* the badge a blocked sender sends with */
    uint8_t blocking_can_grant;  /* the sender's endpoint cap had Grant */
    uint8_t blocking_can_grant_reply;
    uint8_t blocking_is_call;
    struct reply *reply;         /* receiving: the reply object offered; replying: ours */
    struct notification *bound_notification;
    struct tcb *ep_next, *ep_prev;
    struct fault fault;          /* a fault being delivered (type FAULT_NULL: none) */
    /* What vspace_thread_ttbr last gave, valid while ttbr_gen is ks_vspace_gen (vspace.h). */
    uint64_t ttbr, ttbr_gen;
    char name[TCB_NAME_LEN];
#ifdef CONFIG_KAIROS_TRACE
    uint32_t trace_epoch, trace_id; /* its id in the event log, valid in that log's epoch */
#endif
    struct fpu_state fpu;
};

#endif
