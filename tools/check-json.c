// SPDX-License-Identifier: GPL-2.0-only
/* twinmon-check --json: the same plan as the table, for scripts (schema in docs/config.md). */
#include <string.h>

#include "guest-config/describe.h"
#include "guest-config/names.h"
#include "guest-config/utf8.h"
#include "tools/check.h"

/* File names need not be UTF-8; anything that is not becomes U+FFFD so the output parses. */
void check_json_str(FILE *f, const char *s)
{
	size_t len = strlen(s), pos = 0;

	fputc('"', f);
	while (pos < len) {
		unsigned char c = (unsigned char)s[pos];
		uint32_t cp;
		size_t n = config_utf8_decode(s + pos, len - pos, &cp);

		if (!n) {
			fputs("\\ufffd", f);
			pos++;
			continue;
		}
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fwrite(s + pos, 1, n, f);
		pos += n;
	}
	fputc('"', f);
}

void check_json_key(FILE *f, const char *indent, const char *key, bool *first)
{
	fprintf(f, "%s\n%s", *first ? "" : ",", indent);
	check_json_str(f, key);
	fputs(": ", f);
	*first = false;
}

static void check_json_kv_str(FILE *f, const char *indent, const char *key, const char *val,
			      bool *first)
{
	check_json_key(f, indent, key, first);
	check_json_str(f, val);
}

static void check_json_kv_num(FILE *f, const char *indent, const char *key,
			      unsigned long long val, bool *first)
{
	check_json_key(f, indent, key, first);
	fprintf(f, "%llu", val);
}

static void check_json_memory(FILE *f, const char *in, const struct config_memory *m,
			      bool *first)
{
	static const char *const kinds[] = { "auto", "size", "range" };

	check_json_key(f, in, "memory", first);
	fprintf(f, "{\"kind\": \"%s\"", kinds[m->kind <= CONFIG_MEM_RANGE ? m->kind : 0]);
	if (m->kind == CONFIG_MEM_RANGE)
		fprintf(f, ", \"base\": %llu, \"last\": %llu", (unsigned long long)m->base,
			(unsigned long long)(m->base + m->size - 1));
	if (m->kind != CONFIG_MEM_AUTO)
		fprintf(f, ", \"size\": %llu", (unsigned long long)m->size);
	if (m->kind != CONFIG_MEM_RANGE)
		fprintf(f, ", \"placement\": \"%s\"", config_placement_name(m->placement));
	fputc('}', f);
}

static void check_json_devices(FILE *f, const char *in, const struct guest_config *g,
			       bool *first)
{
	const char *sep = "";

	check_json_key(f, in, "ports", first);
	fputc('[', f);
	for (uint32_t i = 0; i < g->nr_ports && i < CONFIG_MAX_PORT_RANGES; i++)
		fprintf(f, "%s{\"first\": %u, \"last\": %u}", i ? ", " : "", g->ports[i].first,
			g->ports[i].last);
	fputc(']', f);

	check_json_key(f, in, "uarts", first);
	fputc('[', f);
	for (unsigned int u = 0; u < CONFIG_NR_UARTS; u++) {
		if (!(g->uart_mask & (1u << u)))
			continue;
		fprintf(f, "%s{\"name\": \"%s\", \"port\": %u, \"irq\": %u}", sep,
			config_uart_name(u), config_uart_port(u), config_uart_irq(u));
		sep = ", ";
	}
	fputc(']', f);

	check_json_key(f, in, "pci", first);
	fputc('[', f);
	for (uint32_t i = 0; i < g->nr_pci && i < CONFIG_MAX_PCI; i++) {
		fprintf(f, "%s\"%02x:%02x.%x", i ? ", " : "", g->pci[i].bus, g->pci[i].dev,
			g->pci[i].fn);
		if (g->pci[i].gsi)
			fprintf(f, "@%u", g->pci[i].gsi);
		fputc('"', f);
	}
	fputc(']', f);

	check_json_key(f, in, "irqs", first);
	fputc('[', f);
	sep = "";
	for (unsigned int irq = 0; irq < CONFIG_NR_IRQS; irq++) {
		if (g->irq_mask & (1u << irq)) {
			fprintf(f, "%s%u", sep, irq);
			sep = ", ";
		}
	}
	fputc(']', f);
}

static void check_json_guest(FILE *f, const struct twin_config *cfg, unsigned int i)
{
	static const char in[] = "          ";
	const struct guest_config *g = &cfg->guest[i];
	uint32_t mode = config_mode_needs_guest(cfg->mode, i) ? cfg->mode : CONFIG_MODE_TWIN;
	bool first = true;

	fputc('{', f);
	check_json_key(f, in, "runs", &first);
	fputs(config_mode_needs_guest(cfg->mode, i) ? "true" : "false", f);
	check_json_kv_str(f, in, "name", g->name, &first);
	check_json_kv_str(f, in, "kernel", g->kernel, &first);
	check_json_key(f, in, "initrd", &first);
	if (g->initrd[0])
		check_json_str(f, g->initrd);
	else
		fputs("null", f);
	check_json_kv_str(f, in, "cmdline", g->cmdline, &first);
	check_json_kv_str(f, in, "format", config_format_name(g->format), &first);
	check_json_kv_str(f, in, "on_reset", config_on_reset_names[g->on_reset], &first);
	check_json_kv_str(f, in, "apic", config_apic_names[g->apic], &first);
	check_json_memory(f, in, &g->memory, &first);
	check_json_key(f, in, "low_memory", &first);
	fprintf(f, "{\"size\": %llu, \"default\": %s}",
		(unsigned long long)config_low_memory_share(cfg, mode, i),
		g->low_memory_set ? "false" : "true");
	check_json_key(f, in, "mem_min", &first);
	if (g->loc[CONFIG_KEY_MEM_MIN].line)
		fprintf(f, "%llu", (unsigned long long)g->mem_min);
	else
		fputs("null", f);
	check_json_key(f, in, "mem_max", &first);
	if (g->loc[CONFIG_KEY_MEM_MAX].line)
		fprintf(f, "%llu", (unsigned long long)g->mem_max);
	else
		fputs("null", f);
	check_json_devices(f, in, g, &first);
	check_json_key(f, in, "cpus", &first);
	fputc('[', f);
	for (unsigned int cpu = 0, n = 0; cpu < CONFIG_MAX_CPUS; cpu++)
		if (g->cpus & (1ULL << cpu))
			fprintf(f, "%s%u", n++ ? ", " : "", cpu);
	fputc(']', f);
	fputs("\n        }", f);
}

static void check_json_config(FILE *f, struct check_file *cf, bool *first)
{
	static const char in[] = "        ";
	const struct twin_config *cfg = &cf->cfg;
	uint16_t lo, hi;
	bool gfirst = true;

	check_json_key(f, "      ", "global", first);
	fputc('{', f);
	check_json_kv_str(f, in, "mode", config_mode_name(cfg->mode), &gfirst);
	check_json_kv_str(f, in, "default", config_boot_name(cfg->boot_default), &gfirst);
	check_json_kv_num(f, in, "timeout", cfg->timeout, &gfirst);
	check_json_kv_num(f, in, "slice_a_us", cfg->slice_us[CONFIG_GUEST_A], &gfirst);
	check_json_kv_num(f, in, "slice_b_us", cfg->slice_us[CONFIG_GUEST_B], &gfirst);
	check_json_kv_str(f, in, "irq_policy", config_irq_policy_name(cfg->irq_policy), &gfirst);
	check_json_kv_str(f, in, "dma", config_dma_name(cfg->dma), &gfirst);
	check_json_key(f, in, "log_port", &gfirst);
	fprintf(f, "{\"kind\": \"%s\"", config_log_kind_name(cfg->log.kind));
	if (!config_log_ports(&cfg->log, &lo, &hi))
		fprintf(f, ", \"first\": %u, \"last\": %u", lo, hi);
	if (cfg->log.kind == CONFIG_LOG_UART)
		fprintf(f, ", \"uart\": \"%s\"", config_uart_name(cfg->log.uart));
	fputs("}\n      }", f);

	check_json_key(f, "      ", "guests", first);
	fputc('{', f);
	gfirst = true;
	for (unsigned int i = 0; i < CONFIG_NR_GUESTS; i++) {
		char letter[2] = { config_guest_letter(i), 0 };

		check_json_key(f, in, letter, &gfirst);
		if (cfg->guest[i].present)
			check_json_guest(f, cfg, i);
		else
			fputs("null", f);
	}
	fputs("\n      }", f);

	check_json_cpu_plan(f, cf, first);
	if (cf->machine)
		check_json_plan(f, cf, first);
}

static void check_json_errors(FILE *f, const struct check_file *cf, bool *first)
{
	const struct config_diag *d = &cf->diag;

	check_json_key(f, "      ", "errors", first);
	fputc('[', f);
	for (uint32_t i = 0; i < d->count; i++) {
		char text[CONFIG_DIAG_FILE_MAX + CONFIG_DIAG_TEXT_MAX + 32];

		config_diag_format(d, i, text, sizeof(text));
		fprintf(f, "%s\n        {\"line\": %u, \"column\": %u, \"message\": ", i ? "," : "",
			d->msg[i].line, d->msg[i].col);
		check_json_str(f, d->msg[i].text);
		fputs(", \"text\": ", f);
		check_json_str(f, text);
		fputc('}', f);
	}
	fputs(d->count ? "\n      ]" : "]", f);
	check_json_kv_num(f, "      ", "errors_not_shown", d->dropped, first);
}

void check_print_json(FILE *f, struct check_file *files, int count)
{
	fprintf(f, "{\n  \"version\": %u,\n  \"files\": [", CONFIG_VERSION);
	for (int i = 0; i < count; i++) {
		bool first = true;

		fputs(i ? ",\n    {" : "\n    {", f);
		check_json_kv_str(f, "      ", "file", files[i].path, &first);
		check_json_key(f, "      ", "valid", &first);
		fputs(files[i].valid ? "true" : "false", f);
		check_json_errors(f, &files[i], &first);
		if (files[i].valid)
			check_json_config(f, &files[i], &first);
		fputs("\n    }", f);
	}
	fputs(count ? "\n  ]\n}\n" : "]\n}\n", f);
}
