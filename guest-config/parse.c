// SPDX-License-Identifier: GPL-2.0-only
/*
 * The parser proper: walks the lexer's lines, tracks the section, finds each key's handler,
 * rejects duplicates, then hands the result to the validator.
 */
#include <errno.h>
#include <string.h>

#include "guest-config/config.h"
#include "guest-config/lexer.h"
#include "guest-config/names.h"
#include "guest-config/validate.h"
#include "guest-config/value.h"
#include "lib/fmt.h"

enum config_section {
	CONFIG_SEC_NONE, /* before the first header */
	CONFIG_SEC_GLOBAL,
	CONFIG_SEC_GUEST_A,
	CONFIG_SEC_GUEST_B,
	CONFIG_SEC_SKIP, /* a broken, unknown or repeated header: its keys would only add noise */
};

static const char config_sections[] = "[global], [guest a] or [guest b]";

static config_key_fn *const config_global_fns[CONFIG_GLOBAL_KEY_COUNT] = {
	[CONFIG_KEY_DEFAULT] = config_set_default,
	[CONFIG_KEY_TIMEOUT] = config_set_timeout,
	[CONFIG_KEY_MODE] = config_set_mode,
	[CONFIG_KEY_SLICE] = config_set_slice,
	[CONFIG_KEY_SLICE_A] = config_set_slice_a,
	[CONFIG_KEY_SLICE_B] = config_set_slice_b,
	[CONFIG_KEY_IRQ_POLICY] = config_set_irq_policy,
	[CONFIG_KEY_LOG_PORT] = config_set_log_port,
	[CONFIG_KEY_DMA] = config_set_dma,
};

static config_key_fn *const config_guest_fns[CONFIG_GUEST_KEY_COUNT] = {
	[CONFIG_KEY_NAME] = config_set_name,
	[CONFIG_KEY_KERNEL] = config_set_kernel,
	[CONFIG_KEY_INITRD] = config_set_initrd,
	[CONFIG_KEY_CMDLINE] = config_set_cmdline,
	[CONFIG_KEY_FORMAT] = config_set_format,
	[CONFIG_KEY_MEMORY] = config_set_memory,
	[CONFIG_KEY_LOW_MEMORY] = config_set_low_memory,
	[CONFIG_KEY_MEM_MIN] = config_set_mem_min,
	[CONFIG_KEY_MEM_MAX] = config_set_mem_max,
	[CONFIG_KEY_PORTS] = config_set_ports,
	[CONFIG_KEY_UARTS] = config_set_uarts,
	[CONFIG_KEY_PCI] = config_set_pci,
	[CONFIG_KEY_IRQS] = config_set_irqs,
	[CONFIG_KEY_ON_RESET] = config_set_on_reset,
	[CONFIG_KEY_APIC] = config_set_apic,
	[CONFIG_KEY_CPUS] = config_set_cpus,
};

struct config_parser {
	struct twin_config *cfg;
	struct config_diag *diag;
	uint32_t section;
	unsigned int damaged;
};

static int config_lookup(const char *const *names, const struct config_span *name)
{
	for (int i = 0; names[i]; i++)
		if (config_span_is(name, names[i]))
			return i;
	return -1;
}

static const char *config_section_text(uint32_t section)
{
	return section == CONFIG_SEC_GLOBAL ? "[global]"
	       : section == CONFIG_SEC_GUEST_A ? "[guest a]"
					       : "[guest b]";
}

static void config_parse_section(struct config_parser *p, const struct config_line *line)
{
	char found[CONFIG_ECHO_SIZE];
	struct config_scan sc;
	struct config_span w1, w2;
	struct config_loc *loc = NULL;
	uint32_t section = CONFIG_SEC_SKIP;

	config_scan_init(&sc, &line->name);
	w1 = config_scan_word(&sc, "");
	w2 = config_scan_word(&sc, "");
	if (config_scan_end(&sc)) {
		if (config_span_is(&w1, "global") && !w2.len) {
			section = CONFIG_SEC_GLOBAL;
			loc = &p->cfg->global_section;
		} else if (config_span_is(&w1, "guest") &&
			   (config_span_is(&w2, "a") || config_span_is(&w2, "b"))) {
			unsigned int gi = w2.s[0] == 'a' ? CONFIG_GUEST_A : CONFIG_GUEST_B;

			section = CONFIG_SEC_GUEST_A + gi;
			loc = &p->cfg->guest[gi].section;
		}
	}
	p->section = CONFIG_SEC_SKIP;
	if (!loc) {
		config_diag_add(p->diag, line->number, line->value.col,
				"unknown section %s; expected %s",
				config_found(found, sizeof(found), &line->value), config_sections);
		p->damaged |= CONFIG_DAMAGED_SECTIONS;
		return;
	}
	if (loc->line) {
		config_diag_add(p->diag, line->number, line->value.col,
				"duplicate section %s; the first is on line %u",
				config_section_text(section), loc->line);
		return;
	}
	loc->line = line->number;
	loc->col = line->value.col;
	if (section != CONFIG_SEC_GLOBAL)
		p->cfg->guest[section - CONFIG_SEC_GUEST_A].present = true;
	p->section = section;
}

/* Say what the key would have been right for, or list the keys the section takes. */
static void config_unknown_key(struct config_parser *p, const struct config_line *line,
			       const char *const *names, const char *const *other)
{
	char found[CONFIG_ECHO_SIZE], list[CONFIG_DIAG_TEXT_MAX];
	const char *here = config_section_text(p->section);
	size_t len = 0;

	config_found(found, sizeof(found), &line->name);
	if (config_lookup(other, &line->name) >= 0) {
		const char *there = p->section == CONFIG_SEC_GLOBAL ? "[guest a] or [guest b]"
								    : "[global]";

		config_diag_add(p->diag, line->number, line->name.col,
				"key %s belongs in %s, not %s", found, there, here);
		return;
	}
	list[0] = '\0';
	for (int i = 0; names[i]; i++)
		len += (size_t)fmt_snprintf(list + len, len < sizeof(list) ? sizeof(list) - len : 0,
					    "%s%s", i ? ", " : "", names[i]);
	config_diag_add(p->diag, line->number, line->name.col,
			"unknown key %s in %s; expected one of %s", found, here, list);
}

/* A [global] value was rejected: its default stands in, so checks built on it would mislead. */
static void config_parse_rejected(struct config_parser *p, uint32_t key)
{
	if (key == CONFIG_KEY_MODE)
		p->damaged |= CONFIG_DAMAGED_SECTIONS;
	else if (key == CONFIG_KEY_DEFAULT)
		p->damaged |= CONFIG_DAMAGED_DEFAULT;
	else if (key == CONFIG_KEY_LOG_PORT)
		p->damaged |= CONFIG_DAMAGED_LOG;
}

static void config_parse_key(struct config_parser *p, const struct config_line *line)
{
	char found[CONFIG_ECHO_SIZE];
	const char *const *names, *const *other;
	config_key_fn *const *fns;
	struct config_loc *locs;
	uint32_t before;
	struct config_value v = { .cfg = p->cfg, .diag = p->diag, .span = line->value };
	int k;

	switch (p->section) {
	case CONFIG_SEC_NONE:
		config_diag_add(p->diag, line->number, line->name.col,
				"key %s is outside a section; expected %s before it",
				config_found(found, sizeof(found), &line->name), config_sections);
		p->section = CONFIG_SEC_SKIP;
		return;
	case CONFIG_SEC_SKIP:
		return;
	case CONFIG_SEC_GLOBAL:
		names = config_global_key_names;
		other = config_guest_key_names;
		fns = config_global_fns;
		locs = p->cfg->loc;
		break;
	default:
		v.gi = p->section - CONFIG_SEC_GUEST_A;
		v.guest = &p->cfg->guest[v.gi];
		names = config_guest_key_names;
		other = config_global_key_names;
		fns = config_guest_fns;
		locs = v.guest->loc;
		break;
	}

	k = config_lookup(names, &line->name);
	if (k < 0) {
		config_unknown_key(p, line, names, other);
		return;
	}
	if (locs[k].line) {
		config_diag_add(p->diag, line->number, line->name.col,
				"duplicate key %s in %s; the first is on line %u",
				config_found(found, sizeof(found), &line->name),
				config_section_text(p->section), locs[k].line);
		return;
	}
	v.key = names[k];
	if (!line->value.len || line->value_damaged) {
		if (!line->value_damaged)
			config_diag_add(p->diag, line->number, line->value.col,
					"%s: expected a value after '='", v.key);
		locs[k] = (struct config_loc){ line->number, line->value.col };
		if (!v.guest)
			config_parse_rejected(p, (uint32_t)k);
		return;
	}
	before = config_diag_total(p->diag);
	fns[k](&v);
	/* After the handler: it looks at the other keys' locations, not at its own. */
	locs[k] = (struct config_loc){ line->number, line->value.col };
	if (config_diag_total(p->diag) != before && !v.guest)
		config_parse_rejected(p, (uint32_t)k);
}

int config_parse(const char *filename, const char *text, size_t len, struct twin_config *out,
		 struct config_diag *diag)
{
	struct config_parser p = { .cfg = out, .diag = diag, .section = CONFIG_SEC_NONE };
	struct config_lexer lx;
	struct config_line line;

	config_diag_init(diag, filename);
	config_defaults(out);
	if (len > CONFIG_FILE_MAX) {
		config_diag_add(diag, 0, 0, "the file is longer than the limit of %u bytes",
				CONFIG_FILE_MAX);
		return -EFBIG;
	}
	if (!text)
		len = 0;

	config_lexer_init(&lx, text, len, diag);
	while (config_lexer_next(&lx, &line)) {
		switch (line.kind) {
		case CONFIG_LINE_SECTION:
			config_parse_section(&p, &line);
			break;
		case CONFIG_LINE_BAD_SECTION:
			p.section = CONFIG_SEC_SKIP;
			p.damaged |= CONFIG_DAMAGED_SECTIONS;
			break;
		case CONFIG_LINE_KEY:
			config_parse_key(&p, &line);
			break;
		case CONFIG_LINE_BAD:
			if (p.section == CONFIG_SEC_GUEST_A || p.section == CONFIG_SEC_GUEST_B)
				p.damaged |= 1u << (p.section - CONFIG_SEC_GUEST_A);
			break;
		default:
			break;
		}
	}
	/* Not given (or unusable): start what the mode describes. */
	if (!out->loc[CONFIG_KEY_DEFAULT].line || (p.damaged & CONFIG_DAMAGED_DEFAULT))
		out->boot_default = config_boot_for_mode(out->mode);
	config_validate_damaged(out, p.damaged, diag);
	config_diag_sort(diag);
	return config_diag_total(diag) ? -EINVAL : 0;
}
