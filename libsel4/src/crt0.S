/* crt0.S — root-task entry point _start: gives the initial thread a stack and calls the C
 * runtime with the BootInfo pointer. */

/* On entry (ABI page §6.2): x0 = seL4_BootInfo vaddr, SP_EL0 = 0, every other GPR 0,
 * TPIDR_EL0 = 0. Sets sp, x29 and x30; x0 is passed through untouched; clobbers x9. */

/* 64 KiB stack in .bss; the loader zero-fills it and AAPCS64 wants SP 16-byte aligned. */
#define KAIROS_STACK_SIZE (64 * 1024)
#define KAIROS_STACK_ALIGN 16

    .section .text._start, "ax", %progbits
    .global _start
    .type _start, %function
_start:
    adrp    x9, kairos_stack_top
    add     x9, x9, :lo12:kairos_stack_top
    mov     sp, x9
    /* A zero frame pointer and link register end backtraces here. */
    mov     x29, xzr
    mov     x30, xzr
    bl      kairos_runtime_start
    /* kairos_runtime_start never returns; trap if it ever does. */
1:  brk     #0
    b       1b
    .size _start, . - _start

    .section .bss.kairos_stack, "aw", %nobits
    .balign KAIROS_STACK_ALIGN
kairos_stack:
    .space KAIROS_STACK_SIZE
kairos_stack_top:
    .size kairos_stack, . - kairos_stack

/* No executable stack. */
    .section .note.GNU-stack, "", %progbits
