/* The fuzzer's threads: the worker that runs the ops, the ticker that wakes the root task,
 * and the root task's supervision loop that restarts the worker after a fault or a stall.
 *
 * No hang of the whole system is possible short of a kernel bug: the root task (priority
 * 255) blocks on the worker's fault endpoint, to which its bound notification adds a signal
 * from the ticker (priority 254, a sporadic 200 us / 2 ms context) every tick. The worker
 * (priority WORKER_PRIO) holds no cap to any of these, to the root task's CNode or VSpace or
 * to its own TCB or scheduling context, so it cannot silence them; whatever it does to
 * itself (block, lose its CSpace, fault) ends in a fault message or in STALL_TICKS ticks
 * without progress, and the root task then destroys it (revoking the untyped its TCB and
 * context came from) and makes a new one that starts at the next op. Every restart
 * advances the op position, so the loop ends. */
#include "fuzz.h"

#include <kairos/string.h>

#include <kairos/runtime.h>

#define ROOT seL4_CapInitThreadCNode
#define ROOT_DEPTH seL4_WordBits

#define WORKER_PRIO 100
#define TICKER_PRIO 254
/* Round robin, so the worker's Yields cost nothing but a trip through the scheduler. */
#define WORKER_TIMESLICE_US 5000
#define TICK_BUDGET_US 200
#define TICK_PERIOD_US 2000
/* Ticks without an op finished before the worker counts as stuck: long revokes and
 * untyped resets are preemptible but take a while, more so with the invariant checks. */
#define STALL_TICKS 4

/* Badges: what woke the root task. The ticker's bit arrives as a notification word. */
#define FAULT_BADGE 0x100
#define TICK_BADGE 0x1

#define PRIVATE_UT_BITS 18 /* the root task's own objects (made once) */
#define WORKER_UT_BITS 14  /* the worker's TCB and context, revoked at every restart */
#define WORKER_IPC_VADDR 0x700000000000ul
#define STACK_SIZE (32 * 1024)
#define TLS_AREA_SIZE 512

struct fuzz_shared fuzz_shared;

static struct {
    seL4_CPtr private_ut, worker_ut;
    seL4_CPtr fault_ep, fault_ep_badged, tick_ntfn, tick_badged, reply;
    seL4_CPtr ipc_frame;
    seL4_CPtr worker_tcb, worker_sc, ticker_tcb, ticker_sc;
    seL4_CPtr w; /* the current seed's W */
} sup;

static unsigned char worker_stack[STACK_SIZE] __attribute__((aligned(16)));
static unsigned char ticker_stack[STACK_SIZE] __attribute__((aligned(16)));
static unsigned char worker_tls[TLS_AREA_SIZE] __attribute__((aligned(64)));
static unsigned char ticker_tls[TLS_AREA_SIZE] __attribute__((aligned(64)));

/* ---- The threads ----------------------------------------------------------------------- */

#if defined(FUZZ_INJECT) && !defined(CONFIG_KAIROS_INVARIANTS)
#error "INJECT needs a kernel with the invariant checks: FUZZ=1"
#endif
#ifdef FUZZ_INJECT
/* The minimiser's own test (INJECT=a,b,...,z in fuzz.mk): once ops a, b, ... have all been
 * started in this boot (an op may fault), op z breaks a kernel invariant on purpose, so a campaign
 * fails and tools/fuzz.py must shrink the run to exactly those ops. Needs a FUZZ=1 kernel. */
static const uint64_t inject_ops[] = {FUZZ_INJECT};
#define INJECT_COUNT (sizeof(inject_ops) / sizeof(inject_ops[0]))
#define INJECT_CORRUPT_READY_BITMAP 2 /* kernel/invariants.c's enum corrupt_case */
static volatile uint64_t inject_seen; /* bit k: inject_ops[k] started; survives restarts */

static void inject_before(uint64_t op)
{
    for (unsigned int k = 0; k + 1 < INJECT_COUNT; k++) {
        if (inject_ops[k] == op) {
            inject_seen |= 1ull << k;
        }
    }
    if (op == inject_ops[INJECT_COUNT - 1] && inject_seen == (1ull << (INJECT_COUNT - 1)) - 1) {
        printf("FUZZ op %lu: INJECT: breaks the ready bitmap on purpose\n", (unsigned long)op);
        (void)kairos_debug_corrupt(INJECT_CORRUPT_READY_BITMAP);
    }
}
#else
static void inject_before(uint64_t op)
{
    (void)op;
}
#endif

static void __attribute__((noinline)) worker_loop(void)
{
    struct fuzz_shared *sh = &fuzz_shared;
    fuzz_describe = sh->plan != NULL;
    while (sh->next < sh->count) {
        uint64_t pos = sh->next;
        uint64_t op = sh->plan ? sh->plan[pos] : pos;
        if (!sh->plan && pos != 0 && pos % (1u << 14) == 0) {
            /* Before the op, not after: an op that faults must not drop the line. */
            printf("FUZZ progress seed=%lu ops=%lu\n", (unsigned long)sh->seed, (unsigned long)pos);
        }
        inject_before(op);
        int error;
        uint64_t result = fuzz_op_run(sh->seed, op, &error);
        if (sh->plan) {
            printf("FUZZ op %lu: -> %d\n", (unsigned long)op, error);
        }
        sh->hash = fuzz_fold(sh->hash, result);
        if (error >= 0) {
            sh->errors[error]++;
        }
        __asm__ volatile("" ::: "memory");
        sh->next = pos + 1;
    }
}

/* The worker starts here with its TLS in TPIDR_EL0; it tells the root task it is done by
 * faulting on purpose (a BRK), so the root task need not wait for a tick. */
static void __attribute__((noreturn, noinline)) worker_entry(void)
{
    seL4_SetIPCBuffer((seL4_IPCBuffer *)WORKER_IPC_VADDR);
    worker_loop();
    fuzz_shared.done = 1;
    for (;;) {
        __builtin_trap();
    }
}

static void __attribute__((noreturn, noinline)) ticker_entry(void)
{
    for (;;) {
        seL4_Signal(sup.tick_badged);
        /* Spends the rest of the budget: the next refill comes a period later. */
        seL4_Yield();
    }
}

/* ---- Making them ----------------------------------------------------------------------- */

static seL4_CPtr private_object(seL4_Word type, seL4_Word size_bits)
{
    seL4_CPtr slot = root_slot_alloc();
    if (slot == 0 ||
        seL4_Untyped_Retype(sup.private_ut, type, size_bits, ROOT, 0, 0, slot, 1) != seL4_NoError) {
        printf("fuzz: cannot retype a private object of type %lu\n", (unsigned long)type);
        return 0;
    }
    return slot;
}

static seL4_Error start_thread(seL4_CPtr tcb, void (*entry)(void), unsigned char *stack,
                               unsigned char *tls, const char *name)
{
    seL4_UserContext ctx;
    memset(&ctx, 0, sizeof(ctx));
    ctx.pc = (seL4_Word)entry;
    ctx.sp = (seL4_Word)(stack + STACK_SIZE);
    ctx.tpidr_el0 = kairos_tls_new(tls, TLS_AREA_SIZE);
    seL4_Error err = seL4_TCB_WriteRegisters(tcb, false, 0, sizeof(ctx) / sizeof(seL4_Word), &ctx);
    seL4_DebugNameThread(tcb, name);
    return err != seL4_NoError ? err : seL4_TCB_Resume(tcb);
}

bool supervisor_init(void)
{
    sup.private_ut = root_slot_alloc();
    sup.worker_ut = root_slot_alloc();
    sup.fault_ep_badged = root_slot_alloc();
    sup.tick_badged = root_slot_alloc();
    sup.worker_tcb = root_slot_alloc();
    sup.worker_sc = root_slot_alloc();
    if (sup.worker_sc == 0 || !root_untyped_carve(PRIVATE_UT_BITS, sup.private_ut) ||
        !root_untyped_carve(WORKER_UT_BITS, sup.worker_ut)) {
        return false;
    }
    sup.fault_ep = private_object(seL4_EndpointObject, 0);
    sup.tick_ntfn = private_object(seL4_NotificationObject, 0);
    sup.reply = private_object(seL4_ReplyObject, 0);
    sup.ipc_frame = private_object(seL4_ARM_SmallPageObject, 0);
    sup.ticker_tcb = private_object(seL4_TCBObject, 0);
    sup.ticker_sc = private_object(seL4_SchedContextObject, seL4_MinSchedContextBits);
    if (sup.ticker_sc == 0) {
        return false;
    }
    seL4_Error err = seL4_NoError;
    /* Three tables (L1, L2, L3) for the worker's IPC buffer in the root task's VSpace. */
    for (int i = 0; i < 3 && err == seL4_NoError; i++) {
        seL4_CPtr pt = private_object(seL4_ARM_PageTableObject, 0);
        err = pt == 0 ? seL4_NotEnoughMemory
                      : seL4_ARM_PageTable_Map(pt, seL4_CapInitThreadVSpace, WORKER_IPC_VADDR,
                                               seL4_ARM_Default_VMAttributes);
    }
    if (err == seL4_NoError) {
        err = seL4_ARM_Page_Map(sup.ipc_frame, seL4_CapInitThreadVSpace, WORKER_IPC_VADDR,
                                seL4_ReadWrite, seL4_ARM_Default_VMAttributes);
    }
    if (err == seL4_NoError) {
        err = seL4_CNode_Mint(ROOT, sup.fault_ep_badged, ROOT_DEPTH, ROOT, sup.fault_ep, ROOT_DEPTH,
                              seL4_AllRights, FAULT_BADGE);
    }
    if (err == seL4_NoError) {
        err = seL4_CNode_Mint(ROOT, sup.tick_badged, ROOT_DEPTH, ROOT, sup.tick_ntfn, ROOT_DEPTH,
                              seL4_AllRights, TICK_BADGE);
    }
    if (err == seL4_NoError) {
        err = seL4_TCB_BindNotification(seL4_CapInitThreadTCB, sup.tick_ntfn);
    }
    const seL4_BootInfo *bi = seL4_GetBootInfo();
    if (err == seL4_NoError) {
        err =
            seL4_SchedControl_ConfigureFlags(bi->schedcontrol.start, sup.ticker_sc, TICK_BUDGET_US,
                                             TICK_PERIOD_US, 0, 0, seL4_SchedContext_NoFlag);
    }
    if (err == seL4_NoError) {
        err = seL4_TCB_Configure(sup.ticker_tcb, ROOT, 0, seL4_CapInitThreadVSpace, 0, 0,
                                 seL4_CapNull);
    }
    if (err == seL4_NoError) {
        err = seL4_TCB_SetSchedParams(sup.ticker_tcb, seL4_CapInitThreadTCB, TICKER_PRIO,
                                      TICKER_PRIO, sup.ticker_sc, seL4_CapNull);
    }
    if (err == seL4_NoError) {
        err = start_thread(sup.ticker_tcb, ticker_entry, ticker_stack, ticker_tls, "fzticker");
    }
    if (err != seL4_NoError) {
        printf("fuzz: setting up the supervisor: error %d\n", (int)err);
        return false;
    }
    return true;
}

void supervisor_stop(void)
{
    (void)seL4_CNode_Revoke(ROOT, sup.worker_ut, ROOT_DEPTH);
}

/* Destroys the worker there is and makes a new one at fuzz_shared.next. */
static bool worker_make(void)
{
    supervisor_stop();
    /* The worker may have deleted or moved W's names for itself: put them back where the
     * slot is free (an occupied slot answers DeleteFirst, which is fine). */
    (void)seL4_CNode_Mint(sup.w, W_SELF, W_RADIX, ROOT, sup.w, ROOT_DEPTH, seL4_AllRights,
                          seL4_CNode_CapData_new(0, W_GUARD_BITS).words[0]);
    (void)seL4_CNode_Mint(sup.w, W_DEEP, W_RADIX, ROOT, sup.w, ROOT_DEPTH, seL4_AllRights,
                          seL4_CNode_CapData_new(0, W_DEEP_GUARD_BITS).words[0]);
    seL4_Error err =
        seL4_Untyped_Retype(sup.worker_ut, seL4_TCBObject, 0, ROOT, 0, 0, sup.worker_tcb, 1);
    if (err == seL4_NoError) {
        err = seL4_Untyped_Retype(sup.worker_ut, seL4_SchedContextObject, seL4_MinSchedContextBits,
                                  ROOT, 0, 0, sup.worker_sc, 1);
    }
    if (err == seL4_NoError) {
        err = seL4_SchedControl_ConfigureFlags(seL4_GetBootInfo()->schedcontrol.start,
                                               sup.worker_sc, WORKER_TIMESLICE_US,
                                               WORKER_TIMESLICE_US, 0, 0, seL4_SchedContext_NoFlag);
    }
    if (err == seL4_NoError) {
        err = seL4_TCB_Configure(sup.worker_tcb, sup.w,
                                 seL4_CNode_CapData_new(0, W_GUARD_BITS).words[0],
                                 seL4_CapInitThreadVSpace, 0, WORKER_IPC_VADDR, sup.ipc_frame);
    }
    if (err == seL4_NoError) {
        err = seL4_TCB_SetSchedParams(sup.worker_tcb, seL4_CapInitThreadTCB, WORKER_PRIO,
                                      WORKER_PRIO, sup.worker_sc, sup.fault_ep_badged);
    }
    if (err == seL4_NoError) {
        err = start_thread(sup.worker_tcb, worker_entry, worker_stack, worker_tls, "fzworker");
    }
    if (err != seL4_NoError) {
        printf("fuzz: cannot (re)start the worker: error %d\n", (int)err);
        return false;
    }
    return true;
}

bool supervisor_run(struct world *w, uint64_t *faults, uint64_t *restarts)
{
    sup.w = w->w;
    if (!worker_make()) {
        return false;
    }
    uint64_t last = fuzz_shared.next;
    unsigned int idle = 0;
    while (!fuzz_shared.done) {
        seL4_Word badge;
        seL4_MessageInfo_t info = seL4_Recv(sup.fault_ep, &badge, sup.reply);
        if (fuzz_shared.done) {
            break;
        }
        bool stuck = false;
        if (badge == FAULT_BADGE) {
            /* The op at `next` faulted the worker (a fault message, manual §6.2.1). */
            (*faults)++;
            if (fuzz_shared.plan) {
                printf("FUZZ op %lu: -> fault %lu: MR0..3 0x%lx 0x%lx 0x%lx 0x%lx\n",
                       (unsigned long)fuzz_shared.plan[fuzz_shared.next],
                       (unsigned long)seL4_MessageInfo_get_label(info),
                       (unsigned long)seL4_GetMR(0), (unsigned long)seL4_GetMR(1),
                       (unsigned long)seL4_GetMR(2), (unsigned long)seL4_GetMR(3));
            }
            fuzz_shared.hash =
                fuzz_fold(fuzz_shared.hash, 0xfa17000000ull | seL4_MessageInfo_get_label(info));
            stuck = true;
        } else if (fuzz_shared.next != last) {
            last = fuzz_shared.next;
            idle = 0;
        } else if (++idle >= STALL_TICKS) {
            fuzz_shared.hash = fuzz_fold(fuzz_shared.hash, 0x57a11ull);
            stuck = true;
        }
        if (stuck) {
            (*restarts)++;
            fuzz_shared.next++;
            last = fuzz_shared.next;
            idle = 0;
            if (fuzz_shared.next >= fuzz_shared.count) {
                break;
            }
            if (!worker_make()) {
                return false;
            }
        }
    }
    supervisor_stop();
    return true;
}
