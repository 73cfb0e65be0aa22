/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Preparing guests for a start, shared by the `direct` entry and the monitor's entries: read
 * the images from the ESP, plan the partitions, place every guest's segments with the loader,
 * build one indirection list for all of them (so a source page of one guest never sits
 * where another is copied), and claim a pool for what must outlive the firmware: a stack, an
 * identity map, the trampoline copy and whatever the caller asks for (the monitor's pages).
 *
 * After prep_load, prep_start leaves boot services, moves to the pool's stack and page
 * tables, runs the copy, checks every segment's digest and calls the caller's continuation.
 */
#ifndef TWINMON_EFI_PREP_H
#define TWINMON_EFI_PREP_H

#include <efi.h>
#include <stdbool.h>

#include "efi/efimap.h"
#include "efi/file.h"
#include "guest-config/config.h"
#include "loader/indirection.h"
#include "loader/loader.h"
#include "partition/acpi_mcfg.h"
#include "partition/e820.h"
#include "partition/partition.h"

/* Room for what the monitor appends to a Linux command line (partition/cmdline.h). */
#define PREP_CMDLINE_EXTRA 160
/* The FADT reset register the monitor traps: a write of the value restarts that guest. */
#define PREP_RESET_PORT 0xcf9
#define PREP_RESET_VALUE 0x06

struct prep_guest {
	bool present;
	char letter;				/* 'a', 'b' */
	const struct guest_config *cfg;
	struct efi_file_buf kernel, initrd;
	struct e820_table e820;
	struct memmap_entry map[E820_MAX_ENTRIES];	/* the e820 as the loader reads it */
	size_t map_count;
	struct loader_plan lplan;
	bool verified;				/* digests matched after the copy */
	/* With prep.virtual_platform: the joined command line and the guest's ACPI tables. */
	char cmdline[CONFIG_CMDLINE_MAX + PREP_CMDLINE_EXTRA + 1];
	uint64_t acpi_gpa;			/* reserved in its e820; 0: none */
	uint64_t acpi_size;
	uint64_t acpi_rsdp;
	void *acpi_buf;
	bool linux_guest;			/* a bzImage: it gets the Linux options */
	uint64_t boot_pages_gpa;		/* carved from its RAM for prep.boot_pages */
	size_t boot_pages;
	/* Its PCI view: the root bus decodes buses 0..bus_end; ecam: its MCFG names the host's
	 * window for them (the host has ECAM from bus 0 up to at least bus_end). */
	uint8_t bus_end;
	bool ecam;
};

struct prep {
	uint32_t boot;				/* enum config_boot */
	struct partition_plan plan;
	struct prep_guest guest[CONFIG_NR_GUESTS];
	struct loader_plan all;			/* every guest's segments, for one list */
	struct loader_reloc reloc;
	struct efimap map;
	struct memmap_entry *scratch;		/* map.map.capacity entries, for summaries */

	/* The pool: [base, base + size), identity mapped, kept from every guest. */
	uint64_t pool_base, pool_size;
	uint64_t pool_next;			/* bump pointer for prep_pool_alloc */
	uint64_t pool_end;			/* end of the caller's part (stack above it) */
	uint64_t stack_top;
	uint64_t cr3;
	uint64_t map_end;	/* the identity map covers [0, map_end) in whole GiB */
	uint64_t (*relocate)(uint64_t head);
	void (*enter)(uint64_t entry, uint64_t boot_params);
	void (*cont)(struct prep *p);		/* run on the pool's stack after the copy */
	/*
	 * Set before prep_load, or NULL: pages of each guest's RAM to take out of its e820
	 * RAM (listed reserved, so neither the loader nor the guest uses them), e.g. for the
	 * monitor's boot page tables of that guest.
	 */
	size_t (*boot_pages)(const struct partition_guest *g);
	/*
	 * Set before prep_load, or NULL: called for each present guest once the plan is built
	 * and before its e820 and ACPI tables are, to read what its PCI functions need from
	 * configuration space (BARs, INTx), while boot services still run. 0 or -errno (logged).
	 */
	int (*pci)(struct prep *p, unsigned gi);
	/*
	 * Set before prep_load for the monitor's entries: each guest gets synthesized ACPI
	 * tables in its own RAM (boot_params.acpi_rsdp_addr points at them), a command line
	 * with what its platform needs (tsc_khz for tsc_early_khz=), and the pool grows by
	 * pristine_bytes so the caller can keep a copy of every segment (guest restarts).
	 */
	bool virtual_platform;
	uint64_t tsc_khz;
	bool keep_segments;
	uint64_t pristine_bytes;
	/* The host's ECAM window (firmware MCFG, segment 0), identity mapped; base 0: none. */
	struct acpi_ecam ecam;
	/* Set before prep_load: claim a page below 1 MiB for starting the other CPUs
	 * (efi/cpus.h) and keep it from every guest; ap_start_page is its address, or 0. */
	/* The machine's CPUs (MP services), which the guests' cpus lists are checked against;
	 * 0: unknown, not checked. */
	unsigned machine_cpus;
	bool want_ap_start_page;
	uint64_t ap_start_page;
};

/*
 * Everything that needs boot services: the caller gets p->plan built and every present
 * guest's segments placed. pool_extra bytes of the pool are the caller's (prep_pool_alloc).
 * Returns 0, or a negative errno with the reason logged.
 */
int prep_load(struct prep *p, EFI_HANDLE image, EFI_FILE_HANDLE root,
	      const struct twin_config *cfg, uint32_t boot, uint64_t pool_extra);

/* The firmware's RSDP (ACPI 2.0 table if there is one, else 1.0), 0 when it has none. */
uint64_t prep_find_rsdp(void);

/* Zeroed, page-aligned pages from the caller's part of the pool; 0 when it is used up. */
uint64_t prep_pool_alloc(struct prep *p, uint64_t bytes);

/*
 * Leave boot services, switch to the pool's stack and identity map, copy every segment,
 * verify the digests (a guest whose segments differ gets verified = false and a log line)
 * and call cont(p). Does not return.
 */
__attribute__((noreturn)) void prep_start(struct prep *p, EFI_HANDLE image,
					  void (*cont)(struct prep *p));

#endif
