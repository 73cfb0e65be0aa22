// SPDX-License-Identifier: GPL-2.0-only
#include "partition/plan_print.h"

#include <stdarg.h>

#include "lib/fmt.h"
#include "partition/devices.h"
#include "partition/e820.h"

#define PLAN_LINE_MAX 160

struct plan_out {
	partition_emit_fn emit;
	void *ctx;
};

static void plan_line(struct plan_out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void plan_line(struct plan_out *o, const char *fmt, ...)
{
	char line[PLAN_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	o->emit(o->ctx, line);
}

static void plan_range(struct plan_out *o, const char *what, uint64_t b, uint64_t e,
		       const char *note)
{
	char sz[24];

	plan_line(o, "  %-6s 0x%016llx-0x%016llx %8s  %s", what, (unsigned long long)b,
		  (unsigned long long)(e - 1), fmt_size(sz, sizeof(sz), e - b), note);
}

/* Append to a line being built, keeping it NUL-terminated when it is full. */
static size_t plan_cat(char *line, size_t at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static size_t plan_cat(char *line, size_t at, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (at >= PLAN_LINE_MAX - 1)
		return at;
	va_start(ap, fmt);
	n = fmt_vsnprintf(line + at, PLAN_LINE_MAX - at, fmt, ap);
	va_end(ap);
	at += (size_t)n;
	return at < PLAN_LINE_MAX ? at : PLAN_LINE_MAX - 1;
}

/*
 * A function's INTx route once read at boot; before (twinmon-check), what QEMU's q35 rule
 * would give its pins, so that a line two guests would share shows up early.
 */
static void plan_intx(struct plan_out *o, const struct partition_guest *pg, uint16_t bdf)
{
	unsigned dev = PARTITION_BDF_DEV(bdf);

	for (size_t i = 0; i < pg->nr_intx; i++) {
		const struct partition_intx *x = &pg->intx[i];

		if (x->bdf != bdf)
			continue;
		if (x->gsi)
			plan_line(o, "    INT%c -> GSI %u (%s)", 'A' + x->pin - 1, x->gsi,
				  partition_intx_source_name(x->source));
		else
			plan_line(o, "    INT%c: no route (MSI only)", 'A' + x->pin - 1);
		return;
	}
	if (!pg->bars_read && PARTITION_BDF_BUS(bdf) == 0)
		plan_line(o, "    INTx read at boot; on QEMU q35 INTA-INTD -> GSI %u %u %u %u",
			  partition_intx_q35_gsi(dev, 1), partition_intx_q35_gsi(dev, 2),
			  partition_intx_q35_gsi(dev, 3), partition_intx_q35_gsi(dev, 4));
}

/* Device lines line up with the range lines: the value starts in column 9. */
static void plan_devices(struct plan_out *o, const struct partition_guest *pg)
{
	char line[PLAN_LINE_MAX], sz[24];
	size_t at;

	at = plan_cat(line, 0, "  ports ");
	for (size_t i = 0; i < pg->nr_ports; i++)
		at = pg->ports[i].first == pg->ports[i].last
			     ? plan_cat(line, at, " 0x%x", pg->ports[i].first)
			     : plan_cat(line, at, " 0x%x-0x%x", pg->ports[i].first,
					pg->ports[i].last);
	plan_line(o, "%s%s", line, pg->nr_ports ? "" : " none");

	at = plan_cat(line, 0, "  uarts ");
	for (unsigned u = 0; u < PARTITION_NR_UARTS; u++)
		if (pg->uart_mask & (1u << u))
			at = plan_cat(line, at, " %s", partition_uart_name(u));
	plan_line(o, "%s%s", line, pg->uart_mask ? "" : " none");

	at = plan_cat(line, 0, "  irqs  ");
	for (unsigned i = 0; i < PARTITION_NR_IRQS; i++)
		if (pg->irq_mask & (1u << i))
			at = plan_cat(line, at, " %u", i);
	plan_line(o, "%s%s", line, pg->irq_mask ? "" : " none");

	if (!pg->nr_pci)
		plan_line(o, "  pci    none");
	for (size_t i = 0; i < pg->nr_pci; i++) {
		uint16_t bdf = pg->pci[i];

		plan_line(o, "  pci    %02x:%02x.%x%s", PARTITION_BDF_BUS(bdf),
			  PARTITION_BDF_DEV(bdf), PARTITION_BDF_FN(bdf),
			  pg->bars_read ? "" : " (BARs not read yet)");
		plan_intx(o, pg, bdf);
		for (size_t j = 0; j < pg->nr_bars; j++) {
			const struct partition_bar *b = &pg->bars[j];

			if (b->bdf != bdf)
				continue;
			if (!b->base)
				plan_line(o, "    BAR%u %-5s unassigned %s", b->index,
					  partition_bar_kind_name(b->kind),
					  fmt_size(sz, sizeof(sz), b->size));
			else
				plan_line(o, "    BAR%u %-5s 0x%llx %s%s", b->index,
					  partition_bar_kind_name(b->kind),
					  (unsigned long long)b->base,
					  fmt_size(sz, sizeof(sz), b->size),
					  b->prefetchable ? " prefetchable" : "");
		}
	}
	for (size_t i = 0; i < pg->nr_mmio; i++)
		plan_range(o, "mmio", pg->mmio[i].base, pg->mmio[i].end, "uncached");
}

static int plan_guest(struct plan_out *o, struct partition_plan *plan, unsigned g)
{
	const struct partition_guest *pg = &plan->guest[g];
	struct e820_table t;
	char s1[24], s2[24];
	int err;

	if (!pg->present) {
		plan_line(o, "guest %c: not present", pg->letter);
		return 0;
	}
	plan_line(o, "guest %c: %s RAM (%s below 640K) in %zu ranges%s", pg->letter,
		  fmt_size(s1, sizeof(s1), pg->ram_bytes), fmt_size(s2, sizeof(s2), pg->low_bytes),
		  pg->nr_ram, pg->map_acpi ? ", ACPI tables mapped read-only" : "");
	for (size_t i = 0; i < pg->nr_ram; i++)
		plan_range(o, "ram", pg->ram[i].base, pg->ram[i].end, "write-back");
	err = partition_build_e820(plan, g, &t);
	if (err) {
		plan_line(o, "  e820   %s", partition_error(plan));
	} else {
		for (uint32_t i = 0; i < t.nr; i++)
			plan_range(o, "e820", t.entry[i].addr, t.entry[i].addr + t.entry[i].size,
				   e820_type_name(t.entry[i].type));
	}
	plan_devices(o, pg);
	return err;
}

int partition_plan_print(struct partition_plan *plan, partition_emit_fn emit, void *ctx)
{
	struct plan_out o = { emit, ctx };
	char s1[24];
	int err = 0;

	plan_line(&o, "partition plan%s", plan->built ? "" : " (not built)");
	if (plan->map)
		plan_line(&o, "memory map: %zu entries", plan->map->count);
	plan_line(&o, "monitor: %s of RAM in %zu reservations",
		  fmt_size(s1, sizeof(s1), plan->monitor_bytes), plan->nr_monitor);
	for (size_t i = 0; i < plan->nr_monitor; i++)
		plan_range(&o, "mon", plan->monitor[i].r.base, plan->monitor[i].r.end,
			   plan->monitor[i].label);
	for (size_t i = 0; i < plan->nr_monitor_ports; i++)
		plan_line(&o, "  ports  0x%x-0x%x%s", plan->monitor_ports[i].first,
			  plan->monitor_ports[i].last,
			  i == 0 ? " (PCI configuration)" : i == 1 && plan->has_log_port ? " (log)" : "");
	for (unsigned g = 0; g < PARTITION_NR_GUESTS; g++) {
		int e = plan_guest(&o, plan, g);

		if (e && !err)
			err = e;
	}
	plan_line(&o, "unassigned usable RAM: %s in %zu ranges",
		  fmt_size(s1, sizeof(s1), partition_ranges_bytes(plan->avail, plan->nr_avail)),
		  plan->nr_avail);
	for (size_t i = 0; i < plan->nr_avail; i++)
		plan_range(&o, "free", plan->avail[i].base, plan->avail[i].end, "");
	return err;
}
