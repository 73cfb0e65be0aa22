/* SPDX-License-Identifier: GPL-2.0-only */
/* twinmon-check: the pieces of the host tool. Host only (uses stdio). */
#ifndef TWINMON_GUEST_CONFIG_CHECK_H
#define TWINMON_GUEST_CONFIG_CHECK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "guest-config/config.h"

struct check_place {
	bool runs;	     /* the guest runs in the file's mode */
	uint64_t base;	     /* placed memory= RAM: base..base+size-1 */
	uint64_t size;
	uint64_t low_memory; /* bytes below 640K */
};

struct check_plan {
	uint64_t ram; /* 0: no --ram given, nothing placed */
	struct check_place guest[CONFIG_NR_GUESTS];
};

struct check_file {
	const char *path;
	bool valid;
	struct twin_config cfg;
	struct config_diag diag;
	struct check_plan plan;
};

/*
 * A stand-in for partition/'s RAM split, so the tool can say whether the requests fit in a
 * machine with ram bytes of RAM: everything at and above 1M is one free block, explicit
 * ranges are taken first, then "low" and "high" sizes from either end, then "auto" guests
 * share what is left. Problems are added to diag. 0, or -EINVAL when something did not fit.
 */
int check_place_ram(const struct twin_config *cfg, uint64_t ram, struct check_plan *plan,
		    struct config_diag *diag);

void check_print_table(FILE *f, const struct check_file *cf);
void check_print_json(FILE *f, const struct check_file *files, int count);

#endif
