/* Capabilities: 16 bytes each, held in 32-byte slots together with a 16-byte node of the
 * capability derivation tree (CDT). Type numbers are upstream's (seL4_DebugCapIdentify
 * returns them).
 *
 * Word 0: type in bits 63..59; the object's physical address >> 4 in bits 43..0 (every
 * object is at least 16-byte aligned, so any physical address below 2^48 fits); small
 * per-type fields in bits 58..44. Word 1: a per-type 64-bit field (badge, guard, free
 * index, mapping). Objects are reached with ptr_from_paddr (kptr.h). */
#ifndef KERNEL_CAP_H
#define KERNEL_CAP_H

#include <sel4/constants.h>
#include <stdbool.h>
#include <stdint.h>

#include "kernel/kptr.h"

enum cap_type {
    cap_null_cap = 0,
    cap_frame_cap = 1,
    cap_untyped_cap = 2,
    cap_page_table_cap = 3,
    cap_endpoint_cap = 4,
    cap_notification_cap = 6,
    cap_reply_cap = 8,
    cap_vspace_cap = 9,
    cap_cnode_cap = 10,
    cap_asid_control_cap = 11,
    cap_thread_cap = 12,
    cap_asid_pool_cap = 13,
    cap_irq_control_cap = 14,
    cap_irq_handler_cap = 16,
    cap_zombie_cap = 18,
    cap_domain_cap = 20,
    cap_sched_context_cap = 22,
    cap_sched_control_cap = 24,
    cap_sgi_signal_cap = 27, /* AArch64, uniprocessor: the next free odd arch tag (unconfirmed) */
};

typedef struct cap {
    uint64_t w[2];
} cap_t;

/* CDT links: a doubly-linked list of slots in depth-first order. The low bits of the
 * previous-slot word (slots are 32-byte aligned) hold the two flags. */
typedef struct mdb_node {
    uint64_t prev_flags;
    uint64_t next;
} mdb_node_t;

typedef struct cte {
    cap_t cap;
    mdb_node_t mdb;
} cte_t;

_Static_assert(sizeof(cap_t) == 16, "a capability is 16 bytes");
_Static_assert(sizeof(cte_t) == 32, "a CNode slot is 32 bytes (seL4_SlotBits 5)");

#define CAP_TYPE_SHIFT 59
#define CAP_TYPE_BITS 5
#define CAP_PTR_BITS 44
#define CAP_PTR_SHIFT_BITS 4 /* the stored address is pa >> 4 */
#define CAP_FIELDS_SHIFT 44  /* first bit of the small per-type fields */

static inline uint64_t cap_bits(uint64_t w, unsigned int shift, unsigned int bits)
{
    return (w >> shift) & ((bits == 64) ? ~0ull : ((1ull << bits) - 1));
}

static inline uint64_t cap_field(uint64_t v, unsigned int shift, unsigned int bits)
{
    return (v & ((1ull << bits) - 1)) << shift;
}

static inline enum cap_type cap_get_type(cap_t c)
{
    return (enum cap_type)cap_bits(c.w[0], CAP_TYPE_SHIFT, CAP_TYPE_BITS);
}

static inline bool cap_is_null(cap_t c) { return cap_get_type(c) == cap_null_cap; }
static inline cap_t cap_null(void) { return (cap_t){{0, 0}}; }

/* Physical address of the object (0 for caps that name no object). */
static inline uint64_t cap_paddr(cap_t c)
{
    return cap_bits(c.w[0], 0, CAP_PTR_BITS) << CAP_PTR_SHIFT_BITS;
}

static inline void *cap_ptr(cap_t c) { return ptr_from_paddr(cap_paddr(c)); }

static inline cap_t cap_make(enum cap_type t, uint64_t paddr, uint64_t fields, uint64_t w1)
{
    return (cap_t){{cap_field(t, CAP_TYPE_SHIFT, CAP_TYPE_BITS) |
                        cap_field(paddr >> CAP_PTR_SHIFT_BITS, 0, CAP_PTR_BITS) | fields,
                    w1}};
}

/* ---- small-field positions (bits 58..44 of word 0) ------------------------------------ */
#define F_SIZE_BITS_SHIFT 44 /* untyped, sched context: log2 size */
#define F_UT_DEVICE_SHIFT 50
#define F_RIGHTS_SHIFT 44 /* endpoint, notification: seL4_CapRights bits (W R G GR) */
#define F_RIGHTS_BITS 4
#define F_REPLY_GRANT_SHIFT 44
#define F_CNODE_RADIX_SHIFT 44
#define F_CNODE_GUARD_SIZE_SHIFT 50
#define F_ZOMBIE_TCB_SHIFT 44
#define F_ZOMBIE_RADIX_SHIFT 45
#define F_FRAME_SIZE_SHIFT 44 /* 0 = 4 KiB, 1 = 2 MiB, 2 = 1 GiB */
#define F_FRAME_RIGHTS_SHIFT 46
#define F_FRAME_DEVICE_SHIFT 48
#define F_VM_MAPPED_SHIFT 49
#define W1_ASID_SHIFT 48 /* frames, tables, VSpaces: ASID in w1 63..48, vaddr in 47..0 */
#define W1_VADDR_BITS 48
#define SIX_BITS 6

/* Rights bits, as in the seL4_CapRights word (ABI §1.3). */
#define RIGHT_WRITE 1u
#define RIGHT_READ 2u
#define RIGHT_GRANT 4u
#define RIGHT_GRANT_REPLY 8u
#define RIGHTS_ALL 0xfu

/* ---- untyped: w1 = free index, in bytes from the start ------------------------------- */
static inline cap_t cap_untyped_new(uint64_t paddr, unsigned int size_bits, bool device,
                                    uint64_t free_index)
{
    return cap_make(cap_untyped_cap, paddr,
                    cap_field(size_bits, F_SIZE_BITS_SHIFT, SIX_BITS) |
                        cap_field(device, F_UT_DEVICE_SHIFT, 1),
                    free_index);
}
static inline unsigned int cap_untyped_size_bits(cap_t c)
{
    return (unsigned int)cap_bits(c.w[0], F_SIZE_BITS_SHIFT, SIX_BITS);
}
static inline bool cap_untyped_is_device(cap_t c) { return cap_bits(c.w[0], F_UT_DEVICE_SHIFT, 1); }
static inline uint64_t cap_untyped_free_index(cap_t c) { return c.w[1]; }
static inline cap_t cap_untyped_set_free_index(cap_t c, uint64_t free_index)
{
    c.w[1] = free_index;
    return c;
}

/* ---- endpoint and notification: w1 = badge ------------------------------------------ */
static inline cap_t cap_endpoint_new(uint64_t paddr, uint64_t badge, unsigned int rights)
{
    return cap_make(cap_endpoint_cap, paddr, cap_field(rights, F_RIGHTS_SHIFT, F_RIGHTS_BITS),
                    badge);
}
static inline cap_t cap_notification_new(uint64_t paddr, uint64_t badge, unsigned int rights)
{
    return cap_make(cap_notification_cap, paddr,
                    cap_field(rights & (RIGHT_READ | RIGHT_WRITE), F_RIGHTS_SHIFT, F_RIGHTS_BITS),
                    badge);
}
static inline unsigned int cap_rights(cap_t c)
{
    return (unsigned int)cap_bits(c.w[0], F_RIGHTS_SHIFT, F_RIGHTS_BITS);
}
static inline cap_t cap_set_rights(cap_t c, unsigned int rights)
{
    c.w[0] = (c.w[0] & ~cap_field(~0ull, F_RIGHTS_SHIFT, F_RIGHTS_BITS)) |
             cap_field(rights, F_RIGHTS_SHIFT, F_RIGHTS_BITS);
    return c;
}
static inline uint64_t cap_badge(cap_t c) { return c.w[1]; }
static inline cap_t cap_set_badge(cap_t c, uint64_t badge)
{
    c.w[1] = badge;
    return c;
}

/* ---- reply (MCS) --------------------------------------------------------------------- */
static inline cap_t cap_reply_new(uint64_t paddr, bool can_grant)
{
    return cap_make(cap_reply_cap, paddr, cap_field(can_grant, F_REPLY_GRANT_SHIFT, 1), 0);
}
static inline bool cap_reply_can_grant(cap_t c) { return cap_bits(c.w[0], F_REPLY_GRANT_SHIFT, 1); }

/* ---- CNode: w1 = guard --------------------------------------------------------------- */
static inline cap_t cap_cnode_new(uint64_t paddr, unsigned int radix, unsigned int guard_size,
                                  uint64_t guard)
{
    return cap_make(cap_cnode_cap, paddr,
                    cap_field(radix, F_CNODE_RADIX_SHIFT, SIX_BITS) |
                        cap_field(guard_size, F_CNODE_GUARD_SIZE_SHIFT, SIX_BITS + 1),
                    guard);
}
static inline unsigned int cap_cnode_radix(cap_t c)
{
    return (unsigned int)cap_bits(c.w[0], F_CNODE_RADIX_SHIFT, SIX_BITS);
}
static inline unsigned int cap_cnode_guard_size(cap_t c)
{
    return (unsigned int)cap_bits(c.w[0], F_CNODE_GUARD_SIZE_SHIFT, SIX_BITS + 1);
}
static inline uint64_t cap_cnode_guard(cap_t c) { return c.w[1]; }
static inline cte_t *cap_cnode_slots(cap_t c) { return (cte_t *)cap_ptr(c); }

/* ---- thread, sched context, sched control, IRQs, domain ------------------------------ */
static inline cap_t cap_thread_new(uint64_t paddr) { return cap_make(cap_thread_cap, paddr, 0, 0); }
static inline cap_t cap_sched_context_new(uint64_t paddr, unsigned int size_bits)
{
    return cap_make(cap_sched_context_cap, paddr, cap_field(size_bits, F_SIZE_BITS_SHIFT, SIX_BITS),
                    0);
}
static inline unsigned int cap_sched_context_size_bits(cap_t c)
{
    return (unsigned int)cap_bits(c.w[0], F_SIZE_BITS_SHIFT, SIX_BITS);
}
static inline cap_t cap_sched_control_new(uint64_t core)
{
    return cap_make(cap_sched_control_cap, 0, 0, core);
}
static inline cap_t cap_irq_control_new(void) { return cap_make(cap_irq_control_cap, 0, 0, 0); }
static inline cap_t cap_irq_handler_new(uint64_t irq) { return cap_make(cap_irq_handler_cap, 0, 0, irq); }
static inline uint64_t cap_irq_handler_irq(cap_t c) { return c.w[1]; }
/* SGI signal: the SGI number in the small fields, the target core in w1. */
#define F_SGI_IRQ_SHIFT 44
#define F_SGI_IRQ_BITS 4
static inline cap_t cap_sgi_signal_new(uint64_t irq, uint64_t target)
{
    return cap_make(cap_sgi_signal_cap, 0, cap_field(irq, F_SGI_IRQ_SHIFT, F_SGI_IRQ_BITS), target);
}
static inline uint32_t cap_sgi_signal_irq(cap_t c)
{
    return (uint32_t)cap_bits(c.w[0], F_SGI_IRQ_SHIFT, F_SGI_IRQ_BITS);
}
static inline uint64_t cap_sgi_signal_target(cap_t c) { return c.w[1]; }
static inline cap_t cap_domain_new(void) { return cap_make(cap_domain_cap, 0, 0, 0); }
static inline cap_t cap_asid_control_new(void) { return cap_make(cap_asid_control_cap, 0, 0, 0); }

/* ---- zombie: a TCB or CNode being destroyed; w1 = slots still to clear --------------- */
static inline cap_t cap_zombie_new(uint64_t paddr, bool is_tcb, unsigned int radix, uint64_t n)
{
    return cap_make(cap_zombie_cap, paddr,
                    cap_field(is_tcb, F_ZOMBIE_TCB_SHIFT, 1) |
                        cap_field(radix, F_ZOMBIE_RADIX_SHIFT, SIX_BITS),
                    n);
}
static inline bool cap_zombie_is_tcb(cap_t c) { return cap_bits(c.w[0], F_ZOMBIE_TCB_SHIFT, 1); }
static inline unsigned int cap_zombie_radix(cap_t c)
{
    return (unsigned int)cap_bits(c.w[0], F_ZOMBIE_RADIX_SHIFT, SIX_BITS);
}
static inline uint64_t cap_zombie_number(cap_t c) { return c.w[1]; }
static inline cap_t cap_zombie_set_number(cap_t c, uint64_t n)
{
    c.w[1] = n;
    return c;
}

/* ---- ASID pool: w1 = first ASID it serves ------------------------------------------- */
static inline cap_t cap_asid_pool_new(uint64_t paddr, uint64_t base_asid)
{
    return cap_make(cap_asid_pool_cap, paddr, 0, base_asid);
}
static inline uint64_t cap_asid_pool_base(cap_t c) { return c.w[1]; }

/* ---- VSpace, page table, frame: w1 = ASID | mapped vaddr ----------------------------- */
static inline uint64_t vm_w1(uint64_t asid, uint64_t vaddr)
{
    return cap_field(asid, W1_ASID_SHIFT, 16) | cap_field(vaddr, 0, W1_VADDR_BITS);
}
static inline cap_t cap_vspace_new(uint64_t paddr, bool mapped, uint64_t asid)
{
    return cap_make(cap_vspace_cap, paddr, cap_field(mapped, F_VM_MAPPED_SHIFT, 1), vm_w1(asid, 0));
}
static inline cap_t cap_page_table_new(uint64_t paddr, bool mapped, uint64_t asid, uint64_t vaddr)
{
    return cap_make(cap_page_table_cap, paddr, cap_field(mapped, F_VM_MAPPED_SHIFT, 1),
                    vm_w1(asid, vaddr));
}
enum vm_rights { VM_KERNEL_ONLY = 0, VM_READ_ONLY = 1, VM_READ_WRITE = 3 };
enum frame_size { FRAME_4K = 0, FRAME_2M = 1, FRAME_1G = 2 };
static inline cap_t cap_frame_new(uint64_t paddr, enum frame_size size, enum vm_rights rights,
                                  bool device, bool mapped, uint64_t asid, uint64_t vaddr)
{
    return cap_make(cap_frame_cap, paddr,
                    cap_field(size, F_FRAME_SIZE_SHIFT, 2) |
                        cap_field(rights, F_FRAME_RIGHTS_SHIFT, 2) |
                        cap_field(device, F_FRAME_DEVICE_SHIFT, 1) |
                        cap_field(mapped, F_VM_MAPPED_SHIFT, 1),
                    vm_w1(asid, vaddr));
}
static inline bool cap_vm_is_mapped(cap_t c) { return cap_bits(c.w[0], F_VM_MAPPED_SHIFT, 1); }
static inline uint64_t cap_vm_asid(cap_t c) { return cap_bits(c.w[1], W1_ASID_SHIFT, 16); }
static inline uint64_t cap_vm_vaddr(cap_t c) { return cap_bits(c.w[1], 0, W1_VADDR_BITS); }
static inline enum frame_size cap_frame_size(cap_t c)
{
    return (enum frame_size)cap_bits(c.w[0], F_FRAME_SIZE_SHIFT, 2);
}
/* log2 bytes of a frame of each size. */
static inline unsigned int frame_size_bits(enum frame_size s)
{
    switch (s) {
    case FRAME_2M:
        return seL4_LargePageBits;
    case FRAME_1G:
        return seL4_HugePageBits;
    default:
        return seL4_PageBits;
    }
}
static inline unsigned int cap_frame_bits(cap_t c) { return frame_size_bits(cap_frame_size(c)); }
static inline enum vm_rights cap_frame_rights(cap_t c)
{
    return (enum vm_rights)cap_bits(c.w[0], F_FRAME_RIGHTS_SHIFT, 2);
}
static inline bool cap_frame_is_device(cap_t c) { return cap_bits(c.w[0], F_FRAME_DEVICE_SHIFT, 1); }

#endif
