/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Spans of the input (no copies, no NUL terminators) and a cursor that splits one value into
 * tokens, keeping track of the column every token starts at, so each diagnostic can point at
 * the exact token it is about.
 */
#ifndef TWINMON_GUEST_CONFIG_SCAN_H
#define TWINMON_GUEST_CONFIG_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct config_span {
	const char *s;
	size_t len;
	uint32_t line;
	uint32_t col; /* 1-based byte column of s[0] */
};

struct config_scan {
	struct config_span v;
	size_t pos;
};

/* Longest token text quoted in a message; longer ones end in "...". */
#define CONFIG_ECHO_MAX 40
#define CONFIG_ECHO_SIZE (CONFIG_ECHO_MAX + 8)

static inline bool config_is_blank(char c)
{
	return c == ' ' || c == '\t';
}

void config_scan_init(struct config_scan *sc, const struct config_span *v);
void config_scan_blanks(struct config_scan *sc);
/* After skipping blanks: is the value used up? */
bool config_scan_end(struct config_scan *sc);
/* After skipping blanks: consume c if it comes next. */
bool config_scan_char(struct config_scan *sc, char c);
/* After skipping blanks: the run of bytes up to a blank, a byte in stops, or the end. */
struct config_span config_scan_word(struct config_scan *sc, const char *stops);
/* The span from the cursor (after blanks) to the end of the value; does not consume. */
struct config_span config_scan_rest(struct config_scan *sc);

/* A span of s[off..off+len) of span sp (same line, column moved). */
struct config_span config_span_sub(const struct config_span *sp, size_t off, size_t len);
bool config_span_is(const struct config_span *sp, const char *word);

/*
 * s[0..len) as a C string in buf, cut to fit. Spans are not NUL-terminated and may end at the
 * very end of the input, so they are copied rather than printed with a precision.
 */
const char *config_span_copy(char *buf, size_t size, const char *s, size_t len);

/* 'text' for a message (quoted, cut at CONFIG_ECHO_MAX bytes), or "the end of the line". */
const char *config_found(char *buf, size_t size, const struct config_span *sp);

#endif
