/* Moving FP/SIMD state between the registers and a struct fpu_state: v0..v31 at offsets
 * 0..511, FPSR at 512, FPCR at 520 (fpu.c checks the layout).
 *   fpu_save(x0 = to)                 clobbers x0, x2, x3
 *   fpu_restore(x0 = from)            clobbers x0, x2, x3 and v0..v31
 *   fpu_swap(x0 = save to, x1 = load from)   both, in one call: a switch between owners
 * The base registers advance as they go (post-indexed): FPSR and FPCR then sit right at
 * them, beyond the reach of a plain stp offset.
 * The kernel is built without FP, so only these routines touch the registers. */
.macro store_state base
    stp     q0, q1, [\base], #32
    stp     q2, q3, [\base], #32
    stp     q4, q5, [\base], #32
    stp     q6, q7, [\base], #32
    stp     q8, q9, [\base], #32
    stp     q10, q11, [\base], #32
    stp     q12, q13, [\base], #32
    stp     q14, q15, [\base], #32
    stp     q16, q17, [\base], #32
    stp     q18, q19, [\base], #32
    stp     q20, q21, [\base], #32
    stp     q22, q23, [\base], #32
    stp     q24, q25, [\base], #32
    stp     q26, q27, [\base], #32
    stp     q28, q29, [\base], #32
    stp     q30, q31, [\base], #32
    mrs     x2, fpsr
    mrs     x3, fpcr
    stp     x2, x3, [\base]
.endm

.macro load_state base
    ldp     q0, q1, [\base], #32
    ldp     q2, q3, [\base], #32
    ldp     q4, q5, [\base], #32
    ldp     q6, q7, [\base], #32
    ldp     q8, q9, [\base], #32
    ldp     q10, q11, [\base], #32
    ldp     q12, q13, [\base], #32
    ldp     q14, q15, [\base], #32
    ldp     q16, q17, [\base], #32
    ldp     q18, q19, [\base], #32
    ldp     q20, q21, [\base], #32
    ldp     q22, q23, [\base], #32
    ldp     q24, q25, [\base], #32
    ldp     q26, q27, [\base], #32
    ldp     q28, q29, [\base], #32
    ldp     q30, q31, [\base], #32
    ldp     x2, x3, [\base]
    msr     fpsr, x2
    msr     fpcr, x3
.endm

    .text
    .global fpu_save
fpu_save:
    store_state x0
    ret

    .global fpu_restore
fpu_restore:
    load_state x0
    ret

    .global fpu_swap
fpu_swap:
    store_state x0
    load_state x1
    ret
