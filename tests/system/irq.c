/* Interrupts as capabilities (manual ch. 8, §10.3.3-4, §10.7.11): IRQControl_Get,
 * GetTrigger and IssueSGISignal with every error the manual and upstream give, the
 * IRQHandler methods, and real devices delivering through them: the EL1 physical timer
 * (the user-level timer upstream-built suites use), on boards that have them the PL031 RTC
 * alarm and the PL011 receive interrupt (the test runner types into the serial port when
 * asked with a FEED line), and an SGI behind a GIC. A line fires once per Ack; a driver that
 * never acks sees one interrupt, and one that acks a line that keeps firing cannot starve
 * the kernel's timer or a higher-priority thread.
 * Uses ipc_util.h, so: systest: needs a debug kernel */
#include <kairos/string.h>

#include "ipc_util.h"
#include "lib/fdt.h"
#include "platform.h"
#include "user_timer.h"

/* The board's interrupt lines and devices (platform.h), checked against the device tree
 * where it says them. The console UART's line and the one after it are lines nobody uses. */
#define KERNEL_TIMER_IRQ PLAT_KERNEL_TIMER_IRQ
#define UART_IRQ PLAT_UART_IRQ
#define OTHER_IRQ (PLAT_UART_IRQ + 1)
#define UART_PADDR PLAT_UART_PADDR
#define MAX_IRQ PLAT_MAX_IRQ
#define NUM_SGIS 16
#define SGI_CAP_TYPE 27

#define DEVICE_VADDR(i) (THREAD_IPC_REGION + (128 + (i)) * (1ul << seL4_PageBits))
#define PRIO_DRIVER 200

/* ---- Helpers ------------------------------------------------------------------------------ */

/* A handler for `irq` in a new slot, 0 with a recorded failure. */
static seL4_CPtr handler_new(seL4_Word irq)
{
    seL4_CPtr slot = slot_alloc();
    seL4_Error err = slot ? seL4_IRQControl_Get(seL4_CapIRQControl, irq, ROOT, slot, ROOT_DEPTH)
                          : seL4_NotEnoughMemory;
    if (err != seL4_NoError) {
        systest_fail(__FILE__, __LINE__, "IRQControl_Get(%lu): error %d", (unsigned long)irq,
                     (int)err);
        return 0;
    }
    return slot;
}

/* IRQControl_Get with an arbitrary message (length, extra caps) to test the decoder. */
static seL4_Error raw_irq_control(seL4_Word label, seL4_Word length, seL4_Word extra,
                                  const seL4_Word *mr)
{
    for (seL4_Word i = 0; i < length; i++) {
        seL4_SetMR((int)i, mr[i]);
    }
    seL4_SetCap(0, ROOT);
    seL4_MessageInfo_t info =
        seL4_Call(seL4_CapIRQControl, seL4_MessageInfo_new(label, 0, extra, length));
    return (seL4_Error)seL4_MessageInfo_get_label(info);
}

/* Only boards with a device the tests drive need its registers mapped. */
#if defined(PLAT_RTC_PL031_PADDR) || PLAT_UART_PL011
#define DRIVES_DEVICE_REGISTERS 1

/* Makes the frame at device address `paddr` a cap and maps it uncached at `vaddr`; 0 on
 * failure. Untypeds of falling size are cut from the device untyped that holds it until
 * the frame sits exactly at paddr (a retype places objects at the next aligned address). */
static seL4_CPtr device_page(uint64_t paddr, seL4_Word vaddr)
{
    const seL4_BootInfo *bi = seL4_GetBootInfo();
    seL4_CPtr ut = 0;
    uint64_t cursor = 0;
    for (seL4_Word i = 0; i < bi->untyped.end - bi->untyped.start; i++) {
        const seL4_UntypedDesc *d = &bi->untypedList[i];
        if (d->isDevice && paddr >= d->paddr && paddr - d->paddr < (1ul << d->sizeBits)) {
            ut = bi->untyped.start + i;
            cursor = d->paddr;
        }
    }
    if (ut == 0) {
        systest_fail(__FILE__, __LINE__, "no device untyped holds 0x%lx", (unsigned long)paddr);
        return 0;
    }
    CHECK_EQ(seL4_CNode_Revoke(ROOT, ut, ROOT_DEPTH), seL4_NoError);
    while (cursor < paddr) {
        unsigned int bits = 63u - (unsigned int)__builtin_clzl(paddr - cursor);
        unsigned int align = (unsigned int)__builtin_ctzl(cursor);
        bits = bits < align ? bits : align;
        if (object_new(ut, seL4_UntypedObject, bits) == 0) {
            return 0;
        }
        cursor += 1ul << bits;
    }
    seL4_CPtr frame = object_new(ut, seL4_ARM_SmallPageObject, 0);
    if (frame && seL4_ARM_Page_Map(frame, seL4_CapInitThreadVSpace, vaddr, seL4_ReadWrite,
                                   seL4_ARM_ExecuteNever) != seL4_NoError) {
        systest_fail(__FILE__, __LINE__, "mapping device page 0x%lx", (unsigned long)paddr);
        return 0;
    }
    seL4_Word got = frame ? seL4_ARM_Page_GetAddress(frame).paddr : 0;
    if (frame && got != paddr) {
        systest_fail(__FILE__, __LINE__, "device frame at 0x%lx, wanted 0x%lx", (unsigned long)got,
                     (unsigned long)paddr);
        return 0;
    }
    return frame;
}

static inline volatile uint32_t *reg32(seL4_Word vaddr, unsigned int offset)
{
    return (volatile uint32_t *)(vaddr + offset);
}

/* The device tree puts `compatible` at `base`. */
static bool device_at(const char *compatible, uint64_t base)
{
    const void *fdt = NULL;
    const seL4_BootInfo *bi = seL4_GetBootInfo();
    const seL4_BootInfoHeader *h =
        (const seL4_BootInfoHeader *)((seL4_Word)bi + (1ul << seL4_PageBits));
    if (bi->extraLen && h->id == SEL4_BOOTINFO_HEADER_FDT) {
        fdt = h + 1;
    }
    struct fdt_region r[2];
    return fdt && fdt_find_compatible_reg(fdt, compatible, r, 2) >= 1 && r[0].base == base;
}
#endif

/* ---- IRQControl: errors and the lifetime of a handler --------------------------------------- */

SYSTEST(irq_control_get_errors_change_nothing)
{
    unsigned int mark = slot_mark();
    seL4_CPtr dest = slot_alloc(), other = slot_alloc(), ep = 0;
    seL4_CPtr ut = ut_alloc(seL4_PageBits);
    if (ut) {
        ep = object_new(ut, seL4_EndpointObject, 0);
    }
    if (dest && other && ep) {
        seL4_Word mr[3] = {UART_IRQ, dest, ROOT_DEPTH};
        CHECK_EQ(raw_irq_control(IRQIssueIRQHandler, 2, 1, mr), seL4_TruncatedMessage);
        CHECK_EQ(raw_irq_control(IRQIssueIRQHandler, 3, 0, mr), seL4_TruncatedMessage);
        static const seL4_Word bad_irqs[] = {MAX_IRQ + 1, 1ul << 32, ~0ul};
        for (unsigned int i = 0; i < sizeof(bad_irqs) / sizeof(bad_irqs[0]); i++) {
            CHECK_RANGE_ERROR(
                seL4_IRQControl_Get(seL4_CapIRQControl, bad_irqs[i], ROOT, dest, ROOT_DEPTH), 0,
                MAX_IRQ);
        }
        /* The kernel's own timer is taken. */
        CHECK_EQ(seL4_IRQControl_Get(seL4_CapIRQControl, KERNEL_TIMER_IRQ, ROOT, dest, ROOT_DEPTH),
                 seL4_RevokeFirst);
        /* The destination: depth out of range, a root that is not a CNode, a full slot. */
        CHECK_RANGE_ERROR(seL4_IRQControl_Get(seL4_CapIRQControl, UART_IRQ, ROOT, dest, 0), 1,
                          seL4_WordBits);
        mr[2] = seL4_WordBits + 1;
        CHECK_EQ(raw_irq_control(IRQIssueIRQHandler, 3, 1, mr), seL4_RangeError);
        CHECK_LOOKUP_FAILURE(
            seL4_IRQControl_Get(seL4_CapIRQControl, UART_IRQ, ep, dest, ROOT_DEPTH), 0,
            seL4_InvalidRoot);
        CHECK_EQ(seL4_IRQControl_Get(seL4_CapIRQControl, UART_IRQ, ROOT, seL4_CapInitThreadTCB,
                                     ROOT_DEPTH),
                 seL4_DeleteFirst);
        /* Nothing changed: the slot is empty and the line is still free. */
        CHECK_CAP_TYPE(dest, CAP_NULL);
        CHECK_EQ(seL4_IRQControl_Get(seL4_CapIRQControl, UART_IRQ, ROOT, dest, ROOT_DEPTH),
                 seL4_NoError);
        CHECK_CAP_TYPE(dest, CAP_IRQ_HANDLER);
        /* Already issued: RevokeFirst, whatever the destination. */
        CHECK_EQ(seL4_IRQControl_Get(seL4_CapIRQControl, UART_IRQ, ROOT, other, ROOT_DEPTH),
                 seL4_RevokeFirst);
        CHECK_CAP_TYPE(other, CAP_NULL);
        /* Invoked on the wrong cap type. */
        CHECK_EQ(seL4_IRQControl_Get(ROOT, UART_IRQ, ROOT, other, ROOT_DEPTH),
                 seL4_IllegalOperation);
        CHECK_EQ(seL4_IRQControl_Get(dest, OTHER_IRQ, ROOT, other, ROOT_DEPTH),
                 seL4_IllegalOperation);
        CHECK_EQ(seL4_CNode_Delete(ROOT, dest, ROOT_DEPTH), seL4_NoError);
    }
    ut_free(ut);
    slot_release(mark);
}

/* SGIs (0-15) and the largest line may be had on a uniprocessor; a handler is a cap like
 * others: copied, it keeps the line taken until the last copy goes; revoking IRQControl
 * deletes every handler. */
SYSTEST(irq_handler_lives_until_its_last_cap_goes)
{
    unsigned int mark = slot_mark();
    seL4_CPtr a = handler_new(0), b = handler_new(MAX_IRQ), c = handler_new(UART_IRQ);
    seL4_CPtr copy = slot_alloc();
    if (a && b && c && copy) {
        CHECK_EQ(seL4_CNode_Copy(ROOT, copy, ROOT_DEPTH, ROOT, c, ROOT_DEPTH, seL4_AllRights),
                 seL4_NoError);
        CHECK_CAP_TYPE(copy, CAP_IRQ_HANDLER);
        CHECK_EQ(seL4_CNode_Delete(ROOT, c, ROOT_DEPTH), seL4_NoError);
        CHECK_EQ(seL4_IRQControl_Get(seL4_CapIRQControl, UART_IRQ, ROOT, c, ROOT_DEPTH),
                 seL4_RevokeFirst);
        CHECK_EQ(seL4_CNode_Delete(ROOT, copy, ROOT_DEPTH), seL4_NoError);
        CHECK_EQ(seL4_IRQControl_Get(seL4_CapIRQControl, UART_IRQ, ROOT, c, ROOT_DEPTH),
                 seL4_NoError);
        /* IRQControl cannot be copied (manual Table 3.2), but revoking it takes every
         * handler with it. */
        CHECK_EQ(seL4_CNode_Copy(ROOT, copy, ROOT_DEPTH, ROOT, seL4_CapIRQControl, ROOT_DEPTH,
                                 seL4_AllRights),
                 seL4_IllegalOperation);
        CHECK_EQ(seL4_CNode_Revoke(ROOT, seL4_CapIRQControl, ROOT_DEPTH), seL4_NoError);
        CHECK_CAP_TYPE(a, CAP_NULL);
        CHECK_CAP_TYPE(b, CAP_NULL);
        CHECK_CAP_TYPE(c, CAP_NULL);
        CHECK_CAP_TYPE(seL4_CapIRQControl, CAP_IRQ_CONTROL);
        CHECK_EQ(seL4_IRQControl_Get(seL4_CapIRQControl, 0, ROOT, a, ROOT_DEPTH), seL4_NoError);
        CHECK_CONSISTENT();
    }
    slot_release(mark);
}

#if PLAT_HAS_SGIS
static bool gic_is_v3(void)
{
    const seL4_BootInfo *bi = seL4_GetBootInfo();
    const seL4_BootInfoHeader *h =
        (const seL4_BootInfoHeader *)((seL4_Word)bi + (1ul << seL4_PageBits));
    struct fdt_region r[2];
    return bi->extraLen && h->id == SEL4_BOOTINFO_HEADER_FDT &&
           fdt_find_compatible_reg(h + 1, "arm,gic-v3", r, 2) >= 1;
}
#endif

SYSTEST(irq_control_arm_methods_and_their_errors)
{
    unsigned int mark = slot_mark();
    seL4_CPtr dest = slot_alloc(), s1 = slot_alloc(), s2 = slot_alloc();
    if (dest && s1 && s2) {
        /* GetTrigger: as Get, with four words. */
        seL4_Word mr[4] = {40, 1, dest, ROOT_DEPTH};
        CHECK_EQ(raw_irq_control(ARMIRQIssueIRQHandlerTrigger, 3, 1, mr), seL4_TruncatedMessage);
        CHECK_EQ(raw_irq_control(ARMIRQIssueIRQHandlerTrigger, 4, 0, mr), seL4_TruncatedMessage);
        CHECK_RANGE_ERROR(
            seL4_IRQControl_GetTrigger(seL4_CapIRQControl, MAX_IRQ + 1, 1, ROOT, dest, ROOT_DEPTH),
            0, MAX_IRQ);
        CHECK_EQ(seL4_IRQControl_GetTrigger(seL4_CapIRQControl, KERNEL_TIMER_IRQ, 0, ROOT, dest,
                                            ROOT_DEPTH),
                 seL4_RevokeFirst);
        CHECK_RANGE_ERROR(seL4_IRQControl_GetTrigger(seL4_CapIRQControl, 40, 1, ROOT, dest, 0), 1,
                          seL4_WordBits);
        CHECK_EQ(seL4_IRQControl_GetTrigger(seL4_CapIRQControl, 40, 1, ROOT, dest, ROOT_DEPTH),
                 seL4_NoError);
        CHECK_EQ(seL4_IRQControl_GetTrigger(seL4_CapIRQControl, 41, 0, ROOT, s1, ROOT_DEPTH),
                 seL4_NoError);
        CHECK_EQ(seL4_IRQControl_GetTrigger(seL4_CapIRQControl, 40, 0, ROOT, s2, ROOT_DEPTH),
                 seL4_RevokeFirst);
        CHECK_CAP_TYPE(dest, CAP_IRQ_HANDLER);
        CHECK_CAP_TYPE(s1, CAP_IRQ_HANDLER);
        CHECK_EQ(seL4_CNode_Delete(ROOT, dest, ROOT_DEPTH), seL4_NoError);
        CHECK_EQ(seL4_CNode_Delete(ROOT, s1, ROOT_DEPTH), seL4_NoError);
        /* Any non-zero trigger means edge (upstream reads it as a boolean); an SGI's
         * trigger is fixed and the request is accepted all the same. */
        CHECK_EQ(seL4_IRQControl_GetTrigger(seL4_CapIRQControl, 40, ~0ul, ROOT, dest, ROOT_DEPTH),
                 seL4_NoError);
        CHECK_EQ(seL4_IRQControl_GetTrigger(seL4_CapIRQControl, 2, 1, ROOT, s1, ROOT_DEPTH),
                 seL4_NoError);
        CHECK_EQ(seL4_CNode_Delete(ROOT, dest, ROOT_DEPTH), seL4_NoError);
        CHECK_EQ(seL4_CNode_Delete(ROOT, s1, ROOT_DEPTH), seL4_NoError);

#if PLAT_HAS_SGIS
        /* IssueSGISignal: SGI 0..15, a target the GIC can name, then the slot. */
        seL4_Word sgi[4] = {3, 0, dest, ROOT_DEPTH};
        CHECK_EQ(raw_irq_control(ARMIRQIssueSGISignal, 3, 1, sgi), seL4_TruncatedMessage);
        CHECK_RANGE_ERROR(
            seL4_IRQControl_IssueSGISignal(seL4_CapIRQControl, NUM_SGIS, 0, ROOT, dest, ROOT_DEPTH),
            0, NUM_SGIS - 1);
        CHECK_ARG_ERROR(seL4_IRQControl_IssueSGISignal(seL4_CapIRQControl, 3, 1ul << 32, ROOT, dest,
                                                       ROOT_DEPTH),
                        seL4_InvalidArgument, 1);
        /* GICv2 names CPU interfaces 0..7; GICv3 an affinity whose Aff0 is below 16. */
        seL4_Word bad_target = gic_is_v3() ? 16 : 8;
        CHECK_ARG_ERROR(seL4_IRQControl_IssueSGISignal(seL4_CapIRQControl, 3, bad_target, ROOT,
                                                       dest, ROOT_DEPTH),
                        seL4_InvalidArgument, 1);
        CHECK_RANGE_ERROR(seL4_IRQControl_IssueSGISignal(seL4_CapIRQControl, 3, 0, ROOT, dest, 0),
                          1, seL4_WordBits);
        CHECK_EQ(seL4_IRQControl_IssueSGISignal(seL4_CapIRQControl, 3, 0, ROOT,
                                                seL4_CapInitThreadTCB, ROOT_DEPTH),
                 seL4_DeleteFirst);
        CHECK_CAP_TYPE(dest, CAP_NULL);
        /* Any number of SGI caps for one SGI; they are not handlers. */
        CHECK_EQ(seL4_IRQControl_IssueSGISignal(seL4_CapIRQControl, 3, 0, ROOT, dest, ROOT_DEPTH),
                 seL4_NoError);
        CHECK_EQ(seL4_IRQControl_IssueSGISignal(seL4_CapIRQControl, 3, 0, ROOT, s1, ROOT_DEPTH),
                 seL4_NoError);
        CHECK_CAP_TYPE(dest, SGI_CAP_TYPE);
        CHECK_CAP_TYPE(s1, SGI_CAP_TYPE);
        CHECK_EQ(seL4_IRQControl_Get(seL4_CapIRQControl, 3, ROOT, s2, ROOT_DEPTH), seL4_NoError);
        /* An unknown IRQControl label. */
        CHECK_EQ(raw_irq_control(ARMIRQIssueSGISignal + 1, 4, 1, sgi), seL4_IllegalOperation);
#else
        /* Without a GIC there are no SGIs: the method is an unknown label, as upstream. */
        seL4_Word sgi[4] = {3, 0, dest, ROOT_DEPTH};
        CHECK_EQ(raw_irq_control(ARMIRQIssueSGISignal, 4, 1, sgi), seL4_IllegalOperation);
        CHECK_CAP_TYPE(dest, CAP_NULL);
#endif
        CHECK_CONSISTENT();
    }
    slot_release(mark);
}

/* ---- IRQHandler methods -------------------------------------------------------------------- */

SYSTEST(irq_handler_methods_and_their_errors)
{
    if (!threads_begin()) {
        return;
    }
    seL4_CPtr h = handler_new(OTHER_IRQ);
    seL4_CPtr n = ntfn_new(), ep = ep_new();
    seL4_CPtr read_only = n ? cap_mint(n, RIGHT_R, 0) : 0;
    seL4_CPtr badged = n ? cap_mint(n, RIGHTS_ALL, 0x34) : 0;
    if (h && n && ep && read_only && badged) {
        seL4_MessageInfo_t info = seL4_Call(h, seL4_MessageInfo_new(IRQSetIRQHandler, 0, 0, 0));
        CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_TruncatedMessage);
        /* Not a notification, or one without the Write right: InvalidCapability 0. */
        CHECK_ARG_ERROR(seL4_IRQHandler_SetNotification(h, ep), seL4_InvalidCapability, 0);
        CHECK_ARG_ERROR(seL4_IRQHandler_SetNotification(h, read_only), seL4_InvalidCapability, 0);
        CHECK_EQ(seL4_IRQHandler_SetNotification(h, badged), seL4_NoError);
        CHECK_EQ(seL4_IRQHandler_SetNotification(h, n), seL4_NoError); /* replaces it */
        CHECK_EQ(seL4_IRQHandler_Ack(h), seL4_NoError);
        CHECK_EQ(seL4_IRQHandler_Clear(h), seL4_NoError);
        CHECK_EQ(seL4_IRQHandler_Clear(h), seL4_NoError);
        info = seL4_Call(h, seL4_MessageInfo_new(IRQIssueIRQHandler, 0, 0, 0));
        CHECK_EQ(seL4_MessageInfo_get_label(info), seL4_IllegalOperation);
        /* The handler's copy keeps the notification alive after the user's caps go. */
        CHECK_EQ(seL4_IRQHandler_SetNotification(h, n), seL4_NoError);
        CHECK_CONSISTENT();
        CHECK_EQ(seL4_CNode_Delete(ROOT, h, ROOT_DEPTH), seL4_NoError);
        CHECK_CONSISTENT();
    }
    threads_end();
}

/* ---- The physical timer -------------------------------------------------------------------- */

#define TIMER_TICKS_US 1000
#define TIMER_COUNT 10
#define TIMER_LATE_US 50

static struct {
    seL4_CPtr handler, ntfn;
    volatile int count, ready, go, acked;
    volatile uint64_t late_max;
    volatile seL4_Word badge;
} pt;

/* Arms the timer, waits for its interrupt, checks the badge and lateness, silences the
 * source (the interrupt is level) and acks; TIMER_COUNT times. */
static void timer_driver(seL4_Word unused)
{
    (void)unused;
    for (int k = 0; k < TIMER_COUNT; k++) {
        uint64_t due = cntpct() + us_to_ticks(TIMER_TICKS_US);
        cntp_program(due, CNTP_ENABLE);
        seL4_Word badge = 0;
        seL4_Wait(pt.ntfn, &badge);
        uint64_t late = cntpct() - due;
        pt.late_max = late > pt.late_max ? late : pt.late_max;
        pt.badge = badge;
        cntp_off();
        pt.count = k + 1;
        seL4_IRQHandler_Ack(pt.handler);
    }
}

SYSTEST(irq_physical_timer_interrupts_reach_a_driver)
{
    if (!threads_begin()) {
        return;
    }
    memset((void *)&pt, 0, sizeof(pt));
    pt.handler = handler_new(PHYS_TIMER_IRQ);
    seL4_CPtr n = ntfn_new();
    pt.ntfn = n;
    seL4_CPtr badged = n ? cap_mint(n, RIGHTS_ALL, 0x30) : 0;
    if (pt.handler && badged &&
        seL4_IRQHandler_SetNotification(pt.handler, badged) == seL4_NoError) {
        struct thread *d = ipc_spawn(timer_driver, 0, PRIO_DRIVER);
        CHECK(d && root_background_until(&d->finished, IPC_WAIT_US));
        CHECK_EQ(pt.count, TIMER_COUNT);
        CHECK_EQ(pt.badge, 0x30);
        CHECK(pt.late_max <= us_to_ticks(TIMER_LATE_US));
    }
    cntp_off();
    threads_end();
}

/* A line stays masked from the interrupt until Ack: the timer fires again (it is level, and
 * nobody silences it), yet no second signal comes until the handler is acked. */
SYSTEST(irq_nothing_arrives_before_ack)
{
    if (!threads_begin()) {
        return;
    }
    seL4_CPtr h = handler_new(PHYS_TIMER_IRQ), n = ntfn_new();
    seL4_CPtr badged = n ? cap_mint(n, RIGHTS_ALL, 1) : 0; /* a badge tells a signal apart */
    if (h && badged && seL4_IRQHandler_SetNotification(h, badged) == seL4_NoError) {
        cntp_program(cntpct() + us_to_ticks(100), CNTP_ENABLE);
        root_spin_us(300);
        CHECK(cntp_ctl() & CNTP_ISTATUS);
        seL4_Word badge = 0;
        seL4_Poll(n, &badge);
        CHECK_EQ(badge, 1);
        /* Still firing, but masked: nothing more. */
        root_spin_us(300);
        badge = 0;
        seL4_Poll(n, &badge);
        CHECK_EQ(badge, 0);
        CHECK_EQ(seL4_IRQHandler_Ack(h), seL4_NoError);
        root_spin_us(50);
        badge = 0;
        seL4_Poll(n, &badge);
        CHECK_EQ(badge, 1);
        cntp_off();
        CHECK_EQ(seL4_IRQHandler_Ack(h), seL4_NoError);
        root_spin_us(300);
        badge = 0;
        seL4_Poll(n, &badge);
        CHECK_EQ(badge, 0);
        /* Deleting the handler masks the line: firing again, it reaches nobody. */
        CHECK_EQ(seL4_CNode_Delete(ROOT, h, ROOT_DEPTH), seL4_NoError);
        cntp_program(cntpct(), CNTP_ENABLE);
        root_spin_us(300);
        badge = 0;
        seL4_Poll(n, &badge);
        CHECK_EQ(badge, 0);
    }
    cntp_off();
    threads_end();
}

/* ---- PL031 RTC alarm ----------------------------------------------------------------------- */

#ifdef PLAT_RTC_PL031_PADDR
#define RTC_PADDR PLAT_RTC_PL031_PADDR
#define RTC_IRQ PLAT_RTC_PL031_IRQ

enum {
    RTC_DR = 0x00,
    RTC_MR = 0x04,
    RTC_IMSC = 0x10,
    RTC_RIS = 0x14,
    RTC_MIS = 0x18,
    RTC_ICR = 0x1c
};

SYSTEST(irq_pl031_rtc_alarm_reaches_a_handler)
{
    if (!threads_begin()) {
        return;
    }
    CHECK(device_at("arm,pl031", RTC_PADDR));
    seL4_CPtr frame = device_page(RTC_PADDR, DEVICE_VADDR(0));
    seL4_CPtr h = handler_new(RTC_IRQ), n = ntfn_new();
    seL4_CPtr badged = n ? cap_mint(n, RIGHTS_ALL, 0x34) : 0;
    if (frame && h && badged && seL4_IRQHandler_SetNotification(h, badged) == seL4_NoError) {
        seL4_Word rtc = DEVICE_VADDR(0);
        *reg32(rtc, RTC_IMSC) = 1;
        /* A match with the current count raises the alarm at once (a second later if the
         * count moved on meanwhile: wait for it). */
        *reg32(rtc, RTC_MR) = *reg32(rtc, RTC_DR);
        seL4_Word badge = 0;
        uint64_t end = now_ticks() + us_to_ticks(3000000);
        while (badge == 0 && now_ticks() < end) {
            seL4_Poll(n, &badge);
        }
        CHECK_EQ(badge, 0x34);
        CHECK_EQ(*reg32(rtc, RTC_MIS), 1);
        *reg32(rtc, RTC_ICR) = 1;
        CHECK_EQ(*reg32(rtc, RTC_RIS), 0);
        CHECK_EQ(seL4_IRQHandler_Ack(h), seL4_NoError);
        root_spin_us(1000);
        badge = 0;
        seL4_Poll(n, &badge);
        CHECK_EQ(badge, 0);
        *reg32(rtc, RTC_IMSC) = 0;
    }
    threads_end();
}

#endif

/* ---- PL011 receive interrupt --------------------------------------------------------------- */

#if PLAT_UART_PL011

enum { UART_DR = 0x00, UART_FR = 0x18, UART_IMSC = 0x38, UART_MIS = 0x40, UART_ICR = 0x44 };
#define UART_FR_RXFE (1u << 4)
#define UART_INT_RX (1u << 4)
#define UART_INT_RT (1u << 6)
#define RX_TEXT "kairos-rx"
#define RX_WAIT_US 3000000

static struct {
    seL4_CPtr handler, ntfn;
    char got[32];
    volatile int len, interrupts, ready;
} rx;

/* Drains the receive FIFO on each interrupt until the whole text has come. The interrupt is
 * cleared before the FIFO is read: a character that comes after the last read then raises
 * it again, where clearing it afterwards could swallow that character's interrupt (the
 * PL011 raises RX only as the FIFO fills past its trigger level, not for each character). */
static void uart_driver(seL4_Word uart)
{
    rx.ready = 1;
    while (rx.len < (int)sizeof(RX_TEXT) - 1) {
        seL4_Wait(rx.ntfn, NULL);
        rx.interrupts++;
        *reg32(uart, UART_ICR) = UART_INT_RX | UART_INT_RT;
        while (!(*reg32(uart, UART_FR) & UART_FR_RXFE) && rx.len < (int)sizeof(rx.got) - 1) {
            rx.got[rx.len] = (char)*reg32(uart, UART_DR);
            rx.len = rx.len + 1;
        }
        seL4_IRQHandler_Ack(rx.handler);
    }
}

SYSTEST(irq_pl011_receive_interrupt_reaches_a_driver)
{
    if (!threads_begin()) {
        return;
    }
    memset((void *)&rx, 0, sizeof(rx));
    CHECK(device_at("arm,pl011", UART_PADDR));
    seL4_CPtr frame = device_page(UART_PADDR, DEVICE_VADDR(1));
    rx.handler = handler_new(UART_IRQ);
    rx.ntfn = ntfn_new();
    if (frame && rx.handler && rx.ntfn &&
        seL4_IRQHandler_SetNotification(rx.handler, rx.ntfn) == seL4_NoError) {
        seL4_Word uart = DEVICE_VADDR(1);
        struct thread *d = ipc_spawn(uart_driver, uart, PRIO_DRIVER);
        CHECK(d && wait_for(&rx.ready));
        *reg32(uart, UART_IMSC) |= UART_INT_RX;
        printf("FEED irq_pl011_receive_interrupt_reaches_a_driver %s\n", RX_TEXT);
        CHECK(d && root_background_until(&d->finished, RX_WAIT_US));
        *reg32(uart, UART_IMSC) &= ~(UART_INT_RX | UART_INT_RT);
        CHECK_EQ(rx.len, sizeof(RX_TEXT) - 1);
        CHECK(memcmp(rx.got, RX_TEXT, sizeof(RX_TEXT) - 1) == 0);
        CHECK(rx.interrupts >= 1);
    }
    threads_end();
}

#endif

/* ---- SGIs ---------------------------------------------------------------------------------- */

#if PLAT_HAS_SGIS

/* An SGI signal cap raises its SGI when signalled; SGI 5's handler delivers it like any
 * line, and holds back one that comes before the Ack until then. */
SYSTEST(irq_sgi_raised_through_a_signal_cap)
{
    if (!threads_begin()) {
        return;
    }
    seL4_CPtr sgi = slot_alloc();
    seL4_CPtr h = handler_new(5), n = ntfn_new();
    seL4_CPtr badged = n ? cap_mint(n, RIGHTS_ALL, 0x55) : 0;
    if (sgi && h && badged &&
        seL4_IRQControl_IssueSGISignal(seL4_CapIRQControl, 5, 0, ROOT, sgi, ROOT_DEPTH) ==
            seL4_NoError &&
        seL4_IRQHandler_SetNotification(h, badged) == seL4_NoError) {
        seL4_Word badge = 0;
        seL4_Poll(n, &badge);
        CHECK_EQ(badge, 0);
        seL4_Signal(sgi);
        root_spin_us(50);
        seL4_Poll(n, &badge);
        CHECK_EQ(badge, 0x55);
        /* Before the Ack: held back. */
        seL4_Signal(sgi);
        root_spin_us(50);
        badge = 0;
        seL4_Poll(n, &badge);
        CHECK_EQ(badge, 0);
        CHECK_EQ(seL4_IRQHandler_Ack(h), seL4_NoError);
        badge = 0;
        seL4_Poll(n, &badge);
        CHECK_EQ(badge, 0x55);
        CHECK_EQ(seL4_IRQHandler_Ack(h), seL4_NoError);
        badge = 0;
        seL4_Poll(n, &badge);
        CHECK_EQ(badge, 0);
        /* Invoked with any label, a Call gets an empty answer. */
        seL4_MessageInfo_t info = seL4_Call(sgi, seL4_MessageInfo_new(0x77, 0, 0, 0));
        CHECK_EQ(seL4_MessageInfo_get_label(info), 0);
        root_spin_us(50);
        seL4_Poll(n, &badge);
        CHECK_EQ(badge, 0x55);
    }
    threads_end();
}

#endif
