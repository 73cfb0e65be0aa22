// SPDX-License-Identifier: GPL-2.0-only
/* Handlers of the free-text guest keys (name, cmdline) and the keyword ones (format, on-reset,
 * apic). */
#include <string.h>

#include "guest-config/names.h"
#include "guest-config/value.h"

static bool config_copy_text(struct config_value *v, const struct config_span *t, char *dst,
			     size_t max)
{
	if (t->len > max) {
		config_value_error(v, t->col, "%zu bytes long; the limit is %zu", t->len, max);
		return false;
	}
	memcpy(dst, t->s, t->len);
	dst[t->len] = '\0';
	return true;
}

void config_set_name(struct config_value *v)
{
	struct config_span t;

	if (!config_value_string(v, &t))
		return;
	if (!t.len) {
		config_value_error(v, v->span.col, "expected a name for the boot menu, found ''");
		return;
	}
	config_copy_text(v, &t, v->guest->name, CONFIG_NAME_MAX);
}

void config_set_cmdline(struct config_value *v)
{
	struct config_span t;

	if (config_value_string(v, &t))
		config_copy_text(v, &t, v->guest->cmdline, CONFIG_CMDLINE_MAX);
}

void config_set_on_reset(struct config_value *v)
{
	int i = config_value_choice(v, config_on_reset_names, "restart, stop or ignore");

	if (i >= 0)
		v->guest->on_reset = (uint32_t)i;
}

void config_set_apic(struct config_value *v)
{
	int i = config_value_choice(v, config_apic_names, "xapic or x2apic");

	if (i >= 0)
		v->guest->apic = (uint32_t)i;
}

void config_set_format(struct config_value *v)
{
	int i = config_value_choice(v, config_format_names, "auto, bzimage or elf");

	if (i >= 0)
		v->guest->format = (uint32_t)i;
}
