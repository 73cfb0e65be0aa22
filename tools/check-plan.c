// SPDX-License-Identifier: GPL-2.0-only
/*
 * twinmon-check --ram/--memmap: the partition plan for one config, made by the partition
 * library in the order the EFI app calls it, so what the tool shows is what boot would do
 * on that memory map (up to the monitor's reservation, which here is an estimate). Also the
 * CPU plan, which needs no memory map (--cpus N gives the machine's count).
 */
#include <errno.h>
#include <string.h>

#include "partition/config_request.h"
#include "tools/check.h"

int check_entry_parse(const char *word, uint32_t *entry)
{
	for (uint32_t b = 0; b < CONFIG_BOOT_COUNT; b++) {
		/* "exit" starts nothing, so there is no plan to show for it. */
		if (b == CONFIG_BOOT_EXIT || strcmp(word, config_boot_name(b)))
			continue;
		*entry = b;
		return 0;
	}
	return -EINVAL;
}

uint32_t check_entry_default(const struct twin_config *cfg)
{
	/*
	 * The mode, not the menu's default: the mode is what the file says the monitor runs,
	 * while "default" may well be a direct entry kept for rescue.
	 */
	return config_boot_for_mode(cfg->mode);
}

static bool check_entry_runs_monitor(uint32_t entry)
{
	return entry != CONFIG_BOOT_DIRECT_A && entry != CONFIG_BOOT_DIRECT_B;
}

int check_cpu_plan_build(struct check_file *cf, uint32_t entry)
{
	struct partition_request req;
	char err[PARTITION_ERR_MAX];
	int rc;

	cf->entry = entry;
	cf->cpus_planned = false;
	if (!check_entry_runs_monitor(entry))
		return 0;
	err[0] = 0;
	rc = partition_request_from_config(&cf->cfg, entry, &req, err, sizeof(err));
	if (!rc) {
		req.nr_machine_cpus = cf->nr_cpus;
		rc = partition_cpu_plan_from_request(&cf->cpus, &req, err, sizeof(err));
	}
	if (!rc) {
		cf->cpus_planned = true;
		return 0;
	}
	config_diag_add(&cf->diag, 0, 0, "%s", err);
	cf->valid = false;
	return rc;
}

int check_plan_build(struct check_file *cf, uint32_t entry)
{
	struct partition_plan *plan = &cf->plan;
	struct partition_request req;
	char err[PARTITION_ERR_MAX];
	uint64_t base;
	int rc;

	cf->entry = entry;
	cf->monitor_runs = check_entry_runs_monitor(entry);
	err[0] = 0;
	rc = partition_plan_init(plan, &cf->machine->map);
	if (!rc && cf->monitor_runs)
		rc = partition_reserve_monitor(plan, CHECK_MONITOR_SIZE, CHECK_MONITOR_ALIGN,
					       CHECK_MONITOR_LABEL, &base);
	else if (!rc)
		rc = partition_reserve_monitor(plan, CHECK_DIRECT_SIZE, CHECK_DIRECT_ALIGN,
					       CHECK_DIRECT_LABEL, &base);
	if (!rc) {
		/* Its message is not in the plan: the request is made without one. */
		rc = partition_request_from_config(&cf->cfg, entry, &req, err, sizeof(err));
		req.nr_machine_cpus = cf->nr_cpus;
		if (!rc)
			rc = partition_plan_build(plan, &req);
		/* The monitor's entries give the guests their BARs at boot; direct ones do not. */
		if (!rc && cf->monitor_runs)
			rc = check_pci_plan(cf);
	}
	if (!rc)
		return 0;
	config_diag_add(&cf->diag, 0, 0, "%s", err[0] ? err : partition_error(plan));
	cf->valid = false;
	return rc;
}
