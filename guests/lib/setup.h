/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What every test guest does before its own work (guest_main): descriptor tables, monitor
 * detection, the e820 map and command line copied out of the zero page, its UART, and page
 * tables of its own that map its RAM and nothing else. Then it calls the program's
 * guest_program_main() with the result.
 *
 * Common command-line option: uart=com1|com2|com3|com4|<port> (default com1).
 */
#ifndef TWINMON_GUESTS_SETUP_H
#define TWINMON_GUESTS_SETUP_H

#include <stddef.h>
#include <stdint.h>

#include "guests/lib/bootinfo.h"
#include "guests/lib/monitor.h"
#include "guests/lib/paging.h"
#include "guests/lib/ram.h"

#define GUEST_PT_PAGES	64	/* 2 MiB pages: one table per GiB touched, plus the top */
#define GUEST_DEFAULT_UART 0x3f8

struct guest_env {
	const char *letter;		/* "a" or "b": the partition this build is linked for */
	struct bootinfo boot;
	struct ram_range ram[RAM_MAX_RANGES];
	size_t nram;
	struct tm_presence tm;
	uint16_t uart;
	uint64_t image_base, image_end;	/* [base, end): the loaded image, BSS included */
	struct pt pt;
};

/* Called by entry.asm with the zero page's physical address. */
void guest_main(uint64_t boot_params) __attribute__((noreturn));

/* Map the 2 MiB page holding pa as well (the probe's targets) and flush the TLB. */
int guest_map(struct guest_env *env, uint64_t pa);

/* Report a failure that leaves nothing to do (a verdict under twinmon) and halt. */
void guest_stop(uint64_t code, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 2, 3)));

/* ---- provided by each program -------------------------------------------------------- */

/* The line prefix, e.g. "heartbeat a: ". */
void guest_program_prefix(char *buf, size_t size, const char *letter);

void guest_program_main(struct guest_env *env) __attribute__((noreturn));

/* variant.c, built once per partition: "a" or "b". */
extern const char guest_letter[];

#endif
