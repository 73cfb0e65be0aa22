// SPDX-License-Identifier: GPL-2.0-only
#include "lib/date.h"

/*
 * Howard Hinnant's days_from_civil: eras of 400 years, March-based years so the leap day is
 * the last of the year, floor division written out so negative years need no signed modulo.
 */
int64_t date_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}
