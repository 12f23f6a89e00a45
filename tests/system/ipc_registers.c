/* Which registers a notification delivery and the empty non-blocking receives write
 * (upstream seL4): only the badge register x0. Programs built against upstream libsel4 keep
 * values in the other argument registers across these calls (its stubs say they survive),
 * so a kernel that also cleared x1 breaks them: a loop counter held in w1 then runs 2^32
 * times. Every system call here is made with x1..x8 set to known values and checked after.
 * Uses ipc_util.h, so: systest: needs a debug kernel */
#include <kairos/string.h>

#include "ipc_util.h"

#define PRIO_WAITER 150
#define BADGE 0x5a5a0000000000a5ul
#define PATTERN(i) (0x1100u + (seL4_Word)(i))

enum { REG_FIRST_CHECKED = 1, REG_SYSCALL = 7, REG_COUNT = 9 };

static seL4_CPtr ntfn, badged, ep, reply;
static struct raw_regs regs;
static volatile int about_to_block;

static struct raw_regs before;

/* x0 = cptr, x7 = the system call, x6 = the reply object where the call takes one, the rest
 * a pattern; `before` keeps a copy. */
static void raw_prepare(seL4_CPtr cptr, long syscall, seL4_CPtr reply_cptr)
{
    for (int i = 0; i < REG_COUNT; i++) {
        regs.x[i] = PATTERN(i);
    }
    regs.x[0] = cptr;
    if (reply_cptr) {
        regs.x[6] = reply_cptr;
    }
    regs.x[REG_SYSCALL] = (seL4_Word)syscall;
    before = regs;
}

/* x0 is `badge`; every other register is what it was before the call. */
static void check_only_badge(seL4_Word badge)
{
    CHECK_EQ(regs.x[0], badge);
    for (int i = REG_FIRST_CHECKED; i < REG_COUNT; i++) {
        CHECK_EQ(regs.x[i], before.x[i]);
    }
}

static void raw_in_thread(seL4_Word unused)
{
    (void)unused;
    about_to_block = 1;
    ipc_raw_syscall(&regs);
}

static bool objects(void)
{
    ntfn = ntfn_new();
    ep = ep_new();
    reply = reply_new();
    badged = ntfn ? cap_mint(ntfn, RIGHTS_ALL, BADGE) : 0;
    about_to_block = 0;
    return ntfn && ep && reply && badged;
}

/* Wait that blocks and is woken by a Signal; Wait, NBWait and Poll that find a signal. */
SYSTEST(notification_delivery_writes_only_the_badge_register)
{
    if (!threads_begin()) {
        return;
    }
    if (objects()) {
        raw_prepare(ntfn, seL4_SysWait, 0);
        struct thread *t = ipc_spawn(raw_in_thread, 0, PRIO_WAITER);
        CHECK(t && wait_for(&about_to_block));
        root_background_us(IPC_QUIET_US);
        seL4_Signal(badged);
        CHECK(t && wait_for(&t->finished));
        check_only_badge(BADGE);

        static const long pending_calls[] = {seL4_SysWait, seL4_SysNBWait};
        for (unsigned int k = 0; k < sizeof(pending_calls) / sizeof(pending_calls[0]); k++) {
            seL4_Signal(badged);
            raw_prepare(ntfn, pending_calls[k], 0);
            ipc_raw_syscall(&regs);
            check_only_badge(BADGE);
        }
    }
    threads_end();
}

/* NBWait with nothing pending, NBRecv on an empty endpoint: x0 = 0, nothing else. */
SYSTEST(empty_nonblocking_receives_write_only_the_badge_register)
{
    if (!threads_begin()) {
        return;
    }
    if (objects()) {
        raw_prepare(ntfn, seL4_SysNBWait, 0);
        ipc_raw_syscall(&regs);
        check_only_badge(0);
        raw_prepare(ep, seL4_SysNBRecv, reply);
        ipc_raw_syscall(&regs);
        check_only_badge(0);
    }
    threads_end();
}

/* A bound notification's signal reaching a thread in Recv on an endpoint: when the signal
 * is already pending, and when it arrives while the thread waits. */
SYSTEST(bound_notification_signal_writes_only_the_badge_register)
{
    if (!threads_begin()) {
        return;
    }
    if (objects()) {
        raw_prepare(ep, seL4_SysRecv, reply);
        struct thread *t = thread_create(raw_in_thread, 0, PRIO_WAITER);
        if (t && thread_give_sc(t, RR_US, RR_US, 0)) {
            CHECK_EQ(seL4_TCB_BindNotification(t->tcb, ntfn), seL4_NoError);
            thread_resume(t);
            CHECK(wait_for(&about_to_block));
            root_background_us(IPC_QUIET_US);
            CHECK(!t->finished);
            seL4_Signal(badged);
            CHECK(wait_for(&t->finished));
            check_only_badge(BADGE);
        }
        /* The signal first, then the Recv (from the root task, which it does not block). */
        seL4_CPtr tcb = seL4_CapInitThreadTCB;
        CHECK_EQ(seL4_TCB_BindNotification(tcb, ntfn), seL4_IllegalOperation); /* bound */
        if (t) {
            CHECK_EQ(seL4_TCB_UnbindNotification(t->tcb), seL4_NoError);
        }
        CHECK_EQ(seL4_TCB_BindNotification(tcb, ntfn), seL4_NoError);
        seL4_Signal(badged);
        raw_prepare(ep, seL4_SysRecv, reply);
        ipc_raw_syscall(&regs);
        check_only_badge(BADGE);
        CHECK_EQ(seL4_TCB_UnbindNotification(tcb), seL4_NoError);
    }
    threads_end();
}

/* The sender's side: a Signal (seL4_Send on a notification cap) answers nothing. */
SYSTEST(signal_writes_no_register_of_the_sender)
{
    if (!threads_begin()) {
        return;
    }
    if (objects()) {
        raw_prepare(badged, seL4_SysSend, 0);
        regs.x[1] = before.x[1] = 0; /* MessageInfo: label 0, no message registers */
        ipc_raw_syscall(&regs);
        check_only_badge(badged);
    }
    threads_end();
}
