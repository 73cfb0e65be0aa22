/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The probe's command line (besides uart=, see guests/lib/setup.h):
 *   attacks=LIST  which attacks, from mem, monitor, ports, pci, vmrun, vmx, console-flood,
 *                 deadline-storm, periodic-storm, level-storm, dma, bad-vector, msi, msix,
 *                 ipi-storm, spin, triple (or all, or none); always run in that order,
 *                 whatever the order of the list. Default (and all): mem, monitor, ports,
 *                 pci, vmrun, spin; vmx, the storms and floods only when named. cli-spin is
 *                 another name for spin (it never returns, so it is always the last).
 *   spin=1|0      the final attack: 1 spins with interrupts off (spin), 0 triple-faults
 *                 (triple); given, it replaces whichever of the two the list has.
 *   victim=ADDR   the other guest's RAM, for mem (default: the page just above this
 *                 guest's highest RAM)
 *   monitor=ADDR  the monitor's RAM, for monitor (no default: without it, skipped)
 *   pci=BB:DD.F   a PCI function this guest does not own, for pci (default 00:00.0)
 *   peer-uart=com1..com4|PORT   the other guest's UART, written by ports (default: com2 when
 *                 this guest's UART is com1, else com1)
 *   force=1       run even without twinmon (only useful to test the probe itself)
 *   phase=MS      length of each timed phase of the storms and floods (default 2000)
 *   edu=BB:DD.F   the edu device this guest owns (default: the first on bus 0)
 *   edu-irq=N     the I/O APIC input its INTx reaches (no default: level-storm and the
 *                 I/O APIC routes of bad-vector are skipped without it)
 *   level=LIST    level-storm's cases, from masked, vector-low, nmi, init, extint, edge,
 *                 foreign-dest, sw-disabled, hw-disabled (or all, the default); in that order
 *   vectors=LIST  bad-vector's vectors for self-IPIs and I/O APIC routes (default
 *                 0x10,0x1f,0xff)
 *   msi-vectors=LIST  msi's vectors for the edu's MSIs, besides its refused cases
 *                     (default 0x10,0xff,0x61)
 *   dma=ADDR      dma's target: the other guest's RAM, below 256 MiB (the edu's DMA reaches
 *                 no higher); no default: without it, dma is skipped
 *   dma-len=SIZE  the bytes from dma= that dma aims at, in PROBE_DMA_TARGETS evenly spaced
 *                 pages (default 2 MiB)
 * Pure C: the host tests parse with the very same code.
 */
#ifndef TWINMON_GUESTS_PROBE_OPTIONS_H
#define TWINMON_GUESTS_PROBE_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum probe_attack {
	PROBE_MEM,
	PROBE_MONITOR,
	PROBE_PORTS,
	PROBE_PCI,
	PROBE_VMRUN,
	PROBE_VMX,	/* VMX instructions, CR4.VMXE, IA32_FEATURE_CONTROL, the VMX MSRs */
	PROBE_CONSOLE_FLOOD,
	PROBE_DEADLINE_STORM,
	PROBE_PERIODIC_STORM,
	PROBE_LEVEL_STORM,
	PROBE_DMA,
	PROBE_BAD_VECTOR,	/* after the others: today it can leave the monitor's timer dead */
	PROBE_MSI,
	PROBE_MSIX,
	PROBE_IPI_STORM,	/* last before the final ones: it may leave the APIC in x2APIC mode */
	PROBE_SPIN,	/* never returns */
	PROBE_TRIPLE,	/* never returns */
	PROBE_ATTACKS,
};

#define PROBE_BIT(a)		(1u << (a))
#define PROBE_FINAL		(PROBE_BIT(PROBE_SPIN) | PROBE_BIT(PROBE_TRIPLE))
#define PROBE_ALL		(PROBE_BIT(PROBE_ATTACKS) - 1)
/* The quick ones: the storms run for seconds and need devices in the config. */
#define PROBE_DEFAULT                                                                      \
	(PROBE_BIT(PROBE_MEM) | PROBE_BIT(PROBE_MONITOR) | PROBE_BIT(PROBE_PORTS) |        \
	 PROBE_BIT(PROBE_PCI) | PROBE_BIT(PROBE_VMRUN) | PROBE_BIT(PROBE_SPIN))

/* level-storm's cases: ways an I/O APIC entry can leave an asserted line undelivered. */
enum probe_level_case {
	PROBE_LEVEL_MASKED,		/* the entry as at reset */
	PROBE_LEVEL_VECTOR_LOW,		/* fixed, vector below 16 */
	PROBE_LEVEL_NMI,		/* delivery modes the LAPIC cannot take from a line */
	PROBE_LEVEL_INIT,
	PROBE_LEVEL_EXTINT,
	PROBE_LEVEL_EDGE,		/* edge-triggered: one interrupt, then nothing */
	PROBE_LEVEL_FOREIGN_DEST,	/* a destination that is not this CPU */
	PROBE_LEVEL_SW_DISABLED,	/* a valid entry, the LAPIC software disabled (SVR) */
	PROBE_LEVEL_HW_DISABLED,	/* a valid entry, the LAPIC off in IA32_APIC_BASE */
	PROBE_LEVEL_CASES,
};

#define PROBE_LEVEL_ALL		((1u << PROBE_LEVEL_CASES) - 1)
#define PROBE_PHASE_MS_DEFAULT	2000
#define PROBE_PHASE_MS_MIN	100
#define PROBE_PHASE_MS_MAX	60000
#define PROBE_VECTORS_MAX	8
#define PROBE_NO_IRQ		0xff
#define PROBE_DMA_LEN_DEFAULT	(2u << 20)
#define PROBE_DMA_TARGETS	8
#define PROBE_NO_BDF		0xffff

struct probe_vectors {
	uint8_t v[PROBE_VECTORS_MAX];
	unsigned n;
};

struct probe_options {
	unsigned attacks;		/* PROBE_BIT()s */
	uint64_t victim, monitor;
	bool victim_set, monitor_set;
	uint16_t pci_bdf;		/* bus << 8 | device << 3 | function */
	uint16_t peer_uart;		/* 0: derive from this guest's own UART */
	bool force;
	uint64_t phase_ms;
	uint16_t edu_bdf;		/* PROBE_NO_BDF: search bus 0 */
	uint8_t edu_irq;		/* PROBE_NO_IRQ: not given */
	unsigned level_cases;		/* 1 << enum probe_level_case */
	struct probe_vectors vectors, msi_vectors;
	uint64_t dma, dma_len;
	bool dma_set;
};

/* Fill *o from cl. 0, or -EINVAL with a message in err. */
int probe_options_parse(const char *cl, struct probe_options *o, char *err, size_t errlen);

/* The first word of cl that is no probe option, as "key" text into buf; 0 if none. */
int probe_options_unknown(const char *cl, char *buf, size_t size);

const char *probe_attack_name(enum probe_attack a);
const char *probe_level_case_name(enum probe_level_case c);

/* BB:DD.F in hex (bus 1-2 digits, device 00-1f, function 0-7). 0 or -EINVAL. */
int probe_parse_bdf(const char *s, size_t len, uint16_t *bdf);

#endif
