/* Long capability operations give way to interrupts (manual §3.2, ARCHITECTURE
 * "Preemption points"): revoking an untyped that holds tens of thousands of objects and
 * resetting a large untyped both stop at preemption points when the kernel timer fires,
 * then restart and finish. The kernel's debug preemption counter shows it happened.
 * systest: needs a debug kernel */
#include <kairos/debug.h>

#include "systest.h"

#define BIG_CNODE_RADIX 14
#define BIG_CNODES 4
#define BATCH 256
#define MIN_UNTYPED_BITS 23

static seL4_CPtr largest_untyped(unsigned int *bits)
{
    seL4_BootInfo *bi = seL4_GetBootInfo();
    seL4_CPtr best = 0;
    *bits = 0;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        const seL4_UntypedDesc *u = &bi->untypedList[i];
        if (!u->isDevice && u->sizeBits > *bits) {
            *bits = u->sizeBits;
            best = bi->untyped.start + i;
        }
    }
    return best;
}

/* Slots at the top of the empty region, away from other tests' allocations. */
static seL4_CPtr top_slot(unsigned int k)
{
    return seL4_GetBootInfo()->empty.end - 1 - k;
}

SYSTEST(revoke_of_65536_objects_is_preemptible)
{
    unsigned int bits;
    seL4_CPtr ut = largest_untyped(&bits);
    CHECK(bits >= MIN_UNTYPED_BITS);
    if (bits < MIN_UNTYPED_BITS) {
        return;
    }
    for (unsigned int c = 0; c < BIG_CNODES; c++) {
        CHECK_EQ(seL4_Untyped_Retype(ut, seL4_CapTableObject, BIG_CNODE_RADIX, seL4_CapInitThreadCNode,
                                     0, 0, top_slot(c), 1),
                 seL4_NoError);
        for (seL4_Word off = 0; off < (1ul << BIG_CNODE_RADIX); off += BATCH) {
            int e = seL4_Untyped_Retype(ut, seL4_EndpointObject, 0, seL4_CapInitThreadCNode,
                                        top_slot(c), seL4_WordBits, off, BATCH);
            if (e != seL4_NoError) {
                CHECK_EQ(e, seL4_NoError);
                return;
            }
        }
    }
    seL4_Word before = kairos_debug_preemptions();
    CHECK_EQ(seL4_CNode_Revoke(seL4_CapInitThreadCNode, ut, seL4_WordBits), seL4_NoError);
    CHECK(kairos_debug_preemptions() > before);
    for (unsigned int c = 0; c < BIG_CNODES; c++) {
        CHECK_EQ(seL4_DebugCapIdentify(top_slot(c)), 0);
    }
    CHECK_EQ(kairos_debug_check_consistency(), 0);
}

SYSTEST(reset_of_a_large_untyped_is_preemptible)
{
    unsigned int bits;
    seL4_CPtr ut = largest_untyped(&bits);
    if (bits < MIN_UNTYPED_BITS) {
        CHECK(bits >= MIN_UNTYPED_BITS);
        return;
    }
    /* One child covering everything marks the whole untyped used... */
    CHECK_EQ(seL4_Untyped_Retype(ut, seL4_UntypedObject, bits, seL4_CapInitThreadCNode, 0, 0,
                                 top_slot(0), 1),
             seL4_NoError);
    CHECK_EQ(seL4_CNode_Revoke(seL4_CapInitThreadCNode, ut, seL4_WordBits), seL4_NoError);
    /* ...so the next retype first clears all of it, in preemptible chunks. */
    seL4_Word before = kairos_debug_preemptions();
    CHECK_EQ(seL4_Untyped_Retype(ut, seL4_UntypedObject, bits, seL4_CapInitThreadCNode, 0, 0,
                                 top_slot(0), 1),
             seL4_NoError);
    CHECK(kairos_debug_preemptions() > before);
    CHECK_EQ(seL4_CNode_Revoke(seL4_CapInitThreadCNode, ut, seL4_WordBits), seL4_NoError);
    CHECK_EQ(seL4_DebugCapIdentify(top_slot(0)), 0);
}
