/* sel4/types.h — every data type of the seL4 AArch64/MCS user interface, without system calls.
 * Host-compilable, so host unit tests can include it (e.g. to test MessageInfo packing). */
#pragma once

#include <sel4/config.h>
#include <sel4/macros.h>
#include <sel4/simple_types.h>
#include <sel4/constants.h>
#include <sel4/syscall.h>
#include <sel4/errors.h>
#include <sel4/objecttype.h>
#include <sel4/invocation.h>
#include <sel4/message_info.h>
#include <sel4/cap_rights.h>
#include <sel4/cnode_cap_data.h>
#include <sel4/faults.h>
#include <sel4/flags.h>
#include <sel4/arch/types.h>
#include <sel4/ipcbuffer.h>
#include <sel4/bootinfo_types.h>
#include <sel4/benchmark_utilisation_types.h>
