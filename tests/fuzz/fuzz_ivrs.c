// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz the IVRS parser on arbitrary bytes (the signature and length are patched in half of
 * the time so the blocks get parsed). A parse that succeeds must describe something usable:
 * at least one unit, each with a 16 KiB-aligned register base and ordered scope ranges, and
 * aliases within bounds; each function an alias entry names is behind a unit, as its alias.
 */
#include <stdlib.h>
#include <string.h>

#include "iommu/ivrs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *t = malloc(size ? size : 1);
	struct ivrs iv;

	if (!t)
		return 0;
	memcpy(t, data, size);
	if (size >= IVRS_HEADER_LEN && (data[0] & 1)) {
		memcpy(t, "IVRS", 4);
		t[4] = (uint8_t)size;
		t[5] = (uint8_t)(size >> 8);
		t[6] = t[7] = 0;
	}
	if (ivrs_parse(t, size, &iv) == 0) {
		if (!iv.nr_units || iv.nr_units > IVRS_MAX_UNITS ||
		    iv.nr_aliases > IVRS_MAX_ALIASES)
			abort();
		for (size_t i = 0; i < iv.nr_units; i++) {
			if (!iv.unit[i].base || (iv.unit[i].base & 0x3fff) ||
			    iv.unit[i].max_devid > 0xffff || iv.unit[i].nr_scope > IVRS_MAX_SCOPE)
				abort();
			for (size_t k = 0; k < iv.unit[i].nr_scope; k++)
				if (iv.unit[i].scope[k].first > iv.unit[i].scope[k].last)
					abort();
		}
		for (size_t i = 0; i < iv.nr_aliases; i++)
			if (!ivrs_unit_of(&iv, iv.alias[i].devid) ||
			    !ivrs_unit_of(&iv, iv.alias[i].alias))
				abort();
	} else if (!iv.err[0]) {
		abort();
	}
	free(t);
	return 0;
}
