/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A fake machine for the monitor's host tests, implemented in tests/unit/test_monitor_fake.c
 * (never part of the EFI build): simulated physical memory (a guest's RAM and the monitor's
 * pool at made-up addresses), a captured log, a scripted clock and CPUID, and a struct
 * monitor wired to them.
 */
#ifndef TWINMON_MONITOR_TEST_FAKE_H
#define TWINMON_MONITOR_TEST_FAKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "monitor/core.h"
#include "monitor/spec.h"
#include "monitor/x86.h"

struct svm_vcpu;

#define FAKE_RAM_BASE	0x40000000ULL	/* guest a's RAM: 1 GiB .. 1 GiB + FAKE_RAM_SIZE */
#define FAKE_RAM_SIZE	(4ULL << 20)
#define FAKE_POOL_BASE	0x10000000ULL
#define FAKE_POOL_SIZE	(256ULL << 10)
#define FAKE_LOG_LINES	256
#define FAKE_LOG_LEN	320
#define FAKE_PORT_LOG	16
#define FAKE_MAX_INJECT	16
#define FAKE_BAR_BASE	0xfe000000ULL	/* the simulated function's memory BAR (mmio) */
#define FAKE_BAR_SIZE	0x4000

struct fake {
	struct monitor m;
	struct monitor_platform plat;
	uint8_t *ram;		/* FAKE_RAM_SIZE bytes at FAKE_RAM_BASE */
	uint8_t *pool;		/* FAKE_POOL_SIZE bytes at FAKE_POOL_BASE */
	size_t nlog;
	char log[FAKE_LOG_LINES][FAKE_LOG_LEN];
	uint64_t now;		/* the TSC */
	uint64_t now_step;	/* added on every read */
	unsigned interrupts_taken;
	uint64_t armed;		/* the last timer deadline */
	struct partition_range ram_range;
	/* Guest a's vCPU state: the SVM backend's plain-C half (monitor/svm/) is the fake's
	 * backend, so its tests include monitor/svm/svm.h; a VMCB in the pool. */
	struct svm_vcpu *vcpu;
	uint32_t device_pending;	/* what take_device_irqs returns next (then 0) */
	uint32_t unmasked;		/* pins mask_device_irq unmasked */
	uint32_t masked;		/* pins mask_device_irq masked */
	/* The physical lines: those a device holds asserted fire at every take_device_irqs
	 * while unmasked (level pins, 16 and up, are masked when they fire). */
	uint32_t asserted;
	uint32_t pin_masked;		/* the physical mask bits now */
	unsigned fired;			/* interrupts take_device_irqs reported */
	/* port_io: the last access, and a log of the first FAKE_PORT_LOG. */
	uint16_t port_io_port;
	bool port_io_in;
	uint8_t port_io_size;
	uint32_t port_io_value;		/* what reads return */
	uint32_t port_io_written;	/* the last value written */
	unsigned port_io_count;
	unsigned port_io_log_n;
	struct fake_port_access {
		uint16_t port;
		bool in;
		uint8_t size;
		uint32_t value;
	} port_io_log[FAKE_PORT_LOG];
	/* A simulated PCI function behind 0xcf8/0xcfc, for tests that set cfg_on: port_io
	 * keeps the last dword written to 0xcf8 (and reads it back), and 0xcfc-0xcff reach
	 * cfg[] when it addresses cfg_bdf with the enable bit (register bits 27:24 ignored, as
	 * most chipsets do); any other function reads all ones and drops writes. A write changes
	 * only the bits set in cfg_wmask, then calls cfg_written. Without cfg_on, port_io answers
	 * every read with port_io_value, as before. */
	bool cfg_on;
	uint16_t cfg_bdf;
	uint32_t cfg_addr;
	uint8_t cfg[256];
	uint8_t cfg_wmask[256];
	unsigned cfg_reads, cfg_writes;	/* data port accesses that reached cfg[] */
	void (*cfg_written)(struct fake *f, uint16_t reg, uint8_t size);
	/* Its memory BAR: FAKE_BAR_SIZE bytes at FAKE_BAR_BASE that mmio reaches while bar_on
	 * (plain memory; reads all ones and writes dropped while off, and anywhere else). */
	bool bar_on;
	uint8_t bar[FAKE_BAR_SIZE];
	unsigned mmio_reads, mmio_writes;	/* accesses that reached bar[] */
	void (*mmio_written)(struct fake *f, uint64_t off, uint8_t size);
	/* Remapped MSI vectors the next take_msi reports (then cleared). */
	uint64_t msi_pending[IRQ_MSI_WORDS];

	/* The fake backend's interrupt hooks (fake_inject, fake_interruptible,
	 * fake_irq_window): what they answer and what they were asked. */
	bool interruptible;	/* what fake_interruptible answers */
	unsigned interruptible_calls;
	int irq_window;		/* the last irq_window(on): 1, 0, or -1 before any */
	unsigned irq_window_calls;
	unsigned ninject;	/* events passed to fake_inject (all counted, FAKE_MAX_INJECT kept) */
	struct vcpu_event inject[FAKE_MAX_INJECT];
	unsigned inject_guest[FAKE_MAX_INJECT];	/* whose event it was (guest id) */

	/* Speculation controls (monitor/spec.h): bits fake_cpuid adds to 7.0 EDX and
	 * 0x80000008 EBX (then call fake_spec_probe), the fake CPU's SPEC_CTRL and what was
	 * written to PRED_CMD, and the spec state the default switch_state drives. */
	uint32_t cpuid_7_edx;
	uint32_t cpuid_88_ebx;
	uint64_t msr_spec_ctrl;
	unsigned ibpbs;		/* PRED_CMD writes of IBPB */
	unsigned spec_ctrl_writes;
	struct spec_cpu spec;

	/* The kicks the platform sent (bit n: to CPU n), and how many. */
	uint64_t kicked;
	unsigned kicks;
};

/* A monitor with guest a present (RAM = one range), a VMCB allocated and zeroed, and
 * fake_svm_vops as its vendor interface. */
struct fake *fake_new(void);
void fake_free(struct fake *f);

/*
 * Guest a as the monitor starts it: boot tables (GDT, identity map) in its first 3 pages, its
 * VMCB in 64-bit mode at rip, and a scheduler slot. 0, or -1 if any step failed.
 */
int fake_long_mode(struct fake *f, uint64_t rip);
/* Host pointer to fake physical memory (NULL outside RAM and pool). */
void *fake_phys(struct fake *f, uint64_t pa);
/* Whether some log line contains text; the index of the first one, or -1. */
int fake_log_find(const struct fake *f, const char *text);
/* How many log lines contain text. */
unsigned fake_log_count(const struct fake *f, const char *text);
/* The CPUID leaves the fake CPU answers (an AMD-like table); ctx NULL or a struct fake. */
void fake_cpuid(void *ctx, uint32_t leaf, uint32_t subleaf, struct cpuid_regs *out);
/* Probe f->spec.caps again from fake_cpuid (after changing cpuid_7_edx / cpuid_88_ebx). */
void fake_spec_probe(struct fake *f);
/*
 * vcpu_ops hooks a test may put in its own table; they record into the struct fake whose
 * monitor m is. fake_vops has these three and the SVM backend's register accessors (no run,
 * no handle_exit). fake_svm_vops, the default, is the SVM backend's plain-C entries: events
 * and exits reach guest a's VMCB.
 */
void fake_inject(struct monitor *m, struct vcpu *v, const struct vcpu_event *ev);
bool fake_interruptible(struct monitor *m, struct vcpu *v);
void fake_irq_window(struct monitor *m, struct vcpu *v, bool on);
extern const struct vcpu_ops fake_vops;
extern const struct vcpu_ops fake_svm_vops;
/* Guest a's nested page fault as its VMCB's EXITINFO1/2 describe it, decoded by the SVM
 * backend and given to the shared emulation (exit_npf_emulate): whether it was emulated. */
bool fake_npf_emulate(struct fake *f);

#endif
