// SPDX-License-Identifier: GPL-2.0-only
#include "guest-config/describe.h"

#include <stdarg.h>

#include "lib/fmt.h"

/* Appends to a buffer, tracking the full length as snprintf does, so lists never overflow. */
struct config_out {
	char *buf;
	size_t size;
	size_t len;
};

static void config_put(struct config_out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void config_put(struct config_out *o, const char *fmt, ...)
{
	size_t room = o->len < o->size ? o->size - o->len : 0;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(room ? o->buf + o->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n;
}

static int config_done(struct config_out *o)
{
	if (o->size && !o->len)
		o->buf[0] = '\0';
	return o->len > INT32_MAX ? INT32_MAX : (int)o->len;
}

static void config_put_size(struct config_out *o, uint64_t bytes)
{
	char s[32];

	config_put(o, "%s", fmt_size(s, sizeof(s), bytes));
}

int config_describe_memory(char *buf, size_t size, const struct config_memory *m)
{
	struct config_out o = { buf, size, 0 };

	switch (m->kind) {
	case CONFIG_MEM_RANGE:
		config_put(&o, "0x%llx-0x%llx", (unsigned long long)m->base,
			   (unsigned long long)(m->base + m->size - 1));
		break;
	case CONFIG_MEM_SIZE:
		config_put_size(&o, m->size);
		config_put(&o, " %s", config_placement_name(m->placement));
		break;
	default:
		config_put(&o, "auto %s", config_placement_name(m->placement));
		break;
	}
	return config_done(&o);
}

int config_describe_mem_min(char *buf, size_t size, const struct guest_config *g)
{
	if (!g->loc[CONFIG_KEY_MEM_MIN].line)
		return fmt_snprintf(buf, size, "-");
	return fmt_snprintf(buf, size, "0x%llx", (unsigned long long)g->mem_min);
}

int config_describe_mem_max(char *buf, size_t size, const struct guest_config *g)
{
	if (!g->loc[CONFIG_KEY_MEM_MAX].line)
		return fmt_snprintf(buf, size, "-");
	return fmt_snprintf(buf, size, "0x%llx", (unsigned long long)g->mem_max);
}

uint64_t config_low_memory_share(const struct twin_config *cfg, uint32_t mode, unsigned int i)
{
	const struct guest_config *g, *other;
	bool other_runs;
	uint64_t left;

	if (i >= CONFIG_NR_GUESTS || !config_mode_needs_guest(mode, i))
		return 0;
	g = &cfg->guest[i];
	other = &cfg->guest[!i];
	if (g->low_memory_set)
		return g->low_memory;
	other_runs = config_mode_needs_guest(mode, !i) && other->present;
	left = CONFIG_LOW_RAM_END;
	if (other_runs && other->low_memory_set)
		left = other->low_memory < left ? left - other->low_memory : 0;
	else if (other_runs)
		left /= 2;
	return left & ~(CONFIG_PAGE_SIZE - 1);
}

int config_describe_low_memory(char *buf, size_t size, const struct twin_config *cfg,
			       uint32_t mode, unsigned int i)
{
	struct config_out o = { buf, size, 0 };
	uint64_t share = config_low_memory_share(cfg, mode, i);

	if (i < CONFIG_NR_GUESTS && cfg->guest[i].low_memory_set) {
		config_put_size(&o, share);
	} else {
		config_put(&o, "split (");
		config_put_size(&o, share);
		config_put(&o, ")");
	}
	return config_done(&o);
}

int config_describe_ports(char *buf, size_t size, const struct guest_config *g)
{
	struct config_out o = { buf, size, 0 };
	uint32_t n = g->nr_ports < CONFIG_MAX_PORT_RANGES ? g->nr_ports : CONFIG_MAX_PORT_RANGES;

	for (uint32_t i = 0; i < n; i++) {
		const struct config_port_range *r = &g->ports[i];

		config_put(&o, "%s0x%x", i ? ", " : "", r->first);
		if (r->last != r->first)
			config_put(&o, "-0x%x", r->last);
	}
	if (!n)
		config_put(&o, "none");
	return config_done(&o);
}

int config_describe_uarts(char *buf, size_t size, const struct guest_config *g)
{
	struct config_out o = { buf, size, 0 };
	const char *sep = "";

	for (unsigned int u = 0; u < CONFIG_NR_UARTS; u++) {
		if (!(g->uart_mask & (1u << u)))
			continue;
		config_put(&o, "%s%s (0x%x-0x%x, IRQ %u)", sep, config_uart_name(u),
			   config_uart_port(u), config_uart_port(u) + CONFIG_UART_PORTS - 1,
			   config_uart_irq(u));
		sep = ", ";
	}
	if (!*sep)
		config_put(&o, "none");
	return config_done(&o);
}

int config_describe_pci(char *buf, size_t size, const struct guest_config *g)
{
	struct config_out o = { buf, size, 0 };
	uint32_t n = g->nr_pci < CONFIG_MAX_PCI ? g->nr_pci : CONFIG_MAX_PCI;

	for (uint32_t i = 0; i < n; i++) {
		config_put(&o, "%s%02x:%02x.%x", i ? ", " : "", g->pci[i].bus, g->pci[i].dev,
			   g->pci[i].fn);
		if (g->pci[i].gsi)
			config_put(&o, "@%u", g->pci[i].gsi);
	}
	if (!n)
		config_put(&o, "none");
	return config_done(&o);
}

/* Bits 0..n-1 of mask as "1, 5, 9-11", or "none". */
static int config_describe_mask(char *buf, size_t size, uint64_t mask, unsigned int n)
{
	struct config_out o = { buf, size, 0 };
	const char *sep = "";

	for (unsigned int i = 0; i < n; i++) {
		unsigned int last = i;

		if (!(mask & (1ULL << i)))
			continue;
		while (last + 1 < n && (mask & (1ULL << (last + 1))))
			last++;
		if (last == i)
			config_put(&o, "%s%u", sep, i);
		else
			config_put(&o, "%s%u-%u", sep, i, last);
		sep = ", ";
		i = last;
	}
	if (!*sep)
		config_put(&o, "none");
	return config_done(&o);
}

int config_describe_irqs(char *buf, size_t size, uint32_t mask)
{
	return config_describe_mask(buf, size, mask, CONFIG_NR_IRQS);
}

int config_describe_cpus(char *buf, size_t size, uint64_t mask)
{
	return config_describe_mask(buf, size, mask, CONFIG_MAX_CPUS);
}

int config_describe_log_port(char *buf, size_t size, const struct config_log_port *log)
{
	uint16_t first, last;

	if (config_log_ports(log, &first, &last))
		return fmt_snprintf(buf, size, "none");
	switch (log->kind) {
	case CONFIG_LOG_DEBUGCON: return fmt_snprintf(buf, size, "debugcon (0x%x)", first);
	case CONFIG_LOG_UART:
		return fmt_snprintf(buf, size, "%s (0x%x-0x%x)", config_uart_name(log->uart), first,
				    last);
	default: return fmt_snprintf(buf, size, "0x%x", first);
	}
}

int config_describe_slice(char *buf, size_t size, uint32_t us)
{
	if (us && us % 1000000 == 0)
		return fmt_snprintf(buf, size, "%us", us / 1000000);
	if (us && us % 1000 == 0)
		return fmt_snprintf(buf, size, "%ums", us / 1000);
	return fmt_snprintf(buf, size, "%uus", us);
}

int config_describe_dma_warning(char *buf, size_t size, const struct twin_config *cfg)
{
	char fns[CONFIG_DESCRIBE_MAX];
	size_t len = 0;
	int n;

	if (size)
		buf[0] = 0;
	if (cfg->dma != CONFIG_DMA_UNCONFINED)
		return 0;
	for (unsigned int i = 0; i < CONFIG_NR_GUESTS; i++) {
		const struct guest_config *g = &cfg->guest[i];

		if (!g->present || !g->nr_pci)
			continue;
		config_describe_pci(fns, sizeof(fns), g);
		n = fmt_snprintf(buf + (len < size ? len : size), len < size ? size - len : 0,
				 "%sguest %c's %s", len ? ", " : "", config_guest_letter(i), fns);
		len += (size_t)n;
	}
	if (!len)
		return 0;
	n = fmt_snprintf(buf + (len < size ? len : size), len < size ? size - len : 0,
			 ": dma = unconfined: without an IOMMU their DMA reaches all RAM, the "
			 "other guest's and the monitor's included");
	return (int)(len + (size_t)n);
}
