/* Capabilities: 16 bytes each, in 32-byte slots with a 16-byte derivation-tree node.
 * The type numbers are upstream's (seL4_DebugCapIdentify returns them). Physical
 * addresses of objects are stored, not kernel pointers, so every field fits. */
#ifndef KERNEL_CAP_H
#define KERNEL_CAP_H

#include <stdbool.h>
#include <stdint.h>

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
};

typedef struct cap {
    uint64_t w[2];
} cap_t;

/* Derivation-tree links (filled in by the CDT code). */
typedef struct mdb_node {
    uint64_t w[2];
} mdb_node_t;

typedef struct cte {
    cap_t cap;
    mdb_node_t mdb;
} cte_t;

_Static_assert(sizeof(cap_t) == 16, "a capability is 16 bytes");
_Static_assert(sizeof(cte_t) == 32, "a CNode slot is 32 bytes (seL4_SlotBits 5)");

/* Word 0 layout shared by every cap: type in the top 5 bits. */
#define CAP_TYPE_SHIFT 59
#define CAP_FIELD(v, shift, bits) (((uint64_t)(v) & ((1ul << (bits)) - 1)) << (shift))
#define CAP_GET(w, shift, bits) (((w) >> (shift)) & ((1ul << (bits)) - 1))
/* Physical addresses fit in 48 bits on every supported PA size (≤ 48). */
#define CAP_PADDR_BITS 48

static inline enum cap_type cap_get_type(cap_t c) { return (enum cap_type)(c.w[0] >> CAP_TYPE_SHIFT); }
static inline cap_t cap_null(void) { return (cap_t){{0, 0}}; }
static inline uint64_t cap_object_paddr(cap_t c) { return CAP_GET(c.w[0], 0, CAP_PADDR_BITS); }

static inline cap_t cap_make(enum cap_type t, uint64_t paddr, uint64_t extra_w0, uint64_t w1)
{
    return (cap_t){{CAP_FIELD(t, CAP_TYPE_SHIFT, 5) | CAP_FIELD(paddr, 0, CAP_PADDR_BITS) | extra_w0, w1}};
}

/* Untyped: w0 = type | is_device(1)@54 | size_bits(6)@48 | paddr; w1 = free index (bytes). */
#define CAP_UT_SIZE_SHIFT 48
#define CAP_UT_DEVICE_SHIFT 54
static inline cap_t cap_untyped_new(uint64_t paddr, unsigned size_bits, bool device, uint64_t free)
{
    return cap_make(cap_untyped_cap, paddr,
                    CAP_FIELD(size_bits, CAP_UT_SIZE_SHIFT, 6) | CAP_FIELD(device, CAP_UT_DEVICE_SHIFT, 1),
                    free);
}

/* CNode: w0 = type | guard_size(6)@54 | radix(6)@48 | paddr; w1 = guard. */
#define CAP_CNODE_RADIX_SHIFT 48
#define CAP_CNODE_GUARD_SIZE_SHIFT 54
static inline cap_t cap_cnode_new(uint64_t paddr, unsigned radix, unsigned guard_size, uint64_t guard)
{
    return cap_make(cap_cnode_cap, paddr,
                    CAP_FIELD(radix, CAP_CNODE_RADIX_SHIFT, 6) |
                        CAP_FIELD(guard_size, CAP_CNODE_GUARD_SIZE_SHIFT, 6),
                    guard);
}

static inline cap_t cap_thread_new(uint64_t paddr) { return cap_make(cap_thread_cap, paddr, 0, 0); }

/* Scheduling context: w0 = type | size_bits(6)@48 | paddr. */
static inline cap_t cap_sched_context_new(uint64_t paddr, unsigned size_bits)
{
    return cap_make(cap_sched_context_cap, paddr, CAP_FIELD(size_bits, 48, 6), 0);
}

/* SchedControl: w1 = core. */
static inline cap_t cap_sched_control_new(uint64_t core) { return cap_make(cap_sched_control_cap, 0, 0, core); }
static inline cap_t cap_irq_control_new(void) { return cap_make(cap_irq_control_cap, 0, 0, 0); }
static inline cap_t cap_asid_control_new(void) { return cap_make(cap_asid_control_cap, 0, 0, 0); }
static inline cap_t cap_domain_new(void) { return cap_make(cap_domain_cap, 0, 0, 0); }

/* ASID pool: w1 = first ASID it serves. */
static inline cap_t cap_asid_pool_new(uint64_t paddr, uint64_t base_asid)
{
    return cap_make(cap_asid_pool_cap, paddr, 0, base_asid);
}

/* VSpaces, page tables and frames: w0 = type | mapped@58 | paddr; the ASID is in w1 bits
 * 48..63 and the virtual address they are mapped at in w1 bits 0..47. */
#define CAP_VM_MAPPED_SHIFT 58
#define CAP_VM_ASID_SHIFT 48
#define CAP_VM_VADDR_BITS 48
static inline cap_t cap_vspace_new(uint64_t paddr, bool mapped, uint64_t asid)
{
    return cap_make(cap_vspace_cap, paddr, CAP_FIELD(mapped, CAP_VM_MAPPED_SHIFT, 1),
                    CAP_FIELD(asid, CAP_VM_ASID_SHIFT, 16));
}

static inline cap_t cap_page_table_new(uint64_t paddr, bool mapped, uint64_t asid, uint64_t vaddr)
{
    return cap_make(cap_page_table_cap, paddr, CAP_FIELD(mapped, CAP_VM_MAPPED_SHIFT, 1),
                    CAP_FIELD(asid, CAP_VM_ASID_SHIFT, 16) | CAP_FIELD(vaddr, 0, CAP_VM_VADDR_BITS));
}

/* Frame: w0 also holds size(2)@48 (0 = 4K, 1 = 2M, 2 = 1G), vm rights(2)@50, device@52. */
#define CAP_FRAME_SIZE_SHIFT 48
#define CAP_FRAME_RIGHTS_SHIFT 50
#define CAP_FRAME_DEVICE_SHIFT 52
enum vm_rights { VM_KERNEL_ONLY = 0, VM_READ_ONLY = 1, VM_READ_WRITE = 3 };
static inline cap_t cap_frame_new(uint64_t paddr, unsigned size, enum vm_rights rights,
                                  bool device, bool mapped, uint64_t asid, uint64_t vaddr)
{
    return cap_make(cap_frame_cap, paddr,
                    CAP_FIELD(size, CAP_FRAME_SIZE_SHIFT, 2) |
                        CAP_FIELD(rights, CAP_FRAME_RIGHTS_SHIFT, 2) |
                        CAP_FIELD(device, CAP_FRAME_DEVICE_SHIFT, 1) |
                        CAP_FIELD(mapped, CAP_VM_MAPPED_SHIFT, 1),
                    CAP_FIELD(asid, CAP_VM_ASID_SHIFT, 16) | CAP_FIELD(vaddr, 0, CAP_VM_VADDR_BITS));
}

#endif
