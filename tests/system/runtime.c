/* The root-task runtime: TLS through tpidr_el0, the IPC-buffer pointer, message registers
 * and the simplest system calls. */
#include <kairos/runtime.h>

#include "systest.h"

static __thread uint64_t tls_counter = 0x5eed;
static __thread uint64_t tls_zeroed;

SYSTEST(runtime_ipc_buffer_pointer)
{
    seL4_IPCBuffer *b = seL4_GetIPCBuffer();
    CHECK(b != NULL);
    CHECK_EQ((uintptr_t)b, (uintptr_t)seL4_GetBootInfo()->ipcBuffer);
    /* The buffer is mapped and writable: message registers land in it. */
    seL4_SetMR(5, 0x1234567890abcdeful);
    CHECK_EQ(seL4_GetMR(5), 0x1234567890abcdeful);
    CHECK_EQ(b->msg[5], 0x1234567890abcdeful);
    seL4_SetUserData(0xfeed);
    CHECK_EQ(b->userData, 0xfeed);
}

SYSTEST(runtime_tls)
{
    uint64_t tp;
    __asm__ volatile("mrs %0, tpidr_el0" : "=r"(tp));
    CHECK(tp != 0);
    CHECK_EQ(tls_counter, 0x5eed);
    CHECK_EQ(tls_zeroed, 0);
    tls_counter++;
    CHECK_EQ(tls_counter, 0x5eee);
    /* The thread pointer survives kernel entries. */
    seL4_Yield();
    uint64_t tp2;
    __asm__ volatile("mrs %0, tpidr_el0" : "=r"(tp2));
    CHECK_EQ(tp2, tp);
}

SYSTEST(syscall_yield_returns)
{
    for (int i = 0; i < 100; i++) {
        seL4_Yield();
    }
    CHECK(true);
}

SYSTEST(syscall_registers_preserved)
{
    /* A syscall returns with every register but the ones it defines unchanged. */
    register uint64_t x19 __asm__("x19") = 0x1919;
    register uint64_t x28 __asm__("x28") = 0x2828;
    register uint64_t x9 __asm__("x9") = 0x0909;
    register uint64_t x7 __asm__("x7") = (uint64_t)seL4_SysYield;
    __asm__ volatile("svc #0" : "+r"(x19), "+r"(x28), "+r"(x9), "+r"(x7)::"memory");
    CHECK_EQ(x19, 0x1919);
    CHECK_EQ(x28, 0x2828);
    CHECK_EQ(x9, 0x0909);
}

SYSTEST(runtime_entry_registers_zero)
{
    /* ABI §6.2: x0 = BootInfo, everything else (SP and TPIDR_EL0 included) zero. */
    CHECK_EQ(kairos_entry_registers_or, 0);
}
