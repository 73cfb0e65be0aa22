// SPDX-License-Identifier: GPL-2.0-only
/*
 * Checks that need the whole file. Whenever both guest sections exist they are checked
 * against each other, whatever the mode, because the boot menu can start them together.
 * A conflict is reported at whichever of the two claims comes later in the file, naming the
 * earlier one, since the later line is the one most likely just written.
 */
#include <errno.h>
#include <stdarg.h>

#include "guest-config/describe.h"
#include "guest-config/validate.h"
#include "guest-config/value.h"
#include "lib/fmt.h"

struct config_check {
	const struct twin_config *cfg;
	struct config_diag *diag;
	unsigned int damaged;
};

static void config_error(struct config_check *c, struct config_loc at, const char *key,
			 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void config_error(struct config_check *c, struct config_loc at, const char *key,
			 const char *fmt, ...)
{
	char text[CONFIG_DIAG_TEXT_MAX];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	config_diag_add(c->diag, at.line, at.col, "%s: %s", key, text);
}

static bool config_later(struct config_loc a, struct config_loc b)
{
	return a.line > b.line || (a.line == b.line && a.col > b.col);
}

static struct config_loc config_at(const struct guest_config *g, unsigned int key, uint32_t col)
{
	struct config_loc at = g->loc[key];

	if (col)
		at.col = col;
	return at;
}

static const char *config_range_text(char *buf, size_t size, uint64_t base, uint64_t len)
{
	fmt_snprintf(buf, size, "0x%llx-0x%llx", (unsigned long long)base,
		     (unsigned long long)(base + len - 1));
	return buf;
}

static void config_check_sections(struct config_check *c)
{
	const struct twin_config *cfg = c->cfg;
	bool any = cfg->guest[CONFIG_GUEST_A].present || cfg->guest[CONFIG_GUEST_B].present;

	if (c->damaged & CONFIG_DAMAGED_SECTIONS)
		return;
	if (!any) {
		config_diag_add(c->diag, 0, 0,
				"no [guest a] or [guest b] section; expected at least one guest");
		return;
	}
	for (unsigned int i = 0; i < CONFIG_NR_GUESTS; i++) {
		char letter = config_guest_letter(i);

		if (cfg->guest[i].present || !config_mode_needs_guest(cfg->mode, i))
			continue;
		if (cfg->loc[CONFIG_KEY_MODE].line)
			config_error(c, cfg->loc[CONFIG_KEY_MODE], "mode",
				     "%s needs [guest %c], which the file does not have",
				     config_mode_name(cfg->mode), letter);
		else
			config_diag_add(c->diag, 0, 0,
					"mode %s (the default) needs [guest %c]; add it or set "
					"mode = %s",
					config_mode_name(cfg->mode), letter,
					config_mode_name(i == CONFIG_GUEST_A
							     ? CONFIG_MODE_B_ALONE
							     : CONFIG_MODE_A_ALONE));
	}
	if (cfg->loc[CONFIG_KEY_DEFAULT].line && !(c->damaged & CONFIG_DAMAGED_DEFAULT) &&
	    !config_boot_available(cfg, cfg->boot_default)) {
		for (unsigned int i = 0; i < CONFIG_NR_GUESTS; i++) {
			if (!cfg->guest[i].present &&
			    config_boot_needs_guest(cfg->boot_default, i)) {
				config_error(c, cfg->loc[CONFIG_KEY_DEFAULT], "default",
					     "%s needs [guest %c], which the file does not have",
					     config_boot_name(cfg->boot_default),
					     config_guest_letter(i));
				break;
			}
		}
	}
}

/* Where memory= RAM of g may go: at or above 1M, inside mem-min..mem-max. */
static bool config_window(const struct guest_config *g, uint64_t *lo, uint64_t *hi)
{
	*lo = g->mem_min > CONFIG_HIGH_START ? g->mem_min : CONFIG_HIGH_START;
	*hi = g->mem_max < CONFIG_PHYS_LIMIT - 1 ? g->mem_max : CONFIG_PHYS_LIMIT - 1;
	return *lo <= *hi;
}

static void config_check_guest(struct config_check *c, unsigned int i)
{
	const struct guest_config *g = &c->cfg->guest[i];
	const struct config_loc *loc = g->loc;
	char a[32], b[32], s[32];
	uint64_t lo, hi;

	if (!loc[CONFIG_KEY_KERNEL].line && !(c->damaged & (1u << i)))
		config_diag_add(c->diag, g->section.line, g->section.col,
				"[guest %c]: missing key 'kernel'; expected a line like kernel = "
				"\\EFI\\twinmon\\vmlinuz",
				config_guest_letter(i));

	if (g->mem_min > g->mem_max) {
		if (config_later(loc[CONFIG_KEY_MEM_MIN], loc[CONFIG_KEY_MEM_MAX]))
			config_error(c, loc[CONFIG_KEY_MEM_MIN], "mem-min",
				     "0x%llx is above mem-max 0x%llx on line %u",
				     (unsigned long long)g->mem_min, (unsigned long long)g->mem_max,
				     loc[CONFIG_KEY_MEM_MAX].line);
		else
			config_error(c, loc[CONFIG_KEY_MEM_MAX], "mem-max",
				     "0x%llx is below mem-min 0x%llx on line %u",
				     (unsigned long long)g->mem_max, (unsigned long long)g->mem_min,
				     loc[CONFIG_KEY_MEM_MIN].line);
		return;
	}
	if (!config_window(g, &lo, &hi)) {
		config_error(c, loc[CONFIG_KEY_MEM_MAX], "mem-max",
			     "0x%llx leaves no room at or above 1M (0x100000), where memory= RAM "
			     "goes",
			     (unsigned long long)g->mem_max);
		return;
	}
	if (g->memory.kind == CONFIG_MEM_RANGE &&
	    (g->memory.base < g->mem_min || g->memory.base + g->memory.size - 1 > g->mem_max)) {
		config_error(c, loc[CONFIG_KEY_MEMORY], "memory",
			     "range %s is outside mem-min..mem-max 0x%llx-0x%llx",
			     config_range_text(a, sizeof(a), g->memory.base, g->memory.size),
			     (unsigned long long)g->mem_min, (unsigned long long)g->mem_max);
	}
	if (g->memory.kind == CONFIG_MEM_SIZE && g->memory.size - 1 > hi - lo) {
		config_error(c, loc[CONFIG_KEY_MEMORY], "memory",
			     "%s does not fit in %s (1M and up, within mem-min..mem-max)",
			     config_size_text(s, sizeof(s), g->memory.size),
			     config_range_text(b, sizeof(b), lo, hi - lo + 1));
	}
}

/* Largest piece of window [lo, hi] that the range [base, base + size) leaves free. */
static uint64_t config_free_beside(uint64_t lo, uint64_t hi, uint64_t base, uint64_t size)
{
	uint64_t end = base + size - 1, below = 0, above = 0;

	if (end < lo || base > hi)
		return hi - lo + 1;
	if (base > lo)
		below = base - lo;
	if (end < hi)
		above = hi - end;
	return below > above ? below : above;
}

static void config_check_memory(struct config_check *c)
{
	const struct guest_config *ga = &c->cfg->guest[CONFIG_GUEST_A];
	const struct guest_config *gb = &c->cfg->guest[CONFIG_GUEST_B];
	const struct config_memory *ma = &ga->memory, *mb = &gb->memory;
	bool b_later = config_later(gb->loc[CONFIG_KEY_MEMORY], ga->loc[CONFIG_KEY_MEMORY]);
	const struct guest_config *blame = b_later ? gb : ga, *other = b_later ? ga : gb;
	char x[32], y[32], s[32], t[32];
	uint64_t lo_a, hi_a, lo_b, hi_b;

	if (!config_window(ga, &lo_a, &hi_a) || !config_window(gb, &lo_b, &hi_b))
		return;
	if (ma->kind == CONFIG_MEM_RANGE && mb->kind == CONFIG_MEM_RANGE) {
		if (ma->base + ma->size - 1 >= mb->base && mb->base + mb->size - 1 >= ma->base)
			config_error(c, blame->loc[CONFIG_KEY_MEMORY], "memory",
				     "%s overlaps guest %c's memory %s on line %u",
				     config_range_text(x, sizeof(x), blame->memory.base,
						       blame->memory.size),
				     config_guest_letter(other == ga ? 0 : 1),
				     config_range_text(y, sizeof(y), other->memory.base,
						       other->memory.size),
				     other->loc[CONFIG_KEY_MEMORY].line);
		return;
	}
	for (unsigned int i = 0; i < CONFIG_NR_GUESTS; i++) {
		const struct guest_config *sz = &c->cfg->guest[i], *rg = &c->cfg->guest[!i];
		uint64_t lo = i ? lo_b : lo_a, hi = i ? hi_b : hi_a;

		if (sz->memory.kind != CONFIG_MEM_SIZE || rg->memory.kind != CONFIG_MEM_RANGE)
			continue;
		if (sz->memory.size - 1 > hi - lo)
			continue; /* already reported on its own */
		if (config_free_beside(lo, hi, rg->memory.base, rg->memory.size) < sz->memory.size)
			config_error(c, sz->loc[CONFIG_KEY_MEMORY], "memory",
				     "%s does not fit in %s beside guest %c's memory %s on line %u",
				     config_size_text(s, sizeof(s), sz->memory.size),
				     config_range_text(x, sizeof(x), lo, hi - lo + 1),
				     config_guest_letter(!i),
				     config_range_text(y, sizeof(y), rg->memory.base,
						       rg->memory.size),
				     rg->loc[CONFIG_KEY_MEMORY].line);
	}
	if (ma->kind == CONFIG_MEM_SIZE && mb->kind == CONFIG_MEM_SIZE &&
	    ma->size - 1 <= hi_a - lo_a && mb->size - 1 <= hi_b - lo_b && lo_a <= hi_b + 1 &&
	    lo_b <= hi_a + 1) {
		/* Both must lie in the union of the two windows, which is one interval here. */
		uint64_t lo = lo_a < lo_b ? lo_a : lo_b, hi = hi_a > hi_b ? hi_a : hi_b;

		if (hi - lo + 1 < ma->size + mb->size)
			config_error(c, blame->loc[CONFIG_KEY_MEMORY], "memory",
				     "%s and guest %c's %s on line %u do not both fit in %s",
				     config_size_text(s, sizeof(s), blame->memory.size),
				     config_guest_letter(other == ga ? 0 : 1),
				     config_size_text(t, sizeof(t), other->memory.size),
				     other->loc[CONFIG_KEY_MEMORY].line,
				     config_range_text(x, sizeof(x), lo, hi - lo + 1));
	}
}

static void config_check_low_memory(struct config_check *c)
{
	const struct guest_config *ga = &c->cfg->guest[CONFIG_GUEST_A];
	const struct guest_config *gb = &c->cfg->guest[CONFIG_GUEST_B];
	const struct guest_config *blame, *other;
	char s[32], t[32];
	bool b_later;

	if (!ga->low_memory_set || !gb->low_memory_set ||
	    ga->low_memory + gb->low_memory <= CONFIG_LOW_RAM_END)
		return;
	b_later = config_later(gb->loc[CONFIG_KEY_LOW_MEMORY], ga->loc[CONFIG_KEY_LOW_MEMORY]);
	blame = b_later ? gb : ga;
	other = blame == ga ? gb : ga;
	config_error(c, blame->loc[CONFIG_KEY_LOW_MEMORY], "low-memory",
		     "%s and guest %c's %s on line %u add up to more than the 640K below 0xa0000",
		     config_size_text(s, sizeof(s), blame->low_memory),
		     config_guest_letter(other == ga ? 0 : 1),
		     config_size_text(t, sizeof(t), other->low_memory),
		     other->loc[CONFIG_KEY_LOW_MEMORY].line);
}

/* One port range or IRQ a guest asks for, and which key and list element asked. */
struct config_claim {
	uint16_t first;
	uint16_t last;
	uint8_t key;  /* CONFIG_KEY_PORTS, _UARTS or _IRQS */
	uint8_t uart; /* with CONFIG_KEY_UARTS */
	struct config_loc at;
};

#define CONFIG_MAX_CLAIMS (CONFIG_MAX_PORT_RANGES + CONFIG_NR_IRQS + CONFIG_NR_UARTS)

static uint32_t config_port_claims(const struct guest_config *g, struct config_claim *cl)
{
	uint32_t n = 0, nr = g->nr_ports < CONFIG_MAX_PORT_RANGES ? g->nr_ports
								   : CONFIG_MAX_PORT_RANGES;

	for (uint32_t i = 0; i < nr; i++)
		cl[n++] = (struct config_claim){ g->ports[i].first, g->ports[i].last,
						 CONFIG_KEY_PORTS, 0,
						 config_at(g, CONFIG_KEY_PORTS, g->ports[i].col) };
	for (unsigned int u = 0; u < CONFIG_NR_UARTS; u++) {
		uint16_t base = config_uart_port(u);

		if (g->uart_mask & (1u << u))
			cl[n++] = (struct config_claim){ base, base + CONFIG_UART_PORTS - 1,
							 CONFIG_KEY_UARTS, (uint8_t)u,
							 config_at(g, CONFIG_KEY_UARTS,
								   g->uart_col[u]) };
	}
	return n;
}

static uint32_t config_irq_claims(const struct guest_config *g, struct config_claim *cl)
{
	uint32_t n = 0;

	for (unsigned int irq = 0; irq < CONFIG_NR_IRQS; irq++)
		if (g->irq_mask & (1u << irq))
			cl[n++] = (struct config_claim){ irq, irq, CONFIG_KEY_IRQS, 0,
							 config_at(g, CONFIG_KEY_IRQS,
								   g->irq_col[irq]) };
	for (unsigned int u = 0; u < CONFIG_NR_UARTS; u++) {
		uint16_t irq = (uint16_t)config_uart_irq(u);

		if (g->uart_mask & (1u << u))
			cl[n++] = (struct config_claim){ irq, irq, CONFIG_KEY_UARTS, (uint8_t)u,
							 config_at(g, CONFIG_KEY_UARTS,
								   g->uart_col[u]) };
	}
	return n;
}

static const char *config_port_claim_text(char *buf, size_t size, const struct config_claim *cl)
{
	if (cl->key == CONFIG_KEY_UARTS)
		fmt_snprintf(buf, size, "%s (0x%x-0x%x)", config_uart_name(cl->uart), cl->first,
			     cl->last);
	else if (cl->first == cl->last)
		fmt_snprintf(buf, size, "0x%x", cl->first);
	else
		fmt_snprintf(buf, size, "0x%x-0x%x", cl->first, cl->last);
	return buf;
}

static const char *config_key_of(const struct config_claim *cl)
{
	return config_guest_key_name(cl->key);
}

static void config_check_log_port(struct config_check *c, unsigned int i)
{
	const struct twin_config *cfg = c->cfg;
	struct config_claim cl[CONFIG_MAX_CLAIMS];
	char x[32], log[48], where[40];
	uint16_t first, last;
	uint32_t n;

	if ((c->damaged & CONFIG_DAMAGED_LOG) || config_log_ports(&cfg->log, &first, &last))
		return;
	if (cfg->log.kind == CONFIG_LOG_UART)
		fmt_snprintf(log, sizeof(log), "%s 0x%x-0x%x", config_uart_name(cfg->log.uart),
			     first, last);
	else if (cfg->log.kind == CONFIG_LOG_DEBUGCON)
		fmt_snprintf(log, sizeof(log), "debugcon 0x%x", first);
	else
		fmt_snprintf(log, sizeof(log), "0x%x", first);
	if (cfg->loc[CONFIG_KEY_LOG_PORT].line)
		fmt_snprintf(where, sizeof(where), "log-port on line %u",
			     cfg->loc[CONFIG_KEY_LOG_PORT].line);
	else
		fmt_snprintf(where, sizeof(where), "the default");

	n = config_port_claims(&cfg->guest[i], cl);
	for (uint32_t k = 0; k < n; k++)
		if (cl[k].first <= last && first <= cl[k].last)
			config_error(c, cl[k].at, config_key_of(&cl[k]),
				     "%s overlaps the monitor's log port (%s, %s)",
				     config_port_claim_text(x, sizeof(x), &cl[k]), log, where);
}

static void config_check_ports(struct config_check *c)
{
	struct config_claim ca[CONFIG_MAX_CLAIMS], cb[CONFIG_MAX_CLAIMS];
	uint32_t na = config_port_claims(&c->cfg->guest[CONFIG_GUEST_A], ca);
	uint32_t nb = config_port_claims(&c->cfg->guest[CONFIG_GUEST_B], cb);
	char x[32], y[32];

	for (uint32_t i = 0; i < na; i++) {
		for (uint32_t j = 0; j < nb; j++) {
			bool b_later = config_later(cb[j].at, ca[i].at);
			const struct config_claim *bl = b_later ? &cb[j] : &ca[i];
			const struct config_claim *ot = b_later ? &ca[i] : &cb[j];

			if (ca[i].first > cb[j].last || cb[j].first > ca[i].last)
				continue;
			config_error(c, bl->at, config_key_of(bl),
				     "%s overlaps %s of guest %c on line %u",
				     config_port_claim_text(x, sizeof(x), bl),
				     config_port_claim_text(y, sizeof(y), ot), b_later ? 'a' : 'b',
				     ot->at.line);
		}
	}
}

static void config_check_irqs(struct config_check *c)
{
	struct config_claim ca[CONFIG_MAX_CLAIMS], cb[CONFIG_MAX_CLAIMS];
	uint32_t na = config_irq_claims(&c->cfg->guest[CONFIG_GUEST_A], ca);
	uint32_t nb = config_irq_claims(&c->cfg->guest[CONFIG_GUEST_B], cb);

	for (uint32_t i = 0; i < na; i++) {
		for (uint32_t j = 0; j < nb; j++) {
			bool b_later = config_later(cb[j].at, ca[i].at);
			const struct config_claim *bl = b_later ? &cb[j] : &ca[i];
			const struct config_claim *ot = b_later ? &ca[i] : &cb[j];
			char via[16] = "";

			if (ca[i].first != cb[j].first)
				continue;
			if (bl->key == CONFIG_KEY_UARTS)
				fmt_snprintf(via, sizeof(via), " of %s",
					     config_uart_name(bl->uart));
			config_error(c, bl->at, config_key_of(bl),
				     "IRQ %u%s is also given to guest %c (%s on line %u)",
				     bl->first, via, b_later ? 'a' : 'b',
				     ot->key == CONFIG_KEY_UARTS ? config_uart_name(ot->uart)
								 : "irqs",
				     ot->at.line);
		}
	}
}

static void config_check_pci(struct config_check *c)
{
	const struct guest_config *ga = &c->cfg->guest[CONFIG_GUEST_A];
	const struct guest_config *gb = &c->cfg->guest[CONFIG_GUEST_B];
	uint32_t na = ga->nr_pci < CONFIG_MAX_PCI ? ga->nr_pci : CONFIG_MAX_PCI;
	uint32_t nb = gb->nr_pci < CONFIG_MAX_PCI ? gb->nr_pci : CONFIG_MAX_PCI;

	for (uint32_t i = 0; i < na; i++) {
		for (uint32_t j = 0; j < nb; j++) {
			const struct config_pci_fn *fa = &ga->pci[i], *fb = &gb->pci[j];
			struct config_loc la = config_at(ga, CONFIG_KEY_PCI, fa->col);
			struct config_loc lb = config_at(gb, CONFIG_KEY_PCI, fb->col);
			bool b_later = config_later(lb, la);

			if (fa->bus != fb->bus || fa->dev != fb->dev || fa->fn != fb->fn)
				continue;
			config_error(c, b_later ? lb : la, "pci",
				     "%02x:%02x.%x is also given to guest %c on line %u", fa->bus,
				     fa->dev, fa->fn, b_later ? 'a' : 'b',
				     b_later ? la.line : lb.line);
		}
	}
}

/* Where guest g's cpus list comes from: its key, or its section when it takes the default. */
static struct config_loc config_cpus_at(const struct guest_config *g)
{
	return g->loc[CONFIG_KEY_CPUS].line ? g->loc[CONFIG_KEY_CPUS] : g->section;
}

/*
 * Two lists either time-share the same CPUs or keep to their own: a CPU shared by only some of
 * a guest's vCPUs would make the monitor switch part of a guest's vCPUs while the others run
 * on, which neither gang scheduling nor core partitioning allows.
 */
static void config_check_cpus(struct config_check *c)
{
	const struct guest_config *ga = &c->cfg->guest[CONFIG_GUEST_A];
	const struct guest_config *gb = &c->cfg->guest[CONFIG_GUEST_B];
	bool b_later = config_later(config_cpus_at(gb), config_cpus_at(ga));
	const struct guest_config *bl = b_later ? gb : ga, *ot = b_later ? ga : gb;
	char x[CONFIG_DESCRIBE_MAX], y[CONFIG_DESCRIBE_MAX], where[32];

	if (config_cpus_compatible(ga->cpus, gb->cpus))
		return;
	config_describe_cpus(x, sizeof(x), bl->cpus);
	config_describe_cpus(y, sizeof(y), ot->cpus);
	if (ot->loc[CONFIG_KEY_CPUS].line)
		fmt_snprintf(where, sizeof(where), "line %u", ot->loc[CONFIG_KEY_CPUS].line);
	else
		fmt_snprintf(where, sizeof(where), "the default");
	config_error(c, config_cpus_at(bl), "cpus",
		     "guest %c's cpus %s%s overlap guest %c's %s (%s) only in part: list the same "
		     "CPUs (time-sharing) or disjoint ones (each guest its own cores)",
		     config_guest_letter(b_later), x,
		     bl->loc[CONFIG_KEY_CPUS].line ? "" : " (the default)",
		     config_guest_letter(!b_later), y, where);
}

int config_validate_damaged(const struct twin_config *cfg, unsigned int damaged,
			    struct config_diag *diag)
{
	struct config_check c = { .cfg = cfg, .diag = diag, .damaged = damaged };
	uint32_t before = config_diag_total(diag);

	config_check_sections(&c);
	for (unsigned int i = 0; i < CONFIG_NR_GUESTS; i++) {
		if (!cfg->guest[i].present)
			continue;
		config_check_guest(&c, i);
		config_check_log_port(&c, i);
	}
	if (cfg->guest[CONFIG_GUEST_A].present && cfg->guest[CONFIG_GUEST_B].present) {
		config_check_memory(&c);
		config_check_low_memory(&c);
		config_check_ports(&c);
		config_check_irqs(&c);
		config_check_pci(&c);
		config_check_cpus(&c);
	}
	return config_diag_total(diag) != before ? -EINVAL : 0;
}

int config_validate(const struct twin_config *cfg, struct config_diag *diag)
{
	return config_validate_damaged(cfg, 0, diag);
}
