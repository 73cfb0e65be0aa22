/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A captured firmware memory map as text: the EFI app writes it, twinmon-check --memmap
 * reads it. docs/partition.md describes the format:
 *
 *	twinmon-memmap 1
 *	# type      physical-start          pages          attribute
 *	conventional 0x0000000000100000       1792 0x000000000000000f
 */
#ifndef TWINMON_PARTITION_MEMMAP_TEXT_H
#define TWINMON_PARTITION_MEMMAP_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "partition/memmap.h"

#define PARTITION_MEMMAP_TEXT_HEADER "twinmon-memmap 1\n"

/*
 * Parse text (len bytes, need not be NUL-terminated) into out->entries, which holds
 * out->capacity entries; out->count is set. Each descriptor is classified with
 * memmap_type_from_efi(), as the EFI app does. -EINVAL on a malformed line, -E2BIG when
 * out is full; err then holds "partition: memmap line N: ...".
 */
int partition_memmap_parse_text(const char *text, size_t len, struct memmap *out, char *err,
				 size_t errlen);

/*
 * One descriptor line, newline included, as the parser reads it. Returns what
 * fmt_snprintf() returns (the length the line needs; it fits when below size).
 */
int partition_memmap_format_line(char *buf, size_t size, uint32_t efi_type, uint64_t base,
				 uint64_t pages, uint64_t attr);

#endif
