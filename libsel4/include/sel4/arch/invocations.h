/* sel4/arch/invocations.h — client stubs for the ARM and AArch64 object methods of the MCS API
 * (manual §10.7, §10.9), marshalled as ABI page §8 says. */
#pragma once

#include <stddef.h>

#include <sel4/invocations.h>

struct seL4_ARM_Page_GetAddress {
    int error;
    seL4_Word paddr;
};
typedef struct seL4_ARM_Page_GetAddress seL4_ARM_Page_GetAddress_t;

SEL4_COMPILE_ASSERT(page_get_address_result_layout,
                    sizeof(seL4_ARM_Page_GetAddress_t) == 16 &&
                        offsetof(seL4_ARM_Page_GetAddress_t, paddr) == 8);

/* ---- VSpace (AArch64): cache maintenance over [start, end) of the address space --------- */

LIBSEL4_INLINE_FUNC seL4_Error seL4_ARM_VSpace_Clean_Data(seL4_ARM_VSpace _service, seL4_Word start,
                                                          seL4_Word end)
{
    seL4_Word mr[4] = {start, end, 0, 0};

    return kairos_invoke(_service, ARMVSpaceClean_Data, 0, 2, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_ARM_VSpace_Invalidate_Data(seL4_ARM_VSpace _service,
                                                               seL4_Word start, seL4_Word end)
{
    seL4_Word mr[4] = {start, end, 0, 0};

    return kairos_invoke(_service, ARMVSpaceInvalidate_Data, 0, 2, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_ARM_VSpace_CleanInvalidate_Data(seL4_ARM_VSpace _service,
                                                                    seL4_Word start, seL4_Word end)
{
    seL4_Word mr[4] = {start, end, 0, 0};

    return kairos_invoke(_service, ARMVSpaceCleanInvalidate_Data, 0, 2, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_ARM_VSpace_Unify_Instruction(seL4_ARM_VSpace _service,
                                                                 seL4_Word start, seL4_Word end)
{
    seL4_Word mr[4] = {start, end, 0, 0};

    return kairos_invoke(_service, ARMVSpaceUnify_Instruction, 0, 2, mr);
}

/* ---- SMC (AArch64) ------------------------------------------------------------------- */

/* x0..x7 of the SMC go out as MR0..MR7 and its results come back the same way. smc_args and
 * smc_response may be the same structure: every argument is read before the call. */
LIBSEL4_INLINE_FUNC seL4_Error seL4_ARM_SMC_Call(seL4_ARM_SMC _service,
                                                 seL4_ARM_SMCContext *smc_args,
                                                 seL4_ARM_SMCContext *smc_response)
{
    seL4_Word mr[4] = {smc_args->x0, smc_args->x1, smc_args->x2, smc_args->x3};
    seL4_Error err;

    seL4_SetMR(4, smc_args->x4);
    seL4_SetMR(5, smc_args->x5);
    seL4_SetMR(6, smc_args->x6);
    seL4_SetMR(7, smc_args->x7);
    err = kairos_invoke(_service, ARMSMCCall, 0, 8, mr);
    if (err != seL4_NoError) {
        return err;
    }
    smc_response->x0 = mr[0];
    smc_response->x1 = mr[1];
    smc_response->x2 = mr[2];
    smc_response->x3 = mr[3];
    smc_response->x4 = seL4_GetMR(4);
    smc_response->x5 = seL4_GetMR(5);
    smc_response->x6 = seL4_GetMR(6);
    smc_response->x7 = seL4_GetMR(7);
    return err;
}

/* ---- PageTable ----------------------------------------------------------------------- */

LIBSEL4_INLINE_FUNC seL4_Error seL4_ARM_PageTable_Map(seL4_ARM_PageTable _service, seL4_CPtr vspace,
                                                      seL4_Word vaddr, seL4_ARM_VMAttributes attr)
{
    seL4_Word mr[4] = {vaddr, (seL4_Word)attr, 0, 0};

    seL4_SetCap(0, vspace);
    return kairos_invoke(_service, ARMPageTableMap, 1, 2, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_ARM_PageTable_Unmap(seL4_ARM_PageTable _service)
{
    seL4_Word mr[4] = {0, 0, 0, 0};

    return kairos_invoke(_service, ARMPageTableUnmap, 0, 0, mr);
}

/* Deprecated names kept by upstream: on AArch64 every level below the VSpace root is a page
 * table, so mapping an upper or middle directory is a PageTable_Map. */
#define seL4_ARM_PageUpperDirectory_Map seL4_ARM_PageTable_Map
#define seL4_ARM_PageUpperDirectory_Unmap seL4_ARM_PageTable_Unmap
#define seL4_ARM_PageDirectory_Map seL4_ARM_PageTable_Map
#define seL4_ARM_PageDirectory_Unmap seL4_ARM_PageTable_Unmap
#define ARMPageDirectoryMap ARMPageTableMap
#define ARMPageDirectoryUnmap ARMPageTableUnmap

/* ---- Page ---------------------------------------------------------------------------- */

LIBSEL4_INLINE_FUNC seL4_Error seL4_ARM_Page_Map(seL4_ARM_Page _service, seL4_CPtr vspace,
                                                 seL4_Word vaddr, seL4_CapRights_t rights,
                                                 seL4_ARM_VMAttributes attr)
{
    seL4_Word mr[4] = {vaddr, rights.words[0], (seL4_Word)attr, 0};

    seL4_SetCap(0, vspace);
    return kairos_invoke(_service, ARMPageMap, 1, 3, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_ARM_Page_Unmap(seL4_ARM_Page _service)
{
    seL4_Word mr[4] = {0, 0, 0, 0};

    return kairos_invoke(_service, ARMPageUnmap, 0, 0, mr);
}

/* Cache maintenance over [start_offset, end_offset) relative to the start of the frame. */
LIBSEL4_INLINE_FUNC seL4_Error seL4_ARM_Page_Clean_Data(seL4_ARM_Page _service,
                                                        seL4_Word start_offset,
                                                        seL4_Word end_offset)
{
    seL4_Word mr[4] = {start_offset, end_offset, 0, 0};

    return kairos_invoke(_service, ARMPageClean_Data, 0, 2, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_ARM_Page_Invalidate_Data(seL4_ARM_Page _service,
                                                             seL4_Word start_offset,
                                                             seL4_Word end_offset)
{
    seL4_Word mr[4] = {start_offset, end_offset, 0, 0};

    return kairos_invoke(_service, ARMPageInvalidate_Data, 0, 2, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_ARM_Page_CleanInvalidate_Data(seL4_ARM_Page _service,
                                                                  seL4_Word start_offset,
                                                                  seL4_Word end_offset)
{
    seL4_Word mr[4] = {start_offset, end_offset, 0, 0};

    return kairos_invoke(_service, ARMPageCleanInvalidate_Data, 0, 2, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_ARM_Page_Unify_Instruction(seL4_ARM_Page _service,
                                                               seL4_Word start_offset,
                                                               seL4_Word end_offset)
{
    seL4_Word mr[4] = {start_offset, end_offset, 0, 0};

    return kairos_invoke(_service, ARMPageUnify_Instruction, 0, 2, mr);
}

LIBSEL4_INLINE_FUNC seL4_ARM_Page_GetAddress_t seL4_ARM_Page_GetAddress(seL4_ARM_Page _service)
{
    seL4_Word mr[4] = {0, 0, 0, 0};
    seL4_ARM_Page_GetAddress_t result;

    result.error = (int)kairos_invoke(_service, ARMPageGetAddress, 0, 0, mr);
    result.paddr = result.error == seL4_NoError ? mr[0] : 0;
    return result;
}

/* ---- ASIDControl, ASIDPool ----------------------------------------------------------- */

LIBSEL4_INLINE_FUNC seL4_Error seL4_ARM_ASIDControl_MakePool(seL4_ARM_ASIDControl _service,
                                                             seL4_Untyped untyped, seL4_CNode root,
                                                             seL4_Word index, seL4_Uint8 depth)
{
    seL4_Word mr[4] = {index, kairos_mr_u8(depth), 0, 0};

    seL4_SetCap(0, untyped);
    seL4_SetCap(1, root);
    return kairos_invoke(_service, ARMASIDControlMakePool, 2, 2, mr);
}

LIBSEL4_INLINE_FUNC seL4_Error seL4_ARM_ASIDPool_Assign(seL4_ARM_ASIDPool _service,
                                                        seL4_CPtr vspace)
{
    seL4_Word mr[4] = {0, 0, 0, 0};

    seL4_SetCap(0, vspace);
    return kairos_invoke(_service, ARMASIDPoolAssign, 1, 0, mr);
}

/* ---- IRQControl (ARM) ---------------------------------------------------------------- */

/* trigger: 1 = edge, 0 = level (manual §10.7.11.2). */
LIBSEL4_INLINE_FUNC seL4_Error seL4_IRQControl_GetTrigger(seL4_IRQControl _service, seL4_Word irq,
                                                          seL4_Word trigger, seL4_CNode root,
                                                          seL4_Word index, seL4_Uint8 depth)
{
    seL4_Word mr[4] = {irq, trigger, index, kairos_mr_u8(depth)};

    seL4_SetCap(0, root);
    return kairos_invoke(_service, ARMIRQIssueIRQHandlerTrigger, 1, 4, mr);
}

/* A cap that raises SGI `irq` (0..15) on core `target` when signalled (manual §10.7.11.3);
 * uniprocessor kernels only. */
LIBSEL4_INLINE_FUNC seL4_Error seL4_IRQControl_IssueSGISignal(seL4_IRQControl _service,
                                                              seL4_Word irq, seL4_Word target,
                                                              seL4_CNode root, seL4_Word index,
                                                              seL4_Uint8 depth)
{
    seL4_Word mr[4] = {irq, target, index, kairos_mr_u8(depth)};

    seL4_SetCap(0, root);
    return kairos_invoke(_service, ARMIRQIssueSGISignal, 1, 4, mr);
}
