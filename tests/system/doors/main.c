/* A release kernel has no debug doors (issue 14): built with the release defaults (DEBUG=0,
 * no PRINTING, no EXIT_CALLS, no TRACE), it must answer every debug, printing, exit,
 * benchmark and event-log system call, upstream's and Kairos', with an UnknownSyscall fault,
 * as upstream's release kernels do. Such a kernel gives this root task no way to print or to
 * end QEMU, so it reports through semihosting from EL0 (QEMU's userspace=on), past the
 * kernel: the doors under test are not needed to see the result.
 *
 * A child thread makes each call in turn, then a call that exists nowhere; the root task
 * is its fault handler. A door that is shut faults with its own number; a door that is open
 * returns, and the child's next fault then carries the other number. */
#include <kairos/debug.h>
#include <kairos/stdio.h>
#include <sel4/sel4.h>
#include <stdarg.h>
#include <stdbool.h>

#if defined(CONFIG_PRINTING) || defined(CONFIG_KAIROS_EXIT_CALLS) ||                               \
    defined(CONFIG_DEBUG_BUILD) || defined(CONFIG_KAIROS_TRACE)
#error "the doors test is built for a release kernel with no debug doors"
#endif

#define SEMIHOST_SYS_WRITE0 0x04ul
#define SEMIHOST_SYS_EXIT_EXTENDED 0x20ul
#define SEMIHOST_ADP_STOPPED_APPLICATION_EXIT 0x20026ul

/* A number no kernel has: the child's call after each door. */
#define NO_SUCH_SYSCALL (-1000l)
#define CHILD_STACK_SIZE 4096
#define CHILD_PRIO 100
#define CHILD_BUDGET_US 1000
#define LINE_MAX 160

struct door {
    const char *name;
    long number;
};

/* Upstream's numbers (ABI §1) and Kairos' (kernel/syscall.h). */
static const struct door doors[] = {
    {"seL4_DebugPutChar", -12},
    {"seL4_DebugDumpScheduler", -13},
    {"seL4_DebugHalt", -14},
    {"seL4_DebugCapIdentify", -15},
    {"seL4_DebugSnapshot", -16},
    {"seL4_DebugNameThread", -17},
    {"seL4_DebugSendIPI", -18},
    {"seL4_BenchmarkResetLog", -20},
    {"seL4_BenchmarkFinalizeLog", -21},
    {"seL4_BenchmarkSetLogBuffer", -22},
    {"seL4_BenchmarkNullSyscall", -23},
    {"seL4_BenchmarkFlushCaches", -24},
    {"kairos_debug_exit", -64},
    {"kairos_debug_exit_when_idle", -65},
    {"kairos_debug_check_consistency", -66},
    {"kairos_debug_preemptions", -67},
    {"kairos_trace_start", -68},
    {"kairos_trace_stop", -69},
    {"kairos_trace_read", -70},
    {"kairos_trace_mark", -71},
    {"kairos_debug_fastpath_count", -72},
    {"kairos_debug_corrupt", -73},
};
#define DOOR_COUNT (sizeof(doors) / sizeof(doors[0]))

static seL4_Word semihost(seL4_Word op, const void *arg)
{
    register seL4_Word x0 __asm__("x0") = op;
    register const void *x1 __asm__("x1") = arg;
    __asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
    return x0;
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
    char line[LINE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    semihost(SEMIHOST_SYS_WRITE0, line);
}

static __attribute__((noreturn)) void end(int status)
{
    const seL4_Word block[2] = {SEMIHOST_ADP_STOPPED_APPLICATION_EXIT, (seL4_Word)status};
    for (;;) {
        semihost(SEMIHOST_SYS_EXIT_EXTENDED, block);
    }
}

static seL4_Word syscall_raw(long number, seL4_Word x0)
{
    register seL4_Word r0 __asm__("x0") = x0;
    register long r7 __asm__("x7") = number;
    __asm__ volatile("svc #0" : "+r"(r0) : "r"(r7) : "x1", "x2", "x3", "x4", "x5", "x6", "memory");
    return r0;
}

static char child_stack[CHILD_STACK_SIZE] __attribute__((aligned(16)));

/* x0 of each door: a newline, so that a console door left open breaks no result line. */
#define DOOR_ARGUMENT '\n'

/* The child uses no TLS and no IPC buffer: plain registers only. */
static __attribute__((noreturn)) void child(seL4_Word index)
{
    syscall_raw(doors[index].number, DOOR_ARGUMENT);
    for (;;) {
        syscall_raw(NO_SUCH_SYSCALL, 0);
    }
}

struct caps {
    seL4_CPtr tcb, ep, reply, sc;
};

static seL4_CPtr next_free;

static seL4_Error make(seL4_CPtr ut, seL4_Word type, seL4_Word bits, seL4_CPtr *out)
{
    *out = next_free++;
    return seL4_Untyped_Retype(ut, type, bits, seL4_CapInitThreadCNode, 0, 0, *out, 1);
}

static seL4_CPtr find_untyped(const seL4_BootInfo *bi, unsigned int bits)
{
    for (seL4_CPtr s = bi->untyped.start; s < bi->untyped.end; s++) {
        const seL4_UntypedDesc *d = &bi->untypedList[s - bi->untyped.start];
        if (!d->isDevice && d->sizeBits >= bits) {
            return s;
        }
    }
    return seL4_CapNull;
}

static bool setup(const seL4_BootInfo *bi, struct caps *c)
{
    seL4_CPtr ut = find_untyped(bi, seL4_PageBits + 4);
    next_free = bi->empty.start;
    if (ut == seL4_CapNull || make(ut, seL4_TCBObject, 0, &c->tcb) ||
        make(ut, seL4_EndpointObject, 0, &c->ep) || make(ut, seL4_ReplyObject, 0, &c->reply) ||
        make(ut, seL4_SchedContextObject, seL4_MinSchedContextBits, &c->sc)) {
        say("FAIL doors_setup: cannot make the child's objects\n");
        return false;
    }
    seL4_Error e = seL4_TCB_Configure(c->tcb, seL4_CapInitThreadCNode, 0, seL4_CapInitThreadVSpace,
                                      0, 0, seL4_CapNull);
    if (!e) {
        e = seL4_SchedControl_ConfigureFlags(bi->schedcontrol.start, c->sc, CHILD_BUDGET_US,
                                             CHILD_BUDGET_US, 0, 0, 0);
    }
    if (!e) {
        e = seL4_TCB_SetSchedParams(c->tcb, seL4_CapInitThreadTCB, CHILD_PRIO, CHILD_PRIO, c->sc,
                                    c->ep);
    }
    if (e) {
        say("FAIL doors_setup: configuring the child: error %d\n", (int)e);
        return false;
    }
    return true;
}

/* Starts the child at door `index` and returns the number of the system call it faulted
 * on (0 if its fault was not an UnknownSyscall). */
static long try_door(const struct caps *c, seL4_Word index)
{
    seL4_UserContext regs = {0};
    regs.pc = (seL4_Word)child;
    regs.sp = (seL4_Word)(child_stack + CHILD_STACK_SIZE);
    regs.x0 = index;
    (void)seL4_TCB_Suspend(c->tcb);
    seL4_Error e =
        seL4_TCB_WriteRegisters(c->tcb, true, 0, sizeof(regs) / sizeof(seL4_Word), &regs);
    if (e) {
        return 0;
    }
    seL4_Word badge;
    seL4_MessageInfo_t info = seL4_Recv(c->ep, &badge, c->reply);
    if (seL4_MessageInfo_get_label(info) != seL4_Fault_UnknownSyscall) {
        return 0;
    }
    return (long)seL4_GetMR(seL4_UnknownSyscall_Syscall);
}

int main(void)
{
    const seL4_BootInfo *bi = seL4_GetBootInfo();
    struct caps c;
    say("SUITE doors %u\n", (unsigned int)DOOR_COUNT + 1);
    if (!setup(bi, &c)) {
        end(1);
    }
    say("PASS doors_setup\n");
    int failures = 0;
    for (seL4_Word i = 0; i < DOOR_COUNT; i++) {
        long got = try_door(&c, i);
        if (got == doors[i].number) {
            say("PASS doors_%s_is_an_unknown_syscall\n", doors[i].name);
        } else if (got == NO_SUCH_SYSCALL) {
            failures++;
            say("FAIL doors_%s_is_an_unknown_syscall: the release kernel answered system call "
                "%ld\n",
                doors[i].name, doors[i].number);
        } else {
            failures++;
            say("FAIL doors_%s_is_an_unknown_syscall: expected an UnknownSyscall fault for %ld, "
                "got %ld\n",
                doors[i].name, doors[i].number, got);
        }
    }
    (void)seL4_TCB_Suspend(c.tcb);
    say("doors: %d of %u failed\n", failures, (unsigned int)DOOR_COUNT + 1);
    end(failures);
}
