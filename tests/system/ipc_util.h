/* Helpers of the IPC tests (ipc.c, ipc_faults.c, ipc_donation.c): new endpoints,
 * notifications and reply objects from the test's untyped, minted caps, passive threads,
 * a probe for "does this thread hold a scheduling context", and system calls made from an
 * assembly stub whose svc (or faulting instruction) has a known address, so that fault
 * messages can be checked to the exact instruction.
 *
 * The root task never blocks in IPC in these tests: it only uses kernel invocations,
 * Signal, and NBSend, NBRecv and Poll where they find a partner; every part that blocks, or
 * might if the kernel were wrong, is played by test threads that report through shared
 * memory (thread_util.h). So a kernel that loses a thread fails a test, not the suite.
 * Uses thread_util.h, so: systest: needs a debug kernel */
#ifndef IPC_UTIL_H
#define IPC_UTIL_H

#include "thread_util.h"

/* How long the root task waits for a thread that should get somewhere at once. */
#define IPC_WAIT_US 200000
/* How long it watches a thread that should stay blocked. */
#define IPC_QUIET_US 20000

/* Rights words (ABI §1.3). */
#define RIGHT_W 1ul
#define RIGHT_R 2ul
#define RIGHT_G 4ul
#define RIGHT_GR 8ul
#define RIGHTS_ALL 0xful

/* Priorities: servers and handlers above clients, all below the root task's 255 and above
 * ROOT_LOW_PRIO (10), where the root task waits in the background. */
#define PRIO_HIGH 200
#define PRIO_MID 150
#define PRIO_LOW 100

/* A round-robin context for test threads: a thread with b == p never waits for a refill,
 * so a lower-priority thread (the root task in the background) runs only while every thread
 * above it is blocked. */
#define RR_US 5000

/* Objects from the test's untyped (threads_object); 0 with a recorded failure. */
seL4_CPtr ep_new(void);
seL4_CPtr ntfn_new(void);
seL4_CPtr reply_new(void);

/* A copy of `src` with `rights` and `badge` (CNode_Mint) in a new root slot. */
seL4_CPtr cap_mint(seL4_CPtr src, seL4_Word rights, seL4_Word badge);

/* A thread spawned with a round-robin context at `prio`. */
struct thread *ipc_spawn(thread_fn fn, seL4_Word arg, uint8_t prio);

/* A passive thread: spawned like ipc_spawn, runs until it sets *ready (just before it blocks
 * for the first time: as it sits above the root task, the root task sees the flag only
 * once it is blocked), then loses its context (SchedContext_UnbindObject). t->sc stays the
 * unbound, configured context. NULL (with a recorded failure) if it never got ready. */
struct thread *passive_spawn(thread_fn fn, seL4_Word arg, uint8_t prio, volatile int *ready);

/* Whether the thread holds a scheduling context (bound or donated), probed by binding the
 * configured, unbound context `probe` to it: SchedContext_Bind fails with IllegalOperation
 * exactly when the thread has one (manual §10.3.5.1); a successful probe is undone at once
 * (the root task runs at 255, so the thread cannot run in between). */
bool holds_sc(struct thread *t, seL4_CPtr probe);
/* A configured, unbound context for holds_sc. */
seL4_CPtr probe_sc_new(void);

/* Waits in the background for the flag (IPC_WAIT_US); whether it was seen. */
bool wait_for(volatile int *flag);

/* Runs fn(arg) in a new thread (PRIO_MID) and waits for it to return; whether it did. For
 * a non-blocking call that should find nothing: a kernel that wrongly blocked it must not
 * take the root task with it. */
bool run_in_thread(thread_fn fn, seL4_Word arg);

/* ---- Messages --------------------------------------------------------------------------- */

/* A received message as the tests record it: badge, tag fields and MR0..MR3. */
struct msg {
    seL4_Word badge, label, length, extra, unwrapped;
    seL4_Word mr[4];
};
void msg_record(volatile struct msg *m, seL4_MessageInfo_t info, seL4_Word badge);

/* Test message i: label MSG_LABEL(i), four registers MSG_MR(i, j), set by msg_set(i);
 * msg_check (root task only: it CHECKs) compares a received one, with its badge. */
#define MSG_LABEL(i) (0x100u + (i))
#define MSG_MR(i, j) (((seL4_Word)(i) << 8) | (0x10u + (j)))
void msg_set(seL4_Word i);
void msg_check(volatile struct msg *m, seL4_Word badge, seL4_Word i);

/* ---- A fault handler that records one message ------------------------------------------- */

/* fault_catch(&c) receives one message on c.ep with reply object c.reply, records it and
 * returns without replying (the sender stays blocked on the reply object). */
struct caught {
    seL4_CPtr ep, reply;
    volatile int ready, done;
    volatile seL4_Word badge, label, length, mr[16];
};
void fault_catch(seL4_Word caught_ptr);
/* Copies the received message (badge, tag, up to 16 message registers) into c. */
void caught_record(struct caught *c, seL4_MessageInfo_t info, seL4_Word badge);

/* ---- System calls with a known instruction address -------------------------------------- */

/* x0..x8 on the way in and out of ipc_raw_syscall. */
struct raw_regs {
    seL4_Word x[9];
};
/* Loads x0..x8 from *r, executes the svc at ipc_raw_svc, stores x0..x8 back. x9 holds r, so
 * a fault reply that rewrites x0..x7 (unknown syscall) does not lose it. */
void ipc_raw_syscall(struct raw_regs *r);
extern const char ipc_raw_svc[];

/* An undefined instruction (udf #0, ESR_EL1 0x02000000) at ipc_udf_insn; returns 0x600d
 * when execution continues after it. */
seL4_Word ipc_raw_udf(void);
extern const char ipc_udf_insn[];

/* A 64-bit load from `addr` at ipc_load_insn; returns the value loaded. */
seL4_Word ipc_raw_load(seL4_Word addr);
extern const char ipc_load_insn[];

#endif
