/* Kernel console: formatted output on the platform UART (debug and boot messages). */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include <stdarg.h>

void console_putc(char c);
/* A character written for user space (seL4_DebugPutChar). */
void console_user_putc(char c);
/* Kernel messages start on a line of their own: one that interrupts a user line ends it. */
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kvprintf(const char *fmt, va_list ap);
/* An informational message that may wait until the user's current line is complete, so it
 * never splits a line a test harness parses. */
void kprintf_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A report of something a user thread did wrong or left undone (an interrupt nobody takes,
 * a bad argument to a debug call): one line, as a note, in debug kernels only, so that a
 * hostile thread can neither flood a release kernel's console nor slow the kernel down. */
#ifdef CONFIG_DEBUG_BUILD
#define kprintf_user_error(...) kprintf_note(__VA_ARGS__)
#else
#define kprintf_user_error(...) ((void)0)
#endif

#endif
