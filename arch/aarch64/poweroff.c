/* Ending the machine with a status: semihosting SYS_EXIT_EXTENDED when the platform runs
 * under QEMU with semihosting (so test runners see the status), PSCI SYSTEM_OFF otherwise
 * where the board has PSCI; a board without it stops here. */
#include "arch/aarch64/cpu.h"
#include "platform.h"

#define SEMIHOST_SYS_EXIT_EXTENDED 0x20ul
#define SEMIHOST_ADP_STOPPED_APPLICATION_EXIT 0x20026ul
#define PSCI_SYSTEM_OFF 0x84000008ul

void machine_poweroff(int status)
{
#if SEMIHOSTING
    volatile uint64_t block[2] = {SEMIHOST_ADP_STOPPED_APPLICATION_EXIT, (uint64_t)(int64_t)status};
    register uint64_t x0 __asm__("x0") = SEMIHOST_SYS_EXIT_EXTENDED;
    register uint64_t x1 __asm__("x1") = (uint64_t)(uintptr_t)block;
    __asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
#else
    (void)status;
#endif
#if PLAT_HAS_PSCI
    register uint64_t fn __asm__("x0") = PSCI_SYSTEM_OFF;
#if PLAT_PSCI_USE_HVC
    __asm__ volatile("hvc #0" : "+r"(fn)::"memory");
#else
    __asm__ volatile("smc #0" : "+r"(fn)::"memory");
#endif
#endif
    for (;;) {
        __asm__ volatile("wfi");
    }
}
