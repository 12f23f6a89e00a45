/* sel4/constants.h — constants of the seL4 AArch64/MCS interface: object sizes (ABI page §2.2),
 * message limits (§1.2, §5), word formats (§1.3), priorities. Host-compilable. */
#pragma once

#include <sel4/config.h>
#include <sel4/macros.h>
#include <sel4/simple_types.h>

/* Word size. */
#define seL4_WordBits 64
#define seL4_WordSizeBits 3

/* Object sizes, log2 bytes (§2.2). */
#define seL4_SlotBits 5
#define seL4_TCBBits 11
#define seL4_EndpointBits 4
#define seL4_NotificationBits 6 /* MCS: the notification holds a sched-context pointer */
#define seL4_ReplyBits 5
#define seL4_MinSchedContextBits 7
#define seL4_PageBits 12
#define seL4_LargePageBits 21
#define seL4_HugePageBits 30
#define seL4_PageTableBits 12
#define seL4_PageTableEntryBits 3
#define seL4_PageTableIndexBits 9
#define seL4_VSpaceBits 12
#define seL4_VSpaceIndexBits 9
#define seL4_ASIDPoolBits 12
#define seL4_ASIDPoolIndexBits 9
#define seL4_NumASIDPoolsBits 7
#define seL4_IPCBufferSizeBits 10
#define seL4_BootInfoFrameBits 12
#define seL4_BootInfoFrameSize (1ul << seL4_BootInfoFrameBits)
#define seL4_MinUntypedBits 4
#define seL4_MaxUntypedBits 47
#define seL4_UntypedRetypeMaxObjects CONFIG_RETYPE_FAN_OUT_LIMIT

/* Deprecated names for the paging structures: on AArch64 every level below the VSpace
 * root is a 4 KiB page table. */
#define seL4_PGDBits seL4_VSpaceBits
#define seL4_PGDIndexBits seL4_VSpaceIndexBits
#define seL4_PGDEntryBits seL4_PageTableEntryBits
#define seL4_PUDBits seL4_PageTableBits
#define seL4_PUDIndexBits seL4_PageTableIndexBits
#define seL4_PUDEntryBits seL4_PageTableEntryBits
#define seL4_PageDirBits seL4_PageTableBits
#define seL4_PageDirIndexBits seL4_PageTableIndexBits
#define seL4_PageDirEntryBits seL4_PageTableEntryBits

/* User virtual addresses must lie below this. */
#define seL4_UserTop 0x00007ffffffffffful

/* MCS scheduling-context layout: a fixed header plus an array of refills; the minimum
 * object (2^seL4_MinSchedContextBits) holds exactly the two refills every SC needs. */
#define seL4_CoreSchedContextBytes (10 * sizeof(seL4_Word) + 6 * 8)
#define seL4_RefillSizeBytes (2 * 8)

/* How many refills beyond the minimum an SC of 2^size bytes can hold (the extra_refills
 * argument of seL4_SchedControl_ConfigureFlags). */
LIBSEL4_INLINE seL4_Word seL4_MaxExtraRefills(seL4_Word size)
{
    return (LIBSEL4_BIT(size) - seL4_CoreSchedContextBytes) / seL4_RefillSizeBytes;
}

/* Message formats (§1.2, §5). */
#define seL4_MsgLengthBits 7
#define seL4_MsgExtraCapBits 2
#define seL4_MsgMaxLength 120
#define seL4_MsgMaxExtraCaps ((1 << seL4_MsgExtraCapBits) - 1)
/* MR0..MR3 travel in x2..x5; MR4 and above always in the IPC buffer. */
#define seL4_FastMessageRegisters 4

/* Word formats (§1.3). */
#define seL4_GuardSizeBits 6
#define seL4_GuardBits 58
#define seL4_BadgeBits 64
#define seL4_CapRightsBits 4

/* Priorities. */
enum seL4_PriorityConstants {
    seL4_InvalidPrio = -1,
    seL4_MinPrio = 0,
    seL4_MaxPrio = CONFIG_NUM_PRIORITIES - 1,
};

/* Checks against the measured values (ABI page §2.2, §1.2), so a config override that
 * changes the interface fails to compile instead of failing at run time. */
SEL4_COMPILE_ASSERT(msg_max_length_fits_length_field,
                    seL4_MsgMaxLength < (1 << seL4_MsgLengthBits));
SEL4_COMPILE_ASSERT(msg_max_extra_caps_is_3, seL4_MsgMaxExtraCaps == 3);
SEL4_COMPILE_ASSERT(core_sc_bytes_is_128, seL4_CoreSchedContextBytes == 128);
SEL4_COMPILE_ASSERT(min_sc_holds_core,
                    (1ul << seL4_MinSchedContextBits) == seL4_CoreSchedContextBytes);
SEL4_COMPILE_ASSERT(page_table_is_one_page,
                    seL4_PageTableIndexBits + seL4_PageTableEntryBits == seL4_PageTableBits);
SEL4_COMPILE_ASSERT(vspace_is_one_page,
                    seL4_VSpaceIndexBits + seL4_PageTableEntryBits == seL4_VSpaceBits);
SEL4_COMPILE_ASSERT(guard_fields_fill_a_word, seL4_GuardBits + seL4_GuardSizeBits == seL4_WordBits);
SEL4_COMPILE_ASSERT(max_prio_is_255, seL4_MaxPrio == 255);
SEL4_COMPILE_ASSERT(retype_fan_out_is_256, seL4_UntypedRetypeMaxObjects == 256);
