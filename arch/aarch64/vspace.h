/* User address spaces (manual ch. 7): walking a VSpace, installing and removing entries
 * with the TLB maintenance they need, which table a thread runs on, and tearing mappings
 * down when the caps that made them are deleted. */
#ifndef ARCH_VSPACE_H
#define ARCH_VSPACE_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/aarch64/asid.h"
#include "kernel/cap.h"
#include "kernel/invocation.h"
#include "kernel/tcb.h"

/* Levels below the VSpace root: L1..L3 tables, all PageTable objects (manual §7.1.1.4). */
#define VSPACE_LEVELS 4
#define VSPACE_LAST_LEVEL 3

/* The deepest entry on the way to vaddr: the first that is not a table, or the L3 entry.
 * bits_left is log2 of the span that entry covers (39, 30, 21 or 12). */
struct pt_slot {
    uint64_t *pte;
    unsigned int bits_left;
};
struct pt_slot vspace_lookup_pt_slot(uint64_t root_pa, uint64_t vaddr);

/* The frame backing vaddr, if any: its physical base and log2 size. */
bool vspace_lookup_frame(uint64_t root_pa, uint64_t vaddr, uint64_t *frame_pa, unsigned int *bits);

/* Writes an entry and makes sure no stale translation for (asid, vaddr) survives. */
void vspace_set_pte(uint64_t *pte, uint64_t value, uint64_t asid, uint64_t vaddr, bool flush);

/* Page-table entry for a frame mapping: rights already masked (enum vm_rights), VM
 * attributes as ABI §1.3 (cacheable, execute-never). */
uint64_t vspace_frame_pte(uint64_t paddr, unsigned int size_bits, unsigned int vm_rights,
                          uint64_t attr);
uint64_t vspace_table_pte(uint64_t table_pa);

/* TTBR0 for the thread: its VSpace root and ASID when its VSpace cap names an assigned
 * VSpace, else the kernel's empty table (the thread then faults on every access). */
uint64_t vspace_thread_ttbr(struct tcb *t);
/* Bumped whenever what vspace_thread_ttbr gives for any thread may change: a VSpace cap
 * deleted (it may be a TCB's copy), an ASID or ASID pool assigned or deleted. A thread's
 * cached t->ttbr is good while t->ttbr_gen equals it; installing a new VSpace in a TCB
 * zeroes that thread's ttbr_gen. Boot makes the generation non-zero, so zero never matches. */
extern uint64_t ks_vspace_gen;
static inline void vspace_gen_bump(void)
{
    ks_vspace_gen++;
}
/* The TTBR0 value for a VSpace cap: false unless it is a VSpace with its ASID still its own
 * (else the thread runs on the empty table, see vspace_thread_ttbr). */
#define TTBR_ASID_SHIFT 48
static inline bool vspace_root_ttbr(cap_t c, uint64_t *ttbr)
{
    if (cap_get_type(c) != cap_vspace_cap || !cap_vm_is_mapped(c) ||
        asid_lookup(cap_vm_asid(c)) != cap_paddr(c)) {
        return false;
    }
    *ttbr = cap_paddr(c) | (cap_vm_asid(c) << TTBR_ASID_SHIFT);
    return true;
}
/* Unmaps what a cap mapped: frames always, tables, VSpaces and pools when final. */
void vspace_finalise_cap(cap_t cap, bool final);
/* Removes frame / table mappings recorded in the caps (Unmap invocations). */
void vspace_unmap_frame(cap_t frame);
void vspace_unmap_table(cap_t table);
/* The VSpace an assigned VSpace cap names, as the methods that take one check it: its
 * ASID must still be assigned (else FailedLookup, InvalidRoot) and name this VSpace (else
 * InvalidCapability cap_index). The cap's type and mapped flag are the caller's check. */
enum exception vspace_root_of(cap_t vs, unsigned int cap_index, uint64_t *root);
/* Decodes a VSpace invocation (the cache methods, labels ARMVSpaceClean_Data ..
 * ARMVSpaceUnify_Instruction) and, if it is valid, performs it. */
enum exception vspace_invocation(struct invocation *inv);

#endif
