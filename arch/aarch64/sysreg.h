/* AArch64 system-register access and the bit fields Kairos programs; shared by the
 * loader and the kernel. */
#ifndef ARCH_SYSREG_H
#define ARCH_SYSREG_H

#include <stdint.h>

#define SYSREG_READ(name)                                             \
    ({                                                                \
        uint64_t v_;                                                  \
        __asm__ volatile("mrs %0, " #name : "=r"(v_));                \
        v_;                                                           \
    })
#define SYSREG_WRITE(name, val) __asm__ volatile("msr " #name ", %0" ::"r"((uint64_t)(val)))

static inline void isb(void) { __asm__ volatile("isb" ::: "memory"); }
static inline void dsb_sy(void) { __asm__ volatile("dsb sy" ::: "memory"); }
static inline void dsb_ish(void) { __asm__ volatile("dsb ish" ::: "memory"); }

#define BIT(n) (1ul << (n))
#define MASK(n) (BIT(n) - 1ul)

/* SCTLR_EL1 */
#define SCTLR_M BIT(0)
#define SCTLR_A BIT(1)
#define SCTLR_C BIT(2)
#define SCTLR_SA BIT(3)
#define SCTLR_SA0 BIT(4)
#define SCTLR_I BIT(12)
#define SCTLR_UCT BIT(15)
#define SCTLR_UCI BIT(26)
/* Bits that read as one in every SCTLR_EL1 the kernel writes (RES1 in ARMv8.0). */
#define SCTLR_RES1 (BIT(11) | BIT(20) | BIT(22) | BIT(23) | BIT(28) | BIT(29))

/* MAIR_EL1 attribute indexes; the same meaning as upstream's elfloader (ABI §6.1). */
#define MAIR_IDX_DEVICE_nGnRnE 0
#define MAIR_IDX_DEVICE_nGnRE 1
#define MAIR_IDX_DEVICE_GRE 2
#define MAIR_IDX_NORMAL_NC 3
#define MAIR_IDX_NORMAL 4
#define MAIR_IDX_NORMAL_WT 5
#define MAIR_VALUE                                                                  \
    ((0x00ul << (8 * MAIR_IDX_DEVICE_nGnRnE)) | (0x04ul << (8 * MAIR_IDX_DEVICE_nGnRE)) | \
     (0x0cul << (8 * MAIR_IDX_DEVICE_GRE)) | (0x44ul << (8 * MAIR_IDX_NORMAL_NC)) |     \
     (0xfful << (8 * MAIR_IDX_NORMAL)) | (0xbbul << (8 * MAIR_IDX_NORMAL_WT)))

/* TCR_EL1: 48-bit VA both halves, 4 KiB granules, write-back walks, 16-bit ASIDs. */
#define TCR_T0SZ(n) ((uint64_t)(n) << 0)
#define TCR_IRGN0_WBWA (1ul << 8)
#define TCR_ORGN0_WBWA (1ul << 10)
#define TCR_SH0_INNER (3ul << 12)
#define TCR_TG0_4K (0ul << 14)
#define TCR_T1SZ(n) ((uint64_t)(n) << 16)
#define TCR_IRGN1_WBWA (1ul << 24)
#define TCR_ORGN1_WBWA (1ul << 26)
#define TCR_SH1_INNER (3ul << 28)
#define TCR_TG1_4K (2ul << 30)
#define TCR_IPS_SHIFT 32
#define TCR_AS16 BIT(36)
#define VA_BITS 48
#define TCR_VALUE_NO_IPS                                                                  \
    (TCR_T0SZ(64 - VA_BITS) | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | TCR_SH0_INNER | TCR_TG0_4K | \
     TCR_T1SZ(64 - VA_BITS) | TCR_IRGN1_WBWA | TCR_ORGN1_WBWA | TCR_SH1_INNER | TCR_TG1_4K | \
     TCR_AS16)

/* ID_AA64MMFR0_EL1.PARange: encoding → physical address bits. */
#define MMFR0_PARANGE_MASK 0xful
static inline unsigned int pa_bits_from_parange(uint64_t parange)
{
    static const unsigned char bits[] = {32, 36, 40, 42, 44, 48, 52};
    return parange < sizeof(bits) ? bits[parange] : 48;
}

/* Translation-table descriptors (4 KiB granule). */
#define PTE_VALID BIT(0)
#define PTE_TABLE (BIT(0) | BIT(1))
#define PTE_BLOCK BIT(0)
#define PTE_PAGE (BIT(0) | BIT(1))
#define PTE_ATTR(idx) ((uint64_t)(idx) << 2)
#define PTE_AP_EL0 BIT(6)
#define PTE_AP_RO BIT(7)
#define PTE_SH_INNER (3ul << 8)
#define PTE_AF BIT(10)
#define PTE_NG BIT(11)
#define PTE_PXN BIT(53)
#define PTE_UXN BIT(54)
#define PTE_ADDR_MASK (MASK(48) & ~MASK(12))

#define PT_ENTRIES 512
#define PT_INDEX_BITS 9
#define PAGE_BITS 12
#define PAGE_SIZE (1ul << PAGE_BITS)
#define L0_SHIFT 39
#define L1_SHIFT 30
#define L2_SHIFT 21
#define L3_SHIFT 12
#define PT_INDEX(va, shift) (((va) >> (shift)) & MASK(PT_INDEX_BITS))

/* ESR_EL1 */
#define ESR_EC_SHIFT 26
#define ESR_EC_MASK 0x3ful
#define ESR_EC_UNKNOWN 0x00
#define ESR_EC_FP_ACCESS 0x07
#define ESR_EC_SVC64 0x15
#define ESR_EC_IABT_LOWER 0x20
#define ESR_EC_IABT_CURRENT 0x21
#define ESR_EC_PC_ALIGN 0x22
#define ESR_EC_DABT_LOWER 0x24
#define ESR_EC_DABT_CURRENT 0x25
#define ESR_EC_SP_ALIGN 0x26
#define ESR_EC_BRK64 0x3c
#define ESR_EC(esr) (((esr) >> ESR_EC_SHIFT) & ESR_EC_MASK)

/* SPSR_EL1 / DAIF */
#define SPSR_MODE_EL0t 0x0ul
#define SPSR_MODE_EL1h 0x5ul
#define SPSR_F BIT(6)
#define SPSR_I BIT(7)
#define SPSR_A BIT(8)
#define SPSR_D BIT(9)

/* CPACR_EL1.FPEN: no FP/SIMD traps at EL0 or EL1. */
#define CPACR_FPEN_NONE (3ul << 20)

/* CNTKCTL_EL1: EL0 may read the physical and virtual counters, and program the physical
 * timer (CNTP_CTL/CVAL/TVAL: upstream's KernelArmExportPCNTUser and ...PTMRUser). */
#define CNTKCTL_EL0PCTEN BIT(0)
#define CNTKCTL_EL0VCTEN BIT(1)
#define CNTKCTL_EL0PTEN BIT(9)

#endif
