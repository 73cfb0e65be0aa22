// SPDX-License-Identifier: GPL-2.0-only
/* The fixed vocabulary of the format: enum names, legacy UARTs, ports the monitor keeps. */
#include <errno.h>
#include <string.h>

#include "guest-config/config.h"
#include "guest-config/names.h"

const char *const config_mode_names[] = { "twin", "a-alone", "b-alone", NULL };
const char *const config_boot_names[] = { "twin",     "a-alone", "b-alone", "direct-a",
					  "direct-b", "exit",	 NULL };
const char *const config_irq_policy_names[] = { "wait", "switch", NULL };
const char *const config_dma_names[] = { "confined", "unconfined", NULL };
const char *const config_format_names[] = { "auto", "bzimage", "elf", NULL };
const char *const config_on_reset_names[] = { "restart", "stop", "ignore", NULL };
const char *const config_apic_names[] = { "xapic", "x2apic", NULL };
const char *const config_placement_names[] = { "high", "low", NULL };
const char *const config_uart_names[] = { "com1", "com2", "com3", "com4", NULL };
static const char *const config_log_kind_names[] = { "debugcon", "uart", "port", "none", NULL };

const char *const config_global_key_names[] = {
	[CONFIG_KEY_DEFAULT] = "default",   [CONFIG_KEY_TIMEOUT] = "timeout",
	[CONFIG_KEY_MODE] = "mode",	    [CONFIG_KEY_SLICE] = "slice",
	[CONFIG_KEY_SLICE_A] = "slice-a",   [CONFIG_KEY_SLICE_B] = "slice-b",
	[CONFIG_KEY_IRQ_POLICY] = "irq-policy", [CONFIG_KEY_LOG_PORT] = "log-port",
	[CONFIG_KEY_DMA] = "dma",
	[CONFIG_GLOBAL_KEY_COUNT] = NULL,
};

const char *const config_guest_key_names[] = {
	[CONFIG_KEY_NAME] = "name",		[CONFIG_KEY_KERNEL] = "kernel",
	[CONFIG_KEY_INITRD] = "initrd",		[CONFIG_KEY_CMDLINE] = "cmdline",
	[CONFIG_KEY_FORMAT] = "format",		[CONFIG_KEY_MEMORY] = "memory",
	[CONFIG_KEY_LOW_MEMORY] = "low-memory", [CONFIG_KEY_MEM_MIN] = "mem-min",
	[CONFIG_KEY_MEM_MAX] = "mem-max",	[CONFIG_KEY_PORTS] = "ports",
	[CONFIG_KEY_UARTS] = "uarts",		[CONFIG_KEY_PCI] = "pci",
	[CONFIG_KEY_IRQS] = "irqs",		[CONFIG_KEY_ON_RESET] = "on-reset",
	[CONFIG_KEY_APIC] = "apic",		[CONFIG_KEY_CPUS] = "cpus",
	[CONFIG_GUEST_KEY_COUNT] = NULL,
};

static const uint16_t config_uart_ports[CONFIG_NR_UARTS] = { 0x3f8, 0x2f8, 0x3e8, 0x2e8 };
static const uint8_t config_uart_irqs[CONFIG_NR_UARTS] = { 4, 3, 4, 3 };

/*
 * A guest owning any of these could reprogram interrupt routing or reach every PCI device,
 * including the other guest's: the monitor keeps them.
 */
static const struct config_reserved_ports config_reserved[] = {
	{ 0x20, 0x21, "the master PIC" },
	{ 0xa0, 0xa1, "the slave PIC" },
	{ 0x92, 0x92, "system control port A (fast reset)" },
	{ 0x4d0, 0x4d1, "the PIC edge/level control" },
	{ 0xcf8, 0xcff, "PCI configuration access" },
};

static const char *config_name(const char *const *names, size_t count, uint32_t i)
{
	return i < count && names[i] ? names[i] : "?";
}

#define CONFIG_NAME(table, i) config_name(table, sizeof(table) / sizeof(table[0]) - 1, i)

const char *config_mode_name(uint32_t mode)
{
	return CONFIG_NAME(config_mode_names, mode);
}

const char *config_boot_name(uint32_t boot)
{
	return CONFIG_NAME(config_boot_names, boot);
}

const char *config_irq_policy_name(uint32_t policy)
{
	return CONFIG_NAME(config_irq_policy_names, policy);
}

const char *config_dma_name(uint32_t dma)
{
	return CONFIG_NAME(config_dma_names, dma);
}

const char *config_format_name(uint32_t format)
{
	return CONFIG_NAME(config_format_names, format);
}

const char *config_placement_name(uint32_t placement)
{
	return CONFIG_NAME(config_placement_names, placement);
}

const char *config_log_kind_name(uint32_t kind)
{
	return CONFIG_NAME(config_log_kind_names, kind);
}

const char *config_global_key_name(uint32_t key)
{
	return CONFIG_NAME(config_global_key_names, key);
}

const char *config_guest_key_name(uint32_t key)
{
	return CONFIG_NAME(config_guest_key_names, key);
}

const char *config_guest_section_name(unsigned int i)
{
	return i == CONFIG_GUEST_A ? "guest a" : i == CONFIG_GUEST_B ? "guest b" : "?";
}

char config_guest_letter(unsigned int i)
{
	return i < CONFIG_NR_GUESTS ? (char)('a' + i) : '?';
}

const char *config_uart_name(unsigned int n)
{
	return n < CONFIG_NR_UARTS ? config_uart_names[n] : NULL;
}

uint16_t config_uart_port(unsigned int n)
{
	return n < CONFIG_NR_UARTS ? config_uart_ports[n] : 0;
}

unsigned int config_uart_irq(unsigned int n)
{
	return n < CONFIG_NR_UARTS ? config_uart_irqs[n] : 0;
}

int config_log_ports(const struct config_log_port *log, uint16_t *first, uint16_t *last)
{
	switch (log->kind) {
	case CONFIG_LOG_DEBUGCON:
		*first = *last = CONFIG_DEBUGCON_PORT;
		return 0;
	case CONFIG_LOG_UART:
		*first = config_uart_port(log->uart);
		*last = *first + CONFIG_UART_PORTS - 1;
		return log->uart < CONFIG_NR_UARTS ? 0 : -EINVAL;
	case CONFIG_LOG_PORT:
		*first = *last = log->port;
		return 0;
	default:
		return -ENOENT;
	}
}

const struct config_reserved_ports *config_reserved_port_overlap(uint16_t first, uint16_t last)
{
	for (size_t i = 0; i < sizeof(config_reserved) / sizeof(config_reserved[0]); i++)
		if (first <= config_reserved[i].last && config_reserved[i].first <= last)
			return &config_reserved[i];
	return NULL;
}

bool config_cpus_compatible(uint64_t a, uint64_t b)
{
	return a == b || !(a & b);
}

bool config_mode_needs_guest(uint32_t mode, unsigned int i)
{
	switch (mode) {
	case CONFIG_MODE_TWIN: return i < CONFIG_NR_GUESTS;
	case CONFIG_MODE_A_ALONE: return i == CONFIG_GUEST_A;
	case CONFIG_MODE_B_ALONE: return i == CONFIG_GUEST_B;
	default: return false;
	}
}

bool config_boot_needs_guest(uint32_t boot, unsigned int i)
{
	switch (boot) {
	case CONFIG_BOOT_TWIN: return i < CONFIG_NR_GUESTS;
	case CONFIG_BOOT_A_ALONE:
	case CONFIG_BOOT_DIRECT_A: return i == CONFIG_GUEST_A;
	case CONFIG_BOOT_B_ALONE:
	case CONFIG_BOOT_DIRECT_B: return i == CONFIG_GUEST_B;
	default: return false;
	}
}

bool config_boot_available(const struct twin_config *cfg, uint32_t boot)
{
	if (boot >= CONFIG_BOOT_COUNT)
		return false;
	for (unsigned int i = 0; i < CONFIG_NR_GUESTS; i++)
		if (config_boot_needs_guest(boot, i) && !cfg->guest[i].present)
			return false;
	return true;
}

uint32_t config_boot_for_mode(uint32_t mode)
{
	switch (mode) {
	case CONFIG_MODE_A_ALONE: return CONFIG_BOOT_A_ALONE;
	case CONFIG_MODE_B_ALONE: return CONFIG_BOOT_B_ALONE;
	default: return CONFIG_BOOT_TWIN;
	}
}

void config_defaults(struct twin_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->version = CONFIG_VERSION;
	cfg->mode = CONFIG_MODE_TWIN;
	cfg->boot_default = CONFIG_BOOT_TWIN;
	cfg->timeout = CONFIG_TIMEOUT_DEFAULT;
	cfg->irq_policy = CONFIG_IRQ_WAIT;
	cfg->dma = CONFIG_DMA_CONFINED;
	cfg->log.kind = CONFIG_LOG_DEBUGCON;
	cfg->log.port = CONFIG_DEBUGCON_PORT;
	for (unsigned int i = 0; i < CONFIG_NR_GUESTS; i++) {
		struct guest_config *g = &cfg->guest[i];

		cfg->slice_us[i] = CONFIG_SLICE_DEFAULT_US;
		memcpy(g->name, i == CONFIG_GUEST_A ? "guest a" : "guest b", sizeof("guest a"));
		g->format = CONFIG_FORMAT_AUTO;
		g->memory.kind = CONFIG_MEM_AUTO;
		/* Guest A is the first OS and takes the top; B is the co-resident one, below. */
		g->memory.placement = i == CONFIG_GUEST_A ? CONFIG_PLACE_HIGH : CONFIG_PLACE_LOW;
		g->mem_min = 0;
		g->mem_max = UINT64_MAX;
		g->cpus = 1; /* both on the boot CPU, time-shared */
	}
}
