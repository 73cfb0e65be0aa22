// SPDX-License-Identifier: GPL-2.0-only
/* twinmon-check's human-readable plan: aligned label/value tables, long values wrapped. */
#include <string.h>

#include "guest-config/check.h"
#include "guest-config/describe.h"
#include "guest-config/utf8.h"
#include "lib/fmt.h"

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
	static struct check_row rows[5] = {
		{ .label = "mode" },	   { .label = "default" },  { .label = "slices" },
		{ .label = "irq-policy" }, { .label = "log-port" },
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
	check_print_rows(f, rows, 5, 1);
}

static void check_print_guests(FILE *f, const struct twin_config *cfg)
{
	static struct check_row rows[14];
	static const char *const labels[14] = {
		"",	  "name",     "kernel",	 "initrd",  "cmdline", "format", "memory",
		"low-mem", "mem-min", "mem-max", "ports",   "uarts",   "pci",	 "irqs",
	};
	int ncols = 0;

	memset(rows, 0, sizeof(rows));
	for (int r = 0; r < 14; r++)
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
	}
	check_print_rows(f, rows, 14, ncols);
}

static void check_print_plan(FILE *f, const struct twin_config *cfg, const struct check_plan *p)
{
	static struct check_row rows[CONFIG_NR_GUESTS + 1];
	char ram[32];
	int n = 1;

	memset(rows, 0, sizeof(rows));
	rows[0].label = "guest";
	fprintf(f, "\n  placement in %s of RAM (simple model; partition/ decides at boot)\n",
		fmt_size(ram, sizeof(ram), p->ram));
	fmt_snprintf(rows[0].cell[0], CHECK_CELL_MAX, "request");
	fmt_snprintf(rows[0].cell[1], CHECK_CELL_MAX, "range");
	fmt_snprintf(rows[0].cell[2], CHECK_CELL_MAX, "size");
	fmt_snprintf(rows[0].cell[3], CHECK_CELL_MAX, "below 640K");
	for (unsigned int i = 0; i < CONFIG_NR_GUESTS; i++) {
		const struct check_place *pl = &p->guest[i];
		struct check_row *r = &rows[n];

		if (!pl->runs)
			continue;
		r->label = i == CONFIG_GUEST_A ? "a" : "b";
		config_describe_memory(r->cell[0], CHECK_CELL_MAX, &cfg->guest[i].memory);
		fmt_snprintf(r->cell[1], CHECK_CELL_MAX, "0x%llx-0x%llx",
			     (unsigned long long)pl->base,
			     (unsigned long long)(pl->base + pl->size - 1));
		fmt_size(r->cell[2], CHECK_CELL_MAX, pl->size);
		fmt_size(r->cell[3], CHECK_CELL_MAX, pl->low_memory);
		n++;
	}
	check_print_rows(f, rows, n, 4);
}

void check_print_table(FILE *f, const struct check_file *cf)
{
	fprintf(f, "%s: valid\n", cf->path);
	check_print_global(f, &cf->cfg);
	fputc('\n', f);
	check_print_guests(f, &cf->cfg);
	if (cf->plan.ram)
		check_print_plan(f, &cf->cfg, &cf->plan);
}
