/* The printf formatter shared by the kernel and user programs (lib/format.c). */
#ifndef LIB_FORMAT_H
#define LIB_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

/* Receives each formatted character, in order. */
typedef void (*format_put_fn)(void *ctx, char c);

/* Formats as printf does and returns the number of characters produced. A conversion the
 * formatter does not know is copied out as written. */
int format_vprint(format_put_fn put, void *ctx, const char *fmt, va_list ap);

#endif
