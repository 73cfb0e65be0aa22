// SPDX-License-Identifier: GPL-2.0-only
#include "efi/log.h"

#include <stdarg.h>
#include <stdbool.h>

#include "efi/port.h"
#include "lib/fmt.h"

#define LOG_LINE_MAX 512

/* 16550 registers and bits this polled writer needs. */
#define UART_THR 0
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_LCR_DLAB 0x80
#define UART_LCR_8N1 0x03
#define UART_LSR_THRE 0x20

static struct {
	EFI_SIMPLE_TEXT_OUT_PROTOCOL *con;
	enum log_sink sink;
	uint16_t port;
} log_state = { .sink = LOG_SINK_DEBUGCON, .port = LOG_DEBUGCON_PORT };

void log_init(EFI_SYSTEM_TABLE *st)
{
	log_state.con = st ? st->ConOut : NULL;
}

void log_set_port(enum log_sink sink, uint16_t port)
{
	log_state.sink = sink;
	log_state.port = port;
	if (sink != LOG_SINK_UART)
		return;
	port_outb(port + UART_IER, 0);
	port_outb(port + UART_LCR, UART_LCR_DLAB);
	port_outb(port + UART_THR, 1); /* divisor 1: 115200 baud */
	port_outb(port + UART_IER, 0);
	port_outb(port + UART_LCR, UART_LCR_8N1);
	port_outb(port + UART_FCR, 0x07); /* enable and clear FIFOs */
	port_outb(port + UART_MCR, 0x03); /* DTR, RTS */
}

void log_console_off(void)
{
	log_state.con = NULL;
}

static void log_port_putc(char c)
{
	if (log_state.sink == LOG_SINK_UART) {
		/* Bounded wait: a missing UART must not hang the monitor. */
		for (int i = 0; i < 100000; i++)
			if (port_inb(log_state.port + UART_LSR) & UART_LSR_THRE)
				break;
	}
	port_outb(log_state.port, (uint8_t)c);
}

static void log_console_write(const char *s)
{
	CHAR16 wide[LOG_LINE_MAX + 3];
	size_t n = 0;

	if (!log_state.con)
		return;
	for (; *s && n < LOG_LINE_MAX; s++) {
		unsigned char c = (unsigned char)*s;
		wide[n++] = (c >= 0x20 && c < 0x7f) ? c : (c == '\t' ? ' ' : '?');
	}
	wide[n++] = '\r';
	wide[n++] = '\n';
	wide[n] = 0;
	log_state.con->OutputString(log_state.con, wide);
}

void log_printf(const char *fmt, ...)
{
	char line[LOG_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);

	if (log_state.sink != LOG_SINK_NONE) {
		for (const char *p = line; *p; p++)
			log_port_putc(*p);
		log_port_putc('\n');
	}
	log_console_write(line);
}

void log_console(const char *fmt, ...)
{
	char line[LOG_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	log_console_write(line);
}
