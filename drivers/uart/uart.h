/* The platform's console UART: one driver in drivers/uart/ implements it, the one the
 * platform's UART_DRIVER names (platform.mk). The loader and the kernel both use it, each
 * with the address at which it sees the device. */
#ifndef DRIVERS_UART_H
#define DRIVERS_UART_H

#include <stdint.h>

void uart_init(uintptr_t base);
void uart_putc(char c);

#endif
