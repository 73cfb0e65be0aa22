// SPDX-License-Identifier: GPL-2.0-only
#include "partition/config_request.h"

#include <errno.h>
#include <string.h>

#include "lib/fmt.h"

_Static_assert(CONFIG_MAX_CPUS == PARTITION_MAX_CPUS, "a cpus list fits the CPU plan's mask");
_Static_assert(CONFIG_MAX_VCPUS == PARTITION_MAX_VCPUS, "the config's vCPU limit is the plan's");

static void partition_request_guest(const struct guest_config *g, uint32_t boot,
				    struct partition_guest_request *r)
{
	r->present = true;
	switch (g->memory.kind) {
	case CONFIG_MEM_RANGE:
		r->placement = PARTITION_PLACE_RANGE;
		r->range_base = g->memory.base;
		r->range_end = g->memory.base + g->memory.size;
		break;
	case CONFIG_MEM_SIZE:
		r->size = g->memory.size;
		/* fall through */
	default:
		r->placement = g->memory.placement == CONFIG_PLACE_LOW ? PARTITION_PLACE_LOW
									: PARTITION_PLACE_HIGH;
		break;
	}
	/* The config's bounds are inclusive with "no limit" as 0 / all ones; the planner's 0. */
	r->mem_min = g->mem_min;
	r->mem_max = g->mem_max == UINT64_MAX ? 0 : g->mem_max;
	r->low_mem_set = g->low_memory_set;
	r->low_mem = g->low_memory;
	/*
	 * A kernel started without the monitor parses the firmware's ACPI tables; under the
	 * monitor each guest gets synthesized ones in its own RAM instead.
	 */
	r->map_acpi = boot == CONFIG_BOOT_DIRECT_A || boot == CONFIG_BOOT_DIRECT_B;

	for (uint32_t i = 0; i < g->nr_ports && r->nr_ports < PARTITION_MAX_PORTS; i++) {
		r->ports[r->nr_ports].first = g->ports[i].first;
		r->ports[r->nr_ports].last = g->ports[i].last;
		r->nr_ports++;
	}
	r->uart_mask = g->uart_mask;
	for (uint32_t i = 0; i < g->nr_pci && r->nr_pci < PARTITION_MAX_PCI; i++) {
		r->pci_gsi[r->nr_pci] = g->pci[i].gsi;
		r->pci[r->nr_pci++] = PARTITION_BDF(g->pci[i].bus, g->pci[i].dev, g->pci[i].fn);
	}
	r->irq_mask = g->irq_mask;
	r->cpus = g->cpus;
	r->cpus_line = g->loc[CONFIG_KEY_CPUS].line;
}

int partition_request_from_config(const struct twin_config *cfg, uint32_t boot,
				  struct partition_request *req, char *err, size_t errlen)
{
	uint16_t first, last;

	memset(req, 0, sizeof(*req));
	for (unsigned int i = 0; i < CONFIG_NR_GUESTS; i++) {
		if (!config_boot_needs_guest(boot, i))
			continue;
		if (!cfg->guest[i].present) {
			if (err)
				fmt_snprintf(err, errlen, "partition: %s needs [%s], which the config lacks",
					     config_boot_name(boot), config_guest_section_name(i));
			return -EINVAL;
		}
		partition_request_guest(&cfg->guest[i], boot, &req->guest[i]);
	}
	if (config_log_ports(&cfg->log, &first, &last) == 0) {
		req->has_log_port = true;
		req->log_port.first = first;
		req->log_port.last = last;
	}
	return 0;
}
