/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The probe's attacks. Each one is announced on the UART (and in the monitor's log) before
 * it happens, "attack N: <what>", and its outcome after, if the guest survives it:
 *   "attack N: contained: <how>"       the monitor stopped it (a fault, a discarded write)
 *   "attack N: NOT CONTAINED: <how>"   it did what it should not have been able to
 *   "attack N: survived: <what next>"  nothing the probe can see; the other guest or the
 *                                      test has to tell (a reset that did not happen is
 *                                      contained, output on another UART is not)
 *   "attack N: skipped: <why>"
 * The storms and floods harm nobody's memory: what they may take is the other guest's time.
 * They run in timed phases (phase.h), a baseline first, and log each phase's TSC window so
 * the test can compare the other guest's progress inside each.
 */
#ifndef TWINMON_GUESTS_PROBE_ATTACKS_H
#define TWINMON_GUESTS_PROBE_ATTACKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "guests/lib/setup.h"
#include "guests/probe/edu.h"
#include "guests/probe/options.h"

/* The probe's own vectors: its timer, its device line, its (never sent) spurious vector. */
#define PROBE_VEC_TIMER		0x40
#define PROBE_VEC_LINE		0x50
#define PROBE_VEC_SPURIOUS	0xef

struct probe_run {
	struct guest_env *env;
	const struct probe_options *opt;
	unsigned number;		/* of the attack announced last */
	unsigned contained, not_contained, survived, skipped;
	uint64_t tsc_khz;		/* from the monitor; 0 without it (no timed attacks) */
	/* Interrupt sources, set up on first use (irqsrc.c): 0 not yet, 1 ready, -1 failed. */
	int apic_state, ioapic_state, edu_state;
	struct edu edu;
};

enum probe_result { PROBE_CONTAINED, PROBE_NOT_CONTAINED, PROBE_SURVIVED, PROBE_SKIPPED };

/* report.c: "attack N: <text>" with the next N; the outcome of attack N, counted. */
void probe_announce(struct probe_run *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void probe_outcome(struct probe_run *r, enum probe_result res, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* "#PF error 0x7, cr2 0x..." for the fault guest_try() caught. */
const char *probe_fault_text(char *buf, size_t size);

/*
 * irqsrc.c: the local APIC (software enabled), the I/O APIC, the edu device. true when ready;
 * false after reporting the current attack as skipped, with the reason.
 */
bool probe_use_apic(struct probe_run *r);
bool probe_use_ioapic(struct probe_run *r);
bool probe_use_edu(struct probe_run *r);

/* attacks.c */
/* Write (and read) addr, which must be outside this guest's RAM; what names it. */
void probe_mem(struct probe_run *r, const char *what, uint64_t addr);
/* The other guest's UART, the PIC's mask, and the three ways to reset a PC. */
void probe_ports(struct probe_run *r);
/* Read another function's vendor and device ID through 0xcf8/0xcfc. */
void probe_pci(struct probe_run *r);
/* VMRUN from inside a guest. */
void probe_vmrun(struct probe_run *r);
/* vmx.c: every VMX instruction (#UD), CR4.VMXE (#GP), IA32_FEATURE_CONTROL and the VMX
 * capability MSRs (#GP), as on a CPU without VMX, whichever backend runs the guest. */
void probe_vmx(struct probe_run *r);
/*
 * cli; jmp . for ever (also named cli-spin): time-shared, only the monitor's own timer can
 * take the CPU back; on a core of its own, it just burns that core.
 */
void probe_spin(struct probe_run *r) __attribute__((noreturn));
/* An empty IDT and int3: #GP, #DF, then shutdown (a triple fault). */
void probe_triple(struct probe_run *r) __attribute__((noreturn));

/* flood.c: TM_HC_CONSOLE_WRITE of 4096 newlines, call after call, for a phase. */
void probe_console_flood(struct probe_run *r);
/* timer_storm.c: a TSC-deadline timer re-armed 2000 cycles ahead from its own handler. */
void probe_deadline_storm(struct probe_run *r);
/* timer_storm.c: the shortest periodic timer, directly and by way of a one-shot count. */
void probe_periodic_storm(struct probe_run *r);
/*
 * dma.c: the edu's DMA engine aimed at the other guest's RAM (dma=, dma-len=): each target
 * page written with a pattern, then read back; contained when neither the write shows nor
 * the read brings back anything, NOT CONTAINED when either does. A round trip within this
 * guest's own RAM first shows the engine works (and that an IOMMU lets a guest reach its own
 * memory).
 */
void probe_dma(struct probe_run *r);
/* level_storm.c: the edu's INTx held asserted while its I/O APIC entry cannot deliver it. */
void probe_level_storm(struct probe_run *r);
/* bad_vector.c: vectors 0x10-0x1f and 0xff by self-IPI and I/O APIC route. */
void probe_bad_vector(struct probe_run *r);
/* msi.c: the edu's MSI with INIT, NMI, a vector below 16, and vectors the monitor remaps. */
void probe_msi(struct probe_run *r);
/* msix.c: an e1000e's MSI-X entry, valid, masked and INIT, through the table emulation. */
void probe_msix(struct probe_run *r);
/*
 * ipi_storm.c: INIT, SIPI, NMI, SMI and fixed IPIs to every kind of destination, in xAPIC and
 * x2APIC mode; survived when the probe saw nothing wrong with itself. Leaves the local APIC
 * in x2APIC mode when it could switch.
 */
void probe_ipi_storm(struct probe_run *r);

#endif
