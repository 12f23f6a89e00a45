/* sel4/invocation.h — invocation labels, the label field of the MessageInfo when a capability
 * is invoked; seL4 14.0.0 numbering, MCS, AArch64 (ABI page §3.1–3.3). Host-compilable. */
#pragma once

#include <sel4/macros.h>

/* Labels are NOT stable across seL4 releases (ABI page §3.4): 15.0.0 inserts two Domain
 * labels after DomainSetSet. The order below is the 14.0.0 MCS order and the checks at the
 * end pin the anchors of the measured table. */
enum invocation_label {
    InvalidInvocation,
    UntypedRetype,
    TCBReadRegisters,
    TCBWriteRegisters,
    TCBCopyRegisters,
    TCBConfigure,
    TCBSetPriority,
    TCBSetMCPriority,
    TCBSetSchedParams,
    TCBSetTimeoutEndpoint,
    TCBSetIPCBuffer,
    TCBSetSpace,
    TCBSuspend,
    TCBResume,
    TCBBindNotification,
    TCBUnbindNotification,
    TCBSetTLSBase,
    TCBSetFlags,
    CNodeRevoke,
    CNodeDelete,
    CNodeCancelBadgedSends,
    CNodeCopy,
    CNodeMint,
    CNodeMove,
    CNodeMutate,
    CNodeRotate,
    IRQIssueIRQHandler,
    IRQAckIRQ,
    IRQSetIRQHandler,
    IRQClearIRQHandler,
    DomainSetSet,
    SchedControlConfigureFlags,
    SchedContextBind,
    SchedContextUnbind,
    SchedContextUnbindObject,
    SchedContextConsumed,
    SchedContextYieldTo,
    nInvocationLabels
};

/* AArch64-specific labels continue from the generic ones. */
enum sel4_arch_invocation_label {
    ARMVSpaceClean_Data = nInvocationLabels,
    ARMVSpaceInvalidate_Data,
    ARMVSpaceCleanInvalidate_Data,
    ARMVSpaceUnify_Instruction,
    ARMSMCCall,
    nSeL4ArchInvocationLabels
};

/* ARM labels continue from the AArch64 ones. */
enum arch_invocation_label {
    ARMPageTableMap = nSeL4ArchInvocationLabels,
    ARMPageTableUnmap,
    ARMPageMap,
    ARMPageUnmap,
    ARMPageClean_Data,
    ARMPageInvalidate_Data,
    ARMPageCleanInvalidate_Data,
    ARMPageUnify_Instruction,
    ARMPageGetAddress,
    ARMASIDControlMakePool,
    ARMASIDPoolAssign,
    ARMIRQIssueIRQHandlerTrigger,
    ARMIRQIssueSGISignal,
    nArchInvocationLabels
};

SEL4_COMPILE_ASSERT(label_untyped_retype_is_1, UntypedRetype == 1);
SEL4_COMPILE_ASSERT(label_tcb_set_timeout_endpoint_is_9, TCBSetTimeoutEndpoint == 9);
SEL4_COMPILE_ASSERT(label_tcb_set_flags_is_17, TCBSetFlags == 17);
SEL4_COMPILE_ASSERT(label_cnode_revoke_is_18, CNodeRevoke == 18);
SEL4_COMPILE_ASSERT(label_cnode_rotate_is_25, CNodeRotate == 25);
SEL4_COMPILE_ASSERT(label_irq_issue_irq_handler_is_26, IRQIssueIRQHandler == 26);
SEL4_COMPILE_ASSERT(label_domain_set_set_is_30, DomainSetSet == 30);
SEL4_COMPILE_ASSERT(label_sched_control_configure_flags_is_31, SchedControlConfigureFlags == 31);
SEL4_COMPILE_ASSERT(label_sched_context_yield_to_is_36, SchedContextYieldTo == 36);
SEL4_COMPILE_ASSERT(n_invocation_labels_is_37, nInvocationLabels == 37);
SEL4_COMPILE_ASSERT(label_arm_vspace_clean_data_is_37, (int)ARMVSpaceClean_Data == 37);
SEL4_COMPILE_ASSERT(label_arm_smc_call_is_41, (int)ARMSMCCall == 41);
SEL4_COMPILE_ASSERT(label_arm_page_table_map_is_42, (int)ARMPageTableMap == 42);
SEL4_COMPILE_ASSERT(label_arm_page_map_is_44, (int)ARMPageMap == 44);
SEL4_COMPILE_ASSERT(label_arm_page_get_address_is_50, (int)ARMPageGetAddress == 50);
SEL4_COMPILE_ASSERT(label_arm_asid_pool_assign_is_52, (int)ARMASIDPoolAssign == 52);
SEL4_COMPILE_ASSERT(label_arm_irq_issue_sgi_signal_is_54, (int)ARMIRQIssueSGISignal == 54);
SEL4_COMPILE_ASSERT(n_arch_invocation_labels_is_55, (int)nArchInvocationLabels == 55);
