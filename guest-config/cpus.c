// SPDX-License-Identifier: GPL-2.0-only
/*
 * cpus = LIST: the physical CPUs a guest runs on, one vCPU per CPU. Within one list a CPU may
 * be named only once (overlapping items are more likely a typo than an intent); whether the
 * two guests' lists fit together is the validator's business, since it needs both sections.
 */
#include "guest-config/value.h"

static const char config_cpus_expected[] = "a CPU like 1 or a range like 0-3";

struct config_cpu_list {
	uint64_t mask;
};

static unsigned int config_cpu_count(uint64_t mask)
{
	unsigned int n = 0;

	for (; mask; mask &= mask - 1)
		n++;
	return n;
}

static bool config_cpu_item(struct config_value *v, struct config_scan *sc, void *arg)
{
	struct config_cpu_list *l = arg;
	uint64_t lo, hi, mask;
	uint32_t col;

	if (!config_num_range(v, sc, "CPU", config_cpus_expected, CONFIG_MAX_CPUS - 1, "63", &lo,
			      &hi, &col))
		return false;
	for (uint64_t cpu = lo; cpu <= hi; cpu++) {
		if (l->mask & (1ULL << cpu)) {
			config_value_error(v, col, "CPU %u is listed twice", (unsigned int)cpu);
			return false;
		}
	}
	/* hi - lo < 64 here; a full 0-63 would shift by 64, so build the mask in two steps. */
	mask = (hi - lo == 63 ? ~0ULL : ((1ULL << (hi - lo + 1)) - 1)) << lo;
	if (config_cpu_count(l->mask | mask) > CONFIG_MAX_VCPUS) {
		config_value_error(v, col, "more than %u CPUs; a guest has at most %u vCPUs",
				   CONFIG_MAX_VCPUS, CONFIG_MAX_VCPUS);
		return false;
	}
	l->mask |= mask;
	return true;
}

void config_set_cpus(struct config_value *v)
{
	struct config_cpu_list l = { 0 };

	/* config_list() takes "none" for the empty list; a guest cannot run on no CPU. */
	if (config_span_is(&v->span, "none")) {
		config_value_error(v, v->span.col,
				   "a guest needs at least one CPU; expected %s, found 'none'",
				   config_cpus_expected);
		return;
	}
	if (!config_list(v, config_cpu_item, &l, config_cpus_expected))
		return;
	v->guest->cpus = l.mask;
}
