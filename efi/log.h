/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The monitor log. Every line goes to the firmware console (ConOut: screen and, under OVMF,
 * the serial console) while boot services exist, and always to the monitor log port: QEMU's
 * debugcon (port 0xe9) by default, or a 16550 UART the config reserves for the monitor so it
 * never collides with a guest's UART.
 */
#ifndef TWINMON_EFI_LOG_H
#define TWINMON_EFI_LOG_H

#include <efi.h>
#include <stdint.h>

#define LOG_DEBUGCON_PORT 0xe9

enum log_sink {
	LOG_SINK_DEBUGCON,	/* every byte written to one port (QEMU -debugcon, Bochs 0xe9) */
	LOG_SINK_UART,		/* a 16550 at the given base, 115200 8N1, polled */
	LOG_SINK_NONE,		/* console only (config: log-port = none) */
};

void log_init(EFI_SYSTEM_TABLE *st);
/* Switch the port sink (initialises a UART). Lines already logged are not repeated. */
void log_set_port(enum log_sink sink, uint16_t port);
/* After ExitBootServices the console is gone: only the port sink remains. */
void log_console_off(void);

void log_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Write a line to the console only (menus, prompts), never to the log port. */
void log_console(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
