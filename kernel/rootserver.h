/* Creating the root task at boot (manual ch. 9, ABI §6.2–6.5): its CNode with the initial
 * capabilities, address space, IPC buffer, BootInfo and extra BootInfo, TCB and
 * scheduling context, then untyped capabilities for all memory left over. */
#ifndef KERNEL_ROOTSERVER_H
#define KERNEL_ROOTSERVER_H

#include <stdint.h>

#include "kernel/boot_mem.h"
#include "kernel/tcb.h"

struct user_image {
    uint64_t p_start, p_end; /* physical, end exclusive */
    int64_t pv_offset;       /* physical - virtual */
    uint64_t v_entry;
};

/* Builds the root task from free memory in *free; returns its TCB or 0 if memory ran
 * out. dtb (a kernel pointer, may be 0) is copied into the extra BootInfo. */
struct tcb *rootserver_create(struct region_list *free, const struct user_image *ui,
                              const void *dtb, uint64_t dtb_size);
/* The root task's TCB, for the invariant checks' CSpace walk (invariants.c); 0 once the
 * TCB is destroyed. */
extern struct tcb *ks_root_thread;

/* Turns the memory still free, and the device address space outside RAM and kernel
 * devices, into untyped caps in the root CNode and BootInfo. */
void rootserver_create_untypeds(const struct region_list *free, const struct region_list *ram,
                                unsigned int pa_bits);

#endif
