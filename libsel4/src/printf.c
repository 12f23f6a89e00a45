/* printf.c — the printf family for Kairos user programs: the shared formatter (lib/format.c)
 * writing either to the kernel's debug console (seL4_DebugPutChar) or into a caller's buffer. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <kairos/stdio.h>
#include <kairos/string.h>
#include <sel4/sel4.h>

#include "lib/format.h"

/* A caller's buffer. `count` keeps counting past a full buffer because snprintf returns the
 * length the whole output would have had. */
struct buffer {
    char *buf;
    size_t size; /* capacity of buf, terminating NUL included */
    size_t count;
};

/* A kernel without printing (a release build, PRINTING=0) has no console door: output is
 * dropped rather than faulting the caller on an unknown system call. */
static void console_out(char c)
{
#ifdef CONFIG_PRINTING
    seL4_DebugPutChar(c);
#else
    (void)c;
#endif
}

static void put_console(void *ctx, char c)
{
    (void)ctx;
    console_out(c);
}

static void put_buffer(void *ctx, char c)
{
    struct buffer *b = ctx;
    if (b->count + 1 < b->size) {
        b->buf[b->count] = c;
    }
    b->count++;
}

int vprintf(const char *fmt, va_list ap)
{
    return format_vprint(put_console, NULL, fmt, ap);
}

int printf(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    int n = vprintf(fmt, ap);
    va_end(ap);
    return n;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct buffer b = {.buf = buf, .size = size};
    int n = format_vprint(put_buffer, &b, fmt, ap);

    if (size > 0) {
        buf[b.count < size ? b.count : size - 1] = '\0';
    }
    return n;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

int putchar(int c)
{
    console_out((char)c);
    return (unsigned char)c;
}

int puts(const char *s)
{
    size_t n = strlen(s);

    for (size_t i = 0; i < n; i++) {
        console_out(s[i]);
    }
    console_out('\n');
    return (int)n + 1;
}
