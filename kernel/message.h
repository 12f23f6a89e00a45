/* Message registers: MR0..MR3 travel in x2..x5, the rest in the thread's IPC buffer
 * (ABI §1.1, §5), which the kernel reaches through the frame cap in the TCB. */
#ifndef KERNEL_MESSAGE_H
#define KERNEL_MESSAGE_H

#include <sel4/ipcbuffer.h>
#include <stdbool.h>
#include <stdint.h>

#include "kernel/tcb.h"

#define MSG_REGISTERS_IN_CPU 4
#define MSG_FIRST_CPU_REGISTER 2 /* x2 */
#define REG_CAP 0                /* x0: cptr in, badge out */
#define REG_MSG_INFO 1           /* x1 */
#define REG_SYSCALL 7            /* x7 */

/* seL4_MessageInfo (ABI §1.2): label 63..12, capsUnwrapped 11..9, extraCaps 8..7,
 * length 6..0. */
#define MSGINFO_LABEL_SHIFT 12
#define MSGINFO_UNWRAPPED_SHIFT 9
#define MSGINFO_UNWRAPPED_MASK 7u
#define MSGINFO_EXTRA_SHIFT 7
#define MSGINFO_EXTRA_MASK 3u
#define MSGINFO_LENGTH_MASK 0x7fu

static inline uint64_t msginfo_make(uint64_t label, unsigned int unwrapped, unsigned int extra,
                                    unsigned int length)
{
    return (label << MSGINFO_LABEL_SHIFT) |
           ((uint64_t)(unwrapped & MSGINFO_UNWRAPPED_MASK) << MSGINFO_UNWRAPPED_SHIFT) |
           ((uint64_t)(extra & MSGINFO_EXTRA_MASK) << MSGINFO_EXTRA_SHIFT) |
           (length & MSGINFO_LENGTH_MASK);
}
static inline uint64_t msginfo_label(uint64_t info) { return info >> MSGINFO_LABEL_SHIFT; }
static inline unsigned int msginfo_extra_caps(uint64_t info)
{
    return (unsigned int)(info >> MSGINFO_EXTRA_SHIFT) & MSGINFO_EXTRA_MASK;
}
static inline unsigned int msginfo_length(uint64_t info)
{
    return (unsigned int)info & MSGINFO_LENGTH_MASK;
}

/* The thread's IPC buffer as the kernel sees it, or 0 if it has none usable: no frame cap,
 * a device frame, or (for a receiver, which the kernel writes) a read-only one. */
seL4_IPCBuffer *message_ipc_buffer(struct tcb *t, bool receiver);
uint64_t message_get_mr(const struct tcb *t, const seL4_IPCBuffer *buf, unsigned int i);
/* Returns false when register i has nowhere to go (beyond x5 without a buffer). */
bool message_set_mr(struct tcb *t, seL4_IPCBuffer *buf, unsigned int i, uint64_t v);

#endif
