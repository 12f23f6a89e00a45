/* sel4/bootinfo.h — where a program keeps the BootInfo pointer the kernel passed in x0.
 * The runtime calls seL4_InitBootInfo before main. */
#pragma once

#include <sel4/bootinfo_types.h>

void seL4_InitBootInfo(seL4_BootInfo *bi);
seL4_BootInfo *seL4_GetBootInfo(void);
