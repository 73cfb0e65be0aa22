// SPDX-License-Identifier: GPL-2.0-only
#include "partition/iopm.h"

#include <errno.h>
#include <string.h>

/*
 * The 8042's command port can pulse the machine's reset line (0xfe): it traps even for the
 * guest that owns the controller, and the monitor passes on everything else.
 */
const struct partition_ports iopm_always_trapped[] = {
	{ IOPM_KBC_CMD, IOPM_KBC_CMD },
};

const size_t iopm_nr_always_trapped =
	sizeof(iopm_always_trapped) / sizeof(iopm_always_trapped[0]);

int iopm_build(uint8_t *iopm, size_t size, const struct partition_ports *pass, size_t n)
{
	if (!iopm || size < IOPM_SIZE)
		return -EINVAL;
	/* Everything intercepts first, the bits past port 0xffff included. */
	memset(iopm, 0xff, IOPM_SIZE);
	for (size_t i = 0; i < n; i++) {
		if (pass[i].first > pass[i].last)
			return -EINVAL;
		for (uint32_t p = pass[i].first; p <= pass[i].last; p++)
			iopm[p / 8] &= (uint8_t)~(1u << (p % 8));
	}
	return 0;
}

int iopm_trap(uint8_t *iopm, const struct partition_ports *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (t[i].first > t[i].last)
			return -EINVAL;
		for (uint32_t p = t[i].first; p <= t[i].last; p++)
			iopm[p / 8] |= (uint8_t)(1u << (p % 8));
	}
	return 0;
}

bool iopm_intercepts(const uint8_t *iopm, uint16_t port, unsigned width)
{
	/* IN and OUT come in 1, 2 and 4 bytes; anything else is a caller bug: trap it. */
	if (width != 1 && width != 2 && width != 4)
		return true;
	for (uint32_t p = port; p < (uint32_t)port + width; p++)
		if (iopm[p / 8] & (1u << (p % 8)))
			return true;
	return false;
}

int partition_build_iopm(struct partition_plan *plan, unsigned g, uint8_t *iopm, size_t size)
{
	if (g >= PARTITION_NR_GUESTS || !plan->guest[g].present)
		return partition_fail(plan, -EINVAL, "iopm: no guest %u", g);
	/*
	 * The ports were checked against the monitor's when assigned; check again, since a
	 * pass-through of 0xcf8 would blind the PCI filter.
	 */
	for (size_t i = 0; i < plan->guest[g].nr_ports; i++)
		for (size_t m = 0; m < plan->nr_monitor_ports; m++)
			if (plan->guest[g].ports[i].first <= plan->monitor_ports[m].last &&
			    plan->monitor_ports[m].first <= plan->guest[g].ports[i].last)
				return partition_fail(plan, -EBUSY,
						      "guest %c: iopm: port 0x%x belongs to the monitor",
						      plan->guest[g].letter,
						      plan->guest[g].ports[i].first);
	if (iopm_build(iopm, size, plan->guest[g].ports, plan->guest[g].nr_ports))
		return partition_fail(plan, -EINVAL, "guest %c: iopm buffer too small",
				      plan->guest[g].letter);
	if (iopm_trap(iopm, iopm_always_trapped, iopm_nr_always_trapped))
		return partition_fail(plan, -EINVAL, "guest %c: iopm: a reversed trapped range",
				      plan->guest[g].letter);
	return 0;
}
