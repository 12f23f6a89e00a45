/* Exception vectors and the user entry/exit paths.
 *
 * While a thread runs, SP_EL1 points at its struct user_context, so an exception from
 * EL0 (or from the idle loop at EL1h) stores the registers straight into it, then moves
 * to the kernel stack. The kernel runs with interrupts masked; only the idle loop runs
 * with them open. Entries clobber every register (they are saved); exits restore all.
 * Saving uses only x16 and x17 as scratch, so x0..x7 still hold the system call's
 * arguments when the IPC fastpath (fastpath.c) is entered. */
#include "arch/aarch64/context.h"

#define VECTOR_EL1T_SYNC 0
#define VECTOR_EL1T_IRQ 1
#define VECTOR_EL1T_FIQ 2
#define VECTOR_EL1T_SERROR 3
#define VECTOR_EL1H_SYNC 4
#define VECTOR_EL1H_FIQ 6
#define VECTOR_EL1H_SERROR 7
#define VECTOR_EL0_FIQ 10
#define VECTOR_EL0_SERROR 11
#define VECTOR_AARCH32 12
#define KFRAME_SIZE 256
/* ESR_EL1.EC of an svc from AArch64, and the two system calls the fastpath takes
 * (sysreg.h, sel4/syscall.h: seL4_SysCall -1, seL4_SysReplyRecv -2). */
#define ESR_EC_SHIFT 26
#define ESR_EC_BITS 6
#define AARCH64_INSN_BYTES 4
#define ESR_EC_SVC64 0x15
#define SYS_CALL (-1)
#define SYS_REPLY_RECV (-2)
#define KFRAME_SP 248

.macro save_user_context
    stp     x0, x1, [sp, #CTX_OFF(0)]
    stp     x2, x3, [sp, #CTX_OFF(2)]
    stp     x4, x5, [sp, #CTX_OFF(4)]
    stp     x6, x7, [sp, #CTX_OFF(6)]
    stp     x8, x9, [sp, #CTX_OFF(8)]
    stp     x10, x11, [sp, #CTX_OFF(10)]
    stp     x12, x13, [sp, #CTX_OFF(12)]
    stp     x14, x15, [sp, #CTX_OFF(14)]
    stp     x16, x17, [sp, #CTX_OFF(16)]
    stp     x18, x19, [sp, #CTX_OFF(18)]
    stp     x20, x21, [sp, #CTX_OFF(20)]
    stp     x22, x23, [sp, #CTX_OFF(22)]
    stp     x24, x25, [sp, #CTX_OFF(24)]
    stp     x26, x27, [sp, #CTX_OFF(26)]
    stp     x28, x29, [sp, #CTX_OFF(28)]
    mrs     x16, sp_el0
    stp     x30, x16, [sp, #CTX_OFF(CTX_LR)]
    mrs     x16, elr_el1
    mrs     x17, spsr_el1
    stp     x16, x17, [sp, #CTX_OFF(CTX_ELR)]
    /* FaultIP as for a system call: where a restarted call executes its svc again. Other
     * entries replace it (traps.c). */
    sub     x16, x16, #AARCH64_INSN_BYTES
    mrs     x17, tpidr_el0
    stp     x16, x17, [sp, #CTX_OFF(CTX_FAULT_IP)]
    ldr     x16, =kernel_stack_top
    mov     sp, x16
.endm

/* Kernel-mode exceptions are bugs: keep every register for the report. */
.macro kernel_fault id
    sub     sp, sp, #KFRAME_SIZE
    stp     x0, x1, [sp, #0]
    mov     x0, #\id
    b       kernel_fault_common
.endm

.macro vector target
    .balign 0x80
    b       \target
.endm

/* A Call reaches the fastpath without leaving the vector slot (31 of its 32 instructions). */
.macro el0_sync_vector
    .balign 0x80
9:
    save_user_context
#ifdef CONFIG_FASTPATH
    mrs     x16, esr_el1
    ubfx    x16, x16, #ESR_EC_SHIFT, #ESR_EC_BITS
    cmp     x16, #ESR_EC_SVC64
    ccmn    x7, #-SYS_CALL, #0, eq     /* Z: an svc, and x7 is seL4_SysCall */
    b.eq    fastpath_call
#endif
    b       el0_sync_more
    .if (. - 9b) > 0x80
    .error "the EL0 synchronous vector overflows its slot"
    .endif
.endm

    .section .text.vectors, "ax"
    .balign 0x800
    .global kernel_vectors
kernel_vectors:
    vector  el1t_sync
    vector  el1t_irq
    vector  el1t_fiq
    vector  el1t_serror
    vector  el1h_sync
    vector  irq_entry               /* only the idle loop runs with IRQs open */
    vector  el1h_fiq
    vector  el1h_serror
    el0_sync_vector
    vector  irq_entry
    vector  el0_fiq
    vector  el0_serror
    vector  aarch32
    vector  aarch32
    vector  aarch32
    vector  aarch32

el1t_sync:   kernel_fault VECTOR_EL1T_SYNC
el1t_irq:    kernel_fault VECTOR_EL1T_IRQ
el1t_fiq:    kernel_fault VECTOR_EL1T_FIQ
el1t_serror: kernel_fault VECTOR_EL1T_SERROR
el1h_sync:   kernel_fault VECTOR_EL1H_SYNC
el1h_fiq:    kernel_fault VECTOR_EL1H_FIQ
el1h_serror: kernel_fault VECTOR_EL1H_SERROR
el0_fiq:     kernel_fault VECTOR_EL0_FIQ
el0_serror:  kernel_fault VECTOR_EL0_SERROR
aarch32:     kernel_fault VECTOR_AARCH32

kernel_fault_common:
    stp     x2, x3, [sp, #16]
    stp     x4, x5, [sp, #32]
    stp     x6, x7, [sp, #48]
    stp     x8, x9, [sp, #64]
    stp     x10, x11, [sp, #80]
    stp     x12, x13, [sp, #96]
    stp     x14, x15, [sp, #112]
    stp     x16, x17, [sp, #128]
    stp     x18, x19, [sp, #144]
    stp     x20, x21, [sp, #160]
    stp     x22, x23, [sp, #176]
    stp     x24, x25, [sp, #192]
    stp     x26, x27, [sp, #208]
    stp     x28, x29, [sp, #224]
    add     x1, sp, #KFRAME_SIZE
    stp     x30, x1, [sp, #240]
    mov     x1, sp
    bl      kernel_exception        /* does not return */
1:  wfe
    b       1b

el0_sync_more:
#ifdef CONFIG_FASTPATH
    cmp     x16, #ESR_EC_SVC64
    ccmn    x7, #-SYS_REPLY_RECV, #0, eq
    b.eq    fastpath_reply_recv
#endif
    mrs     x0, esr_el1
    mrs     x1, far_el1
    bl      c_handle_sync_el0       /* does not return */
    b       .

irq_entry:
    save_user_context
    bl      c_handle_irq            /* does not return */
    b       .

/* void restore_user_context(struct user_context *ctx) */
    .text
    .global restore_user_context
restore_user_context:
    mov     sp, x0
    ldp     x0, x1, [sp, #CTX_OFF(CTX_ELR)]
    msr     elr_el1, x0
    msr     spsr_el1, x1
    ldr     x0, [sp, #CTX_OFF(CTX_SP_EL0)]
    msr     sp_el0, x0
    ldp     x0, x1, [sp, #CTX_OFF(CTX_TPIDR_EL0)]
    msr     tpidr_el0, x0
    msr     tpidrro_el0, x1
    ldp     x2, x3, [sp, #CTX_OFF(2)]
    ldp     x4, x5, [sp, #CTX_OFF(4)]
    ldp     x6, x7, [sp, #CTX_OFF(6)]
    ldp     x8, x9, [sp, #CTX_OFF(8)]
    ldp     x10, x11, [sp, #CTX_OFF(10)]
    ldp     x12, x13, [sp, #CTX_OFF(12)]
    ldp     x14, x15, [sp, #CTX_OFF(14)]
    ldp     x16, x17, [sp, #CTX_OFF(16)]
    ldp     x18, x19, [sp, #CTX_OFF(18)]
    ldp     x20, x21, [sp, #CTX_OFF(20)]
    ldp     x22, x23, [sp, #CTX_OFF(22)]
    ldp     x24, x25, [sp, #CTX_OFF(24)]
    ldp     x26, x27, [sp, #CTX_OFF(26)]
    ldp     x28, x29, [sp, #CTX_OFF(28)]
    ldr     x30, [sp, #CTX_OFF(CTX_LR)]
    ldp     x0, x1, [sp, #CTX_OFF(0)]
    eret

/* The idle thread: runs at EL1h with IRQs open and SP_EL1 at its context. */
    .global idle_loop
idle_loop:
    wfi
    b       idle_loop
