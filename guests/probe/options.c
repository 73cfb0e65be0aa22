// SPDX-License-Identifier: GPL-2.0-only
/* The probe's command-line options (see options.h). */
#include "guests/probe/options.h"

#include <errno.h>

#include "guests/lib/cmdline.h"
#include "lib/fmt.h"

static const char *const probe_keys[] = { "uart", "attacks", "spin", "victim", "monitor",
					  "pci", "peer-uart", "force" };
static const char *const probe_names[PROBE_ATTACKS] = {
	"mem", "monitor", "ports", "pci", "vmrun", "spin", "triple",
};

const char *probe_attack_name(enum probe_attack a)
{
	return (unsigned)a < PROBE_ATTACKS ? probe_names[a] : "?";
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

static int probe_attack_list(const char *s, size_t len, unsigned *mask, char *err,
			     size_t errlen)
{
	struct cmdline_list l;
	const char *item;
	size_t n;

	*mask = 0;
	cmdline_list_init(&l, s, len);
	while (cmdline_list_next(&l, &item, &n)) {
		unsigned a;

		if (cmdline_eq(item, n, "all")) {
			*mask |= PROBE_ALL & ~PROBE_BIT(PROBE_TRIPLE);
			continue;
		}
		if (cmdline_eq(item, n, "none"))
			continue;
		for (a = 0; a < PROBE_ATTACKS && !cmdline_eq(item, n, probe_names[a]); a++)
			;
		if (a == PROBE_ATTACKS) {
			fmt_snprintf(err, errlen, "attacks: unknown attack '%.*s'; expected mem, "
				     "monitor, ports, pci, vmrun, spin, triple, all or none",
				     (int)n, item);
			return -EINVAL;
		}
		*mask |= PROBE_BIT(a);
	}
	if ((*mask & PROBE_FINAL) == PROBE_FINAL) {
		fmt_snprintf(err, errlen, "attacks: spin and triple both end the guest; pick one");
		return -EINVAL;
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

	*o = (struct probe_options){ .attacks = PROBE_DEFAULT };
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
	    (rc = probe_address(cl, "monitor", &o->monitor, &o->monitor_set, err, errlen)))
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
	return 0;
}

int probe_options_unknown(const char *cl, char *buf, size_t size)
{
	struct cmdline_arg a;

	if (!cmdline_unknown_key(cl, probe_keys, sizeof(probe_keys) / sizeof(probe_keys[0]), &a))
		return 0;
	fmt_snprintf(buf, size, "%.*s", (int)a.key_len, a.key);
	return 1;
}
