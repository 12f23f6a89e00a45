/* Loader entry: runs at its physical link address with the MMU off, at EL3, EL2 or EL1.
 * At EL3 (QEMU's raspi3b starts every core there) parks all cores but the first and drops
 * to EL2; drops from EL2 to EL1, sets a stack, clears .bss and calls loader_main(x0 = DTB
 * or 0, x1 = the entry level). Loaded anywhere but its link address, it says so on the
 * console and stops. Clobbers every register; expects nothing but x0 (U-Boot's DTB
 * pointer, or 0). */

#define CURRENTEL_EL3 (3 << 2)
#define CURRENTEL_EL2 (2 << 2)
#define CURRENTEL_EL1 (1 << 2)
/* SCR_EL3: lower levels non-secure, EL2 AArch64 with hvc, smc undefined (no firmware is
 * left at EL3 to answer it), bits 4 and 5 RES1. */
#define SCR_EL3_NS (1 << 0)
#define SCR_EL3_RES1 (3 << 4)
#define SCR_EL3_SMD (1 << 7)
#define SCR_EL3_HCE (1 << 8)
#define SCR_EL3_RW (1 << 10)
#define SCR_EL3_VALUE (SCR_EL3_NS | SCR_EL3_RES1 | SCR_EL3_SMD | SCR_EL3_HCE | SCR_EL3_RW)
#define SPSR_EL2H_MASKED 0x3c9
#define MPIDR_AFF_MASK 0xff00ffffff
#define HCR_EL2_RW (1 << 31)
#define CNTHCTL_EL1_ACCESS 3
#define ICC_SRE_EL2_ENABLE_EL1 0x9
#define CPTR_EL2_NO_TRAPS 0x33ff
#define SCTLR_EL1_MMU_OFF 0x30d00800
#define SPSR_EL1H_MASKED 0x3c5
#define PMCR_N_SHIFT 11
#define PMCR_N_WIDTH 5
#define PFR0_GIC_SHIFT 24
#define PFR0_GIC_WIDTH 4

/* arm64 Image header (Linux boot protocol), so the flat binary boots with QEMU -kernel and
 * U-Boot booti: they load it text_offset bytes above a 2 MiB-aligned RAM base. */
#define IMAGE_FLAGS_4K_PAGES (1 << 1)
#define IMAGE_MAGIC 0x644d5241

    .section .text.start, "ax"
    .global _start
_start:
    b       entry
    .word   0
    .quad   LOADER_TEXT_OFFSET
    .quad   _loader_size
    .quad   IMAGE_FLAGS_4K_PAGES
    .quad   0, 0, 0
    .word   IMAGE_MAGIC
    .word   0

entry:
    mov     x19, x0
    mrs     x0, CurrentEL
    mov     x20, x0                 /* the entry level, for loader_main's first line */
    cmp     x0, #CURRENTEL_EL2
    b.eq    from_el2
    cmp     x0, #CURRENTEL_EL1
    b.eq    at_el1
    cmp     x0, #CURRENTEL_EL3
    b.ne    hang

from_el3:
    /* Kairos runs on one core: the others wait here for good. */
    mrs     x0, mpidr_el1
    ldr     x1, =MPIDR_AFF_MASK
    tst     x0, x1
    b.ne    park
    msr     cptr_el3, xzr
    mov     x0, #SCR_EL3_VALUE
    msr     scr_el3, x0
    mov     x0, #SPSR_EL2H_MASKED
    msr     spsr_el3, x0
    adr     x0, from_el2
    msr     elr_el3, x0
    eret

from_el2:
    mov     x0, #HCR_EL2_RW
    msr     hcr_el2, x0
    mov     x0, #CNTHCTL_EL1_ACCESS
    msr     cnthctl_el2, x0
    msr     cntvoff_el2, xzr
    /* With a GICv3 CPU interface, let EL1 use the ICC_* system registers. */
    mrs     x0, id_aa64pfr0_el1
    ubfx    x0, x0, #PFR0_GIC_SHIFT, #PFR0_GIC_WIDTH
    cbz     x0, 1f
    mrs     x0, S3_4_C12_C9_5       /* ICC_SRE_EL2 */
    mov     x1, #ICC_SRE_EL2_ENABLE_EL1
    orr     x0, x0, x1
    msr     S3_4_C12_C9_5, x0
    isb
1:  mov     x0, #CPTR_EL2_NO_TRAPS
    msr     cptr_el2, x0
    /* Give EL1 and EL0 every PMU counter (MDCR_EL2.HPMN = PMCR_EL0.N). */
    mrs     x0, pmcr_el0
    ubfx    x0, x0, #PMCR_N_SHIFT, #PMCR_N_WIDTH
    msr     mdcr_el2, x0
    ldr     x0, =SCTLR_EL1_MMU_OFF
    msr     sctlr_el1, x0
    mov     x0, #SPSR_EL1H_MASKED
    msr     spsr_el2, x0
    adr     x0, at_el1
    msr     elr_el2, x0
    eret

at_el1:
    msr     daifset, #0xf
    ldr     x0, =SCTLR_EL1_MMU_OFF
    msr     sctlr_el1, x0
    /* An exception in the loader (a bad address passed in x0, say) is reported, not a
     * silent hang. */
    adr     x0, loader_vectors
    msr     vbar_el1, x0
    isb
    adrp    x0, loader_stack_top
    add     x0, x0, :lo12:loader_stack_top
    mov     sp, x0
    /* Everything so far is PC-relative; the rest is not. Compare where we run with where
     * we are linked, and report a misplaced image with code that is PC-relative too. */
    adr     x0, _start
    ldr     x1, =_start
    cmp     x0, x1
    b.ne    misplaced
    adrp    x0, __bss_start
    add     x0, x0, :lo12:__bss_start
    adrp    x1, __bss_end
    add     x1, x1, :lo12:__bss_end
2:  cmp     x0, x1
    b.hs    3f
    str     xzr, [x0], #8
    b       2b
3:  mov     x0, x19
    lsr     x1, x20, #2
    bl      loader_main
    b       hang
misplaced:
    bl      loader_misplaced
hang:
    wfe
    b       hang
/* A parked core sleeps in wfi: nothing ever interrupts it (every interrupt goes to core 0),
 * and unlike a wfe loop it takes no time from core 0 where QEMU runs all cores in turn. */
park:
    wfi
    b       park

/* Every vector reports the exception and stops (loader_exception in loader.c). The table
 * is found PC-relative, so it works in a misplaced image too. */
#define VECTOR_ALIGN 11
#define VECTOR_ENTRY_ALIGN 7
.macro loader_vector
    .balign (1 << VECTOR_ENTRY_ALIGN)
    mrs     x0, esr_el1
    mrs     x1, elr_el1
    mrs     x2, far_el1
    b       loader_exception
.endm
    .text
    .balign (1 << VECTOR_ALIGN)
loader_vectors:
    .rept   16
    loader_vector
    .endr

/* void loader_enter_kernel(const struct loader_handoff *h)
 * Turns on the MMU and caches with the tables in *h and jumps to the kernel's virtual
 * entry with x0..x5 = the six boot values (ABI §6.1). Never returns. */
    .text
    .global loader_enter_kernel
loader_enter_kernel:
    mov     x9, x0
    ldp     x0, x1, [x9, #64]       /* mair, tcr */
    msr     mair_el1, x0
    msr     tcr_el1, x1
    ldp     x0, x1, [x9, #80]       /* ttbr0, ttbr1 */
    msr     ttbr0_el1, x0
    msr     ttbr1_el1, x1
    isb
    tlbi    vmalle1
    dsb     sy
    ic      iallu
    dsb     sy
    isb
    ldr     x0, [x9, #96]           /* sctlr with M, C and I */
    msr     sctlr_el1, x0
    isb
    ldp     x0, x1, [x9, #0]
    ldp     x2, x3, [x9, #16]
    ldp     x4, x5, [x9, #32]
    ldr     x10, [x9, #48]          /* kernel virtual entry */
    br      x10

    .bss
    .balign 16
loader_stack:
    .space  16384
loader_stack_top:
