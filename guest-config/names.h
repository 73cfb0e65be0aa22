/* SPDX-License-Identifier: GPL-2.0-only */
/* NULL-terminated name tables of the format, indexed by their enums. Internal. */
#ifndef TWINMON_GUEST_CONFIG_NAMES_H
#define TWINMON_GUEST_CONFIG_NAMES_H

extern const char *const config_mode_names[];
extern const char *const config_boot_names[];
extern const char *const config_irq_policy_names[];
extern const char *const config_dma_names[];
extern const char *const config_format_names[];
extern const char *const config_on_reset_names[];
extern const char *const config_apic_names[];
extern const char *const config_placement_names[];
extern const char *const config_uart_names[];
extern const char *const config_global_key_names[];
extern const char *const config_guest_key_names[];

#endif
