/* Fault delivery (manual §6.1.13, §6.2, ABI §4): the message of every fault this
 * configuration raises (capability fault in the send and in the receive phase, VM fault on
 * a load and on an instruction fetch, unknown syscall, user exception, timeout fault), each
 * with the badge of the handler's cap, and what the handler's reply does (restart, register
 * writes, label non-zero leaves the thread inactive); a thread without a handler; a passive
 * handler; the fault-handler tutorial; and the timeout handler of a passive server whose
 * client's budget runs out (§6.1.13.2).
 *
 * Faulting instructions sit at known addresses (ipc_util.h), so message registers holding
 * an instruction address are checked exactly. Handlers answer with seL4_Send on their reply
 * object and receive again with seL4_Recv, so that these tests do not depend on ReplyRecv
 * (ipc.c tests that).
 * systest: needs a debug kernel */
#include <kairos/string.h>
#include <sel4/faults.h>

#include "ipc_util.h"

#define KERNEL_WCET_US 10 /* ABI §7 */
/* A budget ends when the timer interrupt arrives; without -icount that is late by QEMU's
 * latency, in rare outliers by up to 10 ms (QEMU-NOTES), and the overrun is consumed time. */
#define TIMER_OUTLIER_US 10000

#define FAULT_BADGE 0xfa17
#define UNKNOWN_SYSCALL ((seL4_Word)-100)
#define ESR_UNDEFINED 0x02000000ul /* EC 0 (unknown reason), IL */
/* Translation faults at any level (the low two bits): EC data abort (0x24) or instruction
 * abort (0x20) from EL0, IL, a read. */
#define ESR_DATA_TRANSLATION 0x92000004ul
#define ESR_INSN_TRANSLATION 0x82000004ul
#define ESR_LEVEL_MASK 3ul
/* An address no test maps but this file's (L0 slot 212; threads_end unmaps it). */
#define VM_ADDR 0x6a0000000000ul
#define VM_VALUE 0x1234abcd5678ef00ul

/* ---- A scripted fault handler ----------------------------------------------------------- */

/* How the handler answers fault k: with `label`, and `length` registers that repeat the
 * fault's own (registers 0..11 of an unknown syscall, 0..2 of a user exception) except that
 * `skip` moves the restart address past the faulting instruction and X0/X1 of an unknown
 * syscall become NEW_X0/NEW_X1. A step with length < 0 means no answer: the handler stops
 * and the faulter stays blocked. */
#define NEW_X0 0x5a5a5a5aul
#define NEW_X1 0x6b6b6b6bul
#define MAX_FAULTS 4
struct step {
    seL4_Word label;
    int length;
    bool skip;
};
static struct {
    seL4_CPtr ep, reply;
    struct step step[MAX_FAULTS];
    struct caught rec[MAX_FAULTS];
    volatile int count;
    volatile int ready;
} hs;

static void handler_reset(void)
{
    memset(&hs, 0, sizeof(hs));
    for (int k = 0; k < MAX_FAULTS; k++) {
        hs.step[k].length = -1;
    }
}

static seL4_MessageInfo_t answer(const struct caught *c, const struct step *s)
{
    for (int i = 0; i < 12; i++) {
        seL4_SetMR(i, c->mr[i]);
    }
    if (c->label == seL4_Fault_UnknownSyscall) {
        seL4_SetMR(seL4_UnknownSyscall_X0, NEW_X0);
        seL4_SetMR(seL4_UnknownSyscall_X1, NEW_X1);
        if (s->skip) {
            seL4_SetMR(seL4_UnknownSyscall_FaultIP, c->mr[seL4_UnknownSyscall_FaultIP] + 4);
        }
    } else if (c->label == seL4_Fault_UserException && s->skip) {
        seL4_SetMR(seL4_UserException_FaultIP, c->mr[seL4_UserException_FaultIP] + 4);
    }
    return seL4_MessageInfo_new(s->label, 0, 0, (seL4_Word)s->length);
}

/* Receives up to MAX_FAULTS messages on hs.ep, answering each as hs.step[] says. */
static void scripted_handler(seL4_Word unused)
{
    (void)unused;
    for (int k = 0; k < MAX_FAULTS; k++) {
        seL4_Word badge = 0;
        hs.ready = k + 1;
        seL4_MessageInfo_t info = seL4_Recv(hs.ep, &badge, hs.reply);
        caught_record(&hs.rec[k], info, badge);
        hs.count = k + 1;
        if (hs.step[k].length < 0) {
            return;
        }
        seL4_Send(hs.reply, answer(&hs.rec[k], &hs.step[k]));
    }
}

/* The handler thread (above the faulters) and a badged fault-endpoint cap for them. */
static seL4_CPtr handler_start(void)
{
    hs.ep = ep_new();
    hs.reply = reply_new();
    seL4_CPtr badged = hs.ep ? cap_mint(hs.ep, RIGHTS_ALL, FAULT_BADGE) : 0;
    struct thread *h = ipc_spawn(scripted_handler, 0, PRIO_HIGH);
    if (!badged || !hs.reply || !h || !wait_for(&hs.ready)) {
        return 0;
    }
    return badged;
}

/* A faulter: a new thread whose fault endpoint is `fault_ep` (SetSpace), resumed with a
 * round-robin context below the handler. */
static struct thread *faulter_spawn(thread_fn fn, seL4_Word arg, seL4_CPtr fault_ep)
{
    struct thread *t = thread_create(fn, arg, PRIO_LOW);
    if (t == NULL) {
        return NULL;
    }
    CHECK_EQ(seL4_TCB_SetSpace(t->tcb, fault_ep, ROOT, 0, seL4_CapInitThreadVSpace, 0),
             seL4_NoError);
    if (!thread_give_sc(t, RR_US, RR_US, 0)) {
        return NULL;
    }
    thread_resume(t);
    return t;
}

/* Waits until the handler has received `n` faults. */
static bool faults_seen(int n)
{
    uint64_t end = now_ticks() + us_to_ticks(IPC_WAIT_US);
    root_set_priority(ROOT_LOW_PRIO);
    while (hs.count < n && now_ticks() < end) {
    }
    root_set_priority(ROOT_PRIO);
    return hs.count >= n;
}

/* The faulters' system calls, through ipc_raw_syscall. */
static struct raw_regs raw;
static volatile int after; /* the faulter got past its faulting instruction */

static void raw_call(seL4_Word unused)
{
    (void)unused;
    ipc_raw_syscall(&raw);
    after = 1;
}

static void raw_setup(seL4_Word cap, seL4_Word info, seL4_Word reply, seL4_Word number)
{
    memset(&raw, 0, sizeof(raw));
    raw.x[0] = cap;
    raw.x[1] = info;
    raw.x[6] = reply;
    raw.x[7] = number;
    after = 0;
}

static bool on_stack(const struct thread *t, seL4_Word sp)
{
    return sp < t->stack_top && sp >= t->stack_top - THREAD_STACK_SIZE;
}

/* ---- Capability faults ------------------------------------------------------------------ */

/* A root CPtr outside the root CNode's guard (manual §3.4.4). */
static seL4_CPtr bad_cptr(seL4_CPtr slot)
{
    return (1ul << 63) | slot;
}

static void check_cap_fault(const struct caught *c, seL4_Word addr, seL4_Word in_recv)
{
    CHECK_EQ(c->badge, FAULT_BADGE);
    CHECK_EQ(c->label, seL4_Fault_CapFault);
    CHECK_EQ(c->mr[seL4_CapFault_IP], (seL4_Word)ipc_raw_svc);
    CHECK_EQ(c->mr[seL4_CapFault_Addr], addr);
    CHECK_EQ(c->mr[seL4_CapFault_InRecvPhase], in_recv);
}

/* §6.2.1, Table 6.1, ABI §4.2: Recv on an empty slot is a capability fault in the receive
 * phase: MRs IP (the svc), Addr, InRecvPhase 1, MissingCapability with 0 bits left
 * (upstream: the cap exists but is no endpoint or notification), length 5. Replying
 * restarts the thread: the handler, as in the tutorial, puts a cap in the slot first (a
 * notification with a pending signal), so the restarted Recv returns its badge. */
SYSTEST(fault_cap_fault_in_the_receive_phase)
{
    if (!threads_begin()) {
        return;
    }
    handler_reset();
    seL4_CPtr fault_ep = handler_start();
    seL4_CPtr slot = slot_alloc(), ntfn = ntfn_new();
    seL4_CPtr ntfn5 = ntfn ? cap_mint(ntfn, RIGHTS_ALL, 5) : 0;
    if (fault_ep && slot && ntfn5) {
        /* The handler records the fault; the root task answers it. */
        raw_setup(slot, 0, 0, (seL4_Word)seL4_SysRecv);
        struct thread *f = faulter_spawn(raw_call, 0, fault_ep);
        CHECK(f && faults_seen(1));
        check_cap_fault(&hs.rec[0], slot, 1);
        CHECK_EQ(hs.rec[0].length, 5);
        CHECK_EQ(hs.rec[0].mr[seL4_CapFault_LookupFailureType], seL4_MissingCapability);
        CHECK_EQ(hs.rec[0].mr[seL4_CapFault_BitsLeft], 0);
        CHECK_EQ(after, 0);
        CHECK_EQ(seL4_CNode_Copy(ROOT, slot, ROOT_DEPTH, ROOT, ntfn5, ROOT_DEPTH,
                                 rights_word(RIGHTS_ALL)),
                 seL4_NoError);
        seL4_Signal(ntfn5);
        seL4_NBSend(hs.reply, seL4_MessageInfo_new(0, 0, 0, 0));
        CHECK(f && wait_for(&f->finished));
        CHECK_EQ(raw.x[0], 5);
    }
    threads_end();
}

/* §6.2.1: a Send whose cap does not resolve (a guard mismatch) is a capability fault in the
 * send phase: InRecvPhase 0 and the guard-mismatch description (§3.4.4: bits left, the
 * guard found, its size), length 7. Replying restarts the thread whatever the label
 * (upstream's handleFaultReply: cap faults always restart), so the Send faults again. */
SYSTEST(fault_cap_fault_in_the_send_phase_restarts_on_any_reply)
{
    if (!threads_begin()) {
        return;
    }
    handler_reset();
    hs.step[0] = (struct step){1, 0, false};
    seL4_CPtr fault_ep = handler_start();
    seL4_CPtr slot = slot_alloc();
    if (fault_ep && slot) {
        raw_setup(bad_cptr(slot), 0, 0, (seL4_Word)seL4_SysSend);
        struct thread *f = faulter_spawn(raw_call, 0, fault_ep);
        CHECK(f && faults_seen(2));
        for (int k = 0; k < 2; k++) {
            check_cap_fault(&hs.rec[k], bad_cptr(slot), 0);
            CHECK_EQ(hs.rec[k].length, 7);
            CHECK_EQ(hs.rec[k].mr[seL4_CapFault_LookupFailureType], seL4_GuardMismatch);
            CHECK_EQ(hs.rec[k].mr[seL4_CapFault_BitsLeft], seL4_WordBits);
            CHECK_EQ(hs.rec[k].mr[seL4_CapFault_GuardMismatch_GuardFound], 0);
            CHECK_EQ(hs.rec[k].mr[seL4_CapFault_GuardMismatch_BitsFound],
                     seL4_WordBits - root_radix());
        }
        CHECK_EQ(after, 0);
    }
    threads_end();
}

/* An NBRecv on nothing_ep that should find nothing, from a thread (run_in_thread). */
static seL4_CPtr nothing_ep, nothing_reply;
static volatile seL4_Word nothing_badge;
static void nbrecv_nothing(seL4_Word unused)
{
    (void)unused;
    seL4_Word badge = 0xdead;
    (void)seL4_NBRecv(nothing_ep, &badge, nothing_reply);
    nothing_badge = badge;
}

/* §6.2.1, §4.2.3: an extra cap of a Call that does not resolve is a capability fault on
 * that cap (send phase; upstream's lookupExtraCaps) and nothing is sent. */
SYSTEST(fault_cap_fault_on_an_extra_cap)
{
    if (!threads_begin()) {
        return;
    }
    handler_reset();
    seL4_CPtr fault_ep = handler_start();
    seL4_CPtr slot = slot_alloc(), ep = ep_new(), reply = reply_new();
    if (fault_ep && slot && ep && reply) {
        raw_setup(ep, seL4_MessageInfo_new(0, 0, 1, 0).words[0], 0, (seL4_Word)seL4_SysCall);
        struct thread *f = thread_create(raw_call, 0, PRIO_LOW);
        if (f) {
            /* The cap goes in the faulter's own IPC buffer. */
            ((seL4_IPCBuffer *)f->ipc_vaddr)->caps_or_badges[0] = bad_cptr(slot);
            CHECK_EQ(seL4_TCB_SetSpace(f->tcb, fault_ep, ROOT, 0, seL4_CapInitThreadVSpace, 0),
                     seL4_NoError);
            thread_give_sc(f, RR_US, RR_US, 0);
            thread_resume(f);
        }
        CHECK(f && faults_seen(1));
        check_cap_fault(&hs.rec[0], bad_cptr(slot), 0);
        CHECK_EQ(hs.rec[0].mr[seL4_CapFault_LookupFailureType], seL4_GuardMismatch);
        nothing_ep = ep;
        nothing_reply = reply;
        nothing_badge = 0xbad;
        CHECK(run_in_thread(nbrecv_nothing, 0));
        CHECK_EQ(nothing_badge, 0);
    }
    threads_end();
}

/* §4.2, §6.2.1: NBRecv on an endpoint cap without Read is a capability fault in the
 * receive phase (upstream: MissingCapability, 0 bits left), not an error: an error could
 * not be told from a message. Replying restarts it: the same fault again. (Recv: see the
 * next test.) */
SYSTEST(fault_cap_fault_on_nbrecv_without_read_right)
{
    if (!threads_begin()) {
        return;
    }
    handler_reset();
    hs.step[0] = (struct step){0, 0, false};
    seL4_CPtr fault_ep = handler_start();
    seL4_CPtr ep = ep_new(), reply = reply_new();
    seL4_CPtr write_only = ep ? cap_mint(ep, RIGHT_W | RIGHT_G | RIGHT_GR, 0) : 0;
    if (fault_ep && reply && write_only) {
        raw_setup(write_only, 0, reply, (seL4_Word)seL4_SysNBRecv);
        struct thread *f = faulter_spawn(raw_call, 0, fault_ep);
        CHECK(f && faults_seen(2));
        for (int k = 0; k < 2; k++) {
            check_cap_fault(&hs.rec[k], write_only, 1);
            CHECK_EQ(hs.rec[k].length, 5);
            CHECK_EQ(hs.rec[k].mr[seL4_CapFault_LookupFailureType], seL4_MissingCapability);
            CHECK_EQ(hs.rec[k].mr[seL4_CapFault_BitsLeft], 0);
        }
        CHECK_EQ(after, 0);
    }
    threads_end();
}

/* §6.1.13.1, §6.2: a thread without a fault handler that faults (Recv on an endpoint cap
 * without Read) is made inactive: it does not go on. Resuming it restarts the faulting
 * system call; with a handler set by then, the same fault now arrives there. */
SYSTEST(fault_without_a_handler_the_thread_becomes_inactive)
{
    if (!threads_begin()) {
        return;
    }
    handler_reset();
    seL4_CPtr ep = ep_new(), reply = reply_new();
    seL4_CPtr write_only = ep ? cap_mint(ep, RIGHT_W, 0) : 0;
    if (reply && write_only) {
        raw_setup(write_only, 0, reply, (seL4_Word)seL4_SysRecv);
        struct thread *f = ipc_spawn(raw_call, 0, PRIO_LOW);
        if (f) {
            thread_expect_inactive(f);
        }
        root_background_us(IPC_QUIET_US);
        CHECK(f && f->started && !after);
        seL4_CPtr fault_ep = handler_start();
        if (f && fault_ep) {
            CHECK_EQ(seL4_TCB_SetSpace(f->tcb, fault_ep, ROOT, 0, seL4_CapInitThreadVSpace, 0),
                     seL4_NoError);
            root_background_us(IPC_QUIET_US);
            CHECK_EQ(hs.count, 0);
            CHECK_EQ(seL4_TCB_Resume(f->tcb), seL4_NoError);
            CHECK(faults_seen(1));
            check_cap_fault(&hs.rec[0], write_only, 1);
            CHECK_EQ(hs.rec[0].mr[seL4_CapFault_LookupFailureType], seL4_MissingCapability);
            CHECK_EQ(after, 0);
        }
    }
    threads_end();
}

/* ---- VM faults -------------------------------------------------------------------------- */

/* Maps a fresh frame at VM_ADDR (with the page tables the walk needs), as a VM-fault
 * handler would. */
static seL4_CPtr vm_tables[3], vm_frame;
static bool vm_map(void)
{
    for (int i = 0; i < 3; i++) {
        seL4_Error err = seL4_ARM_PageTable_Map(vm_tables[i], seL4_CapInitThreadVSpace, VM_ADDR,
                                                seL4_ARM_Default_VMAttributes);
        if (err != seL4_NoError) {
            return false;
        }
    }
    return seL4_ARM_Page_Map(vm_frame, seL4_CapInitThreadVSpace, VM_ADDR, seL4_ReadWrite,
                             seL4_ARM_Default_VMAttributes) == seL4_NoError;
}

static void vm_load(seL4_Word unused)
{
    (void)unused;
    raw.x[0] = ipc_raw_load(VM_ADDR + 8);
    after = 1;
}

/* §6.2.7, Table 6.5, ABI §4.2: a load from an unmapped address is a VM fault: IP (the
 * load), Addr (the address), PrefetchFault 0, FSR (ESR_EL1: data abort from EL0, a
 * translation fault), length 4. The handler records it; the root task maps a frame there,
 * stores a value and replies through the handler's reply object; the thread restarts the
 * load and reads the value. */
SYSTEST(fault_vm_fault_on_a_load)
{
    if (!threads_begin()) {
        return;
    }
    handler_reset();
    seL4_CPtr fault_ep = handler_start();
    for (int i = 0; i < 3; i++) {
        vm_tables[i] = threads_object(seL4_ARM_PageTableObject, 0);
    }
    vm_frame = threads_object(seL4_ARM_SmallPageObject, 0);
    if (fault_ep && vm_tables[2] && vm_frame) {
        after = 0;
        struct thread *f = faulter_spawn(vm_load, 0, fault_ep);
        CHECK(f && faults_seen(1));
        const struct caught *c = &hs.rec[0];
        CHECK_EQ(c->badge, FAULT_BADGE);
        CHECK_EQ(c->label, seL4_Fault_VMFault);
        CHECK_EQ(c->length, seL4_VMFault_Length);
        CHECK_EQ(c->mr[seL4_VMFault_IP], (seL4_Word)ipc_load_insn);
        CHECK_EQ(c->mr[seL4_VMFault_Addr], VM_ADDR + 8);
        CHECK_EQ(c->mr[seL4_VMFault_PrefetchFault], 0);
        CHECK_EQ(c->mr[seL4_VMFault_FSR] & ~ESR_LEVEL_MASK, ESR_DATA_TRANSLATION);
        CHECK_EQ(after, 0);
        CHECK(vm_map());
        ((volatile seL4_Word *)VM_ADDR)[1] = VM_VALUE;
        seL4_NBSend(hs.reply, seL4_MessageInfo_new(0, 0, 0, 0));
        CHECK(f && wait_for(&f->finished));
        CHECK_EQ(raw.x[0], VM_VALUE);
    }
    threads_end();
}

static void vm_jump(seL4_Word unused)
{
    (void)unused;
    ((void (*)(void))VM_ADDR)();
    after = 1;
}

/* §6.2.7: an instruction fetch from an unmapped address: IP = Addr = the address,
 * PrefetchFault 1, FSR an instruction abort from EL0. "Replying to the fault IPC will restart
 * the thread" whatever the label (upstream: VM faults always restart), so it faults again. */
SYSTEST(fault_vm_fault_on_an_instruction_fetch_restarts_on_any_reply)
{
    if (!threads_begin()) {
        return;
    }
    handler_reset();
    hs.step[0] = (struct step){3, 0, false};
    seL4_CPtr fault_ep = handler_start();
    if (fault_ep) {
        after = 0;
        struct thread *f = faulter_spawn(vm_jump, 0, fault_ep);
        CHECK(f && faults_seen(2));
        for (int k = 0; k < 2; k++) {
            const struct caught *c = &hs.rec[k];
            CHECK_EQ(c->badge, FAULT_BADGE);
            CHECK_EQ(c->label, seL4_Fault_VMFault);
            CHECK_EQ(c->length, seL4_VMFault_Length);
            CHECK_EQ(c->mr[seL4_VMFault_IP], VM_ADDR);
            CHECK_EQ(c->mr[seL4_VMFault_Addr], VM_ADDR);
            CHECK_EQ(c->mr[seL4_VMFault_PrefetchFault], 1);
            CHECK_EQ(c->mr[seL4_VMFault_FSR] & ~ESR_LEVEL_MASK, ESR_INSN_TRANSLATION);
        }
        CHECK_EQ(after, 0);
    }
    threads_end();
}

/* ---- Unknown syscalls ------------------------------------------------------------------- */

static void unknown_setup(void)
{
    raw_setup(0xa0, 0xa1, 0xa6, UNKNOWN_SYSCALL);
    for (int i = 2; i <= 5; i++) {
        raw.x[i] = 0xa0 + (seL4_Word)i;
    }
    raw.x[8] = 0xa8;
}

static void check_unknown_syscall(const struct caught *c, const struct thread *f)
{
    CHECK_EQ(c->badge, FAULT_BADGE);
    CHECK_EQ(c->label, seL4_Fault_UnknownSyscall);
    CHECK_EQ(c->length, seL4_UnknownSyscall_Length);
    for (int i = 0; i < 7; i++) {
        CHECK_EQ(c->mr[seL4_UnknownSyscall_X0 + i], 0xa0 + (seL4_Word)i);
    }
    CHECK_EQ(c->mr[seL4_UnknownSyscall_X7], UNKNOWN_SYSCALL);
    CHECK_EQ(c->mr[seL4_UnknownSyscall_FaultIP], (seL4_Word)ipc_raw_svc);
    CHECK(on_stack(f, c->mr[seL4_UnknownSyscall_SP]));
    CHECK_EQ(c->mr[seL4_UnknownSyscall_LR], (seL4_Word)ipc_raw_svc + 4);
    CHECK_EQ(c->mr[seL4_UnknownSyscall_SPSR] & 0x1f, 0); /* EL0t */
    CHECK_EQ(c->mr[seL4_UnknownSyscall_Syscall], UNKNOWN_SYSCALL);
}

/* §6.2.2, ABI §4.2: an unknown system call number is an UnknownSyscall fault carrying the
 * thread's X0-X7, FaultIP (the svc), SP, LR (the saved ELR_EL1, the next PC), SPSR and the
 * number, length 13. A reply with label 0 writes the registers it carries back (X0..X7,
 * FaultIP, SP, LR, SPSR: 12) and restarts the thread: here X0 and X1 change and FaultIP
 * moves past the svc, so the thread continues after it with the new values. */
SYSTEST(fault_unknown_syscall_message_and_register_reply)
{
    if (!threads_begin()) {
        return;
    }
    handler_reset();
    hs.step[0] = (struct step){0, 12, true};
    seL4_CPtr fault_ep = handler_start();
    if (fault_ep) {
        unknown_setup();
        struct thread *f = faulter_spawn(raw_call, 0, fault_ep);
        CHECK(f && faults_seen(1));
        if (f) {
            check_unknown_syscall(&hs.rec[0], f);
            CHECK(wait_for(&f->finished));
        }
        CHECK_EQ(raw.x[0], NEW_X0);
        CHECK_EQ(raw.x[1], NEW_X1);
        CHECK_EQ(raw.x[2], 0xa2);
        CHECK_EQ(raw.x[6], 0xa6);
    }
    threads_end();
}

/* §6.2.2: "If the reply has a label of zero, the thread will be restarted. Additionally, if
 * the message length is non-zero, the faulting thread's register set will be updated":
 * label 0 with length 0 restarts the svc unchanged (a second, identical fault); a non-zero
 * label leaves the thread inactive (ABI §4.2: no further fault, it does not go on) while
 * its 12 registers are still written (upstream's handleFaultReply copies them whatever the
 * label); resumed, it continues where they say: past the svc, with the new X0 and X1. */
SYSTEST(fault_unknown_syscall_reply_label_decides_restart)
{
    if (!threads_begin()) {
        return;
    }
    handler_reset();
    hs.step[0] = (struct step){0, 0, false};
    hs.step[1] = (struct step){1, 12, true};
    seL4_CPtr fault_ep = handler_start();
    if (fault_ep) {
        unknown_setup();
        struct thread *f = faulter_spawn(raw_call, 0, fault_ep);
        CHECK(f && faults_seen(2));
        if (f) {
            check_unknown_syscall(&hs.rec[1], f);
            CHECK_EQ(hs.ready, 3); /* it answered and waits for the next fault */
            root_background_us(IPC_QUIET_US);
            CHECK_EQ(hs.count, 2);
            CHECK_EQ(after, 0);
            CHECK_EQ(seL4_TCB_Resume(f->tcb), seL4_NoError);
            CHECK(wait_for(&f->finished));
            CHECK_EQ(hs.count, 2);
            CHECK_EQ(raw.x[0], NEW_X0);
            CHECK_EQ(raw.x[1], NEW_X1);
        }
    }
    threads_end();
}

/* ---- User exceptions -------------------------------------------------------------------- */

static void udf_call(seL4_Word unused)
{
    (void)unused;
    raw.x[0] = ipc_raw_udf();
    after = 1;
}

static void check_user_exception(const struct caught *c, const struct thread *f)
{
    CHECK_EQ(c->badge, FAULT_BADGE);
    CHECK_EQ(c->label, seL4_Fault_UserException);
    CHECK_EQ(c->length, seL4_UserException_Length);
    CHECK_EQ(c->mr[seL4_UserException_FaultIP], (seL4_Word)ipc_udf_insn);
    CHECK(on_stack(f, c->mr[seL4_UserException_SP]));
    CHECK_EQ(c->mr[seL4_UserException_SPSR] & 0x1f, 0);
    CHECK_EQ(c->mr[seL4_UserException_Number], ESR_UNDEFINED);
    CHECK_EQ(c->mr[seL4_UserException_Code], 0);
}

/* §6.2.3, ABI §4.2: an undefined instruction is a UserException: FaultIP, SP, SPSR, Number
 * (ESR_EL1) and Code 0, length 5. A reply with label 0 and 3 registers (FaultIP, SP, SPSR)
 * restarts the thread where FaultIP says: past the instruction. */
SYSTEST(fault_user_exception_message_and_register_reply)
{
    if (!threads_begin()) {
        return;
    }
    handler_reset();
    hs.step[0] = (struct step){0, 3, true};
    seL4_CPtr fault_ep = handler_start();
    if (fault_ep) {
        after = 0;
        struct thread *f = faulter_spawn(udf_call, 0, fault_ep);
        CHECK(f && faults_seen(1));
        if (f) {
            check_user_exception(&hs.rec[0], f);
            CHECK(wait_for(&f->finished));
        }
        CHECK_EQ(raw.x[0], 0x600d);
    }
    threads_end();
}

/* §6.2.3, ABI §4.2: a reply with a non-zero label leaves the thread inactive, even with
 * registers that would skip the instruction; resuming it restarts at the instruction
 * (FaultIP unchanged), which faults again. */
SYSTEST(fault_user_exception_nonzero_label_leaves_the_thread_inactive)
{
    if (!threads_begin()) {
        return;
    }
    handler_reset();
    hs.step[0] = (struct step){2, 0, false};
    seL4_CPtr fault_ep = handler_start();
    if (fault_ep) {
        after = 0;
        struct thread *f = faulter_spawn(udf_call, 0, fault_ep);
        CHECK(f && faults_seen(1));
        root_background_us(IPC_QUIET_US);
        CHECK_EQ(hs.count, 1);
        CHECK_EQ(after, 0);
        if (f) {
            CHECK_EQ(seL4_TCB_Resume(f->tcb), seL4_NoError);
            CHECK(faults_seen(2));
            check_user_exception(&hs.rec[1], f);
        }
        CHECK_EQ(after, 0);
    }
    threads_end();
}

/* ---- Passive fault handler -------------------------------------------------------------- */

#define HANDLER_SPIN_US 2000
static volatile int passive_ran;
static void spinning_handler(seL4_Word unused)
{
    (void)unused;
    seL4_Word badge = 0;
    hs.ready = 1;
    seL4_MessageInfo_t info = seL4_Recv(hs.ep, &badge, hs.reply);
    caught_record(&hs.rec[0], info, badge);
    hs.count = 1;
    passive_ran = 1;
    root_spin_us(HANDLER_SPIN_US);
    hs.ready = 2;
    seL4_Send(hs.reply, answer(&hs.rec[0], &(struct step){0, 12, true}));
    (void)seL4_Recv(hs.ep, &badge, hs.reply);
}

/* §6.1.13.1: "Standard exception handlers can be passive, in which case they will run on
 * the scheduling context of the faulting thread": a handler without a context handles the
 * fault (the faulter's context is charged for its 2 ms), its reply gives the context back
 * (the faulter continues) and it is passive again. */
SYSTEST(fault_passive_handler_runs_on_the_faulters_context)
{
    if (!threads_begin()) {
        return;
    }
    handler_reset();
    passive_ran = 0;
    hs.ep = ep_new();
    hs.reply = reply_new();
    seL4_CPtr fault_ep = hs.ep ? cap_mint(hs.ep, RIGHTS_ALL, FAULT_BADGE) : 0;
    seL4_CPtr probe = probe_sc_new();
    struct thread *h = passive_spawn(spinning_handler, 0, PRIO_HIGH, &hs.ready);
    struct thread *f = thread_create(raw_call, 0, PRIO_LOW);
    if (h && f && fault_ep && probe && hs.reply) {
        unknown_setup();
        CHECK_EQ(seL4_TCB_SetSpace(f->tcb, fault_ep, ROOT, 0, seL4_CapInitThreadVSpace, 0),
                 seL4_NoError);
        thread_give_sc(f, 10000, 10000, 0);
        (void)seL4_SchedContext_Consumed(f->sc);
        thread_resume(f);
        CHECK(wait_for(&f->finished));
        seL4_SchedContext_Consumed_t c = seL4_SchedContext_Consumed(f->sc);
        CHECK_EQ(c.error, seL4_NoError);
        CHECK(c.consumed + KERNEL_WCET_US >= HANDLER_SPIN_US);
        CHECK_EQ(passive_ran, 1);
        CHECK_EQ(raw.x[0], NEW_X0);
        CHECK(!holds_sc(h, probe));
        CHECK(holds_sc(f, probe));
    }
    threads_end();
}

/* ---- Timeout faults --------------------------------------------------------------------- */

#define TIMEOUT_BUDGET_US 1000
#define TIMEOUT_PERIOD_US 20000
#define SC_BADGE 0xb0b
static volatile uint64_t spins;
static void spin_forever(seL4_Word unused)
{
    (void)unused;
    for (;;) {
        spins = spins + 1;
    }
}

static void check_timeout_fault(const struct caught *c, seL4_Word sc_badge, uint64_t budget_us)
{
    CHECK_EQ(c->badge, FAULT_BADGE);
    CHECK_EQ(c->label, seL4_Fault_Timeout);
    CHECK_EQ(c->length, seL4_Timeout_Length);
    CHECK_EQ(c->mr[seL4_Timeout_Data], sc_badge);
    CHECK(c->mr[seL4_Timeout_Consumed] + KERNEL_WCET_US >= budget_us);
    CHECK(c->mr[seL4_Timeout_Consumed] <= budget_us + TIMER_OUTLIER_US);
    if (systest_failed()) {
        printf("timeout fault: consumed %lu us of a %lu us budget\n",
               (unsigned long)c->mr[seL4_Timeout_Consumed], (unsigned long)budget_us);
    }
}

/* §6.1.13.2, §6.2.6, ABI §4.2: a thread with a timeout endpoint that uses up its budget
 * (a sporadic context, b < p) sends a timeout fault there: MR0 the context's badge
 * (SchedControl_ConfigureFlags), MR1 the microseconds consumed since the last timeout
 * fault, length 2, with the badge of the timeout-endpoint cap. The fault starts the count
 * afresh (§10.3.5.2: Consumed right after it finds next to nothing). A reply with label 0
 * restarts the thread; it runs in its next period, until the budget is gone again: a
 * second fault, again about one budget. */
SYSTEST(fault_timeout_fault_message_and_restart)
{
    if (!threads_begin()) {
        return;
    }
    handler_reset();
    hs.step[0] = (struct step){0, 0, false};
    spins = 0;
    seL4_CPtr timeout_ep = handler_start();
    struct thread *f = thread_create(spin_forever, 0, PRIO_LOW);
    seL4_CPtr sc = sc_create(seL4_MinSchedContextBits);
    if (timeout_ep && f && sc) {
        CHECK_EQ(seL4_TCB_SetTimeoutEndpoint(f->tcb, timeout_ep), seL4_NoError);
        CHECK_EQ(seL4_SchedControl_ConfigureFlags(seL4_GetBootInfo()->schedcontrol.start, sc,
                                                  TIMEOUT_BUDGET_US, TIMEOUT_PERIOD_US, 0, SC_BADGE,
                                                  seL4_SchedContext_Sporadic),
                 seL4_NoError);
        CHECK_EQ(seL4_SchedContext_Bind(sc, f->tcb), seL4_NoError);
        thread_resume(f);
        CHECK(faults_seen(1));
        uint64_t first = spins;
        seL4_SchedContext_Consumed_t since = seL4_SchedContext_Consumed(sc);
        CHECK_EQ(since.error, seL4_NoError);
        CHECK(since.consumed < TIMEOUT_BUDGET_US / 2);
        CHECK(faults_seen(2));
        CHECK(spins > first);
        check_timeout_fault(&hs.rec[0], SC_BADGE, TIMEOUT_BUDGET_US);
        check_timeout_fault(&hs.rec[1], SC_BADGE, TIMEOUT_BUDGET_US);
    }
    threads_end();
}

/* ---- The fault-handler tutorial --------------------------------------------------------- */

/* The tutorial in its MCS form: the faulter tells the handler (a Call on a sequencing
 * endpoint) where an empty slot of its CSpace is; the handler mints the fault endpoint with
 * badge 0xBEEF and makes it the faulter's fault endpoint (on MCS the cap is copied into the
 * TCB, so nothing goes into the faulter's CSpace) and replies; the faulter touches an empty
 * slot (NBRecv) and takes a cap fault; the handler, told the slot by seL4_CapFault_Addr,
 * copies the sequencing endpoint there and replies; the faulter's NBRecv now succeeds and it
 * continues. */
#define FAULTER_BADGE_VALUE 0xBEEF
static struct {
    seL4_CPtr sequencing_ep, faulter_fault_ep, badged_faulter_fault_ep, faulter_tcb;
    seL4_CPtr faulter_empty_cap, handler_reply, faulter_reply;
    volatile seL4_Word seen_slot, seen_badge, seen_label, seen_addr;
    volatile int errors, done;
} tut;

static void tutorial_faulter(seL4_Word unused)
{
    (void)unused;
    seL4_Word tmp_badge;
    seL4_SetMR(0, tut.faulter_empty_cap);
    seL4_Call(tut.sequencing_ep, seL4_MessageInfo_new(0, 0, 0, 1));
    seL4_NBRecv(tut.faulter_empty_cap, &tmp_badge, tut.faulter_reply);
    tut.done = 1;
}

static void tutorial_handler(seL4_Word unused)
{
    (void)unused;
    seL4_Word tmp_badge;
    seL4_Recv(tut.sequencing_ep, &tmp_badge, tut.handler_reply);
    tut.seen_slot = seL4_GetMR(0);
    int error =
        seL4_CNode_Mint(ROOT, tut.badged_faulter_fault_ep, ROOT_DEPTH, ROOT, tut.faulter_fault_ep,
                        ROOT_DEPTH, seL4_AllRights, FAULTER_BADGE_VALUE);
    tut.errors += error != 0;
    error = seL4_TCB_SetSpace(tut.faulter_tcb, tut.badged_faulter_fault_ep, ROOT, 0,
                              seL4_CapInitThreadVSpace, 0);
    tut.errors += error != 0;
    seL4_Send(tut.handler_reply, seL4_MessageInfo_new(0, 0, 0, 0));

    seL4_MessageInfo_t info = seL4_Recv(tut.badged_faulter_fault_ep, &tmp_badge, tut.handler_reply);
    tut.seen_badge = tmp_badge;
    tut.seen_label = seL4_MessageInfo_get_label(info);
    tut.seen_addr = seL4_GetMR(seL4_CapFault_Addr);
    error = seL4_CNode_Copy(ROOT, tut.seen_addr, ROOT_DEPTH, ROOT, tut.sequencing_ep, ROOT_DEPTH,
                            seL4_AllRights);
    tut.errors += error != 0;
    seL4_Send(tut.handler_reply, seL4_MessageInfo_new(0, 0, 0, 0));
}

SYSTEST(fault_tutorial_badged_fault_handler)
{
    if (!threads_begin()) {
        return;
    }
    memset((void *)&tut, 0, sizeof(tut));
    tut.sequencing_ep = ep_new();
    tut.faulter_fault_ep = ep_new();
    tut.badged_faulter_fault_ep = slot_alloc();
    tut.faulter_empty_cap = slot_alloc();
    tut.handler_reply = reply_new();
    tut.faulter_reply = reply_new();
    struct thread *faulter = thread_create(tutorial_faulter, 0, PRIO_LOW);
    struct thread *handler = thread_create(tutorial_handler, 0, PRIO_HIGH);
    if (faulter && handler && tut.faulter_fault_ep && tut.badged_faulter_fault_ep &&
        tut.faulter_empty_cap && tut.handler_reply && tut.faulter_reply) {
        tut.faulter_tcb = faulter->tcb;
        thread_give_sc(handler, RR_US, RR_US, 0);
        thread_give_sc(faulter, RR_US, RR_US, 0);
        thread_resume(handler);
        thread_resume(faulter);
        CHECK(wait_for(&tut.done));
        CHECK(wait_for(&handler->finished));
        CHECK_EQ(tut.errors, 0);
        CHECK_EQ(tut.seen_slot, tut.faulter_empty_cap);
        CHECK_EQ(tut.seen_badge, FAULTER_BADGE_VALUE);
        CHECK_EQ(tut.seen_label, seL4_Fault_CapFault);
        CHECK_EQ(tut.seen_addr, tut.faulter_empty_cap);
        CHECK_CAP_TYPE(tut.faulter_empty_cap, CAP_ENDPOINT);
    }
    threads_end();
}

/* ---- A passive server's timeout handler (§6.1.13.2) ------------------------------------ */

/* "Timeout fault handlers can access server reply objects and reply with an error to the
 * client, then reset the server to handle the next client request." A passive server with
 * a timeout endpoint runs a client's long request on the client's context (2 ms budget) and
 * overruns it: its timeout handler gets the fault (MR0: the client context's badge), answers
 * the client with an error through the server's reply object (the context goes back to
 * the client), restarts the server at its entry (the fault reply's registers: FaultIP, SP,
 * SPSR, X0) with a context of its own until it waits for requests again; then it is passive
 * and the client's next, short request gets a normal answer. */
#define REQ_LONG 1
#define REQ_SHORT 2
#define ANSWER_OK 0x0c
#define ANSWER_ERROR 0xe
#define CLIENT_BUDGET_US 2000
#define CLIENT_PERIOD_US 20000
#define CLIENT_SC_BADGE 0xc1
static struct {
    seL4_CPtr ep, server_reply, handler_reply, go;
    struct thread *server;
    volatile int server_entries, client_step;
    volatile seL4_Word answers[2];
    struct caught fault;
    volatile int handled, bind_error;
} ts;

static void timeout_server(seL4_Word unused)
{
    (void)unused;
    ts.server_entries = ts.server_entries + 1;
    for (;;) {
        seL4_Word badge;
        seL4_MessageInfo_t info = seL4_Recv(ts.ep, &badge, ts.server_reply);
        (void)info;
        if (seL4_GetMR(0) == REQ_LONG) {
            spin_forever(0);
        }
        seL4_Send(ts.server_reply, seL4_MessageInfo_new(ANSWER_OK, 0, 0, 0));
    }
}

static void timeout_client(seL4_Word unused)
{
    (void)unused;
    seL4_SetMR(0, REQ_LONG);
    ts.answers[0] = seL4_MessageInfo_get_label(seL4_Call(ts.ep, seL4_MessageInfo_new(0, 0, 0, 1)));
    ts.client_step = 1;
    seL4_Wait(ts.go, NULL);
    seL4_SetMR(0, REQ_SHORT);
    ts.answers[1] = seL4_MessageInfo_get_label(seL4_Call(ts.ep, seL4_MessageInfo_new(0, 0, 0, 1)));
    ts.client_step = 2;
}

static void server_timeout_handler(seL4_Word unused)
{
    (void)unused;
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = seL4_Recv(hs.ep, &badge, ts.handler_reply);
    caught_record(&ts.fault, info, badge);
    /* Error to the client through the server's reply object. */
    seL4_Send(ts.server_reply, seL4_MessageInfo_new(ANSWER_ERROR, 0, 0, 0));
    /* Reset the server: a context to get back to its Recv, and a restart at its entry. */
    ts.bind_error = seL4_SchedContext_Bind(ts.server->sc, ts.server->tcb);
    seL4_UserContext ctx;
    thread_initial_context(ts.server, &ctx);
    seL4_SetMR(seL4_TimeoutReply_FaultIP, ctx.pc);
    seL4_SetMR(seL4_TimeoutReply_SP, ctx.sp);
    seL4_SetMR(seL4_TimeoutReply_SPSR_EL1, 0);
    seL4_SetMR(seL4_TimeoutReply_X0, ctx.x0);
    ts.handled = 1;
    seL4_Send(ts.handler_reply, seL4_MessageInfo_new(0, 0, 0, 4));
}

SYSTEST(fault_timeout_handler_of_a_passive_server_answers_the_client)
{
    if (!threads_begin()) {
        return;
    }
    handler_reset();
    memset((void *)&ts, 0, sizeof(ts));
    spins = 0;
    ts.ep = ep_new();
    ts.go = ntfn_new();
    ts.server_reply = reply_new();
    ts.handler_reply = reply_new();
    hs.ep = ep_new();
    seL4_CPtr timeout_ep = hs.ep ? cap_mint(hs.ep, RIGHTS_ALL, FAULT_BADGE) : 0;
    seL4_CPtr probe = probe_sc_new();
    struct thread *server = passive_spawn(timeout_server, 0, PRIO_MID, &ts.server_entries);
    struct thread *handler = ipc_spawn(server_timeout_handler, 0, PRIO_HIGH);
    struct thread *client = thread_create(timeout_client, 0, PRIO_LOW);
    seL4_CPtr client_sc = sc_create(seL4_MinSchedContextBits);
    if (server && handler && client && client_sc && timeout_ep && probe && ts.go &&
        ts.server_reply && ts.handler_reply) {
        ts.server = server;
        CHECK_EQ(seL4_TCB_SetTimeoutEndpoint(server->tcb, timeout_ep), seL4_NoError);
        CHECK_EQ(seL4_SchedControl_ConfigureFlags(seL4_GetBootInfo()->schedcontrol.start, client_sc,
                                                  CLIENT_BUDGET_US, CLIENT_PERIOD_US, 0,
                                                  CLIENT_SC_BADGE, seL4_SchedContext_Sporadic),
                 seL4_NoError);
        CHECK_EQ(seL4_SchedContext_Bind(client_sc, client->tcb), seL4_NoError);
        thread_resume(client);
        CHECK(wait_for(&ts.handled));
        CHECK_EQ(ts.bind_error, seL4_NoError);
        CHECK(spins > 0);
        CHECK_EQ(ts.fault.label, seL4_Fault_Timeout);
        CHECK_EQ(ts.fault.mr[seL4_Timeout_Data], CLIENT_SC_BADGE);
        check_timeout_fault(&ts.fault, CLIENT_SC_BADGE, CLIENT_BUDGET_US);
        /* The server got back to its Recv on its reset context: take it away again. */
        uint64_t end = now_ticks() + us_to_ticks(IPC_WAIT_US);
        root_set_priority(ROOT_LOW_PRIO);
        while (ts.server_entries < 2 && now_ticks() < end) {
        }
        root_set_priority(ROOT_PRIO);
        CHECK_EQ(ts.server_entries, 2);
        CHECK_EQ(seL4_SchedContext_UnbindObject(server->sc, server->tcb), seL4_NoError);
        CHECK(root_background_until(&ts.client_step, 4 * CLIENT_PERIOD_US));
        CHECK_EQ(ts.answers[0], ANSWER_ERROR);
        seL4_Signal(ts.go);
        CHECK(root_background_until(&client->finished, 4 * CLIENT_PERIOD_US));
        CHECK_EQ(ts.answers[1], ANSWER_OK);
        CHECK(!holds_sc(server, probe));
        CHECK(holds_sc(client, probe));
    }
    threads_end();
}
