/* bootinfo.c — keeps the seL4_BootInfo pointer the kernel passed to the root task in x0. */
#include <sel4/bootinfo.h>

/* Shared by all threads: BootInfo describes the whole system, not a thread. */
static seL4_BootInfo *boot_info;

void seL4_InitBootInfo(seL4_BootInfo *bi)
{
    boot_info = bi;
}

seL4_BootInfo *seL4_GetBootInfo(void)
{
    return boot_info;
}
