// SPDX-License-Identifier: GPL-2.0-only
/* Handlers of the [global] keys. */
#include "guest-config/names.h"
#include "guest-config/value.h"

void config_set_default(struct config_value *v)
{
	int i = config_value_choice(v, config_boot_names,
				    "twin, a-alone, b-alone, direct-a, direct-b or exit");

	if (i >= 0)
		v->cfg->boot_default = (uint32_t)i;
}

void config_set_mode(struct config_value *v)
{
	int i = config_value_choice(v, config_mode_names, "twin, a-alone or b-alone");

	if (i >= 0)
		v->cfg->mode = (uint32_t)i;
}

void config_set_irq_policy(struct config_value *v)
{
	int i = config_value_choice(v, config_irq_policy_names, "wait or switch");

	if (i >= 0)
		v->cfg->irq_policy = (uint32_t)i;
}

void config_set_dma(struct config_value *v)
{
	int i = config_value_choice(v, config_dma_names, "confined or unconfined");

	if (i >= 0)
		v->cfg->dma = (uint32_t)i;
}

void config_set_timeout(struct config_value *v)
{
	char found[CONFIG_ECHO_SIZE];
	uint64_t t;

	if (!config_value_number(v, &v->span, CONFIG_UNIT_NONE, "a number of seconds 0..3600", &t))
		return;
	if (t > CONFIG_TIMEOUT_MAX) {
		config_value_error(v, v->span.col, "%s is out of range; expected 0..%u seconds",
				   config_found(found, sizeof(found), &v->span),
				   CONFIG_TIMEOUT_MAX);
		return;
	}
	v->cfg->timeout = (uint32_t)t;
}

static bool config_slice_value(struct config_value *v, uint32_t *out)
{
	static const char expected[] = "a time slice like 10ms, 500us or 2000 (microseconds)";
	char found[CONFIG_ECHO_SIZE];
	uint64_t us;

	if (!config_value_number(v, &v->span, CONFIG_UNIT_TIME, expected, &us))
		return false;
	if (us < CONFIG_SLICE_MIN_US || us > CONFIG_SLICE_MAX_US) {
		config_value_error(v, v->span.col,
				   "%s is out of range; expected %u..%u microseconds (50us..1s)",
				   config_found(found, sizeof(found), &v->span),
				   CONFIG_SLICE_MIN_US, CONFIG_SLICE_MAX_US);
		return false;
	}
	*out = (uint32_t)us;
	return true;
}

void config_set_slice(struct config_value *v)
{
	uint32_t us;

	for (unsigned int k = CONFIG_KEY_SLICE_A; k <= CONFIG_KEY_SLICE_B; k++) {
		if (v->cfg->loc[k].line) {
			config_value_error(v, v->span.col,
					   "%s on line %u already sets guest %c's slice; use "
					   "either slice or slice-a and slice-b",
					   config_global_key_names[k], v->cfg->loc[k].line,
					   k == CONFIG_KEY_SLICE_A ? 'a' : 'b');
			return;
		}
	}
	if (config_slice_value(v, &us))
		v->cfg->slice_us[CONFIG_GUEST_A] = v->cfg->slice_us[CONFIG_GUEST_B] = us;
}

static void config_set_one_slice(struct config_value *v, unsigned int gi)
{
	uint32_t us;

	if (v->cfg->loc[CONFIG_KEY_SLICE].line) {
		config_value_error(v, v->span.col,
				   "slice on line %u already sets both slices; use either slice "
				   "or slice-a and slice-b",
				   v->cfg->loc[CONFIG_KEY_SLICE].line);
		return;
	}
	if (config_slice_value(v, &us))
		v->cfg->slice_us[gi] = us;
}

void config_set_slice_a(struct config_value *v)
{
	config_set_one_slice(v, CONFIG_GUEST_A);
}

void config_set_slice_b(struct config_value *v)
{
	config_set_one_slice(v, CONFIG_GUEST_B);
}

void config_set_log_port(struct config_value *v)
{
	static const char expected[] = "debugcon, com1..com4, none or a port like 0x402";
	char found[CONFIG_ECHO_SIZE];
	struct config_log_port log = { 0 };
	const struct config_reserved_ports *res;
	uint64_t port;

	if (config_span_is(&v->span, "debugcon")) {
		log.kind = CONFIG_LOG_DEBUGCON;
		log.port = CONFIG_DEBUGCON_PORT;
	} else if (config_span_is(&v->span, "none")) {
		log.kind = CONFIG_LOG_NONE;
	} else if (v->span.s[0] >= '0' && v->span.s[0] <= '9') {
		if (!config_value_number(v, &v->span, CONFIG_UNIT_NONE, expected, &port))
			return;
		if (port > 0xffff) {
			config_value_error(v, v->span.col,
					   "port %s is out of range; expected 0..0xffff",
					   config_found(found, sizeof(found), &v->span));
			return;
		}
		res = config_reserved_port_overlap((uint16_t)port, (uint16_t)port);
		if (res) {
			config_value_error(v, v->span.col, "port 0x%llx belongs to %s",
					   (unsigned long long)port, res->owner);
			return;
		}
		log.kind = CONFIG_LOG_PORT;
		log.port = (uint16_t)port;
	} else {
		int uart = config_value_choice(v, config_uart_names, expected);

		if (uart < 0)
			return;
		log.kind = CONFIG_LOG_UART;
		log.uart = (uint16_t)uart;
		log.port = config_uart_port((unsigned int)uart);
	}
	v->cfg->log = log;
}
