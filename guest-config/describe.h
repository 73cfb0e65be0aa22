/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A parsed configuration back in words, for twinmon-check and the boot menu's details
 * screen. Each function writes one value as docs/config.md spells it (canonical form: hex
 * ports, sorted IRQ ranges, normalized sizes) and returns the length the full text has, as
 * snprintf. CONFIG_DESCRIBE_MAX always suffices.
 */
#ifndef TWINMON_GUEST_CONFIG_DESCRIBE_H
#define TWINMON_GUEST_CONFIG_DESCRIBE_H

#include <stddef.h>
#include <stdint.h>

#include "guest-config/config.h"

#define CONFIG_DESCRIBE_MAX 640

/* "512M high", "0x100000-0x1fffffff", "auto high" */
int config_describe_memory(char *buf, size_t size, const struct config_memory *m);
/* "0x100000" or "-" when at its default (none) */
int config_describe_mem_min(char *buf, size_t size, const struct guest_config *g);
int config_describe_mem_max(char *buf, size_t size, const struct guest_config *g);
/* "256K", or "split (320K)" with the share the default gives when mode runs */
int config_describe_low_memory(char *buf, size_t size, const struct twin_config *cfg,
			       uint32_t mode, unsigned int i);
/* "0x60, 0x3f8-0x3ff" or "none" */
int config_describe_ports(char *buf, size_t size, const struct guest_config *g);
/* "com1 (0x3f8-0x3ff, IRQ 4), com2 (...)" or "none" */
int config_describe_uarts(char *buf, size_t size, const struct guest_config *g);
/* "00:1f.2, 01:00.0" or "none" */
int config_describe_pci(char *buf, size_t size, const struct guest_config *g);
/* "1, 5, 9-11" or "none"; the IRQs of irqs= only */
int config_describe_irqs(char *buf, size_t size, uint32_t mask);
/* "0-1, 3": the CPUs of a cpus= mask */
int config_describe_cpus(char *buf, size_t size, uint64_t mask);
/* "debugcon (0xe9)", "com2 (0x2f8-0x2ff)", "0x402", "none" */
int config_describe_log_port(char *buf, size_t size, const struct config_log_port *log);
/* "10ms", "500us", "1s" */
int config_describe_slice(char *buf, size_t size, uint32_t us);

/*
 * The warning a config with dma = unconfined deserves: which guests own PCI functions that,
 * without an IOMMU, can read and write all RAM. Returns its length as snprintf, 0 (and an
 * empty buf) when there is nothing to warn about.
 */
int config_describe_dma_warning(char *buf, size_t size, const struct twin_config *cfg);

/*
 * Bytes below 640K guest i gets when the guests of mode run: its low-memory, or by default
 * what the other running guest leaves, halved when that one takes the default as well.
 * Rounded down to 4K. 0 when guest i does not run in mode.
 */
uint64_t config_low_memory_share(const struct twin_config *cfg, uint32_t mode, unsigned int i);

#endif
