/* sel4/faults.h — fault types (the label of a fault IPC) and the message-register index of
 * every fault field, AArch64/MCS (ABI page §4.1, §4.2); lookup-failure types. Host-compilable. */
#pragma once

#include <sel4/macros.h>

/* Label of the fault message. DebugException (4) exists only with the hardware-debug API,
 * which this configuration does not have, so the value is skipped as upstream skips it. */
enum seL4_Fault_tag {
    seL4_Fault_NullFault = 0,
    seL4_Fault_CapFault = 1,
    seL4_Fault_UnknownSyscall = 2,
    seL4_Fault_UserException = 3,
    seL4_Fault_Timeout = 5,
    seL4_Fault_VMFault = 6,
};
typedef enum seL4_Fault_tag seL4_Fault_tag_t;

/* Lookup failure types as they appear in messages (CapFault MR3, FailedLookup MR1). */
typedef enum {
    seL4_NoFailure = 0,
    seL4_InvalidRoot,
    seL4_MissingCapability,
    seL4_DepthMismatch,
    seL4_GuardMismatch,
    SEL4_FORCE_LONG_ENUM(seL4_LookupFailureType),
} seL4_LookupFailureType;

/* CapFault: the lookup-failure description starts at MR3; what follows depends on it. */
enum {
    seL4_CapFault_IP,
    seL4_CapFault_Addr,
    seL4_CapFault_InRecvPhase,
    seL4_CapFault_LookupFailureType,
    seL4_CapFault_BitsLeft,
    seL4_CapFault_DepthMismatch_BitsFound,
    seL4_CapFault_GuardMismatch_GuardFound = seL4_CapFault_DepthMismatch_BitsFound,
    seL4_CapFault_GuardMismatch_BitsFound,
};

typedef enum {
    seL4_UnknownSyscall_X0,
    seL4_UnknownSyscall_X1,
    seL4_UnknownSyscall_X2,
    seL4_UnknownSyscall_X3,
    seL4_UnknownSyscall_X4,
    seL4_UnknownSyscall_X5,
    seL4_UnknownSyscall_X6,
    seL4_UnknownSyscall_X7,
    seL4_UnknownSyscall_FaultIP,
    seL4_UnknownSyscall_SP,
    seL4_UnknownSyscall_LR, /* the saved ELR_EL1, i.e. the PC to resume at */
    seL4_UnknownSyscall_SPSR,
    seL4_UnknownSyscall_Syscall, /* the number that was in x7 */
    seL4_UnknownSyscall_Length,
    SEL4_FORCE_LONG_ENUM(seL4_UnknownSyscall_Msg),
} seL4_UnknownSyscall_Msg;

typedef enum {
    seL4_UserException_FaultIP,
    seL4_UserException_SP,
    seL4_UserException_SPSR,
    seL4_UserException_Number, /* ESR_EL1 */
    seL4_UserException_Code,
    seL4_UserException_Length,
    SEL4_FORCE_LONG_ENUM(seL4_UserException_Msg),
} seL4_UserException_Msg;

typedef enum {
    seL4_VMFault_IP,
    seL4_VMFault_Addr,          /* FAR for data aborts, the PC for instruction aborts */
    seL4_VMFault_PrefetchFault, /* 1 = instruction abort */
    seL4_VMFault_FSR,           /* ESR_EL1 */
    seL4_VMFault_Length,
    SEL4_FORCE_LONG_ENUM(seL4_VMFault_Msg),
} seL4_VMFault_Msg;

/* MCS timeout fault, delivered to the thread's timeout endpoint. */
typedef enum {
    seL4_Timeout_Data,     /* badge of the scheduling context */
    seL4_Timeout_Consumed, /* microseconds */
    seL4_Timeout_Length,
    SEL4_FORCE_LONG_ENUM(seL4_Timeout_Msg),
} seL4_TimeoutMsg;

/* Registers a reply to a timeout fault may overwrite, in this order. */
typedef enum {
    seL4_TimeoutReply_FaultIP,
    seL4_TimeoutReply_SP,
    seL4_TimeoutReply_SPSR_EL1,
    seL4_TimeoutReply_X0,
    seL4_TimeoutReply_X1,
    seL4_TimeoutReply_X2,
    seL4_TimeoutReply_X3,
    seL4_TimeoutReply_X4,
    seL4_TimeoutReply_X5,
    seL4_TimeoutReply_X6,
    seL4_TimeoutReply_X7,
    seL4_TimeoutReply_X8,
    seL4_TimeoutReply_X16,
    seL4_TimeoutReply_X17,
    seL4_TimeoutReply_X18,
    seL4_TimeoutReply_X29,
    seL4_TimeoutReply_X30,
    seL4_TimeoutReply_X9,
    seL4_TimeoutReply_X10,
    seL4_TimeoutReply_X11,
    seL4_TimeoutReply_X12,
    seL4_TimeoutReply_X13,
    seL4_TimeoutReply_X14,
    seL4_TimeoutReply_X15,
    seL4_TimeoutReply_X19,
    seL4_TimeoutReply_X20,
    seL4_TimeoutReply_X21,
    seL4_TimeoutReply_X22,
    seL4_TimeoutReply_X23,
    seL4_TimeoutReply_X24,
    seL4_TimeoutReply_X25,
    seL4_TimeoutReply_X26,
    seL4_TimeoutReply_X27,
    seL4_TimeoutReply_X28,
    seL4_TimeoutReply_Length,
    SEL4_FORCE_LONG_ENUM(seL4_TimeoutReply_Msg),
} seL4_TimeoutReply_Msg;

SEL4_COMPILE_ASSERT(fault_timeout_is_5, seL4_Fault_Timeout == 5);
SEL4_COMPILE_ASSERT(fault_vmfault_is_6, seL4_Fault_VMFault == 6);
SEL4_COMPILE_ASSERT(lookup_guard_mismatch_is_4, seL4_GuardMismatch == 4);
SEL4_COMPILE_ASSERT(capfault_guard_mismatch_bits_found_is_6,
                    seL4_CapFault_GuardMismatch_BitsFound == 6);
SEL4_COMPILE_ASSERT(unknown_syscall_length_is_13, seL4_UnknownSyscall_Length == 13);
SEL4_COMPILE_ASSERT(user_exception_length_is_5, seL4_UserException_Length == 5);
SEL4_COMPILE_ASSERT(vmfault_length_is_4, seL4_VMFault_Length == 4);
SEL4_COMPILE_ASSERT(timeout_length_is_2, seL4_Timeout_Length == 2);
SEL4_COMPILE_ASSERT(timeout_reply_length_is_34, seL4_TimeoutReply_Length == 34);
