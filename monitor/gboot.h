/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A guest's boot environment in its own RAM: under nested paging the guest's CR3 and GDTR
 * are guest-physical, so the long-mode entry state the loader's trampoline would give
 * (docs/loader.md) needs a GDT and identity page tables inside the guest.
 *
 * Layout of the boot pages (monitor_guest_boot_pages() of them, at gpa):
 *   page 0   GDT: null, null, __BOOT_CS (0x10) flat 64-bit code, __BOOT_DS (0x18) flat data
 *   page 1   PML4
 *   page 2.. one PDPT per 512 GiB region touched, each mapping with 1 GiB pages every GiB
 *            that holds part of [0, 4 GiB) or of the guest's RAM, read/write/execute,
 *            supervisor, accessed and dirty set.
 * The identity map covers the devices below 4 GiB too; the nested page tables decide what
 * the guest can actually reach.
 */
#ifndef TWINMON_MONITOR_GBOOT_H
#define TWINMON_MONITOR_GBOOT_H

#include <stddef.h>
#include <stdint.h>

#include "monitor/vcpu.h"
#include "partition/partition.h"

#define GBOOT_GDT_ENTRIES	4
#define GBOOT_PML4_PAGE		1
#define GBOOT_PDPT_PAGE		2

struct gboot_layout {
	uint64_t gdt_base;	/* gpa */
	uint16_t gdt_limit;
	uint64_t cr3;		/* gpa of the PML4 */
	size_t pages;		/* pages used */
};

/*
 * Write the GDT and the tables into [va, va + pages * 4 KiB), which the guest will see at
 * gpa. -ENOSPC if pages < monitor_guest_boot_pages(ram, n), -EINVAL for an unaligned gpa or
 * a range beyond 48 bits.
 */
int gboot_build(void *va, uint64_t gpa, size_t pages, const struct partition_range *ram,
		size_t nr_ram, struct gboot_layout *out);

/* The start state for entry with RSI = boot_params on the tables of layout (see
 * docs/monitor.md). npt_root and iopm_pa are left for the caller. */
void gboot_start_state(const struct gboot_layout *layout, uint64_t entry, uint64_t boot_params,
		       struct vcpu_start *st);
/*
 * The state of a vCPU a startup IPI with vector starts after INIT: real mode at
 * vector << 12 (CS = vector << 8, IP 0), 64 KiB segments, IDTR 0/0xffff, interrupts off,
 * paging off, caches on (CR0 = ET). npt_root and iopm_pa are left for the caller.
 */
void gboot_sipi_state(uint8_t vector, struct vcpu_start *st);

#endif
