/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Port I/O exits. Only ports the guest does not own trap (its IOPM passes its own ports
 * straight to the hardware), so every trapped access is to an unassigned port: reads return
 * all ones, writes are dropped, and the first access to each port is logged once per guest.
 * String forms (INS/OUTS, with or without REP) are completed the same way for the whole
 * count: INS stores all-ones bytes through the guest's page tables, OUTS reads nothing;
 * RSI/RDI advance by count * size (backwards with RFLAGS.DF) and REP leaves rCX 0. Long
 * REP counts are done in chunks: the guest re-executes the instruction for the rest.
 */
#ifndef TWINMON_MONITOR_IO_H
#define TWINMON_MONITOR_IO_H

#include <stdbool.h>
#include <stdint.h>

#include "monitor/core.h"
#include "monitor/gva.h"

/* Elements one exit completes of a REP string access. */
#define IO_REP_CHUNK 4096

struct io_access {
	uint16_t port;
	uint8_t size;		/* bytes: 1, 2, 4 */
	bool in;
	bool string;
	bool rep;
	uint8_t addr_size;	/* bytes: 2, 4, 8; 0 if the CPU did not say (QEMU TCG) */
};

/* What an I/O exit may read and change of the guest. */
struct io_cpu {
	struct vcpu_regs *regs;	/* rax, rcx, rsi, rdi are updated */
	uint64_t rflags;
	uint64_t es_base;	/* INS destination segment base (0 in 64-bit mode) */
	uint8_t default_addr_size;	/* bytes, when the access does not say */
	struct gva_paging paging;
};

enum io_result {
	IO_DONE,		/* complete: move RIP past the instruction */
	IO_AGAIN,		/* a REP chunk done: leave RIP, the guest resumes the rest */
	IO_FAULT,		/* INS to memory the guest cannot write: the guest is stopped */
	IO_RESET,		/* complete, and a reset request (monitor/vio.h) */
};

/* Emulate an access to a port the guest does not own: its virtual platform's, else unassigned. */
enum io_result io_emulate(struct monitor *m, struct guest *g, const struct io_access *a,
			  struct io_cpu *cpu);

#endif
