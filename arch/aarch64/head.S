/* Kernel entry from the loader: MMU on, running at the link address, x0..x5 = the six
 * boot values of ABI §6.1. Sets the kernel stack and exception vectors, then init_kernel.
 * Clobbers x6..x9; preserves x0..x5 for init_kernel. */
#include "arch/aarch64/vspace_layout.h"

    .section .text.start, "ax"
    .global _start
_start:
    msr     daifset, #0xf
    ldr     x6, =kernel_stack_top
    mov     sp, x6
    ldr     x6, =kernel_vectors
    msr     vbar_el1, x6
    isb
    /* .bss is NOLOAD but the loader zero-fills p_memsz; clear it anyway so a loader
     * that does not (U-Boot's bootelf, say) cannot leave garbage behind. */
    ldr     x6, =__bss_start
    ldr     x7, =__bss_end
1:  cmp     x6, x7
    b.hs    2f
    str     xzr, [x6], #8
    b       1b
2:  bl      init_kernel
3:  wfe
    b       3b

    .bss
    .balign 4096
    .global kernel_stack_top
kernel_stack:
    .space  (1 << KERNEL_STACK_BITS)
kernel_stack_top:
