// SPDX-License-Identifier: GPL-2.0-only
/* The text form of a machine's PCI BARs (partition/pci_text.h), read by twinmon-check. */
#include "partition/pci_text.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "lib/fmt.h"

#define PCI_TEXT_FIELDS	5

struct pci_text_token {
	const char *s;
	size_t len;
};

static bool pci_text_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Split a line into at most max + 1 tokens (one more tells "too many"). Stops at '#'. */
static size_t pci_text_split(const char *s, size_t len, struct pci_text_token *tok, size_t max)
{
	size_t n = 0, i = 0;

	while (i < len && s[i] != '#') {
		size_t start;

		if (pci_text_space(s[i])) {
			i++;
			continue;
		}
		start = i;
		while (i < len && s[i] != '#' && !pci_text_space(s[i]))
			i++;
		if (n <= max)
			tok[n] = (struct pci_text_token){ s + start, i - start };
		n++;
	}
	return n;
}

static bool pci_text_eq(const struct pci_text_token *t, const char *word)
{
	return t->len == strlen(word) && !memcmp(t->s, word, t->len);
}

static int pci_text_digit(char c, unsigned base)
{
	int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
		c >= 'A' && c <= 'F' ? c - 'A' + 10 : 99;

	return d < (int)base ? d : -1;
}

/* s[0..len) in base, no sign, at most max. */
static bool pci_text_uint(const char *s, size_t len, unsigned base, uint64_t max, uint64_t *v)
{
	uint64_t x = 0;

	if (!len)
		return false;
	for (size_t i = 0; i < len; i++) {
		int d = pci_text_digit(s[i], base);

		if (d < 0 || (uint64_t)d > max || x > (max - (uint64_t)d) / base)
			return false;
		x = x * base + (uint64_t)d;
	}
	*v = x;
	return true;
}

/* 0x-prefixed hex or decimal. */
static bool pci_text_number(const struct pci_text_token *t, uint64_t *v)
{
	if (t->len > 2 && t->s[0] == '0' && (t->s[1] == 'x' || t->s[1] == 'X'))
		return pci_text_uint(t->s + 2, t->len - 2, 16, UINT64_MAX, v);
	return pci_text_uint(t->s, t->len, 10, UINT64_MAX, v);
}

/* BB:DD.F in hex, as lspci writes it (no domain). */
static bool pci_text_bdf(const struct pci_text_token *t, uint16_t *bdf)
{
	uint64_t bus, dev, fn;

	if (t->len != 7 || t->s[2] != ':' || t->s[5] != '.' ||
	    !pci_text_uint(t->s, 2, 16, 0xff, &bus) || !pci_text_uint(t->s + 3, 2, 16, 31, &dev) ||
	    !pci_text_uint(t->s + 6, 1, 16, 7, &fn))
		return false;
	*bdf = PARTITION_BDF(bus, dev, fn);
	return true;
}

static bool pci_text_kind(const struct pci_text_token *t, uint8_t *kind)
{
	for (unsigned k = PARTITION_BAR_MEM32; k <= PARTITION_BAR_IO; k++) {
		if (pci_text_eq(t, partition_bar_kind_name(k))) {
			*kind = (uint8_t)k;
			return true;
		}
	}
	return false;
}

/* What hardware could not have: NULL when b is a BAR a function could hold. */
static const char *pci_text_bar_problem(const struct partition_bar *b)
{
	uint64_t min = b->kind == PARTITION_BAR_IO ? 4 : 16;
	uint64_t limit = b->kind == PARTITION_BAR_IO ? 0x10000 :
			 b->kind == PARTITION_BAR_MEM32 ? PARTITION_4G : PARTITION_PHYS_LIMIT;

	if (b->index > 5 || (b->kind == PARTITION_BAR_MEM64 && b->index > 4))
		return b->kind == PARTITION_BAR_MEM64 ? "a 64-bit BAR takes two of BARs 0-5"
						      : "BAR index is 0-5";
	if (b->size < min || (b->size & (b->size - 1)))
		return "size must be a power of two (at least 4 ports or 16 bytes)";
	if (b->base & (b->size - 1))
		return "base is not aligned to the size";
	/* A BAR's top address bit must be writable, or sizing reads it as not implemented. */
	if (b->size >= limit)
		return "larger than a BAR of its kind can be (half its address space at most)";
	if (b->size > limit || b->base > limit - b->size)
		return b->kind == PARTITION_BAR_IO ? "beyond port 0xffff" :
		       b->kind == PARTITION_BAR_MEM32 ? "a mem32 BAR ends above 4 GiB" :
							"beyond the 48-bit physical limit";
	return NULL;
}

/* Two entries for the same BAR dword (a 64-bit BAR covers its index and the next). */
static bool pci_text_clash(const struct partition_bar *a, const struct partition_bar *b)
{
	unsigned a_end = a->index + (a->kind == PARTITION_BAR_MEM64 ? 2u : 1u);
	unsigned b_end = b->index + (b->kind == PARTITION_BAR_MEM64 ? 2u : 1u);

	return a->bdf == b->bdf && a->index < b_end && b->index < a_end;
}

static int pci_text_line(const char *s, size_t len, struct partition_bar *bar,
			 const char **why)
{
	struct pci_text_token tok[PCI_TEXT_FIELDS + 1];
	size_t n = pci_text_split(s, len, tok, PCI_TEXT_FIELDS);
	uint64_t index;

	if (n == 0)
		return 0;
	*why = "expected: function BAR kind base size";
	if (n != PCI_TEXT_FIELDS)
		return -EINVAL;
	*bar = (struct partition_bar){ 0 };
	if (!pci_text_bdf(&tok[0], &bar->bdf)) {
		*why = "expected a function like 00:1f.2";
		return -EINVAL;
	}
	if (!pci_text_number(&tok[1], &index) || index > 5) {
		*why = "BAR index is 0-5";
		return -EINVAL;
	}
	bar->index = (uint8_t)index;
	if (!pci_text_kind(&tok[2], &bar->kind)) {
		*why = "kind is mem32, mem64 or io";
		return -EINVAL;
	}
	if (!pci_text_number(&tok[3], &bar->base) || !pci_text_number(&tok[4], &bar->size)) {
		*why = "base and size are numbers (0x-prefixed hex or decimal)";
		return -EINVAL;
	}
	*why = pci_text_bar_problem(bar);
	return *why ? -EINVAL : 1;
}

int partition_pci_parse_text(const char *text, size_t len, struct partition_bar *out,
			     size_t cap, size_t *n, char *err, size_t errlen)
{
	size_t hlen = strlen(PARTITION_PCI_TEXT_HEADER), pos, line = 1;

	*n = 0;
	if (errlen)
		err[0] = 0;
	if (len < hlen || memcmp(text, PARTITION_PCI_TEXT_HEADER, hlen)) {
		fmt_snprintf(err, errlen, "partition: pci line 1: expected \"twinmon-pci 1\"");
		return -EINVAL;
	}
	for (pos = hlen; pos < len; line++) {
		const char *s = text + pos, *nl = memchr(s, '\n', len - pos), *why = NULL;
		size_t l = nl ? (size_t)(nl - s) : len - pos;
		struct partition_bar bar;
		int rc = pci_text_line(s, l, &bar, &why);

		pos += l + 1;
		if (rc < 0) {
			fmt_snprintf(err, errlen, "partition: pci line %zu: %s", line + 1, why);
			return rc;
		}
		if (!rc)
			continue;
		for (size_t i = 0; i < *n; i++) {
			if (pci_text_clash(&out[i], &bar)) {
				fmt_snprintf(err, errlen, "partition: pci line %zu: %02x:%02x.%x "
					     "BAR%u is listed twice", line + 1,
					     PARTITION_BDF_BUS(bar.bdf), PARTITION_BDF_DEV(bar.bdf),
					     PARTITION_BDF_FN(bar.bdf), bar.index);
				return -EINVAL;
			}
		}
		if (*n >= cap) {
			fmt_snprintf(err, errlen, "partition: pci line %zu: more than %zu BARs",
				     line + 1, cap);
			return -E2BIG;
		}
		out[(*n)++] = bar;
	}
	return 0;
}

int partition_pci_format_line(char *buf, size_t size, const struct partition_bar *bar)
{
	return fmt_snprintf(buf, size, "%02x:%02x.%x %u %-5s 0x%llx 0x%llx\n",
			    PARTITION_BDF_BUS(bar->bdf), PARTITION_BDF_DEV(bar->bdf),
			    PARTITION_BDF_FN(bar->bdf), bar->index,
			    partition_bar_kind_name(bar->kind), (unsigned long long)bar->base,
			    (unsigned long long)bar->size);
}
