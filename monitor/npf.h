/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A nested page fault, vendor neutral: AMD's #NPF (EXITINFO1/2) and Intel's EPT violation
 * (exit qualification, guest-physical and guest-linear address fields) decode into the
 * same description, what the emulation of the guest's xAPIC, I/O APIC, MSI-X and ECAM pages
 * and of the zero page below 1 MiB needs to know (monitor/exit_npf.c).
 */
#ifndef TWINMON_MONITOR_NPF_H
#define TWINMON_MONITOR_NPF_H

#include <stdbool.h>
#include <stdint.h>

struct npf_access {
	uint64_t gpa;		/* the guest-physical address accessed */
	bool read;		/* a data read (AMD: neither a write nor a fetch) */
	bool write;		/* a data write */
	bool fetch;		/* an instruction fetch */
	bool present;		/* the address is mapped: the access broke a permission */
	bool tables;		/* the CPU was reading or updating the guest's own page tables */
	bool final;		/* the access was to the translation of a guest-linear address */
	bool gla_valid;		/* gla holds the guest-linear address (VMX only) */
	uint64_t gla;
};

#endif
