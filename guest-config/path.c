// SPDX-License-Identifier: GPL-2.0-only
/*
 * Paths of files on the EFI system partition. Users write them with '/' or '\'; they are
 * stored the way UEFI's file protocol wants them: absolute, '\'-separated, no empty, "." or
 * ".." components (firmware differs on those), nothing FAT cannot name, nothing UCS-2
 * cannot hold.
 */
#include <string.h>

#include "guest-config/utf8.h"
#include "guest-config/value.h"

static const char config_path_example[] = "a path on the ESP like \\EFI\\twinmon\\vmlinuz";

static bool config_is_sep(char c)
{
	return c == '/' || c == '\\';
}

/* Check one component; its bytes are valid UTF-8 (the lexer made sure). */
static bool config_path_component(struct config_value *v, const struct config_span *c)
{
	size_t pos = 0;

	if (config_span_is(c, ".") || config_span_is(c, "..")) {
		config_value_error(v, c->col, "the path component '%s' is not allowed; expected %s",
				   c->len == 1 ? "." : "..", config_path_example);
		return false;
	}
	while (pos < c->len) {
		uint32_t cp = 0;
		size_t n = config_utf8_decode(c->s + pos, c->len - pos, &cp);

		if (!n)
			n = 1;
		if (cp < 0x80 && strchr("\"*:<>?|", (int)cp)) {
			config_value_error(v, c->col + (uint32_t)pos,
					   "'%c' is not allowed in a file name on the ESP",
					   (char)cp);
			return false;
		}
		if (cp > 0xffff) {
			config_value_error(v, c->col + (uint32_t)pos,
					   "U+%X cannot be part of a UEFI path (UCS-2 only)",
					   (unsigned int)cp);
			return false;
		}
		pos += n;
	}
	return true;
}

static void config_set_path(struct config_value *v, char *dst)
{
	char out[CONFIG_PATH_MAX + 1];
	char found[CONFIG_ECHO_SIZE];
	struct config_span t;
	size_t pos = 0, len = 0, last_sep = 0;

	if (!config_value_string(v, &t))
		return;
	if (!t.len) {
		config_value_error(v, v->span.col, "expected %s, found ''", config_path_example);
		return;
	}
	if (!config_is_sep(t.s[0])) {
		config_value_error(v, t.col, "expected an absolute path on the ESP like "
				   "\\EFI\\twinmon\\vmlinuz, found %s",
				   config_found(found, sizeof(found), &t));
		return;
	}
	while (pos < t.len) {
		size_t start;
		struct config_span c;

		if (config_is_sep(t.s[pos])) {
			last_sep = pos++;
			continue;
		}
		start = pos;
		while (pos < t.len && !config_is_sep(t.s[pos]))
			pos++;
		c = config_span_sub(&t, start, pos - start);
		if (!config_path_component(v, &c))
			return;
		/* Keep measuring past the limit so the message can say how long it is. */
		if (len + 1 + c.len <= CONFIG_PATH_MAX) {
			out[len] = '\\';
			memcpy(out + len + 1, c.s, c.len);
		}
		len += 1 + c.len;
	}
	if (config_is_sep(t.s[t.len - 1])) {
		config_value_error(v, t.col + (uint32_t)last_sep,
				   "the path ends with a separator; expected a file name after it");
		return;
	}
	if (len > CONFIG_PATH_MAX) {
		config_value_error(v, t.col, "the path is %zu bytes long; the limit is %u", len,
				   CONFIG_PATH_MAX);
		return;
	}
	out[len] = '\0';
	memcpy(dst, out, len + 1);
}

void config_set_kernel(struct config_value *v)
{
	config_set_path(v, v->guest->kernel);
}

void config_set_initrd(struct config_value *v)
{
	config_set_path(v, v->guest->initrd);
}
