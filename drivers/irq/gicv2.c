/* GICv2 driver: distributor plus memory-mapped CPU interface (QEMU virt gic-version=2). */
#include "drivers/irq/irq_controller.h"
#include "arch/aarch64/kdev.h"

#define GICD_CTLR 0x000
#define GICD_TYPER 0x004
#define GICD_ISENABLER 0x100
#define GICD_ICENABLER 0x180
#define GICD_ICPENDR 0x280
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR 0x800
#define GICD_ICFGR 0xc00
#define GICD_SGIR 0xf00
#define GICD_SGIR_TARGET_SHIFT 16
#define GICV2_SGI_TARGETS 8u
#define ICFGR_IRQS_PER_WORD 16u
#define ICFGR_EDGE_BIT 2u /* the upper bit of each 2-bit field */
#define GICD_CTLR_ENABLE 1u
#define GICD_TYPER_LINES_MASK 0x1fu
#define GICD_TARGET_CPU0 0x01u
#define GICC_CTLR 0x000
#define GICC_PMR 0x004
#define GICC_BPR 0x008
#define GICC_IAR 0x00c
#define GICC_EOIR 0x010
#define GICC_HPPIR 0x018
#define GICC_CTLR_ENABLE 1u
#define GIC_INTID_MASK 0x3ffu
#define IRQS_PER_WORD 32u

static inline volatile uint32_t *gicd(uint32_t off) { return (volatile uint32_t *)(KDEV_GICD + off); }
static inline volatile uint32_t *gicc(uint32_t off) { return (volatile uint32_t *)(KDEV_GICC + off); }
static inline volatile uint8_t *gicd8(uint32_t off) { return (volatile uint8_t *)(KDEV_GICD + off); }

/* The full IAR value goes back in EOIR (it carries the source CPU of SGIs). */
static uint32_t last_iar;

void irq_controller_init(void)
{
    *gicd(GICD_CTLR) = 0;
    uint32_t lines = ((*gicd(GICD_TYPER) & GICD_TYPER_LINES_MASK) + 1) * IRQS_PER_WORD;
    for (uint32_t i = 0; i < lines; i += IRQS_PER_WORD) {
        *gicd(GICD_ICENABLER + i / 8) = ~0u;
        *gicd(GICD_ICPENDR + i / 8) = ~0u;
    }
    for (uint32_t i = 0; i < lines; i++) {
        *gicd8(GICD_IPRIORITYR + i) = GIC_PRIORITY_DEFAULT;
        if (i >= GIC_FIRST_SPI) {
            *gicd8(GICD_ITARGETSR + i) = GICD_TARGET_CPU0;
        }
    }
    *gicd(GICD_CTLR) = GICD_CTLR_ENABLE;
    *gicc(GICC_PMR) = GIC_PMR_ALLOW_ALL;
    *gicc(GICC_BPR) = 0;
    *gicc(GICC_CTLR) = GICC_CTLR_ENABLE;
}

uint32_t irq_claim(void)
{
    last_iar = *gicc(GICC_IAR);
    uint32_t irq = last_iar & GIC_INTID_MASK;
    return irq >= GIC_INTID_SPECIAL_FIRST ? IRQ_NONE : irq;
}

void irq_end(uint32_t irq)
{
    (void)irq;
    *gicc(GICC_EOIR) = last_iar;
}

void irq_enable(uint32_t irq)
{
    *gicd(GICD_ISENABLER + (irq / IRQS_PER_WORD) * 4) = 1u << (irq % IRQS_PER_WORD);
}

void irq_disable(uint32_t irq)
{
    *gicd(GICD_ICENABLER + (irq / IRQS_PER_WORD) * 4) = 1u << (irq % IRQS_PER_WORD);
}

bool irq_pending(void)
{
    return (*gicc(GICC_HPPIR) & GIC_INTID_MASK) < GIC_INTID_SPECIAL_FIRST;
}

const char *irq_controller_name(void)
{
    return "GICv2";
}

void irq_set_kernel_priority(uint32_t irq)
{
    *gicd8(GICD_IPRIORITYR + irq) = GIC_PRIORITY_KERNEL;
}

void irq_set_trigger(uint32_t irq, bool edge)
{
    if (irq < GIC_NUM_SGIS) {
        return;
    }
    volatile uint32_t *cfg = gicd(GICD_ICFGR + (irq / ICFGR_IRQS_PER_WORD) * 4);
    uint32_t bit = ICFGR_EDGE_BIT << ((irq % ICFGR_IRQS_PER_WORD) * 2);
    *cfg = edge ? (*cfg | bit) : (*cfg & ~bit);
}

bool irq_sgi_target_valid(uint64_t target)
{
    return target < GICV2_SGI_TARGETS;
}

void irq_send_sgi(uint32_t sgi, uint64_t target)
{
    /* TargetListFilter 0: exactly the CPUs in the list. */
    *gicd(GICD_SGIR) = (1u << (GICD_SGIR_TARGET_SHIFT + (uint32_t)target)) | sgi;
}
