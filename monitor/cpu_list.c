// SPDX-License-Identifier: GPL-2.0-only
#include "monitor/cpu_list.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "lib/fmt.h"

static bool cpu_list_usable(const struct cpu_list_fw *c)
{
	uint32_t need = CPU_LIST_ENABLED | CPU_LIST_HEALTHY;

	return (c->status & CPU_LIST_BSP) || (c->status & need) == need;
}

int cpu_list_build(const struct cpu_list_fw *fw, size_t n, uint32_t *ids, size_t max)
{
	size_t bsp = n, kept = 1;

	for (size_t i = 0; i < n; i++) {
		if (fw[i].apic_id > UINT32_MAX)
			return -EINVAL;
		for (size_t j = 0; j < i; j++)
			if (fw[j].apic_id == fw[i].apic_id)
				return -EINVAL;
		if (fw[i].status & CPU_LIST_BSP) {
			if (bsp != n)
				return -EINVAL;
			bsp = i;
		}
	}
	if (bsp == n || max == 0)
		return -EINVAL;
	/* Index 0 is the CPU the monitor starts on; the rest keep the firmware's order, which
	 * is what a config's CPU numbers name. */
	ids[0] = (uint32_t)fw[bsp].apic_id;
	for (size_t i = 0; i < n && kept < max; i++)
		if (i != bsp && cpu_list_usable(&fw[i]))
			ids[kept++] = (uint32_t)fw[i].apic_id;
	return (int)kept;
}

size_t cpu_list_format(char *buf, size_t size, const uint32_t *ids, size_t n)
{
	size_t len = 0;

	if (!size)
		return 0;
	buf[0] = 0;
	for (size_t i = 0; i < n; i++) {
		char item[16];
		size_t w = (size_t)fmt_snprintf(item, sizeof(item), "%s%u", i ? ", " : "", ids[i]);

		/* This item, and room left for "..." should a later one not fit. */
		if (len + w + (i + 1 < n ? 3 : 0) >= size) {
			if (len + 3 < size) {
				memcpy(buf + len, "...", 4);
				len += 3;
			}
			return len;
		}
		memcpy(buf + len, item, w + 1);
		len += w;
	}
	return len;
}
