/* IPC message contents (manual §4.1–4.2.3): all message registers, the length field, and
 * capability transfer with Grant, without it, with unwrapping and with each receive-phase
 * failure. Shared state and helper threads: ipc_shared.h.
 * systest: needs a debug kernel */
#include <kairos/string.h>
#include <sel4/faults.h>

#include "ipc_shared.h"

/* ---- Message registers ------------------------------------------------------------------ */

static seL4_Word big_mr(seL4_Word i, seL4_Word seed)
{
    return (seed << 56) | (0x0101010101ul * (i + 1));
}

/* Calls with all 120 registers, records what comes back in long_reply[]. */
static volatile seL4_Word long_reply[seL4_MsgMaxLength];
static volatile seL4_Word long_label, long_length;
static void long_caller(seL4_Word unused)
{
    (void)unused;
    for (int i = 0; i < seL4_MsgMaxLength; i++) {
        seL4_SetMR(i, big_mr((seL4_Word)i, 0xa1));
    }
    ready[1] = 1;
    seL4_MessageInfo_t info =
        seL4_Call(cfg.send[1], seL4_MessageInfo_new(0xfffffffffffffull, 0, 0, seL4_MsgMaxLength));
    long_label = seL4_MessageInfo_get_label(info);
    long_length = seL4_MessageInfo_get_length(info);
    for (int i = 0; i < seL4_MsgMaxLength; i++) {
        long_reply[i] = seL4_GetMR(i);
    }
}

/* Receives the long call: checks all registers itself (counting mismatches in steps[0]),
 * answers with 120 registers of its own. */
static void long_server(seL4_Word unused)
{
    (void)unused;
    seL4_Word badge = 0;
    ready[0] = 1;
    seL4_MessageInfo_t info = seL4_Recv(cfg.ep, &badge, cfg.reply[0]);
    msg_record(&got[0], info, badge);
    int bad = 0;
    for (int i = 0; i < seL4_MsgMaxLength; i++) {
        bad += seL4_GetMR(i) != big_mr((seL4_Word)i, 0xa1);
    }
    steps[0] = bad;
    for (int i = 0; i < seL4_MsgMaxLength; i++) {
        seL4_SetMR(i, big_mr((seL4_Word)i, 0xb2));
    }
    seL4_Send(cfg.reply[0], seL4_MessageInfo_new(0x1, 0, 0, seL4_MsgMaxLength));
}

/* §4.1, ABI §1.2, §5: all 120 message registers (4 in CPU registers, the rest in the IPC
 * buffer) and the 52-bit label travel both ways of a Call. */
SYSTEST(ipc_all_message_registers_round_trip)
{
    if (!threads_begin()) {
        return;
    }
    reset();
    cfg.ep = ep_new();
    cfg.reply[0] = reply_new();
    cfg.send[1] = cap_mint(cfg.ep, RIGHTS_ALL, 0x120);
    steps[0] = -1;
    struct thread *srv = ipc_spawn(long_server, 0, PRIO_HIGH);
    if (srv && cfg.send[1] && wait_for(&ready[0])) {
        struct thread *c = ipc_spawn(long_caller, 0, PRIO_LOW);
        CHECK(c && wait_for(&c->finished));
        CHECK_EQ(got[0].badge, 0x120);
        CHECK_EQ(got[0].label, 0xfffffffffffffull);
        CHECK_EQ(got[0].length, seL4_MsgMaxLength);
        CHECK_EQ(steps[0], 0);
        CHECK_EQ(long_label, 0x1);
        CHECK_EQ(long_length, seL4_MsgMaxLength);
        for (int i = 0; i < seL4_MsgMaxLength; i++) {
            if (long_reply[i] != big_mr((seL4_Word)i, 0xb2)) {
                CHECK_EQ(long_reply[i], big_mr((seL4_Word)i, 0xb2));
                break;
            }
        }
    }
    threads_end();
}

/* Receives twice with its IPC buffer's msg[] filled with a marker first; records how many
 * registers of the message hold what the root task sent and how many past it still hold
 * the marker. */
#define MARKER 0x5eedf00d5eedf00dul
static volatile int matched[2], untouched[2];
static void marked_receiver(seL4_Word unused)
{
    (void)unused;
    for (int k = 0; k < 2; k++) {
        seL4_Word badge = 0;
        for (int i = 0; i < seL4_MsgMaxLength; i++) {
            seL4_SetMR(i, MARKER);
        }
        ready[k] = 1;
        seL4_MessageInfo_t info = seL4_Recv(cfg.ep, &badge, cfg.reply[0]);
        msg_record(&got[k], info, badge);
        int m = 0, n = 0;
        for (int i = 0; i < seL4_MsgMaxLength; i++) {
            if ((seL4_Word)i < got[k].length) {
                m += seL4_GetMR(i) == big_mr((seL4_Word)i, 0xc3);
            } else {
                n += seL4_GetMR(i) == MARKER;
            }
        }
        matched[k] = m;
        untouched[k] = n;
    }
}

/* §4.1: the length says how many registers go: a 5-register message leaves the receiver's
 * registers from MR5 on alone (MR4 is the first one in the buffer); a length above 120
 * (the field has 7 bits) sends 120 and says so (upstream clamps to seL4_MsgMaxLength). */
SYSTEST(ipc_length_limits_what_is_copied)
{
    if (!threads_begin()) {
        return;
    }
    reset();
    cfg.ep = ep_new();
    cfg.reply[0] = reply_new();
    struct thread *r = ipc_spawn(marked_receiver, 0, PRIO_MID);
    if (r && wait_for(&ready[0])) {
        for (int i = 0; i < seL4_MsgMaxLength; i++) {
            seL4_SetMR(i, big_mr((seL4_Word)i, 0xc3));
        }
        seL4_NBSend(cfg.ep, seL4_MessageInfo_new(9, 0, 0, 5));
        CHECK(wait_for(&ready[1]));
        CHECK_EQ(got[0].length, 5);
        CHECK_EQ(matched[0], 5);
        CHECK_EQ(untouched[0], seL4_MsgMaxLength - 5);
        seL4_NBSend(cfg.ep, seL4_MessageInfo_new(9, 0, 0, 127));
        CHECK(wait_for(&r->finished));
        CHECK_EQ(got[1].length, seL4_MsgMaxLength);
        CHECK_EQ(matched[1], seL4_MsgMaxLength);
    }
    threads_end();
}

/* ---- Capability transfer ---------------------------------------------------------------- */

/* Sends MR0 = 0x1234 with cfg.ncaps extra caps cfg.caps[] through cfg.send[1]. */
static void cap_sender(seL4_Word unused)
{
    (void)unused;
    for (unsigned int k = 0; k < cfg.ncaps; k++) {
        seL4_SetCap((int)k, cfg.caps[k]);
    }
    seL4_SetMR(0, 0x1234);
    ready[1] = 1;
    seL4_Send(cfg.send[1], seL4_MessageInfo_new(0x77, 0, cfg.ncaps, 1));
}

/* The root task receives one cap-transfer message with receive path (cnode, index, depth):
 * it spawns the sender, lets it block in Send, and takes the message with NBRecv. The
 * data must always arrive. */
static bool cap_exchange(seL4_CPtr cnode, seL4_CPtr index, seL4_Word depth, volatile struct msg *m)
{
    ready[1] = 0;
    seL4_CPtr reply = reply_new();
    struct thread *s = ipc_spawn(cap_sender, 0, PRIO_LOW);
    if (!s || !reply || !wait_for(&ready[1])) {
        return false;
    }
    seL4_SetCapReceivePath(cnode, index, depth);
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = seL4_NBRecv(cfg.ep, &badge, reply);
    msg_record(m, info, badge);
    seL4_Word unwrapped[3] = {seL4_GetBadge(0), seL4_GetBadge(1), seL4_GetBadge(2)};
    seL4_SetCapReceivePath(0, 0, 0);
    for (int k = 0; k < 3; k++) {
        m->mr[1 + k] = unwrapped[k]; /* only MR0 is sent: keep the badges here */
    }
    CHECK_EQ(m->label, 0x77);
    CHECK_EQ(m->length, 1);
    CHECK_EQ(m->mr[0], 0x1234);
    CHECK(wait_for(&s->finished));
    return true;
}

/* The objects of a cap-transfer test: the endpoint (the message goes through a badged cap
 * to it), a notification with a badged cap to send, a second endpoint. */
static seL4_CPtr xfer_ntfn, xfer_ntfn_badged, xfer_other_ep;
static bool xfer_setup(seL4_Word send_rights)
{
    reset();
    cfg.ep = ep_new();
    xfer_ntfn = ntfn_new();
    xfer_other_ep = ep_new();
    cfg.send[1] = cfg.ep ? cap_mint(cfg.ep, send_rights, 0x1) : 0;
    xfer_ntfn_badged = xfer_ntfn ? cap_mint(xfer_ntfn, RIGHTS_ALL, 0x9) : 0;
    return cfg.send[1] && xfer_ntfn_badged && xfer_other_ep;
}

/* The received cap is a working copy of the badged notification cap: a signal through it
 * arrives with badge 0x9. */
static void check_received_ntfn(seL4_CPtr slot)
{
    CHECK_CAP_TYPE(slot, CAP_NOTIFICATION);
    if (cap_type(slot) != CAP_NOTIFICATION) {
        return; /* a Signal to anything else might block the root task */
    }
    seL4_Signal(slot);
    seL4_Word badge = 0;
    (void)seL4_Poll(xfer_ntfn, &badge);
    CHECK_EQ(badge, 0x9);
}

/* §4.2.2, §3.1.5: with Grant, the cap in the message is copied into the receive slot the
 * receiver named: extraCaps 1, nothing unwrapped, a working cap to the same object, derived
 * from the sender's (revoking the original deletes it); the sender keeps its cap. */
SYSTEST(ipc_cap_transfer_with_grant_copies_the_cap)
{
    if (!threads_begin()) {
        return;
    }
    seL4_CPtr dest = slot_alloc();
    if (xfer_setup(RIGHTS_ALL) && dest) {
        cfg.caps[0] = xfer_ntfn_badged;
        cfg.ncaps = 1;
        CHECK(cap_exchange(ROOT, dest, ROOT_DEPTH, &got[0]));
        CHECK_EQ(got[0].extra, 1);
        CHECK_EQ(got[0].unwrapped, 0);
        check_received_ntfn(dest);
        CHECK_CAP_TYPE(xfer_ntfn_badged, CAP_NOTIFICATION);
        CHECK_EQ(seL4_CNode_Revoke(ROOT, xfer_ntfn, ROOT_DEPTH), seL4_NoError);
        CHECK_CAP_TYPE(dest, CAP_NULL);
        CHECK_CONSISTENT();
    }
    threads_end();
}

/* §4.2.2: without Grant "a transfer of the raw message, without any capability transfer":
 * extraCaps 0 and capsUnwrapped 0 even for a cap that could be unwrapped, the slot stays
 * empty, the data arrives. */
SYSTEST(ipc_cap_transfer_without_grant_moves_no_caps)
{
    if (!threads_begin()) {
        return;
    }
    seL4_CPtr dest = slot_alloc();
    if (xfer_setup(RIGHT_W | RIGHT_R | RIGHT_GR) && dest) {
        cfg.caps[0] = cap_mint(cfg.ep, RIGHTS_ALL, 0x77);
        cfg.caps[1] = xfer_ntfn_badged;
        cfg.ncaps = 2;
        CHECK(cap_exchange(ROOT, dest, ROOT_DEPTH, &got[0]));
        CHECK_EQ(got[0].extra, 0);
        CHECK_EQ(got[0].unwrapped, 0);
        CHECK_CAP_TYPE(dest, CAP_NULL);
    }
    threads_end();
}

/* §4.2.2: a cap to the endpoint the message goes through is unwrapped: its badge lands in
 * badges[n], bit n of capsUnwrapped is set, and the receive slot stays free for another cap.
 * The manual's example: extraCaps 2 and capsUnwrapped 2 mean the first cap went to the
 * slot and the second was unwrapped, and a third cap that could not be unwrapped (the slot
 * is taken) did not arrive. */
SYSTEST(ipc_cap_transfer_unwraps_caps_to_the_same_endpoint)
{
    if (!threads_begin()) {
        return;
    }
    seL4_CPtr dest = slot_alloc();
    if (xfer_setup(RIGHTS_ALL) && dest) {
        seL4_CPtr ep77 = cap_mint(cfg.ep, RIGHTS_ALL, 0x77);
        seL4_CPtr ep78 = cap_mint(cfg.ep, RIGHTS_ALL, 0x78);
        cfg.caps[0] = ep77;
        cfg.caps[1] = xfer_ntfn_badged;
        cfg.ncaps = 2;
        CHECK(cap_exchange(ROOT, dest, ROOT_DEPTH, &got[0]));
        CHECK_EQ(got[0].extra, 2);
        CHECK_EQ(got[0].unwrapped, 1);
        CHECK_EQ(got[0].mr[1], 0x77);
        check_received_ntfn(dest);

        CHECK_EQ(seL4_CNode_Delete(ROOT, dest, ROOT_DEPTH), seL4_NoError);
        cfg.caps[0] = xfer_ntfn_badged;
        cfg.caps[1] = ep78;
        cfg.caps[2] = xfer_other_ep;
        cfg.ncaps = 3;
        CHECK(cap_exchange(ROOT, dest, ROOT_DEPTH, &got[1]));
        CHECK_EQ(got[1].extra, 2);
        CHECK_EQ(got[1].unwrapped, 2);
        CHECK_EQ(got[1].mr[2], 0x78);
        check_received_ntfn(dest);
    }
    threads_end();
}

/* §4.2.3: the receive phase stops at the first cap it cannot store and reports nobody an
 * error: with the receive slot occupied, caps before the failure that were unwrapped count
 * in extraCaps, the rest is dropped (even an unwrappable cap after it), and the occupant
 * stays. */
SYSTEST(ipc_cap_transfer_stops_at_an_occupied_receive_slot)
{
    if (!threads_begin()) {
        return;
    }
    seL4_CPtr dest = slot_alloc();
    if (xfer_setup(RIGHTS_ALL) && dest) {
        CHECK_EQ(seL4_CNode_Copy(ROOT, dest, ROOT_DEPTH, ROOT, xfer_other_ep, ROOT_DEPTH,
                                 rights_word(RIGHTS_ALL)),
                 seL4_NoError);
        cfg.caps[0] = cap_mint(cfg.ep, RIGHTS_ALL, 0x77);
        cfg.caps[1] = xfer_ntfn_badged;
        cfg.caps[2] = cap_mint(cfg.ep, RIGHTS_ALL, 0x79);
        cfg.ncaps = 3;
        CHECK(cap_exchange(ROOT, dest, ROOT_DEPTH, &got[0]));
        CHECK_EQ(got[0].extra, 1);
        CHECK_EQ(got[0].unwrapped, 1);
        CHECK_EQ(got[0].mr[1], 0x77);
        CHECK_CAP_TYPE(dest, CAP_ENDPOINT);

        cfg.caps[0] = xfer_ntfn_badged;
        cfg.caps[1] = cap_mint(cfg.ep, RIGHTS_ALL, 0x7a);
        cfg.ncaps = 2;
        CHECK(cap_exchange(ROOT, dest, ROOT_DEPTH, &got[1]));
        CHECK_EQ(got[1].extra, 0);
        CHECK_EQ(got[1].unwrapped, 0);
        CHECK_CAP_TYPE(dest, CAP_ENDPOINT);
    }
    threads_end();
}

/* §4.2.3: a receive slot that cannot be looked up (the receive CNode is an endpoint; a
 * depth of 0) is no error either: only unwrapped caps arrive. */
SYSTEST(ipc_cap_transfer_stops_at_an_invalid_receive_slot)
{
    if (!threads_begin()) {
        return;
    }
    seL4_CPtr dest = slot_alloc();
    if (xfer_setup(RIGHTS_ALL) && dest) {
        cfg.caps[0] = cap_mint(cfg.ep, RIGHTS_ALL, 0x77);
        cfg.caps[1] = xfer_ntfn_badged;
        cfg.ncaps = 2;
        CHECK(cap_exchange(xfer_other_ep, dest, ROOT_DEPTH, &got[0]));
        CHECK_EQ(got[0].extra, 1);
        CHECK_EQ(got[0].unwrapped, 1);
        CHECK_EQ(got[0].mr[1], 0x77);
        CHECK(cap_exchange(ROOT, dest, 0, &got[1]));
        CHECK_EQ(got[1].extra, 1);
        CHECK_EQ(got[1].unwrapped, 1);
        CHECK_CAP_TYPE(dest, CAP_NULL);
    }
    threads_end();
}

/* §4.2.3, §3.1.5 Table 3.2: a cap that cannot be derived (IRQControl; an unmapped page
 * table) ends the transfer like a missing slot; and with two caps that both need the slot,
 * only the first gets it. */
SYSTEST(ipc_cap_transfer_stops_at_a_cap_that_cannot_be_derived)
{
    if (!threads_begin()) {
        return;
    }
    seL4_CPtr dest = slot_alloc();
    seL4_CPtr pt = threads_object(seL4_ARM_PageTableObject, 0);
    if (xfer_setup(RIGHTS_ALL) && dest && pt) {
        cfg.caps[0] = seL4_CapIRQControl;
        cfg.caps[1] = cap_mint(cfg.ep, RIGHTS_ALL, 0x77);
        cfg.ncaps = 2;
        CHECK(cap_exchange(ROOT, dest, ROOT_DEPTH, &got[0]));
        CHECK_EQ(got[0].extra, 0);
        CHECK_EQ(got[0].unwrapped, 0);
        CHECK_CAP_TYPE(dest, CAP_NULL);

        cfg.caps[0] = pt;
        CHECK(cap_exchange(ROOT, dest, ROOT_DEPTH, &got[1]));
        CHECK_EQ(got[1].extra, 0);
        CHECK_CAP_TYPE(dest, CAP_NULL);

        cfg.caps[0] = xfer_ntfn_badged;
        cfg.caps[1] = xfer_other_ep;
        CHECK(cap_exchange(ROOT, dest, ROOT_DEPTH, &got[2]));
        CHECK_EQ(got[2].extra, 1);
        check_received_ntfn(dest);
    }
    threads_end();
}

/* §4.2.3: a source cap that went away while its sender was blocked ends the transfer at
 * the receive phase (its slot is empty now: nothing to copy); the data still arrives. */
SYSTEST(ipc_cap_transfer_of_a_cap_deleted_while_queued)
{
    if (!threads_begin()) {
        return;
    }
    seL4_CPtr dest = slot_alloc(), reply = reply_new();
    if (xfer_setup(RIGHTS_ALL) && dest && reply) {
        seL4_CPtr copy = cap_mint(xfer_ntfn, RIGHTS_ALL, 0x9);
        cfg.caps[0] = copy;
        cfg.ncaps = 1;
        struct thread *s = ipc_spawn(cap_sender, 0, PRIO_LOW);
        if (s && copy && wait_for(&ready[1])) {
            CHECK_EQ(seL4_CNode_Delete(ROOT, copy, ROOT_DEPTH), seL4_NoError);
            seL4_SetCapReceivePath(ROOT, dest, ROOT_DEPTH);
            seL4_Word badge = 0;
            seL4_MessageInfo_t info = seL4_NBRecv(cfg.ep, &badge, reply);
            seL4_SetCapReceivePath(0, 0, 0);
            msg_record(&got[0], info, badge);
            CHECK_EQ(got[0].label, 0x77);
            CHECK_EQ(got[0].mr[0], 0x1234);
            CHECK_EQ(got[0].extra, 0);
            CHECK_CAP_TYPE(dest, CAP_NULL);
            CHECK(wait_for(&s->finished));
        }
    }
    threads_end();
}

