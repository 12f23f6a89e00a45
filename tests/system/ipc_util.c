/* Helpers of the IPC tests (see ipc_util.h).
 * systest: needs a debug kernel */
#include "ipc_util.h"

seL4_CPtr ep_new(void)
{
    return threads_object(seL4_EndpointObject, 0);
}

seL4_CPtr ntfn_new(void)
{
    return threads_object(seL4_NotificationObject, 0);
}

seL4_CPtr reply_new(void)
{
    return threads_object(seL4_ReplyObject, 0);
}

seL4_CPtr cap_mint(seL4_CPtr src, seL4_Word rights, seL4_Word badge)
{
    seL4_CPtr slot = slot_alloc();
    if (slot == 0) {
        return 0;
    }
    seL4_Error err =
        seL4_CNode_Mint(ROOT, slot, ROOT_DEPTH, ROOT, src, ROOT_DEPTH, rights_word(rights), badge);
    if (err != seL4_NoError) {
        systest_fail(__FILE__, __LINE__, "minting slot %lu (rights 0x%lx, badge 0x%lx): error %d",
                     (unsigned long)src, (unsigned long)rights, (unsigned long)badge, (int)err);
        return 0;
    }
    return slot;
}

struct thread *ipc_spawn(thread_fn fn, seL4_Word arg, uint8_t prio)
{
    return thread_spawn(fn, arg, prio, RR_US, RR_US, 0);
}

bool wait_for(volatile int *flag)
{
    return root_background_until(flag, IPC_WAIT_US);
}

bool run_in_thread(thread_fn fn, seL4_Word arg)
{
    struct thread *t = ipc_spawn(fn, arg, PRIO_MID);
    return t != NULL && wait_for(&t->finished);
}

struct thread *passive_spawn(thread_fn fn, seL4_Word arg, uint8_t prio, volatile int *ready)
{
    *ready = 0;
    struct thread *t = ipc_spawn(fn, arg, prio);
    if (t == NULL) {
        return NULL;
    }
    if (!wait_for(ready)) {
        systest_fail(__FILE__, __LINE__, "a passive thread never got ready");
        return NULL;
    }
    seL4_Error err = seL4_SchedContext_UnbindObject(t->sc, t->tcb);
    if (err != seL4_NoError) {
        systest_fail(__FILE__, __LINE__, "making a thread passive: error %d", (int)err);
        return NULL;
    }
    return t;
}

seL4_CPtr probe_sc_new(void)
{
    seL4_CPtr sc = sc_create(seL4_MinSchedContextBits);
    if (sc != 0 && sc_configure(sc, RR_US, RR_US, 0, 0) != seL4_NoError) {
        systest_fail(__FILE__, __LINE__, "configuring a probe context");
        return 0;
    }
    return sc;
}

bool holds_sc(struct thread *t, seL4_CPtr probe)
{
    seL4_Error err = seL4_SchedContext_Bind(probe, t->tcb);
    if (err == seL4_NoError) {
        CHECK_EQ(seL4_SchedContext_UnbindObject(probe, t->tcb), seL4_NoError);
        return false;
    }
    CHECK_EQ(err, seL4_IllegalOperation);
    return true;
}

void msg_record(volatile struct msg *m, seL4_MessageInfo_t info, seL4_Word badge)
{
    m->badge = badge;
    m->label = seL4_MessageInfo_get_label(info);
    m->length = seL4_MessageInfo_get_length(info);
    m->extra = seL4_MessageInfo_get_extraCaps(info);
    m->unwrapped = seL4_MessageInfo_get_capsUnwrapped(info);
    for (int i = 0; i < 4; i++) {
        m->mr[i] = seL4_GetMR(i);
    }
}

void msg_set(seL4_Word i)
{
    for (int j = 0; j < 4; j++) {
        seL4_SetMR(j, MSG_MR(i, j));
    }
}

void msg_check(volatile struct msg *m, seL4_Word badge, seL4_Word i)
{
    CHECK_EQ(m->badge, badge);
    CHECK_EQ(m->label, MSG_LABEL(i));
    CHECK_EQ(m->length, 4);
    CHECK_EQ(m->extra, 0);
    for (int j = 0; j < 4; j++) {
        CHECK_EQ(m->mr[j], MSG_MR(i, j));
    }
}

void caught_record(struct caught *c, seL4_MessageInfo_t info, seL4_Word badge)
{
    c->badge = badge;
    c->label = seL4_MessageInfo_get_label(info);
    c->length = seL4_MessageInfo_get_length(info);
    for (unsigned int i = 0; i < 16; i++) {
        c->mr[i] = seL4_GetMR((int)i);
    }
}

void fault_catch(seL4_Word caught_ptr)
{
    struct caught *c = (struct caught *)caught_ptr;
    seL4_Word badge = 0;
    c->ready = 1;
    seL4_MessageInfo_t info = seL4_Recv(c->ep, &badge, c->reply);
    caught_record(c, info, badge);
    c->done = 1;
}

/* ---- System calls with a known instruction address -------------------------------------- */

__asm__(".text\n"
        ".global ipc_raw_syscall\n"
        ".type ipc_raw_syscall, %function\n"
        "ipc_raw_syscall:\n"
        "    mov x9, x0\n"
        "    ldp x0, x1, [x9, #0]\n"
        "    ldp x2, x3, [x9, #16]\n"
        "    ldp x4, x5, [x9, #32]\n"
        "    ldp x6, x7, [x9, #48]\n"
        "    ldr x8, [x9, #64]\n"
        ".global ipc_raw_svc\n"
        "ipc_raw_svc:\n"
        "    svc #0\n"
        "    stp x0, x1, [x9, #0]\n"
        "    stp x2, x3, [x9, #16]\n"
        "    stp x4, x5, [x9, #32]\n"
        "    stp x6, x7, [x9, #48]\n"
        "    str x8, [x9, #64]\n"
        "    ret\n"
        ".size ipc_raw_syscall, . - ipc_raw_syscall\n"

        ".global ipc_raw_udf\n"
        ".type ipc_raw_udf, %function\n"
        "ipc_raw_udf:\n"
        "    mov x0, #0\n"
        ".global ipc_udf_insn\n"
        "ipc_udf_insn:\n"
        "    udf #0\n"
        "    mov x0, #0x600d\n"
        "    ret\n"
        ".size ipc_raw_udf, . - ipc_raw_udf\n"

        ".global ipc_raw_load\n"
        ".type ipc_raw_load, %function\n"
        "ipc_raw_load:\n"
        ".global ipc_load_insn\n"
        "ipc_load_insn:\n"
        "    ldr x0, [x0]\n"
        "    ret\n"
        ".size ipc_raw_load, . - ipc_raw_load\n");
