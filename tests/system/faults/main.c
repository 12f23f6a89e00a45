/* Fault-case root task: raises one EL0 exception (chosen by the fault_case string linked
 * into the image) with no fault handler. The kernel must report it, make the thread
 * inactive and keep running: it powers off once the idle loop takes a timer interrupt.
 * EXPECT lines tell the runner which kernel report and fault message to look for. */
#include <kairos/debug.h>
#include <kairos/stdio.h>
#include <kairos/string.h>
#include <sel4/sel4.h>
#include <stdint.h>

extern const char fault_case[];

#define UNKNOWN_SYSCALL_NUMBER (-100)
#define UNMAPPED_DATA 0xdead0000ul
#define UNMAPPED_CODE 0x0bad0000ul
#define BRK_IMMEDIATE 0x42
/* ESR_EL1 values: EC << 26 | IL (32-bit instruction) | ISS. */
#define ESR_UNDEFINED 0x02000000ul
#define ESR_BRK (0xf2000000ul | BRK_IMMEDIATE)
#define ESR_PC_ALIGN 0x8a000000ul
#define ESR_SP_ALIGN 0x9a000000ul
#define ESR_ALIGNMENT_DABT 0x92000021ul
#define THREAD "in thread \"rootserver\""

static void expect(const char *name, const char *regex)
{
    printf("EXPECT %s %s\n", name, regex);
}

static void __attribute__((noinline)) jump_to(uintptr_t target)
{
    __asm__ volatile("br %0" ::"r"(target));
}

int main(void)
{
    char re[200];
    printf("faults: case %s\n", fault_case);
    expect("kernel_still_running", "kairos: idle and still taking interrupts; powering off with "
                                   "status 0");
    expect("thread_made_inactive", "no fault handler; thread \"rootserver\" made inactive");
    kairos_debug_exit_when_idle(0);

    if (!strcmp(fault_case, "unknown_syscall")) {
        /* Message: X0..X7, FaultIP, SP, LR, SPSR, syscall number (ABI §4.2). */
        expect("report", "kairos: unknown syscall " THREAD ": pc=0x[0-9a-f]+ addr=0xffffffffffffff9c");
        expect("message", "fault message label=2 len=13: 0x1 0x2 0x3 0x4 0x5 0x6 0x0 "
                          "0xffffffffffffff9c 0x[0-9a-f]+ 0x[0-9a-f]+ 0x[0-9a-f]+ 0x[0-9a-f]+ "
                          "0xffffffffffffff9c$");
        register uint64_t x0 __asm__("x0") = 1, x1 __asm__("x1") = 2, x2 __asm__("x2") = 3;
        register uint64_t x3 __asm__("x3") = 4, x4 __asm__("x4") = 5, x5 __asm__("x5") = 6;
        register uint64_t x6 __asm__("x6") = 0;
        register int64_t x7 __asm__("x7") = UNKNOWN_SYSCALL_NUMBER;
        __asm__ volatile("svc #0" : "+r"(x0) : "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5),
                         "r"(x6), "r"(x7) : "memory");
    } else if (!strcmp(fault_case, "undefined_instruction")) {
        snprintf(re, sizeof(re), "kairos: user exception " THREAD ": .* esr=0x%lx$", ESR_UNDEFINED);
        expect("report", re);
        expect("message", "fault message label=3 len=5: 0x[0-9a-f]+ 0x[0-9a-f]+ 0x[0-9a-f]+ "
                          "0x2000000 0x0$");
        __asm__ volatile(".word 0x00000000"); /* udf #0 */
    } else if (!strcmp(fault_case, "breakpoint")) {
        snprintf(re, sizeof(re), "kairos: user exception " THREAD ": .* esr=0x%lx$", ESR_BRK);
        expect("report", re);
        __asm__ volatile("brk #0x42");
    } else if (!strcmp(fault_case, "data_abort")) {
        snprintf(re, sizeof(re), "kairos: vm fault " THREAD ": pc=0x[0-9a-f]+ addr=0x%lx esr=0x92",
                 UNMAPPED_DATA);
        expect("report", re);
        snprintf(re, sizeof(re), "fault message label=6 len=4: 0x[0-9a-f]+ 0x%lx 0x0 0x92",
                 UNMAPPED_DATA);
        expect("message", re);
        (void)*(volatile uint64_t *)UNMAPPED_DATA;
    } else if (!strcmp(fault_case, "instruction_abort")) {
        snprintf(re, sizeof(re), "kairos: vm fault " THREAD ": pc=0x%lx addr=0x%lx esr=0x82",
                 UNMAPPED_CODE, UNMAPPED_CODE);
        expect("report", re);
        snprintf(re, sizeof(re), "fault message label=6 len=4: 0x%lx 0x%lx 0x1 0x82",
                 UNMAPPED_CODE, UNMAPPED_CODE);
        expect("message", re);
        jump_to(UNMAPPED_CODE);
    } else if (!strcmp(fault_case, "exec_never")) {
        /* The IPC buffer is mapped without execute permission. */
        uintptr_t buf = (uintptr_t)seL4_GetBootInfo()->ipcBuffer;
        snprintf(re, sizeof(re), "kairos: vm fault " THREAD ": pc=0x%lx addr=0x%lx esr=0x82", buf,
                 buf);
        expect("report", re);
        jump_to(buf);
    } else if (!strcmp(fault_case, "misaligned_pc")) {
        uintptr_t target = (uintptr_t)&main + 2;
        snprintf(re, sizeof(re), "kairos: user exception " THREAD ": pc=0x%lx .* esr=0x%lx$",
                 target, ESR_PC_ALIGN);
        expect("report", re);
        jump_to(target);
    } else if (!strcmp(fault_case, "misaligned_sp")) {
        /* A core checking SP alignment (SCTLR_EL1.SA0, set by Kairos) raises an SP
         * alignment fault, a user exception; QEMU does not model that check, but it does
         * fault the 8-byte exclusive load through the misaligned SP (alignment fault,
         * DFSC 0x21), a VM fault. Either is the kernel's answer to a misaligned SP. */
        snprintf(re, sizeof(re),
                 "kairos: (user exception " THREAD ": .* esr=0x%lx|vm fault " THREAD
                 ": .* esr=0x%lx)$", ESR_SP_ALIGN, ESR_ALIGNMENT_DABT);
        expect("report", re);
        __asm__ volatile("mov x9, sp\n sub x9, x9, #4\n mov sp, x9\n ldxr x9, [sp]" ::: "x9",
                         "memory");
    } else {
        printf("FAIL faults/%s: unknown fault case\n", fault_case);
        kairos_debug_exit(1);
    }
    /* The faulting thread must never get here. */
    printf("FAIL faults/%s: the faulting thread resumed\n", fault_case);
    kairos_debug_exit(1);
}
