/* BCM2836 ARM-local interrupt controller with the BCM2835 controller behind it (Raspberry Pi
 * 2 and 3): the local one takes this core's generic-timer, mailbox, PMU and local-timer
 * lines and one line from the BCM2835, which gathers the SoC's peripherals. Numbering in
 * bcm2836.h. Neither has priorities, trigger modes, an acknowledge step or SGIs: a line is a
 * level that stays pending until its device is silenced, and the kernel masks it from the
 * time it fires until the handler's Ack. Registers: BCM2836 "QA7" and BCM2835 "ARM
 * peripherals" §7; only core 0's copies are used (the kernel runs on core 0 alone). */
#include "drivers/irq/bcm2836.h"

#include "arch/aarch64/kdev.h"
#include "drivers/irq/irq_controller.h"
#include "platform.h"

/* Where the kernel sees the BCM2835's registers: PLAT_ARMCTRL_OFFSET into the page it maps. */
#define KDEV_ARMCTRL (KDEV_ARMCTRL_PAGE + PLAT_ARMCTRL_OFFSET)

/* ARM-local registers. */
#define LOCAL_GPU_ROUTING 0x0c /* bits 1:0 the core that takes its IRQ, 3:2 its FIQ */
#define LOCAL_PMU_ROUTING_SET 0x10
#define LOCAL_PMU_ROUTING_CLR 0x14
#define LOCAL_TIMER_ROUTING 0x24 /* 0: core 0's IRQ */
#define LOCAL_TIMER_CTL 0x34
#define LOCAL_CNT_CTL 0x40     /* core 0's generic timers: bits 0-3 to IRQ, 4-7 to FIQ */
#define LOCAL_MAILBOX_CTL 0x50 /* core 0's mailboxes: bits 0-3 to IRQ, 4-7 to FIQ */
#define LOCAL_IRQ_SOURCE 0x60  /* core 0: bit n is line n of bcm2836.h */
#define LOCAL_ROUTE_CORE0_IRQ 0u
#define LOCAL_PMU_CORE0_IRQ (1u << 0)
#define LOCAL_PMU_CORE0_FIQ (1u << 4)
#define LOCAL_TIMER_IRQ_ENABLE (1u << 29)
#define LOCAL_NUM_CNT_IRQS 4u
#define LOCAL_SOURCE_MASK ((1u << BCM2836_NUM_LOCAL_IRQS) - 1)

/* BCM2835 registers. Pending 1/2, enable 1/2 and disable 1/2 are pairs a word apart. */
#define ARMCTRL_PENDING_BASIC 0x00
#define ARMCTRL_PENDING_1 0x04
#define ARMCTRL_FIQ_CTL 0x0c
#define ARMCTRL_ENABLE_1 0x10
#define ARMCTRL_ENABLE_BASIC 0x18
#define ARMCTRL_DISABLE_1 0x1c
#define ARMCTRL_DISABLE_BASIC 0x24
#define ARMCTRL_BANK_STRIDE 4u
#define ARMCTRL_FIQ_OFF 0u /* FIQ enable (bit 7) clear */
/* Basic pending bits 0-7 are the basic lines; 8 and 9 summarise pending 1 and 2, and 10-20
 * repeat some GPU lines: both are left out, pending 1 and 2 are read instead. */
#define ARMCTRL_BASIC_MASK ((1u << BCM2836_NUM_BASIC_IRQS) - 1)
#define LINES_PER_BANK 32u
#define NUM_BANKS (BCM2836_NUM_GPU_IRQS / LINES_PER_BANK)

static inline volatile uint32_t *local(uint32_t off)
{
    return (volatile uint32_t *)(KDEV_LOCAL_INTC + off);
}

static inline volatile uint32_t *armctrl(uint32_t off)
{
    return (volatile uint32_t *)(KDEV_ARMCTRL + off);
}

static inline uint32_t lowest_bit(uint32_t bits)
{
    return (uint32_t)__builtin_ctz(bits);
}

/* Read-modify-write of a local control register (the kernel is alone on core 0 with
 * interrupts masked, so nothing changes it in between). */
static void local_update(uint32_t off, uint32_t bits, bool on)
{
    uint32_t v = *local(off);
    *local(off) = on ? v | bits : v & ~bits;
}

void irq_controller_init(void)
{
    /* Every line off until a handler wants it (the kernel timer's until timer_init), no FIQs,
     * and the BCM2835's line and the local timer's to core 0 as IRQs. */
    *armctrl(ARMCTRL_FIQ_CTL) = ARMCTRL_FIQ_OFF;
    *armctrl(ARMCTRL_DISABLE_BASIC) = ~0u;
    for (uint32_t bank = 0; bank < NUM_BANKS; bank++) {
        *armctrl(ARMCTRL_DISABLE_1 + bank * ARMCTRL_BANK_STRIDE) = ~0u;
    }
    *local(LOCAL_GPU_ROUTING) = LOCAL_ROUTE_CORE0_IRQ;
    *local(LOCAL_CNT_CTL) = 0;
    *local(LOCAL_MAILBOX_CTL) = 0;
    *local(LOCAL_PMU_ROUTING_CLR) = LOCAL_PMU_CORE0_IRQ | LOCAL_PMU_CORE0_FIQ;
    *local(LOCAL_TIMER_ROUTING) = LOCAL_ROUTE_CORE0_IRQ;
    local_update(LOCAL_TIMER_CTL, LOCAL_TIMER_IRQ_ENABLE, false);
}

/* The lowest-numbered line that is pending and enabled: the local lines first, then the
 * BCM2835's basic, pending 1 and pending 2 lines. A local source bit is set only while its
 * line is enabled, and the GPU bit only while an enabled BCM2835 line is pending. */
uint32_t irq_claim(void)
{
    uint32_t source = *local(LOCAL_IRQ_SOURCE) & LOCAL_SOURCE_MASK;
    uint32_t own = source & ~(1u << BCM2836_IRQ_GPU);
    if (own) {
        return lowest_bit(own);
    }
    if (!source) {
        return IRQ_NONE;
    }
    uint32_t basic =
        *armctrl(ARMCTRL_PENDING_BASIC) & *armctrl(ARMCTRL_ENABLE_BASIC) & ARMCTRL_BASIC_MASK;
    if (basic) {
        return BCM2836_BASIC_IRQ_OFFSET + lowest_bit(basic);
    }
    for (uint32_t bank = 0; bank < NUM_BANKS; bank++) {
        uint32_t off = bank * ARMCTRL_BANK_STRIDE;
        uint32_t pending = *armctrl(ARMCTRL_PENDING_1 + off) & *armctrl(ARMCTRL_ENABLE_1 + off);
        if (pending) {
            return BCM2836_GPU_IRQ_OFFSET + bank * LINES_PER_BANK + lowest_bit(pending);
        }
    }
    return IRQ_NONE; /* the BCM2835 line fell between the two reads */
}

/* Nothing to end: the lines are levels, and the kernel masks one until its Ack. */
void irq_end(uint32_t irq)
{
    (void)irq;
}

/* Sets or clears the line's enable. The GPU line has none of its own (its lines are enabled
 * one by one), AXI is left unsupported as upstream, and numbers no line has (12-31, 40-63)
 * are accepted and ignored. */
static void set_enabled(uint32_t irq, bool on)
{
    if (irq < LOCAL_NUM_CNT_IRQS) {
        local_update(LOCAL_CNT_CTL, 1u << irq, on);
    } else if (irq >= BCM2836_IRQ_MAILBOX0 && irq < BCM2836_IRQ_MAILBOX0 + BCM2836_NUM_MAILBOXES) {
        local_update(LOCAL_MAILBOX_CTL, 1u << (irq - BCM2836_IRQ_MAILBOX0), on);
    } else if (irq == BCM2836_IRQ_PMU) {
        *local(on ? LOCAL_PMU_ROUTING_SET : LOCAL_PMU_ROUTING_CLR) = LOCAL_PMU_CORE0_IRQ;
    } else if (irq == BCM2836_IRQ_LOCAL_TIMER) {
        local_update(LOCAL_TIMER_CTL, LOCAL_TIMER_IRQ_ENABLE, on);
    } else if (irq >= BCM2836_BASIC_IRQ_OFFSET &&
               irq < BCM2836_BASIC_IRQ_OFFSET + BCM2836_NUM_BASIC_IRQS) {
        *armctrl(on ? ARMCTRL_ENABLE_BASIC : ARMCTRL_DISABLE_BASIC) =
            1u << (irq - BCM2836_BASIC_IRQ_OFFSET);
    } else if (irq >= BCM2836_GPU_IRQ_OFFSET && irq <= BCM2836_MAX_IRQ) {
        uint32_t line = irq - BCM2836_GPU_IRQ_OFFSET;
        uint32_t off = (line / LINES_PER_BANK) * ARMCTRL_BANK_STRIDE;
        *armctrl((on ? ARMCTRL_ENABLE_1 : ARMCTRL_DISABLE_1) + off) = 1u << (line % LINES_PER_BANK);
    }
}

void irq_enable(uint32_t irq)
{
    set_enabled(irq, true);
}

void irq_disable(uint32_t irq)
{
    set_enabled(irq, false);
}

/* The source register alone says it: the GPU bit is set exactly while an enabled BCM2835
 * line is pending. */
bool irq_pending(void)
{
    return (*local(LOCAL_IRQ_SOURCE) & LOCAL_SOURCE_MASK) != 0;
}

const char *irq_controller_name(void)
{
    return "BCM2836";
}

/* No priorities on either controller: the kernel timer's line cannot be put ahead of the
 * others. The kernel masks every user line from the moment it fires until its Ack, so one
 * pending with the timer delays it by one kernel entry at most. */
void irq_set_kernel_priority(uint32_t irq)
{
    (void)irq;
}

/* No trigger configuration: every line is a level. */
void irq_set_trigger(uint32_t irq, bool edge)
{
    (void)irq;
    (void)edge;
}

/* No SGIs: the platform says PLAT_HAS_SGIS 0, so IRQControl issues no SGI signal caps and
 * neither of these is reached. */
void irq_send_sgi(uint32_t sgi, uint64_t target)
{
    (void)sgi;
    (void)target;
}

bool irq_sgi_target_valid(uint64_t target)
{
    (void)target;
    return false;
}
