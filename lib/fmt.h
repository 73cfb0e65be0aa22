/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A small printf used by every host-testable library, so the same message text comes out of
 * the EFI app (no libc there) and of the host tools. Supports %d %i %u %x %X %o %c %s %p %%,
 * flags '-' '0' '+' ' ' '#', width and precision (also '*'), and the length modifiers
 * hh h l ll z j t. Output is always NUL-terminated when size > 0; the return value is the
 * length the full output would have had, as C99 snprintf.
 */
#ifndef TWINMON_LIB_FMT_H
#define TWINMON_LIB_FMT_H

#include <stdarg.h>
#include <stddef.h>

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Format a byte count as "512M", "1G", "4K" or "123" (exact units only). */
const char *fmt_size(char *buf, size_t size, unsigned long long bytes);

#endif
