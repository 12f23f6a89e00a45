/* sel4/bootinfo_types.h — what the kernel hands the root task: initial CNode slots, the
 * seL4_BootInfo frame, extra-bootinfo chunk headers (ABI page §6.3–6.5, MCS). Host-compilable. */
#pragma once

#include <stddef.h>

#include <sel4/config.h>
#include <sel4/constants.h>
#include <sel4/ipcbuffer.h>
#include <sel4/macros.h>
#include <sel4/simple_types.h>

/* Fixed slots of the root task's CNode (manual table 9.1). */
enum seL4_RootCNodeCapSlots {
    seL4_CapNull = 0,
    seL4_CapInitThreadTCB = 1,
    seL4_CapInitThreadCNode = 2,
    seL4_CapInitThreadVSpace = 3,
    seL4_CapIRQControl = 4,
    seL4_CapASIDControl = 5,
    seL4_CapInitThreadASIDPool = 6,
    seL4_CapIOPortControl = 7, /* x86 only; null here */
    seL4_CapIOSpace = 8,       /* null here */
    seL4_CapBootInfoFrame = 9,
    seL4_CapInitThreadIPCBuffer = 10,
    seL4_CapDomain = 11,
    seL4_CapSMMUSIDControl = 12, /* null here */
    seL4_CapSMMUCBControl = 13,  /* null here */
    seL4_CapInitThreadSC = 14,   /* MCS */
    seL4_CapSMC = 15,            /* null unless the kernel allows SMC calls */
    seL4_NumInitialCaps = 16,
};

/* The manual's name for slot 7. */
#define seL4_CapIOPort seL4_CapIOPortControl

/* A range of CNode slots [start, end). */
typedef struct seL4_SlotRegion {
    seL4_SlotPos start;
    seL4_SlotPos end;
} seL4_SlotRegion;

typedef struct seL4_UntypedDesc {
    seL4_Word paddr;
    seL4_Uint8 sizeBits;
    seL4_Uint8 isDevice;
    /* Explicit so the struct is a whole number of words on every compiler. */
    seL4_Uint8 padding[sizeof(seL4_Word) - 2 * sizeof(seL4_Uint8)];
} seL4_UntypedDesc;

typedef struct seL4_BootInfo {
    seL4_Word extraLen; /* bytes of extra bootinfo after this frame */
    seL4_NodeId nodeID;
    seL4_Word numNodes;
    seL4_Word numIOPTLevels;
    seL4_IPCBuffer *ipcBuffer;
    seL4_SlotRegion empty;
    seL4_SlotRegion sharedFrames;
    seL4_SlotRegion userImageFrames;
    seL4_SlotRegion userImagePaging;
    seL4_SlotRegion ioSpaceCaps;
    seL4_SlotRegion extraBIPages;
    seL4_Word initThreadCNodeSizeBits;
    seL4_Domain initThreadDomain;
    seL4_SlotRegion schedcontrol; /* MCS: one SchedControl cap per node */
    seL4_SlotRegion untyped;
    /* untypedList[i] describes the untyped in slot untyped.start + i. */
    seL4_UntypedDesc untypedList[CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS];
} seL4_BootInfo;

/* Extra bootinfo is a sequence of chunks, each starting with this header; len counts the
 * header too, so unknown chunks can be skipped. */
typedef struct seL4_BootInfoHeader {
    seL4_Word id;
    seL4_Word len;
} seL4_BootInfoHeader;

typedef enum {
    SEL4_BOOTINFO_HEADER_PADDING = 0,
    SEL4_BOOTINFO_HEADER_X86_VBE = 1,
    SEL4_BOOTINFO_HEADER_X86_MBMMAP = 2,
    SEL4_BOOTINFO_HEADER_X86_ACPI_RSDP = 3,
    SEL4_BOOTINFO_HEADER_X86_FRAMEBUFFER = 4,
    SEL4_BOOTINFO_HEADER_X86_TSC_FREQ = 5,
    SEL4_BOOTINFO_HEADER_FDT = 6, /* the device tree follows the header */
    SEL4_BOOTINFO_HEADER_NUM,
    SEL4_FORCE_LONG_ENUM(seL4_BootInfoID),
} seL4_BootInfoID;

SEL4_COMPILE_ASSERT(init_thread_sc_is_14, seL4_CapInitThreadSC == 14);
SEL4_COMPILE_ASSERT(num_initial_caps_is_16, seL4_NumInitialCaps == 16);
SEL4_COMPILE_ASSERT(slot_region_is_16_bytes, sizeof(seL4_SlotRegion) == 16);
SEL4_COMPILE_ASSERT(untyped_desc_is_16_bytes, sizeof(seL4_UntypedDesc) == 16);
SEL4_COMPILE_ASSERT(ut_paddr_at_0, offsetof(seL4_UntypedDesc, paddr) == 0);
SEL4_COMPILE_ASSERT(ut_size_bits_at_8, offsetof(seL4_UntypedDesc, sizeBits) == 8);
SEL4_COMPILE_ASSERT(ut_is_device_at_9, offsetof(seL4_UntypedDesc, isDevice) == 9);
SEL4_COMPILE_ASSERT(ut_padding_at_10, offsetof(seL4_UntypedDesc, padding) == 10);
SEL4_COMPILE_ASSERT(bi_extra_len_at_0, offsetof(seL4_BootInfo, extraLen) == 0);
SEL4_COMPILE_ASSERT(bi_node_id_at_8, offsetof(seL4_BootInfo, nodeID) == 8);
SEL4_COMPILE_ASSERT(bi_num_nodes_at_16, offsetof(seL4_BootInfo, numNodes) == 16);
SEL4_COMPILE_ASSERT(bi_num_iopt_levels_at_24, offsetof(seL4_BootInfo, numIOPTLevels) == 24);
SEL4_COMPILE_ASSERT(bi_ipc_buffer_at_32, offsetof(seL4_BootInfo, ipcBuffer) == 32);
SEL4_COMPILE_ASSERT(bi_empty_at_40, offsetof(seL4_BootInfo, empty) == 40);
SEL4_COMPILE_ASSERT(bi_shared_frames_at_56, offsetof(seL4_BootInfo, sharedFrames) == 56);
SEL4_COMPILE_ASSERT(bi_user_image_frames_at_72, offsetof(seL4_BootInfo, userImageFrames) == 72);
SEL4_COMPILE_ASSERT(bi_user_image_paging_at_88, offsetof(seL4_BootInfo, userImagePaging) == 88);
SEL4_COMPILE_ASSERT(bi_io_space_caps_at_104, offsetof(seL4_BootInfo, ioSpaceCaps) == 104);
SEL4_COMPILE_ASSERT(bi_extra_bi_pages_at_120, offsetof(seL4_BootInfo, extraBIPages) == 120);
SEL4_COMPILE_ASSERT(bi_cnode_size_bits_at_136,
                    offsetof(seL4_BootInfo, initThreadCNodeSizeBits) == 136);
SEL4_COMPILE_ASSERT(bi_domain_at_144, offsetof(seL4_BootInfo, initThreadDomain) == 144);
SEL4_COMPILE_ASSERT(bi_schedcontrol_at_152, offsetof(seL4_BootInfo, schedcontrol) == 152);
SEL4_COMPILE_ASSERT(bi_untyped_at_168, offsetof(seL4_BootInfo, untyped) == 168);
SEL4_COMPILE_ASSERT(bi_untyped_list_at_184, offsetof(seL4_BootInfo, untypedList) == 184);
SEL4_COMPILE_ASSERT(bi_is_3864_bytes, sizeof(seL4_BootInfo) == 3864);
SEL4_COMPILE_ASSERT(bi_fits_its_frame, sizeof(seL4_BootInfo) <= seL4_BootInfoFrameSize);
SEL4_COMPILE_ASSERT(bi_header_is_16_bytes, sizeof(seL4_BootInfoHeader) == 16);
SEL4_COMPILE_ASSERT(bi_header_len_at_8, offsetof(seL4_BootInfoHeader, len) == 8);
SEL4_COMPILE_ASSERT(bi_header_fdt_is_6, SEL4_BOOTINFO_HEADER_FDT == 6);
