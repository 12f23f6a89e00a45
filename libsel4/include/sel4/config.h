/* sel4/config.h — the kernel configuration this libsel4 is built for (ABI page §7):
 * AArch64, MCS, uniprocessor, qemu-arm-virt-like. Values user code may test with #ifdef. */
#pragma once

/* Each value can be overridden by a build that knows better; the layout checks in the
 * other headers catch an override that would break binary compatibility. */
#ifndef CONFIG_KERNEL_MCS
#define CONFIG_KERNEL_MCS 1
#endif
#ifndef CONFIG_ARCH_ARM
#define CONFIG_ARCH_ARM 1
#endif
#ifndef CONFIG_ARCH_AARCH64
#define CONFIG_ARCH_AARCH64 1
#endif
#ifndef CONFIG_WORD_SIZE
#define CONFIG_WORD_SIZE 64
#endif
#ifndef CONFIG_MAX_NUM_NODES
#define CONFIG_MAX_NUM_NODES 1
#endif
#ifndef CONFIG_NUM_DOMAINS
#define CONFIG_NUM_DOMAINS 1
#endif
#ifndef CONFIG_NUM_PRIORITIES
#define CONFIG_NUM_PRIORITIES 256
#endif
#ifndef CONFIG_RETYPE_FAN_OUT_LIMIT
#define CONFIG_RETYPE_FAN_OUT_LIMIT 256
#endif
#ifndef CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS
#define CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS 230
#endif
