/* One fuzzer op, run by the worker: a random invocation (mostly of a pool cap, with a label
 * that fits its type, and structured Retype and CNode calls so that objects are made, moved
 * and destroyed), or a random system call. Every choice comes from the op's own generator
 * (fuzz.h); the result words are folded into the run's hash. */
#include <stdarg.h>

#include "../system/cap_types.h"
#include "fuzz.h"

/* Percentages of the op mix. */
#define PCT_INVOKE 82      /* an invocation (the rest: a bare system call) */
#define PCT_STRUCTURED 60  /* of Untyped and CNode invocations: through the typed stubs */
#define PCT_TYPED_LABEL 65 /* of raw invocations: a label of the target's type */
/* Endpoint invocations and blocking system calls wait for a partner that rarely comes; the
 * root task restarts the worker after STALL_TICKS ticks, which costs ~10 ms, so they are
 * rare: one in this many. */
#define BLOCKING_ONE_IN 48

/* Sub-CNode radixes the pool has (pool.c) and the worker may be asked to use. */
static const uint8_t sub_radixes[] = {1, 4, 6, 8};

bool fuzz_describe;
static uint64_t describing_op;

/* In a replay (fuzz_describe), what op `describing_op` is about to do, as one line, before
 * it does it: the line a minimised failure's log ends with names the guilty call. */
static void __attribute__((format(printf, 1, 2))) describe(const char *fmt, ...)
{
    if (!fuzz_describe) {
        return;
    }
    char line[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    printf("FUZZ op %lu: %s\n", (unsigned long)describing_op, line);
}

static unsigned int pool_slot(struct rng *r)
{
    return fuzz_pool.count ? fuzz_pool.slots[rng_below(r, fuzz_pool.count)] : W_POOL_FIRST;
}

/* A slot of W: the pool's, the free area where the worker's own objects go, or any. */
static unsigned int w_slot(struct rng *r)
{
    uint64_t k = rng_below(r, 100);
    if (k < 55) {
        return pool_slot(r);
    }
    if (k < 85) {
        return W_FREE_FIRST + (unsigned int)rng_below(r, W_SLOTS - W_FREE_FIRST);
    }
    return (unsigned int)rng_below(r, W_SLOTS);
}

/* A cptr for an invocation or an extra cap: mostly W slots, now and then garbage (which
 * the lookup's guard check mostly refuses). */
static seL4_CPtr pick_cptr(struct rng *r)
{
    uint64_t k = rng_below(r, 100);
    if (k < 88) {
        return W_CPTR(w_slot(r));
    }
    if (k < 96) {
        return rng_interesting(r);
    }
    return rng_next(r);
}

/* The radix of the pool CNode `cnode` names, or 0 if it names none. */
static unsigned int pool_cnode_radix(seL4_CPtr cnode)
{
    for (unsigned int i = 0; i < fuzz_pool.cnode_count; i++) {
        if (W_CPTR(fuzz_pool.cnodes[i]) == cnode) {
            return fuzz_pool.cnode_radix[i];
        }
    }
    return 0;
}

/* ---- Labels ---------------------------------------------------------------------------- */

struct label_range {
    uint8_t first, last;
};

static struct label_range labels_of(seL4_Word type)
{
    switch (type) {
    case CAP_UNTYPED:
        return (struct label_range){UntypedRetype, UntypedRetype};
    case CAP_THREAD:
        return (struct label_range){TCBReadRegisters, TCBSetFlags};
    case CAP_CNODE:
        return (struct label_range){CNodeRevoke, CNodeRotate};
    case CAP_IRQ_CONTROL:
        return (struct label_range){IRQIssueIRQHandler, IRQIssueIRQHandler};
    case CAP_IRQ_HANDLER:
        return (struct label_range){IRQAckIRQ, IRQClearIRQHandler};
    case CAP_SCHED_CONTROL:
        return (struct label_range){SchedControlConfigureFlags, SchedControlConfigureFlags};
    case CAP_SCHED_CONTEXT:
        return (struct label_range){SchedContextBind, SchedContextYieldTo};
    case CAP_VSPACE:
        return (struct label_range){ARMVSpaceClean_Data, ARMVSpaceUnify_Instruction};
    case CAP_PAGE_TABLE:
        return (struct label_range){ARMPageTableMap, ARMPageTableUnmap};
    case CAP_FRAME:
        return (struct label_range){ARMPageMap, ARMPageGetAddress};
    case CAP_ASID_CONTROL:
        return (struct label_range){ARMASIDControlMakePool, ARMASIDControlMakePool};
    case CAP_ASID_POOL:
        return (struct label_range){ARMASIDPoolAssign, ARMASIDPoolAssign};
    default:
        return (struct label_range){0, 0};
    }
}

static seL4_Word pick_label(struct rng *r, seL4_Word type)
{
    uint64_t k = rng_below(r, 100);
    struct label_range lr = labels_of(type);
    if (k < PCT_TYPED_LABEL && lr.last != 0) {
        if (type == CAP_IRQ_CONTROL && rng_below(r, 3) == 0) {
            /* The ARM forms of IRQControl_Get: trigger mode and SGI signal caps. */
            return rng_below(r, 2) ? ARMIRQIssueIRQHandlerTrigger : ARMIRQIssueSGISignal;
        }
        return lr.first + rng_below(r, lr.last - lr.first + 1u);
    }
    if (k < 90) {
        return rng_below(r, nArchInvocationLabels + 8); /* including unused ones */
    }
    return rng_interesting(r); /* huge labels: the message info keeps 52 bits */
}

/* ---- Structured invocations ------------------------------------------------------------ */

struct address {
    seL4_Word index;
    seL4_Uint8 depth;
};

/* A slot for a CNode method whose root is `cnode`: W's slots through W_SELF, slots of
 * CNodes in W through W_DEEP, a pool CNode's own slots (W_SUB_BITS deep, pool.c), or
 * garbage. */
static struct address pick_address(struct rng *r, seL4_CPtr cnode)
{
    uint64_t k = rng_below(r, 100);
    unsigned int radix = pool_cnode_radix(cnode);
    if (k < 80 && cnode == W_CPTR(W_SELF)) {
        return (struct address){w_slot(r), W_SLOT_DEPTH};
    }
    if (k < 80 && cnode == W_CPTR(W_DEEP)) {
        if (rng_below(r, 4) == 0) {
            /* W's own slot s, one level: 56 bits */
            return (struct address){w_slot(r), seL4_WordBits - W_SUB_BITS};
        }
        unsigned int i =
            fuzz_pool.cnode_count ? (unsigned int)rng_below(r, fuzz_pool.cnode_count) : 0;
        unsigned int sub = fuzz_pool.cnode_count ? fuzz_pool.cnodes[i] : W_POOL_FIRST;
        unsigned int bits = fuzz_pool.cnode_count ? fuzz_pool.cnode_radix[i] : W_SUB_BITS;
        return (struct address){W_DEEP_CPTR(sub, rng_below(r, 1u << bits)), seL4_WordBits};
    }
    if (k < 80 && radix != 0) {
        return (struct address){rng_below(r, 1u << radix), W_SUB_BITS};
    }
    if (k < 90) {
        uint8_t bits = sub_radixes[rng_below(r, sizeof(sub_radixes))];
        return (struct address){rng_below(r, 1u << bits), bits};
    }
    return (struct address){rng_interesting(r), (seL4_Uint8)rng_interesting(r)};
}

/* The root argument of CNode methods and retypes: W (as the worker names it) mostly. */
static seL4_CPtr pick_cnode(struct rng *r)
{
    uint64_t k = rng_below(r, 100);
    if (k < 65) {
        return W_CPTR(W_SELF);
    }
    if (k < 80) {
        return W_CPTR(W_DEEP);
    }
    if (k < 92 && fuzz_pool.cnode_count) {
        return W_CPTR(fuzz_pool.cnodes[rng_below(r, fuzz_pool.cnode_count)]);
    }
    return pick_cptr(r);
}

/* Badges, guards (CNode cap data) or noise. */
static seL4_Word pick_data(struct rng *r)
{
    uint64_t k = rng_below(r, 10);
    if (k < 4) {
        return 0;
    }
    if (k < 7) {
        return seL4_CNode_CapData_new(rng_below(r, 4), rng_below(r, 8)).words[0];
    }
    return rng_interesting(r);
}

static seL4_Word size_bits_for(struct rng *r, seL4_Word type)
{
    if (rng_below(r, 10) == 0) {
        return rng_interesting(r);
    }
    switch (type) {
    case seL4_UntypedObject:
        return seL4_MinUntypedBits + rng_below(r, 18);
    case seL4_CapTableObject:
        return rng_below(r, 10);
    case seL4_SchedContextObject:
        return seL4_MinSchedContextBits + rng_below(r, 5);
    default:
        return 0;
    }
}

static seL4_Error op_retype(struct rng *r, seL4_CPtr service)
{
    seL4_Word type = rng_below(r, 10) ? rng_below(r, seL4_ObjectTypeCount) : rng_interesting(r);
    seL4_Word size_bits = size_bits_for(r, type);
    seL4_CPtr root = pick_cnode(r);
    struct address node = {0, 0};
    uint64_t k = rng_below(r, 100);
    if (k >= 65 && k < 85 && fuzz_pool.cnode_count) {
        node =
            (struct address){fuzz_pool.cnodes[rng_below(r, fuzz_pool.cnode_count)], W_SLOT_DEPTH};
    } else if (k >= 85) {
        node = pick_address(r, root);
    }
    seL4_Word offset = node.depth == 0 && rng_below(r, 5)
                           ? W_FREE_FIRST + rng_below(r, W_SLOTS - W_FREE_FIRST)
                           : (rng_below(r, 4) ? rng_below(r, 64) : rng_interesting(r));
    k = rng_below(r, 100);
    seL4_Word num = k < 80 ? 1 : k < 90 ? 2 + rng_below(r, 4) : rng_interesting(r);
    describe(
        "Untyped_Retype(0x%lx, type %lu, size %lu, root 0x%lx, index 0x%lx, depth %u, offset %lu, "
        "num %lu)",
        (unsigned long)service, (unsigned long)type, (unsigned long)size_bits, (unsigned long)root,
        (unsigned long)node.index, node.depth, (unsigned long)offset, (unsigned long)num);
    return seL4_Untyped_Retype(service, type, size_bits, root, node.index, node.depth, offset, num);
}

static seL4_Error op_cnode(struct rng *r, seL4_CPtr service)
{
    struct address d = pick_address(r, service);
    seL4_CPtr src_root = rng_below(r, 5) ? service : pick_cnode(r);
    struct address s = pick_address(r, src_root);
    seL4_CapRights_t rights = {{rng_below(r, 8) ? rng_below(r, 16) : rng_interesting(r)}};
    uint64_t method = rng_below(r, 9);
    static const char *const names[] = {"Revoke", "Delete", "CancelBadgedSends",
                                        "Copy",   "Mint",   "Mint",
                                        "Move",   "Mutate", "Rotate"};
    describe("CNode_%s(0x%lx, dest 0x%lx/%u, src root 0x%lx, src 0x%lx/%u, rights 0x%lx)",
             names[method], (unsigned long)service, (unsigned long)d.index, d.depth,
             (unsigned long)src_root, (unsigned long)s.index, s.depth,
             (unsigned long)rights.words[0]);
    switch (method) {
    case 0:
        return seL4_CNode_Revoke(service, d.index, d.depth);
    case 1:
        return seL4_CNode_Delete(service, d.index, d.depth);
    case 2:
        return seL4_CNode_CancelBadgedSends(service, d.index, d.depth);
    case 3:
        return seL4_CNode_Copy(service, d.index, d.depth, src_root, s.index, s.depth, rights);
    case 4:
    case 5:
        return seL4_CNode_Mint(service, d.index, d.depth, src_root, s.index, s.depth, rights,
                               pick_data(r));
    case 6:
        return seL4_CNode_Move(service, d.index, d.depth, src_root, s.index, s.depth);
    case 7:
        return seL4_CNode_Mutate(service, d.index, d.depth, src_root, s.index, s.depth,
                                 pick_data(r));
    default: {
        struct address p = pick_address(r, src_root);
        if (rng_below(r, 2)) {
            s = d; /* a swap */
        }
        return seL4_CNode_Rotate(service, d.index, d.depth, pick_data(r), src_root, p.index,
                                 p.depth, pick_data(r), src_root, s.index, s.depth);
    }
    }
}

/* ---- Raw invocations and system calls --------------------------------------------------- */

/* A message info with a random label, 0-3 extra caps and a length that may pass
 * seL4_MsgMaxLength; the message registers and cap slots it names are filled in. */
static seL4_MessageInfo_t random_message(struct rng *r, seL4_Word label)
{
    uint64_t k = rng_below(r, 100);
    seL4_Word length = k < 55   ? rng_below(r, 8)
                       : k < 85 ? rng_below(r, seL4_MsgMaxLength + 1)
                       : k < 95 ? seL4_MsgMaxLength + 1 + rng_below(r, 7) /* past the end */
                                : rng_interesting(r) & ((1u << seL4_MsgLengthBits) - 1);
    seL4_Word caps = rng_below(r, 3) ? 0 : rng_below(r, seL4_MsgMaxExtraCaps + 1);
    seL4_Word filled = length < seL4_MsgMaxLength ? length : seL4_MsgMaxLength;
    for (seL4_Word i = 0; i < filled; i++) {
        seL4_SetMR((int)i, rng_interesting(r));
    }
    for (seL4_Word i = 0; i < caps; i++) {
        seL4_SetCap((int)i, pick_cptr(r));
    }
    return seL4_MessageInfo_new(label, 0, caps, length);
}

static int error_bucket(seL4_Word label)
{
    return label < seL4_NumErrors ? (int)label : seL4_NumErrors;
}

static uint64_t op_invoke(struct rng *r, int *error)
{
    seL4_CPtr target = pick_cptr(r);
    /* The type decides the label and whether a Call could wait forever (an endpoint). */
    seL4_Word type = seL4_DebugCapIdentify(target);
    bool structured = rng_below(r, 100) < PCT_STRUCTURED;
    if (structured && type == CAP_UNTYPED) {
        seL4_Error err = op_retype(r, target);
        *error = error_bucket(err);
        return fuzz_fold(err, seL4_GetMR(0));
    }
    if (structured && type == CAP_CNODE) {
        seL4_Error err = op_cnode(r, target);
        *error = error_bucket(err);
        return fuzz_fold(err, seL4_GetMR(0));
    }
    seL4_MessageInfo_t info = random_message(r, pick_label(r, type));
    describe(
        "invoke 0x%lx (cap type %lu): label %lu, %lu extra caps, length %lu, MR0..3 0x%lx "
        "0x%lx 0x%lx 0x%lx",
        (unsigned long)target, (unsigned long)type, (unsigned long)seL4_MessageInfo_get_label(info),
        (unsigned long)seL4_MessageInfo_get_extraCaps(info),
        (unsigned long)seL4_MessageInfo_get_length(info), (unsigned long)seL4_GetMR(0),
        (unsigned long)seL4_GetMR(1), (unsigned long)seL4_GetMR(2), (unsigned long)seL4_GetMR(3));
    if (type == CAP_ENDPOINT && rng_below(r, BLOCKING_ONE_IN) != 0) {
        seL4_NBSend(target, info);
        *error = -1;
        return 0xe9;
    }
    seL4_MessageInfo_t reply = seL4_Call(target, info);
    seL4_Word label = seL4_MessageInfo_get_label(reply);
    *error = error_bucket(label);
    return fuzz_fold(reply.words[0], seL4_GetMR(0));
}

/* A system call other than Call: the non-blocking ones mostly. */
static uint64_t op_syscall(struct rng *r)
{
    seL4_CPtr cap = pick_cptr(r);
    seL4_CPtr reply = pick_cptr(r);
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = seL4_MessageInfo_new(0, 0, 0, 0);
    if (rng_below(r, 2)) {
        /* Caps a sender transfers land in W's free area (or a random place). */
        seL4_SetCapReceivePath(W_CPTR(W_SELF), W_FREE_FIRST + rng_below(r, 32),
                               rng_below(r, 4) ? W_SLOT_DEPTH : rng_interesting(r));
    }
    uint64_t kind = rng_below(r, 100);
    if (rng_below(r, BLOCKING_ONE_IN) == 0) {
        kind = 100 + rng_below(r, 7);
    }
    describe("system call kind %lu on 0x%lx (reply 0x%lx)", (unsigned long)kind, (unsigned long)cap,
             (unsigned long)reply);
    switch (kind) {
    case 100:
        info = seL4_Recv(cap, &badge, reply);
        break;
    case 101:
        info = seL4_Wait(cap, &badge);
        break;
    case 102:
        seL4_Send(cap, random_message(r, rng_interesting(r)));
        break;
    case 103:
        info = seL4_NBSendRecv(cap, random_message(r, rng_interesting(r)), pick_cptr(r), &badge,
                               reply);
        break;
    case 104:
        info = seL4_NBSendWait(cap, random_message(r, rng_interesting(r)), pick_cptr(r), &badge);
        break;
    case 105:
        info = seL4_ReplyRecv(cap, random_message(r, rng_interesting(r)), &badge, reply);
        break;
    case 106:
        info = seL4_Call(cap, random_message(r, rng_interesting(r)));
        break;
    default:
        if (kind < 25) {
            seL4_NBSend(cap, random_message(r, rng_interesting(r)));
        } else if (kind < 55) {
            info = seL4_NBRecv(cap, &badge, reply);
        } else if (kind < 70) {
            seL4_Yield();
        } else if (kind < 85) {
            seL4_Signal(cap);
        } else {
            info = seL4_Poll(cap, &badge);
        }
        break;
    }
    return fuzz_fold(fuzz_fold(kind, info.words[0]), badge);
}

uint64_t fuzz_op_run(uint64_t seed, uint64_t op, int *error)
{
    struct rng r;
    rng_init(&r, seed, op);
    describing_op = op;
    if (rng_below(&r, 100) < PCT_INVOKE) {
        return op_invoke(&r, error);
    }
    *error = -1;
    return op_syscall(&r);
}
