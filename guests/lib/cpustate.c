// SPDX-License-Identifier: GPL-2.0-only
/* Comparing CPU state snapshots (see cpustate.h); pure, so the host tests run it. */
#include "guests/lib/cpustate.h"

#define FIELD(f, name) { __builtin_offsetof(struct cpu_state, f), name }

static const struct {
	size_t off;
	const char *name;
} cpu_state_fields[] = {
	FIELD(gdtr_base, "gdtr.base"), FIELD(gdtr_limit, "gdtr.limit"),
	FIELD(idtr_base, "idtr.base"), FIELD(idtr_limit, "idtr.limit"),
	FIELD(tr, "tr"), FIELD(cr0, "cr0"), FIELD(cr3, "cr3"), FIELD(cr4, "cr4"),
	FIELD(efer, "efer"),
};
_Static_assert(sizeof(cpu_state_fields) / sizeof(cpu_state_fields[0]) ==
		       sizeof(struct cpu_state) / sizeof(uint64_t),
	       "every field of struct cpu_state is compared");

static uint64_t field(const struct cpu_state *s, size_t off)
{
	return *(const uint64_t *)((const char *)s + off);
}

size_t cpu_state_diff(const struct cpu_state *was, const struct cpu_state *now,
		      struct cpu_state_change *out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < sizeof(cpu_state_fields) / sizeof(cpu_state_fields[0]); i++) {
		uint64_t a = field(was, cpu_state_fields[i].off);
		uint64_t b = field(now, cpu_state_fields[i].off);

		if (a == b)
			continue;
		if (n < max)
			out[n] = (struct cpu_state_change){ cpu_state_fields[i].name, a, b };
		n++;
	}
	return n;
}
