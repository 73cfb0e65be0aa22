// SPDX-License-Identifier: GPL-2.0-only
/* Polled 16550 output (see uart.h). */
#include "guests/lib/uart.h"

#include "guests/lib/cpu.h"

#define UART_THR	0	/* transmit holding (DLAB 0) */
#define UART_DLL	0	/* divisor latch low (DLAB 1) */
#define UART_IER	1	/* interrupt enable (DLAB 0) */
#define UART_DLM	1	/* divisor latch high (DLAB 1) */
#define UART_FCR	2
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define UART_LCR_DLAB	0x80
#define UART_LCR_8N1	0x03
#define UART_FCR_ON	0xc7	/* enable, clear both FIFOs, 14-byte trigger */
#define UART_MCR_DTR_RTS 0x03	/* not OUT2: the IRQ line stays quiet */
#define UART_LSR_THRE	0x20
#define UART_SPIN_MAX	100000	/* ~10 ms on hardware at 115200 baud is ample */

static uint16_t uart_base;

void uart_init(uint16_t base)
{
	uart_base = base;
	outb(base + UART_IER, 0);
	outb(base + UART_LCR, UART_LCR_DLAB);
	outb(base + UART_DLL, 1);	/* 115200 / 1 */
	outb(base + UART_DLM, 0);
	outb(base + UART_LCR, UART_LCR_8N1);
	outb(base + UART_FCR, UART_FCR_ON);
	outb(base + UART_MCR, UART_MCR_DTR_RTS);
}

static void uart_putc(char c)
{
	for (unsigned spin = 0; spin < UART_SPIN_MAX; spin++) {
		if (inb(uart_base + UART_LSR) & UART_LSR_THRE)
			break;
		cpu_relax();
	}
	outb(uart_base + UART_THR, (uint8_t)c);
}

void uart_write(const char *s, size_t len)
{
	if (!uart_base)
		return;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			uart_putc('\r');
		uart_putc(s[i]);
	}
}
