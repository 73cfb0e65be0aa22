// SPDX-License-Identifier: GPL-2.0-only
/*
 * twinmon-check --json with --ram/--memmap: the partition plan, the same data as the table
 * (schema in docs/config.md); and the CPU plan, which needs no memory map. Ranges are written
 * with an inclusive "last", as the config file writes them, and every number as a plain
 * decimal integer.
 */
#include "partition/devices.h"
#include "partition/e820.h"
#include "tools/check.h"

static void check_json_range(FILE *f, const char *sep, uint64_t base, uint64_t end)
{
	fprintf(f, "%s{\"base\": %llu, \"last\": %llu, \"size\": %llu", sep,
		(unsigned long long)base, (unsigned long long)(end - 1),
		(unsigned long long)(end - base));
}

static void check_json_ranges(FILE *f, const struct partition_range *r, size_t n)
{
	fputc('[', f);
	for (size_t i = 0; i < n; i++) {
		check_json_range(f, i ? ", " : "", r[i].base, r[i].end);
		fputc('}', f);
	}
	fputc(']', f);
}

static void check_json_ports(FILE *f, const struct partition_ports *p, size_t n)
{
	fputc('[', f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s{\"first\": %u, \"last\": %u}", i ? ", " : "", p[i].first,
			p[i].last);
	fputc(']', f);
}

static void check_json_e820(FILE *f, const char *in, struct check_file *cf, unsigned int g,
			    bool *first)
{
	struct e820_table t;

	check_json_key(f, in, "e820", first);
	if (partition_build_e820(&cf->plan, g, &t)) {
		fputs("null", f);
		check_json_key(f, in, "e820_error", first);
		check_json_str(f, partition_error(&cf->plan));
		return;
	}
	fputc('[', f);
	for (uint32_t i = 0; i < t.nr; i++) {
		check_json_range(f, i ? ",\n              " : "\n              ", t.entry[i].addr,
				 t.entry[i].addr + t.entry[i].size);
		fprintf(f, ", \"type\": \"%s\"}", e820_type_name(t.entry[i].type));
	}
	fputs(t.nr ? "\n            ]" : "]", f);
}

static void check_json_guest_devices(FILE *f, const char *in, const struct partition_guest *pg,
				     bool *first)
{
	const char *sep = "";

	check_json_key(f, in, "ports", first);
	check_json_ports(f, pg->ports, pg->nr_ports);
	check_json_key(f, in, "uarts", first);
	fputc('[', f);
	for (unsigned int u = 0; u < PARTITION_NR_UARTS; u++) {
		if (!(pg->uart_mask & (1u << u)))
			continue;
		fprintf(f, "%s\"%s\"", sep, partition_uart_name(u));
		sep = ", ";
	}
	fputc(']', f);
	check_json_key(f, in, "pci", first);
	fputc('[', f);
	for (size_t i = 0; i < pg->nr_pci; i++)
		fprintf(f, "%s\"%02x:%02x.%x\"", i ? ", " : "", PARTITION_BDF_BUS(pg->pci[i]),
			PARTITION_BDF_DEV(pg->pci[i]), PARTITION_BDF_FN(pg->pci[i]));
	fputc(']', f);
	check_json_key(f, in, "irqs", first);
	fputc('[', f);
	sep = "";
	for (unsigned int irq = 0; irq < PARTITION_NR_IRQS; irq++) {
		if (pg->irq_mask & (1u << irq)) {
			fprintf(f, "%s%u", sep, irq);
			sep = ", ";
		}
	}
	fputc(']', f);
}

static void check_json_plan_guest(FILE *f, struct check_file *cf, unsigned int g)
{
	static const char in[] = "            ";
	const struct partition_guest *pg = &cf->plan.guest[g];
	bool first = true;

	fputc('{', f);
	check_json_key(f, in, "name", &first);
	check_json_str(f, cf->cfg.guest[g].name);
	check_json_key(f, in, "ram_bytes", &first);
	fprintf(f, "%llu", (unsigned long long)pg->ram_bytes);
	check_json_key(f, in, "low_bytes", &first);
	fprintf(f, "%llu", (unsigned long long)pg->low_bytes);
	/* Only twin shares the CPU; a guest alone (or without the monitor) has no slice. */
	check_json_key(f, in, "slice_us", &first);
	if (cf->entry == CONFIG_BOOT_TWIN)
		fprintf(f, "%u", cf->cfg.slice_us[g]);
	else
		fputs("null", f);
	check_json_key(f, in, "ram", &first);
	check_json_ranges(f, pg->ram, pg->nr_ram);
	check_json_e820(f, in, cf, g, &first);
	check_json_guest_devices(f, in, pg, &first);
	fputs("\n          }", f);
}

static void check_json_monitor(FILE *f, const char *in, const struct check_file *cf,
			       bool *first)
{
	const struct partition_plan *p = &cf->plan;

	check_json_key(f, in, "monitor", first);
	/* What the tool reserves is always an estimate; the app reserves what it uses. */
	fprintf(f, "{\"runs\": %s, \"estimate\": true, \"bytes\": %llu, \"ranges\": [",
		cf->monitor_runs ? "true" : "false", (unsigned long long)p->monitor_bytes);
	for (size_t i = 0; i < p->nr_monitor; i++) {
		check_json_range(f, i ? ", " : "", p->monitor[i].r.base, p->monitor[i].r.end);
		fputs(", \"label\": ", f);
		check_json_str(f, p->monitor[i].label);
		fputc('}', f);
	}
	fputs("], \"ports\": ", f);
	check_json_ports(f, p->monitor_ports, p->nr_monitor_ports);
	fputc('}', f);
}

void check_json_plan(FILE *f, struct check_file *cf, bool *first)
{
	static const char in[] = "        ";
	const struct check_machine *m = cf->machine;
	bool pfirst = true, gfirst = true;

	check_json_key(f, "      ", "plan", first);
	fputc('{', f);
	check_json_key(f, in, "entry", &pfirst);
	check_json_str(f, config_boot_name(cf->entry));
	check_json_key(f, in, "machine", &pfirst);
	fputs("{\"memmap\": ", f);
	if (m->memmap_path)
		check_json_str(f, m->memmap_path);
	else
		fputs("null", f);
	if (m->memmap_path)
		fputs(", \"ram\": null", f);
	else
		fprintf(f, ", \"ram\": %llu", (unsigned long long)m->ram);
	fprintf(f, ", \"descriptors\": %zu, \"usable\": %llu}", m->map.count,
		(unsigned long long)check_map_usable(&m->map));
	check_json_monitor(f, in, cf, &pfirst);

	check_json_key(f, in, "guests", &pfirst);
	fputc('{', f);
	for (unsigned int g = 0; g < PARTITION_NR_GUESTS; g++) {
		char letter[2] = { cf->plan.guest[g].letter, 0 };

		check_json_key(f, "          ", letter, &gfirst);
		if (cf->plan.guest[g].present)
			check_json_plan_guest(f, cf, g);
		else
			fputs("null", f);
	}
	fputs("\n        }", f);
	check_json_key(f, in, "unassigned", &pfirst);
	check_json_ranges(f, cf->plan.avail, cf->plan.nr_avail);
	fputs("\n      }", f);
}

/* A CPU mask as a sorted list of CPU indexes. */
static void check_json_cpu_list(FILE *f, uint64_t mask)
{
	const char *sep = "";

	fputc('[', f);
	for (unsigned cpu = 0; cpu < PARTITION_MAX_CPUS; cpu++) {
		if (mask & (1ULL << cpu)) {
			fprintf(f, "%s%u", sep, cpu);
			sep = ", ";
		}
	}
	fputc(']', f);
}

void check_json_cpu_plan(FILE *f, const struct check_file *cf, bool *first)
{
	static const char in[] = "        ";
	const struct partition_cpu_plan *cp = &cf->cpus;
	bool pfirst = true, gfirst = true;

	check_json_key(f, "      ", "cpu_plan", first);
	if (!cf->cpus_planned) {
		fputs("null", f);
		return;
	}
	fputc('{', f);
	check_json_key(f, in, "entry", &pfirst);
	check_json_str(f, config_boot_name(cf->entry));
	check_json_key(f, in, "machine_cpus", &pfirst);
	if (cp->nr_machine_cpus)
		fprintf(f, "%u", cp->nr_machine_cpus);
	else
		fputs("null", f);
	check_json_key(f, in, "used", &pfirst);
	check_json_cpu_list(f, cp->used);
	check_json_key(f, in, "shared", &pfirst);
	check_json_cpu_list(f, cp->shared);
	/* Per guest: element k is the physical CPU of vCPU k. */
	check_json_key(f, in, "vcpu_cpu", &pfirst);
	fputc('{', f);
	for (unsigned g = 0; g < PARTITION_NR_GUESTS; g++) {
		char letter[2] = { (char)('a' + g), 0 };

		check_json_key(f, "          ", letter, &gfirst);
		if (!cp->nr_vcpus[g]) {
			fputs("null", f);
			continue;
		}
		fputc('[', f);
		for (unsigned k = 0; k < cp->nr_vcpus[g]; k++)
			fprintf(f, "%s%u", k ? ", " : "", cp->vcpu_cpu[g][k]);
		fputc(']', f);
	}
	fputs("\n        }\n      }", f);
}
