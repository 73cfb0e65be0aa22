// SPDX-License-Identifier: GPL-2.0-only
/*
 * The text form of a UEFI memory map. It records the firmware's own descriptor (type,
 * start, pages, attribute) rather than our classification, so a capture stays useful when
 * the classification changes.
 */
#include "partition/memmap_text.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "lib/fmt.h"
#include "partition/memmap_efi.h"

#define MEMMAP_TEXT_MAX_FIELDS 4
#define MEMMAP_TEXT_OEM_TYPE 0x70000000u

struct memmap_text_token {
	const char *s;
	size_t len;
};

static bool memmap_text_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Split a line into at most max + 1 tokens (one more tells "too many"). Stops at '#'. */
static size_t memmap_text_split(const char *s, size_t len, struct memmap_text_token *tok,
				size_t max)
{
	size_t n = 0, i = 0;

	while (i < len && s[i] != '#') {
		if (memmap_text_space(s[i])) {
			i++;
			continue;
		}
		size_t start = i;

		while (i < len && s[i] != '#' && !memmap_text_space(s[i]))
			i++;
		if (n <= max)
			tok[n] = (struct memmap_text_token){ s + start, i - start };
		n++;
	}
	return n;
}

static bool memmap_text_eq(const struct memmap_text_token *t, const char *word)
{
	return t->len == strlen(word) && !memcmp(t->s, word, t->len);
}

/* 0x-prefixed hex or decimal, all 64 bits, no sign, no overflow. */
static bool memmap_text_number(const struct memmap_text_token *t, uint64_t *v)
{
	unsigned base = 10;
	size_t i = 0;
	uint64_t x = 0;

	if (t->len > 2 && t->s[0] == '0' && (t->s[1] == 'x' || t->s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i >= t->len)
		return false;
	for (; i < t->len; i++) {
		char c = t->s[i];
		unsigned d;

		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			return false;
		if (x > (UINT64_MAX - d) / base)
			return false;
		x = x * base + d;
	}
	*v = x;
	return true;
}

static bool memmap_text_type(const struct memmap_text_token *t, uint32_t *type)
{
	uint64_t v;

	for (uint32_t i = 0; i < EFI_MT_COUNT; i++) {
		if (memmap_text_eq(t, memmap_efi_type_name(i))) {
			*type = i;
			return true;
		}
	}
	/* The EFI app's log names every type it does not know "oem": the first OEM type. */
	if (memmap_text_eq(t, "oem")) {
		*type = MEMMAP_TEXT_OEM_TYPE;
		return true;
	}
	/* Numbers name any type, OEM (0x70000000..) and OS (0x80000000..) ones included. */
	if (!memmap_text_number(t, &v) || v > UINT32_MAX)
		return false;
	*type = (uint32_t)v;
	return true;
}

/* Returns NULL when the line is good, else why it is not. */
static const char *memmap_text_line(const struct memmap_text_token *tok, struct memmap_entry *e)
{
	uint64_t base, pages, attr;
	uint32_t type;

	if (!memmap_text_type(&tok[0], &type))
		return "bad type";
	if (!memmap_text_number(&tok[1], &base))
		return "bad physical start";
	if (!memmap_text_number(&tok[2], &pages))
		return "bad page count";
	if (!memmap_text_number(&tok[3], &attr))
		return "bad attribute";
	if (base & (MEMMAP_PAGE_SIZE - 1))
		return "physical start is not 4 KiB aligned";
	if (pages > (UINT64_MAX >> 12) || (pages && base > UINT64_MAX - (pages << 12) + 1))
		return "range runs past the end of the address space";
	*e = (struct memmap_entry){
		.base = base,
		.size = pages << 12,
		.type = memmap_type_from_efi(type, attr),
		.efi_type = type,
	};
	return NULL;
}

int partition_memmap_parse_text(const char *text, size_t len, struct memmap *out, char *err,
				 size_t errlen)
{
	struct memmap_text_token tok[MEMMAP_TEXT_MAX_FIELDS + 1];
	bool header = false, seen_descriptor = false;
	unsigned lineno = 0;
	size_t pos = 0;

	if (err && errlen)
		err[0] = 0;
	out->count = 0;
	if (!text && len)
		return -EINVAL;
	while (pos < len) {
		const char *line = text + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t llen = nl ? (size_t)(nl - line) : len - pos;
		const char *why = NULL;
		size_t n;

		pos += llen + (nl ? 1 : 0);
		lineno++;
		if (memchr(line, 0, llen)) {
			why = "NUL byte";
			goto bad;
		}
		n = memmap_text_split(line, llen, tok, MEMMAP_TEXT_MAX_FIELDS);
		if (!n)
			continue;
		if (memmap_text_eq(&tok[0], "twinmon-memmap")) {
			if (seen_descriptor || header) {
				why = "header after the first descriptor";
				goto bad;
			}
			if (n != 2 || !memmap_text_eq(&tok[1], "1")) {
				why = "unsupported format version";
				goto bad;
			}
			header = true;
			continue;
		}
		if (n != MEMMAP_TEXT_MAX_FIELDS) {
			why = "expected 'type start pages attribute'";
			goto bad;
		}
		if (out->count >= out->capacity) {
			fmt_snprintf(err, errlen, "partition: memmap line %u: more than %zu entries",
				     lineno, out->capacity);
			return -E2BIG;
		}
		why = memmap_text_line(tok, &out->entries[out->count]);
		if (why)
			goto bad;
		out->count++;
		seen_descriptor = true;
		continue;
bad:
		fmt_snprintf(err, errlen, "partition: memmap line %u: %s", lineno, why);
		return -EINVAL;
	}
	return 0;
}

int partition_memmap_format_line(char *buf, size_t size, uint32_t efi_type, uint64_t base,
				 uint64_t pages, uint64_t attr)
{
	/* The columns of efimap_log(), but unknown types keep their number. */
	if (efi_type < EFI_MT_COUNT)
		return fmt_snprintf(buf, size, "%-12s 0x%016llx %10llu 0x%016llx\n",
				    memmap_efi_type_name(efi_type), (unsigned long long)base,
				    (unsigned long long)pages, (unsigned long long)attr);
	return fmt_snprintf(buf, size, "0x%-10x 0x%016llx %10llu 0x%016llx\n", efi_type,
			    (unsigned long long)base, (unsigned long long)pages,
			    (unsigned long long)attr);
}
