/* sel4/arch/debug_syscalls.h — the debugging system calls of a debug kernel (manual §10.2.3)
 * for AArch64, declared only where the kernel has them, as upstream: the printing calls
 * with CONFIG_PRINTING, the others with CONFIG_DEBUG_BUILD (sel4/config.h). */
#pragma once

#ifndef __aarch64__
#error "sel4/arch/debug_syscalls.h is for AArch64 targets only"
#endif

#include <sel4/types.h>
#include <sel4/functions.h>
#include <sel4/arch/syscall_asm.h>

/* Bytes of the IPC buffer's msg area that can carry a thread name, terminating NUL included. */
#define SEL4_DEBUG_NAME_MAX_BYTES (seL4_MsgMaxLength * sizeof(seL4_Word))

#ifdef CONFIG_PRINTING
LIBSEL4_INLINE_FUNC void seL4_DebugPutChar(char c)
{
    (void)kairos_sys_word(seL4_SysDebugPutChar, (seL4_Word)(unsigned char)c);
}

LIBSEL4_INLINE_FUNC void seL4_DebugPutString(const char *str)
{
    for (const char *s = str; *s != '\0'; s++) {
        seL4_DebugPutChar(*s);
    }
}

LIBSEL4_INLINE_FUNC void seL4_DebugDumpScheduler(void)
{
    (void)kairos_sys_word(seL4_SysDebugDumpScheduler, 0);
}
#endif /* CONFIG_PRINTING */

#ifdef CONFIG_DEBUG_BUILD
/* The kernel stops answering system calls and idles; does not return in practice. */
LIBSEL4_INLINE_FUNC void seL4_DebugHalt(void)
{
    kairos_sys_null(seL4_SysDebugHalt);
}

/* Prints the caller's CSpace, one line per capability (upstream: a capDL dump). */
LIBSEL4_INLINE_FUNC void seL4_DebugSnapshot(void)
{
    kairos_sys_null(seL4_SysDebugSnapshot);
}

/* Returns the kernel's internal cap type tag of the slot (0 = null cap). */
LIBSEL4_INLINE_FUNC seL4_Uint32 seL4_DebugCapIdentify(seL4_CPtr cap)
{
    return (seL4_Uint32)kairos_sys_word(seL4_SysDebugCapIdentify, cap);
}

/* The name travels as a NUL-terminated string in the IPC buffer's msg area, truncated to
 * fit it; the kernel may truncate it further to fit the TCB. */
LIBSEL4_INLINE_FUNC void seL4_DebugNameThread(seL4_CPtr tcb, const char *name)
{
    char *dst = (char *)seL4_GetIPCBuffer()->msg;
    seL4_Word i = 0;

    for (; i + 1 < SEL4_DEBUG_NAME_MAX_BYTES && name[i] != '\0'; i++) {
        dst[i] = name[i];
    }
    dst[i] = '\0';
    (void)kairos_sys_word(seL4_SysDebugNameThread, tcb);
}

#endif /* CONFIG_DEBUG_BUILD */

#if defined(CONFIG_DEBUG_BUILD) && defined(CONFIG_ENABLE_SMP_SUPPORT)
/* Sends SGI `irq` (0..15) to core `target`: multiprocessor kernels only. */
LIBSEL4_INLINE_FUNC void seL4_DebugSendIPI(seL4_Uint8 target, unsigned irq)
{
    kairos_sys_send_null(seL4_SysDebugSendIPI, target, irq);
}
#endif

#ifdef CONFIG_DANGEROUS_CODE_INJECTION
/* Runs userfn(userarg) in kernel mode. */
LIBSEL4_INLINE_FUNC void seL4_DebugRun(void (*userfn)(void *), void *userarg)
{
    kairos_sys_send_null(seL4_SysDebugRun, (seL4_Word)userfn, (seL4_Word)userarg);
}
#endif
