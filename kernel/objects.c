/* Object sizes and creation; see objects.h. */
#include "kernel/objects.h"

#include "arch/aarch64/context.h"
#include "arch/aarch64/sysreg.h"
#include "sched/sched_context.h"

unsigned int object_size_bits(uint64_t type, uint64_t user_bits)
{
    switch (type) {
    case seL4_UntypedObject:
    case seL4_SchedContextObject:
        return (unsigned int)user_bits;
    case seL4_TCBObject:
        return seL4_TCBBits;
    case seL4_EndpointObject:
        return seL4_EndpointBits;
    case seL4_NotificationObject:
        return seL4_NotificationBits;
    case seL4_CapTableObject:
        return (unsigned int)user_bits + seL4_SlotBits;
    case seL4_ReplyObject:
        return seL4_ReplyBits;
    case seL4_ARM_HugePageObject:
        return seL4_HugePageBits;
    case seL4_ARM_VSpaceObject:
        return seL4_VSpaceBits;
    case seL4_ARM_SmallPageObject:
        return seL4_PageBits;
    case seL4_ARM_LargePageObject:
        return seL4_LargePageBits;
    case seL4_ARM_PageTableObject:
        return seL4_PageTableBits;
    default:
        return 0;
    }
}

bool object_type_is_frame(uint64_t type)
{
    return type == seL4_ARM_SmallPageObject || type == seL4_ARM_LargePageObject ||
           type == seL4_ARM_HugePageObject;
}

/* SPSR of a thread that has never run: EL0 with FIQs masked (and SErrors in release
 * builds), as upstream starts its threads. */
uint64_t tcb_initial_spsr(void)
{
#ifdef CONFIG_DEBUG_BUILD
    return SPSR_MODE_EL0t | SPSR_F;
#else
    return SPSR_MODE_EL0t | SPSR_F | SPSR_A;
#endif
}

cap_t object_create(uint64_t type, uint64_t paddr, uint64_t user_bits, bool device)
{
    switch (type) {
    case seL4_UntypedObject:
        return cap_untyped_new(paddr, (unsigned int)user_bits, device, 0);
    case seL4_TCBObject: {
        struct tcb *t = tcb_from_object(ptr_from_paddr(paddr));
        t->ctx.regs[CTX_SPSR] = tcb_initial_spsr();
        t->state = THREAD_INACTIVE;
        return cap_thread_new(paddr);
    }
    case seL4_EndpointObject:
        return cap_endpoint_new(paddr, 0, RIGHTS_ALL);
    case seL4_NotificationObject:
        return cap_notification_new(paddr, 0, RIGHTS_ALL);
    case seL4_CapTableObject:
        return cap_cnode_new(paddr, (unsigned int)user_bits, 0, 0);
    case seL4_SchedContextObject:
        ((struct sched_context *)ptr_from_paddr(paddr))->size_bits = user_bits;
        return cap_sched_context_new(paddr, (unsigned int)user_bits);
    case seL4_ReplyObject:
        return cap_reply_new(paddr, true);
    case seL4_ARM_SmallPageObject:
        return cap_frame_new(paddr, FRAME_4K, VM_READ_WRITE, device, false, 0, 0);
    case seL4_ARM_LargePageObject:
        return cap_frame_new(paddr, FRAME_2M, VM_READ_WRITE, device, false, 0, 0);
    case seL4_ARM_HugePageObject:
        return cap_frame_new(paddr, FRAME_1G, VM_READ_WRITE, device, false, 0, 0);
    case seL4_ARM_PageTableObject:
        return cap_page_table_new(paddr, false, 0, 0);
    case seL4_ARM_VSpaceObject:
        return cap_vspace_new(paddr, false, 0);
    default:
        return cap_null();
    }
}
