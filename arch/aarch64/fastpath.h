/* The IPC fastpath (docs/fastpath.md): seL4_Call and seL4_ReplyRecv in their common case,
 * entered from the EL0 synchronous vector with the caller's registers saved and x0..x7 still
 * live. Anything the fastpath does not handle falls through to the slow path, which then
 * decides from the saved registers exactly as if the fastpath did not exist. */
#ifndef ARCH_FASTPATH_H
#define ARCH_FASTPATH_H

#include <stdint.h>

/* Both are entered by a branch from vectors.S and never return. */
void fastpath_call(uint64_t cptr, uint64_t info) __attribute__((noreturn));
void fastpath_reply_recv(uint64_t cptr, uint64_t info, uint64_t mr0, uint64_t mr1, uint64_t mr2,
                         uint64_t mr3, uint64_t reply_cptr) __attribute__((noreturn));

/* Debug kernels: IPCs the fastpath completed since boot (the tests tell the paths apart).
 * A variable, not a function: fastpath.c is built with x19..x28 caller-saved (Makefile), so
 * nothing outside it may call into it. A kernel without the fastpath reports
 * FASTPATH_ABSENT instead. */
#define FASTPATH_ABSENT (~0ull)
extern uint64_t ks_fastpath_count;
static inline uint64_t fastpath_count(void)
{
#ifdef CONFIG_FASTPATH
    return ks_fastpath_count;
#else
    return FASTPATH_ABSENT;
#endif
}

#endif
