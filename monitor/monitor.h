/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The monitor's entry point, called by the EFI app after ExitBootServices once every guest's
 * segments sit in its partition (see docs/monitor.md and monitor/efi_glue_proposal.md).
 * No UEFI and no config types here: the EFI app translates its plan into struct
 * monitor_boot.
 *
 * Preconditions when monitor_run() is called:
 *  - ring 0, 64-bit, interrupts off, on page tables that identity-map (writable, executable)
 *    all RAM, the monitor's image, the pool, the guests' RAM and the local APIC page;
 *  - boot services are gone and nothing else will run on this CPU; other CPUs are idle
 *    (the monitor sends each CPU of the list INIT: it starts it or parks it);
 *  - each present guest's RAM holds its loaded, verified image; its nested page tables and
 *    I/O permission map live in memory no guest owns;
 *  - [pool_base, pool_base + pool_size) is reserved for the monitor and owned by no guest.
 *
 * monitor_run() switches to its own stack, GDT, TSS and IDT, enables SVM, measures the TSC,
 * builds each guest's boot page tables in its boot pages and starts the guests, sharing the
 * CPU on the local APIC timer. It returns 0 once every guest has stopped (statistics are on
 * the log), or a negative errno without starting any guest (the reason is on the log). The
 * monitor's GDT and IDT stay loaded when it returns (the firmware's may have been
 * overwritten by a guest); interrupts stay off.
 */
#ifndef TWINMON_MONITOR_MONITOR_H
#define TWINMON_MONITOR_MONITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "partition/partition.h"
#include "partition/pci_filter.h"

struct iommu;	/* iommu/iommu.h */

#define MONITOR_MAX_GUESTS	PARTITION_NR_GUESTS
#define MONITOR_MAX_VCPUS	8	/* virtual CPUs a guest can have */
#define MONITOR_MAX_CPUS	64	/* physical CPUs the monitor can name (MP-services order) */
#define MONITOR_PAGE_SIZE	4096ULL
/* What monitor_run() needs from the pool (stacks, VMCBs, MSRPM, FPU areas, host save). */
#define MONITOR_POOL_SIZE	(256ULL * 1024)
#define MONITOR_NAME_MAX	32
/*
 * What each CPU beyond the first adds to the pool, part by part (each checked against what
 * is allocated: monitor/smp.c, monitor/svm/svm.c): its stack; three IST stacks (NMI, #DF, #MC);
 * its GDT and TSS with its struct smp_cpu; the SVM host save area and host state page; for
 * each guest whose vCPU it may run a VMCB and an FPU/XSAVE area (up to 4 KiB: a larger XSAVE
 * area runs the pool short and the CPU is not started); and a page lost to alignment before
 * each page-aligned allocation that follows a smaller one (its stack, its first IST stack,
 * each VMCB).
 */
#define MONITOR_CPU_STACK	(32ULL * 1024)
#define MONITOR_CPU_IST		(3 * 8ULL * 1024)
#define MONITOR_CPU_TABLES	MONITOR_PAGE_SIZE
#define MONITOR_CPU_SVM		(2 * MONITOR_PAGE_SIZE)
#define MONITOR_CPU_FPU		(4ULL * 1024)
#define MONITOR_CPU_VCPU	(MONITOR_PAGE_SIZE + MONITOR_CPU_FPU)
#define MONITOR_CPU_ALIGN	((2 + MONITOR_MAX_GUESTS) * MONITOR_PAGE_SIZE)
#define MONITOR_POOL_PER_CPU                                                                  \
	(MONITOR_CPU_STACK + MONITOR_CPU_IST + MONITOR_CPU_TABLES + MONITOR_CPU_SVM +        \
	 MONITOR_MAX_GUESTS * MONITOR_CPU_VCPU + MONITOR_CPU_ALIGN)

/* A pristine copy of one loaded segment in the monitor's memory: a restart copies it back. */
struct monitor_segment {
	uint64_t src_pa;		/* bufsz bytes, identity mapped, owned by no guest */
	uint64_t gpa;			/* destination in the guest's RAM, page aligned */
	uint64_t bufsz;
	uint64_t memsz;			/* the rest up to memsz is zeroed */
};

#define MONITOR_MAX_SEGMENTS	16

/* What a reset request (reset register, 0xcf9, 8042 pulse, port 0x92, triple fault) does. */
enum monitor_on_reset {
	MONITOR_RESET_RESTART,		/* start the guest again from its pristine segments */
	MONITOR_RESET_STOP,		/* stop it for good */
	MONITOR_RESET_IGNORE,		/* drop the request (a triple fault still stops it) */
};

struct monitor_guest_boot {
	bool present;
	char letter;			/* 'a', 'b': the log prefix "guest a: " */
	const char *name;		/* for the log; copied (up to MONITOR_NAME_MAX - 1) */
	uint64_t entry;			/* first guest RIP (loader_plan.entry) */
	uint64_t boot_params;		/* RSI at entry (loader_plan.boot_params) */
	uint64_t npt_root;		/* N_CR3: npt.root_pa from partition_build_npt() */
	uint64_t iopm_pa;		/* 12 KiB, 4 KiB aligned: partition_build_iopm() */
	uint64_t slice_us;		/* time slice, > 0 */
	/* The guest's RAM (partition_guest.ram / nr_ram): hypercall buffers must lie in it. */
	const struct partition_range *ram;
	size_t nr_ram;
	/*
	 * monitor_guest_boot_pages() pages of the guest's own RAM, 4 KiB aligned, kept out
	 * of the loader's placement: the monitor writes the guest's boot GDT and identity
	 * page tables there (guest-physical == host-physical).
	 */
	uint64_t boot_pages_gpa;
	size_t boot_pages;
	/*
	 * Every segment as loaded, for restarting this guest alone (a reset request, a triple
	 * fault). nr_segs 0: the guest cannot be restarted and is stopped instead.
	 */
	size_t nr_segs;
	struct monitor_segment segs[MONITOR_MAX_SEGMENTS];
	/* The FADT reset register: a byte write of reset_value to reset_port restarts it. */
	uint16_t reset_port;
	uint8_t reset_value;
	uint8_t on_reset;		/* enum monitor_on_reset */
	bool x2apic;			/* start with the vLAPIC in x2APIC mode */
	/* Its PCI functions (partition/pci_filter.h): configuration accesses through 0xcf8/0xcfc
	 * reach them and nothing else; NULL: every function reads as absent. */
	const struct pci_filter *pci;
	/* Where its functions' MSI-X tables and PBAs are (partition_guest.msix): pages its nested
	 * page tables leave out, emulated by the monitor (monitor/vmsix.c). Without a record a
	 * function's MSI-X Enable is never set. */
	const struct partition_msix *msix;
	size_t nr_msix;
	/* It owns the 8042: its accesses to the command port (which always traps) go through. */
	bool owns_kbc;
	/* IRQ lines it owns (bit n: ISA IRQ / I/O APIC pin n): routed to its virtual I/O APIC. */
	uint32_t irq_mask;
	/* Its vCPUs (0 means 1) and the physical CPU each runs on: an index into
	 * monitor_boot.cpu_apic_id (0: the boot CPU), a different CPU for each. vCPU k has APIC
	 * ID k; vCPU 0 starts at entry, the others wait for a startup IPI. Guests on the same
	 * CPU time-share it; a guest alone on its CPUs never switches. */
	uint8_t nr_vcpus;
	uint8_t cpu[MONITOR_MAX_VCPUS];
};

struct monitor_boot {
	struct monitor_guest_boot guest[MONITOR_MAX_GUESTS];
	/* Physically contiguous, identity mapped, 4 KiB aligned, >= MONITOR_POOL_SIZE. */
	uint64_t pool_base;
	uint64_t pool_size;
	/* One log line without its newline; must work with interrupts off, forever. */
	void (*log)(void *ctx, const char *line);
	void *log_ctx;
	/* TSC frequency if the caller measured it (e.g. against the UEFI Stall service);
	 * 0: the monitor measures it with PIT channel 2. */
	uint64_t tsc_khz;
	/* Optional: called after a fatal monitor fault was logged (e.g. report and power
	 * off); if NULL or if it returns, the CPU halts with interrupts off. */
	void (*fatal)(void *ctx);
	void *fatal_ctx;
	/* Wall-clock time (UTC seconds since 1970) read at TSC wall_tsc, for the guests' virtual
	 * RTC; 0: unknown (the RTC then starts at 2000-01-01). */
	uint64_t wall_seconds;
	uint64_t wall_tsc;
	/* An interrupt for a switched-out guest ends the running slot at once. */
	bool switch_on_irq;
	/* The IOMMU, enabled before monitor_run() (iommu/iommu.h), or NULL: its fault reports
	 * go to the log (monitor/iommu_poll.c). */
	struct iommu *iommu;
	/*
	 * The host's ECAM window from the firmware's MCFG (segment 0), identity mapped: the
	 * monitor reaches its guests' functions there (extended registers need it), and the
	 * guests' own MCFG names the same addresses, trapped. ecam_base 0: none.
	 */
	uint64_t ecam_base;
	uint8_t ecam_bus_start, ecam_bus_end;
	/*
	 * The machine's CPUs by local APIC ID, in the firmware's MP-services order with the
	 * boot CPU (the one monitor_run() is called on) first: index i is "CPU i". nr_cpus 0
	 * means 1 (the boot CPU alone). The CPUs a guest runs on (monitor_guest_boot.cpu) are
	 * started; the others are parked (INIT: wait-for-SIPI for good). Starting CPUs needs
	 * ap_start_page: one 4 KiB page below 1 MiB, identity mapped and owned by no guest,
	 * where the monitor writes the APs' start code (the SIPI vector is its page number);
	 * 0: no other CPU can start. The pool needs MONITOR_POOL_PER_CPU per CPU started.
	 */
	uint32_t nr_cpus;
	uint32_t cpu_apic_id[MONITOR_MAX_CPUS];
	uint64_t ap_start_page;
};

/* Run the guests; see above. */
int monitor_run(const struct monitor_boot *boot);

/*
 * Boot pages one guest needs: a page for the GDT, the PML4, and one page directory pointer
 * table (1 GiB pages) per 512 GiB region that [0, 4 GiB) or the guest's RAM touches. For
 * RAM below 512 GiB that is 3. Pure: usable before ExitBootServices.
 */
size_t monitor_guest_boot_pages(const struct partition_range *ram, size_t nr_ram);

#endif
