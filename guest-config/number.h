/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Numbers in the configuration: decimal or 0x-prefixed hex, unsigned 64-bit, optionally
 * followed by a size unit (K M G T, binary, optional "B" or "iB") or a time unit (us ms s).
 * No libc strtoul: it accepts signs, leading blanks and octal, and the EFI app has none.
 */
#ifndef TWINMON_GUEST_CONFIG_NUMBER_H
#define TWINMON_GUEST_CONFIG_NUMBER_H

#include <stddef.h>
#include <stdint.h>

enum config_num_status {
	CONFIG_NUM_OK,
	CONFIG_NUM_NONE,     /* the token does not start with a number */
	CONFIG_NUM_JUNK,     /* a number, then something that is neither unit nor end */
	CONFIG_NUM_OVERFLOW, /* more than 64 bits, before or after applying the unit */
};

enum config_num_unit {
	CONFIG_UNIT_NONE,
	CONFIG_UNIT_SIZE, /* result in bytes */
	CONFIG_UNIT_TIME, /* result in microseconds; no unit means microseconds */
};

struct config_num {
	uint64_t value;
	uint32_t status; /* enum config_num_status */
	size_t used;	 /* bytes of number and unit; with CONFIG_NUM_JUNK the junk starts here */
};

/* Parse the whole token s[0..len) as one number with the given kind of unit. */
void config_number(const char *s, size_t len, uint32_t unit, struct config_num *out);

#endif
