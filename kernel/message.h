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

/* The thread's IPC buffer as the kernel sees it, or 0 if it has none usable: no frame cap,
 * a device frame, or (for a receiver, which the kernel writes) a read-only one. */
seL4_IPCBuffer *message_ipc_buffer(struct tcb *t, bool receiver);
uint64_t message_get_mr(const struct tcb *t, const seL4_IPCBuffer *buf, unsigned int i);
/* Returns false when register i has nowhere to go (beyond x5 without a buffer). */
bool message_set_mr(struct tcb *t, seL4_IPCBuffer *buf, unsigned int i, uint64_t v);

#endif
