/* kprintf: a small printf for the kernel (%c %s %d %i %u %x %p, with l/ll/z, width and
 * zero padding) over the UART. No floating point: the kernel is built without FP. */
#include "console.h"

#include <stdbool.h>
#include <stdint.h>

#include "drivers/uart/uart.h"

#define DIGITS_MAX 24
#define RADIX_DECIMAL 10
#define RADIX_HEX 16
#define NOTE_BUFFER_SIZE 256

/* True while user space has written part of a line. */
static bool user_line_open;
/* Notes held back until that line ends; output is redirected here while one is formatted. */
static char notes[NOTE_BUFFER_SIZE];
static unsigned int notes_len;
static bool formatting_note;

void console_putc(char c)
{
    if (formatting_note) {
        if (notes_len < NOTE_BUFFER_SIZE) {
            notes[notes_len++] = c;
        }
        return;
    }
    uart_putc(c);
}

static void flush_notes(void)
{
    for (unsigned int i = 0; i < notes_len; i++) {
        uart_putc(notes[i]);
    }
    notes_len = 0;
}

void console_user_putc(char c)
{
    uart_putc(c);
    user_line_open = c != '\n';
    if (!user_line_open) {
        flush_notes();
    }
}

static void put_padded(const char *s, int len, int width, char pad, bool left)
{
    if (!left) {
        for (int i = len; i < width; i++) {
            console_putc(pad);
        }
    }
    for (int i = 0; i < len; i++) {
        console_putc(s[i]);
    }
    if (left) {
        for (int i = len; i < width; i++) {
            console_putc(' ');
        }
    }
}

static void put_number(uint64_t v, unsigned radix, bool negative, int width, char pad, bool left)
{
    static const char digits[] = "0123456789abcdef";
    char buf[DIGITS_MAX];
    int n = DIGITS_MAX;
    do {
        buf[--n] = digits[v % radix];
        v /= radix;
    } while (v);
    if (negative) {
        if (pad == '0' && width > 0) {
            console_putc('-');
            width--;
        } else {
            buf[--n] = '-';
        }
    }
    put_padded(buf + n, DIGITS_MAX - n, width, pad, left);
}

void kvprintf(const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            console_putc(*fmt);
            continue;
        }
        fmt++;
        bool left = false;
        char pad = ' ';
        for (; *fmt == '-' || *fmt == '0'; fmt++) {
            if (*fmt == '-') {
                left = true;
            } else {
                pad = '0';
            }
        }
        int width = 0;
        for (; *fmt >= '0' && *fmt <= '9'; fmt++) {
            width = width * RADIX_DECIMAL + (*fmt - '0');
        }
        int longs = 0;
        for (; *fmt == 'l' || *fmt == 'z'; fmt++) {
            longs++;
        }
        switch (*fmt) {
        case 'c': {
            char c = (char)va_arg(ap, int);
            put_padded(&c, 1, width, ' ', left);
            break;
        }
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (!s) {
                s = "(null)";
            }
            int len = 0;
            while (s[len]) {
                len++;
            }
            put_padded(s, len, width, ' ', left);
            break;
        }
        case 'd':
        case 'i': {
            int64_t v = longs ? va_arg(ap, int64_t) : va_arg(ap, int);
            put_number(v < 0 ? -(uint64_t)v : (uint64_t)v, RADIX_DECIMAL, v < 0, width, pad, left);
            break;
        }
        case 'u':
        case 'x': {
            uint64_t v = longs ? va_arg(ap, uint64_t) : va_arg(ap, unsigned int);
            put_number(v, *fmt == 'u' ? RADIX_DECIMAL : RADIX_HEX, false, width, pad, left);
            break;
        }
        case 'p':
            console_putc('0');
            console_putc('x');
            put_number((uintptr_t)va_arg(ap, void *), RADIX_HEX, false, width, pad, left);
            break;
        case '%':
            console_putc('%');
            break;
        default:
            return;
        }
    }
}

void kprintf(const char *fmt, ...)
{
    if (user_line_open) {
        uart_putc('\n');
        user_line_open = false;
    }
    flush_notes();
    va_list ap;
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
}

void kprintf_note(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    formatting_note = user_line_open;
    kvprintf(fmt, ap);
    formatting_note = false;
    va_end(ap);
}
