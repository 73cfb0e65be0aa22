/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the monitor keeps per physical CPU: the guests it runs and their scheduler, which of
 * their vCPUs it runs, whose CPU state is loaded, whose exit it handles, its time accounting
 * and the backend's per-CPU state (the host save area). Only that CPU writes its struct pcpu
 * while guests run; the boot CPU reads them once every CPU has finished (pcpu.done).
 *
 * A CPU runs at most one vCPU of each guest, so its scheduler is over guests (indexed by
 * guest id) and vcpu[id] names the vCPU it runs (vcpu.cpu is the way back).
 * Guests that list the same CPU share it through that CPU's scheduler; a guest alone on its
 * CPU never switches (docs/monitor.md, "CPUs").
 */
#ifndef TWINMON_MONITOR_PCPU_H
#define TWINMON_MONITOR_PCPU_H

#include <stdbool.h>
#include <stdint.h>

#include "monitor/sched.h"
#include "monitor/sw_meter.h"

#include "monitor/monitor.h"

struct monitor;
struct vcpu;

struct pcpu {
	struct monitor *m;
	unsigned index;			/* MP-services order: 0 is the boot CPU */
	uint32_t apic_id;
	uint32_t guests;		/* bit n: guest n runs here */
	/* bit n: guest n's vCPU 0 runs here: its device lines and MSIs come here, and only
	 * this CPU writes its virtual I/O APIC and vCPU 0's vLAPIC. */
	uint32_t boot_guests;
	struct sched sched;		/* over the guests it runs */
	struct vcpu *vcpu[MONITOR_MAX_GUESTS];	/* guest n's vCPU it runs, or NULL */
	struct vcpu *loaded;		/* whose switch_state is in this CPU */
	struct vcpu *current;		/* whose exit it is handling, or NULL */
	/* The vCPU whose exit the monitor is working on, until the next VMRUN, and since. */
	struct vcpu *acct;
	uint64_t acct_from;
	uint64_t idle_cycles;
	uint64_t idles;
	uint64_t runs;			/* VMRUNs */
	uint64_t switches;		/* runs of a guest after another guest ran here */
	struct sw_meter sw;		/* the monitor's time of its switches and resumes */
	void *arch;			/* the backend's per-CPU state */
	int status;			/* its loop's result (0, or why it could not run) */
	bool done;			/* its loop has ended: written last, with release order */
};

static inline bool pcpu_runs(const struct pcpu *pc, unsigned guest)
{
	return (pc->guests >> guest) & 1;
}

static inline bool pcpu_runs_boot_vcpu(const struct pcpu *pc, unsigned guest)
{
	return (pc->boot_guests >> guest) & 1;
}

#endif
