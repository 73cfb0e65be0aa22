/* SPDX-License-Identifier: GPL-2.0-only */
/* A polled 16550 UART: the test guests' own console. */
#ifndef TWINMON_GUESTS_UART_H
#define TWINMON_GUESTS_UART_H

#include <stddef.h>
#include <stdint.h>

/* 115200 8N1, FIFOs on, no interrupts. Until this runs nothing is written anywhere. */
void uart_init(uint16_t base);

/* Write len bytes, "\n" as "\r\n". Waits a bounded time per byte, so a missing UART
 * (or a port the monitor does not give this guest) costs time but never hangs. */
void uart_write(const char *s, size_t len);

#endif
