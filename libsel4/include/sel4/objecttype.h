/* sel4/objecttype.h — seL4_ObjectType values, the `type` argument of seL4_Untyped_Retype
 * (ABI page §2.1, MCS column). Host-compilable. */
#pragma once

#include <sel4/macros.h>

/* Three enums, as upstream: the architecture-independent objects, then the AArch64 ("mode")
 * objects, then the ARM objects, each continuing the numbering of the one before. */
typedef enum api_object {
    seL4_UntypedObject,
    seL4_TCBObject,
    seL4_EndpointObject,
    seL4_NotificationObject,
    seL4_CapTableObject,
    seL4_SchedContextObject,
    seL4_ReplyObject,
    seL4_NonArchObjectTypeCount,
    SEL4_FORCE_LONG_ENUM(seL4_ObjectType),
} seL4_ObjectType;

typedef enum _mode_object {
    seL4_ARM_HugePageObject = seL4_NonArchObjectTypeCount, /* 1 GiB frame */
    seL4_ARM_VSpaceObject,                                 /* top-level translation table */
    seL4_ModeObjectTypeCount,
    SEL4_FORCE_LONG_ENUM(seL4_ModeObjectType),
} seL4_ModeObjectType;

typedef enum _object {
    seL4_ARM_SmallPageObject = seL4_ModeObjectTypeCount, /* 4 KiB frame */
    seL4_ARM_LargePageObject,                            /* 2 MiB frame */
    seL4_ARM_PageTableObject,
    seL4_ObjectTypeCount,
    SEL4_FORCE_LONG_ENUM(seL4_ArchObjectType),
} seL4_ArchObjectType;

/* Deprecated names: every AArch64 level below the VSpace root is a page table. */
#define seL4_ARM_PageGlobalDirectoryObject seL4_ARM_VSpaceObject
#define seL4_ARM_PageUpperDirectoryObject seL4_ARM_PageTableObject
#define seL4_ARM_PageDirectoryObject seL4_ARM_PageTableObject

/* The MCS numbering of the ABI page; any other order breaks Untyped_Retype. */
SEL4_COMPILE_ASSERT(sched_context_object_is_5, seL4_SchedContextObject == 5);
SEL4_COMPILE_ASSERT(reply_object_is_6, seL4_ReplyObject == 6);
SEL4_COMPILE_ASSERT(huge_page_object_is_7, (long)seL4_ARM_HugePageObject == 7);
SEL4_COMPILE_ASSERT(vspace_object_is_8, (long)seL4_ARM_VSpaceObject == 8);
SEL4_COMPILE_ASSERT(small_page_object_is_9, (long)seL4_ARM_SmallPageObject == 9);
SEL4_COMPILE_ASSERT(large_page_object_is_10, (long)seL4_ARM_LargePageObject == 10);
SEL4_COMPILE_ASSERT(page_table_object_is_11, (long)seL4_ARM_PageTableObject == 11);
SEL4_COMPILE_ASSERT(object_type_count_is_12, (long)seL4_ObjectTypeCount == 12);
