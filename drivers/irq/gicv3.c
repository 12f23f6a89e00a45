/* GICv3 driver: distributor, this core's redistributor and the ICC_* system-register CPU
 * interface (QEMU virt gic-version=3). Group 1 non-secure interrupts only. */
#include "drivers/irq/irq_controller.h"
#include "arch/aarch64/kdev.h"
#include "arch/aarch64/sysreg.h"

#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_ICPENDR 0x0280
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR 0x0c00
#define GICD_IROUTER 0x6000
#define GICD_CTLR_RWP (1u << 31)
#define GICD_CTLR_ENABLE_G1NS_ARE (0x13u)
#define GICD_TYPER_LINES_MASK 0x1fu
#define GICR_WAKER 0x0014
#define GICR_WAKER_PROCESSOR_SLEEP (1u << 1)
#define GICR_WAKER_CHILDREN_ASLEEP (1u << 2)
#define GICR_SGI_BASE 0x10000
#define GICR_IGROUPR0 (GICR_SGI_BASE + 0x0080)
#define GICR_ISENABLER0 (GICR_SGI_BASE + 0x0100)
#define GICR_ICENABLER0 (GICR_SGI_BASE + 0x0180)
#define GICR_IPRIORITYR (GICR_SGI_BASE + 0x0400)
#define GICR_ICFGR1 (GICR_SGI_BASE + 0x0c04)
#define ICFGR_IRQS_PER_WORD 16u
#define ICFGR_EDGE_BIT 2u
/* ICC_SGI1R_EL1: TargetList 15..0 (Aff0 of the targets), Aff1 23..16, INTID 27..24,
 * Aff2 39..32, Aff3 55..48. */
#define SGI1R_INTID_SHIFT 24
#define SGI1R_AFF1_SHIFT 16
#define SGI1R_AFF2_SHIFT 32
#define SGI1R_AFF3_SHIFT 48
#define SGI1R_TARGET_LIST_BITS 16u
#define AFF_BITS 8u
#define AFF_MASK 0xffu
#define SGI_TARGET_BITS 32u
#define ICC_SRE_ENABLE 1u
#define GIC_INTID_MASK 0xffffffu
#define IRQS_PER_WORD 32u

#define ICC_SRE_EL1 S3_0_C12_C12_5
#define ICC_PMR_EL1 S3_0_C4_C6_0
#define ICC_BPR1_EL1 S3_0_C12_C12_3
#define ICC_CTLR_EL1 S3_0_C12_C12_4
#define ICC_IGRPEN1_EL1 S3_0_C12_C12_7
#define ICC_IAR1_EL1 S3_0_C12_C12_0
#define ICC_EOIR1_EL1 S3_0_C12_C12_1
#define ICC_HPPIR1_EL1 S3_0_C12_C12_2
#define ICC_SGI1R_EL1 S3_0_C12_C11_5
#define SYSREG_READ_(r) SYSREG_READ(r)
#define SYSREG_WRITE_(r, v) SYSREG_WRITE(r, v)

static inline volatile uint32_t *gicd(uint32_t off) { return (volatile uint32_t *)(KDEV_GICD + off); }
static inline volatile uint32_t *gicr(uint32_t off) { return (volatile uint32_t *)(KDEV_GICR + off); }

static void gicd_wait_rwp(void)
{
    while (*gicd(GICD_CTLR) & GICD_CTLR_RWP) {
    }
}

void irq_controller_init(void)
{
    *gicd(GICD_CTLR) = 0;
    gicd_wait_rwp();
    uint32_t lines = ((*gicd(GICD_TYPER) & GICD_TYPER_LINES_MASK) + 1) * IRQS_PER_WORD;
    for (uint32_t i = GIC_FIRST_SPI; i < lines; i += IRQS_PER_WORD) {
        *gicd(GICD_IGROUPR + i / 8) = ~0u;
        *gicd(GICD_ICENABLER + i / 8) = ~0u;
        *gicd(GICD_ICPENDR + i / 8) = ~0u;
    }
    for (uint32_t i = GIC_FIRST_SPI; i < lines; i++) {
        *((volatile uint8_t *)gicd(GICD_IPRIORITYR) + i) = GIC_PRIORITY_DEFAULT;
        /* Route to affinity 0.0.0.0: the boot core. */
        *(volatile uint64_t *)(KDEV_GICD + GICD_IROUTER + 8ul * i) = 0;
    }
    *gicd(GICD_CTLR) = GICD_CTLR_ENABLE_G1NS_ARE;
    gicd_wait_rwp();

    *gicr(GICR_WAKER) &= ~GICR_WAKER_PROCESSOR_SLEEP;
    while (*gicr(GICR_WAKER) & GICR_WAKER_CHILDREN_ASLEEP) {
    }
    *gicr(GICR_IGROUPR0) = ~0u;
    *gicr(GICR_ICENABLER0) = ~0u;
    for (uint32_t i = 0; i < GIC_FIRST_SPI; i++) {
        *((volatile uint8_t *)gicr(GICR_IPRIORITYR) + i) = GIC_PRIORITY_DEFAULT;
    }

    SYSREG_WRITE_(ICC_SRE_EL1, SYSREG_READ_(ICC_SRE_EL1) | ICC_SRE_ENABLE);
    isb();
    SYSREG_WRITE_(ICC_PMR_EL1, GIC_PMR_ALLOW_ALL);
    SYSREG_WRITE_(ICC_BPR1_EL1, 0);
    SYSREG_WRITE_(ICC_CTLR_EL1, 0);
    SYSREG_WRITE_(ICC_IGRPEN1_EL1, 1);
    isb();
}

uint32_t irq_claim(void)
{
    uint32_t irq = (uint32_t)SYSREG_READ_(ICC_IAR1_EL1) & GIC_INTID_MASK;
    return irq >= GIC_INTID_SPECIAL_FIRST && irq < GIC_INTID_SPECIAL_END ? IRQ_NONE : irq;
}

void irq_end(uint32_t irq)
{
    SYSREG_WRITE_(ICC_EOIR1_EL1, irq);
    isb();
}

void irq_enable(uint32_t irq)
{
    if (irq < GIC_FIRST_SPI) {
        *gicr(GICR_ISENABLER0) = 1u << irq;
    } else {
        *gicd(GICD_ISENABLER + (irq / IRQS_PER_WORD) * 4) = 1u << (irq % IRQS_PER_WORD);
    }
}

void irq_disable(uint32_t irq)
{
    if (irq < GIC_FIRST_SPI) {
        *gicr(GICR_ICENABLER0) = 1u << irq;
    } else {
        *gicd(GICD_ICENABLER + (irq / IRQS_PER_WORD) * 4) = 1u << (irq % IRQS_PER_WORD);
    }
}

bool irq_pending(void)
{
    uint32_t irq = (uint32_t)SYSREG_READ_(ICC_HPPIR1_EL1) & GIC_INTID_MASK;
    return irq < GIC_INTID_SPECIAL_FIRST;
}

const char *irq_controller_name(void)
{
    return "GICv3";
}

void irq_set_kernel_priority(uint32_t irq)
{
    volatile uint8_t *prio = irq < GIC_FIRST_SPI ? (volatile uint8_t *)gicr(GICR_IPRIORITYR)
                                                 : (volatile uint8_t *)gicd(GICD_IPRIORITYR);
    prio[irq] = GIC_PRIORITY_KERNEL;
}

void irq_set_trigger(uint32_t irq, bool edge)
{
    if (irq < GIC_NUM_SGIS) {
        return;
    }
    volatile uint32_t *cfg = irq < GIC_FIRST_SPI
                                 ? gicr(GICR_ICFGR1)
                                 : gicd(GICD_ICFGR + (irq / ICFGR_IRQS_PER_WORD) * 4);
    uint32_t bit = ICFGR_EDGE_BIT << ((irq % ICFGR_IRQS_PER_WORD) * 2);
    *cfg = edge ? (*cfg | bit) : (*cfg & ~bit);
}

bool irq_sgi_target_valid(uint64_t target)
{
    /* Aff3.Aff2.Aff1.Aff0, each a byte; Aff0 must fit the 16-bit target list. */
    return target < (1ull << SGI_TARGET_BITS) && (target & AFF_MASK) < SGI1R_TARGET_LIST_BITS;
}

void irq_send_sgi(uint32_t sgi, uint64_t target)
{
    uint64_t aff0 = target & AFF_MASK, aff1 = (target >> AFF_BITS) & AFF_MASK;
    uint64_t aff2 = (target >> (2 * AFF_BITS)) & AFF_MASK, aff3 = (target >> (3 * AFF_BITS)) & AFF_MASK;
    uint64_t v = ((uint64_t)sgi << SGI1R_INTID_SHIFT) | (aff1 << SGI1R_AFF1_SHIFT) |
                 (aff2 << SGI1R_AFF2_SHIFT) | (aff3 << SGI1R_AFF3_SHIFT) | (1ull << aff0);
    SYSREG_WRITE_(ICC_SGI1R_EL1, v);
    isb();
}
