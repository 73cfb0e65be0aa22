// SPDX-License-Identifier: GPL-2.0-only
/*
 * Error text for the loader. Every message is one line starting with "loader: " so the EFI
 * console, the host tool and the tests all show the same words.
 */
#include "loader/internal.h"

#include <stdarg.h>

#include "lib/fmt.h"

int loader_fail(struct loader_err *err, int rc, const char *fmt, ...)
{
	static const char prefix[] = "loader: ";
	va_list ap;

	if (!err)
		return rc;
	memcpy(err->msg, prefix, sizeof(prefix));
	va_start(ap, fmt);
	fmt_vsnprintf(err->msg + sizeof(prefix) - 1, sizeof(err->msg) - (sizeof(prefix) - 1), fmt,
		      ap);
	va_end(ap);
	return rc;
}

/*
 * Sizes in messages are read by people: exact binary units when the size is one, else one
 * decimal rounded up, so a stated requirement is never smaller than the real one.
 */
const char *loader_fmt_size(char *buf, size_t size, uint64_t bytes)
{
	static const struct {
		uint64_t unit;
		const char *name;
	} units[] = {
		{ 1ULL << 40, "TiB" }, { LOADER_GiB, "GiB" }, { LOADER_MiB, "MiB" },
		{ LOADER_KiB, "KiB" },
	};

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		uint64_t u = units[i].unit;

		if (bytes < u)
			continue;
		uint64_t whole = bytes / u, tenths = (bytes % u * 10 + u - 1) / u;

		if (tenths == 10) {
			whole++;
			tenths = 0;
		}
		if (tenths)
			fmt_snprintf(buf, size, "%llu.%llu %s", (unsigned long long)whole,
				     (unsigned long long)tenths, units[i].name);
		else
			fmt_snprintf(buf, size, "%llu %s", (unsigned long long)whole,
				     units[i].name);
		return buf;
	}
	fmt_snprintf(buf, size, "%llu bytes", (unsigned long long)bytes);
	return buf;
}
