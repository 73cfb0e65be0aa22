// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for guest-config: any bytes go to config_parse(), which must not read
 * outside them, and whatever comes back must keep the promises docs/config.md makes: every
 * message is terminated and placed inside the input; a file reported valid has what its mode
 * needs and nothing shared between the guests or with the monitor's log port.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "guest-config/config.h"
#include "guest-config/describe.h"

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond))                                                                       \
			__builtin_trap();                                                          \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool terminated(const char *s, size_t size)
{
	return memchr(s, '\0', size) != NULL;
}

static void check_diag(const struct config_diag *d, const uint8_t *data, size_t size, int rc)
{
	static char all[CONFIG_DIAG_MAX * (CONFIG_DIAG_FILE_MAX + CONFIG_DIAG_TEXT_MAX + 32) + 128];
	uint32_t lines = 1;
	int n;

	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	CHECK(rc == 0 || rc == -EINVAL || rc == -EFBIG);
	CHECK((rc == 0) == (config_diag_total(d) == 0));
	CHECK(d->count <= CONFIG_DIAG_MAX);
	CHECK(terminated(d->file, sizeof(d->file)));
	for (uint32_t i = 0; i < d->count; i++) {
		const struct config_message *m = &d->msg[i];

		CHECK(terminated(m->text, sizeof(m->text)));
		CHECK(m->text[0]);
		CHECK(m->line <= lines);
		CHECK(m->line ? m->col >= 1 && m->col <= CONFIG_LINE_MAX + 1 : m->col == 0);
		/* Sorted by position, so users read them top to bottom. */
		if (i)
			CHECK(m->line > d->msg[i - 1].line ||
			      (m->line == d->msg[i - 1].line && m->col >= d->msg[i - 1].col));
	}
	n = config_diag_format_all(d, NULL, 0);
	CHECK(n >= 0 && (size_t)n < sizeof(all));
	CHECK(config_diag_format_all(d, all, sizeof(all)) == n);
	CHECK(strlen(all) == (size_t)n);
}

static bool overlap(uint32_t a0, uint32_t a1, uint32_t b0, uint32_t b1)
{
	return a0 <= b1 && b0 <= a1;
}

/* Every port range guest g owns, UARTs included: up to 36 entries. */
static uint32_t port_ranges(const struct guest_config *g, uint16_t (*r)[2])
{
	uint32_t n = 0;

	CHECK(g->nr_ports <= CONFIG_MAX_PORT_RANGES);
	for (uint32_t i = 0; i < g->nr_ports; i++) {
		CHECK(g->ports[i].first <= g->ports[i].last);
		CHECK(!config_reserved_port_overlap(g->ports[i].first, g->ports[i].last));
		r[n][0] = g->ports[i].first;
		r[n++][1] = g->ports[i].last;
	}
	for (unsigned int u = 0; u < CONFIG_NR_UARTS; u++) {
		if (g->uart_mask & (1u << u)) {
			r[n][0] = config_uart_port(u);
			r[n++][1] = config_uart_port(u) + CONFIG_UART_PORTS - 1;
		}
	}
	return n;
}

static uint32_t irqs_of(const struct guest_config *g)
{
	uint32_t mask = g->irq_mask;

	for (unsigned int u = 0; u < CONFIG_NR_UARTS; u++)
		if (g->uart_mask & (1u << u))
			mask |= 1u << config_uart_irq(u);
	return mask;
}

static void check_guest(const struct twin_config *cfg, unsigned int i)
{
	static char buf[CONFIG_DESCRIBE_MAX];
	const struct guest_config *g = &cfg->guest[i];
	const struct config_memory *m = &g->memory;

	CHECK(terminated(g->name, sizeof(g->name)) && g->name[0]);
	CHECK(terminated(g->kernel, sizeof(g->kernel)) && g->kernel[0] == '\\');
	CHECK(!strchr(g->kernel, '/') && !strstr(g->kernel, "\\\\"));
	CHECK(terminated(g->initrd, sizeof(g->initrd)));
	CHECK(!g->initrd[0] || g->initrd[0] == '\\');
	CHECK(terminated(g->cmdline, sizeof(g->cmdline)));
	CHECK(g->format < CONFIG_FORMAT_COUNT);
	CHECK(m->placement <= CONFIG_PLACE_LOW);
	if (m->kind != CONFIG_MEM_AUTO) {
		CHECK(m->size && !(m->size % CONFIG_PAGE_SIZE) && m->size <= CONFIG_PHYS_LIMIT);
		CHECK(m->kind == CONFIG_MEM_SIZE || m->kind == CONFIG_MEM_RANGE);
	}
	if (m->kind == CONFIG_MEM_RANGE) {
		CHECK(m->base >= CONFIG_HIGH_START && !(m->base % CONFIG_PAGE_SIZE));
		CHECK(m->base >= g->mem_min && m->base + m->size - 1 <= g->mem_max);
	}
	CHECK(g->mem_min <= g->mem_max);
	CHECK(!g->low_memory_set || g->low_memory <= CONFIG_LOW_RAM_END);
	CHECK(g->nr_pci <= CONFIG_MAX_PCI);
	CHECK(!(g->irq_mask & (1u << CONFIG_CASCADE_IRQ)) && g->irq_mask < (1u << CONFIG_NR_IRQS));
	CHECK(g->uart_mask < (1u << CONFIG_NR_UARTS));
	CHECK(g->cpus && (unsigned int)__builtin_popcountll(g->cpus) <= CONFIG_MAX_VCPUS);

	CHECK(config_describe_memory(buf, sizeof(buf), m) < CONFIG_DESCRIBE_MAX);
	CHECK(config_describe_ports(buf, sizeof(buf), g) < CONFIG_DESCRIBE_MAX);
	CHECK(config_describe_uarts(buf, sizeof(buf), g) < CONFIG_DESCRIBE_MAX);
	CHECK(config_describe_pci(buf, sizeof(buf), g) < CONFIG_DESCRIBE_MAX);
	CHECK(config_describe_irqs(buf, sizeof(buf), g->irq_mask) < CONFIG_DESCRIBE_MAX);
	CHECK(config_describe_cpus(buf, sizeof(buf), g->cpus) < CONFIG_DESCRIBE_MAX);
	CHECK(config_describe_low_memory(buf, sizeof(buf), cfg, cfg->mode, i) <
	      CONFIG_DESCRIBE_MAX);
}

static void check_valid(const struct twin_config *cfg)
{
	static struct config_diag again;
	uint16_t pa[CONFIG_MAX_PORT_RANGES + CONFIG_NR_UARTS][2];
	uint16_t pb[CONFIG_MAX_PORT_RANGES + CONFIG_NR_UARTS][2];
	const struct guest_config *a = &cfg->guest[0], *b = &cfg->guest[1];
	uint32_t na = 0, nb = 0;
	uint16_t lo, hi;
	bool logs = config_log_ports(&cfg->log, &lo, &hi) == 0;

	CHECK(cfg->version == CONFIG_VERSION);
	CHECK(cfg->mode < CONFIG_MODE_COUNT && cfg->irq_policy < CONFIG_IRQ_POLICY_COUNT);
	CHECK(cfg->timeout <= CONFIG_TIMEOUT_MAX);
	CHECK(config_boot_available(cfg, cfg->boot_default));
	for (unsigned int i = 0; i < CONFIG_NR_GUESTS; i++) {
		CHECK(cfg->slice_us[i] >= CONFIG_SLICE_MIN_US &&
		      cfg->slice_us[i] <= CONFIG_SLICE_MAX_US);
		if (config_mode_needs_guest(cfg->mode, i))
			CHECK(cfg->guest[i].present);
		if (cfg->guest[i].present)
			check_guest(cfg, i);
	}
	if (a->present)
		na = port_ranges(a, pa);
	if (b->present)
		nb = port_ranges(b, pb);
	for (uint32_t i = 0; logs && i < na; i++)
		CHECK(!overlap(pa[i][0], pa[i][1], lo, hi));
	for (uint32_t j = 0; logs && j < nb; j++)
		CHECK(!overlap(pb[j][0], pb[j][1], lo, hi));

	if (a->present && b->present) {
		for (uint32_t i = 0; i < na; i++)
			for (uint32_t j = 0; j < nb; j++)
				CHECK(!overlap(pa[i][0], pa[i][1], pb[j][0], pb[j][1]));
		CHECK(!(irqs_of(a) & irqs_of(b)));
		for (uint32_t i = 0; i < a->nr_pci; i++)
			for (uint32_t j = 0; j < b->nr_pci; j++)
				CHECK(memcmp(&a->pci[i], &b->pci[j], 3));
		if (a->memory.kind == CONFIG_MEM_RANGE && b->memory.kind == CONFIG_MEM_RANGE)
			CHECK(!(a->memory.base < b->memory.base + b->memory.size &&
				b->memory.base < a->memory.base + a->memory.size));
		if (a->low_memory_set && b->low_memory_set)
			CHECK(a->low_memory + b->low_memory <= CONFIG_LOW_RAM_END);
		/* Time-shared (the same CPUs) or core-partitioned (none in common). */
		CHECK(a->cpus == b->cpus || !(a->cpus & b->cpus));
	}
	/* Validating a valid result again finds nothing. */
	config_diag_init(&again, "again");
	CHECK(config_validate(cfg, &again) == 0 && again.count == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct twin_config cfg, cfg2;
	static struct config_diag diag, diag2;
	int rc = config_parse("fuzz.conf", (const char *)data, size, &cfg, &diag);

	check_diag(&diag, data, size, rc);
	if (rc == 0)
		check_valid(&cfg);

	/* Same bytes, same answer: nothing depends on leftovers from an earlier call. */
	memset(&cfg2, 0xa5, sizeof(cfg2));
	memset(&diag2, 0x5a, sizeof(diag2));
	CHECK(config_parse("fuzz.conf", (const char *)data, size, &cfg2, &diag2) == rc);
	CHECK(diag2.count == diag.count && diag2.dropped == diag.dropped);
	for (uint32_t i = 0; i < diag.count; i++)
		CHECK(!strcmp(diag.msg[i].text, diag2.msg[i].text) &&
		      diag.msg[i].line == diag2.msg[i].line && diag.msg[i].col == diag2.msg[i].col);
	if (rc == 0)
		CHECK(!strcmp(cfg.guest[0].kernel, cfg2.guest[0].kernel) &&
		      !strcmp(cfg.guest[1].cmdline, cfg2.guest[1].cmdline));
	return 0;
}
