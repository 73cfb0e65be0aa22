// SPDX-License-Identifier: GPL-2.0-only
#include "guest-config/number.h"

#include <stdbool.h>

static int config_digit(char c, unsigned int base)
{
	int v;

	if (c >= '0' && c <= '9')
		v = c - '0';
	else if (c >= 'a' && c <= 'f')
		v = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		v = c - 'A' + 10;
	else
		return -1;
	return v < (int)base ? v : -1;
}

static bool config_mul_overflows(uint64_t a, uint64_t b, uint64_t *out)
{
	if (b && a > UINT64_MAX / b)
		return true;
	*out = a * b;
	return false;
}

static bool config_has(const char *s, size_t len, size_t pos, const char *word)
{
	size_t i = 0;

	for (; word[i]; i++)
		if (pos + i >= len || s[pos + i] != word[i])
			return false;
	return true;
}

/* Length of the size unit at s[pos], and its multiplier. */
static size_t config_size_unit(const char *s, size_t len, size_t pos, uint64_t *mult)
{
	static const char units[] = "kmgt";
	size_t n;

	if (pos >= len)
		return 0;
	for (n = 0; units[n]; n++)
		if ((s[pos] | 0x20) == units[n])
			break;
	if (!units[n])
		return 0;
	*mult = 1ULL << (10 * (n + 1));
	if (config_has(s, len, pos + 1, "iB"))
		return 3;
	if (config_has(s, len, pos + 1, "B"))
		return 2;
	return 1;
}

static size_t config_time_unit(const char *s, size_t len, size_t pos, uint64_t *mult)
{
	if (config_has(s, len, pos, "us")) {
		*mult = 1;
		return 2;
	}
	if (config_has(s, len, pos, "ms")) {
		*mult = 1000;
		return 2;
	}
	if (config_has(s, len, pos, "s")) {
		*mult = 1000000;
		return 1;
	}
	return 0;
}

void config_number(const char *s, size_t len, uint32_t unit, struct config_num *out)
{
	unsigned int base = 10;
	size_t pos = 0, start;
	uint64_t v = 0, mult = 1;
	bool overflow = false;
	int d;

	out->value = 0;
	out->used = 0;
	out->status = CONFIG_NUM_NONE;
	if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		pos = 2;
	}
	start = pos;
	while (pos < len && (d = config_digit(s[pos], base)) >= 0) {
		if (v > (UINT64_MAX - (uint64_t)d) / base)
			overflow = true;
		else
			v = v * base + (uint64_t)d;
		pos++;
	}
	if (pos == start)
		return;

	if (unit == CONFIG_UNIT_SIZE)
		pos += config_size_unit(s, len, pos, &mult);
	else if (unit == CONFIG_UNIT_TIME)
		pos += config_time_unit(s, len, pos, &mult);
	out->used = pos;
	if (pos < len) {
		out->status = CONFIG_NUM_JUNK;
		return;
	}
	if (overflow || config_mul_overflows(v, mult, &v)) {
		out->status = CONFIG_NUM_OVERFLOW;
		return;
	}
	out->value = v;
	out->status = CONFIG_NUM_OK;
}
