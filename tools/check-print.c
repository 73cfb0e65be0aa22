// SPDX-License-Identifier: GPL-2.0-only
/* twinmon-check's human-readable plan: aligned label/value tables, long values wrapped. */
#include <string.h>

#include "guest-config/describe.h"
#include "guest-config/names.h"
#include "guest-config/utf8.h"
#include "lib/fmt.h"
#include "partition/plan_print.h"
#include "tools/check.h"

#define CHECK_LABEL_W 12
#define CHECK_CELL_W  38 /* two guest columns and the labels fit in 100 columns */
#define CHECK_COLS    4
/* The longest value is a command line; everything else fits CONFIG_DESCRIBE_MAX. */
#define CHECK_CELL_MAX (CONFIG_CMDLINE_MAX + 1)

struct check_row {
	const char *label;
	char cell[CHECK_COLS][CHECK_CELL_MAX];
};

/* Display width, counting each character as one column. */
static size_t check_width(const char *s, size_t len)
{
	size_t w = 0, pos = 0;

	while (pos < len) {
		uint32_t cp;
		size_t n = config_utf8_decode(s + pos, len - pos, &cp);

		pos += n ? n : 1;
		w++;
	}
	return w;
}

/* Bytes of s to put on one line of at most w columns: break after a blank when possible. */
static size_t check_chunk(const char *s, size_t len, size_t w)
{
	size_t pos = 0, cols = 0, brk = 0;

	while (pos < len && cols < w) {
		uint32_t cp;
		size_t n = config_utf8_decode(s + pos, len - pos, &cp);

		pos += n ? n : 1;
		cols++;
		if (s[pos - 1] == ' ')
			brk = pos;
	}
	if (pos < len && brk)
		return brk;
	return pos;
}

static void check_print_rows(FILE *f, const struct check_row *rows, int nrows, int ncols)
{
	size_t width[CHECK_COLS] = { 0 };

	for (int r = 0; r < nrows; r++) {
		for (int c = 0; c < ncols; c++) {
			size_t w = check_width(rows[r].cell[c], strlen(rows[r].cell[c]));

			if (w > width[c])
				width[c] = w < CHECK_CELL_W ? w : CHECK_CELL_W;
		}
	}
	for (int r = 0; r < nrows; r++) {
		const char *rest[CHECK_COLS];
		size_t left[CHECK_COLS];
		bool first = true, more = true;

		for (int c = 0; c < ncols; c++) {
			rest[c] = rows[r].cell[c];
			left[c] = strlen(rest[c]);
		}
		while (more) {
			char line[CHECK_COLS * (CHECK_CELL_W * 4 + 2) + CHECK_LABEL_W + 8];
			size_t len;

			more = false;
			len = (size_t)fmt_snprintf(line, sizeof(line), "  %-*s", CHECK_LABEL_W,
						   first ? rows[r].label : "");
			for (int c = 0; c < ncols && len < sizeof(line); c++) {
				size_t n = check_chunk(rest[c], left[c], width[c]);
				size_t pad = width[c] - check_width(rest[c], n);

				len += (size_t)fmt_snprintf(line + len, sizeof(line) - len,
							    "  %.*s%*s", (int)n, rest[c], (int)pad,
							    "");
				rest[c] += n;
				left[c] -= n;
				while (left[c] && *rest[c] == ' ') {
					rest[c]++;
					left[c]--;
				}
				if (left[c])
					more = true;
			}
			if (len >= sizeof(line))
				len = sizeof(line) - 1;
			while (len && line[len - 1] == ' ')
				len--;
			fprintf(f, "%.*s\n", (int)len, line);
			first = false;
		}
	}
}

static void check_print_global(FILE *f, const struct twin_config *cfg)
{
	static struct check_row rows[6] = {
		{ .label = "mode" },	   { .label = "default" },  { .label = "slices" },
		{ .label = "irq-policy" }, { .label = "log-port" }, { .label = "dma" },
	};
	char a[32], b[32];

	fmt_snprintf(rows[0].cell[0], CHECK_CELL_MAX, "%s", config_mode_name(cfg->mode));
	fmt_snprintf(rows[1].cell[0], CHECK_CELL_MAX, "%s, menu timeout %us",
		     config_boot_name(cfg->boot_default), cfg->timeout);
	config_describe_slice(a, sizeof(a), cfg->slice_us[CONFIG_GUEST_A]);
	config_describe_slice(b, sizeof(b), cfg->slice_us[CONFIG_GUEST_B]);
	fmt_snprintf(rows[2].cell[0], CHECK_CELL_MAX, "guest a %s, guest b %s", a, b);
	fmt_snprintf(rows[3].cell[0], CHECK_CELL_MAX, "%s",
		     config_irq_policy_name(cfg->irq_policy));
	config_describe_log_port(rows[4].cell[0], CHECK_CELL_MAX, &cfg->log);
	fmt_snprintf(rows[5].cell[0], CHECK_CELL_MAX, "%s", config_dma_name(cfg->dma));
	check_print_rows(f, rows, 6, 1);
}

static void check_print_guests(FILE *f, const struct twin_config *cfg)
{
	static struct check_row rows[17];
	static const char *const labels[17] = {
		"",	   "name",    "kernel",	 "initrd", "cmdline", "format",
		"memory",  "low-mem", "mem-min", "mem-max", "ports",	"uarts",
		"pci",	   "irqs",    "on-reset", "apic",	"cpus",
	};
	int ncols = 0;

	memset(rows, 0, sizeof(rows));
	for (int r = 0; r < 17; r++)
		rows[r].label = labels[r];
	for (unsigned int i = 0; i < CONFIG_NR_GUESTS; i++) {
		const struct guest_config *g = &cfg->guest[i];
		int c = ncols;

		if (!g->present)
			continue;
		ncols++;
		fmt_snprintf(rows[0].cell[c], CHECK_CELL_MAX, "[%s]%s",
			     config_guest_section_name(i),
			     config_mode_needs_guest(cfg->mode, i) ? "" : " (not run in mode)");
		fmt_snprintf(rows[1].cell[c], CHECK_CELL_MAX, "%s", g->name);
		fmt_snprintf(rows[2].cell[c], CHECK_CELL_MAX, "%s", g->kernel);
		fmt_snprintf(rows[3].cell[c], CHECK_CELL_MAX, "%s",
			     g->initrd[0] ? g->initrd : "-");
		fmt_snprintf(rows[4].cell[c], CHECK_CELL_MAX, "%s",
			     g->cmdline[0] ? g->cmdline : "-");
		fmt_snprintf(rows[5].cell[c], CHECK_CELL_MAX, "%s",
			     config_format_name(g->format));
		config_describe_memory(rows[6].cell[c], CHECK_CELL_MAX, &g->memory);
		/* A guest the mode leaves out is shown with the share it would get in twin. */
		config_describe_low_memory(rows[7].cell[c], CHECK_CELL_MAX, cfg,
					   config_mode_needs_guest(cfg->mode, i) ? cfg->mode
										 : CONFIG_MODE_TWIN,
					   i);
		config_describe_mem_min(rows[8].cell[c], CHECK_CELL_MAX, g);
		config_describe_mem_max(rows[9].cell[c], CHECK_CELL_MAX, g);
		config_describe_ports(rows[10].cell[c], CHECK_CELL_MAX, g);
		config_describe_uarts(rows[11].cell[c], CHECK_CELL_MAX, g);
		config_describe_pci(rows[12].cell[c], CHECK_CELL_MAX, g);
		config_describe_irqs(rows[13].cell[c], CHECK_CELL_MAX, g->irq_mask);
		fmt_snprintf(rows[14].cell[c], CHECK_CELL_MAX, "%s",
			     config_on_reset_names[g->on_reset]);
		fmt_snprintf(rows[15].cell[c], CHECK_CELL_MAX, "%s", config_apic_names[g->apic]);
		config_describe_cpus(rows[16].cell[c], CHECK_CELL_MAX, g->cpus);
	}
	check_print_rows(f, rows, 17, ncols);
}

/* One line of partition_plan_print(), indented under the tool's tables, trailing blanks cut. */
static void check_emit(void *ctx, const char *line)
{
	size_t len = strlen(line);

	while (len && line[len - 1] == ' ')
		len--;
	fprintf(ctx, "  %.*s\n", (int)len, line);
}

/* The guests' part of the plan in the config's words: what each got, and its slice. */
static void check_print_summary(FILE *f, struct check_file *cf)
{
	static struct check_row rows[6];
	static const char *const labels[6] = { "", "name", "RAM", "below 640K", "above 1M",
					       "slice" };
	const struct partition_plan *p = &cf->plan;
	int ncols = 0;

	memset(rows, 0, sizeof(rows));
	for (int r = 0; r < 6; r++)
		rows[r].label = labels[r];
	for (unsigned int i = 0; i < CONFIG_NR_GUESTS; i++) {
		const struct partition_guest *pg = &p->guest[i];
		int c = ncols;
		size_t k = 0;

		if (!pg->present)
			continue;
		ncols++;
		fmt_snprintf(rows[0].cell[c], CHECK_CELL_MAX, "guest %c", pg->letter);
		fmt_snprintf(rows[1].cell[c], CHECK_CELL_MAX, "%s", cf->cfg.guest[i].name);
		fmt_size(rows[2].cell[c], CHECK_CELL_MAX, pg->ram_bytes);
		fmt_size(rows[3].cell[c], CHECK_CELL_MAX, pg->low_bytes);
		/* The ranges are sorted: those below 640K (there may be several) come first. */
		while (k < pg->nr_ram && pg->ram[k].base < PARTITION_HIGH_START)
			k++;
		if (k < pg->nr_ram) {
			fmt_snprintf(rows[4].cell[c], CHECK_CELL_MAX, "0x%llx-0x%llx (%zu range%s)",
				     (unsigned long long)pg->ram[k].base,
				     (unsigned long long)(pg->ram[pg->nr_ram - 1].end - 1),
				     pg->nr_ram - k, pg->nr_ram - k == 1 ? "" : "s");
		} else {
			fmt_snprintf(rows[4].cell[c], CHECK_CELL_MAX, "none above 1M");
		}
		if (cf->entry == CONFIG_BOOT_TWIN)
			config_describe_slice(rows[5].cell[c], CHECK_CELL_MAX,
					      cf->cfg.slice_us[i]);
		else
			fmt_snprintf(rows[5].cell[c], CHECK_CELL_MAX, "%s",
				     cf->monitor_runs ? "runs alone" : "owns the CPU");
	}
	check_print_rows(f, rows, 6, ncols);
}

void check_print_plan(FILE *f, struct check_file *cf)
{
	const struct check_machine *m = cf->machine;
	const struct partition_plan *p = &cf->plan;
	char s1[32], s2[32];

	fprintf(f, "\n  plan for entry %s\n", config_boot_name(cf->entry));
	fmt_size(s2, sizeof(s2), check_map_usable(&m->map));
	if (m->memmap_path)
		fprintf(f, "  %-*s  %s: %zu descriptors, %s usable\n", CHECK_LABEL_W, "memory map",
			m->memmap_path, m->map.count, s2);
	else
		fprintf(f, "  %-*s  synthesized q35 map for --ram %s: %zu descriptors, %s usable\n",
			CHECK_LABEL_W, "memory map", fmt_size(s1, sizeof(s1), m->ram), m->map.count,
			s2);
	fprintf(f, "  %-*s  %s at 0x%llx-0x%llx (estimate: %s)\n", CHECK_LABEL_W,
		cf->monitor_runs ? "monitor" : "no monitor",
		fmt_size(s1, sizeof(s1), p->monitor_bytes),
		(unsigned long long)p->monitor[0].r.base,
		(unsigned long long)(p->monitor[0].r.end - 1),
		cf->monitor_runs ? "image, stacks, VMCBs, NPT" : "app image, identity map, stack");
	check_print_summary(f, cf);
	fputc('\n', f);
	partition_plan_print(&cf->plan, check_emit, f);
}

void check_print_cpu_plan(FILE *f, const struct check_file *cf)
{
	if (!cf->cpus_planned)
		return;
	if (cf->nr_cpus)
		fprintf(f, "\n  CPUs for entry %s on a machine with %u (--cpus)\n",
			config_boot_name(cf->entry), cf->nr_cpus);
	else
		fprintf(f, "\n  CPUs for entry %s (the machine's count is unknown: --cpus N "
			"checks it)\n", config_boot_name(cf->entry));
	partition_cpu_plan_print(&cf->cpus, check_emit, f);
}

void check_print_table(FILE *f, struct check_file *cf)
{
	fprintf(f, "%s: valid\n", cf->path);
	check_print_global(f, &cf->cfg);
	fputc('\n', f);
	check_print_guests(f, &cf->cfg);
	check_print_cpu_plan(f, cf);
	if (cf->machine)
		check_print_plan(f, cf);
}
