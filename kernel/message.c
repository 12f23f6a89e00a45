/* Message registers; see message.h. */
#include "kernel/message.h"

#include <sel4/constants.h>

#include "kernel/cap.h"
#include "kernel/objects.h"

seL4_IPCBuffer *message_ipc_buffer(struct tcb *t, bool receiver)
{
    cap_t c = tcb_slot(t, TCB_BUFFER)->cap;
    if (cap_get_type(c) != cap_frame_cap || cap_frame_is_device(c)) {
        return 0;
    }
    enum vm_rights r = cap_frame_rights(c);
    if (!(r == VM_READ_WRITE || (!receiver && r == VM_READ_ONLY))) {
        return 0;
    }
    uint64_t offset = t->ipc_buffer_vaddr & ((1ull << cap_frame_bits(c)) - 1);
    return (seL4_IPCBuffer *)ptr_from_paddr(cap_paddr(c) + offset);
}

uint64_t message_get_mr(const struct tcb *t, const seL4_IPCBuffer *buf, unsigned int i)
{
    if (i < MSG_REGISTERS_IN_CPU) {
        return t->ctx.regs[MSG_FIRST_CPU_REGISTER + i];
    }
    return (buf && i < seL4_MsgMaxLength) ? buf->msg[i] : 0;
}

bool message_set_mr(struct tcb *t, seL4_IPCBuffer *buf, unsigned int i, uint64_t v)
{
    if (i < MSG_REGISTERS_IN_CPU) {
        t->ctx.regs[MSG_FIRST_CPU_REGISTER + i] = v;
        return true;
    }
    if (!buf || i >= seL4_MsgMaxLength) {
        return false;
    }
    buf->msg[i] = v;
    return true;
}
