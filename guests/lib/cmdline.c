// SPDX-License-Identifier: GPL-2.0-only
/* Command-line words, numbers and lists for the test guests (see cmdline.h). */
#include "guests/lib/cmdline.h"

#include <errno.h>

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

const char *cmdline_next(const char *p, struct cmdline_arg *a)
{
	while (*p && is_blank(*p))
		p++;
	if (!*p)
		return NULL;
	*a = (struct cmdline_arg){ .key = p, .val = "" };
	while (*p && !is_blank(*p) && *p != '=')
		p++;
	a->key_len = (size_t)(p - a->key);
	if (*p != '=')
		return p;
	a->has_val = true;
	p++;
	if (*p == '"') {
		/* Quoted: up to the closing quote (or the end when it is missing). */
		a->val = ++p;
		while (*p && *p != '"')
			p++;
		a->val_len = (size_t)(p - a->val);
		return *p ? p + 1 : p;
	}
	a->val = p;
	while (*p && !is_blank(*p))
		p++;
	a->val_len = (size_t)(p - a->val);
	return p;
}

bool cmdline_eq(const char *s, size_t len, const char *word)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (word[i] != s[i])	/* a shorter word ends in NUL, which s[i] is not */
			return false;
	return word[i] == '\0';
}

bool cmdline_find(const char *cl, const char *key, struct cmdline_arg *a)
{
	struct cmdline_arg cur;
	bool found = false;

	while ((cl = cmdline_next(cl, &cur))) {
		if (cmdline_eq(cur.key, cur.key_len, key)) {
			*a = cur;
			found = true;
		}
	}
	return found;
}

int cmdline_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int cmdline_parse_u64(const char *s, size_t len, uint64_t *out)
{
	unsigned base = 10, shift = 0;
	const char *end = s + len;
	uint64_t v = 0;
	size_t digits = 0;

	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (s < end) {
		switch (end[-1]) {
		case 'k': case 'K': shift = 10; end--; break;
		case 'm': case 'M': shift = 20; end--; break;
		case 'g': case 'G': shift = 30; end--; break;
		}
	}
	for (; s < end; s++, digits++) {
		int d = cmdline_digit(*s);

		if (d < 0 || (unsigned)d >= base)
			return -EINVAL;
		if (v > (UINT64_MAX - (unsigned)d) / base)
			return -ERANGE;
		v = v * base + (unsigned)d;
	}
	if (!digits)
		return -EINVAL;
	if (shift && v > UINT64_MAX >> shift)
		return -ERANGE;
	*out = v << shift;
	return 0;
}

int cmdline_parse_uart(const char *s, size_t len, uint16_t *port)
{
	static const uint16_t com[] = { 0x3f8, 0x2f8, 0x3e8, 0x2e8 };
	static const char *const names[] = { "com1", "com2", "com3", "com4" };
	uint64_t v;

	for (size_t i = 0; i < sizeof(com) / sizeof(com[0]); i++) {
		if (cmdline_eq(s, len, names[i])) {
			*port = com[i];
			return 0;
		}
	}
	/* A 16550 has eight registers: the base must leave room for them below 0x10000. */
	if (cmdline_parse_u64(s, len, &v) || !v || v > 0xfff8)
		return -EINVAL;
	*port = (uint16_t)v;
	return 0;
}

void cmdline_list_init(struct cmdline_list *l, const char *s, size_t len)
{
	*l = (struct cmdline_list){ .p = s, .end = s + len };
}

bool cmdline_list_next(struct cmdline_list *l, const char **item, size_t *len)
{
	const char *s = l->p;

	if (l->done || (!l->started && s == l->end))
		return false;
	l->started = true;
	*item = s;
	while (s < l->end && *s != ',')
		s++;
	*len = (size_t)(s - *item);
	if (s < l->end)
		l->p = s + 1;	/* past the comma: an item follows, if only an empty one */
	else
		l->done = true;
	return true;
}

bool cmdline_unknown_key(const char *cl, const char *const known[], size_t n,
			 struct cmdline_arg *bad)
{
	struct cmdline_arg a;

	while ((cl = cmdline_next(cl, &a))) {
		size_t i;

		for (i = 0; i < n && !cmdline_eq(a.key, a.key_len, known[i]); i++)
			;
		if (i == n) {
			*bad = a;
			return true;
		}
	}
	return false;
}
