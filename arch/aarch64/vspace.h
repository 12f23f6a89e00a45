/* User address spaces: which table a thread runs on, and tearing mappings down when the
 * caps that made them are deleted. */
#ifndef ARCH_VSPACE_H
#define ARCH_VSPACE_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/cap.h"
#include "kernel/tcb.h"

/* TTBR0 for the thread: its VSpace root and ASID when its VSpace cap names an assigned
 * VSpace, else the kernel's empty table (the thread then faults on every access). */
uint64_t vspace_thread_ttbr(struct tcb *t);
/* Unmaps what the cap mapped (frames always, tables and VSpaces and pools when final). */
void vspace_finalise_cap(cap_t cap, bool final);

#endif
