/* PL011 UART output: polled, transmit only. */
#include "drivers/uart/uart.h"

#define PL011_DR 0x00
#define PL011_FR 0x18
#define PL011_FR_TXFF (1u << 5)

static volatile uint8_t *uart_base;

void uart_init(uintptr_t base)
{
    uart_base = (volatile uint8_t *)base;
}

void uart_putc(char c)
{
    if (!uart_base) {
        return;
    }
    if (c == '\n') {
        uart_putc('\r');
    }
    while (*(volatile uint32_t *)(uart_base + PL011_FR) & PL011_FR_TXFF) {
    }
    *(volatile uint32_t *)(uart_base + PL011_DR) = (uint8_t)c;
}
