/* Cadence UART (Zynq UltraScale+ "xuartps") output: polled, transmit only. */
#include "drivers/uart/uart.h"

#define CDNS_CR 0x00
#define CDNS_SR 0x2c
#define CDNS_FIFO 0x30
#define CDNS_CR_RX_EN (1u << 2)
#define CDNS_CR_TX_EN (1u << 4)
#define CDNS_SR_TX_FULL (1u << 4)

static volatile uint8_t *uart_base;

static inline volatile uint32_t *reg(unsigned int off)
{
    return (volatile uint32_t *)(uart_base + off);
}

/* Firmware may leave the transmitter disabled (QEMU's model does): characters written then
 * are dropped without a sign, so both directions are enabled here. No reset bits: a reset
 * would drop what an earlier stage still has in the FIFO. */
void uart_init(uintptr_t base)
{
    uart_base = (volatile uint8_t *)base;
    *reg(CDNS_CR) = CDNS_CR_RX_EN | CDNS_CR_TX_EN;
}

void uart_putc(char c)
{
    if (!uart_base) {
        return;
    }
    if (c == '\n') {
        uart_putc('\r');
    }
    while (*reg(CDNS_SR) & CDNS_SR_TX_FULL) {
    }
    *reg(CDNS_FIFO) = (uint8_t)c;
}
