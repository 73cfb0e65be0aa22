// SPDX-License-Identifier: GPL-2.0-only
/* The probe's command-line options (see options.h). */
#include "guests/probe/options.h"

#include <errno.h>

#include "guests/lib/cmdline.h"
#include "lib/fmt.h"

static const char *const probe_keys[] = { "uart", "attacks", "spin", "victim", "monitor",
					  "pci", "peer-uart", "force", "phase", "edu", "edu-irq",
					  "level", "vectors", "msi-vectors", "dma", "dma-len" };
static const char *const probe_names[PROBE_ATTACKS] = {
	"mem", "monitor", "ports", "pci", "vmrun", "vmx", "console-flood", "deadline-storm",
	"periodic-storm", "level-storm", "dma", "bad-vector", "msi", "msix", "ipi-storm", "spin",
	"triple",
};
/* Other names of attacks: the issue that asked for "cli; jmp $" called it cli-spin. */
static const struct probe_alias {
	const char *name;
	enum probe_attack attack;
} probe_aliases[] = { { "cli-spin", PROBE_SPIN } };
static const char *const probe_level_names[PROBE_LEVEL_CASES] = {
	"masked", "vector-low", "nmi", "init", "extint", "edge", "foreign-dest", "sw-disabled",
	"hw-disabled",
};
static const uint8_t probe_default_vectors[] = { 0x10, 0x1f, 0xff };
/* 0x12 first: it is #MC's vector, the one that reaches a fatal gate; 0x11 and 0x1e are
 * exceptions with an error code, whose gates get a frame without one from an interrupt. */
static const uint8_t probe_default_msi_vectors[] = { 0x10, 0xff, 0x61 };

const char *probe_attack_name(enum probe_attack a)
{
	return (unsigned)a < PROBE_ATTACKS ? probe_names[a] : "?";
}

const char *probe_level_case_name(enum probe_level_case c)
{
	return (unsigned)c < PROBE_LEVEL_CASES ? probe_level_names[c] : "?";
}

/* Hex digits [*i, up to sep or end) of s: 1..max_digits of them. */
static int hex_field(const char *s, size_t len, size_t *i, char sep, unsigned max_digits,
		     unsigned *v)
{
	unsigned digits = 0;

	*v = 0;
	for (; *i < len && s[*i] != sep; (*i)++, digits++) {
		int d = cmdline_digit(s[*i]);

		if (d < 0 || digits == max_digits)
			return -EINVAL;
		*v = *v * 16 + (unsigned)d;
	}
	return digits ? 0 : -EINVAL;
}

int probe_parse_bdf(const char *s, size_t len, uint16_t *bdf)
{
	unsigned bus, dev, fn;
	size_t i = 0;

	if (hex_field(s, len, &i, ':', 2, &bus) || i == len)
		return -EINVAL;
	i++;
	if (hex_field(s, len, &i, '.', 2, &dev) || i == len || dev > 0x1f)
		return -EINVAL;
	i++;
	if (hex_field(s, len, &i, '\0', 1, &fn) || fn > 7)
		return -EINVAL;
	*bdf = (uint16_t)(bus << 8 | dev << 3 | fn);
	return 0;
}

/* "a, b, c, all or none" from names[0..n). */
static size_t probe_expected(char *buf, size_t size, const char *const names[], unsigned n)
{
	size_t len = 0;

	for (unsigned i = 0; i < n && len < size; i++)
		len += (size_t)fmt_snprintf(buf + len, size - len, "%s, ", names[i]);
	if (len < size)
		len += (size_t)fmt_snprintf(buf + len, size - len, "all or none");
	return len;
}

/* The bit of an attack's other name, 0 when item is none. */
static unsigned probe_alias_bit(const char *item, size_t ilen)
{
	for (size_t i = 0; i < sizeof(probe_aliases) / sizeof(probe_aliases[0]); i++)
		if (cmdline_eq(item, ilen, probe_aliases[i].name))
			return PROBE_BIT(probe_aliases[i].attack);
	return 0;
}

/*
 * A list of names from names[0..n) into a bit mask; "all" adds all_mask, "none" nothing.
 * what names the option in the message ("attacks", "level") and noun one item; alias (may be
 * NULL) gives the bit of another name, 0 for none.
 */
static int probe_name_list(const char *s, size_t len, const char *const names[], unsigned n,
			   unsigned all_mask, unsigned (*alias)(const char *, size_t),
			   const char *what, const char *noun, unsigned *mask, char *err,
			   size_t errlen)
{
	struct cmdline_list l;
	const char *item;
	size_t ilen;

	*mask = 0;
	cmdline_list_init(&l, s, len);
	while (cmdline_list_next(&l, &item, &ilen)) {
		unsigned a;

		if (cmdline_eq(item, ilen, "all")) {
			*mask |= all_mask;
			continue;
		}
		if (cmdline_eq(item, ilen, "none"))
			continue;
		if (alias && alias(item, ilen)) {
			*mask |= alias(item, ilen);
			continue;
		}
		for (a = 0; a < n && !cmdline_eq(item, ilen, names[a]); a++)
			;
		if (a == n) {
			size_t at = (size_t)fmt_snprintf(err, errlen, "%s: unknown %s '%.*s'; "
							 "expected ", what, noun, (int)ilen, item);

			if (at < errlen)
				probe_expected(err + at, errlen - at, names, n);
			return -EINVAL;
		}
		*mask |= 1u << a;
	}
	return 0;
}

static int probe_attack_list(const char *s, size_t len, unsigned *mask, char *err,
			     size_t errlen)
{
	int rc = probe_name_list(s, len, probe_names, PROBE_ATTACKS, PROBE_DEFAULT,
				 probe_alias_bit, "attacks", "attack", mask, err, errlen);

	if (rc)
		return rc;
	if ((*mask & PROBE_FINAL) == PROBE_FINAL) {
		fmt_snprintf(err, errlen, "attacks: spin and triple both end the guest; pick one");
		return -EINVAL;
	}
	return 0;
}

/* key=LIST of vectors 0..255, 1..PROBE_VECTORS_MAX of them. */
static int probe_vector_list(const char *cl, const char *key, struct probe_vectors *out,
			     char *err, size_t errlen)
{
	struct cmdline_arg a;
	struct cmdline_list l;
	const char *item;
	size_t ilen;
	struct probe_vectors v = { .n = 0 };

	if (!cmdline_find(cl, key, &a))
		return 0;
	cmdline_list_init(&l, a.val, a.val_len);
	while (cmdline_list_next(&l, &item, &ilen)) {
		uint64_t n;

		if (cmdline_parse_u64(item, ilen, &n) || n > 0xff || v.n == PROBE_VECTORS_MAX) {
			fmt_snprintf(err, errlen, "%s=%.*s: expected 1..%d vectors 0..0xff", key,
				     (int)a.val_len, a.val, PROBE_VECTORS_MAX);
			return -EINVAL;
		}
		v.v[v.n++] = (uint8_t)n;
	}
	if (!v.n) {
		fmt_snprintf(err, errlen, "%s=: expected 1..%d vectors 0..0xff", key,
			     PROBE_VECTORS_MAX);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

static void probe_vectors_set(struct probe_vectors *v, const uint8_t *from, unsigned n)
{
	v->n = n;
	for (unsigned i = 0; i < n; i++)
		v->v[i] = from[i];
}

/* The options of the storms and floods (phase= ... msi-vectors=). */
static int probe_storm_options(const char *cl, struct probe_options *o, char *err,
			       size_t errlen)
{
	struct cmdline_arg a;
	uint64_t n;
	int rc;

	if (cmdline_find(cl, "phase", &a)) {
		if (cmdline_parse_u64(a.val, a.val_len, &n) || n < PROBE_PHASE_MS_MIN ||
		    n > PROBE_PHASE_MS_MAX) {
			fmt_snprintf(err, errlen, "phase=%.*s: expected milliseconds %d..%d",
				     (int)a.val_len, a.val, PROBE_PHASE_MS_MIN,
				     PROBE_PHASE_MS_MAX);
			return -EINVAL;
		}
		o->phase_ms = n;
	}
	if (cmdline_find(cl, "edu", &a) && probe_parse_bdf(a.val, a.val_len, &o->edu_bdf)) {
		fmt_snprintf(err, errlen, "edu=%.*s: expected bus:device.function like 00:10.0",
			     (int)a.val_len, a.val);
		return -EINVAL;
	}
	if (cmdline_find(cl, "edu-irq", &a)) {
		if (cmdline_parse_u64(a.val, a.val_len, &n) || n > 23) {
			fmt_snprintf(err, errlen, "edu-irq=%.*s: expected an I/O APIC input 0..23",
				     (int)a.val_len, a.val);
			return -EINVAL;
		}
		o->edu_irq = (uint8_t)n;
	}
	if (cmdline_find(cl, "level", &a) &&
	    (rc = probe_name_list(a.val, a.val_len, probe_level_names, PROBE_LEVEL_CASES,
				  PROBE_LEVEL_ALL, NULL, "level", "case", &o->level_cases,
				  err, errlen)))
		return rc;
	if ((rc = probe_vector_list(cl, "vectors", &o->vectors, err, errlen)) ||
	    (rc = probe_vector_list(cl, "msi-vectors", &o->msi_vectors, err, errlen)))
		return rc;
	if (cmdline_find(cl, "dma-len", &a)) {
		if (cmdline_parse_u64(a.val, a.val_len, &n) || n < 4096 || n > (256u << 20)) {
			fmt_snprintf(err, errlen, "dma-len=%.*s: expected bytes 4096..256M",
				     (int)a.val_len, a.val);
			return -EINVAL;
		}
		o->dma_len = n;
	}
	return 0;
}

static int probe_address(const char *cl, const char *key, uint64_t *v, bool *set, char *err,
			 size_t errlen)
{
	struct cmdline_arg a;

	if (!cmdline_find(cl, key, &a))
		return 0;
	if (cmdline_parse_u64(a.val, a.val_len, v)) {
		fmt_snprintf(err, errlen, "%s=%.*s: expected an address", key, (int)a.val_len,
			     a.val);
		return -EINVAL;
	}
	*set = true;
	return 0;
}

int probe_options_parse(const char *cl, struct probe_options *o, char *err, size_t errlen)
{
	struct cmdline_arg a;
	int rc;

	*o = (struct probe_options){
		.attacks = PROBE_DEFAULT,
		.phase_ms = PROBE_PHASE_MS_DEFAULT,
		.edu_bdf = PROBE_NO_BDF,
		.edu_irq = PROBE_NO_IRQ,
		.level_cases = PROBE_LEVEL_ALL,
		.dma_len = PROBE_DMA_LEN_DEFAULT,
	};
	probe_vectors_set(&o->vectors, probe_default_vectors, sizeof(probe_default_vectors));
	probe_vectors_set(&o->msi_vectors, probe_default_msi_vectors,
			  sizeof(probe_default_msi_vectors));
	err[0] = '\0';
	if (cmdline_find(cl, "attacks", &a) &&
	    (rc = probe_attack_list(a.val, a.val_len, &o->attacks, err, errlen)))
		return rc;
	if (cmdline_find(cl, "spin", &a)) {
		bool spin = cmdline_eq(a.val, a.val_len, "1");

		if (!spin && !cmdline_eq(a.val, a.val_len, "0")) {
			fmt_snprintf(err, errlen, "spin=%.*s: expected 1 (spin) or 0 (triple fault)",
				     (int)a.val_len, a.val);
			return -EINVAL;
		}
		o->attacks = (o->attacks & ~PROBE_FINAL) |
			     PROBE_BIT(spin ? PROBE_SPIN : PROBE_TRIPLE);
	}
	if ((rc = probe_address(cl, "victim", &o->victim, &o->victim_set, err, errlen)) ||
	    (rc = probe_address(cl, "monitor", &o->monitor, &o->monitor_set, err, errlen)) ||
	    (rc = probe_address(cl, "dma", &o->dma, &o->dma_set, err, errlen)))
		return rc;
	if (cmdline_find(cl, "pci", &a) && probe_parse_bdf(a.val, a.val_len, &o->pci_bdf)) {
		fmt_snprintf(err, errlen, "pci=%.*s: expected bus:device.function like 00:1f.2",
			     (int)a.val_len, a.val);
		return -EINVAL;
	}
	if (cmdline_find(cl, "peer-uart", &a) &&
	    cmdline_parse_uart(a.val, a.val_len, &o->peer_uart)) {
		fmt_snprintf(err, errlen, "peer-uart=%.*s: expected com1..com4 or a port number",
			     (int)a.val_len, a.val);
		return -EINVAL;
	}
	if (cmdline_find(cl, "force", &a)) {
		o->force = cmdline_eq(a.val, a.val_len, "1");
		if (!o->force && !cmdline_eq(a.val, a.val_len, "0")) {
			fmt_snprintf(err, errlen, "force=%.*s: expected 1 or 0", (int)a.val_len,
				     a.val);
			return -EINVAL;
		}
	}
	return probe_storm_options(cl, o, err, errlen);
}

int probe_options_unknown(const char *cl, char *buf, size_t size)
{
	struct cmdline_arg a;

	if (!cmdline_unknown_key(cl, probe_keys, sizeof(probe_keys) / sizeof(probe_keys[0]), &a))
		return 0;
	fmt_snprintf(buf, size, "%.*s", (int)a.key_len, a.key);
	return 1;
}
