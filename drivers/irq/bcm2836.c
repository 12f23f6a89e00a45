/* BCM2836 ARM-local interrupt controller with the BCM2835 controller behind it (Raspberry Pi
 * 2 and 3): the local one takes this core's generic-timer, mailbox and PMU lines and one line
 * from the BCM2835, which gathers the SoC's peripherals. Numbering in bcm2836.h. Neither has
 * priorities, trigger modes, an acknowledge step or SGIs: a line is level-sensitive and stays
 * pending until its device is silenced, and the kernel masks it until the handler's Ack. */
#include "drivers/irq/bcm2836.h"

#include "arch/aarch64/kdev.h"
#include "drivers/irq/irq_controller.h"
#include "platform.h"

/* ARM-local registers (core 0's copies). */
#define LOCAL_GPU_ROUTING 0x0c
#define LOCAL_PMU_ROUTING_SET 0x10
#define LOCAL_PMU_ROUTING_CLR 0x14
#define LOCAL_TIMER_CTL 0x40
#define LOCAL_MAILBOX_CTL 0x50
#define LOCAL_IRQ_SOURCE 0x60
#define LOCAL_PMU_CORE0_IRQ 1u
#define LOCAL_TIMER_LINES 4u
#define LOCAL_LINES 32u

/* BCM2835 registers, PLAT_ARMCTRL_OFFSET into their page. */
#define ARMCTRL_PENDING_BASIC 0x00
#define ARMCTRL_PENDING_1 0x04
#define ARMCTRL_PENDING_2 0x08
#define ARMCTRL_FIQ_CTL 0x0c
#define ARMCTRL_ENABLE_1 0x10
#define ARMCTRL_ENABLE_BASIC 0x18
#define ARMCTRL_DISABLE_1 0x1c
#define ARMCTRL_DISABLE_BASIC 0x24
/* Enable/disable 2 follow 1 by a word; pending 2 follows pending 1 likewise. */
#define ARMCTRL_BANK_STRIDE 4
#define ARMCTRL_BASIC_MASK ((1u << BCM2836_NUM_BASIC_IRQS) - 1)
#define LINES_PER_BANK 32u

static inline volatile uint32_t *local(uint32_t off)
{
    return (volatile uint32_t *)(KDEV_LOCAL_INTC + off);
}

static inline volatile uint32_t *armctrl(uint32_t off)
{
    return (volatile uint32_t *)(KDEV_ARMCTRL_PAGE + PLAT_ARMCTRL_OFFSET + off);
}

static inline uint32_t lowest_bit(uint32_t bits)
{
    return (uint32_t)__builtin_ctz(bits);
}

void irq_controller_init(void)
{
    /* Every BCM2835 line off until a handler wants it; their summary line goes to core 0
     * as an IRQ (routing 0: IRQ and FIQ to core 0, and nothing uses FIQ). */
    *armctrl(ARMCTRL_FIQ_CTL) = 0;
    *armctrl(ARMCTRL_DISABLE_BASIC) = ~0u;
    *armctrl(ARMCTRL_DISABLE_1) = ~0u;
    *armctrl(ARMCTRL_DISABLE_1 + ARMCTRL_BANK_STRIDE) = ~0u;
    *local(LOCAL_GPU_ROUTING) = 0;
    *local(LOCAL_TIMER_CTL) = 0;
    *local(LOCAL_MAILBOX_CTL) = 0;
    *local(LOCAL_PMU_ROUTING_CLR) = LOCAL_PMU_CORE0_IRQ;
}

/* The lowest-numbered line that is pending and enabled: local lines first, then the
 * BCM2835's basic, bank 1 and bank 2 lines. */
uint32_t irq_claim(void)
{
    uint32_t source = *local(LOCAL_IRQ_SOURCE) & ~(1u << BCM2836_IRQ_GPU);
    if (source) {
        return lowest_bit(source);
    }
    if (!(*local(LOCAL_IRQ_SOURCE) & (1u << BCM2836_IRQ_GPU))) {
        return IRQ_NONE;
    }
    uint32_t basic =
        *armctrl(ARMCTRL_PENDING_BASIC) & *armctrl(ARMCTRL_ENABLE_BASIC) & ARMCTRL_BASIC_MASK;
    if (basic) {
        return BCM2836_BASIC_IRQ_OFFSET + lowest_bit(basic);
    }
    for (uint32_t bank = 0; bank < BCM2836_NUM_GPU_IRQS / LINES_PER_BANK; bank++) {
        uint32_t off = bank * ARMCTRL_BANK_STRIDE;
        uint32_t pending = *armctrl(ARMCTRL_PENDING_1 + off) & *armctrl(ARMCTRL_ENABLE_1 + off);
        if (pending) {
            return BCM2836_GPU_IRQ_OFFSET + bank * LINES_PER_BANK + lowest_bit(pending);
        }
    }
    return IRQ_NONE;
}

/* Nothing to end: the lines are levels, and the kernel masks one until its Ack. */
void irq_end(uint32_t irq)
{
    (void)irq;
}

/* Sets or clears the line's enable. The GPU summary line and lines this controller does not
 * have (the local timer, 10 and 12-31, 40-63) have no enable of their own: left alone. */
static void set_enabled(uint32_t irq, bool on)
{
    if (irq < LOCAL_TIMER_LINES) {
        uint32_t ctl = *local(LOCAL_TIMER_CTL);
        *local(LOCAL_TIMER_CTL) = on ? ctl | (1u << irq) : ctl & ~(1u << irq);
    } else if (irq >= BCM2836_IRQ_MAILBOX0 && irq < BCM2836_IRQ_MAILBOX0 + BCM2836_NUM_MAILBOXES) {
        uint32_t bit = 1u << (irq - BCM2836_IRQ_MAILBOX0);
        uint32_t ctl = *local(LOCAL_MAILBOX_CTL);
        *local(LOCAL_MAILBOX_CTL) = on ? ctl | bit : ctl & ~bit;
    } else if (irq == BCM2836_IRQ_PMU) {
        *local(on ? LOCAL_PMU_ROUTING_SET : LOCAL_PMU_ROUTING_CLR) = LOCAL_PMU_CORE0_IRQ;
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

bool irq_pending(void)
{
    return *local(LOCAL_IRQ_SOURCE) != 0;
}

const char *irq_controller_name(void)
{
    return "BCM2836";
}

/* No priorities: the kernel timer's line cannot be put ahead of others, but the kernel
 * masks every user line from the moment it fires until its Ack, so none can keep the timer
 * waiting for more than one kernel entry. */
void irq_set_kernel_priority(uint32_t irq)
{
    (void)irq;
}

/* Every line is level-sensitive; there is no edge mode to choose. */
void irq_set_trigger(uint32_t irq, bool edge)
{
    (void)irq;
    (void)edge;
}

/* No SGIs (PLAT_HAS_SGIS is 0, so the kernel never issues an SGI cap). */
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
