/* Per-core set-up of what user space may use: FP/SIMD, PMU cycle counter, counters. */
#ifndef ARCH_CPU_H
#define ARCH_CPU_H

#include <stdint.h>

void cpu_init(void);
const char *cpu_name(void);
unsigned int cpu_pa_bits(void);
void machine_poweroff(int status) __attribute__((noreturn));

#endif
