// SPDX-License-Identifier: GPL-2.0-only
#include "guest-config/value.h"

#include <stdarg.h>

#include "lib/fmt.h"

void config_value_error(const struct config_value *v, uint32_t col, const char *fmt, ...)
{
	char text[CONFIG_DIAG_TEXT_MAX];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	config_diag_add(v->diag, v->span.line, col, "%s: %s", v->key, text);
}

bool config_value_number(const struct config_value *v, const struct config_span *tok,
			 uint32_t unit, const char *expected, uint64_t *out)
{
	char found[CONFIG_ECHO_SIZE], number[CONFIG_ECHO_SIZE];
	struct config_num num;
	struct config_span junk, head;

	config_number(tok->s, tok->len, unit, &num);
	switch (num.status) {
	case CONFIG_NUM_OK:
		*out = num.value;
		return true;
	case CONFIG_NUM_JUNK:
		junk = config_span_sub(tok, num.used, tok->len - num.used);
		head = config_span_sub(tok, 0, num.used);
		config_value_error(v, tok->col, "unexpected %s after the number %s; expected %s",
				   config_found(found, sizeof(found), &junk),
				   config_span_copy(number, sizeof(number), head.s, head.len),
				   expected);
		return false;
	case CONFIG_NUM_OVERFLOW:
		config_value_error(v, tok->col, "%s does not fit in 64 bits; expected %s",
				   config_found(found, sizeof(found), tok), expected);
		return false;
	default:
		config_value_error(v, tok->col, "expected %s, found %s", expected,
				   config_found(found, sizeof(found), tok));
		return false;
	}
}

int config_value_choice(const struct config_value *v, const char *const *names,
			const char *expected)
{
	char found[CONFIG_ECHO_SIZE];

	for (int i = 0; names[i]; i++)
		if (config_span_is(&v->span, names[i]))
			return i;
	config_value_error(v, v->span.col, "expected %s, found %s", expected,
			   config_found(found, sizeof(found), &v->span));
	return -1;
}

bool config_value_string(const struct config_value *v, struct config_span *out)
{
	char found[CONFIG_ECHO_SIZE];
	const struct config_span *sp = &v->span;
	size_t close = 1;

	if (sp->s[0] != '"') {
		*out = *sp;
		return true;
	}
	while (close < sp->len && sp->s[close] != '"')
		close++;
	if (close >= sp->len) {
		config_value_error(v, sp->col, "expected a closing '\"' for the quote here");
		return false;
	}
	if (close + 1 < sp->len) {
		struct config_span after = config_span_sub(sp, close + 1, sp->len - close - 1);
		struct config_scan sc;
		struct config_span rest;

		config_scan_init(&sc, &after);
		rest = config_scan_rest(&sc);

		config_value_error(v, rest.col,
				   "expected the end of the line after the closing '\"', found %s",
				   config_found(found, sizeof(found), &rest));
		return false;
	}
	*out = config_span_sub(sp, 1, close - 1);
	return true;
}

bool config_value_end(const struct config_value *v, struct config_scan *sc, const char *expected)
{
	char found[CONFIG_ECHO_SIZE];
	struct config_span rest;

	if (config_scan_end(sc))
		return true;
	rest = config_scan_rest(sc);
	config_value_error(v, rest.col, "expected %s, found %s", expected,
			   config_found(found, sizeof(found), &rest));
	return false;
}

const char *config_size_text(char *buf, size_t size, uint64_t bytes)
{
	if (bytes && !(bytes & 1023))
		return fmt_size(buf, size, bytes);
	fmt_snprintf(buf, size, "0x%llx", (unsigned long long)bytes);
	return buf;
}
