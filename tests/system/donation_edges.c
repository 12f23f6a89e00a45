/* Edges of scheduling-context donation where Kairos follows upstream seL4 14.0.0: a reply
 * gives a donated context back only to a caller that has none (it may have been given
 * another while it waited), UnbindObject likewise, and a reply that returns a context with
 * no ready, sufficient budget raises the caller's timeout fault.
 *
 * The context-pointer tests end by deleting the caller's TCB, scribbling over its memory
 * and unbinding the other context: a kernel that left that context pointing at the dead
 * TCB takes a data abort there (the runner fails the run on a kernel exception).
 * Uses ipc_util.h, so: systest: needs a debug kernel */
#include <kairos/string.h>

#include "ipc_util.h"

#define SCRIBBLE_VADDR (THREAD_IPC_REGION + 64 * (1ul << seL4_PageBits))
#define TCB_UNTYPED_BITS seL4_PageBits

static volatile struct {
    seL4_CPtr ep, reply, hold;
} e;
static volatile int server_ready, server_step, client_done;

/* A passive server: takes one call, waits on `hold` while it keeps the caller's context,
 * answers and waits for the next call. */
static void holding_server(seL4_Word unused)
{
    (void)unused;
    seL4_Word badge;
    server_ready = 1;
    seL4_Recv(e.ep, &badge, e.reply);
    for (;;) {
        server_step = 1;
        seL4_Wait(e.hold, NULL);
        server_step = 2;
        server_ready = server_ready + 1;
        seL4_ReplyRecv(e.ep, seL4_MessageInfo_new(0, 0, 0, 0), &badge, e.reply);
    }
}

static void calling_client(seL4_Word unused)
{
    (void)unused;
    seL4_Call(e.ep, seL4_MessageInfo_new(0, 0, 0, 0));
    client_done = 1;
}

/* Makes the memory of a deleted object in `ut` (its only child) a frame full of 0xff. */
static void scribble_over(seL4_CPtr ut)
{
    CHECK_EQ(seL4_CNode_Revoke(ROOT, ut, ROOT_DEPTH), seL4_NoError);
    seL4_CPtr frame = object_new(ut, seL4_ARM_SmallPageObject, 0);
    if (frame == 0) {
        return;
    }
    CHECK_EQ(seL4_ARM_Page_Map(frame, seL4_CapInitThreadVSpace, SCRIBBLE_VADDR, seL4_ReadWrite,
                               seL4_ARM_Default_VMAttributes),
             seL4_NoError);
    memset((void *)SCRIBBLE_VADDR, 0xff, 1ul << seL4_PageBits);
    CHECK_EQ(seL4_ARM_Page_Unmap(frame), seL4_NoError);
}

/* What the context-pointer tests share: a passive server S holding client C's context (C
 * waits for the reply), C's TCB alone in a 4 KiB untyped, a probe context and a second,
 * configured context sc2 for C. */
struct holding {
    struct thread *s, *c;
    seL4_CPtr tcb_ut, probe, sc2;
};

/* Sets it up; false with a recorded failure. */
static bool server_holds_client_context(struct holding *h)
{
    e.ep = ep_new();
    e.reply = reply_new();
    e.hold = ntfn_new();
    h->tcb_ut = ut_alloc(TCB_UNTYPED_BITS);
    h->probe = probe_sc_new();
    h->sc2 = sc_create(seL4_MinSchedContextBits);
    server_step = client_done = 0;
    if (!e.ep || !e.reply || !e.hold || !h->tcb_ut || !h->probe || !h->sc2 ||
        sc_configure(h->sc2, RR_US, RR_US, 0, 0) != seL4_NoError) {
        systest_fail(__FILE__, __LINE__, "objects for the donation test");
        return false;
    }
    h->s = passive_spawn(holding_server, 0, PRIO_HIGH, &server_ready);
    h->c = thread_create_from(h->tcb_ut, calling_client, 0, PRIO_LOW);
    if (h->s == NULL || h->c == NULL || !thread_give_sc(h->c, RR_US, RR_US, 0)) {
        return false;
    }
    thread_resume(h->c);
    if (!root_background_until(&server_step, IPC_WAIT_US)) {
        systest_fail(__FILE__, __LINE__, "the server never received the call");
        return false;
    }
    return true;
}

/* The end of both: C deleted, its memory scribbled over, sc2 unbound (where a context left
 * pointing at C would take the kernel down), then everything given back. */
static void delete_client_and_unbind(struct holding *h)
{
    CHECK_EQ(seL4_CNode_Delete(ROOT, h->c->tcb, ROOT_DEPTH), seL4_NoError);
    h->c->tcb = 0;
    scribble_over(h->tcb_ut);
    CHECK_EQ(seL4_SchedContext_Unbind(h->sc2), seL4_NoError);
}

static void holding_end(struct holding *h)
{
    threads_end();
    if (h->tcb_ut) {
        ut_free(h->tcb_ut);
    }
}

/* Upstream reply_pop: a caller that was given a context while it waited for the reply keeps
 * that one; the donated context stays with the server. Seven steps that crashed Kairos: a
 * passive server, a client calling it, Bind of a second context to the waiting client, the
 * reply, deleting the client, reusing its memory, unbinding the second context. */
SYSTEST(donation_reply_to_a_caller_with_a_context_returns_nothing)
{
    if (!threads_begin()) {
        return;
    }
    struct holding h = {0};
    if (server_holds_client_context(&h)) {
        CHECK(holds_sc(h.s, h.probe));
        CHECK(!holds_sc(h.c, h.probe));
        CHECK_EQ(seL4_SchedContext_Bind(h.sc2, h.c->tcb), seL4_NoError);
        seL4_Signal(e.hold);
        CHECK(root_background_until(&client_done, IPC_WAIT_US));
        CHECK(holds_sc(h.c, h.probe));
        CHECK(holds_sc(h.s, h.probe)); /* the donated context stayed with the server */
        delete_client_and_unbind(&h);
        /* The server still holds the client's first context. */
        CHECK_EQ(seL4_SchedContext_Bind(h.sc2, h.s->tcb), seL4_IllegalOperation);
        CHECK_CONSISTENT();
    }
    holding_end(&h);
}

/* The same for UnbindObject (manual §10.3.5.3): a context the server received by donation
 * goes back to the thread that lent it only if that thread has none; here the client was
 * given another, so the server's context is simply unbound. */
SYSTEST(donation_unbind_object_to_a_lender_with_a_context_returns_nothing)
{
    if (!threads_begin()) {
        return;
    }
    struct holding h = {0};
    if (server_holds_client_context(&h)) {
        CHECK_EQ(seL4_SchedContext_Bind(h.sc2, h.c->tcb), seL4_NoError);
        CHECK_EQ(seL4_SchedContext_UnbindObject(h.c->sc, h.s->tcb), seL4_NoError);
        CHECK(!holds_sc(h.s, h.probe));
        CHECK(holds_sc(h.c, h.probe));
        /* The client's first context is free: it binds to the server. */
        CHECK_EQ(seL4_SchedContext_Bind(h.c->sc, h.s->tcb), seL4_NoError);
        delete_client_and_unbind(&h);
        CHECK_CONSISTENT();
    }
    holding_end(&h);
}

/* ---- A reply that returns a context without budget ------------------------------------- */

#define SPENT_BUDGET_US 2000
#define SPENT_PERIOD_US 200000
#define SPENT_SC_BADGE 0x5c
static volatile int spinning;
static struct caught client_timeout;

static void spinning_server(seL4_Word unused)
{
    (void)unused;
    seL4_Word badge;
    server_ready = 1;
    seL4_Recv(e.ep, &badge, e.reply);
    spinning = 1;
    for (;;) {
    }
}

/* Upstream doReplyTransfer: a client with a timeout handler calls a passive server, which
 * spends the client's whole budget; the reply (made here by the root task through the
 * server's reply object while the budget is gone) gives the client back a context with no
 * ready refill, and the client's timeout handler hears of it at once. */
SYSTEST(donation_reply_with_a_spent_context_raises_the_callers_timeout_fault)
{
    if (!threads_begin()) {
        return;
    }
    e.ep = ep_new();
    e.reply = reply_new();
    seL4_CPtr handler_ep = ep_new();
    memset(&client_timeout, 0, sizeof(client_timeout));
    client_timeout.ep = handler_ep;
    client_timeout.reply = reply_new();
    spinning = client_done = 0;
    seL4_CPtr sc = sc_create(seL4_MinSchedContextBits);
    struct thread *s = passive_spawn(spinning_server, 0, PRIO_HIGH, &server_ready);
    struct thread *h = ipc_spawn(fault_catch, (seL4_Word)&client_timeout, PRIO_HIGH);
    struct thread *c = thread_create(calling_client, 0, PRIO_LOW);
    if (e.ep && e.reply && handler_ep && client_timeout.reply && sc && s && h && c &&
        wait_for(&client_timeout.ready)) {
        CHECK_EQ(seL4_TCB_SetTimeoutEndpoint(c->tcb, handler_ep), seL4_NoError);
        CHECK_EQ(seL4_SchedControl_ConfigureFlags(seL4_GetBootInfo()->schedcontrol.start, sc,
                                                  SPENT_BUDGET_US, SPENT_PERIOD_US, 0,
                                                  SPENT_SC_BADGE, seL4_SchedContext_Sporadic),
                 seL4_NoError);
        CHECK_EQ(seL4_SchedContext_Bind(sc, c->tcb), seL4_NoError);
        thread_resume(c);
        CHECK(wait_for(&spinning));
        root_background_us(2 * SPENT_BUDGET_US); /* the server spends the budget */
        CHECK_EQ(client_timeout.done, 0);
        seL4_Send(e.reply, seL4_MessageInfo_new(0, 0, 0, 0));
        CHECK(root_background_until(&client_timeout.done, SPENT_PERIOD_US / 4));
        CHECK_EQ(client_timeout.label, seL4_Fault_Timeout);
        CHECK_EQ(client_timeout.length, 2);
        CHECK_EQ(client_timeout.mr[seL4_Timeout_Data], SPENT_SC_BADGE);
        CHECK(client_timeout.mr[seL4_Timeout_Consumed] >= SPENT_BUDGET_US);
        CHECK_EQ(client_done, 0);
    }
    threads_end();
}
