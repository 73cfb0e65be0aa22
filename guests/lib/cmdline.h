/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Reading a Linux-style command line: words separated by blanks, each "key" or "key=value";
 * a value may be put in double quotes to hold blanks (key="a b"). When a key appears more
 * than once, the last one counts, so options appended by a test override the config's.
 * Pure C over a NUL-terminated string: the host tests run the very code the guests do.
 */
#ifndef TWINMON_GUESTS_CMDLINE_H
#define TWINMON_GUESTS_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cmdline_arg {
	const char *key;
	size_t key_len;
	const char *val;	/* without the quotes; "" for a bare key */
	size_t val_len;
	bool has_val;		/* "key=..." rather than "key" */
};

/*
 * The word starting at or after p: fills *a and returns where the next search starts, or
 * returns NULL when no word is left.
 */
const char *cmdline_next(const char *p, struct cmdline_arg *a);

/* The last word with this key; false when there is none. */
bool cmdline_find(const char *cl, const char *key, struct cmdline_arg *a);

/* Whether [s, s + len) is exactly word. */
bool cmdline_eq(const char *s, size_t len, const char *word);

/*
 * A number: decimal or 0x hexadecimal, optionally followed by K, M or G (binary units).
 * 0 or -EINVAL (not a number, trailing text, empty) or -ERANGE (above 2^64 - 1).
 */
int cmdline_parse_u64(const char *s, size_t len, uint64_t *out);

/* The value of a hex (or decimal) digit, -1 for anything else. */
int cmdline_digit(char c);

/* A 16550's base port: com1..com4, or a number 1..0xfff8. 0 or -EINVAL. */
int cmdline_parse_uart(const char *s, size_t len, uint16_t *port);

/* A comma-separated list value being walked. */
struct cmdline_list {
	const char *p, *end;
	bool started, done;
};

void cmdline_list_init(struct cmdline_list *l, const char *s, size_t len);

/*
 * The next item: sets *item and *len, false at the end. An empty value has no items; empty
 * items ("a,,b", "a,") come back with len 0 for the caller to refuse.
 */
bool cmdline_list_next(struct cmdline_list *l, const char **item, size_t *len);

/*
 * The first word whose key is not in known[0..n): true and *bad set when there is one.
 * Programs use it to complain about typos ("unts=5") instead of ignoring them silently.
 */
bool cmdline_unknown_key(const char *cl, const char *const known[], size_t n,
			 struct cmdline_arg *bad);

#endif
