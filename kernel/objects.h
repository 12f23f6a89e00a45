/* Kernel objects as they sit in retyped memory, and the object sizes of ABI §2.2. Objects
 * the later subsystems bring to life (endpoints, notifications, replies, scheduling
 * contexts) reserve their full ABI size here; their fields arrive with those subsystems. */
#ifndef KERNEL_OBJECTS_H
#define KERNEL_OBJECTS_H

#include <sel4/constants.h>
#include <sel4/objecttype.h>
#include <stdbool.h>
#include <stdint.h>

#include "kernel/cap.h"
#include "kernel/tcb.h"

/* Endpoint: a queue of senders or of receivers (manual §4.2). The tail pointer shares its
 * word with the state: TCBs are 16-byte aligned, so its low bits are free. */
enum ep_state { EP_IDLE = 0, EP_SEND = 1, EP_RECV = 2 };
#define EP_STATE_MASK 3ull
struct endpoint {
    uint64_t tail_state;
    struct tcb *head;
};

/* Notification: a word of badge bits and a queue of waiters (manual ch. 5). */
enum ntfn_state { NTFN_IDLE = 0, NTFN_WAITING = 1, NTFN_ACTIVE = 2 };
struct notification {
    struct tcb *head, *tail;
    uint64_t state;
    uint64_t badge;                  /* the ORed badges of pending signals */
    struct tcb *bound_tcb;
    struct sched_context *sc;        /* lent to a passive waiter */
    uint64_t reserved[2];
};

/* Reply object (MCS): the caller it answers and its place in a donation call stack.
 * next_is_sc: `next` is the scheduling context (this reply heads the stack). */
struct reply {
    struct tcb *tcb;
    struct reply *prev;
    void *next;
    uint64_t next_is_sc;
};

_Static_assert(sizeof(struct endpoint) == 1ul << seL4_EndpointBits, "endpoint size");
_Static_assert(sizeof(struct notification) == 1ul << seL4_NotificationBits, "notification size");
_Static_assert(sizeof(struct reply) == 1ul << seL4_ReplyBits, "reply size");

/* A TCB object: its capability slots first (what a TCB zombie clears), the thread after. */
#define TCB_OFFSET 256
_Static_assert(TCB_CNODE_ENTRIES * sizeof(cte_t) <= TCB_OFFSET, "TCB slots fit before the TCB");
_Static_assert(TCB_OFFSET + sizeof(struct tcb) <= (1ul << seL4_TCBBits), "TCB fits its object");

static inline struct tcb *tcb_from_object(void *obj) { return (struct tcb *)((char *)obj + TCB_OFFSET); }
static inline cte_t *tcb_slots(struct tcb *t) { return (cte_t *)((char *)t - TCB_OFFSET); }
static inline cte_t *tcb_slot(struct tcb *t, enum tcb_cnode_index i) { return tcb_slots(t) + i; }
static inline struct tcb *cap_thread_tcb(cap_t c) { return tcb_from_object(cap_ptr(c)); }

/* log2 size in bytes of an object of `type` with the user's size_bits argument; 0 for an
 * unknown type. Variable-size types take user_bits as given (manual Table 2.1). */
unsigned int object_size_bits(uint64_t type, uint64_t user_bits);
bool object_type_is_frame(uint64_t type);
uint64_t tcb_initial_spsr(void);
/* Creates the object (memory already zero, see untyped.c) and returns its capability. */
cap_t object_create(uint64_t type, uint64_t paddr, uint64_t user_bits, bool device);

#endif
