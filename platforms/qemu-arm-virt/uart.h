/* Console UART of the platform (PL011 on QEMU virt); used by the loader and the kernel,
 * each with the address at which it sees the device. */
#ifndef PLATFORM_UART_H
#define PLATFORM_UART_H

#include <stdint.h>

void uart_init(uintptr_t base);
void uart_putc(char c);

#endif
