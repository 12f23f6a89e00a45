/* kairos/stdio.h — formatted console output for Kairos user programs, written through
 * seL4_DebugPutChar (so it needs a kernel with the debug system calls). */
#pragma once

#include <stdarg.h>
#include <stddef.h>

/* Conversions: d i u x X o c s p %. Flags: - 0 + space #. Width and precision, also as *.
 * Length modifiers: hh h l ll z j t. No floating point. */
int printf(const char *fmt, ...) __attribute__((__format__(__printf__, 1, 2)));
int vprintf(const char *fmt, va_list ap) __attribute__((__format__(__printf__, 1, 0)));
int snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((__format__(__printf__, 3, 4)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
    __attribute__((__format__(__printf__, 3, 0)));
int puts(const char *s);
int putchar(int c);
