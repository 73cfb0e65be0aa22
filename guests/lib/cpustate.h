/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The CPU state a guest sets once and expects to keep: descriptor-table registers, the task
 * register, the control registers and EFER. A monitor that forgets to save or restore one of
 * them across a world switch shows up as a difference between two snapshots.
 */
#ifndef TWINMON_GUESTS_CPUSTATE_H
#define TWINMON_GUESTS_CPUSTATE_H

#include <stddef.h>
#include <stdint.h>

struct cpu_state {
	uint64_t gdtr_base, gdtr_limit;
	uint64_t idtr_base, idtr_limit;
	uint64_t tr;
	uint64_t cr0, cr3, cr4, efer;
};

struct cpu_state_change {
	const char *what;	/* "gdtr.base", "cr3", "efer", ... */
	uint64_t was, now;
};

/* Take a snapshot (guest only: privileged instructions). */
void cpu_state_read(struct cpu_state *s);

/* The fields that differ, in struct order, into out[0..max); returns how many differ. */
size_t cpu_state_diff(const struct cpu_state *was, const struct cpu_state *now,
		      struct cpu_state_change *out, size_t max);

#endif
