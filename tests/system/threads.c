/* TCB methods (manual §6.1.1-6.1.4, §6.1.14, §10.3.7, §10.3.8; ABI §3.5, §4.3): registers
 * read, written and copied, Suspend/Resume, TLS base, IPC buffer, feature flags,
 * SetSpace/Configure/SetSchedParams errors, the timeout endpoint and DomainSet_Set. Threads
 * live in the root task's CSpace and VSpace (thread_util.h); where the manual is silent the
 * expectation is upstream seL4's (src/object/tcb.c), said in a comment.
 * systest: needs a debug kernel */
#include <kairos/string.h>
#include <sel4/cnode_cap_data.h>
#include <sel4/faults.h>

#include "thread_util.h"

#define NREGS (sizeof(seL4_UserContext) / sizeof(seL4_Word)) /* 36 (ABI §4.3) */
#define FRAME_REGS 17 /* pc, sp, spsr, x0-x8, x16-x18, x29, x30 */
/* What a user thread's SPSR always reads as: EL0t with FIQs masked. Upstream's PSTATE_USER
 * in a debug build (release builds also mask SErrors); only NZCV are the user's. */
#define SPSR_USER 0x40ul
#define SPSR_NZCV 0xf0000000ul
#define WAIT_US 200000
#define KERNEL_WCET_US 10   /* ABI §7 */
#define TIMER_SLACK_US 1000 /* one late timer interrupt without -icount (see sched.c) */

static seL4_Word *words(seL4_UserContext *c)
{
    return (seL4_Word *)c;
}

/* A context with a different value in every register, all 36 distinct per `seed`. */
static void pattern(seL4_UserContext *c, seL4_Word seed)
{
    for (unsigned int i = 0; i < NREGS; i++) {
        words(c)[i] = (seed << 48) | ((seL4_Word)(i + 1) << 32) | (0x1000u * (i + 1)) | seed;
    }
}

static void check_context(const char *what, seL4_UserContext *got, seL4_UserContext *want)
{
    for (unsigned int i = 0; i < NREGS; i++) {
        if (words(got)[i] != words(want)[i]) {
            systest_fail(__FILE__, __LINE__, "%s: register %u is 0x%lx, not 0x%lx", what, i,
                         (unsigned long)words(got)[i], (unsigned long)words(want)[i]);
            return;
        }
    }
}

static seL4_Word sanitised_spsr(seL4_Word v)
{
    return (v & SPSR_NZCV) | SPSR_USER;
}

static void idle_fn(seL4_Word unused)
{
    (void)unused;
}

static void count_forever(seL4_Word counter)
{
    volatile uint64_t *c = (volatile uint64_t *)counter;
    for (;;) {
        *c = *c + 1;
    }
}

/* ---- Registers ------------------------------------------------------------------------- */

/* §6.1.14, §10.3.7.6, §10.3.7.20: all 36 registers of an inactive thread written and read
 * back in seL4_UserContext order; the kernel masks SPSR to the condition flags (writing
 * 0x3c5, EL1h with DAIF masked, reads back EL0t with only F masked). A new TCB reads as
 * zero but for SPSR (upstream's Arch_initContext). Partial counts touch only the first
 * `count` registers. */
SYSTEST(tcb_registers_write_read_round_trip)
{
    if (!threads_begin()) {
        return;
    }
    seL4_CPtr fresh = threads_object(seL4_TCBObject, 0);
    struct thread *t = thread_create(idle_fn, 0, 100);
    if (fresh && t) {
        seL4_UserContext got, want;
        memset(&want, 0, sizeof(want));
        want.spsr = SPSR_USER;
        CHECK_EQ(seL4_TCB_ReadRegisters(fresh, false, 0, NREGS, &got), seL4_NoError);
        check_context("new TCB", &got, &want);

        pattern(&want, 0xa5);
        want.spsr = 0xf0000000ul | 0x3c5;
        CHECK_EQ(seL4_TCB_WriteRegisters(t->tcb, false, 0, NREGS, &want), seL4_NoError);
        want.spsr = sanitised_spsr(want.spsr);
        CHECK_EQ(seL4_TCB_ReadRegisters(t->tcb, false, 0, NREGS, &got), seL4_NoError);
        check_context("written", &got, &want);

        static const seL4_Word spsr_in[] = {0, 0x3c5, 0x5, 0x3c0, 0xa00003c5, 0xffffffffffffffff};
        for (unsigned int i = 0; i < sizeof(spsr_in) / sizeof(spsr_in[0]); i++) {
            seL4_UserContext c = want;
            c.spsr = spsr_in[i];
            CHECK_EQ(seL4_TCB_WriteRegisters(t->tcb, false, 0, 3, &c), seL4_NoError);
            CHECK_EQ(seL4_TCB_ReadRegisters(t->tcb, false, 0, 3, &got), seL4_NoError);
            CHECK_EQ(got.spsr, sanitised_spsr(spsr_in[i]));
        }

        /* Four registers written: pc, sp, spsr, x0; x1 onwards keep their values. */
        seL4_UserContext part;
        pattern(&part, 0x3c);
        part.spsr = 0x50000000;
        CHECK_EQ(seL4_TCB_WriteRegisters(t->tcb, false, 0, 4, &part), seL4_NoError);
        memcpy(&want, &part, 4 * sizeof(seL4_Word));
        CHECK_EQ(seL4_TCB_ReadRegisters(t->tcb, false, 0, NREGS, &got), seL4_NoError);
        want.spsr = sanitised_spsr(part.spsr);
        check_context("four written", &got, &want);
        /* Reading fewer returns those. */
        seL4_UserContext few;
        memset(&few, 0, sizeof(few));
        CHECK_EQ(seL4_TCB_ReadRegisters(t->tcb, false, 0, 5, &few), seL4_NoError);
        CHECK_EQ(few.pc, want.pc);
        CHECK_EQ(few.x1, want.x1);
        /* Count 0 writes nothing (upstream: only the message length is checked). */
        CHECK_EQ(seL4_TCB_WriteRegisters(t->tcb, false, 0, 0, &part), seL4_NoError);
        CHECK_EQ(seL4_TCB_ReadRegisters(t->tcb, false, 0, NREGS, &got), seL4_NoError);
        check_context("count 0", &got, &want);
    }
    threads_end();
}

/* §10.3.7.6: count outside 1..36 is RangeError(1, 36); a thread may not read or write its
 * own registers (IllegalOperation); §10.3.7.20 and upstream: a message shorter than 2 +
 * count words is TruncatedMessage; a service that is no TCB answers IllegalOperation. */
SYSTEST(tcb_registers_errors)
{
    if (!threads_begin()) {
        return;
    }
    struct thread *t = thread_create(idle_fn, 0, 100);
    if (t) {
        seL4_UserContext c;
        memset(&c, 0, sizeof(c));
        CHECK_RANGE_ERROR(seL4_TCB_ReadRegisters(t->tcb, false, 0, 0, &c), 1, NREGS);
        CHECK_RANGE_ERROR(seL4_TCB_ReadRegisters(t->tcb, false, 0, NREGS + 1, &c), 1, NREGS);
        CHECK_RANGE_ERROR(seL4_TCB_ReadRegisters(t->tcb, false, 0, UINT64_MAX, &c), 1, NREGS);
        CHECK_EQ(seL4_TCB_ReadRegisters(seL4_CapInitThreadTCB, false, 0, NREGS, &c),
                 seL4_IllegalOperation);
        /* Count 0, so that a kernel that wrongly accepts it changes nothing of ours. */
        CHECK_EQ(seL4_TCB_WriteRegisters(seL4_CapInitThreadTCB, false, 0, 0, &c),
                 seL4_IllegalOperation);
        CHECK_EQ(seL4_TCB_ReadRegisters(seL4_CapInitThreadCNode, false, 0, NREGS, &c),
                 seL4_IllegalOperation);

        /* Raw messages: count 5 with 3 register words, and a message of one word. */
        seL4_Word mr[4] = {0, 5, 0x400000, 0x800000};
        seL4_SetMR(4, 0);
        CHECK_EQ(kairos_invoke(t->tcb, TCBWriteRegisters, 0, 2 + 3, mr), seL4_TruncatedMessage);
        seL4_Word mr1[4] = {0, 0, 0, 0};
        CHECK_EQ(kairos_invoke(t->tcb, TCBWriteRegisters, 0, 1, mr1), seL4_TruncatedMessage);
        seL4_Word mr2[4] = {0, 0, 0, 0};
        CHECK_EQ(kairos_invoke(t->tcb, TCBReadRegisters, 0, 1, mr2), seL4_TruncatedMessage);
        /* Count 40 with 40 register words is accepted: the kernel uses the first 36. */
        seL4_Word mr3[4] = {0, 40, 0x1234, 0x5678};
        for (int i = 4; i < 42; i++) {
            seL4_SetMR(i, 0x100 + i);
        }
        CHECK_EQ(kairos_invoke(t->tcb, TCBWriteRegisters, 0, 42, mr3), seL4_NoError);
        CHECK_EQ(seL4_TCB_ReadRegisters(t->tcb, false, 0, NREGS, &c), seL4_NoError);
        CHECK_EQ(c.pc, 0x1234);
        CHECK_EQ(c.tpidrro_el0, 0x100 + 37);
    }
    threads_end();
}

/* §10.3.7.4 with ABI §4.3's split: "frame" registers are the first 17 of seL4_UserContext,
 * "integer" registers the other 19; CopyRegisters moves either set, both or neither. */
SYSTEST(tcb_copy_registers_subsets)
{
    if (!threads_begin()) {
        return;
    }
    struct thread *src = thread_create(idle_fn, 0, 100);
    struct thread *dst = thread_create(idle_fn, 0, 100);
    seL4_CPtr ep = threads_object(seL4_EndpointObject, 0);
    if (src && dst && ep) {
        seL4_UserContext a, b, got, want;
        pattern(&a, 0xaa);
        pattern(&b, 0xbb);
        a.spsr = sanitised_spsr(0x90000000);
        b.spsr = sanitised_spsr(0x60000000);
        CHECK_EQ(seL4_TCB_WriteRegisters(src->tcb, false, 0, NREGS, &a), seL4_NoError);
        for (int frame = 0; frame < 2; frame++) {
            for (int integer = 0; integer < 2; integer++) {
                CHECK_EQ(seL4_TCB_WriteRegisters(dst->tcb, false, 0, NREGS, &b), seL4_NoError);
                CHECK_EQ(
                    seL4_TCB_CopyRegisters(dst->tcb, src->tcb, false, false, frame, integer, 0),
                    seL4_NoError);
                want = b;
                if (frame) {
                    memcpy(words(&want), words(&a), FRAME_REGS * sizeof(seL4_Word));
                }
                if (integer) {
                    memcpy(words(&want) + FRAME_REGS, words(&a) + FRAME_REGS,
                           (NREGS - FRAME_REGS) * sizeof(seL4_Word));
                }
                CHECK_EQ(seL4_TCB_ReadRegisters(dst->tcb, false, 0, NREGS, &got), seL4_NoError);
                check_context(frame ? (integer ? "both" : "frame") : (integer ? "integer" : "none"),
                              &got, &want);
            }
        }
        /* The source must be a TCB. */
        CHECK_ARG_ERROR(seL4_TCB_CopyRegisters(dst->tcb, ep, false, false, true, true, 0),
                        seL4_InvalidCapability, 1);
        CHECK_EQ(
            seL4_TCB_CopyRegisters(seL4_CapInitThreadCNode, src->tcb, false, false, true, true, 0),
            seL4_IllegalOperation);
    }
    threads_end();
}

static volatile uint64_t counter_a, counter_b;
static volatile int entries_a;

static void counted_entry(seL4_Word counter)
{
    entries_a = entries_a + 1;
    count_forever(counter);
}

/* §10.3.7.4: suspend_source stops the (running) source, resume_target starts the target;
 * §10.3.7.6/20: ReadRegisters' suspend_source and WriteRegisters' resume_target likewise. */
SYSTEST(tcb_register_methods_suspend_and_resume)
{
    if (!threads_begin()) {
        return;
    }
    counter_a = counter_b = 0;
    struct thread *src = thread_spawn(count_forever, (seL4_Word)&counter_a, 100, 1000, 2000, 0);
    struct thread *dst = thread_create(count_forever, (seL4_Word)&counter_b, 100);
    if (src && dst && thread_give_sc(dst, 1000, 2000, 0)) {
        root_background_us(5000);
        CHECK(counter_a > 0);
        CHECK_EQ(counter_b, 0);
        /* Copying nothing, with both flags. */
        CHECK_EQ(seL4_TCB_CopyRegisters(dst->tcb, src->tcb, true, true, false, false, 0),
                 seL4_NoError);
        uint64_t a = counter_a;
        root_background_us(5000);
        CHECK_EQ(counter_a, a);
        CHECK(counter_b > 0);

        /* ReadRegisters with suspend_source stops dst. */
        seL4_UserContext c;
        CHECK_EQ(seL4_TCB_ReadRegisters(dst->tcb, true, 0, NREGS, &c), seL4_NoError);
        uint64_t b = counter_b;
        root_background_us(5000);
        CHECK_EQ(counter_b, b);
        /* WriteRegisters with resume_target restarts it at what was read (unchanged). */
        CHECK_EQ(seL4_TCB_WriteRegisters(dst->tcb, true, 0, NREGS, &c), seL4_NoError);
        root_background_us(5000);
        CHECK(counter_b > b);
    }
    threads_end();
}

/* §6.1.3: a suspended thread stops; resumed, it continues where it was (its function is
 * not entered again and its count goes on). Resume of a running thread and Suspend of a
 * suspended one change nothing. */
SYSTEST(tcb_suspend_resume_continues)
{
    if (!threads_begin()) {
        return;
    }
    counter_a = 0;
    entries_a = 0;
    struct thread *t = thread_spawn(counted_entry, (seL4_Word)&counter_a, 100, 1000, 2000, 0);
    if (t) {
        root_background_us(5000);
        uint64_t c0 = counter_a;
        CHECK(c0 > 0);
        CHECK_EQ(seL4_TCB_Suspend(t->tcb), seL4_NoError);
        uint64_t c1 = counter_a;
        root_background_us(5000);
        CHECK_EQ(counter_a, c1);
        CHECK_EQ(seL4_TCB_Suspend(t->tcb), seL4_NoError);
        CHECK_EQ(seL4_TCB_Resume(t->tcb), seL4_NoError);
        root_background_us(5000);
        CHECK(counter_a > c1);
        CHECK_EQ(seL4_TCB_Resume(t->tcb), seL4_NoError);
        root_background_us(2000);
        CHECK_EQ(entries_a, 1);
        CHECK_EQ(seL4_TCB_Suspend(seL4_CapInitThreadCNode), seL4_IllegalOperation);
        CHECK_EQ(seL4_TCB_Resume(seL4_CapInitThreadCNode), seL4_IllegalOperation);
    }
    threads_end();
}

/* ---- TLS base, IPC buffer, flags ------------------------------------------------------- */

static volatile seL4_Word tp_seen;
static void report_tp(seL4_Word unused)
{
    (void)unused;
    for (;;) {
        seL4_Word tp;
        __asm__ volatile("mrs %0, tpidr_el0" : "=r"(tp));
        tp_seen = tp;
    }
}

/* §10.3.7.16: SetTLSBase sets TPIDR_EL0 (ABI §7: the TLS register) of a thread, also of
 * one that is already running, and ReadRegisters shows it. */
SYSTEST(tcb_set_tls_base)
{
    if (!threads_begin()) {
        return;
    }
    tp_seen = 0;
    struct thread *t = thread_spawn(report_tp, 0, 100, 1000, 2000, 0);
    if (t) {
        root_background_us(3000);
        CHECK_EQ(tp_seen, t->tls_tp);
        const seL4_Word base = 0x0123456789abcdeful;
        CHECK_EQ(seL4_TCB_SetTLSBase(t->tcb, base), seL4_NoError);
        root_background_us(3000);
        CHECK_EQ(tp_seen, base);
        seL4_UserContext c;
        CHECK_EQ(seL4_TCB_ReadRegisters(t->tcb, false, 0, NREGS, &c), seL4_NoError);
        CHECK_EQ(c.tpidr_el0, base);
        CHECK_EQ(seL4_TCB_SetTLSBase(seL4_CapInitThreadCNode, base), seL4_IllegalOperation);
    }
    threads_end();
}

/* A thread that moves its own IPC-buffer pointer to where the root task put its buffer,
 * then reads another thread's registers: MR4 onwards arrive through the buffer. */
#define NEW_BUFFER (THREAD_IPC_REGION + 64 * (1ul << seL4_PageBits))
static volatile seL4_CPtr victim_tcb;
static seL4_UserContext victim_seen;
static volatile int victim_error;
static void read_through_new_buffer(seL4_Word unused)
{
    (void)unused;
    seL4_SetIPCBuffer((seL4_IPCBuffer *)NEW_BUFFER);
    seL4_UserContext c;
    victim_error = seL4_TCB_ReadRegisters(victim_tcb, false, 0, NREGS, &c);
    victim_seen = c;
}

/* §10.3.7.11: SetIPCBuffer moves a thread's buffer (the kernel writes message registers
 * there from then on); the address must be aligned (AlignmentError; the buffer is 1 KiB,
 * ABI §5) and the cap a frame (IllegalOperation), not one retyped from device memory
 * (IllegalOperation). Address 0 removes the buffer and needs no frame (upstream). */
SYSTEST(tcb_set_ipc_buffer)
{
    if (!threads_begin()) {
        return;
    }
    struct thread *t = thread_create(read_through_new_buffer, 0, 100);
    struct thread *victim = thread_create(idle_fn, 0, 100);
    seL4_CPtr frame = threads_object(seL4_ARM_SmallPageObject, 0);
    seL4_CPtr ep = threads_object(seL4_EndpointObject, 0);
    seL4_CPtr dev_ut = ut_alloc_device(seL4_PageBits);
    seL4_CPtr dev_frame = dev_ut ? object_new(dev_ut, seL4_ARM_SmallPageObject, 0) : 0;
    CHECK(dev_frame != 0);
    if (t && victim && frame && ep) {
        CHECK_EQ(seL4_ARM_Page_Map(frame, seL4_CapInitThreadVSpace, NEW_BUFFER, seL4_ReadWrite,
                                   seL4_ARM_Default_VMAttributes),
                 seL4_NoError);
        CHECK_EQ(seL4_TCB_SetIPCBuffer(t->tcb, NEW_BUFFER + 8, frame), seL4_AlignmentError);
        CHECK_EQ(seL4_TCB_SetIPCBuffer(t->tcb, NEW_BUFFER + 0x100, frame), seL4_AlignmentError);
        CHECK_EQ(seL4_TCB_SetIPCBuffer(t->tcb, NEW_BUFFER, ep), seL4_IllegalOperation);
        CHECK_EQ(seL4_TCB_SetIPCBuffer(t->tcb, NEW_BUFFER, seL4_CapInitThreadCNode),
                 seL4_IllegalOperation);
        if (dev_frame) {
            CHECK_EQ(seL4_TCB_SetIPCBuffer(t->tcb, NEW_BUFFER, dev_frame), seL4_IllegalOperation);
        }
        CHECK_EQ(seL4_TCB_SetIPCBuffer(victim->tcb, 0, seL4_CapNull), seL4_NoError);
        CHECK_EQ(seL4_TCB_SetIPCBuffer(seL4_CapInitThreadCNode, NEW_BUFFER, frame),
                 seL4_IllegalOperation);

        seL4_UserContext want;
        pattern(&want, 0x77);
        want.spsr = SPSR_USER;
        CHECK_EQ(seL4_TCB_WriteRegisters(victim->tcb, false, 0, NREGS, &want), seL4_NoError);
        victim_tcb = victim->tcb;
        victim_error = -1;
        CHECK_EQ(seL4_TCB_SetIPCBuffer(t->tcb, NEW_BUFFER, frame), seL4_NoError);
        thread_give_sc(t, 5000, 5000, 0);
        thread_resume(t);
        CHECK(root_background_until(&t->finished, WAIT_US));
        CHECK_EQ(victim_error, seL4_NoError);
        check_context("read through the new buffer", &victim_seen, &want);
        /* The old buffer got nothing. */
        CHECK_EQ(((seL4_IPCBuffer *)t->ipc_vaddr)->msg[NREGS - 1], 0);
    }
    ut_free(dev_ut);
    threads_end();
}

/* A function that touches the FP/SIMD registers, as its first instruction. */
__asm__(".text\n"
        ".global threads_fpu_touch\n"
        ".type threads_fpu_touch, %function\n"
        "threads_fpu_touch:\n"
        "    fmov d0, xzr\n"
        "    ret\n"
        ".size threads_fpu_touch, . - threads_fpu_touch\n");
void threads_fpu_touch(void);

static volatile int fpu_before[2], fpu_after[2];
static void use_fpu(seL4_Word i)
{
    fpu_before[i] = 1;
    threads_fpu_touch();
    fpu_after[i] = 1;
}

/* §6.1.4, §10.3.7.10: a new TCB has no flags; SetFlags clears then sets (so set wins),
 * ignores unknown bits and returns the result. A thread with seL4_TCBFlag_fpuDisabled
 * faults on its first FP instruction; with no fault handler it stops there for good
 * (§6.1.13.1), with its PC at that instruction (upstream: FaultIP). */
SYSTEST(tcb_set_flags_fpu_disabled)
{
    if (!threads_begin()) {
        return;
    }
    struct thread *off = thread_create(use_fpu, 0, 100);
    struct thread *on = thread_create(use_fpu, 1, 100);
    if (off && on) {
        seL4_TCB_SetFlags_t r = seL4_TCB_SetFlags(off->tcb, 0, 0);
        CHECK_EQ(r.error, seL4_NoError);
        CHECK_EQ(r.flags, 0);
        r = seL4_TCB_SetFlags(off->tcb, 0, seL4_TCBFlag_fpuDisabled);
        CHECK_EQ(r.error, seL4_NoError);
        CHECK_EQ(r.flags, seL4_TCBFlag_fpuDisabled);
        CHECK_EQ(seL4_TCB_SetFlags(off->tcb, 0, 0).flags, seL4_TCBFlag_fpuDisabled);
        CHECK_EQ(seL4_TCB_SetFlags(off->tcb, seL4_TCBFlag_fpuDisabled, 0).flags, 0);
        CHECK_EQ(
            seL4_TCB_SetFlags(off->tcb, seL4_TCBFlag_fpuDisabled, seL4_TCBFlag_fpuDisabled).flags,
            seL4_TCBFlag_fpuDisabled);
        CHECK_EQ(seL4_TCB_SetFlags(off->tcb, ~0ul, 0).flags, 0);
        CHECK_EQ(seL4_TCB_SetFlags(off->tcb, 0, ~0ul).flags, seL4_TCBFlag_fpuDisabled);
        /* A service of the wrong type: the manual lists InvalidCapability for SetFlags,
         * upstream answers IllegalOperation (the CNode decoder does not know the label). */
        int wrong = seL4_TCB_SetFlags(seL4_CapInitThreadCNode, 0, 0).error;
        CHECK(wrong == seL4_InvalidCapability || wrong == seL4_IllegalOperation);

        fpu_before[0] = fpu_before[1] = fpu_after[0] = fpu_after[1] = 0;
        CHECK_EQ(seL4_TCB_SetFlags(on->tcb, seL4_TCBFlag_fpuDisabled, 0).flags, 0);
        thread_give_sc(off, 1000, 2000, 0);
        thread_give_sc(on, 1000, 2000, 0);
        thread_expect_inactive(off);
        thread_resume(off);
        thread_resume(on);
        CHECK(root_background_until(&on->finished, WAIT_US));
        root_background_us(5000);
        CHECK_EQ(fpu_before[1], 1);
        CHECK_EQ(fpu_after[1], 1);
        CHECK_EQ(fpu_before[0], 1);
        CHECK_EQ(fpu_after[0], 0);
        CHECK(!off->finished);
        seL4_UserContext c = {0};
        CHECK_EQ(seL4_TCB_ReadRegisters(off->tcb, false, 0, 1, &c), seL4_NoError);
        CHECK_EQ(c.pc, (seL4_Word)threads_fpu_touch);
    }
    threads_end();
}

/* ---- Spaces and handlers --------------------------------------------------------------- */

static seL4_CPtr copy_with_rights(seL4_CPtr cap, seL4_Word rights)
{
    seL4_CPtr c = slot_alloc();
    CHECK_EQ(seL4_CNode_Copy(ROOT, c, ROOT_DEPTH, ROOT, cap, ROOT_DEPTH, rights_word(rights)),
             seL4_NoError);
    return c;
}

/* Rights bits (ABI §1.3): Write 1, Read 2, Grant 4, GrantReply 8. */
enum { R_W = 1, R_R = 2, R_G = 4, R_GR = 8 };

/* §10.3.8.3 and §10.3.8.1 (MCS SetSpace/Configure) and §10.3.8.2: a CSpace root that is no
 * CNode, or whose guard data is invalid, a VSpace that is no VSpace or has no ASID, and a
 * bad IPC buffer are IllegalOperation (misalignment: AlignmentError); a fault endpoint
 * without Write, or without both Grant and GrantReply, is InvalidCapability (SetSpace:
 * cap 1; SetSchedParams: cap 3, upstream's numbering). §6.1.13: a null fault endpoint
 * means none. */
SYSTEST(tcb_set_space_configure_errors)
{
    if (!threads_begin()) {
        return;
    }
    struct thread *t = thread_create(idle_fn, 0, 100);
    seL4_CPtr ep = threads_object(seL4_EndpointObject, 0);
    seL4_CPtr ntfn = threads_object(seL4_NotificationObject, 0);
    seL4_CPtr bare_vspace = threads_object(seL4_ARM_VSpaceObject, 0);
    seL4_CPtr frame = threads_object(seL4_ARM_SmallPageObject, 0);
    seL4_CPtr dev_ut = ut_alloc_device(seL4_PageBits);
    seL4_CPtr dev_frame = dev_ut ? object_new(dev_ut, seL4_ARM_SmallPageObject, 0) : 0;
    CHECK(dev_frame != 0);
    if (t && ep && ntfn && bare_vspace && frame) {
        const seL4_CPtr cn = seL4_CapInitThreadCNode, vs = seL4_CapInitThreadVSpace;
        seL4_Word good_guard = seL4_CNode_CapData_new(0, seL4_WordBits - root_radix()).words[0];
        seL4_Word bad_guard = seL4_CNode_CapData_new(0, 63).words[0];
        seL4_CPtr w_only = copy_with_rights(ep, R_W);
        seL4_CPtr no_w = copy_with_rights(ep, R_R | R_G | R_GR);
        seL4_CPtr w_g = copy_with_rights(ep, R_W | R_G);
        seL4_CPtr w_gr = copy_with_rights(ep, R_W | R_GR);

        /* SetSpace: the CSpace and VSpace. */
        CHECK_EQ(seL4_TCB_SetSpace(t->tcb, seL4_CapNull, ep, 0, vs, 0), seL4_IllegalOperation);
        CHECK_EQ(seL4_TCB_SetSpace(t->tcb, seL4_CapNull, cn, bad_guard, vs, 0),
                 seL4_IllegalOperation);
        CHECK_EQ(seL4_TCB_SetSpace(t->tcb, seL4_CapNull, cn, 0, bare_vspace, 0),
                 seL4_IllegalOperation);
        CHECK_EQ(seL4_TCB_SetSpace(t->tcb, seL4_CapNull, cn, 0, frame, 0), seL4_IllegalOperation);
        CHECK_EQ(seL4_TCB_SetSpace(t->tcb, seL4_CapNull, cn, 0, cn, 0), seL4_IllegalOperation);
        /* SetSpace: the fault endpoint. */
        CHECK_ARG_ERROR(seL4_TCB_SetSpace(t->tcb, w_only, cn, 0, vs, 0), seL4_InvalidCapability, 1);
        CHECK_ARG_ERROR(seL4_TCB_SetSpace(t->tcb, no_w, cn, 0, vs, 0), seL4_InvalidCapability, 1);
        CHECK_ARG_ERROR(seL4_TCB_SetSpace(t->tcb, ntfn, cn, 0, vs, 0), seL4_InvalidCapability, 1);
        CHECK_ARG_ERROR(seL4_TCB_SetSpace(t->tcb, frame, cn, 0, vs, 0), seL4_InvalidCapability, 1);
        CHECK_EQ(seL4_TCB_SetSpace(t->tcb, w_g, cn, 0, vs, 0), seL4_NoError);
        CHECK_EQ(seL4_TCB_SetSpace(t->tcb, w_gr, cn, good_guard, vs, 0), seL4_NoError);
        CHECK_EQ(seL4_TCB_SetSpace(t->tcb, seL4_CapNull, cn, 0, vs, 0), seL4_NoError);
        CHECK_EQ(seL4_TCB_SetSpace(seL4_CapInitThreadCNode, seL4_CapNull, cn, 0, vs, 0),
                 seL4_IllegalOperation);

        /* Configure (MCS: no fault endpoint). */
        seL4_Word buf = t->ipc_vaddr;
        CHECK_EQ(seL4_TCB_Configure(t->tcb, ep, 0, vs, 0, buf, t->ipc_frame),
                 seL4_IllegalOperation);
        CHECK_EQ(seL4_TCB_Configure(t->tcb, cn, bad_guard, vs, 0, buf, t->ipc_frame),
                 seL4_IllegalOperation);
        CHECK_EQ(seL4_TCB_Configure(t->tcb, cn, 0, bare_vspace, 0, buf, t->ipc_frame),
                 seL4_IllegalOperation);
        CHECK_EQ(seL4_TCB_Configure(t->tcb, cn, 0, vs, 0, buf + 8, t->ipc_frame),
                 seL4_AlignmentError);
        CHECK_EQ(seL4_TCB_Configure(t->tcb, cn, 0, vs, 0, buf, ep), seL4_IllegalOperation);
        if (dev_frame) {
            CHECK_EQ(seL4_TCB_Configure(t->tcb, cn, 0, vs, 0, buf, dev_frame),
                     seL4_IllegalOperation);
        }
        CHECK_EQ(seL4_TCB_Configure(t->tcb, cn, good_guard, vs, 0, buf, t->ipc_frame),
                 seL4_NoError);

        /* SetSchedParams: the context and the fault endpoint. */
        const seL4_CPtr root = seL4_CapInitThreadTCB;
        CHECK_ARG_ERROR(seL4_TCB_SetSchedParams(t->tcb, root, 100, 100, seL4_CapNull, w_only),
                        seL4_InvalidCapability, 3);
        CHECK_ARG_ERROR(seL4_TCB_SetSchedParams(t->tcb, root, 100, 100, seL4_CapNull, no_w),
                        seL4_InvalidCapability, 3);
        CHECK_ARG_ERROR(seL4_TCB_SetSchedParams(t->tcb, root, 100, 100, ntfn, seL4_CapNull),
                        seL4_InvalidCapability, 2);
        CHECK_EQ(seL4_TCB_SetSchedParams(t->tcb, root, 100, 100, seL4_CapNull, w_gr), seL4_NoError);
        CHECK_EQ(seL4_TCB_SetSchedParams(t->tcb, root, 100, 100, seL4_CapNull, seL4_CapNull),
                 seL4_NoError);

        /* The thread still runs with what it has now. */
        counter_a = 0;
        t->fn = count_forever;
        t->arg = (seL4_Word)&counter_a;
        thread_give_sc(t, 1000, 2000, 0);
        thread_resume(t);
        root_background_us(5000);
        CHECK(counter_a > 0);
    }
    ut_free(dev_ut);
    threads_end();
}

/* The timeout handler: a thread blocked in Recv on the endpoint (so that the root task
 * never blocks itself), which records the first message. */
static volatile seL4_CPtr handler_ep, handler_reply;
static volatile seL4_Word fault_label, fault_length, fault_mr[2];
static void receive_one(seL4_Word unused)
{
    (void)unused;
    seL4_Word badge;
    seL4_MessageInfo_t info = seL4_Recv(handler_ep, &badge, handler_reply);
    fault_label = seL4_MessageInfo_get_label(info);
    fault_length = seL4_MessageInfo_get_length(info);
    fault_mr[0] = seL4_GetMR(0);
    fault_mr[1] = seL4_GetMR(1);
}

/* §10.3.8.4: the timeout endpoint may be null or an endpoint with Write and Grant or
 * GrantReply; anything else is InvalidCapability 1. §6.1.13.2, §6.2.6, ABI §4.2: once
 * set, a thread that runs out of budget sends a timeout fault there (label
 * seL4_Fault_Timeout, MR0 the context's badge, MR1 the microseconds consumed: 1 ms and a
 * late timer interrupt) and waits for the reply instead of running on in its next period. */
#define TIMEOUT_BADGE 0x7e57
SYSTEST(tcb_set_timeout_endpoint)
{
    if (!threads_begin()) {
        return;
    }
    counter_a = 0;
    struct thread *t = thread_create(count_forever, (seL4_Word)&counter_a, 100);
    struct thread *handler = thread_create(receive_one, 0, 150);
    seL4_CPtr ep = threads_object(seL4_EndpointObject, 0);
    seL4_CPtr ntfn = threads_object(seL4_NotificationObject, 0);
    seL4_CPtr reply = threads_object(seL4_ReplyObject, 0);
    seL4_CPtr sc = sc_create(seL4_MinSchedContextBits);
    if (t && handler && ep && ntfn && reply && sc) {
        seL4_CPtr w_only = copy_with_rights(ep, R_W);
        seL4_CPtr no_w = copy_with_rights(ep, R_R | R_G | R_GR);
        seL4_CPtr w_g = copy_with_rights(ep, R_W | R_G);
        seL4_CPtr w_gr = copy_with_rights(ep, R_W | R_GR);
        CHECK_ARG_ERROR(seL4_TCB_SetTimeoutEndpoint(t->tcb, w_only), seL4_InvalidCapability, 1);
        CHECK_ARG_ERROR(seL4_TCB_SetTimeoutEndpoint(t->tcb, no_w), seL4_InvalidCapability, 1);
        CHECK_ARG_ERROR(seL4_TCB_SetTimeoutEndpoint(t->tcb, ntfn), seL4_InvalidCapability, 1);
        CHECK_ARG_ERROR(seL4_TCB_SetTimeoutEndpoint(t->tcb, sc), seL4_InvalidCapability, 1);
        CHECK_EQ(seL4_TCB_SetTimeoutEndpoint(t->tcb, seL4_CapNull), seL4_NoError);
        CHECK_EQ(seL4_TCB_SetTimeoutEndpoint(t->tcb, w_gr), seL4_NoError);
        CHECK_EQ(seL4_TCB_SetTimeoutEndpoint(seL4_CapInitThreadCNode, w_g), seL4_IllegalOperation);
        CHECK_EQ(seL4_TCB_SetTimeoutEndpoint(t->tcb, w_g), seL4_NoError);

        handler_ep = ep;
        handler_reply = reply;
        fault_label = fault_length = 0;
        thread_give_sc(handler, 5000, 5000, 0);
        thread_resume(handler);
        CHECK_EQ(seL4_SchedControl_ConfigureFlags(seL4_GetBootInfo()->schedcontrol.start, sc, 1000,
                                                  10000, 0, TIMEOUT_BADGE, 0),
                 seL4_NoError);
        CHECK_EQ(seL4_SchedContext_Bind(sc, t->tcb), seL4_NoError);
        thread_resume(t);
        CHECK(root_background_until(&handler->finished, 100000));
        CHECK(counter_a > 0);
        CHECK_EQ(fault_label, seL4_Fault_Timeout);
        CHECK_EQ(fault_length, seL4_Timeout_Length);
        CHECK_EQ(fault_mr[0], TIMEOUT_BADGE);
        CHECK(fault_mr[1] + KERNEL_WCET_US >= 1000);
        CHECK(fault_mr[1] <= 1000 + TIMER_SLACK_US);
        /* The thread waits for the handler's reply: it does not run in later periods. */
        uint64_t c = counter_a;
        root_background_us(30000);
        CHECK_EQ(counter_a, c);
    }
    threads_end();
}

/* §6.3, §10.3.2.1: with one domain (CONFIG_NUM_DOMAINS = 1, ABI §7) domain 0 is the only
 * valid one: others are InvalidArgument 0, a thread cap that is no TCB InvalidArgument 1
 * (upstream), and a service that is no DomainSet cap IllegalOperation. A thread moved to
 * domain 0 still runs. */
SYSTEST(domain_set_set)
{
    if (!threads_begin()) {
        return;
    }
    counter_a = 0;
    struct thread *t = thread_create(count_forever, (seL4_Word)&counter_a, 100);
    seL4_CPtr ep = threads_object(seL4_EndpointObject, 0);
    if (t && ep) {
        CHECK_EQ(seL4_DomainSet_Set(seL4_CapDomain, 0, t->tcb), seL4_NoError);
        CHECK_ARG_ERROR(seL4_DomainSet_Set(seL4_CapDomain, 1, t->tcb), seL4_InvalidArgument, 0);
        CHECK_ARG_ERROR(seL4_DomainSet_Set(seL4_CapDomain, 255, t->tcb), seL4_InvalidArgument, 0);
        CHECK_ARG_ERROR(seL4_DomainSet_Set(seL4_CapDomain, 0, ep), seL4_InvalidArgument, 1);
        CHECK_ARG_ERROR(seL4_DomainSet_Set(seL4_CapDomain, 0, seL4_CapNull), seL4_InvalidArgument,
                        1);
        CHECK_EQ(seL4_DomainSet_Set(seL4_CapInitThreadCNode, 0, t->tcb), seL4_IllegalOperation);
        CHECK_EQ(seL4_DomainSet_Set(seL4_CapDomain, 0, seL4_CapInitThreadTCB), seL4_NoError);
        thread_give_sc(t, 1000, 2000, 0);
        thread_resume(t);
        root_background_us(5000);
        CHECK(counter_a > 0);
    }
    threads_end();
}
