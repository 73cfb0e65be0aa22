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
 */
#ifndef TWINMON_GUESTS_PROBE_ATTACKS_H
#define TWINMON_GUESTS_PROBE_ATTACKS_H

#include <stdint.h>

#include "guests/lib/setup.h"
#include "guests/probe/options.h"

struct probe_run {
	struct guest_env *env;
	const struct probe_options *opt;
	unsigned number;		/* of the attack announced last */
	unsigned contained, not_contained, survived, skipped;
};

/* Write (and read) addr, which must be outside this guest's RAM; what names it. */
void probe_mem(struct probe_run *r, const char *what, uint64_t addr);
/* The other guest's UART, the PIC's mask, and the three ways to reset a PC. */
void probe_ports(struct probe_run *r);
/* Read another function's vendor and device ID through 0xcf8/0xcfc. */
void probe_pci(struct probe_run *r);
/* VMRUN from inside a guest. */
void probe_vmrun(struct probe_run *r);
/* cli; jmp . for ever: only the monitor's own timer can take the CPU back. */
void probe_spin(struct probe_run *r) __attribute__((noreturn));
/* An empty IDT and int3: #GP, #DF, then shutdown (a triple fault). */
void probe_triple(struct probe_run *r) __attribute__((noreturn));

#endif
