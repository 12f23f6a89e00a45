/* System calls: the debug calls (printing and debug builds), Yield, and the unknown-syscall fault
 * for any number the kernel does not implement. */
#include "kernel/syscall.h"

#include <sel4/syscall.h>

#include "arch/aarch64/cpu.h"
#include "kernel/console.h"
#include "kernel/fault.h"
#include "kernel/thread.h"

#ifdef CONFIG_DEBUG_BUILD
static void __attribute__((noreturn)) debug_halt(void)
{
    kprintf("kairos: seL4_DebugHalt: halting\n");
    machine_poweroff(0);
}
#endif

void syscall_handle(struct tcb *t, int64_t number)
{
    uint64_t *r = t->ctx.regs;
    switch (number) {
    case seL4_SysYield:
        /* One thread, nothing to yield to; the MCS meaning arrives with the scheduler. */
        return;
#ifdef CONFIG_PRINTING
    case seL4_SysDebugPutChar:
        console_user_putc((char)r[CTX_X0]);
        return;
    case KAIROS_SYS_DEBUG_EXIT:
        kprintf("kairos: exit requested with status %ld\n", (int64_t)r[CTX_X0]);
        machine_poweroff((int)r[CTX_X0]);
    case KAIROS_SYS_DEBUG_EXIT_WHEN_IDLE:
        thread_exit_when_idle((int)r[CTX_X0]);
        return;
#endif
#ifdef CONFIG_DEBUG_BUILD
    case seL4_SysDebugHalt:
        debug_halt();
#endif
    default: {
        struct fault f = {.type = FAULT_UNKNOWN_SYSCALL, .addr = (uint64_t)number};
        fault_raise(t, &f);
        return;
    }
    }
}
