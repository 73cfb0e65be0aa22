// SPDX-License-Identifier: GPL-2.0-only
/*
 * Handlers of the device keys: ports, uarts, pci, irqs. Each is a comma-separated list (or
 * "none"); within one guest a resource may be listed only once, because a repeat is more
 * likely a typo for something else than an intent. Conflicts between the two guests are the
 * validator's business: it needs both sections.
 */
#include "guest-config/names.h"
#include "guest-config/value.h"

#include "lib/fmt.h"

/*
 * Run item() over every element of a list value. The list is stored by the caller only when
 * this returns true, so a bad element never leaves half a list behind.
 */
bool config_list(struct config_value *v, config_item_fn *item, void *list, const char *expected)
{
	char found[CONFIG_ECHO_SIZE];
	struct config_scan sc;

	if (config_span_is(&v->span, "none"))
		return true;
	config_scan_init(&sc, &v->span);
	for (;;) {
		config_scan_blanks(&sc);
		if (sc.pos >= sc.v.len || sc.v.s[sc.pos] == ',' || sc.v.s[sc.pos] == '-') {
			struct config_span at = config_scan_word(&sc, ",");

			if (!at.len && sc.pos < sc.v.len)
				at = config_span_sub(&sc.v, sc.pos, 1);
			config_value_error(v, at.len ? at.col : v->span.col + (uint32_t)sc.pos,
					   "expected %s, found %s", expected,
					   config_found(found, sizeof(found), &at));
			return false;
		}
		if (!item(v, &sc, list))
			return false;
		if (config_scan_end(&sc))
			return true;
		if (!config_scan_char(&sc, ',')) {
			struct config_span rest = config_scan_rest(&sc);

			config_value_error(v, rest.col,
					   "expected ',' or the end of the line, found %s",
					   config_found(found, sizeof(found), &rest));
			return false;
		}
	}
}

/* A number, or two joined by '-', within [0, max]; *col is the first token's column. */
bool config_num_range(struct config_value *v, struct config_scan *sc, const char *what,
		      const char *expected, uint64_t max, const char *max_text, uint64_t *lo,
		      uint64_t *hi, uint32_t *col)
{
	char a[CONFIG_ECHO_SIZE], b[CONFIG_ECHO_SIZE];
	struct config_span t1 = config_scan_word(sc, "-,"), t2;

	*col = t1.col;
	if (!config_value_number(v, &t1, CONFIG_UNIT_NONE, expected, lo))
		return false;
	if (*lo > max) {
		config_value_error(v, t1.col, "%s %s is out of range; expected 0..%s", what,
				   config_found(a, sizeof(a), &t1), max_text);
		return false;
	}
	*hi = *lo;
	if (!config_scan_char(sc, '-'))
		return true;
	t2 = config_scan_word(sc, "-,");
	if (!config_value_number(v, &t2, CONFIG_UNIT_NONE, expected, hi))
		return false;
	if (*hi > max) {
		config_value_error(v, t2.col, "%s %s is out of range; expected 0..%s", what,
				   config_found(b, sizeof(b), &t2), max_text);
		return false;
	}
	if (*hi < *lo) {
		config_value_error(v, t2.col, "range end %s is below its start %s",
				   config_found(b, sizeof(b), &t2),
				   config_found(a, sizeof(a), &t1));
		return false;
	}
	return true;
}

struct config_port_list {
	uint32_t n;
	struct config_port_range r[CONFIG_MAX_PORT_RANGES];
};

static const char *config_port_text(char *buf, size_t size, uint16_t first, uint16_t last)
{
	if (first == last)
		fmt_snprintf(buf, size, "0x%x", first);
	else
		fmt_snprintf(buf, size, "0x%x-0x%x", first, last);
	return buf;
}

static bool config_port_item(struct config_value *v, struct config_scan *sc, void *arg)
{
	struct config_port_list *l = arg;
	const struct config_reserved_ports *res;
	char a[32], b[32];
	uint64_t lo, hi;
	uint32_t col;

	if (!config_num_range(v, sc, "port", "a port like 0x60 or a range like 0x3f8-0x3ff",
			      0xffff, "0xffff", &lo, &hi, &col))
		return false;
	config_port_text(a, sizeof(a), (uint16_t)lo, (uint16_t)hi);
	res = config_reserved_port_overlap((uint16_t)lo, (uint16_t)hi);
	if (res) {
		config_value_error(v, col, "%s includes ports of %s, which the monitor keeps", a,
				   res->owner);
		return false;
	}
	for (uint32_t i = 0; i < l->n; i++) {
		if (lo <= l->r[i].last && l->r[i].first <= hi) {
			config_value_error(v, col, "%s overlaps %s, listed before", a,
					   config_port_text(b, sizeof(b), l->r[i].first,
							    l->r[i].last));
			return false;
		}
	}
	if (l->n >= CONFIG_MAX_PORT_RANGES) {
		config_value_error(v, col, "more than %u port ranges", CONFIG_MAX_PORT_RANGES);
		return false;
	}
	l->r[l->n++] = (struct config_port_range){ (uint16_t)lo, (uint16_t)hi, (uint16_t)col };
	return true;
}

void config_set_ports(struct config_value *v)
{
	struct config_port_list l = { 0 };

	if (!config_list(v, config_port_item, &l, "a port like 0x60 or a range like 0x3f8-0x3ff"))
		return;
	v->guest->nr_ports = l.n;
	for (uint32_t i = 0; i < l.n; i++)
		v->guest->ports[i] = l.r[i];
}

struct config_uart_list {
	uint32_t mask;
	uint16_t col[CONFIG_NR_UARTS];
};

static bool config_uart_item(struct config_value *v, struct config_scan *sc, void *arg)
{
	struct config_uart_list *l = arg;
	char found[CONFIG_ECHO_SIZE];
	struct config_span t = config_scan_word(sc, ",");
	unsigned int n;

	for (n = 0; n < CONFIG_NR_UARTS; n++)
		if (config_span_is(&t, config_uart_names[n]))
			break;
	if (n == CONFIG_NR_UARTS) {
		config_value_error(v, t.col, "expected com1, com2, com3 or com4, found %s",
				   config_found(found, sizeof(found), &t));
		return false;
	}
	if (l->mask & (1u << n)) {
		config_value_error(v, t.col, "%s is listed twice", config_uart_names[n]);
		return false;
	}
	l->mask |= 1u << n;
	l->col[n] = (uint16_t)t.col;
	return true;
}

void config_set_uarts(struct config_value *v)
{
	struct config_uart_list l = { 0 };

	if (!config_list(v, config_uart_item, &l, "com1, com2, com3 or com4"))
		return;
	v->guest->uart_mask = l.mask;
	for (unsigned int n = 0; n < CONFIG_NR_UARTS; n++)
		v->guest->uart_col[n] = l.col[n];
}

struct config_pci_list {
	uint32_t n;
	struct config_pci_fn f[CONFIG_MAX_PCI];
};

/* Up to max hex digits at t[*pos]; -1 when there are none or too many. */
static int config_hex_field(const struct config_span *t, size_t *pos, size_t max)
{
	size_t start = *pos;
	int v = 0;

	while (*pos < t->len && *pos - start <= max) {
		char c = t->s[*pos];
		int d = c >= '0' && c <= '9'   ? c - '0'
			: c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10
					       : -1;
		if (d < 0)
			break;
		v = v * 16 + d;
		(*pos)++;
	}
	return *pos == start || *pos - start > max ? -1 : v;
}

static bool config_pci_item(struct config_value *v, struct config_scan *sc, void *arg)
{
	static const char expected[] = "a PCI function like 00:1f.2 (bus:device.function, hex)";
	struct config_pci_list *l = arg;
	char found[CONFIG_ECHO_SIZE];
	struct config_span t = config_scan_word(sc, ",");
	size_t pos = 0;
	int bus, dev, fn = -1;

	int gsi = 0;

	bus = config_hex_field(&t, &pos, 2);
	dev = pos < t.len && t.s[pos] == ':' ? (pos++, config_hex_field(&t, &pos, 2)) : -1;
	if (dev >= 0 && pos < t.len && t.s[pos] == '.') {
		pos++;
		fn = config_hex_field(&t, &pos, 1);
	}
	/* "@N" (decimal): the I/O APIC input its INTx pin drives, where no rule knows it. */
	if (fn >= 0 && pos < t.len && t.s[pos] == '@') {
		size_t start = ++pos;

		gsi = 0;
		while (pos < t.len && t.s[pos] >= '0' && t.s[pos] <= '9' && pos - start < 3)
			gsi = gsi * 10 + (t.s[pos++] - '0');
		if (pos == start)
			gsi = -1;
	}
	if (bus < 0 || dev < 0 || fn < 0 || gsi < 0 || pos != t.len) {
		config_value_error(v, t.col, "expected %s, found %s", expected,
				   config_found(found, sizeof(found), &t));
		return false;
	}
	config_found(found, sizeof(found), &t);
	if (dev > 0x1f) {
		config_value_error(v, t.col, "device %02x of %s is out of range; expected 00..1f",
				   dev, found);
		return false;
	}
	if (fn > 7) {
		config_value_error(v, t.col, "function %x of %s is out of range; expected 0..7", fn,
				   found);
		return false;
	}
	/* 0 is the monitor's timer, 2 the cascade: never a PCI line. */
	if (gsi != 0 && (gsi < 1 || gsi > 23 || gsi == 2)) {
		config_value_error(v, t.col, "GSI %d of %s is out of range; expected 1..23, not 2",
				   gsi, found);
		return false;
	}
	for (uint32_t i = 0; i < l->n; i++) {
		if (l->f[i].bus == bus && l->f[i].dev == dev && l->f[i].fn == fn) {
			config_value_error(v, t.col, "%02x:%02x.%x is listed twice", bus, dev, fn);
			return false;
		}
	}
	if (l->n >= CONFIG_MAX_PCI) {
		config_value_error(v, t.col, "more than %u PCI functions", CONFIG_MAX_PCI);
		return false;
	}
	l->f[l->n++] = (struct config_pci_fn){ (uint8_t)bus, (uint8_t)dev, (uint8_t)fn,
					       (uint8_t)gsi, (uint16_t)t.col };
	return true;
}

void config_set_pci(struct config_value *v)
{
	struct config_pci_list l = { 0 };

	if (!config_list(v, config_pci_item, &l, "a PCI function like 00:1f.2"))
		return;
	v->guest->nr_pci = l.n;
	for (uint32_t i = 0; i < l.n; i++)
		v->guest->pci[i] = l.f[i];
}

struct config_irq_list {
	uint32_t mask;
	uint16_t col[CONFIG_NR_IRQS];
};

static bool config_irq_item(struct config_value *v, struct config_scan *sc, void *arg)
{
	struct config_irq_list *l = arg;
	uint64_t lo, hi;
	uint32_t col;

	if (!config_num_range(v, sc, "IRQ", "an IRQ like 5 or a range like 9-11",
			      CONFIG_NR_IRQS - 1, "23", &lo, &hi, &col))
		return false;
	for (uint64_t irq = lo; irq <= hi; irq++) {
		if (irq == CONFIG_CASCADE_IRQ) {
			config_value_error(v, col,
					   "IRQ 2 is the cascade between the two PICs and cannot "
					   "be given to a guest");
			return false;
		}
		if (l->mask & (1u << irq)) {
			config_value_error(v, col, "IRQ %u is listed twice", (unsigned int)irq);
			return false;
		}
		l->mask |= 1u << irq;
		l->col[irq] = (uint16_t)col;
	}
	return true;
}

void config_set_irqs(struct config_value *v)
{
	struct config_irq_list l = { 0 };

	if (!config_list(v, config_irq_item, &l, "an IRQ like 5 or a range like 9-11"))
		return;
	v->guest->irq_mask = l.mask;
	for (unsigned int i = 0; i < CONFIG_NR_IRQS; i++)
		v->guest->irq_col[i] = l.col[i];
}
