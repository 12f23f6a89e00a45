/* sel4/invocations.h — client stubs for the architecture-independent object methods of the MCS
 * API (manual §10.3), marshalled as ABI page §3.5 and §8 say. AArch64 only. */
#pragma once

#include <stddef.h>

#include <sel4/arch/syscalls.h>
#include <sel4/functions.h>
#include <sel4/types.h>

/* Every stub has the same shape as upstream's generated ones, so the kernel sees the same
 * message and the program the same IPC-buffer contents with either library:
 *   - extra caps go to caps_or_badges[0..] with seL4_SetCap, before the call;
 *   - MR0..MR3 travel in x2..x5 (seL4_CallWithMRs), MR4 and up in the buffer's msg[4..];
 *   - an argument narrower than a word is masked to its width. Adjacent narrow arguments
 *     share a word (the seL4_Bool flags and arch_flags << 8 of the TCB register methods);
 *     every other one gets a message register of its own;
 *   - the reply's label is the seL4_Error. On an error the returned MR0..MR3 are copied into
 *     msg[0..3], because user code reads the error details (bad argument index, range,
 *     lookup-failure description) with seL4_GetMR. */

/* Calls `service` with `length` message registers, MR0..MR3 taken from and returned in mr[],
 * MR4+ and the extra caps already stored in the IPC buffer. Always inlined so that mr[] lives
 * in registers and a stub costs no more than upstream's. */
static inline __attribute__((__always_inline__)) seL4_Error
kairos_invoke(seL4_CPtr service, seL4_Word label, seL4_Word extra_caps, seL4_Word length,
              seL4_Word mr[seL4_FastMessageRegisters])
{
    seL4_MessageInfo_t tag = seL4_MessageInfo_new(label, 0, extra_caps, length);
    seL4_MessageInfo_t reply = seL4_CallWithMRs(service, tag, &mr[0], &mr[1], &mr[2], &mr[3]);
    seL4_Error err = (seL4_Error)seL4_MessageInfo_get_label(reply);

    if (err != seL4_NoError) {
        seL4_SetMR(0, mr[0]);
        seL4_SetMR(1, mr[1]);
        seL4_SetMR(2, mr[2]);
        seL4_SetMR(3, mr[3]);
    }
    return err;
}

/* Width masks of the manual's narrow argument types. A seL4_Bool keeps only bit 0, as with
 * upstream: a value of 2 means false with both libraries and never reaches a neighbouring
 * flag bit. */
static inline __attribute__((__always_inline__)) seL4_Word kairos_mr_bool(seL4_Bool value)
{
    return (seL4_Word)value & 0x1u;
}

static inline __attribute__((__always_inline__)) seL4_Word kairos_mr_u8(seL4_Uint8 value)
{
    return (seL4_Word)value & 0xffu;
}

/* seL4_UserContext is transferred word by word in its field order (ABI page §4.3), so the
 * stubs treat it as an array of this many words. */
#define KAIROS_USER_CONTEXT_WORDS (sizeof(seL4_UserContext) / sizeof(seL4_Word))
SEL4_COMPILE_ASSERT(user_context_is_whole_words,
                    sizeof(seL4_UserContext) == KAIROS_USER_CONTEXT_WORDS * sizeof(seL4_Word));
/* WriteRegisters sends two header words plus the registers and must fit one message. */
SEL4_COMPILE_ASSERT(user_context_fits_a_message,
                    2 + KAIROS_USER_CONTEXT_WORDS <= seL4_MsgMaxLength);

/* ---- Result structures (upstream's generated names and layouts) ----------------------- */

struct seL4_TCB_SetFlags {
    int error;
    seL4_Word flags;
};
typedef struct seL4_TCB_SetFlags seL4_TCB_SetFlags_t;

struct seL4_SchedContext_Consumed {
    int error;
    seL4_Time consumed;
};
typedef struct seL4_SchedContext_Consumed seL4_SchedContext_Consumed_t;

struct seL4_SchedContext_YieldTo {
    int error;
    seL4_Time consumed;
};
typedef struct seL4_SchedContext_YieldTo seL4_SchedContext_YieldTo_t;

SEL4_COMPILE_ASSERT(tcb_set_flags_result_layout,
                    sizeof(seL4_TCB_SetFlags_t) == 16 && offsetof(seL4_TCB_SetFlags_t, flags) == 8);
SEL4_COMPILE_ASSERT(sc_consumed_result_layout,
                    sizeof(seL4_SchedContext_Consumed_t) == 16 &&
                        offsetof(seL4_SchedContext_Consumed_t, consumed) == 8);
SEL4_COMPILE_ASSERT(sc_yield_to_result_layout,
                    sizeof(seL4_SchedContext_YieldTo_t) == 16 &&
                        offsetof(seL4_SchedContext_YieldTo_t, consumed) == 8);

/* ---- Untyped ------------------------------------------------------------------------- */

LIBSEL4_INLINE_FUNC seL4_Error seL4_Untyped_Retype(seL4_Untyped _service, seL4_Word type,
                                                   seL4_Word size_bits, seL4_CNode root,
                                                   seL4_Word node_index, seL4_Word node_depth,
                                                   seL4_Word node_offset, seL4_Word num_objects)
{
    seL4_Word mr[4] = {type, size_bits, node_index, node_depth};

    seL4_SetCap(0, root);
    seL4_SetMR(4, node_offset);
    seL4_SetMR(5, num_objects);
    return kairos_invoke(_service, UntypedRetype, 1, 6, mr);
}

/* ---- TCB ----------------------------------------------------------------------------- */

/* Fills only the first `count` fields of *regs, as the manual (§10.3.7.6) describes; upstream
 * also overwrites the rest with whatever the IPC buffer held. */
LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_ReadRegisters(seL4_TCB _service, seL4_Bool suspend_source,
                                                      seL4_Uint8 arch_flags, seL4_Word count,
                                                      seL4_UserContext *regs)
{
    seL4_Word mr[4] = {kairos_mr_bool(suspend_source) | (kairos_mr_u8(arch_flags) << 8), count, 0,
                       0};
    seL4_Error err = kairos_invoke(_service, TCBReadRegisters, 0, 2, mr);
    seL4_Word *words = (seL4_Word *)regs;
    seL4_Word n = count < KAIROS_USER_CONTEXT_WORDS ? count : KAIROS_USER_CONTEXT_WORDS;

    if (err != seL4_NoError) {
        return err;
    }
    /* The first four come back in registers; indexing mr[] by a variable would force it out
     * to the stack. */
    if (n > 0) {
        words[0] = mr[0];
    }
    if (n > 1) {
        words[1] = mr[1];
    }
    if (n > 2) {
        words[2] = mr[2];
    }
    if (n > 3) {
        words[3] = mr[3];
    }
    for (seL4_Word i = seL4_FastMessageRegisters; i < n; i++) {
        words[i] = seL4_GetMR((int)i);
    }
    return err;
}

/* Sends only the `count` registers the kernel will use (length 2 + count). Upstream always
 * sends all 36 (length 38); the kernel accepts any length of at least 2 + count, so both give
 * the same result, including TruncatedMessage for a count above 36. */
LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_WriteRegisters(seL4_TCB _service, seL4_Bool resume_target,
                                                       seL4_Uint8 arch_flags, seL4_Word count,
                                                       seL4_UserContext *regs)
{
    const seL4_Word *words = (const seL4_Word *)regs;
    seL4_Word n = count < KAIROS_USER_CONTEXT_WORDS ? count : KAIROS_USER_CONTEXT_WORDS;
    seL4_Word mr[4] = {kairos_mr_bool(resume_target) | (kairos_mr_u8(arch_flags) << 8), count,
                       words[0], words[1]};

    for (seL4_Word i = 2; i < n; i++) {
        seL4_SetMR((int)(i + 2), words[i]);
    }
    return kairos_invoke(_service, TCBWriteRegisters, 0, 2 + n, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_CopyRegisters(
    seL4_TCB _service, seL4_TCB source, seL4_Bool suspend_source, seL4_Bool resume_target,
    seL4_Bool transfer_frame, seL4_Bool transfer_integer, seL4_Uint8 arch_flags)
{
    seL4_Word mr[4] = {kairos_mr_bool(suspend_source) | (kairos_mr_bool(resume_target) << 1) |
                           (kairos_mr_bool(transfer_frame) << 2) |
                           (kairos_mr_bool(transfer_integer) << 3) |
                           (kairos_mr_u8(arch_flags) << 8),
                       0, 0, 0};

    seL4_SetCap(0, source);
    return kairos_invoke(_service, TCBCopyRegisters, 1, 1, mr);
}

/* MCS form (manual §10.3.8.1): the fault endpoint is set with SetSchedParams/SetSpace. */
LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_Configure(seL4_TCB _service, seL4_CNode cspace_root,
                                                  seL4_Word cspace_root_data, seL4_CPtr vspace_root,
                                                  seL4_Word vspace_root_data, seL4_Word buffer,
                                                  seL4_CPtr bufferFrame)
{
    seL4_Word mr[4] = {cspace_root_data, vspace_root_data, buffer, 0};

    seL4_SetCap(0, cspace_root);
    seL4_SetCap(1, vspace_root);
    seL4_SetCap(2, bufferFrame);
    return kairos_invoke(_service, TCBConfigure, 3, 3, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_SetPriority(seL4_TCB _service, seL4_TCB authority,
                                                    seL4_Word priority)
{
    seL4_Word mr[4] = {priority, 0, 0, 0};

    seL4_SetCap(0, authority);
    return kairos_invoke(_service, TCBSetPriority, 1, 1, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_SetMCPriority(seL4_TCB _service, seL4_TCB authority,
                                                      seL4_Word mcp)
{
    seL4_Word mr[4] = {mcp, 0, 0, 0};

    seL4_SetCap(0, authority);
    return kairos_invoke(_service, TCBSetMCPriority, 1, 1, mr);
}

/* MCS form (manual §10.3.8.2). */
LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_SetSchedParams(seL4_TCB _service, seL4_TCB authority,
                                                       seL4_Word mcp, seL4_Word priority,
                                                       seL4_CPtr sched_context, seL4_CPtr fault_ep)
{
    seL4_Word mr[4] = {mcp, priority, 0, 0};

    seL4_SetCap(0, authority);
    seL4_SetCap(1, sched_context);
    seL4_SetCap(2, fault_ep);
    return kairos_invoke(_service, TCBSetSchedParams, 3, 2, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_SetTimeoutEndpoint(seL4_TCB _service,
                                                           seL4_CPtr timeout_fault_ep)
{
    seL4_Word mr[4] = {0, 0, 0, 0};

    seL4_SetCap(0, timeout_fault_ep);
    return kairos_invoke(_service, TCBSetTimeoutEndpoint, 1, 0, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_SetIPCBuffer(seL4_TCB _service, seL4_Word buffer,
                                                     seL4_CPtr bufferFrame)
{
    seL4_Word mr[4] = {buffer, 0, 0, 0};

    seL4_SetCap(0, bufferFrame);
    return kairos_invoke(_service, TCBSetIPCBuffer, 1, 1, mr);
}

/* MCS form (manual §10.3.8.3): fault_ep is a cap in the caller's CSpace, copied into the TCB. */
LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_SetSpace(seL4_TCB _service, seL4_CPtr fault_ep,
                                                 seL4_CNode cspace_root, seL4_Word cspace_root_data,
                                                 seL4_CPtr vspace_root, seL4_Word vspace_root_data)
{
    seL4_Word mr[4] = {cspace_root_data, vspace_root_data, 0, 0};

    seL4_SetCap(0, fault_ep);
    seL4_SetCap(1, cspace_root);
    seL4_SetCap(2, vspace_root);
    return kairos_invoke(_service, TCBSetSpace, 3, 2, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_Suspend(seL4_TCB _service)
{
    seL4_Word mr[4] = {0, 0, 0, 0};

    return kairos_invoke(_service, TCBSuspend, 0, 0, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_Resume(seL4_TCB _service)
{
    seL4_Word mr[4] = {0, 0, 0, 0};

    return kairos_invoke(_service, TCBResume, 0, 0, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_BindNotification(seL4_TCB _service, seL4_CPtr notification)
{
    seL4_Word mr[4] = {0, 0, 0, 0};

    seL4_SetCap(0, notification);
    return kairos_invoke(_service, TCBBindNotification, 1, 0, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_UnbindNotification(seL4_TCB _service)
{
    seL4_Word mr[4] = {0, 0, 0, 0};

    return kairos_invoke(_service, TCBUnbindNotification, 0, 0, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_TCB_SetTLSBase(seL4_TCB _service, seL4_Word tls_base)
{
    seL4_Word mr[4] = {tls_base, 0, 0, 0};

    return kairos_invoke(_service, TCBSetTLSBase, 0, 1, mr);
}

/* Clears, then sets; zero for both only reads the flags (manual §10.3.7.10). */
LIBSEL4_INLINE_FUNC seL4_TCB_SetFlags_t seL4_TCB_SetFlags(seL4_TCB _service, seL4_Word clear,
                                                          seL4_Word set)
{
    seL4_Word mr[4] = {clear, set, 0, 0};
    seL4_TCB_SetFlags_t result;

    result.error = (int)kairos_invoke(_service, TCBSetFlags, 0, 2, mr);
    result.flags = result.error == seL4_NoError ? mr[0] : 0;
    return result;
}

/* ---- CNode --------------------------------------------------------------------------- */

LIBSEL4_INLINE_FUNC seL4_Error seL4_CNode_Revoke(seL4_CNode _service, seL4_Word index,
                                                 seL4_Uint8 depth)
{
    seL4_Word mr[4] = {index, kairos_mr_u8(depth), 0, 0};

    return kairos_invoke(_service, CNodeRevoke, 0, 2, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_CNode_Delete(seL4_CNode _service, seL4_Word index,
                                                 seL4_Uint8 depth)
{
    seL4_Word mr[4] = {index, kairos_mr_u8(depth), 0, 0};

    return kairos_invoke(_service, CNodeDelete, 0, 2, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_CNode_CancelBadgedSends(seL4_CNode _service, seL4_Word index,
                                                            seL4_Uint8 depth)
{
    seL4_Word mr[4] = {index, kairos_mr_u8(depth), 0, 0};

    return kairos_invoke(_service, CNodeCancelBadgedSends, 0, 2, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_CNode_Copy(seL4_CNode _service, seL4_Word dest_index,
                                               seL4_Uint8 dest_depth, seL4_CNode src_root,
                                               seL4_Word src_index, seL4_Uint8 src_depth,
                                               seL4_CapRights_t rights)
{
    seL4_Word mr[4] = {dest_index, kairos_mr_u8(dest_depth), src_index, kairos_mr_u8(src_depth)};

    seL4_SetCap(0, src_root);
    seL4_SetMR(4, rights.words[0]);
    return kairos_invoke(_service, CNodeCopy, 1, 5, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_CNode_Mint(seL4_CNode _service, seL4_Word dest_index,
                                               seL4_Uint8 dest_depth, seL4_CNode src_root,
                                               seL4_Word src_index, seL4_Uint8 src_depth,
                                               seL4_CapRights_t rights, seL4_Word badge)
{
    seL4_Word mr[4] = {dest_index, kairos_mr_u8(dest_depth), src_index, kairos_mr_u8(src_depth)};

    seL4_SetCap(0, src_root);
    seL4_SetMR(4, rights.words[0]);
    seL4_SetMR(5, badge);
    return kairos_invoke(_service, CNodeMint, 1, 6, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_CNode_Move(seL4_CNode _service, seL4_Word dest_index,
                                               seL4_Uint8 dest_depth, seL4_CNode src_root,
                                               seL4_Word src_index, seL4_Uint8 src_depth)
{
    seL4_Word mr[4] = {dest_index, kairos_mr_u8(dest_depth), src_index, kairos_mr_u8(src_depth)};

    seL4_SetCap(0, src_root);
    return kairos_invoke(_service, CNodeMove, 1, 4, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_CNode_Mutate(seL4_CNode _service, seL4_Word dest_index,
                                                 seL4_Uint8 dest_depth, seL4_CNode src_root,
                                                 seL4_Word src_index, seL4_Uint8 src_depth,
                                                 seL4_Word badge)
{
    seL4_Word mr[4] = {dest_index, kairos_mr_u8(dest_depth), src_index, kairos_mr_u8(src_depth)};

    seL4_SetCap(0, src_root);
    seL4_SetMR(4, badge);
    return kairos_invoke(_service, CNodeMutate, 1, 5, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_CNode_Rotate(seL4_CNode _service, seL4_Word dest_index,
                                                 seL4_Uint8 dest_depth, seL4_Word dest_badge,
                                                 seL4_CNode pivot_root, seL4_Word pivot_index,
                                                 seL4_Uint8 pivot_depth, seL4_Word pivot_badge,
                                                 seL4_CNode src_root, seL4_Word src_index,
                                                 seL4_Uint8 src_depth)
{
    seL4_Word mr[4] = {dest_index, kairos_mr_u8(dest_depth), dest_badge, pivot_index};

    seL4_SetCap(0, pivot_root);
    seL4_SetCap(1, src_root);
    seL4_SetMR(4, kairos_mr_u8(pivot_depth));
    seL4_SetMR(5, pivot_badge);
    seL4_SetMR(6, src_index);
    seL4_SetMR(7, kairos_mr_u8(src_depth));
    return kairos_invoke(_service, CNodeRotate, 2, 8, mr);
}

/* ---- IRQControl, IRQHandler ---------------------------------------------------------- */

LIBSEL4_INLINE_FUNC seL4_Error seL4_IRQControl_Get(seL4_IRQControl _service, seL4_Word irq,
                                                   seL4_CNode root, seL4_Word index,
                                                   seL4_Uint8 depth)
{
    seL4_Word mr[4] = {irq, index, kairos_mr_u8(depth), 0};

    seL4_SetCap(0, root);
    return kairos_invoke(_service, IRQIssueIRQHandler, 1, 3, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_IRQHandler_Ack(seL4_IRQHandler _service)
{
    seL4_Word mr[4] = {0, 0, 0, 0};

    return kairos_invoke(_service, IRQAckIRQ, 0, 0, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_IRQHandler_SetNotification(seL4_IRQHandler _service,
                                                               seL4_CPtr notification)
{
    seL4_Word mr[4] = {0, 0, 0, 0};

    seL4_SetCap(0, notification);
    return kairos_invoke(_service, IRQSetIRQHandler, 1, 0, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_IRQHandler_Clear(seL4_IRQHandler _service)
{
    seL4_Word mr[4] = {0, 0, 0, 0};

    return kairos_invoke(_service, IRQClearIRQHandler, 0, 0, mr);
}

/* ---- DomainSet ----------------------------------------------------------------------- */

/* Argument order as the manual (§10.3.2.1): the domain comes before the thread. */
LIBSEL4_INLINE_FUNC seL4_Error seL4_DomainSet_Set(seL4_DomainSet _service, seL4_Uint8 domain,
                                                  seL4_TCB thread)
{
    seL4_Word mr[4] = {kairos_mr_u8(domain), 0, 0, 0};

    seL4_SetCap(0, thread);
    return kairos_invoke(_service, DomainSetSet, 1, 1, mr);
}

/* ---- SchedControl (MCS) -------------------------------------------------------------- */

/* budget and period in microseconds (ABI page §3.5). */
LIBSEL4_INLINE_FUNC seL4_Error seL4_SchedControl_ConfigureFlags(seL4_SchedControl _service,
                                                                seL4_SchedContext schedcontext,
                                                                seL4_Time budget, seL4_Time period,
                                                                seL4_Word extra_refills,
                                                                seL4_Word badge, seL4_Word flags)
{
    seL4_Word mr[4] = {budget, period, extra_refills, badge};

    seL4_SetCap(0, schedcontext);
    seL4_SetMR(4, flags);
    return kairos_invoke(_service, SchedControlConfigureFlags, 1, 5, mr);
}

/* Not a kernel method: upstream libsel4's name for ConfigureFlags without flags. */
LIBSEL4_INLINE_FUNC seL4_Error seL4_SchedControl_Configure(seL4_SchedControl _service,
                                                           seL4_SchedContext schedcontext,
                                                           seL4_Time budget, seL4_Time period,
                                                           seL4_Word extra_refills, seL4_Word badge)
{
    return seL4_SchedControl_ConfigureFlags(_service, schedcontext, budget, period, extra_refills,
                                            badge, seL4_SchedContext_NoFlag);
}

/* ---- SchedContext (MCS) -------------------------------------------------------------- */

LIBSEL4_INLINE_FUNC seL4_Error seL4_SchedContext_Bind(seL4_SchedContext _service, seL4_CPtr cap)
{
    seL4_Word mr[4] = {0, 0, 0, 0};

    seL4_SetCap(0, cap);
    return kairos_invoke(_service, SchedContextBind, 1, 0, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_SchedContext_Unbind(seL4_SchedContext _service)
{
    seL4_Word mr[4] = {0, 0, 0, 0};

    return kairos_invoke(_service, SchedContextUnbind, 0, 0, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_SchedContext_UnbindObject(seL4_SchedContext _service,
                                                              seL4_CPtr cap)
{
    seL4_Word mr[4] = {0, 0, 0, 0};

    seL4_SetCap(0, cap);
    return kairos_invoke(_service, SchedContextUnbindObject, 1, 0, mr);
}

/* Microseconds used since the last Consumed call or timeout fault. */
LIBSEL4_INLINE_FUNC seL4_SchedContext_Consumed_t
seL4_SchedContext_Consumed(seL4_SchedContext _service)
{
    seL4_Word mr[4] = {0, 0, 0, 0};
    seL4_SchedContext_Consumed_t result;

    result.error = (int)kairos_invoke(_service, SchedContextConsumed, 0, 0, mr);
    result.consumed = result.error == seL4_NoError ? mr[0] : 0;
    return result;
}

LIBSEL4_INLINE_FUNC seL4_SchedContext_YieldTo_t
seL4_SchedContext_YieldTo(seL4_SchedContext _service)
{
    seL4_Word mr[4] = {0, 0, 0, 0};
    seL4_SchedContext_YieldTo_t result;

    result.error = (int)kairos_invoke(_service, SchedContextYieldTo, 0, 0, mr);
    result.consumed = result.error == seL4_NoError ? mr[0] : 0;
    return result;
}
