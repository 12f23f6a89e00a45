/* Boot-core configuration: SCTLR policy, FP/SIMD access, the PMU cycle counter exported
 * to EL0 (benchmarks time themselves with it), EL0 access to the generic counters and the
 * physical timer. */
#include "arch/aarch64/cpu.h"

#include "arch/aarch64/sysreg.h"

#define PMCR_E BIT(0)
#define PMCR_C BIT(2)
#define PMCR_LC BIT(6)
#define PMCNTEN_CYCLES BIT(31)
/* EN, SW, CR, ER: EL0 may read the cycle and event counters. */
#define PMUSERENR_ALL 0xful
#define SCTLR_DZE BIT(14)
#define SCTLR_NTWI BIT(16)
#define SCTLR_NTWE BIT(18)

#define MIDR_PARTNUM_SHIFT 4
#define MIDR_PARTNUM_MASK 0xfffu
#define PART_CORTEX_A53 0xd03u
#define PART_CORTEX_A57 0xd07u
#define PART_CORTEX_A72 0xd08u

void cpu_init(void)
{
    /* SP alignment checks at EL1 and EL0 (a misaligned user SP faults, as on Linux); no
     * data alignment checks; EL0 may read CTR_EL0, do cache maintenance, DC ZVA, WFI/WFE. */
    SYSREG_WRITE(sctlr_el1, SCTLR_RES1 | SCTLR_M | SCTLR_C | SCTLR_I | SCTLR_SA | SCTLR_SA0 |
                                SCTLR_UCT | SCTLR_UCI | SCTLR_DZE | SCTLR_NTWI | SCTLR_NTWE);
    SYSREG_WRITE(cpacr_el1, CPACR_FPEN_NONE);
    SYSREG_WRITE(pmcr_el0, PMCR_E | PMCR_C | PMCR_LC);
    SYSREG_WRITE(pmccfiltr_el0, 0);
    SYSREG_WRITE(pmcntenset_el0, PMCNTEN_CYCLES);
    SYSREG_WRITE(pmuserenr_el0, PMUSERENR_ALL);
    /* The kernel keeps the virtual timer; the physical timer (PPI 30) is user space's,
     * through an IRQ handler for its interrupt. */
    SYSREG_WRITE(cntkctl_el1, CNTKCTL_EL0PCTEN | CNTKCTL_EL0VCTEN | CNTKCTL_EL0PTEN);
    isb();
}

const char *cpu_name(void)
{
    switch ((SYSREG_READ(midr_el1) >> MIDR_PARTNUM_SHIFT) & MIDR_PARTNUM_MASK) {
    case PART_CORTEX_A53:
        return "cortex-a53";
    case PART_CORTEX_A57:
        return "cortex-a57";
    case PART_CORTEX_A72:
        return "cortex-a72";
    default:
        return "unknown";
    }
}

unsigned int cpu_pa_bits(void)
{
    return pa_bits_from_parange(SYSREG_READ(id_aa64mmfr0_el1) & MMFR0_PARANGE_MASK);
}
