/* sel4/sel4.h — the whole seL4 user interface of Kairos (AArch64, MCS): types, constants,
 * IPC-buffer access, BootInfo and, on AArch64 targets, the system calls and object methods. */
#pragma once

#include <sel4/config.h>
#include <sel4/types.h>
#include <sel4/functions.h>
#include <sel4/bootinfo.h>

/* On the host only the data types are available, for unit tests of pure code. */
#ifdef __aarch64__
#include <sel4/arch/syscalls.h>
#include <sel4/invocations.h>
#include <sel4/arch/invocations.h>
#include <sel4/arch/debug_syscalls.h>
#include <sel4/arch/benchmark_syscalls.h>
#include <kairos/debug.h>
#endif
