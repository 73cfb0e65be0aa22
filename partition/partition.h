/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The partition planner: who owns which RAM, ports, PCI functions and IRQ lines.
 *
 * The EFI app (and twinmon-check on a captured map) drive it in this order:
 *
 *	partition_plan_init(plan, map)            usable RAM from the firmware's map
 *	partition_reserve_fixed(plan, ...)        the monitor's image, stacks, staged images
 *	partition_reserve_monitor(plan, ...)      carve more for the monitor (VMCBs, NPT pool)
 *	partition_plan_build(plan, request)       split RAM between the guests, assign devices
 *	partition_add_pci_bars(plan, guest, ...)  at boot: the BARs of each guest's functions
 *	partition_build_e820 / _npt / _iopm       what each guest is started with
 *
 * Nothing here allocates: the plan is one flat struct with fixed-size arrays, so the EFI
 * app can keep it in a static or page-allocated buffer and host tools on the stack of main.
 * Every failing call returns a negative errno and leaves a message starting with
 * "partition: " in plan->err.
 */
#ifndef TWINMON_PARTITION_PARTITION_H
#define TWINMON_PARTITION_PARTITION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "partition/cpu_plan.h"
#include "partition/memmap.h"

#define PARTITION_PAGE_SIZE	0x1000ULL
#define PARTITION_LARGE_PAGE	0x200000ULL	/* 2 MiB: what "high" and "low" cuts align to */
#define PARTITION_LOW_END	0xa0000ULL	/* 640 KiB: conventional memory ends */
#define PARTITION_HIGH_START	0x100000ULL	/* 1 MiB: legacy VGA/ROM window ends */
#define PARTITION_4G		0x100000000ULL
#define PARTITION_PHYS_LIMIT	(1ULL << 48)	/* four-level nested paging: 48-bit gPAs */

#define PARTITION_NR_GUESTS	2
#define PARTITION_GUEST_A	0
#define PARTITION_GUEST_B	1

#define PARTITION_MAX_AVAIL	512	/* separate usable ranges a map may have */
#define PARTITION_MAX_MONITOR	32	/* monitor reservations */
#define PARTITION_MAX_RAM	64	/* RAM pieces per guest */
#define PARTITION_MAX_PORTS	64	/* port ranges per guest (requested + UARTs + I/O BARs) */
#define PARTITION_MAX_PCI	16	/* PCI functions per guest */
#define PARTITION_MAX_BARS	6	/* BARs of one function (a type 0 header has six) */
#define PARTITION_MAX_MMIO	(PARTITION_MAX_PCI * PARTITION_MAX_BARS + 16)
#define PARTITION_MAX_MACHINE_BARS 512	/* BARs of all the machine's functions */
#define PARTITION_NR_IRQS	32
#define PARTITION_NR_UARTS	4
#define PARTITION_LABEL_MAX	24
#define PARTITION_ERR_MAX	192

/* Half-open [base, end). Plans never hold addresses at or above PARTITION_PHYS_LIMIT. */
struct partition_range {
	uint64_t base;
	uint64_t end;
};

/* Inclusive, so 0xffff can be named without a 17-bit end. */
struct partition_ports {
	uint16_t first;
	uint16_t last;
};

/* bus << 8 | dev << 3 | fn, the layout 0xCF8 and ECAM use. */
#define PARTITION_BDF(bus, dev, fn) \
	((uint16_t)(((unsigned)(bus) << 8) | (((unsigned)(dev) & 31) << 3) | ((unsigned)(fn) & 7)))
#define PARTITION_BDF_BUS(bdf)	((unsigned)(bdf) >> 8)
#define PARTITION_BDF_DEV(bdf)	(((unsigned)(bdf) >> 3) & 31)
#define PARTITION_BDF_FN(bdf)	((unsigned)(bdf) & 7)

enum partition_placement {
	PARTITION_PLACE_HIGH,	/* the highest usable RAM in the window */
	PARTITION_PLACE_LOW,	/* the lowest usable RAM at or above 1 MiB in the window */
	PARTITION_PLACE_RANGE,	/* exactly the usable RAM in [range_base, range_end) */
};

struct partition_guest_request {
	bool present;
	uint32_t placement;	/* enum partition_placement */
	/*
	 * Bytes of RAM at or above 1 MiB (rounded up to 4 KiB). 0: an equal share of what
	 * the sized guests leave. Ignored for PLACE_RANGE, which takes the whole range.
	 */
	uint64_t size;
	uint64_t range_base, range_end;	/* PLACE_RANGE only; end exclusive */
	uint64_t mem_min, mem_max;	/* HIGH/LOW window, mem_max inclusive; 0: no limit */
	/*
	 * Of the guest's size, at least this much below 4 GiB (32-bit DMA, swiotlb). Taken
	 * first, in the guest's direction, from the part of the window below 4 GiB.
	 */
	uint64_t min_below_4g;
	bool low_mem_set;	/* false: an equal share of the RAM below 640 KiB */
	uint64_t low_mem;	/* bytes below 640 KiB when low_mem_set (0: none) */
	/* Map the firmware's ACPI and ACPI NVS ranges read-only so the guest can parse them. */
	bool map_acpi;
	/* Show the other guest's RAM and the monitor's memory as reserved in the e820. */
	bool e820_foreign_reserved;

	size_t nr_ports;
	struct partition_ports ports[PARTITION_MAX_PORTS];
	uint32_t uart_mask;	/* bit n: com(n+1): its 8 ports and its IRQ */
	size_t nr_pci;
	uint16_t pci[PARTITION_MAX_PCI];	/* PARTITION_BDF() */
	uint8_t pci_gsi[PARTITION_MAX_PCI];	/* the config's INTx GSI of pci[i]; 0: by rule */
	uint32_t irq_mask;	/* bit n: IRQ line n */
	size_t nr_mmio;
	struct partition_range mmio[16];	/* MMIO that is no PCI BAR (framebuffer, ...) */
	/* Physical CPUs (bit n: MP-services index n), one vCPU each; 0: CPU 0 alone. */
	uint64_t cpus;
	uint32_t cpus_line;	/* the config line that listed them, for messages; 0: default */
};

struct partition_request {
	struct partition_guest_request guest[PARTITION_NR_GUESTS];
	bool has_log_port;
	struct partition_ports log_port;	/* the monitor's log (debugcon, a polled UART) */
	size_t nr_monitor_ports;
	struct partition_ports monitor_ports[16];	/* more ports no guest may have */
	/*
	 * The machine's CPUs (the EFI app: what MP services count; twinmon-check: --cpus).
	 * 0: unknown, and the guests' cpus lists are not checked against it.
	 */
	unsigned nr_machine_cpus;
};

enum partition_bar_kind {
	PARTITION_BAR_MEM32,
	PARTITION_BAR_MEM64,
	PARTITION_BAR_IO,
};

struct partition_bar {
	uint16_t bdf;
	uint8_t index;		/* 0..5; a 64-bit BAR has the index of its low half */
	uint8_t kind;		/* enum partition_bar_kind */
	bool prefetchable;
	uint64_t base;
	uint64_t size;
};

/*
 * What the boot scan found about one of a guest's functions (partition/pci_fn.c), for the
 * configuration filter and the restart reset: the firmware's BARs, ROM BAR and command
 * register as they were before any guest ran, and where the capabilities are.
 */
#define PARTITION_PCI_HIDDEN	3	/* SR-IOV, Resizable BAR, VF Resizable BAR */
struct partition_pci_fn {
	uint16_t bdf;
	uint8_t header;			/* header layout: 0 endpoint, 1 bridge, 2 CardBus */
	uint16_t command;		/* the firmware's command register */
	uint32_t bar[PARTITION_MAX_BARS];	/* raw dwords at 0x10.. (a bridge has two) */
	uint32_t rom;			/* raw dword at 0x30 (endpoint) or 0x38 (bridge) */
	uint8_t msi, msix, pcie, af;	/* capability offsets; 0: none */
	bool flr;			/* Function Level Reset: PCIe DevCap bit 28, or AF */
	/* Extended capabilities the guest neither writes nor finds: [start, end). */
	uint8_t nr_hidden;
	struct partition_range16 {
		uint16_t start, end;
	} hidden[PARTITION_PCI_HIDDEN];
	/*
	 * Extended capability headers whose next pointer the guest reads changed so the chain
	 * skips the hidden ones: the dword at "at" reads as "header".
	 */
	uint8_t nr_links;
	struct partition_pci_link {
		uint16_t at;
		uint32_t header;
	} link[PARTITION_PCI_HIDDEN];
};

/*
 * Where one function's MSI-X table and pending bit array lie (partition/pci_msix.h): their
 * pages stay out of the guest's nested page tables, and the monitor emulates them.
 */
struct partition_msix {
	uint16_t bdf;
	uint8_t cap;		/* the MSI-X capability's offset in configuration space */
	uint16_t entries;	/* the table's size, as the function reports it */
	uint64_t table;		/* host-physical address of entry 0 (16 bytes each) */
	uint64_t pba;		/* host-physical address of the pending bits */
};

/* Where a function's INTx pin goes (partition/pci_intx.c), and who said so. */
enum partition_intx_source {
	PARTITION_INTX_NONE,	/* no pin, or no route known: the function has MSI only */
	PARTITION_INTX_Q35,	/* QEMU q35's chipset routing (host bridge 8086:29c0) */
	PARTITION_INTX_LINE,	/* the firmware's interrupt line register (0x3c) */
	PARTITION_INTX_CONFIG,	/* the config's "@N" after the function */
};

struct partition_intx {
	uint16_t bdf;
	uint8_t pin;		/* 1..4: INTA..INTD (config register 0x3d) */
	uint8_t gsi;		/* the I/O APIC input (0: none) */
	uint8_t source;		/* enum partition_intx_source */
};

struct partition_guest {
	bool present;
	char letter;			/* 'a', 'b' */
	size_t nr_ram;
	struct partition_range ram[PARTITION_MAX_RAM];	/* sorted, disjoint, page aligned */
	uint64_t ram_bytes;		/* including low_bytes */
	uint64_t low_bytes;		/* of it, below 640 KiB */
	bool map_acpi;
	bool e820_foreign_reserved;

	size_t nr_ports;
	struct partition_ports ports[PARTITION_MAX_PORTS];	/* sorted, merged */
	uint32_t uart_mask;
	size_t nr_pci;
	uint16_t pci[PARTITION_MAX_PCI];
	uint8_t pci_gsi[PARTITION_MAX_PCI];	/* the config's INTx GSI of pci[i], 0: none */
	uint32_t irq_mask;
	size_t nr_mmio;
	struct partition_range mmio[PARTITION_MAX_MMIO];	/* sorted, page aligned */
	bool bars_read;			/* partition_add_pci_bars() ran */
	size_t nr_bars;
	struct partition_bar bars[PARTITION_MAX_PCI * PARTITION_MAX_BARS];
	struct partition_pci_fn fn[PARTITION_MAX_PCI];	/* pci[i]'s, read with its BARs */
	size_t nr_msix;
	struct partition_msix msix[PARTITION_MAX_PCI];
	size_t nr_intx;			/* partition_add_pci_intx(): one per function with a pin */
	struct partition_intx intx[PARTITION_MAX_PCI];
	/* Its vCPUs (what its MADT lists); vCPU k runs on plan->cpus.vcpu_cpu[g][k]. */
	unsigned nr_vcpus;
	uint64_t cpus;			/* the physical CPUs it runs on */
};

struct partition_monitor_range {
	struct partition_range r;
	char label[PARTITION_LABEL_MAX];
};

struct partition_plan {
	const struct memmap *map;
	uint64_t phys_limit;		/* RAM at or above it is ignored (CPUID MAXPHYADDR) */
	bool built;			/* partition_plan_build() succeeded */

	/* Usable RAM not yet given to anyone: sorted, disjoint, page aligned. */
	size_t nr_avail;
	struct partition_range avail[PARTITION_MAX_AVAIL];

	size_t nr_monitor;
	struct partition_monitor_range monitor[PARTITION_MAX_MONITOR];
	uint64_t monitor_bytes;		/* usable RAM the monitor holds (overlaps counted once) */

	struct partition_guest guest[PARTITION_NR_GUESTS];
	struct partition_cpu_plan cpus;	/* which physical CPU runs which vCPU */
	bool has_log_port;
	struct partition_ports log_port;
	size_t nr_monitor_ports;
	struct partition_ports monitor_ports[18];	/* 0xcf8-0xcff, log, the request's */

	/*
	 * Every function's BARs on the machine (partition_pci_scan(), at the first
	 * partition_add_pci_bars()): a guest's BAR may not share a page with any of them
	 * that it does not own.
	 */
	bool pci_scanned;
	size_t nr_machine_bars;
	struct partition_bar machine_bars[PARTITION_MAX_MACHINE_BARS];

	char err[PARTITION_ERR_MAX];
};

/*
 * Start a plan from a memory map (which must stay alive as long as the plan: the e820
 * builder reads its reserved ranges). Entries may be unsorted, overlapping or empty; where a
 * usable entry overlaps any other type, the other type wins. Usable RAM is trimmed to whole
 * pages; page 0 and 640 KiB..1 MiB never become available (see docs/partition.md).
 * -E2BIG when the map has more than PARTITION_MAX_AVAIL separate usable ranges.
 */
int partition_plan_init(struct partition_plan *plan, const struct memmap *map);

/* Lower the physical limit (before reservations): RAM at or above phys_limit is dropped. */
int partition_set_phys_limit(struct partition_plan *plan, uint64_t phys_limit);

/*
 * Reserve [base, base + size) for the monitor, rounded out to pages. It may cover memory
 * of any type; only its usable part is taken from the guests. Before partition_plan_build().
 */
int partition_reserve_fixed(struct partition_plan *plan, uint64_t base, uint64_t size,
			    const char *label);

/*
 * Carve size bytes (rounded up to pages) aligned to align (a power of two, at least 4 KiB)
 * from available RAM for the monitor, and return its base. Picks the highest fit below
 * 4 GiB and at or above 1 MiB, preferring memory the firmware lists as EFI conventional
 * (so the EFI app can claim it with AllocatePages before ExitBootServices). -ENOMEM when
 * nothing fits.
 */
int partition_reserve_monitor(struct partition_plan *plan, uint64_t size, uint64_t align,
			      const char *label, uint64_t *base);

/* The same within [min, max) (max exclusive). */
int partition_reserve_monitor_in(struct partition_plan *plan, uint64_t size, uint64_t align,
				 uint64_t min, uint64_t max, const char *label, uint64_t *base);

/*
 * Plan the guests' CPUs (partition/cpu_plan.h), then split the RAM that is left between the
 * guests and assign their devices.
 */
int partition_plan_build(struct partition_plan *plan, const struct partition_request *req);

/* Internal steps of partition_plan_build(), exposed for tests and the printer. */
int partition_split_low(struct partition_plan *plan, const struct partition_request *req);
int partition_split_ram(struct partition_plan *plan, const struct partition_request *req);
int partition_assign_devices(struct partition_plan *plan, const struct partition_request *req);

/*
 * Move up to want bytes of free RAM inside [lo, hi) to guest g, lowest addresses first or
 * highest first. With align_cut, the one cut through a free range moves to the next 2 MiB
 * boundary if that stays inside the range (the guest gets up to 2 MiB - 4 KiB more, and
 * both sides of the cut can use large pages). -ENOSPC (no message) when less was free;
 * *taken says how much moved either way.
 */
int partition_take(struct partition_plan *plan, unsigned g, uint64_t lo, uint64_t hi,
		   uint64_t want, bool from_top, bool align_cut, uint64_t *taken);

/* The message of the last failure ("" if none). */
const char *partition_error(const struct partition_plan *plan);

/* Who holds the page at addr: a guest index, PARTITION_OWNER_MONITOR, or _NONE. */
#define PARTITION_OWNER_MONITOR 2
#define PARTITION_OWNER_NONE	3
int partition_page_owner(const struct partition_plan *plan, uint64_t addr);

/* Sum of a range list. */
uint64_t partition_ranges_bytes(const struct partition_range *r, size_t n);

/* Set plan->err ("partition: " is prepended) and return err. */
int partition_fail(struct partition_plan *plan, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
