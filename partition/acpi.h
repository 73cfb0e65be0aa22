/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A guest's ACPI tables, synthesized by the monitor (ACPI 6.3): RSDP v2 -> XSDT -> FADT, MADT
 * (and MCFG); FADT -> DSDT. The platform is hardware-reduced with one local APIC per vCPU, an
 * I/O APIC when the guest owns lines, no legacy PIC/RTC/VGA/8042, and a DSDT naming the
 * guest's UARTs (with their IRQ when routed, else none so that Linux's 8250 driver polls them)
 * and its PCI root bridge (partition/acpi_pci.h). The tables are written into a caller buffer
 * that the guest will see at gpa_base; every pointer between them is a gpa.
 */
#ifndef TWINMON_PARTITION_ACPI_H
#define TWINMON_PARTITION_ACPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "partition/acpi_pci.h"
#include "partition/cpu_plan.h"

/* DSDT device names are COM1..COM8: one digit keeps the AML NameSeg four characters. */
#define ACPI_MAX_UARTS		8
#define ACPI_LAPIC_ADDR		0xfee00000u
/* Each table starts on this boundary; the RSDP must be 16-byte aligned (ACPI 6.3, 5.2.5.1). */
#define ACPI_TABLE_ALIGN	16

/*
 * Table formats (ACPI 6.3, chapter 5.2), packed so that they match the spec byte for byte;
 * every size and offset the code relies on is asserted below.
 */
struct acpi_rsdp {
	char signature[8];		/* "RSD PTR " */
	uint8_t checksum;		/* over the first 20 bytes (the ACPI 1.0 part) */
	char oem_id[6];
	uint8_t revision;		/* 2: XSDT present */
	uint32_t rsdt_address;
	uint32_t length;
	uint64_t xsdt_address;
	uint8_t extended_checksum;	/* over all 36 bytes */
	uint8_t reserved[3];
} __attribute__((packed));

struct acpi_header {
	char signature[4];
	uint32_t length;
	uint8_t revision;
	uint8_t checksum;
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	char creator_id[4];
	uint32_t creator_revision;
} __attribute__((packed));

/* Generic Address Structure (5.2.3.2). */
struct acpi_gas {
	uint8_t space_id;
	uint8_t bit_width;
	uint8_t bit_offset;
	uint8_t access_size;
	uint64_t address;
} __attribute__((packed));

#define ACPI_GAS_SYSTEM_IO	1
#define ACPI_GAS_ACCESS_BYTE	1
#define ACPI_GAS_ACCESS_DWORD	3

struct acpi_fadt {
	struct acpi_header header;
	uint32_t firmware_ctrl;
	uint32_t dsdt;
	uint8_t reserved0;
	uint8_t preferred_pm_profile;
	uint16_t sci_int;
	uint32_t smi_cmd;
	uint8_t acpi_enable;
	uint8_t acpi_disable;
	uint8_t s4bios_req;
	uint8_t pstate_cnt;
	uint32_t pm1a_evt_blk;
	uint32_t pm1b_evt_blk;
	uint32_t pm1a_cnt_blk;
	uint32_t pm1b_cnt_blk;
	uint32_t pm2_cnt_blk;
	uint32_t pm_tmr_blk;
	uint32_t gpe0_blk;
	uint32_t gpe1_blk;
	uint8_t pm1_evt_len;
	uint8_t pm1_cnt_len;
	uint8_t pm2_cnt_len;
	uint8_t pm_tmr_len;
	uint8_t gpe0_blk_len;
	uint8_t gpe1_blk_len;
	uint8_t gpe1_base;
	uint8_t cst_cnt;
	uint16_t p_lvl2_lat;
	uint16_t p_lvl3_lat;
	uint16_t flush_size;
	uint16_t flush_stride;
	uint8_t duty_offset;
	uint8_t duty_width;
	uint8_t day_alrm;
	uint8_t mon_alrm;
	uint8_t century;
	uint16_t iapc_boot_arch;
	uint8_t reserved1;
	uint32_t flags;
	struct acpi_gas reset_reg;
	uint8_t reset_value;
	uint16_t arm_boot_arch;
	uint8_t minor_version;
	uint64_t x_firmware_ctrl;
	uint64_t x_dsdt;
	struct acpi_gas x_pm1a_evt_blk;
	struct acpi_gas x_pm1b_evt_blk;
	struct acpi_gas x_pm1a_cnt_blk;
	struct acpi_gas x_pm1b_cnt_blk;
	struct acpi_gas x_pm2_cnt_blk;
	struct acpi_gas x_pm_tmr_blk;
	struct acpi_gas x_gpe0_blk;
	struct acpi_gas x_gpe1_blk;
	struct acpi_gas sleep_control_reg;
	struct acpi_gas sleep_status_reg;
	uint64_t hypervisor_vendor_id;
} __attribute__((packed));

/* FADT IAPC_BOOT_ARCH (5.2.9.3) and flags (5.2.9 table 5-34) bits. */
#define ACPI_IAPC_LEGACY_DEVICES	(1u << 0)
#define ACPI_IAPC_8042			(1u << 1)
#define ACPI_IAPC_VGA_NOT_PRESENT	(1u << 2)
#define ACPI_IAPC_CMOS_RTC_NOT_PRESENT	(1u << 5)
#define ACPI_FADT_TMR_VAL_EXT		(1u << 8)
#define ACPI_FADT_RESET_REG_SUP		(1u << 10)
#define ACPI_FADT_FORCE_APIC_PHYS_DEST	(1u << 19)
#define ACPI_FADT_HW_REDUCED		(1u << 20)

struct acpi_madt {
	struct acpi_header header;
	uint32_t lapic_address;
	uint32_t flags;			/* bit 0 PCAT_COMPAT */
} __attribute__((packed));

#define ACPI_MADT_PCAT_COMPAT		(1u << 0)
#define ACPI_IOAPIC_ADDR		0xfec00000u
#define ACPI_IOAPIC_ID			1
#define ACPI_MADT_TYPE_LAPIC		0
#define ACPI_MADT_TYPE_X2APIC		9
#define ACPI_MADT_ENABLED		(1u << 0)

struct acpi_madt_lapic {
	uint8_t type;
	uint8_t length;
	uint8_t processor_uid;
	uint8_t apic_id;
	uint32_t flags;
} __attribute__((packed));

struct acpi_madt_x2apic {
	uint8_t type;
	uint8_t length;
	uint16_t reserved;
	uint32_t x2apic_id;
	uint32_t flags;
	uint32_t processor_uid;
} __attribute__((packed));

_Static_assert(sizeof(struct acpi_rsdp) == 36, "RSDP v2 is 36 bytes");
_Static_assert(offsetof(struct acpi_rsdp, length) == 20, "ACPI 1.0 checksum covers 20 bytes");
_Static_assert(offsetof(struct acpi_rsdp, xsdt_address) == 24, "RSDP XsdtAddress at 24");
_Static_assert(offsetof(struct acpi_rsdp, extended_checksum) == 32, "RSDP ext checksum at 32");
_Static_assert(sizeof(struct acpi_header) == 36, "system description header is 36 bytes");
_Static_assert(offsetof(struct acpi_header, checksum) == 9, "header checksum at 9");
_Static_assert(offsetof(struct acpi_header, oem_table_id) == 16, "OEM table ID at 16");
_Static_assert(offsetof(struct acpi_header, creator_id) == 28, "creator ID at 28");
_Static_assert(sizeof(struct acpi_gas) == 12, "GAS is 12 bytes");
_Static_assert(offsetof(struct acpi_fadt, dsdt) == 40, "FADT DSDT at 40");
_Static_assert(offsetof(struct acpi_fadt, pm_tmr_blk) == 76, "FADT PM_TMR_BLK at 76");
_Static_assert(offsetof(struct acpi_fadt, pm_tmr_len) == 91, "FADT PM_TMR_LEN at 91");
_Static_assert(offsetof(struct acpi_fadt, iapc_boot_arch) == 109, "FADT IAPC_BOOT_ARCH at 109");
_Static_assert(offsetof(struct acpi_fadt, flags) == 112, "FADT Flags at 112");
_Static_assert(offsetof(struct acpi_fadt, reset_reg) == 116, "FADT RESET_REG at 116");
_Static_assert(offsetof(struct acpi_fadt, minor_version) == 131, "FADT minor version at 131");
_Static_assert(offsetof(struct acpi_fadt, x_dsdt) == 140, "FADT X_DSDT at 140");
_Static_assert(offsetof(struct acpi_fadt, x_pm_tmr_blk) == 208, "FADT X_PM_TMR_BLK at 208");
_Static_assert(offsetof(struct acpi_fadt, hypervisor_vendor_id) == 268, "FADT HVID at 268");
_Static_assert(sizeof(struct acpi_fadt) == 276, "FADT revision 6 is 276 bytes");
_Static_assert(sizeof(struct acpi_madt) == 44, "MADT entries start at 44");
_Static_assert(sizeof(struct acpi_madt_lapic) == 8, "MADT local APIC entry is 8 bytes");
_Static_assert(sizeof(struct acpi_madt_x2apic) == 16, "MADT x2APIC entry is 16 bytes");
_Static_assert(offsetof(struct acpi_madt_x2apic, x2apic_id) == 4, "x2APIC ID at 4");

/* vCPUs a MADT lists: the CPU plan's limit per guest. */
#define ACPI_MAX_VCPUS		PARTITION_MAX_VCPUS

struct acpi_guest {
	/*
	 * The guest's vCPUs: vCPU k has local APIC ID apic_id + k and ACPI processor UID k, all
	 * enabled; vCPU 0 is the one that boots. 0 counts as 1 (callers from before SMP).
	 */
	unsigned nr_vcpus;		/* 0..ACPI_MAX_VCPUS */
	uint32_t apic_id;		/* vCPU 0's (virtual) local APIC ID */
	bool x2apic;			/* use x2APIC entries (needed for IDs > 254) */
	uint16_t pm_timer_port;		/* ACPI PM timer I/O port, 0 for none */
	bool pm_timer_32bit;		/* 32-bit PM timer (FADT TMR_VAL_EXT), else 24 */
	const uint16_t *uart_ports;	/* base I/O port of each UART (8 ports each) */
	const uint8_t *uart_irqs;	/* NULL, or each UART's ISA IRQ (1..15; 0: polled) */
	unsigned n_uarts;		/* 0..ACPI_MAX_UARTS */
	bool ioapic;			/* an I/O APIC at ACPI_IOAPIC_ADDR, GSI base 0 */
	/* The FADT reset register, a byte port the monitor traps (0: none), and its value. */
	uint16_t reset_port;
	uint8_t reset_value;
	/* Its PCI root bridge, \_SB.PCI0 in the DSDT (partition/acpi_pci.h); NULL: none. */
	const struct acpi_pci *pci;
	/* With pci: an MCFG naming ECAM at this base (bus 0's address, 1 MiB aligned) for
	 * buses 0..pci->bus_end, segment 0; 0: no MCFG. */
	uint64_t ecam_base;
};

struct acpi_layout {
	uint64_t rsdp_gpa;		/* for boot_params.acpi_rsdp_addr */
	uint64_t xsdt_gpa;
	uint64_t fadt_gpa;
	uint64_t madt_gpa;
	uint64_t dsdt_gpa;
	uint64_t mcfg_gpa;		/* 0 without one */
	size_t size;			/* bytes used from gpa_base (and from buf) */
};

/*
 * Bytes acpi_build() needs for in, or 0 if in is invalid. Lets the caller reserve the guest
 * memory (e820 ACPI) before building.
 */
size_t acpi_tables_size(const struct acpi_guest *in);

/*
 * Write the tables for in into buf (size bytes), laid out for the guest address gpa_base.
 * Returns 0 and fills out, -EINVAL for a bad input (NULL pointers, too many UARTs, a UART
 * range past port 0xffff, more than ACPI_MAX_VCPUS vCPUs, an APIC ID an xAPIC entry cannot
 * hold, gpa_base not 16-byte aligned
 * or the tables wrapping past 2^64), -ENOSPC if size is too small; nothing is written then.
 */
int acpi_build(const struct acpi_guest *in, void *buf, size_t size, uint64_t gpa_base,
	       struct acpi_layout *out);

#endif
