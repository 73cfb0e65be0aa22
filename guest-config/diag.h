/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Diagnostics of the configuration parser: a fixed number of messages, each with the line
 * and 1-based byte column it is about, plus a count of the ones that did not fit. Fixed size
 * so the EFI app can report errors without an allocator.
 */
#ifndef TWINMON_GUEST_CONFIG_DIAG_H
#define TWINMON_GUEST_CONFIG_DIAG_H

#include <stddef.h>
#include <stdint.h>

#define CONFIG_DIAG_MAX	     16
#define CONFIG_DIAG_TEXT_MAX 256
#define CONFIG_DIAG_FILE_MAX 256

struct config_message {
	uint32_t line; /* 1-based; 0: about the whole file */
	uint32_t col;  /* 1-based byte column; 0 with line 0 */
	char text[CONFIG_DIAG_TEXT_MAX];
};

struct config_diag {
	char file[CONFIG_DIAG_FILE_MAX]; /* the name messages are reported against */
	uint32_t count;			 /* messages held in msg[] */
	uint32_t dropped;		 /* messages that did not fit */
	struct config_message msg[CONFIG_DIAG_MAX];
};

void config_diag_init(struct config_diag *d, const char *file);

/* Record a message; when full, only count it. */
void config_diag_add(struct config_diag *d, uint32_t line, uint32_t col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Total number of problems seen, held or dropped. */
uint32_t config_diag_total(const struct config_diag *d);

/* Order the held messages by line and column, keeping the order of equal positions. */
void config_diag_sort(struct config_diag *d);

/*
 * "file:line:col: text" (or "file: text" for line 0) for message i. Returns the length the
 * full text has, as snprintf; -EINVAL when i is out of range.
 */
int config_diag_format(const struct config_diag *d, uint32_t i, char *buf, size_t size);

/*
 * Every held message, each on its own line, then "file: N more errors not shown" when some
 * were dropped. Returns the full length as snprintf.
 */
int config_diag_format_all(const struct config_diag *d, char *buf, size_t size);

#endif
