/* Saved user context of a thread: the register order of ABI §4.3 (x0..x30, SP_EL0,
 * ELR_EL1, SPSR_EL1, FaultIP, TPIDR_EL0, TPIDRRO_EL0). vectors.S stores into it directly
 * and C code indexes it with the names below. */
#ifndef ARCH_CONTEXT_H
#define ARCH_CONTEXT_H

#define CTX_X0 0
#define CTX_LR 30
#define CTX_SP_EL0 31
#define CTX_ELR 32
#define CTX_SPSR 33
#define CTX_FAULT_IP 34
#define CTX_TPIDR_EL0 35
#define CTX_TPIDRRO_EL0 36
#define CTX_WORDS 37
/* Rounded up so the next context starts 16-byte aligned (SP alignment checking). */
#define CTX_SIZE_BYTES 304

#define CTX_OFF(i) ((i) * 8)

#ifndef __ASSEMBLER__
#include <stdint.h>

struct user_context {
    uint64_t regs[CTX_SIZE_BYTES / 8];
} __attribute__((aligned(16)));

_Static_assert(sizeof(struct user_context) == CTX_SIZE_BYTES, "context size");
_Static_assert(CTX_WORDS * 8 <= CTX_SIZE_BYTES, "context fits");

/* Leaves the kernel into the thread whose context this is. */
void restore_user_context(struct user_context *ctx) __attribute__((noreturn));
void idle_loop(void);
#endif

#endif
