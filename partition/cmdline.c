// SPDX-License-Identifier: GPL-2.0-only
#include "partition/cmdline.h"

#include <errno.h>
#include <string.h>

#include "lib/fmt.h"

#define CMDLINE_UART_BAUD 115200

/* Where the kernel's part of line ends: at a "--" word (the rest is init's), else its end. */
static size_t cmdline_kernel_end(const char *line)
{
	const char *p = line;

	while (p && *p) {
		size_t len;

		while (*p == ' ' || *p == '\t')
			p++;
		for (len = 0; p[len] && p[len] != ' ' && p[len] != '\t'; len++)
			;
		if (len == 2 && p[0] == '-' && p[1] == '-')
			return (size_t)(p - line);
		p += len;
	}
	return line ? strlen(line) : 0;
}

int partition_cmdline_has(const char *line, const char *name)
{
	size_t n = strlen(name), end = cmdline_kernel_end(line);

	for (const char *p = line; p && p < line + end && *p;) {
		size_t len;

		while (*p == ' ' || *p == '\t')
			p++;
		for (len = 0; p[len] && p[len] != ' ' && p[len] != '\t'; len++)
			;
		if (len >= n && !memcmp(p, name, n) && (len == n || p[n] == '='))
			return 1;
		p += len;
	}
	return 0;
}

struct cmdline_buf {
	char *out;
	size_t size, len;
	int err;
};

/* Append opt unless the user's line sets name already. */
static void cmdline_add(struct cmdline_buf *b, const char *user, const char *name,
			const char *opt)
{
	size_t n = strlen(opt);

	if (b->err || partition_cmdline_has(user, name))
		return;
	if (b->len + (b->len ? 1 : 0) + n >= b->size) {
		b->err = -ENOSPC;
		return;
	}
	if (b->len)
		b->out[b->len++] = ' ';
	memcpy(b->out + b->len, opt, n + 1);
	b->len += n;
}

int partition_linux_cmdline(const struct partition_plan *plan, unsigned g, const char *user,
			    uint64_t tsc_khz, char *out, size_t size)
{
	struct cmdline_buf b = { out, size, 0, 0 };
	const struct partition_guest *pg;
	int first = -1, last = -1;
	char opt[48];
	const char *init;
	size_t ulen;

	if (g >= PARTITION_NR_GUESTS || !plan->guest[g].present || !out || !size)
		return -EINVAL;
	pg = &plan->guest[g];
	/* The additions go before a "--": what follows it is init's, not the kernel's. */
	ulen = cmdline_kernel_end(user);
	init = user ? user + ulen : "";
	while (ulen && (user[ulen - 1] == ' ' || user[ulen - 1] == '\t' || user[ulen - 1] == '\n'))
		ulen--;
	if (ulen >= size)
		return -ENOSPC;
	memcpy(out, user ? user : "", ulen);
	out[ulen] = '\0';
	b.len = ulen;
	for (int u = 0; u < PARTITION_NR_UARTS; u++) {
		if (!(pg->uart_mask & (1u << u)))
			continue;
		if (first < 0)
			first = u;
		last = u;
	}
	if (tsc_khz) {
		fmt_snprintf(opt, sizeof(opt), "tsc_early_khz=%llu", (unsigned long long)tsc_khz);
		cmdline_add(&b, user, "tsc_early_khz", opt);
	}
	cmdline_add(&b, user, "tsc", "tsc=reliable");
	/*
	 * Without functions, nothing to probe. With some, Linux finds them through its DSDT's
	 * root bridge and MCFG like on any PC: pci=noacpi would also drop its I/O APIC routing.
	 */
	if (!pg->nr_pci)
		cmdline_add(&b, user, "pci", "pci=off");
	cmdline_add(&b, user, "io_delay", "io_delay=none");
	/* HW-reduced ACPI makes Linux prefer EFI reboot, which it lacks here, then the BIOS
	 * path; the FADT reset register is what the monitor answers. */
	cmdline_add(&b, user, "reboot", "reboot=acpi");
	/* The legacy 8250 table puts COMn at ttyS(n-1): 0x3f8, 0x2f8, 0x3e8, 0x2e8. */
	fmt_snprintf(opt, sizeof(opt), "8250.nr_uarts=%d", last + 1);
	cmdline_add(&b, user, "8250.nr_uarts", opt);
	if (first >= 0) {
		fmt_snprintf(opt, sizeof(opt), "console=ttyS%d,%d", first, CMDLINE_UART_BAUD);
		cmdline_add(&b, user, "console", opt);
	}
	if (*init) {
		size_t n = strlen(init);

		while (n && (init[n - 1] == ' ' || init[n - 1] == '\n'))
			n--;
		if (!b.err && b.len + 1 + n >= b.size)
			b.err = -ENOSPC;
		if (!b.err) {
			out[b.len++] = ' ';
			memcpy(out + b.len, init, n);
			b.len += n;
			out[b.len] = '\0';
		}
	}
	return b.err ? b.err : (int)b.len;
}
