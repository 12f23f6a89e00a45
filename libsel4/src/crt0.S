/* crt0.S — root-task entry point _start: gives the initial thread a stack and calls the C
 * runtime with the BootInfo pointer. */

/* On entry (ABI page §6.2): x0 = seL4_BootInfo vaddr, SP_EL0 = 0, every other GPR 0,
 * TPIDR_EL0 = 0. Sets sp, x29 and x30; x0 is passed through untouched; clobbers x9, x10. */

/* 64 KiB stack in .bss; the loader zero-fills it and AAPCS64 wants SP 16-byte aligned. */
#define KAIROS_STACK_SIZE (64 * 1024)
#define KAIROS_STACK_ALIGN 16

    .section .text._start, "ax", %progbits
    .global _start
    .type _start, %function
_start:
    /* Record whether the kernel kept its promise that every register but x0 is zero: the
     * OR of x1..x30, SP_EL0 and TPIDR_EL0 lands in kairos_entry_registers_or. */
    orr     x9, x9, x1
    .irp n,2,3,4,5,6,7,8,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
    orr     x9, x9, x\n
    .endr
    mov     x10, sp
    orr     x9, x9, x10
    mrs     x10, tpidr_el0
    orr     x9, x9, x10
    adrp    x10, kairos_entry_registers_or
    str     x9, [x10, :lo12:kairos_entry_registers_or]
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

    .section .bss.kairos_entry, "aw", %nobits
    .balign 8
    .global kairos_entry_registers_or
kairos_entry_registers_or:
    .quad   0

    .section .bss.kairos_stack, "aw", %nobits
    .balign KAIROS_STACK_ALIGN
kairos_stack:
    .space KAIROS_STACK_SIZE
kairos_stack_top:
    .size kairos_stack, . - kairos_stack

/* No executable stack. */
    .section .note.GNU-stack, "", %progbits
