/* kairos/runtime.h — the Kairos root-task runtime: what runs between the kernel's jump to
 * _start and the program's main, and how it reports the result. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <sel4/bootinfo_types.h>

/* QEMU exit status when the runtime cannot start main (bad image, TLS too big, no main).
 * Otherwise the status is main's return value. */
#define KAIROS_EXIT_RUNTIME_FAILURE 127

/* The program provides `int main(void)`; the runtime passes no arguments.
 * Called by _start (crt0.S) on the runtime's own stack with the BootInfo pointer from x0:
 * sets up TLS and the IPC buffer, records BootInfo, runs main, then exits with its result
 * through kairos_debug_exit. */
void kairos_runtime_start(seL4_BootInfo *bi) __attribute__((__noreturn__));

/* The OR of x1..x30, SP_EL0 and TPIDR_EL0 as the kernel started the root task: 0 when, as
 * ABI §6.2 requires, only x0 (the BootInfo pointer) was set. */
extern seL4_Word kairos_entry_registers_or;

/* TLS for a thread the program makes: lays out the image's PT_TLS template in `area` as
 * the runtime does for the initial thread (each thread needs its own copy, the IPC-buffer
 * pointer among it) and returns the thread pointer for its TPIDR_EL0, or 0 if the area is
 * too small. */
uintptr_t kairos_tls_new(void *area, size_t size);
