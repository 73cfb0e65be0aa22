/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What every key handler gets: the value's text and where it is, the config to store into,
 * and the diagnostics. Handlers store only when the whole value is good, so a half-parsed
 * list never reaches the validator; they report every problem they can tell apart.
 * Internal to guest-config/.
 */
#ifndef TWINMON_GUEST_CONFIG_VALUE_H
#define TWINMON_GUEST_CONFIG_VALUE_H

#include <stdbool.h>
#include <stdint.h>

#include "guest-config/config.h"
#include "guest-config/number.h"
#include "guest-config/scan.h"

struct config_value {
	struct twin_config *cfg;
	struct guest_config *guest; /* NULL for [global] keys */
	unsigned int gi;	    /* index of guest */
	const char *key;
	struct config_span span; /* the trimmed value, never empty */
	struct config_diag *diag;
};

/* Report "key: message" at column col of the value's line. */
void config_value_error(const struct config_value *v, uint32_t col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Parse tok as a number with the given unit. On failure reports "key: expected <expected>,
 * found 'tok'" (or the junk or overflow variant) and returns false.
 */
bool config_value_number(const struct config_value *v, const struct config_span *tok,
			 uint32_t unit, const char *expected, uint64_t *out);

/* One name out of a NULL-terminated table; index or -1 after reporting what was expected. */
int config_value_choice(const struct config_value *v, const char *const *names,
			const char *expected);

/*
 * A string value: the rest of the line, or the text between a pair of double quotes
 * (which allows leading or trailing blanks and the empty string). *out spans the text.
 */
bool config_value_string(const struct config_value *v, struct config_span *out);

/* Must be nothing but blanks after the cursor; otherwise report what follows. */
bool config_value_end(const struct config_value *v, struct config_scan *sc, const char *expected);

typedef void config_key_fn(struct config_value *v);

/* global.c */
config_key_fn config_set_default, config_set_timeout, config_set_mode, config_set_slice,
	config_set_slice_a, config_set_slice_b, config_set_irq_policy, config_set_log_port,
	config_set_dma;
/* text.c, path.c */
config_key_fn config_set_name, config_set_cmdline, config_set_format, config_set_on_reset, config_set_apic,
	config_set_kernel,
	config_set_initrd;
/* memory.c */
config_key_fn config_set_memory, config_set_low_memory, config_set_mem_min, config_set_mem_max;
/* devices.c */
config_key_fn config_set_ports, config_set_uarts, config_set_pci, config_set_irqs;
/* cpus.c */
config_key_fn config_set_cpus;

/*
 * The list syntax of the device keys and cpus (devices.c): run item() over every
 * comma-separated element of v ("none" is the empty list), reporting a missing element;
 * true when every element was good.
 */
typedef bool config_item_fn(struct config_value *v, struct config_scan *sc, void *list);
bool config_list(struct config_value *v, config_item_fn *item, void *list, const char *expected);
/*
 * One element "N" or "N-M" within [0, max] (what names the numbers in messages, max_text
 * spells max); *col is the first number's column. Reports and returns false otherwise.
 */
bool config_num_range(struct config_value *v, struct config_scan *sc, const char *what,
		      const char *expected, uint64_t max, const char *max_text, uint64_t *lo,
		      uint64_t *hi, uint32_t *col);

/* Format a size for messages: "512M", or hex bytes when it has no exact unit. */
const char *config_size_text(char *buf, size_t size, uint64_t bytes);

#endif
