/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the monitor keeps per guest (identity, RAM ranges, its vCPUs, its virtual platform,
 * the once-only log bookkeeping and the console line buffer) and per virtual CPU (struct vcpu:
 * the general registers the world switch saves, the vLAPIC, exits and cycles). Vendor state
 * (the VMCB) hangs off vcpu.arch.
 */
#ifndef TWINMON_MONITOR_GUEST_H
#define TWINMON_MONITOR_GUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "irq/irq.h"
#include "irq/vioapic.h"
#include "irq/vlapic.h"
#include "lib/spinlock.h"
#include "monitor/abi.h"
#include "monitor/hist.h"
#include "monitor/log_budget.h"
#include "monitor/monitor.h"
#include "monitor/vcmos.h"
#include "monitor/virq_due.h"
#include "partition/partition.h"

struct pcpu;

/*
 * The guest's general registers while it is not running. RSP lives in the backend's control
 * structure (vcpu.h's get/set); so does RAX on SVM (the VMCB), mirrored here while an exit is
 * handled (monitor/svm/svm_exit.c copies it in and back). The order is the world switches'
 * business: they use generated offsets (monitor/asm-defs.c).
 */
struct vcpu_regs {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
};

struct guest;

/*
 * What the monitor keeps per virtual CPU: the state one physical CPU loads to run it. A
 * guest's vCPUs share everything in struct guest (RAM, devices, budgets).
 */
struct vcpu {
	struct guest *g;
	unsigned index;			/* in its guest: also its APIC ID there */
	struct pcpu *cpu;		/* the physical CPU it runs on (monitor/pcpu.h) */

	struct vcpu_regs regs;
	void *arch;			/* the backend's per-vCPU state (SVM: struct svm_vcpu) */

	/* The CPU state the world switch does not exchange (monitor/fpu.c, monitor/spec.c). */
	void *fpu_area;			/* XSAVE / FXSAVE image, 64-byte aligned */
	uint64_t xcr0;
	uint64_t dr[4];
	uint64_t spec_ctrl;		/* IA32_SPEC_CTRL while another vCPU runs */

	/* Time stamps of the last VMRUN and #VMEXIT (TSC). */
	uint64_t entry_tsc;
	uint64_t exit_tsc;

	/* Its exits and cycles (exits_*, cycles_*; the guest's are the sum, stats.c). */
	struct tm_guest_stats stats;

	struct vlapic lapic;
	uint64_t injected;		/* interrupts delivered to it */
	struct hist irq_delay;		/* vLAPIC timer: cycles from expiry to injection */
	/* The other interrupts: when each became due, how late each was (monitor/virq_due.h). */
	struct virq_due due;

	/* A vCPU of an SMP guest (monitor/vipi.h): what its siblings sent it, to be taken on its
	 * own CPU; an NMI to inject; waiting for a startup IPI (after INIT, or an AP at boot:
	 * it never runs until one comes). */
	struct vlapic_post post;
	bool nmi_pending;
	bool wait_sipi;
};

#define GUEST_CON_LINE		TM_CONSOLE_LINE	/* console text longer is split */
#define GUEST_MSR_LOG_MAX	32	/* MSRs whose refusal is logged, per guest */
#define GUEST_MSIX_ENTRIES	32	/* MSI-X table entries a function offers the guest */
#define GUEST_MSI_NONE		0xff	/* no remapped vector */
#define GUEST_MSI_ENTRY_MSI	0xffff	/* a vector's owner is the MSI capability, no table */

struct guest {
	bool present;
	unsigned id;			/* index: 0 = a, 1 = b */
	char letter;
	char name[MONITOR_NAME_MAX];
	bool stopped;

	size_t nr_ram;
	struct partition_range ram[PARTITION_MAX_RAM];
	uint64_t slice_us;

	/* Its virtual CPUs: vcpu[0, nr_vcpus), each on its own physical CPU. */
	unsigned nr_vcpus;
	unsigned nr_parked;		/* of them waiting for a startup IPI (vipi.c), atomic */
	struct vcpu vcpu[MONITOR_MAX_VCPUS];

	/* Switches and the slice; each vCPU counts its own exits and cycles (stats.c). */
	struct tm_guest_stats stats;

	/* Log once: a bit per port; the MSRs already reported. */
	uint8_t io_logged[65536 / 8];
	size_t nr_msr_logged;
	uint32_t msr_logged[GUEST_MSR_LOG_MAX];
	bool msr_log_full;
	struct spinlock logged_lock;	/* around the MSR list (io_logged: atomic bits) */

	/* CONSOLE_WRITE text not yet ended by a newline. */
	size_t con_len;
	char con[GUEST_CON_LINE + 1];
	struct log_budget con_budget;	/* what its console and verdicts may log */
	/* Around con, con_len, con_budget and the verdict: any of its vCPUs may write its
	 * console (monitor/hypercall.c); a line longer than con overflowing it would reach
	 * the monitor's own fields. */
	struct spinlock con_lock;
	struct log_budget event_budget;	/* what its repeatable misdeeds may log */
	struct log_budget iommu_budget;	/* its functions' IOMMU faults (the poller's alone) */

	/* The last verdict: -1 none, 0 pass, else the failure code. */
	bool has_verdict;
	int64_t verdict;

	/* The guest's virtual platform (docs/monitor.md, "Virtual platform"); its vLAPICs are
	 * its vCPUs'. */
	struct vioapic ioapic;		/* present when boot->irq_mask names lines */
	/* Around ioapic and held_pins: any vCPU's CPU may access the vIOAPIC page, vCPU 0's
	 * takes its device lines (monitor/vdev_irq.c). */
	struct spinlock ioapic_lock;
	bool has_ioapic;
	uint64_t device_irqs;		/* device interrupts routed to it */
	uint32_t held_pins;		/* lines masked at the I/O APIC until it can take them */
	struct vcmos cmos;
	bool owns_rtc;			/* ports 0x70/0x71 are its own: no virtual CMOS */
	uint8_t port61;			/* the speaker/PIT gate bits it last wrote */
	uint8_t cf9;			/* the reset control register it last wrote */
	uint32_t cf8;			/* its PCI configuration address (0xcf8) */
	bool pci_logged;		/* a refused PCI configuration access was logged */
	/*
	 * Its functions' MSI and MSI-X, remapped (monitor/vmsi.h): what the guest programmed
	 * stays here, and the device holds only messages the monitor wrote, to its own vectors.
	 */
	size_t nr_msi;
	struct guest_msi {
		uint16_t bdf;
		uint8_t msi;		/* capability offsets; 0: none */
		uint8_t msix;
		bool msi64;		/* the MSI address has a high dword */
		bool msi_pvm;		/* MSI has per-vector mask bits */
		bool scratch;		/* no room to keep it: nothing is ever enabled */
		bool msi_logged;	/* a refused MSI message was logged */
		bool msix_logged;	/* a refused MSI-X Enable was logged */
		/* MSI as the guest programmed it. */
		bool msi_enable;
		uint8_t msi_slot;	/* its remapped vector's slot, GUEST_MSI_NONE */
		uint32_t msi_addr_lo, msi_addr_hi;
		uint16_t msi_data;
		uint32_t msi_mask;	/* its Mask Bits (msi_pvm) */
		/* MSI-X: the plan's record of its table (NULL: MSI-X Enable is never set). */
		const struct partition_msix *px;
		uint16_t msix_ctl;	/* the guest's Enable and Function Mask */
		bool msix_on;		/* Enable is set on the device, its table written first */
		uint16_t msix_n;	/* table entries the guest sees */
		struct guest_msix_entry {
			uint8_t raw[16];	/* address, upper address, data, vector control */
			uint8_t slot;		/* remapped vector slot, GUEST_MSI_NONE */
		} ent[GUEST_MSIX_ENTRIES];
	} msi[PARTITION_MAX_PCI];
	/* Its remapped vectors: slot n is IRQ_MSI_VECTOR(id, n), for msi[fn]'s entry. */
	struct guest_msi_vec {
		bool used;
		uint8_t fn;
		uint16_t entry;		/* MSI-X table entry, or GUEST_MSI_ENTRY_MSI */
	} msi_vec[IRQ_MSI_PER_GUEST];
	/* Messages masked on the device (an MSI-X entry, an MSI with mask bits) while their last
	 * interrupt waits in its vLAPIC's IRR (bit n: slot n): a device cannot interrupt faster
	 * than the guest takes them. */
	uint64_t msi_held;
	/* Around msi[], msi_vec[], msi_held, the MSI counters and the PCI filter's state of its
	 * functions (monitor/vmsi.h, monitor/vpci.c). */
	struct spinlock msi_lock;
	uint64_t msi_delivered;		/* remapped MSIs raised in its vLAPIC */
	uint64_t msi_dropped;		/* ... that found it unable to take them */
	const struct monitor_guest_boot *boot;	/* what a restart starts from */
	uint64_t restarts;
	bool restart_pending;		/* a reset request: restart before its next run */
	/* From the request until the restart is done: no CPU enters any of its vCPUs, and each
	 * CPU of a vCPU k > 0 sets bit k of restart_acks once it holds its own (core.c). */
	bool restarting;
	uint32_t restart_acks;
	uint64_t burst_start;		/* TSC: the first of the recent restarts */
	unsigned burst_restarts;
	/* Any of its vCPUs may reset or stop it: the reset-loop counters, the start of a
	 * restart (restarting, restart_pending) and the claim to stop it (stopping: set once, by
	 * the CPU that then stops it) are under state_lock (monitor/core.c). */
	struct spinlock state_lock;
	bool stopping;
	char reset_why[48];		/* the last reset request, for the log */
	bool low_write_logged;		/* a write to the zero page below 1 MiB was logged */
	bool wbinvd_logged;		/* its first WBINVD/WBNOINVD (a no-op here) was logged */
};

#endif
