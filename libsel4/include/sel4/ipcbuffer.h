/* sel4/ipcbuffer.h — seL4_IPCBuffer, the 1 KiB per-thread block holding message registers
 * MR4 and up, extra caps and the cap receive path (ABI page §5). Host-compilable. */
#pragma once

#include <stddef.h>

#include <sel4/constants.h>
#include <sel4/macros.h>
#include <sel4/message_info.h>
#include <sel4/simple_types.h>

#define seL4_IPCBufferSize (1ul << seL4_IPCBufferSizeBits)

/* The kernel finds the buffer through the TCB and requires natural alignment. msg[0..3] are
 * only a staging area for the library: the kernel moves MR0..MR3 in x2..x5. */
typedef struct seL4_IPCBuffer_ {
    seL4_MessageInfo_t tag;
    seL4_Word msg[seL4_MsgMaxLength];
    seL4_Word userData;
    /* Send: cptrs of the extra caps. Receive: badges of the caps that were unwrapped. */
    seL4_Word caps_or_badges[seL4_MsgMaxExtraCaps];
    seL4_CPtr receiveCNode;
    seL4_CPtr receiveIndex;
    seL4_Word receiveDepth;
} seL4_IPCBuffer __attribute__((__aligned__(seL4_IPCBufferSize)));

SEL4_COMPILE_ASSERT(ipc_buffer_is_1024_bytes, sizeof(seL4_IPCBuffer) == 1024);
SEL4_COMPILE_ASSERT(ipc_buffer_size_matches_bits, sizeof(seL4_IPCBuffer) == seL4_IPCBufferSize);
SEL4_COMPILE_ASSERT(ipc_buffer_is_1k_aligned, _Alignof(seL4_IPCBuffer) == 1024);
SEL4_COMPILE_ASSERT(ipcbuf_tag_at_0, offsetof(seL4_IPCBuffer, tag) == 0);
SEL4_COMPILE_ASSERT(ipcbuf_msg_at_8, offsetof(seL4_IPCBuffer, msg) == 8);
SEL4_COMPILE_ASSERT(ipcbuf_user_data_at_968, offsetof(seL4_IPCBuffer, userData) == 968);
SEL4_COMPILE_ASSERT(ipcbuf_caps_or_badges_at_976, offsetof(seL4_IPCBuffer, caps_or_badges) == 976);
SEL4_COMPILE_ASSERT(ipcbuf_receive_cnode_at_1000, offsetof(seL4_IPCBuffer, receiveCNode) == 1000);
SEL4_COMPILE_ASSERT(ipcbuf_receive_index_at_1008, offsetof(seL4_IPCBuffer, receiveIndex) == 1008);
SEL4_COMPILE_ASSERT(ipcbuf_receive_depth_at_1016, offsetof(seL4_IPCBuffer, receiveDepth) == 1016);
