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

/* seL4_Yield defines no result: upstream's stub tells the compiler that every register
 * survives it, so the kernel must write none (x0..x28 are checked, x7 holds the number). */
#define YIELD_PATTERN 0x1000u
SYSTEST(syscall_yield_writes_no_register)
{
    uint64_t regs[29];
    __asm__ volatile(
        "str %[buf], [sp, #-16]!\n"
        ".irp n,0,1,2,3,4,5,6,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28\n"
        "mov x\\n, #(%[pat] + \\n)\n"
        ".endr\n"
        "mov x7, %[yield]\n"
        "svc #0\n"
        "str x0, [sp, #8]\n"
        "ldr x0, [sp]\n"
        ".irp n,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28\n"
        "str x\\n, [x0, #(8 * \\n)]\n"
        ".endr\n"
        "ldr x1, [sp, #8]\n"
        "str x1, [x0]\n"
        "add sp, sp, #16\n"
        :
        : [buf] "r"(regs), [pat] "i"(YIELD_PATTERN), [yield] "i"(seL4_SysYield)
        : "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
          "x14", "x15", "x16", "x17", "x18", "x19", "x20", "x21", "x22", "x23", "x24", "x25",
          "x26", "x27", "x28", "memory");
    for (unsigned int i = 0; i < 29; i++) {
        CHECK_EQ(regs[i], i == 7 ? (uint64_t)seL4_SysYield : YIELD_PATTERN + i);
    }
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
