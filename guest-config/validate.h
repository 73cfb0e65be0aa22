/* SPDX-License-Identifier: GPL-2.0-only */
/* The validator's entry for the parser, which knows more than the struct records. Internal. */
#ifndef TWINMON_GUEST_CONFIG_VALIDATE_H
#define TWINMON_GUEST_CONFIG_VALIDATE_H

#include "guest-config/config.h"

/*
 * What the parser already complained about, so the checks that would only echo it are left
 * out. Bit i: a line of guest i's section was unreadable (a key reported "missing" may be on
 * it). SECTIONS: a section header was unreadable or mode was rejected (a section reported
 * missing may be that one, or not needed). DEFAULT, LOG: that key's value was rejected and its
 * default stands in, which the file never asked for.
 */
#define CONFIG_DAMAGED_SECTIONS (1u << CONFIG_NR_GUESTS)
#define CONFIG_DAMAGED_DEFAULT	(1u << (CONFIG_NR_GUESTS + 1))
#define CONFIG_DAMAGED_LOG	(1u << (CONFIG_NR_GUESTS + 2))

int config_validate_damaged(const struct twin_config *cfg, unsigned int damaged,
			    struct config_diag *diag);

#endif
