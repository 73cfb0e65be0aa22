// SPDX-License-Identifier: GPL-2.0-only
#include "guest-config/diag.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "lib/fmt.h"

void config_diag_init(struct config_diag *d, const char *file)
{
	memset(d, 0, sizeof(*d));
	fmt_snprintf(d->file, sizeof(d->file), "%s", file ? file : "<config>");
}

void config_diag_add(struct config_diag *d, uint32_t line, uint32_t col, const char *fmt, ...)
{
	struct config_message *m;
	va_list ap;

	if (d->count >= CONFIG_DIAG_MAX) {
		if (d->dropped < UINT32_MAX)
			d->dropped++;
		return;
	}
	m = &d->msg[d->count++];
	m->line = line;
	m->col = line ? col : 0;
	va_start(ap, fmt);
	fmt_vsnprintf(m->text, sizeof(m->text), fmt, ap);
	va_end(ap);
}

uint32_t config_diag_total(const struct config_diag *d)
{
	uint64_t total = (uint64_t)d->count + d->dropped;

	return total > UINT32_MAX ? UINT32_MAX : (uint32_t)total;
}

static int config_diag_before(const struct config_message *a, const struct config_message *b)
{
	return a->line < b->line || (a->line == b->line && a->col < b->col);
}

void config_diag_sort(struct config_diag *d)
{
	/* Insertion sort: stable, at most CONFIG_DIAG_MAX entries, and no libc qsort in EFI. */
	for (uint32_t i = 1; i < d->count; i++) {
		struct config_message key = d->msg[i];
		uint32_t j = i;

		while (j > 0 && config_diag_before(&key, &d->msg[j - 1])) {
			d->msg[j] = d->msg[j - 1];
			j--;
		}
		d->msg[j] = key;
	}
}

int config_diag_format(const struct config_diag *d, uint32_t i, char *buf, size_t size)
{
	const struct config_message *m;

	if (i >= d->count)
		return -EINVAL;
	m = &d->msg[i];
	if (!m->line)
		return fmt_snprintf(buf, size, "%s: %s", d->file, m->text);
	return fmt_snprintf(buf, size, "%s:%u:%u: %s", d->file, m->line, m->col, m->text);
}

int config_diag_format_all(const struct config_diag *d, char *buf, size_t size)
{
	size_t len = 0;

	if (size)
		buf[0] = '\0';
	for (uint32_t i = 0; i < d->count; i++) {
		/* Past the end of buf, keep counting the length as snprintf does. */
		size_t room = len < size ? size - len : 0;
		int n = config_diag_format(d, i, room ? buf + len : NULL, room);

		len += (size_t)n;
		room = len < size ? size - len : 0;
		n = fmt_snprintf(room ? buf + len : NULL, room, "\n");
		len += (size_t)n;
	}
	if (d->dropped) {
		size_t room = len < size ? size - len : 0;

		len += (size_t)fmt_snprintf(room ? buf + len : NULL, room,
					    "%s: %u more error%s not shown\n", d->file, d->dropped,
					    d->dropped == 1 ? "" : "s");
	}
	return len > INT32_MAX ? INT32_MAX : (int)len;
}
