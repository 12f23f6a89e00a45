/* AArch64 virtual memory (manual ch. 7, §10.7.1-2, §10.7.6-7, §10.9.2; ABI §2): Page and
 * PageTable Map/Unmap with every error the manual lists, remapping, sharing (§7.3), 4 KiB,
 * 2 MiB and 1 GiB frames, GetAddress, cache maintenance, ASID pools and the effect of
 * deleting caps. Each test works in its own 512 GiB region of the root task's VSpace (L0
 * slot n, below), so it builds every table it needs and its failures cannot leak into the
 * next test. Where the manual is silent the expectation is upstream seL4's AArch64
 * decoder (src/arch/arm/64/kernel/vspace.c), said in a comment. Faults on access (read-only,
 * execute-never, stale mappings) are the fault images' job (tests/system/faults).
 * systest: needs a debug kernel */
#include "cspace_util.h"

#define VSPACE seL4_CapInitThreadVSpace
#define KiB4 (1ul << seL4_PageBits)
#define MiB2 (1ul << seL4_LargePageBits)
#define GiB1 (1ul << seL4_HugePageBits)
/* The n-th 512 GiB region: its own slot of the root task's L0 table (the root task's image
 * lives in region 0). */
#define REGION(n) ((seL4_Word)(n) << 39)
/* The kernel's image (ABI §2.2: user addresses are below seL4_UserTop). */
#define KERNEL_VADDR 0xffffff8040000000ul
#define RW seL4_ReadWrite
#define ATTR seL4_ARM_Default_VMAttributes
#define PT_OBJ seL4_ARM_PageTableObject
#define PAGE_OBJ seL4_ARM_SmallPageObject
/* Full 4 KiB pools of an AArch64 kernel: seL4_ASIDPoolIndexBits (ABI §2.2); the manual's
 * "1024" is the AArch32 figure. */
#define POOL_ENTRIES (1u << seL4_ASIDPoolIndexBits)
#define NUM_POOLS (1u << seL4_NumASIDPoolsBits)

typedef seL4_Error (*range_op)(seL4_CPtr, seL4_Word, seL4_Word);
static const range_op page_ops[] = {seL4_ARM_Page_Clean_Data, seL4_ARM_Page_Invalidate_Data,
                                    seL4_ARM_Page_CleanInvalidate_Data,
                                    seL4_ARM_Page_Unify_Instruction};
static const range_op vspace_ops[] = {seL4_ARM_VSpace_Clean_Data, seL4_ARM_VSpace_Invalidate_Data,
                                      seL4_ARM_VSpace_CleanInvalidate_Data,
                                      seL4_ARM_VSpace_Unify_Instruction};
#define NUM_OPS 4

/* A RangeError whose MR1 (the largest valid value, §10.1.4) is hi: the end of the frame the
 * VSpace cache ops found. MR0 is checked once, in vm_vspace_cache_ops. */
#define CHECK_RANGE_END(expr, hi)                                                                  \
    do {                                                                                           \
        seL4_Error re_ = (expr);                                                                   \
        CHECK_EQ(re_, seL4_RangeError);                                                            \
        if (re_ == seL4_RangeError) {                                                              \
            CHECK_EQ(seL4_GetMR(1), (hi));                                                         \
        }                                                                                          \
    } while (0)

static volatile uint64_t *at(seL4_Word vaddr)
{
    return (volatile uint64_t *)vaddr;
}

static seL4_Error map_page(seL4_CPtr frame, seL4_CPtr vs, seL4_Word vaddr)
{
    return seL4_ARM_Page_Map(frame, vs, vaddr, RW, ATTR);
}

/* Maps `n` fresh page tables from `ut` at vaddr in vs: each goes to the next missing level. */
static void map_tables(seL4_CPtr ut, seL4_CPtr vs, seL4_Word vaddr, unsigned int n)
{
    for (unsigned int i = 0; i < n; i++) {
        seL4_CPtr pt = object_new(ut, PT_OBJ, 0);
        CHECK_EQ(seL4_ARM_PageTable_Map(pt, vs, vaddr, ATTR), seL4_NoError);
    }
}

/* A fresh 4 KiB frame from ut, mapped read-write at vaddr (whose tables exist). */
static seL4_CPtr mapped_page(seL4_CPtr ut, seL4_CPtr vs, seL4_Word vaddr)
{
    seL4_CPtr frame = object_new(ut, PAGE_OBJ, 0);
    CHECK_EQ(map_page(frame, vs, vaddr), seL4_NoError);
    return frame;
}

static seL4_Word frame_paddr(seL4_CPtr frame)
{
    seL4_ARM_Page_GetAddress_t r = seL4_ARM_Page_GetAddress(frame);
    CHECK_EQ(r.error, seL4_NoError);
    return r.paddr;
}

/* A fresh VSpace with an ASID from the root task's pool. */
static seL4_CPtr vspace_new(seL4_CPtr ut)
{
    seL4_CPtr vs = object_new(ut, seL4_ARM_VSpaceObject, 0);
    CHECK_EQ(seL4_ARM_ASIDPool_Assign(seL4_CapInitThreadASIDPool, vs), seL4_NoError);
    return vs;
}

static seL4_CPtr copy_of(seL4_CPtr cap, seL4_CapRights_t rights)
{
    seL4_CPtr c = slot_alloc();
    CHECK_EQ(seL4_CNode_Copy(ROOT, c, ROOT_DEPTH, ROOT, cap, ROOT_DEPTH, rights), seL4_NoError);
    return c;
}

/* `n` objects of one type into consecutive new slots, in calls of at most 256 (§10.3.9.1). */
static seL4_CPtr retype_many(seL4_CPtr ut, seL4_Word type, seL4_Word bits, unsigned int n)
{
    seL4_CPtr first = slot_alloc_range(n);
    for (unsigned int done = 0; first != 0 && done < n;) {
        unsigned int k = n - done > 256 ? 256 : n - done;
        CHECK_EQ(seL4_Untyped_Retype(ut, type, bits, ROOT, 0, 0, first + done, k), seL4_NoError);
        done += k;
    }
    return first;
}

/* ---- Page: Map, Unmap, remap ----------------------------------------------------------- */

/* §10.7.6.6: a mapped page reads and writes; Map with the same cap at the same vaddr updates
 * rights and attributes (§7.2); at another vaddr it is InvalidArgument, and in another
 * VSpace InvalidCapability (argument 1, the vspace). Unmap frees the cap for a new place. */
SYSTEST(vm_page_map_unmap_remap)
{
    unsigned int mark = slot_mark();
    seL4_CPtr ut = ut_alloc(16);
    seL4_Word v = REGION(1);
    map_tables(ut, VSPACE, v, 3);
    seL4_CPtr frame = mapped_page(ut, VSPACE, v);
    at(v)[0] = 0x1122334455667788ul;
    at(v)[511] = 0x99aabbccddeeff00ul;
    CHECK_EQ(at(v)[0], 0x1122334455667788ul);
    CHECK_EQ(at(v)[511], 0x99aabbccddeeff00ul);

    /* Remap read-only, then with other attributes: the same frame stays visible. (Writes
     * after a remap are the fault images' remap_readonly case: a wrong TLB entry would stop
     * this suite.) */
    CHECK_EQ(seL4_ARM_Page_Map(frame, VSPACE, v, seL4_CanRead, ATTR), seL4_NoError);
    CHECK_EQ(at(v)[0], 0x1122334455667788ul);
    CHECK_EQ(seL4_ARM_Page_Map(frame, VSPACE, v, seL4_CanRead, ATTR | seL4_ARM_ExecuteNever),
             seL4_NoError);
    CHECK_EQ(at(v)[511], 0x99aabbccddeeff00ul);

    /* Upstream numbers the argument 0 (vaddr) for "mapped at a different address". */
    CHECK_ARG_ERROR(map_page(frame, VSPACE, v + KiB4), seL4_InvalidArgument, 0);
    seL4_CPtr vs2 = vspace_new(ut);
    CHECK_ARG_ERROR(map_page(frame, vs2, v), seL4_InvalidCapability, 1);

    /* The manual lists no error for Unmap of an unmapped cap. */
    CHECK_EQ(seL4_ARM_Page_Unmap(frame), seL4_NoError);
    CHECK_EQ(seL4_ARM_Page_Unmap(frame), seL4_NoError);
    CHECK_EQ(map_page(frame, VSPACE, v + KiB4), seL4_NoError);
    CHECK_EQ(at(v + KiB4)[0], 0x1122334455667788ul);
    /* v is free again: a new frame there reads as zero. */
    (void)mapped_page(ut, VSPACE, v);
    CHECK_EQ(at(v)[0], 0);
    CHECK_CONSISTENT();
    ut_free(ut);
    slot_release(mark);
}

/* §7.1.1, §10.7.7.1: a page table goes to the highest missing level on the walk to vaddr
 * (L1, then L2, then L3); once all are there another is DeleteFirst. Until then a 4 KiB
 * Map is FailedLookup (destination, MissingCapability) with the bits the walk left
 * unresolved: 39, 30, 21 (upstream's lookupPTSlot; ABI §2.3). */
SYSTEST(vm_page_table_map_levels)
{
    unsigned int mark = slot_mark();
    seL4_CPtr ut = ut_alloc(16);
    seL4_Word v = REGION(2) + 3 * GiB1 + 5 * MiB2 + 7 * KiB4;
    seL4_CPtr frame = object_new(ut, PAGE_OBJ, 0);
    seL4_CPtr pt[6];
    for (unsigned int i = 0; i < 6; i++) {
        pt[i] = object_new(ut, PT_OBJ, 0);
    }
    static const seL4_Word bits_left[] = {39, 30, 21};
    for (unsigned int i = 0; i < 3; i++) {
        CHECK_MISSING_CAP(map_page(frame, VSPACE, v), 0, bits_left[i]);
        CHECK_EQ(seL4_ARM_PageTable_Map(pt[i], VSPACE, v, ATTR), seL4_NoError);
    }
    CHECK_EQ(map_page(frame, VSPACE, v), seL4_NoError);
    CHECK_EQ(seL4_ARM_PageTable_Map(pt[3], VSPACE, v, ATTR), seL4_DeleteFirst);
    /* An already mapped table: InvalidCapability for the service (argument 0). */
    CHECK_ARG_ERROR(seL4_ARM_PageTable_Map(pt[0], VSPACE, v + 64 * GiB1, ATTR),
                    seL4_InvalidCapability, 0);
    /* The next 2 MiB needs only an L3 table; the next 1 GiB an L2 one, and then an L3. */
    CHECK_EQ(seL4_ARM_PageTable_Map(pt[3], VSPACE, v + MiB2, ATTR), seL4_NoError);
    CHECK_EQ(seL4_ARM_PageTable_Map(pt[4], VSPACE, v + MiB2, ATTR), seL4_DeleteFirst);
    CHECK_EQ(seL4_ARM_PageTable_Map(pt[4], VSPACE, v + GiB1, ATTR), seL4_NoError);
    seL4_CPtr f2 = object_new(ut, PAGE_OBJ, 0);
    CHECK_MISSING_CAP(map_page(f2, VSPACE, v + GiB1), 0, 21);
    CHECK_EQ(map_page(f2, VSPACE, v + MiB2), seL4_NoError);
    /* Unmapping an unmapped table is no error (the manual lists none). */
    CHECK_EQ(seL4_ARM_PageTable_Unmap(pt[5]), seL4_NoError);
    CHECK_CONSISTENT();
    ut_free(ut);
    slot_release(mark);
}

/* §10.7.7.1 errors: kernel addresses and anything above seL4_UserTop are InvalidArgument 0
 * (seL4_UserTop itself is a user address); a VSpace without an ASID or a cap that is no
 * VSpace is InvalidCapability 1; a service cap of the wrong type is IllegalOperation. */
SYSTEST(vm_page_table_map_errors)
{
    unsigned int mark = slot_mark();
    seL4_CPtr ut = ut_alloc(16);
    seL4_CPtr pt = object_new(ut, PT_OBJ, 0), bare = object_new(ut, seL4_ARM_VSpaceObject, 0);
    seL4_CPtr frame = object_new(ut, PAGE_OBJ, 0);
    CHECK_ARG_ERROR(seL4_ARM_PageTable_Map(pt, VSPACE, KERNEL_VADDR, ATTR), seL4_InvalidArgument,
                    0);
    CHECK_ARG_ERROR(seL4_ARM_PageTable_Map(pt, VSPACE, seL4_UserTop + 1, ATTR),
                    seL4_InvalidArgument, 0);
    CHECK_ARG_ERROR(seL4_ARM_PageTable_Map(pt, bare, REGION(3), ATTR), seL4_InvalidCapability, 1);
    CHECK_ARG_ERROR(seL4_ARM_PageTable_Map(pt, frame, REGION(3), ATTR), seL4_InvalidCapability, 1);
    CHECK_ARG_ERROR(seL4_ARM_PageTable_Map(pt, ROOT, REGION(3), ATTR), seL4_InvalidCapability, 1);
    CHECK_EQ(seL4_ARM_PageTable_Map(frame, VSPACE, REGION(3), ATTR), seL4_IllegalOperation);
    CHECK_EQ(seL4_ARM_PageTable_Map(ut, VSPACE, REGION(3), ATTR), seL4_IllegalOperation);
    CHECK_EQ(seL4_ARM_PageTable_Map(pt, VSPACE, seL4_UserTop, ATTR), seL4_NoError);
    CHECK_CONSISTENT();
    ut_free(ut);
    slot_release(mark);
}

/* §10.7.6.6 errors, each with its message registers (§10.1). */
SYSTEST(vm_page_map_errors)
{
    unsigned int mark = slot_mark();
    seL4_CPtr ut = ut_alloc(16);
    seL4_Word v = REGION(3);
    map_tables(ut, VSPACE, v, 3);
    seL4_CPtr frame = object_new(ut, PAGE_OBJ, 0), other = object_new(ut, PAGE_OBJ, 0);
    seL4_CPtr bare = object_new(ut, seL4_ARM_VSpaceObject, 0), pt = object_new(ut, PT_OBJ, 0);

    CHECK_EQ(map_page(frame, VSPACE, v + KiB4 / 2), seL4_AlignmentError);
    CHECK_EQ(map_page(frame, VSPACE, v + 8), seL4_AlignmentError);
    CHECK_ARG_ERROR(map_page(frame, VSPACE, seL4_UserTop + 1), seL4_InvalidArgument, 0);
    CHECK_ARG_ERROR(map_page(frame, VSPACE, KERNEL_VADDR), seL4_InvalidArgument, 0);
    /* The last user page is a legal address; it just has no tables. */
    CHECK_MISSING_CAP(map_page(frame, VSPACE, seL4_UserTop + 1 - KiB4), 0, 39);
    CHECK_ARG_ERROR(map_page(frame, bare, v), seL4_InvalidCapability, 1);
    CHECK_ARG_ERROR(map_page(frame, pt, v), seL4_InvalidCapability, 1);
    CHECK_ARG_ERROR(map_page(frame, ROOT, v), seL4_InvalidCapability, 1);
    CHECK_EQ(map_page(pt, VSPACE, v), seL4_IllegalOperation);
    CHECK_EQ(map_page(ut, VSPACE, v), seL4_IllegalOperation);

    /* The manual's DeleteFirst ("a mapping already exists"); upstream's AArch64 decoder does
     * not check, and would replace the entry. */
    CHECK_EQ(map_page(frame, VSPACE, v), seL4_NoError);
    CHECK_EQ(map_page(other, VSPACE, v), seL4_DeleteFirst);
    /* The failed map left `other` unmapped: it can go elsewhere. */
    CHECK_EQ(map_page(other, VSPACE, v + KiB4), seL4_NoError);
    CHECK_CONSISTENT();
    ut_free(ut);
    slot_release(mark);
}

/* §7.3: a copy of the frame cap maps the same frame elsewhere, also in another VSpace and
 * with fewer rights; what is written through one mapping is read through the others. */
SYSTEST(vm_shared_memory)
{
    unsigned int mark = slot_mark();
    seL4_CPtr ut = ut_alloc(16);
    seL4_Word v = REGION(4);
    map_tables(ut, VSPACE, v, 3);
    seL4_CPtr frame = mapped_page(ut, VSPACE, v);
    seL4_CPtr copy = copy_of(frame, seL4_AllRights), ro = copy_of(frame, seL4_CanRead);
    CHECK_EQ(map_page(copy, VSPACE, v + 5 * KiB4), seL4_NoError);
    CHECK_EQ(map_page(ro, VSPACE, v + 9 * KiB4), seL4_NoError);
    at(v)[3] = 0xfeedface;
    CHECK_EQ(at(v + 5 * KiB4)[3], 0xfeedface);
    CHECK_EQ(at(v + 9 * KiB4)[3], 0xfeedface);
    at(v + 5 * KiB4)[100] = 0xc0ffee;
    CHECK_EQ(at(v)[100], 0xc0ffee);
    CHECK_EQ(frame_paddr(copy), frame_paddr(frame));
    CHECK_EQ(frame_paddr(ro), frame_paddr(frame));

    seL4_CPtr vs2 = vspace_new(ut), other = copy_of(frame, seL4_AllRights);
    map_tables(ut, vs2, v, 3);
    CHECK_EQ(map_page(other, vs2, v), seL4_NoError);
    /* Unmapping one copy leaves the others' mappings. */
    CHECK_EQ(seL4_ARM_Page_Unmap(copy), seL4_NoError);
    CHECK_EQ(at(v + 9 * KiB4)[100], 0xc0ffee);
    CHECK_CONSISTENT();
    ut_free(ut);
    slot_release(mark);
}

/* §10.7.6.3: GetAddress is the frame's physical address: a retype places objects from the
 * untyped's address up, each aligned to its size (§2.4.1), so with a boot untyped that has
 * no children (its whole size is free, §10.1.10) the addresses are known in advance. Works
 * on unmapped frames; other caps are IllegalOperation. */
SYSTEST(vm_page_get_address)
{
    const seL4_BootInfo *bi = seL4_GetBootInfo();
    unsigned int mark = slot_mark();
    seL4_CPtr spare = slot_alloc(), boot = 0;
    seL4_Word paddr = 0;
    for (seL4_Word i = 0; boot == 0 && i < bi->untyped.end - bi->untyped.start; i++) {
        const seL4_UntypedDesc *d = &bi->untypedList[i];
        seL4_CPtr u = bi->untyped.start + i;
        if (!d->isDevice && d->sizeBits >= 17 && d->sizeBits <= 24 &&
            ut_bytes_left(u, spare) == 1ul << d->sizeBits) {
            boot = u;
            paddr = d->paddr;
        }
    }
    CHECK(boot != 0);
    if (boot == 0) {
        slot_release(mark);
        return;
    }
    seL4_CPtr ep = object_new(boot, seL4_EndpointObject, 0);
    seL4_CPtr f1 = object_new(boot, PAGE_OBJ, 0), f2 = object_new(boot, PAGE_OBJ, 0);
    CHECK_EQ(frame_paddr(f1), paddr + KiB4);
    CHECK_EQ(frame_paddr(f2), paddr + 2 * KiB4);
    /* A child untyped at a known place: its frames follow from its address. */
    seL4_CPtr child = object_new(boot, seL4_UntypedObject, 16);
    seL4_CPtr f3 = object_new(child, seL4_ARM_SmallPageObject, 0);
    seL4_CPtr f4 = object_new(child, seL4_ARM_SmallPageObject, 0);
    CHECK_EQ(frame_paddr(f3), paddr + 65536);
    CHECK_EQ(frame_paddr(f4), paddr + 65536 + KiB4);
    seL4_CPtr copy = copy_of(f4, seL4_CanRead);
    CHECK_EQ(frame_paddr(copy), paddr + 65536 + KiB4);
    /* Not an endpoint: invoking one is a Call that waits for a receiver (manual §2.2). */
    seL4_CPtr pt = object_new(child, PT_OBJ, 0);
    CHECK_EQ(seL4_ARM_Page_GetAddress(pt).error, seL4_IllegalOperation);
    (void)ep;
    CHECK_EQ(seL4_ARM_Page_GetAddress(child).error, seL4_IllegalOperation);
    (void)f1;
    (void)f2;
    CHECK_CONSISTENT();
    /* Deleting every child leaves the boot untyped as we found it. */
    slot_release(mark);
}

/* §7.1.3.2: a 2 MiB frame maps at level 2, 2 MiB aligned; its whole range is usable. A
 * level-2 entry that holds it stops the walk: a 4 KiB map inside is FailedLookup with 21
 * bits left and a table there is DeleteFirst; with a level-3 table in the way the 2 MiB
 * map is FailedLookup with 12 bits left (upstream; the manual names FailedLookup for "no
 * paging structure at the required level"). */
SYSTEST(vm_large_page)
{
    unsigned int mark = slot_mark();
    seL4_CPtr ut = ut_alloc(16), big = ut_alloc(seL4_LargePageBits);
    CHECK(big != 0);
    seL4_Word v = REGION(5);
    map_tables(ut, VSPACE, v, 2);
    seL4_CPtr lp = object_new(big, seL4_ARM_LargePageObject, 0);
    CHECK_EQ(map_page(lp, VSPACE, v + KiB4), seL4_AlignmentError);
    CHECK_EQ(map_page(lp, VSPACE, v + MiB2 / 2), seL4_AlignmentError);
    CHECK_MISSING_CAP(map_page(lp, VSPACE, v + GiB1), 0, 30);
    CHECK_EQ(map_page(lp, VSPACE, v), seL4_NoError);
    at(v)[0] = 0x2020202020202020ul;
    at(v)[MiB2 / 8 - 1] = 0x2121212121212121ul;
    CHECK_EQ(at(v)[0], 0x2020202020202020ul);
    CHECK_EQ(at(v)[MiB2 / 8 - 1], 0x2121212121212121ul);
    CHECK_EQ(frame_paddr(lp) & (MiB2 - 1), 0);

    seL4_CPtr small = object_new(ut, PAGE_OBJ, 0), pt = object_new(ut, PT_OBJ, 0);
    CHECK_MISSING_CAP(map_page(small, VSPACE, v + KiB4), 0, 21);
    CHECK_EQ(seL4_ARM_PageTable_Map(pt, VSPACE, v, ATTR), seL4_DeleteFirst);

    /* Cache maintenance covers the whole 2 MiB and no more. */
    CHECK_EQ(seL4_ARM_Page_CleanInvalidate_Data(lp, 0, MiB2), seL4_NoError);
    CHECK_EQ(seL4_ARM_Page_Clean_Data(lp, MiB2 - 64, MiB2 + 64), seL4_InvalidArgument);
    CHECK_EQ(seL4_ARM_VSpace_Clean_Data(VSPACE, v + 64, v + MiB2), seL4_NoError);
    CHECK_RANGE_END(seL4_ARM_VSpace_Clean_Data(VSPACE, v + MiB2 - 64, v + MiB2 + 64), v + MiB2 - 1);

    CHECK_EQ(seL4_ARM_Page_Unmap(lp), seL4_NoError);
    CHECK_EQ(seL4_ARM_PageTable_Map(pt, VSPACE, v, ATTR), seL4_NoError);
    CHECK_MISSING_CAP(map_page(lp, VSPACE, v), 0, 12);
    CHECK_CONSISTENT();
    ut_free(big);
    ut_free(ut);
    slot_release(mark);
}

/* §7.1.3.2: a 1 GiB frame maps at level 1, so a fresh 512 GiB region needs one table;
 * QEMU's 2 GiB of RAM hold a free, aligned GiB. */
SYSTEST(vm_huge_page)
{
    const seL4_BootInfo *bi = seL4_GetBootInfo();
    bool listed = false;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        listed |= !bi->untypedList[i].isDevice && bi->untypedList[i].sizeBits >= seL4_HugePageBits;
    }
    if (!listed) {
        printf("vm_huge_page: no RAM untyped of 1 GiB listed; not tested\n");
        return;
    }
    unsigned int mark = slot_mark();
    seL4_CPtr ut = ut_alloc(16), huge = ut_alloc(seL4_HugePageBits);
    CHECK(huge != 0); /* a leak by an earlier test, if it fails */
    if (huge == 0) {
        ut_free(ut);
        slot_release(mark);
        return;
    }
    seL4_Word v = REGION(6);
    seL4_CPtr hp = object_new(huge, seL4_ARM_HugePageObject, 0);
    CHECK_MISSING_CAP(map_page(hp, VSPACE, v), 0, 39);
    map_tables(ut, VSPACE, v, 1);
    CHECK_EQ(map_page(hp, VSPACE, v + MiB2), seL4_AlignmentError);
    CHECK_EQ(map_page(hp, VSPACE, v), seL4_NoError);
    at(v)[0] = 0x3030303030303030ul;
    at(v)[GiB1 / 8 - 1] = 0x3131313131313131ul;
    CHECK_EQ(at(v)[0], 0x3030303030303030ul);
    CHECK_EQ(at(v)[GiB1 / 8 - 1], 0x3131313131313131ul);
    CHECK_EQ(frame_paddr(hp) & (GiB1 - 1), 0);
    CHECK_EQ(seL4_ARM_Page_Clean_Data(hp, GiB1 - 64, GiB1), seL4_NoError);
    CHECK_RANGE_END(seL4_ARM_VSpace_Clean_Data(VSPACE, v + GiB1 - 64, v + GiB1 + 64), v + GiB1 - 1);
    CHECK_EQ(seL4_ARM_Page_Unmap(hp), seL4_NoError);
    CHECK_CONSISTENT();
    ut_free(huge);
    ut_free(ut);
    slot_release(mark);
}

/* §2.4.1 (issue 3's reset rule): memory handed out again after a revoke reads as zero, even
 * what a previous frame at the same physical address had written. */
SYSTEST(vm_fresh_frame_reads_zero)
{
    unsigned int mark = slot_mark();
    seL4_CPtr tables = ut_alloc(16), ut = ut_alloc(14);
    seL4_Word v = REGION(7);
    map_tables(tables, VSPACE, v, 3);
    seL4_CPtr slot = slot_alloc();
    CHECK_EQ(retype_one(ut, PAGE_OBJ, 0, slot), seL4_NoError);
    CHECK_EQ(map_page(slot, VSPACE, v), seL4_NoError);
    seL4_Word pa = frame_paddr(slot);
    for (unsigned int i = 0; i < KiB4 / 8; i++) {
        at(v)[i] = 0xa5a5a5a5a5a5a5a5ul ^ i;
    }
    CHECK_EQ(seL4_ARM_Page_Unmap(slot), seL4_NoError);
    CHECK_EQ(seL4_CNode_Delete(ROOT, slot, ROOT_DEPTH), seL4_NoError);
    CHECK_EQ(seL4_CNode_Revoke(ROOT, ut, ROOT_DEPTH), seL4_NoError);
    CHECK_EQ(retype_one(ut, PAGE_OBJ, 0, slot), seL4_NoError);
    CHECK_EQ(frame_paddr(slot), pa);
    CHECK_EQ(map_page(slot, VSPACE, v), seL4_NoError);
    unsigned int nonzero = 0;
    for (unsigned int i = 0; i < KiB4 / 8; i++) {
        nonzero += at(v)[i] != 0;
    }
    CHECK_EQ(nonzero, 0);
    CHECK_CONSISTENT();
    ut_free(ut);
    ut_free(tables);
    slot_release(mark);
}

/* ---- Cache maintenance ------------------------------------------------------------------ */

/* §10.7.6.1-4, .7: offsets within the mapped frame; an unmapped frame is IllegalOperation,
 * start >= end or a range beyond the frame InvalidArgument. Upstream numbers the argument
 * 1 for start >= end and 0 when the range leaves the page (either end). */
SYSTEST(vm_page_cache_ops)
{
    unsigned int mark = slot_mark();
    seL4_CPtr ut = ut_alloc(16);
    seL4_Word v = REGION(8);
    map_tables(ut, VSPACE, v, 3);
    seL4_CPtr frame = mapped_page(ut, VSPACE, v), unmapped = object_new(ut, PAGE_OBJ, 0);
    for (unsigned int i = 0; i < NUM_OPS; i++) {
        range_op op = page_ops[i];
        CHECK_EQ(op(frame, 0, KiB4), seL4_NoError);
        CHECK_EQ(op(frame, 0, 1), seL4_NoError);
        CHECK_EQ(op(frame, 100, 3000), seL4_NoError);
        CHECK_EQ(op(frame, KiB4 - 1, KiB4), seL4_NoError);
        CHECK_EQ(op(unmapped, 0, KiB4), seL4_IllegalOperation);
        CHECK_ARG_ERROR(op(frame, 64, 64), seL4_InvalidArgument, 1);
        CHECK_ARG_ERROR(op(frame, 128, 64), seL4_InvalidArgument, 1);
        CHECK_ARG_ERROR(op(frame, 0, KiB4 + 1), seL4_InvalidArgument, 0);
        CHECK_ARG_ERROR(op(frame, KiB4, KiB4 + 64), seL4_InvalidArgument, 0);
        CHECK_EQ(op(ut, 0, KiB4), seL4_IllegalOperation);
    }
    /* A frame whose VSpace lost its ASID: FailedLookup (destination, invalid root). */
    seL4_CPtr vs2 = vspace_new(ut);
    map_tables(ut, vs2, v, 3);
    seL4_CPtr f2 = mapped_page(ut, vs2, v);
    CHECK_EQ(seL4_CNode_Delete(ROOT, vs2, ROOT_DEPTH), seL4_NoError);
    for (unsigned int i = 0; i < NUM_OPS; i++) {
        CHECK_LOOKUP_FAILURE(page_ops[i](f2, 0, KiB4), 0, seL4_InvalidRoot);
    }
    CHECK_CONSISTENT();
    ut_free(ut);
    slot_release(mark);
}

/* Page cache maintenance beyond the manual, as upstream's AArch64 decoder (no hypervisor)
 * checks it: a cap whose mapping is gone (its table was deleted) is InvalidCapability 0,
 * and Invalidate needs a writable mapping (IllegalOperation), since it could otherwise
 * discard data the caller may not write; Clean is fine on a read-only mapping. */
SYSTEST(vm_page_cache_ops_upstream_checks)
{
    unsigned int mark = slot_mark();
    seL4_CPtr ut = ut_alloc(16);
    seL4_Word v = REGION(18);
    map_tables(ut, VSPACE, v, 2);
    seL4_CPtr l3 = object_new(ut, PT_OBJ, 0);
    CHECK_EQ(seL4_ARM_PageTable_Map(l3, VSPACE, v, ATTR), seL4_NoError);
    seL4_CPtr ro = object_new(ut, PAGE_OBJ, 0), stale = mapped_page(ut, VSPACE, v + KiB4);
    CHECK_EQ(seL4_ARM_Page_Map(ro, VSPACE, v, seL4_CanRead, ATTR), seL4_NoError);
    CHECK_EQ(seL4_ARM_Page_Invalidate_Data(ro, 0, KiB4), seL4_IllegalOperation);
    CHECK_EQ(seL4_ARM_Page_Clean_Data(ro, 0, KiB4), seL4_NoError);
    CHECK_EQ(seL4_ARM_VSpace_Invalidate_Data(VSPACE, v, v + KiB4), seL4_IllegalOperation);
    CHECK_EQ(seL4_ARM_VSpace_CleanInvalidate_Data(VSPACE, v, v + KiB4), seL4_NoError);
    CHECK_EQ(seL4_CNode_Delete(ROOT, l3, ROOT_DEPTH), seL4_NoError);
    for (unsigned int i = 0; i < NUM_OPS; i++) {
        CHECK_ARG_ERROR(page_ops[i](stale, 0, KiB4), seL4_InvalidCapability, 0);
    }
    CHECK_CONSISTENT();
    ut_free(ut);
    slot_release(mark);
}

/* §10.9.2: VSpace cache maintenance over [start, end) within one mapped frame. An unmapped
 * start succeeds (manual silent; upstream: nothing can be cached for it); crossing the
 * frame's end is RangeError with upstream's bounds MR0 = start, MR1 = the frame's last
 * byte; start >= end InvalidArgument 1; end above seL4_UserTop IllegalOperation; a VSpace
 * without an ASID InvalidCapability 0. */
SYSTEST(vm_vspace_cache_ops)
{
    unsigned int mark = slot_mark();
    seL4_CPtr ut = ut_alloc(16);
    seL4_Word v = REGION(9);
    map_tables(ut, VSPACE, v, 3);
    seL4_CPtr frame = mapped_page(ut, VSPACE, v), bare = object_new(ut, seL4_ARM_VSpaceObject, 0);
    (void)mapped_page(ut, VSPACE, v + KiB4);
    for (unsigned int i = 0; i < NUM_OPS; i++) {
        range_op op = vspace_ops[i];
        CHECK_EQ(op(VSPACE, v, v + KiB4), seL4_NoError);
        CHECK_EQ(op(VSPACE, v + 64, v + 65), seL4_NoError);
        CHECK_EQ(op(VSPACE, v + KiB4 + 8, v + 2 * KiB4), seL4_NoError);
        CHECK_RANGE_ERROR(op(VSPACE, v + 4000, v + 4200), v + 4000, v + KiB4 - 1);
        /* Nothing mapped at the start (even if the range ends in a mapped frame). */
        CHECK_EQ(op(VSPACE, v + 2 * KiB4, v + 3 * KiB4), seL4_NoError);
        CHECK_EQ(op(VSPACE, v - KiB4, v + 64), seL4_NoError);
        CHECK_EQ(op(VSPACE, REGION(100), REGION(100) + KiB4), seL4_NoError);
        CHECK_ARG_ERROR(op(VSPACE, v + 64, v + 64), seL4_InvalidArgument, 1);
        CHECK_ARG_ERROR(op(VSPACE, v + 128, v + 64), seL4_InvalidArgument, 1);
        CHECK_EQ(op(VSPACE, v, KERNEL_VADDR), seL4_IllegalOperation);
        CHECK_ARG_ERROR(op(bare, v, v + KiB4), seL4_InvalidCapability, 0);
        CHECK_EQ(op(frame, v, v + KiB4), seL4_IllegalOperation);
    }
    CHECK_CONSISTENT();
    ut_free(ut);
    slot_release(mark);
}

/* ---- ASID control and pools -------------------------------------------------------------- */

/* §10.7.1.1: a 4 KiB RAM untyped without children becomes a pool whose ASIDs work; other
 * sizes and device memory are InvalidCapability 1, an untyped with children (or copies)
 * RevokeFirst, an occupied destination DeleteFirst. The untyped is used up. */
SYSTEST(vm_asid_control_make_pool)
{
    unsigned int mark = slot_mark();
    seL4_CPtr ut = ut_alloc(16), dev = ut_alloc_device(seL4_ASIDPoolBits);
    seL4_CPtr u4k = object_new(ut, seL4_UntypedObject, seL4_ASIDPoolBits);
    seL4_CPtr u8k = object_new(ut, seL4_UntypedObject, seL4_ASIDPoolBits + 1);
    seL4_CPtr u2k = object_new(ut, seL4_UntypedObject, seL4_ASIDPoolBits - 1);
    seL4_CPtr used = object_new(ut, seL4_UntypedObject, seL4_ASIDPoolBits);
    seL4_CPtr copied = object_new(ut, seL4_UntypedObject, seL4_ASIDPoolBits);
    seL4_CPtr ep = object_new(ut, seL4_EndpointObject, 0);
    (void)object_new(used, seL4_EndpointObject, 0);
    (void)copy_of(copied, seL4_AllRights);
    seL4_CPtr pool = slot_alloc(), spare = slot_alloc();

    CHECK_ARG_ERROR(seL4_ARM_ASIDControl_MakePool(seL4_CapASIDControl, u8k, ROOT, pool, ROOT_DEPTH),
                    seL4_InvalidCapability, 1);
    CHECK_ARG_ERROR(seL4_ARM_ASIDControl_MakePool(seL4_CapASIDControl, u2k, ROOT, pool, ROOT_DEPTH),
                    seL4_InvalidCapability, 1);
    CHECK_ARG_ERROR(seL4_ARM_ASIDControl_MakePool(seL4_CapASIDControl, ep, ROOT, pool, ROOT_DEPTH),
                    seL4_InvalidCapability, 1);
    CHECK(dev != 0);
    CHECK_ARG_ERROR(seL4_ARM_ASIDControl_MakePool(seL4_CapASIDControl, dev, ROOT, pool, ROOT_DEPTH),
                    seL4_InvalidCapability, 1);
    CHECK_EQ(seL4_ARM_ASIDControl_MakePool(seL4_CapASIDControl, used, ROOT, pool, ROOT_DEPTH),
             seL4_RevokeFirst);
    CHECK_EQ(seL4_ARM_ASIDControl_MakePool(seL4_CapASIDControl, copied, ROOT, pool, ROOT_DEPTH),
             seL4_RevokeFirst);
    CHECK_EQ(seL4_ARM_ASIDControl_MakePool(seL4_CapASIDControl, u4k, ROOT, ep, ROOT_DEPTH),
             seL4_DeleteFirst);
    CHECK_EQ(seL4_ARM_ASIDControl_MakePool(seL4_CapInitThreadASIDPool, u4k, ROOT, pool, ROOT_DEPTH),
             seL4_IllegalOperation);
    CHECK_CAP_TYPE(pool, CAP_NULL);

    CHECK_EQ(seL4_ARM_ASIDControl_MakePool(seL4_CapASIDControl, u4k, ROOT, pool, ROOT_DEPTH),
             seL4_NoError);
    CHECK_CAP_TYPE(pool, CAP_ASID_POOL);
    /* The pool took the untyped's memory: nothing is left to retype (§10.1.10). */
    seL4_Error err = retype_one(u4k, seL4_EndpointObject, 0, spare);
    CHECK_EQ(err, seL4_NotEnoughMemory);
    if (err == seL4_NotEnoughMemory) {
        CHECK_EQ(seL4_GetMR(0), 0);
    }
    /* Its ASIDs work: a VSpace assigned from it takes page tables and frames. */
    seL4_CPtr vs = object_new(ut, seL4_ARM_VSpaceObject, 0);
    CHECK_EQ(seL4_ARM_ASIDPool_Assign(pool, vs), seL4_NoError);
    map_tables(ut, vs, REGION(10), 3);
    (void)mapped_page(ut, vs, REGION(10));
    CHECK_CONSISTENT();
    ut_free(dev);
    ut_free(ut);
    slot_release(mark);
}

/* §10.7.1.1: DeleteFirst when no pool is left: 2^seL4_NumASIDPoolsBits in all, the root
 * task's among them. A deleted pool's place can be taken again. */
SYSTEST(vm_asid_control_all_pools)
{
    unsigned int mark = slot_mark();
    seL4_CPtr ut = ut_alloc(20);
    seL4_CPtr uts = retype_many(ut, seL4_UntypedObject, seL4_ASIDPoolBits, NUM_POOLS + 1);
    seL4_CPtr pools = slot_alloc_range(NUM_POOLS);
    unsigned int made = 0;
    seL4_Error err = seL4_NoError;
    while (made < NUM_POOLS && err == seL4_NoError) {
        err = seL4_ARM_ASIDControl_MakePool(seL4_CapASIDControl, uts + made, ROOT, pools + made,
                                            ROOT_DEPTH);
        made += err == seL4_NoError;
    }
    CHECK_EQ(made, NUM_POOLS - 1);
    CHECK_EQ(err, seL4_DeleteFirst);
    /* The last pool's ASIDs work. */
    seL4_CPtr vs = object_new(ut, seL4_ARM_VSpaceObject, 0);
    CHECK_EQ(seL4_ARM_ASIDPool_Assign(pools + made - 1, vs), seL4_NoError);
    CHECK_EQ(seL4_CNode_Delete(ROOT, pools + 5, ROOT_DEPTH), seL4_NoError);
    CHECK_EQ(seL4_ARM_ASIDControl_MakePool(seL4_CapASIDControl, uts + NUM_POOLS, ROOT, pools + 5,
                                           ROOT_DEPTH),
             seL4_NoError);
    CHECK_EQ(seL4_ARM_ASIDControl_MakePool(seL4_CapASIDControl, uts + NUM_POOLS - 1, ROOT,
                                           pools + NUM_POOLS - 1, ROOT_DEPTH),
             seL4_DeleteFirst);
    CHECK_CONSISTENT();
    ut_free(ut);
    slot_release(mark);
}

/* §10.7.2.1: Assign gives an unassigned VSpace an ASID, after which it holds tables and
 * frames; assigning it (or a copy) again, or a cap that is no VSpace, is InvalidCapability
 * 1; a service cap of the wrong type is IllegalOperation. */
SYSTEST(vm_asid_pool_assign)
{
    unsigned int mark = slot_mark();
    seL4_CPtr ut = ut_alloc(16);
    seL4_CPtr vs = object_new(ut, seL4_ARM_VSpaceObject, 0);
    seL4_CPtr other = object_new(ut, seL4_ARM_VSpaceObject, 0);
    seL4_CPtr pt = object_new(ut, PT_OBJ, 0), frame = object_new(ut, PAGE_OBJ, 0);
    seL4_CPtr pool = seL4_CapInitThreadASIDPool;
    CHECK_ARG_ERROR(seL4_ARM_PageTable_Map(pt, vs, REGION(11), ATTR), seL4_InvalidCapability, 1);
    CHECK_EQ(seL4_ARM_ASIDPool_Assign(pool, vs), seL4_NoError);
    CHECK_ARG_ERROR(seL4_ARM_ASIDPool_Assign(pool, vs), seL4_InvalidCapability, 1);
    seL4_CPtr copy = copy_of(vs, seL4_AllRights);
    CHECK_ARG_ERROR(seL4_ARM_ASIDPool_Assign(pool, copy), seL4_InvalidCapability, 1);
    CHECK_ARG_ERROR(seL4_ARM_ASIDPool_Assign(pool, VSPACE), seL4_InvalidCapability, 1);
    CHECK_ARG_ERROR(seL4_ARM_ASIDPool_Assign(pool, pt), seL4_InvalidCapability, 1);
    CHECK_ARG_ERROR(seL4_ARM_ASIDPool_Assign(pool, frame), seL4_InvalidCapability, 1);
    CHECK_ARG_ERROR(seL4_ARM_ASIDPool_Assign(pool, ROOT), seL4_InvalidCapability, 1);
    CHECK_EQ(seL4_ARM_ASIDPool_Assign(seL4_CapASIDControl, other), seL4_IllegalOperation);
    CHECK_EQ(seL4_ARM_ASIDPool_Assign(ut, other), seL4_IllegalOperation);
    CHECK_EQ(seL4_ARM_PageTable_Map(pt, vs, REGION(11), ATTR), seL4_NoError);
    map_tables(ut, vs, REGION(11), 2);
    CHECK_EQ(map_page(frame, vs, REGION(11)), seL4_NoError);
    CHECK_CONSISTENT();
    ut_free(ut);
    slot_release(mark);
}

/* §10.7.2.1: DeleteFirst once the pool has no free ASID. A new pool hands out all of its
 * POOL_ENTRIES; deleting a VSpace gives its ASID back. */
SYSTEST(vm_asid_pool_full_new_pool)
{
    unsigned int mark = slot_mark();
    seL4_CPtr ut = ut_alloc(22);
    seL4_CPtr pool_ut = object_new(ut, seL4_UntypedObject, seL4_ASIDPoolBits), pool = slot_alloc();
    CHECK_EQ(seL4_ARM_ASIDControl_MakePool(seL4_CapASIDControl, pool_ut, ROOT, pool, ROOT_DEPTH),
             seL4_NoError);
    seL4_CPtr vss = retype_many(ut, seL4_ARM_VSpaceObject, 0, POOL_ENTRIES + 1);
    unsigned int n = 0;
    seL4_Error err = seL4_NoError;
    while (n <= POOL_ENTRIES && err == seL4_NoError) {
        err = seL4_ARM_ASIDPool_Assign(pool, vss + n);
        n += err == seL4_NoError;
    }
    CHECK_EQ(n, POOL_ENTRIES);
    CHECK_EQ(err, seL4_DeleteFirst);
    CHECK_EQ(seL4_CNode_Delete(ROOT, vss + 100, ROOT_DEPTH), seL4_NoError);
    CHECK_EQ(seL4_ARM_ASIDPool_Assign(pool, vss + POOL_ENTRIES), seL4_NoError);
    CHECK_CONSISTENT();
    ut_free(ut);
    slot_release(mark);
}

/* The same for the root task's pool 0: two ASIDs fewer, since ASID 0 is never handed out
 * (upstream's asidInvalid) and the root task holds ASID 1 (upstream's IT_ASID). A VSpace
 * an earlier test left assigned would also show here. */
SYSTEST(vm_asid_pool_full_root_pool)
{
    unsigned int mark = slot_mark();
    seL4_CPtr ut = ut_alloc(22);
    seL4_CPtr vss = retype_many(ut, seL4_ARM_VSpaceObject, 0, POOL_ENTRIES);
    unsigned int n = 0;
    seL4_Error err = seL4_NoError;
    while (n < POOL_ENTRIES && err == seL4_NoError) {
        err = seL4_ARM_ASIDPool_Assign(seL4_CapInitThreadASIDPool, vss + n);
        n += err == seL4_NoError;
    }
    CHECK_EQ(n, POOL_ENTRIES - 2);
    CHECK_EQ(err, seL4_DeleteFirst);
    CHECK_CONSISTENT();
    ut_free(ut);
    slot_release(mark);
}

/* Deleting a pool takes the ASIDs of its VSpaces: mapping into such a VSpace and its cache
 * ops are FailedLookup (§10.7.6.6, §10.7.7.1, §10.9.2: "not assigned to an ASID pool";
 * upstream: destination, invalid root). Once a new pool hands the same ASID to another
 * VSpace the old cap is InvalidCapability (upstream: the ASID names another VSpace), and a
 * stale frame cap's Unmap leaves the new VSpace's mapping at that address alone. */
SYSTEST(vm_asid_pool_deleted)
{
    unsigned int mark = slot_mark();
    seL4_CPtr ut = ut_alloc(17);
    seL4_Word v = REGION(12);
    seL4_CPtr pool_ut = object_new(ut, seL4_UntypedObject, seL4_ASIDPoolBits), pool = slot_alloc();
    CHECK_EQ(seL4_ARM_ASIDControl_MakePool(seL4_CapASIDControl, pool_ut, ROOT, pool, ROOT_DEPTH),
             seL4_NoError);
    seL4_CPtr vs = object_new(ut, seL4_ARM_VSpaceObject, 0);
    CHECK_EQ(seL4_ARM_ASIDPool_Assign(pool, vs), seL4_NoError);
    map_tables(ut, vs, v, 3);
    seL4_CPtr stale = mapped_page(ut, vs, v);
    seL4_CPtr pt = object_new(ut, PT_OBJ, 0), frame = object_new(ut, PAGE_OBJ, 0);

    CHECK_EQ(seL4_CNode_Delete(ROOT, pool, ROOT_DEPTH), seL4_NoError);
    CHECK_LOOKUP_FAILURE(seL4_ARM_PageTable_Map(pt, vs, v + GiB1, ATTR), 0, seL4_InvalidRoot);
    CHECK_LOOKUP_FAILURE(map_page(frame, vs, v + KiB4), 0, seL4_InvalidRoot);
    for (unsigned int i = 0; i < NUM_OPS; i++) {
        CHECK_LOOKUP_FAILURE(vspace_ops[i](vs, v, v + KiB4), 0, seL4_InvalidRoot);
    }

    /* The lowest free pool and ASID are the ones just freed (upstream's first-free). */
    seL4_CPtr pool_ut2 = object_new(ut, seL4_UntypedObject, seL4_ASIDPoolBits);
    CHECK_EQ(seL4_ARM_ASIDControl_MakePool(seL4_CapASIDControl, pool_ut2, ROOT, pool, ROOT_DEPTH),
             seL4_NoError);
    seL4_CPtr vs2 = object_new(ut, seL4_ARM_VSpaceObject, 0);
    CHECK_EQ(seL4_ARM_ASIDPool_Assign(pool, vs2), seL4_NoError);
    CHECK_ARG_ERROR(seL4_ARM_PageTable_Map(pt, vs, v + GiB1, ATTR), seL4_InvalidCapability, 1);
    CHECK_ARG_ERROR(map_page(frame, vs, v + KiB4), seL4_InvalidCapability, 1);
    CHECK_ARG_ERROR(vspace_ops[0](vs, v, v + KiB4), seL4_InvalidCapability, 0);
    map_tables(ut, vs2, v, 3);
    CHECK_EQ(map_page(frame, vs2, v), seL4_NoError);
    CHECK_EQ(seL4_ARM_Page_Unmap(stale), seL4_NoError);
    seL4_CPtr probe = object_new(ut, PAGE_OBJ, 0);
    CHECK_EQ(map_page(probe, vs2, v), seL4_DeleteFirst);
    CHECK_CONSISTENT();
    ut_free(ut);
    slot_release(mark);
}

/* ---- Deleting caps ----------------------------------------------------------------------- */

/* Deleting a frame cap removes its mapping: a copy then maps at the same vaddr, which
 * needs the entry to be free (DeleteFirst before, §10.7.6.6); the data is still there. */
SYSTEST(vm_delete_frame_cap_unmaps)
{
    unsigned int mark = slot_mark();
    seL4_CPtr ut = ut_alloc(16);
    seL4_Word v = REGION(13);
    map_tables(ut, VSPACE, v, 3);
    seL4_CPtr frame = mapped_page(ut, VSPACE, v), copy = copy_of(frame, seL4_AllRights);
    at(v)[7] = 0x7777;
    CHECK_EQ(map_page(copy, VSPACE, v), seL4_DeleteFirst);
    CHECK_EQ(seL4_CNode_Delete(ROOT, frame, ROOT_DEPTH), seL4_NoError);
    CHECK_EQ(map_page(copy, VSPACE, v), seL4_NoError);
    CHECK_EQ(at(v)[7], 0x7777);
    CHECK_CONSISTENT();
    ut_free(ut);
    slot_release(mark);
}

/* Deleting a page table cap removes the table from its VSpace: a map below it is
 * FailedLookup again, and a new table can take its place. Frame caps mapped through it
 * still Unmap without error. */
SYSTEST(vm_delete_page_table_unmaps)
{
    unsigned int mark = slot_mark();
    seL4_CPtr ut = ut_alloc(16);
    seL4_Word v = REGION(14);
    seL4_CPtr l1 = object_new(ut, PT_OBJ, 0), l2 = object_new(ut, PT_OBJ, 0);
    seL4_CPtr l3 = object_new(ut, PT_OBJ, 0), l3b = object_new(ut, PT_OBJ, 0);
    CHECK_EQ(seL4_ARM_PageTable_Map(l1, VSPACE, v, ATTR), seL4_NoError);
    CHECK_EQ(seL4_ARM_PageTable_Map(l2, VSPACE, v, ATTR), seL4_NoError);
    CHECK_EQ(seL4_ARM_PageTable_Map(l3, VSPACE, v, ATTR), seL4_NoError);
    seL4_CPtr frame = mapped_page(ut, VSPACE, v), other = object_new(ut, PAGE_OBJ, 0);
    CHECK_EQ(seL4_CNode_Delete(ROOT, l3, ROOT_DEPTH), seL4_NoError);
    CHECK_MISSING_CAP(map_page(other, VSPACE, v + KiB4), 0, 21);
    CHECK_EQ(seL4_ARM_Page_Unmap(frame), seL4_NoError);
    CHECK_EQ(seL4_ARM_PageTable_Map(l3b, VSPACE, v, ATTR), seL4_NoError);
    CHECK_EQ(map_page(frame, VSPACE, v), seL4_NoError);
    CHECK_EQ(seL4_CNode_Delete(ROOT, l1, ROOT_DEPTH), seL4_NoError);
    CHECK_MISSING_CAP(map_page(other, VSPACE, v + KiB4), 0, 39);
    CHECK_CONSISTENT();
    ut_free(ut);
    slot_release(mark);
}

/* §10.7.7.2: Unmap needs the only cap of the table (RevokeFirst while a copy exists) and
 * zeroes the table: mapped again, it holds none of its old entries. */
SYSTEST(vm_page_table_unmap)
{
    unsigned int mark = slot_mark();
    seL4_CPtr ut = ut_alloc(16);
    seL4_Word v = REGION(15);
    map_tables(ut, VSPACE, v, 2);
    seL4_CPtr l3 = object_new(ut, PT_OBJ, 0);
    CHECK_EQ(seL4_ARM_PageTable_Map(l3, VSPACE, v, ATTR), seL4_NoError);
    (void)mapped_page(ut, VSPACE, v);
    seL4_CPtr copy = copy_of(l3, seL4_AllRights), other = object_new(ut, PAGE_OBJ, 0);
    CHECK_EQ(seL4_ARM_PageTable_Unmap(l3), seL4_RevokeFirst);
    CHECK_EQ(seL4_ARM_PageTable_Unmap(copy), seL4_RevokeFirst);
    CHECK_EQ(seL4_CNode_Delete(ROOT, copy, ROOT_DEPTH), seL4_NoError);
    CHECK_EQ(seL4_ARM_PageTable_Unmap(l3), seL4_NoError);
    CHECK_MISSING_CAP(map_page(other, VSPACE, v + KiB4), 0, 21);
    /* An unmapped table maps anywhere again, and comes back empty. */
    CHECK_EQ(seL4_ARM_PageTable_Map(l3, VSPACE, v + MiB2, ATTR), seL4_NoError);
    CHECK_EQ(seL4_ARM_PageTable_Unmap(l3), seL4_NoError);
    CHECK_EQ(seL4_ARM_PageTable_Map(l3, VSPACE, v, ATTR), seL4_NoError);
    CHECK_EQ(map_page(other, VSPACE, v), seL4_NoError);
    CHECK_EQ(at(v)[0], 0);
    CHECK_CONSISTENT();
    ut_free(ut);
    slot_release(mark);
}

/* ---- Two VSpaces ------------------------------------------------------------------------- */

/* VSpaces with distinct ASIDs keep their own mappings: at the same vaddr one holds a 4 KiB
 * frame, the other a 2 MiB one, as Map's errors and the VSpace cache ops' RangeError (whose
 * MR1 is the last byte of the frame found at start) show. Without a second thread nothing
 * runs in the second VSpace, so its contents are seen only through invocations; running in
 * it is left to a thread test. */
SYSTEST(vm_two_vspaces_independent)
{
    unsigned int mark = slot_mark();
    seL4_CPtr ut = ut_alloc(16), big = ut_alloc(seL4_LargePageBits);
    seL4_Word v = REGION(16);
    seL4_CPtr vs2 = vspace_new(ut);
    map_tables(ut, VSPACE, v, 3);
    seL4_CPtr small = mapped_page(ut, VSPACE, v);
    map_tables(ut, vs2, v, 2);
    seL4_CPtr lp = object_new(big, seL4_ARM_LargePageObject, 0);
    CHECK_EQ(map_page(lp, vs2, v), seL4_NoError);
    CHECK(frame_paddr(small) != frame_paddr(lp));

    CHECK_RANGE_END(seL4_ARM_VSpace_Clean_Data(VSPACE, v + 4000, v + 4200), v + KiB4 - 1);
    CHECK_EQ(seL4_ARM_VSpace_Clean_Data(vs2, v + 4000, v + 4200), seL4_NoError);
    CHECK_RANGE_END(seL4_ARM_VSpace_Clean_Data(vs2, v + MiB2 - 8, v + MiB2 + 8), v + MiB2 - 1);

    seL4_CPtr f = object_new(ut, PAGE_OBJ, 0);
    CHECK_EQ(map_page(f, VSPACE, v), seL4_DeleteFirst);
    CHECK_MISSING_CAP(map_page(f, vs2, v + KiB4), 0, 21);
    CHECK_EQ(map_page(f, VSPACE, v + KiB4), seL4_NoError);

    /* Taking the second VSpace's mapping, then the VSpace itself, leaves ours alone. */
    at(v)[0] = 0x5151;
    CHECK_EQ(seL4_ARM_Page_Unmap(lp), seL4_NoError);
    CHECK_EQ(at(v)[0], 0x5151);
    CHECK_EQ(seL4_CNode_Delete(ROOT, vs2, ROOT_DEPTH), seL4_NoError);
    CHECK_EQ(at(v)[0], 0x5151);
    CHECK_CONSISTENT();
    ut_free(big);
    ut_free(ut);
    slot_release(mark);
}

/* §7.2: a mapping without seL4_ARM_ExecuteNever runs code. The code is written through a
 * writable, execute-never mapping and made visible to instruction fetch with
 * Unify_Instruction (§10.7.6.7, §10.9.2.4), then called through a read-only executable
 * mapping of a copy of the cap; rewritten and unified again, the new code runs. */
SYSTEST(vm_execute_from_new_mapping)
{
    enum { MOV_X0_42 = 0xd2800540, MOV_X0_7 = 0xd28000e0, RET = 0xd65f03c0 };
    unsigned int mark = slot_mark();
    seL4_CPtr ut = ut_alloc(16);
    seL4_Word v = REGION(17);
    map_tables(ut, VSPACE, v, 3);
    seL4_CPtr data = object_new(ut, PAGE_OBJ, 0);
    CHECK_EQ(seL4_ARM_Page_Map(data, VSPACE, v, RW, ATTR | seL4_ARM_ExecuteNever), seL4_NoError);
    seL4_CPtr code = copy_of(data, seL4_CanRead);
    CHECK_EQ(seL4_ARM_Page_Map(code, VSPACE, v + KiB4, seL4_CanRead, ATTR), seL4_NoError);
    if (systest_failed()) {
        ut_free(ut);
        slot_release(mark);
        return;
    }
    volatile uint32_t *insn = (volatile uint32_t *)v;
    uint64_t (*fn)(void) = (uint64_t(*)(void))(v + KiB4);
    insn[0] = MOV_X0_42;
    insn[1] = RET;
    CHECK_EQ(seL4_ARM_Page_Unify_Instruction(data, 0, 8), seL4_NoError);
    CHECK_EQ(fn(), 42);
    insn[0] = MOV_X0_7;
    CHECK_EQ(seL4_ARM_VSpace_Unify_Instruction(VSPACE, v + KiB4, v + KiB4 + 8), seL4_NoError);
    CHECK_EQ(fn(), 7);
    CHECK_CONSISTENT();
    ut_free(ut);
    slot_release(mark);
}
