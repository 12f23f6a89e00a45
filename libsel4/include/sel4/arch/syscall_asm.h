/* sel4/arch/syscall_asm.h — the `svc #0` primitives every AArch64 system-call stub is built
 * from, one per register pattern of ABI page §1.1. Internal to libsel4 (kairos_ prefix). */
#pragma once

#ifndef __aarch64__
#error "sel4/arch/syscall_asm.h is for AArch64 targets only"
#endif

#include <sel4/types.h>

/* The registers a system call exchanges both ways: x0 cap in / badge out, x1 MessageInfo,
 * x2..x5 MR0..MR3. x6 and x8 (reply object, second destination) are separate input-only
 * arguments of the primitives that use them. */
struct kairos_syscall_regs {
    seL4_Word cap;
    seL4_Word info;
    seL4_Word mr0, mr1, mr2, mr3;
};

/* Always inlined, so a system call never costs a function call, even from a large caller
 * where GCC would otherwise outline a copy. */
#define KAIROS_SYSCALL_INLINE static inline __attribute__((__always_inline__))

/* Register variables are bound only where they are asm operands, so each primitive loads
 * them immediately before the svc with nothing in between. Every primitive clobbers
 * "memory": the kernel reads and writes the IPC buffer (MR4+, caps, names, utilisation).
 * x0..x5 are in/out even on send-only calls so that the stubs never rely on the kernel
 * preserving argument registers it has consumed; x6, x7 and x8 are inputs only: the kernel
 * restores every register it does not define as a result. */

/* Send, NBSend: x0..x5 in, nothing defined out. */
KAIROS_SYSCALL_INLINE void kairos_sys_send(seL4_Syscall_ID sys,
                                           const struct kairos_syscall_regs *in)
{
    register seL4_Word x0 __asm__("x0") = in->cap;
    register seL4_Word x1 __asm__("x1") = in->info;
    register seL4_Word x2 __asm__("x2") = in->mr0;
    register seL4_Word x3 __asm__("x3") = in->mr1;
    register seL4_Word x4 __asm__("x4") = in->mr2;
    register seL4_Word x5 __asm__("x5") = in->mr3;
    register seL4_Word x7 __asm__("x7") = (seL4_Word)sys;

    __asm__ volatile("svc #0"
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5)
                     : "r"(x7)
                     : "memory");
}

/* Two word arguments in x0 and x1, nothing out (Signal, DebugRun, DebugSendIPI, cache flush). */
KAIROS_SYSCALL_INLINE void kairos_sys_send_null(seL4_Syscall_ID sys, seL4_Word arg0,
                                                seL4_Word arg1)
{
    register seL4_Word x0 __asm__("x0") = arg0;
    register seL4_Word x1 __asm__("x1") = arg1;
    register seL4_Word x7 __asm__("x7") = (seL4_Word)sys;

    __asm__ volatile("svc #0" : "+r"(x0), "+r"(x1) : "r"(x7) : "memory");
}

/* Recv, NBRecv, Wait, NBWait: x0 = source and x6 = reply object in; x0 = badge, x1 = info and
 * x2..x5 = MR0..MR3 out. */
KAIROS_SYSCALL_INLINE void kairos_sys_recv(seL4_Syscall_ID sys, struct kairos_syscall_regs *io,
                                          seL4_Word reply)
{
    register seL4_Word x0 __asm__("x0") = io->cap;
    register seL4_Word x1 __asm__("x1");
    register seL4_Word x2 __asm__("x2");
    register seL4_Word x3 __asm__("x3");
    register seL4_Word x4 __asm__("x4");
    register seL4_Word x5 __asm__("x5");
    register seL4_Word x6 __asm__("x6") = reply;
    register seL4_Word x7 __asm__("x7") = (seL4_Word)sys;

    __asm__ volatile("svc #0"
                     : "+r"(x0), "=r"(x1), "=r"(x2), "=r"(x3), "=r"(x4), "=r"(x5)
                     : "r"(x6), "r"(x7)
                     : "memory");
    io->cap = x0;
    io->info = x1;
    io->mr0 = x2;
    io->mr1 = x3;
    io->mr2 = x4;
    io->mr3 = x5;
}

/* Call, ReplyRecv: x0..x5 and x6 = reply object in (0 for Call); x0..x5 out. */
KAIROS_SYSCALL_INLINE void kairos_sys_send_recv(seL4_Syscall_ID sys,
                                               struct kairos_syscall_regs *io, seL4_Word reply)
{
    register seL4_Word x0 __asm__("x0") = io->cap;
    register seL4_Word x1 __asm__("x1") = io->info;
    register seL4_Word x2 __asm__("x2") = io->mr0;
    register seL4_Word x3 __asm__("x3") = io->mr1;
    register seL4_Word x4 __asm__("x4") = io->mr2;
    register seL4_Word x5 __asm__("x5") = io->mr3;
    register seL4_Word x6 __asm__("x6") = reply;
    register seL4_Word x7 __asm__("x7") = (seL4_Word)sys;

    __asm__ volatile("svc #0"
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5)
                     : "r"(x6), "r"(x7)
                     : "memory");
    io->cap = x0;
    io->info = x1;
    io->mr0 = x2;
    io->mr1 = x3;
    io->mr2 = x4;
    io->mr3 = x5;
}

/* NBSendRecv, NBSendWait: x0 = receive source, x1..x5 message, x6 and x8 as the caller
 * chooses (see the stubs); x0..x5 out. */
KAIROS_SYSCALL_INLINE void kairos_sys_nbsend_recv(seL4_Syscall_ID sys,
                                                 struct kairos_syscall_regs *io, seL4_Word x6_arg,
                                                 seL4_Word x8_arg)
{
    register seL4_Word x0 __asm__("x0") = io->cap;
    register seL4_Word x1 __asm__("x1") = io->info;
    register seL4_Word x2 __asm__("x2") = io->mr0;
    register seL4_Word x3 __asm__("x3") = io->mr1;
    register seL4_Word x4 __asm__("x4") = io->mr2;
    register seL4_Word x5 __asm__("x5") = io->mr3;
    register seL4_Word x6 __asm__("x6") = x6_arg;
    register seL4_Word x7 __asm__("x7") = (seL4_Word)sys;
    register seL4_Word x8 __asm__("x8") = x8_arg;

    __asm__ volatile("svc #0"
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5)
                     : "r"(x6), "r"(x7), "r"(x8)
                     : "memory");
    io->cap = x0;
    io->info = x1;
    io->mr0 = x2;
    io->mr1 = x3;
    io->mr2 = x4;
    io->mr3 = x5;
}

/* One word in x0, one word back in x0 (DebugPutChar, DebugCapIdentify, benchmark calls). */
KAIROS_SYSCALL_INLINE seL4_Word kairos_sys_word(seL4_Syscall_ID sys, seL4_Word arg)
{
    register seL4_Word x0 __asm__("x0") = arg;
    register seL4_Word x7 __asm__("x7") = (seL4_Word)sys;

    __asm__ volatile("svc #0" : "+r"(x0) : "r"(x7) : "memory");
    return x0;
}

/* Only the number in x7 (Yield, DebugHalt, DebugSnapshot, BenchmarkNullSyscall). */
KAIROS_SYSCALL_INLINE void kairos_sys_null(seL4_Syscall_ID sys)
{
    register seL4_Word x7 __asm__("x7") = (seL4_Word)sys;

    __asm__ volatile("svc #0" : : "r"(x7) : "memory");
}
