/* kprintf: the kernel's printf over the UART, with the formatter user programs use too
 * (lib/format.c), and notes held back while a user thread's line is half written. */
#include "console.h"

#include <stdbool.h>
#include <stdint.h>

#include "drivers/uart/uart.h"
#include "lib/format.h"

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

static void put_console(void *ctx, char c)
{
    (void)ctx;
    console_putc(c);
}

void kvprintf(const char *fmt, va_list ap)
{
    (void)format_vprint(put_console, 0, fmt, ap);
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
