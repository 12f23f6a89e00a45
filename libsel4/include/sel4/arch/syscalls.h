/* sel4/arch/syscalls.h — the seL4 MCS system calls for AArch64 (manual §10.2.2), as static
 * inline stubs over the svc primitives, following the register convention of ABI page §1.1. */
#pragma once

#ifndef __aarch64__
#error "sel4/arch/syscalls.h is for AArch64 targets only"
#endif

#include <sel4/types.h>
#include <sel4/functions.h>
#include <sel4/arch/syscall_asm.h>

/* The plain stubs move MR0..MR3 between the IPC buffer's msg[0..3] and x2..x5, so callers
 * can use seL4_SetMR/seL4_GetMR for every register. The WithMRs stubs take them from and
 * give them back through pointers instead and never touch msg[0..3]. */

KAIROS_SYSCALL_INLINE void kairos_mrs_from_buffer(struct kairos_syscall_regs *regs)
{
    regs->mr0 = seL4_GetMR(0);
    regs->mr1 = seL4_GetMR(1);
    regs->mr2 = seL4_GetMR(2);
    regs->mr3 = seL4_GetMR(3);
}

KAIROS_SYSCALL_INLINE void kairos_mrs_to_buffer(const struct kairos_syscall_regs *regs)
{
    seL4_SetMR(0, regs->mr0);
    seL4_SetMR(1, regs->mr1);
    seL4_SetMR(2, regs->mr2);
    seL4_SetMR(3, regs->mr3);
}

/* Only the registers the message length covers are read; the others are sent as 0. */
KAIROS_SYSCALL_INLINE seL4_Word kairos_mr_arg(const seL4_Word *arg, seL4_MessageInfo_t info,
                                              int index)
{
    return (arg != seL4_Null && seL4_MessageInfo_get_length(info) > (seL4_Uint64)index) ? *arg : 0;
}

KAIROS_SYSCALL_INLINE void kairos_mrs_from_args(struct kairos_syscall_regs *regs,
                                               seL4_MessageInfo_t info, const seL4_Word *mr0,
                                               const seL4_Word *mr1, const seL4_Word *mr2,
                                               const seL4_Word *mr3)
{
    regs->mr0 = kairos_mr_arg(mr0, info, 0);
    regs->mr1 = kairos_mr_arg(mr1, info, 1);
    regs->mr2 = kairos_mr_arg(mr2, info, 2);
    regs->mr3 = kairos_mr_arg(mr3, info, 3);
}

KAIROS_SYSCALL_INLINE void kairos_mrs_to_args(const struct kairos_syscall_regs *regs,
                                             seL4_Word *mr0, seL4_Word *mr1, seL4_Word *mr2,
                                             seL4_Word *mr3)
{
    if (mr0 != seL4_Null) {
        *mr0 = regs->mr0;
    }
    if (mr1 != seL4_Null) {
        *mr1 = regs->mr1;
    }
    if (mr2 != seL4_Null) {
        *mr2 = regs->mr2;
    }
    if (mr3 != seL4_Null) {
        *mr3 = regs->mr3;
    }
}

/* The received MessageInfo, with the badge stored through `sender` when it is not null. */
KAIROS_SYSCALL_INLINE seL4_MessageInfo_t kairos_received(const struct kairos_syscall_regs *regs,
                                                        seL4_Word *sender)
{
    seL4_MessageInfo_t info = {{regs->info}};

    if (sender != seL4_Null) {
        *sender = regs->cap;
    }
    return info;
}

/* ---- Send, NBSend, Signal ------------------------------------------------------------- */

LIBSEL4_INLINE_FUNC void seL4_Send(seL4_CPtr dest, seL4_MessageInfo_t msgInfo)
{
    struct kairos_syscall_regs regs = {.cap = dest, .info = msgInfo.words[0]};

    kairos_mrs_from_buffer(&regs);
    kairos_sys_send(seL4_SysSend, &regs);
}

LIBSEL4_INLINE_FUNC void seL4_SendWithMRs(seL4_CPtr dest, seL4_MessageInfo_t msgInfo,
                                          seL4_Word *mr0, seL4_Word *mr1, seL4_Word *mr2,
                                          seL4_Word *mr3)
{
    struct kairos_syscall_regs regs = {.cap = dest, .info = msgInfo.words[0]};

    kairos_mrs_from_args(&regs, msgInfo, mr0, mr1, mr2, mr3);
    kairos_sys_send(seL4_SysSend, &regs);
}

LIBSEL4_INLINE_FUNC void seL4_NBSend(seL4_CPtr dest, seL4_MessageInfo_t msgInfo)
{
    struct kairos_syscall_regs regs = {.cap = dest, .info = msgInfo.words[0]};

    kairos_mrs_from_buffer(&regs);
    kairos_sys_send(seL4_SysNBSend, &regs);
}

LIBSEL4_INLINE_FUNC void seL4_NBSendWithMRs(seL4_CPtr dest, seL4_MessageInfo_t msgInfo,
                                            seL4_Word *mr0, seL4_Word *mr1, seL4_Word *mr2,
                                            seL4_Word *mr3)
{
    struct kairos_syscall_regs regs = {.cap = dest, .info = msgInfo.words[0]};

    kairos_mrs_from_args(&regs, msgInfo, mr0, mr1, mr2, mr3);
    kairos_sys_send(seL4_SysNBSend, &regs);
}

/* Not a kernel system call: a Send of an empty message, which signals a notification. */
LIBSEL4_INLINE_FUNC void seL4_Signal(seL4_CPtr dest)
{
    kairos_sys_send_null(seL4_SysSend, dest, seL4_MessageInfo_new(0, 0, 0, 0).words[0]);
}

/* ---- Recv, NBRecv, Wait, NBWait, Poll -------------------------------------------------- */

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_Recv(seL4_CPtr src, seL4_Word *sender,
                                                 seL4_CPtr reply)
{
    struct kairos_syscall_regs regs = {.cap = src};

    kairos_sys_recv(seL4_SysRecv, &regs, reply);
    kairos_mrs_to_buffer(&regs);
    return kairos_received(&regs, sender);
}

/* Argument order as upstream's ARM libsel4: the reply cptr comes before the MR pointers. */
LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_RecvWithMRs(seL4_CPtr src, seL4_Word *sender,
                                                        seL4_CPtr reply, seL4_Word *mr0,
                                                        seL4_Word *mr1, seL4_Word *mr2,
                                                        seL4_Word *mr3)
{
    struct kairos_syscall_regs regs = {.cap = src};

    kairos_sys_recv(seL4_SysRecv, &regs, reply);
    kairos_mrs_to_args(&regs, mr0, mr1, mr2, mr3);
    return kairos_received(&regs, sender);
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_NBRecv(seL4_CPtr src, seL4_Word *sender,
                                                   seL4_CPtr reply)
{
    struct kairos_syscall_regs regs = {.cap = src};

    kairos_sys_recv(seL4_SysNBRecv, &regs, reply);
    kairos_mrs_to_buffer(&regs);
    return kairos_received(&regs, sender);
}

/* Wait needs no reply object, so x6 is 0. */
LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_Wait(seL4_CPtr src, seL4_Word *sender)
{
    struct kairos_syscall_regs regs = {.cap = src};

    kairos_sys_recv(seL4_SysWait, &regs, seL4_CapNull);
    kairos_mrs_to_buffer(&regs);
    return kairos_received(&regs, sender);
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_WaitWithMRs(seL4_CPtr src, seL4_Word *sender,
                                                        seL4_Word *mr0, seL4_Word *mr1,
                                                        seL4_Word *mr2, seL4_Word *mr3)
{
    struct kairos_syscall_regs regs = {.cap = src};

    kairos_sys_recv(seL4_SysWait, &regs, seL4_CapNull);
    kairos_mrs_to_args(&regs, mr0, mr1, mr2, mr3);
    return kairos_received(&regs, sender);
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_NBWait(seL4_CPtr src, seL4_Word *sender)
{
    struct kairos_syscall_regs regs = {.cap = src};

    kairos_sys_recv(seL4_SysNBWait, &regs, seL4_CapNull);
    kairos_mrs_to_buffer(&regs);
    return kairos_received(&regs, sender);
}

/* Not a kernel system call: a non-blocking wait, for polling a notification. */
LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_Poll(seL4_CPtr src, seL4_Word *sender)
{
    return seL4_NBWait(src, sender);
}

/* ---- Call ---------------------------------------------------------------------------- */

/* Call makes its own one-shot reply, so x6 is 0; the badge register is not reported. */
LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_Call(seL4_CPtr dest, seL4_MessageInfo_t msgInfo)
{
    struct kairos_syscall_regs regs = {.cap = dest, .info = msgInfo.words[0]};

    kairos_mrs_from_buffer(&regs);
    kairos_sys_send_recv(seL4_SysCall, &regs, seL4_CapNull);
    kairos_mrs_to_buffer(&regs);
    return kairos_received(&regs, seL4_Null);
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_CallWithMRs(seL4_CPtr dest, seL4_MessageInfo_t msgInfo,
                                                        seL4_Word *mr0, seL4_Word *mr1,
                                                        seL4_Word *mr2, seL4_Word *mr3)
{
    struct kairos_syscall_regs regs = {.cap = dest, .info = msgInfo.words[0]};

    kairos_mrs_from_args(&regs, msgInfo, mr0, mr1, mr2, mr3);
    kairos_sys_send_recv(seL4_SysCall, &regs, seL4_CapNull);
    kairos_mrs_to_args(&regs, mr0, mr1, mr2, mr3);
    return kairos_received(&regs, seL4_Null);
}

/* ---- ReplyRecv ----------------------------------------------------------------------- */

/* Replies through `reply`, then receives on `src` with `reply` holding the new caller. */
LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_ReplyRecv(seL4_CPtr src, seL4_MessageInfo_t msgInfo,
                                                      seL4_Word *sender, seL4_CPtr reply)
{
    struct kairos_syscall_regs regs = {.cap = src, .info = msgInfo.words[0]};

    kairos_mrs_from_buffer(&regs);
    kairos_sys_send_recv(seL4_SysReplyRecv, &regs, reply);
    kairos_mrs_to_buffer(&regs);
    return kairos_received(&regs, sender);
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_ReplyRecvWithMRs(seL4_CPtr src,
                                                             seL4_MessageInfo_t msgInfo,
                                                             seL4_Word *sender, seL4_Word *mr0,
                                                             seL4_Word *mr1, seL4_Word *mr2,
                                                             seL4_Word *mr3, seL4_CPtr reply)
{
    struct kairos_syscall_regs regs = {.cap = src, .info = msgInfo.words[0]};

    kairos_mrs_from_args(&regs, msgInfo, mr0, mr1, mr2, mr3);
    kairos_sys_send_recv(seL4_SysReplyRecv, &regs, reply);
    kairos_mrs_to_args(&regs, mr0, mr1, mr2, mr3);
    return kairos_received(&regs, sender);
}

/* ---- NBSendRecv, NBSendWait ---------------------------------------------------------- */

/* x0 = receive source, x8 = send destination, x6 = reply object. */
LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_NBSendRecv(seL4_CPtr dest, seL4_MessageInfo_t msgInfo,
                                                       seL4_CPtr src, seL4_Word *sender,
                                                       seL4_CPtr reply)
{
    struct kairos_syscall_regs regs = {.cap = src, .info = msgInfo.words[0]};

    kairos_mrs_from_buffer(&regs);
    kairos_sys_nbsend_recv(seL4_SysNBSendRecv, &regs, reply, dest);
    kairos_mrs_to_buffer(&regs);
    return kairos_received(&regs, sender);
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_NBSendRecvWithMRs(seL4_CPtr dest,
                                                              seL4_MessageInfo_t msgInfo,
                                                              seL4_CPtr src, seL4_Word *sender,
                                                              seL4_Word *mr0, seL4_Word *mr1,
                                                              seL4_Word *mr2, seL4_Word *mr3,
                                                              seL4_CPtr reply)
{
    struct kairos_syscall_regs regs = {.cap = src, .info = msgInfo.words[0]};

    kairos_mrs_from_args(&regs, msgInfo, mr0, mr1, mr2, mr3);
    kairos_sys_nbsend_recv(seL4_SysNBSendRecv, &regs, reply, dest);
    kairos_mrs_to_args(&regs, mr0, mr1, mr2, mr3);
    return kairos_received(&regs, sender);
}

/* A Wait has no reply object, and upstream libsel4 and kernel use the reply register for
 * the send destination here: x6 = dest, x8 = 0, x0 = receive source. */
LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_NBSendWait(seL4_CPtr dest, seL4_MessageInfo_t msgInfo,
                                                       seL4_CPtr src, seL4_Word *sender)
{
    struct kairos_syscall_regs regs = {.cap = src, .info = msgInfo.words[0]};

    kairos_mrs_from_buffer(&regs);
    kairos_sys_nbsend_recv(seL4_SysNBSendWait, &regs, dest, seL4_CapNull);
    kairos_mrs_to_buffer(&regs);
    return kairos_received(&regs, sender);
}

LIBSEL4_INLINE_FUNC seL4_MessageInfo_t seL4_NBSendWaitWithMRs(seL4_CPtr dest,
                                                              seL4_MessageInfo_t msgInfo,
                                                              seL4_CPtr src, seL4_Word *sender,
                                                              seL4_Word *mr0, seL4_Word *mr1,
                                                              seL4_Word *mr2, seL4_Word *mr3)
{
    struct kairos_syscall_regs regs = {.cap = src, .info = msgInfo.words[0]};

    kairos_mrs_from_args(&regs, msgInfo, mr0, mr1, mr2, mr3);
    kairos_sys_nbsend_recv(seL4_SysNBSendWait, &regs, dest, seL4_CapNull);
    kairos_mrs_to_args(&regs, mr0, mr1, mr2, mr3);
    return kairos_received(&regs, sender);
}

/* ---- Yield --------------------------------------------------------------------------- */

LIBSEL4_INLINE_FUNC void seL4_Yield(void)
{
    kairos_sys_null(seL4_SysYield);
}
