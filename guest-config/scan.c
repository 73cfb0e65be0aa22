// SPDX-License-Identifier: GPL-2.0-only
#include "guest-config/scan.h"

#include <string.h>

#include "guest-config/utf8.h"
#include "lib/fmt.h"

void config_scan_init(struct config_scan *sc, const struct config_span *v)
{
	sc->v = *v;
	sc->pos = 0;
}

void config_scan_blanks(struct config_scan *sc)
{
	while (sc->pos < sc->v.len && config_is_blank(sc->v.s[sc->pos]))
		sc->pos++;
}

bool config_scan_end(struct config_scan *sc)
{
	config_scan_blanks(sc);
	return sc->pos >= sc->v.len;
}

bool config_scan_char(struct config_scan *sc, char c)
{
	config_scan_blanks(sc);
	if (sc->pos < sc->v.len && sc->v.s[sc->pos] == c) {
		sc->pos++;
		return true;
	}
	return false;
}

struct config_span config_scan_word(struct config_scan *sc, const char *stops)
{
	size_t start;

	config_scan_blanks(sc);
	start = sc->pos;
	while (sc->pos < sc->v.len) {
		char c = sc->v.s[sc->pos];

		if (config_is_blank(c) || (c && strchr(stops, c)))
			break;
		sc->pos++;
	}
	return config_span_sub(&sc->v, start, sc->pos - start);
}

struct config_span config_scan_rest(struct config_scan *sc)
{
	config_scan_blanks(sc);
	return config_span_sub(&sc->v, sc->pos, sc->v.len - sc->pos);
}

struct config_span config_span_sub(const struct config_span *sp, size_t off, size_t len)
{
	struct config_span r = {
		.s = sp->s + off,
		.len = len,
		.line = sp->line,
		.col = sp->col + (uint32_t)off,
	};
	return r;
}

bool config_span_is(const struct config_span *sp, const char *word)
{
	size_t n = strlen(word);

	return sp->len == n && !memcmp(sp->s, word, n);
}

const char *config_found(char *buf, size_t size, const struct config_span *sp)
{
	char text[CONFIG_ECHO_MAX + 1];
	size_t n;

	if (!sp->len) {
		fmt_snprintf(buf, size, "the end of the line");
		return buf;
	}
	n = config_utf8_prefix(sp->s, sp->len, CONFIG_ECHO_MAX);
	config_span_copy(text, sizeof(text), sp->s, n);
	fmt_snprintf(buf, size, "'%s%s'", text, n < sp->len ? "..." : "");
	return buf;
}

const char *config_span_copy(char *buf, size_t size, const char *s, size_t len)
{
	if (!size)
		return buf;
	if (len > size - 1)
		len = size - 1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return buf;
}
