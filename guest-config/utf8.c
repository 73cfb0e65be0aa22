// SPDX-License-Identifier: GPL-2.0-only
#include "guest-config/utf8.h"

static int config_utf8_cont(const unsigned char *s, size_t len, size_t i)
{
	return i < len && (s[i] & 0xc0) == 0x80;
}

size_t config_utf8_decode(const char *str, size_t len, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	uint32_t c, min;
	size_t n;

	if (!len)
		return 0;
	c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if ((c & 0xe0) == 0xc0) {
		n = 2;
		c &= 0x1f;
		min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		n = 3;
		c &= 0x0f;
		min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		n = 4;
		c &= 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if (!config_utf8_cont(s, len, i))
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms would let one character hide behind another (e.g. a second NUL). */
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

size_t config_utf8_prefix(const char *s, size_t len, size_t max)
{
	size_t pos = 0;

	while (pos < len) {
		uint32_t cp;
		size_t n = config_utf8_decode(s + pos, len - pos, &cp);

		if (!n)
			n = 1;
		if (pos + n > max)
			break;
		pos += n;
	}
	return pos;
}
