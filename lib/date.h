/* SPDX-License-Identifier: GPL-2.0-only */
/* Calendar arithmetic for clocks (the firmware's, a guest's CMOS): no libc time functions. */
#ifndef TWINMON_LIB_DATE_H
#define TWINMON_LIB_DATE_H

#include <stdint.h>

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; month 1..12, day 1..31; any year). */
int64_t date_days_from_civil(int64_t y, unsigned m, unsigned d);

#endif
