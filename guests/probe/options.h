/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The probe's command line (besides uart=, see guests/lib/setup.h):
 *   attacks=LIST  which attacks, from mem, monitor, ports, pci, vmrun, spin, triple (or all,
 *                 or none); always run in that order. Default: all but triple.
 *   spin=1|0      the final attack: 1 spins with interrupts off (spin), 0 triple-faults
 *                 (triple); given, it replaces whichever of the two the list has.
 *   victim=ADDR   the other guest's RAM, for mem (default: the page just above this
 *                 guest's highest RAM)
 *   monitor=ADDR  the monitor's RAM, for monitor (no default: without it, skipped)
 *   pci=BB:DD.F   a PCI function this guest does not own, for pci (default 00:00.0)
 *   peer-uart=com1..com4|PORT   the other guest's UART, written by ports (default: com2 when
 *                 this guest's UART is com1, else com1)
 *   force=1       run even without twinmon (only useful to test the probe itself)
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
	PROBE_SPIN,	/* never returns */
	PROBE_TRIPLE,	/* never returns */
	PROBE_ATTACKS,
};

#define PROBE_BIT(a)		(1u << (a))
#define PROBE_FINAL		(PROBE_BIT(PROBE_SPIN) | PROBE_BIT(PROBE_TRIPLE))
#define PROBE_ALL		(PROBE_BIT(PROBE_ATTACKS) - 1)
#define PROBE_DEFAULT		(PROBE_ALL & ~PROBE_BIT(PROBE_TRIPLE))

struct probe_options {
	unsigned attacks;		/* PROBE_BIT()s */
	uint64_t victim, monitor;
	bool victim_set, monitor_set;
	uint16_t pci_bdf;		/* bus << 8 | device << 3 | function */
	uint16_t peer_uart;		/* 0: derive from this guest's own UART */
	bool force;
};

/* Fill *o from cl. 0, or -EINVAL with a message in err. */
int probe_options_parse(const char *cl, struct probe_options *o, char *err, size_t errlen);

/* The first word of cl that is no probe option, as "key" text into buf; 0 if none. */
int probe_options_unknown(const char *cl, char *buf, size_t size);

const char *probe_attack_name(enum probe_attack a);

/* BB:DD.F in hex (bus 1-2 digits, device 00-1f, function 0-7). 0 or -EINVAL. */
int probe_parse_bdf(const char *s, size_t len, uint16_t *bdf);

#endif
