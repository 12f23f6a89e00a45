/* sel4/functions.h — the calling thread's IPC buffer: message registers, user data, extra
 * caps/badges and the cap receive path, reached through the thread-local __sel4_ipc_buffer. */
#pragma once

#include <sel4/types.h>

/* Thread-local, as in upstream libsel4, so each thread uses its own buffer without passing
 * it to every stub. The runtime sets TPIDR_EL0 and this pointer before main; a thread
 * created later must set both before its first system call. */
extern __thread seL4_IPCBuffer *__sel4_ipc_buffer;

LIBSEL4_INLINE_FUNC void seL4_SetIPCBuffer(seL4_IPCBuffer *ipc_buffer)
{
    __sel4_ipc_buffer = ipc_buffer;
}

LIBSEL4_INLINE_FUNC seL4_IPCBuffer *seL4_GetIPCBuffer(void)
{
    return __sel4_ipc_buffer;
}

/* MR0..MR3 read or write the buffer's staging copy; the non-WithMRs stubs move them to and
 * from x2..x5 around each system call. */
LIBSEL4_INLINE_FUNC seL4_Word seL4_GetMR(int i)
{
    return seL4_GetIPCBuffer()->msg[i];
}

LIBSEL4_INLINE_FUNC void seL4_SetMR(int i, seL4_Word mr)
{
    seL4_GetIPCBuffer()->msg[i] = mr;
}

LIBSEL4_INLINE_FUNC seL4_Word seL4_GetUserData(void)
{
    return seL4_GetIPCBuffer()->userData;
}

LIBSEL4_INLINE_FUNC void seL4_SetUserData(seL4_Word data)
{
    seL4_GetIPCBuffer()->userData = data;
}

/* After a receive: the badge of the i-th capability the kernel unwrapped. */
LIBSEL4_INLINE_FUNC seL4_Word seL4_GetBadge(int i)
{
    return seL4_GetIPCBuffer()->caps_or_badges[i];
}

LIBSEL4_INLINE_FUNC seL4_CPtr seL4_GetCap(int i)
{
    return (seL4_CPtr)seL4_GetIPCBuffer()->caps_or_badges[i];
}

/* Before a send: the cptr of the i-th extra capability (count in MessageInfo.extraCaps). */
LIBSEL4_INLINE_FUNC void seL4_SetCap(int i, seL4_CPtr cptr)
{
    seL4_GetIPCBuffer()->caps_or_badges[i] = (seL4_Word)cptr;
}

/* Where a received capability is stored: slot receiveIndex (depth receiveDepth) of the
 * CNode receiveCNode. Null pointers skip a field. */
LIBSEL4_INLINE_FUNC void seL4_GetCapReceivePath(seL4_CPtr *receiveCNode, seL4_CPtr *receiveIndex,
                                                seL4_Word *receiveDepth)
{
    seL4_IPCBuffer *buffer = seL4_GetIPCBuffer();

    if (receiveCNode != seL4_Null) {
        *receiveCNode = buffer->receiveCNode;
    }
    if (receiveIndex != seL4_Null) {
        *receiveIndex = buffer->receiveIndex;
    }
    if (receiveDepth != seL4_Null) {
        *receiveDepth = buffer->receiveDepth;
    }
}

LIBSEL4_INLINE_FUNC void seL4_SetCapReceivePath(seL4_CPtr receiveCNode, seL4_CPtr receiveIndex,
                                                seL4_Word receiveDepth)
{
    seL4_IPCBuffer *buffer = seL4_GetIPCBuffer();

    buffer->receiveCNode = receiveCNode;
    buffer->receiveIndex = receiveIndex;
    buffer->receiveDepth = receiveDepth;
}
