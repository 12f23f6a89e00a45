/* Thread control blocks: a thread's saved registers, state and identity. The struct sits
 * at the start of a 2^seL4_TCBBits TCB object; vectors.S relies on ctx being first. */
#ifndef KERNEL_TCB_H
#define KERNEL_TCB_H

#include <stdint.h>

#include "arch/aarch64/context.h"

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

struct tcb {
    struct user_context ctx;
    enum thread_state state;
    uint8_t priority;
    uint8_t mcp;
    uint8_t domain;
    uint64_t ipc_buffer_vaddr;
    /* TTBR0 value of the thread's VSpace: table address and ASID. */
    uint64_t vspace_ttbr;
    char name[TCB_NAME_LEN];
};

#endif
