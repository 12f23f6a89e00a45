/* sel4/arch/types.h — AArch64/ARM data types: cptr names, VM attributes, cache types, the SMC
 * argument block and seL4_UserContext (ABI page §1.3, §4.3). Host-compilable. */
#pragma once

#include <stddef.h>

#include <sel4/macros.h>
#include <sel4/simple_types.h>

typedef seL4_CPtr seL4_ARM_Page;
typedef seL4_CPtr seL4_ARM_PageTable;
typedef seL4_CPtr seL4_ARM_PageDirectory;
typedef seL4_CPtr seL4_ARM_PageUpperDirectory;
typedef seL4_CPtr seL4_ARM_PageGlobalDirectory;
typedef seL4_CPtr seL4_ARM_VSpace;
typedef seL4_CPtr seL4_ARM_ASIDControl;
typedef seL4_CPtr seL4_ARM_ASIDPool;
typedef seL4_CPtr seL4_ARM_VCPU;
typedef seL4_CPtr seL4_ARM_IOSpace;
typedef seL4_CPtr seL4_ARM_IOPageTable;
typedef seL4_CPtr seL4_ARM_SMC;
typedef seL4_CPtr seL4_ARM_SIDControl;
typedef seL4_CPtr seL4_ARM_SID;
typedef seL4_CPtr seL4_ARM_CBControl;
typedef seL4_CPtr seL4_ARM_CB;

/* The attr argument of ARM_Page_Map / ARM_PageTable_Map. */
typedef enum {
    seL4_ARM_PageCacheable = 0x01,
    seL4_ARM_ParityEnabled = 0x02,
    seL4_ARM_Default_VMAttributes = 0x03,
    seL4_ARM_ExecuteNever = 0x04,
    SEL4_FORCE_LONG_ENUM(seL4_ARM_VMAttributes),
} seL4_ARM_VMAttributes;

/* The cache_type argument of seL4_BenchmarkFlushL1Caches. */
typedef enum {
    seL4_ARM_CacheI = 1,
    seL4_ARM_CacheD = 2,
    seL4_ARM_CacheID = 3,
    SEL4_FORCE_LONG_ENUM(seL4_ARM_CacheType),
} seL4_ARM_CacheType;

/* x0..x7 of an SMC made on the caller's behalf by seL4_ARM_SMC_Call, and its results. */
typedef struct seL4_ARM_SMCContext_ {
    seL4_Word x0, x1, x2, x3, x4, x5, x6, x7;
} seL4_ARM_SMCContext;

/* A thread's registers as TCB_ReadRegisters/WriteRegisters transfer them. The order is the
 * message-register order: the "frame" registers (pc .. x30) first, then the "gp" ones. */
typedef struct seL4_UserContext_ {
    seL4_Word pc, sp, spsr, x0, x1, x2, x3, x4, x5, x6, x7, x8, x16, x17, x18, x29, x30;
    seL4_Word x9, x10, x11, x12, x13, x14, x15, x19, x20, x21, x22, x23, x24, x25, x26, x27, x28;
    seL4_Word tpidr_el0, tpidrro_el0;
} seL4_UserContext;

#define SEL4_USERCONTEXT_FRAME_REGS 17
#define SEL4_USERCONTEXT_GP_REGS 19

SEL4_COMPILE_ASSERT(smc_context_is_8_words, sizeof(seL4_ARM_SMCContext) == 8 * sizeof(seL4_Word));
SEL4_COMPILE_ASSERT(user_context_is_288_bytes, sizeof(seL4_UserContext) == 288);
SEL4_COMPILE_ASSERT(user_context_is_frame_plus_gp,
                    sizeof(seL4_UserContext) ==
                        (SEL4_USERCONTEXT_FRAME_REGS + SEL4_USERCONTEXT_GP_REGS) *
                            sizeof(seL4_Word));
SEL4_COMPILE_ASSERT(uc_pc_at_0, offsetof(seL4_UserContext, pc) == 0);
SEL4_COMPILE_ASSERT(uc_sp_at_8, offsetof(seL4_UserContext, sp) == 8);
SEL4_COMPILE_ASSERT(uc_spsr_at_16, offsetof(seL4_UserContext, spsr) == 16);
SEL4_COMPILE_ASSERT(uc_x0_at_24, offsetof(seL4_UserContext, x0) == 24);
SEL4_COMPILE_ASSERT(uc_x8_at_88, offsetof(seL4_UserContext, x8) == 88);
SEL4_COMPILE_ASSERT(uc_x16_at_96, offsetof(seL4_UserContext, x16) == 96);
SEL4_COMPILE_ASSERT(uc_x17_at_104, offsetof(seL4_UserContext, x17) == 104);
SEL4_COMPILE_ASSERT(uc_x18_at_112, offsetof(seL4_UserContext, x18) == 112);
SEL4_COMPILE_ASSERT(uc_x29_at_120, offsetof(seL4_UserContext, x29) == 120);
SEL4_COMPILE_ASSERT(uc_x30_at_128, offsetof(seL4_UserContext, x30) == 128);
SEL4_COMPILE_ASSERT(uc_x9_at_136, offsetof(seL4_UserContext, x9) == 136);
SEL4_COMPILE_ASSERT(uc_x15_at_184, offsetof(seL4_UserContext, x15) == 184);
SEL4_COMPILE_ASSERT(uc_x19_at_192, offsetof(seL4_UserContext, x19) == 192);
SEL4_COMPILE_ASSERT(uc_x28_at_264, offsetof(seL4_UserContext, x28) == 264);
SEL4_COMPILE_ASSERT(uc_tpidr_el0_at_272, offsetof(seL4_UserContext, tpidr_el0) == 272);
SEL4_COMPILE_ASSERT(uc_tpidrro_el0_at_280, offsetof(seL4_UserContext, tpidrro_el0) == 280);
