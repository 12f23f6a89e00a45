/* memzero: DC ZVA clears a whole block (DCZID_EL0.BS) per instruction, far faster than
 * stores, which matters when boot clears all free RAM and resets clear untypeds. */
#include "arch/aarch64/memzero.h"

#include <stdint.h>

#include "arch/aarch64/sysreg.h"
#include "lib/string.h"

#define DCZID_BS_MASK 0xful
#define DCZID_DZP BIT(4)
#define DCZID_WORD_BYTES 4

void memzero(void *p, size_t n)
{
    uint64_t dczid = SYSREG_READ(dczid_el0);
    uintptr_t a = (uintptr_t)p, end = a + n;
    if (dczid & DCZID_DZP) {
        memset(p, 0, n);
        return;
    }
    uintptr_t block = (uintptr_t)DCZID_WORD_BYTES << (dczid & DCZID_BS_MASK);
    uintptr_t first = (a + block - 1) & ~(block - 1), last = end & ~(block - 1);
    if (first >= last) {
        memset(p, 0, n);
        return;
    }
    memset(p, 0, first - a);
    for (uintptr_t b = first; b < last; b += block) {
        __asm__ volatile("dc zva, %0" ::"r"(b) : "memory");
    }
    memset((void *)last, 0, end - last);
}
