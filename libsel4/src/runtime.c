/* runtime.c — the C half of the root-task entry: TLS, IPC-buffer pointer and BootInfo set-up,
 * then main, whose return value becomes QEMU's exit status through kairos_debug_exit (where
 * the kernel has it). */
#include <kairos/debug.h>
#include <kairos/runtime.h>
#include <kairos/stdio.h>
#include <sel4/sel4.h>

#include "tls.h"

/* Weak, so a missing main is reported at run time instead of as a link error. */
extern int main(void) __attribute__((__weak__));

/* Everything that touches thread-local variables lives here, in a function that cannot be
 * inlined into kairos_runtime_start: GCC treats the thread pointer as constant within a
 * function and could read TPIDR_EL0 before kairos_tls_init_initial_thread has set it. */
static __attribute__((__noinline__)) int run_main(seL4_BootInfo *bi)
{
    seL4_SetIPCBuffer(bi->ipcBuffer);
    seL4_InitBootInfo(bi);

    if (main == NULL) {
        printf("kairos runtime: the program has no main()\n");
        return KAIROS_EXIT_RUNTIME_FAILURE;
    }
    return main();
}

/* Where the kernel has the exit calls, the status ends QEMU; elsewhere (a release kernel)
 * the root task has nothing to report it to and stops, as upstream root tasks do. */
static LIBSEL4_NORETURN void finish(seL4_Word status)
{
#ifdef CONFIG_KAIROS_EXIT_CALLS
    kairos_debug_exit(status);
#else
    (void)status;
    for (;;) {
        (void)seL4_TCB_Suspend(seL4_CapInitThreadTCB);
    }
#endif
}

void kairos_runtime_start(seL4_BootInfo *bi)
{
    if (bi == seL4_Null) {
        printf("kairos runtime: started without a BootInfo pointer in x0\n");
        finish(KAIROS_EXIT_RUNTIME_FAILURE);
    }
    if (!kairos_tls_init_initial_thread()) {
        finish(KAIROS_EXIT_RUNTIME_FAILURE);
    }
    finish((seL4_Word)run_main(bi));
}
