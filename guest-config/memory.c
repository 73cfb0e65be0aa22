// SPDX-License-Identifier: GPL-2.0-only
/* Handlers of the guest RAM keys: memory, low-memory, mem-min, mem-max. */
#include "guest-config/names.h"
#include "guest-config/value.h"

#define CONFIG_PAGE_MASK (CONFIG_PAGE_SIZE - 1)

static const char config_memory_expected[] = "a size like 512M or a range 0x100000-0x1fffffff";

static bool config_memory_range(struct config_value *v, struct config_scan *sc,
				const struct config_span *tok_start)
{
	char a[CONFIG_ECHO_SIZE], b[CONFIG_ECHO_SIZE];
	struct config_span tok_end = config_scan_word(sc, "-,");
	uint64_t start, end;

	if (!config_value_number(v, tok_start, CONFIG_UNIT_SIZE, config_memory_expected, &start))
		return false;
	if (!config_value_number(v, &tok_end, CONFIG_UNIT_SIZE,
				 "the last address of the range, like 0x1fffffff", &end))
		return false;
	config_found(a, sizeof(a), tok_start);
	config_found(b, sizeof(b), &tok_end);
	if (start & CONFIG_PAGE_MASK) {
		config_value_error(v, tok_start->col, "range start %s is not 4K-aligned", a);
		return false;
	}
	if ((end & CONFIG_PAGE_MASK) != CONFIG_PAGE_MASK) {
		config_value_error(v, tok_end.col,
				   "range end %s is not the last byte of a 4K page; the end is "
				   "inclusive, like 0x1fffffff",
				   b);
		return false;
	}
	if (end < start) {
		config_value_error(v, tok_end.col, "range end %s is below its start %s", b, a);
		return false;
	}
	if (start < CONFIG_HIGH_START) {
		config_value_error(v, tok_start->col,
				   "range start %s is below 1M (0x100000); RAM below 640K is "
				   "given with low-memory",
				   a);
		return false;
	}
	if (end >= CONFIG_PHYS_LIMIT) {
		config_value_error(v, tok_end.col,
				   "range end %s is beyond the 52-bit physical address space", b);
		return false;
	}
	if (!config_value_end(v, sc, "the end of the line after the range"))
		return false;
	v->guest->memory.kind = CONFIG_MEM_RANGE;
	v->guest->memory.base = start;
	v->guest->memory.size = end - start + 1;
	return true;
}

void config_set_memory(struct config_value *v)
{
	char found[CONFIG_ECHO_SIZE];
	struct config_scan sc;
	struct config_span tok, place;
	uint64_t size;
	int p;

	config_scan_init(&sc, &v->span);
	tok = config_scan_word(&sc, "-,");
	if (!tok.len) {
		config_value_error(v, v->span.col, "expected %s, found %s", config_memory_expected,
				   config_found(found, sizeof(found), &v->span));
		return;
	}
	if (config_scan_char(&sc, '-')) {
		config_memory_range(v, &sc, &tok);
		return;
	}
	if (!config_value_number(v, &tok, CONFIG_UNIT_SIZE, config_memory_expected, &size))
		return;
	config_found(found, sizeof(found), &tok);
	if (!size) {
		config_value_error(v, tok.col, "the size must not be 0; expected %s",
				   config_memory_expected);
		return;
	}
	if (size & CONFIG_PAGE_MASK) {
		config_value_error(v, tok.col, "%s is not a multiple of 4K", found);
		return;
	}
	if (size > CONFIG_PHYS_LIMIT) {
		config_value_error(v, tok.col, "%s is more than the 52-bit physical address space",
				   found);
		return;
	}
	p = v->guest->memory.placement;
	place = config_scan_word(&sc, "");
	if (place.len) {
		for (p = 0; config_placement_names[p]; p++)
			if (config_span_is(&place, config_placement_names[p]))
				break;
		if (!config_placement_names[p]) {
			config_value_error(v, place.col,
					   "expected 'high' or 'low' after the size, found %s",
					   config_found(found, sizeof(found), &place));
			return;
		}
	}
	if (!config_value_end(v, &sc, "the end of the line after the placement"))
		return;
	v->guest->memory.kind = CONFIG_MEM_SIZE;
	v->guest->memory.size = size;
	v->guest->memory.placement = (uint32_t)p;
}

void config_set_low_memory(struct config_value *v)
{
	char found[CONFIG_ECHO_SIZE];
	uint64_t size;

	if (!config_value_number(v, &v->span, CONFIG_UNIT_SIZE, "a size like 256K", &size))
		return;
	config_found(found, sizeof(found), &v->span);
	if (size & CONFIG_PAGE_MASK) {
		config_value_error(v, v->span.col, "%s is not a multiple of 4K", found);
		return;
	}
	if (size > CONFIG_LOW_RAM_END) {
		config_value_error(v, v->span.col,
				   "%s is more than the 640K of RAM below 0xa0000", found);
		return;
	}
	v->guest->low_memory_set = true;
	v->guest->low_memory = size;
}

void config_set_mem_min(struct config_value *v)
{
	char found[CONFIG_ECHO_SIZE];
	uint64_t addr;

	if (!config_value_number(v, &v->span, CONFIG_UNIT_SIZE, "an address like 0x1000000 or 16M",
				 &addr))
		return;
	config_found(found, sizeof(found), &v->span);
	if (addr & CONFIG_PAGE_MASK) {
		config_value_error(v, v->span.col, "%s is not 4K-aligned", found);
		return;
	}
	if (addr >= CONFIG_PHYS_LIMIT) {
		config_value_error(v, v->span.col,
				   "%s is beyond the 52-bit physical address space", found);
		return;
	}
	v->guest->mem_min = addr;
}

void config_set_mem_max(struct config_value *v)
{
	char found[CONFIG_ECHO_SIZE];
	uint64_t addr;

	if (!config_value_number(v, &v->span, CONFIG_UNIT_SIZE,
				 "the highest address the guest's RAM may use, like 0xffffffff",
				 &addr))
		return;
	config_found(found, sizeof(found), &v->span);
	if ((addr & CONFIG_PAGE_MASK) != CONFIG_PAGE_MASK) {
		/* The usual slip is writing the end as a size ("4G"); offer the inclusive form. */
		if (addr && !(addr & CONFIG_PAGE_MASK))
			config_value_error(v, v->span.col,
					   "%s is not the last byte of a 4K page; mem-max is "
					   "inclusive, did you mean 0x%llx?",
					   found, (unsigned long long)(addr - 1));
		else
			config_value_error(v, v->span.col,
					   "%s is not the last byte of a 4K page; mem-max is "
					   "inclusive, like 0xffffffff",
					   found);
		return;
	}
	v->guest->mem_max = addr;
}
