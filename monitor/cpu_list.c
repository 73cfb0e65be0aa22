// SPDX-License-Identifier: GPL-2.0-only
#include "monitor/cpu_list.h"

#include <errno.h>
#include <stdbool.h>

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
