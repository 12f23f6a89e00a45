/* Zeroing normal memory fast (DC ZVA where the core allows it). */
#ifndef ARCH_MEMZERO_H
#define ARCH_MEMZERO_H

#include <stddef.h>

void memzero(void *p, size_t n);

#endif
