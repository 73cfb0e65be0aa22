// SPDX-License-Identifier: GPL-2.0-only
/* The intercept policy's MSR table (monitor/policy.h), which every backend encodes. */
#include "monitor/policy.h"

#include <errno.h>
#include <string.h>

#include "monitor/msr.h"

const struct policy_msr policy_msrs[] = {
	{ MSR_TSC, MSR_TSC, true, false, POLICY_ALWAYS },
	{ MSR_SYSENTER_CS, MSR_SYSENTER_EIP, true, true, POLICY_ALWAYS },
	{ MSR_STAR, MSR_SFMASK, true, true, POLICY_ALWAYS },
	{ MSR_FS_BASE, MSR_KERNEL_GS_BASE, true, true, POLICY_ALWAYS },
	{ MSR_SPEC_CTRL, MSR_SPEC_CTRL, true, true, POLICY_SPEC_CTRL },
	/* PRED_CMD is write-only: a read still exits, and gets the #GP the CPU would give. */
	{ MSR_PRED_CMD, MSR_PRED_CMD, false, true, POLICY_IBPB },
};

const size_t policy_nr_msrs = sizeof(policy_msrs) / sizeof(policy_msrs[0]);

bool policy_msr_applies(const struct policy_msr *p, const struct spec_caps *c)
{
	switch (p->when) {
	case POLICY_ALWAYS:
		return true;
	case POLICY_SPEC_CTRL:
		return c && c->ctrl;
	case POLICY_IBPB:
		return c && c->ibpb;
	}
	return false;
}

bool policy_msr_passes(const struct policy_msr *t, size_t n, uint32_t msr, bool write,
		       const struct spec_caps *c)
{
	for (size_t i = 0; i < n; i++)
		if (msr >= t[i].first && msr <= t[i].last && policy_msr_applies(&t[i], c) &&
		    (write ? t[i].write : t[i].read))
			return true;
	return false;
}

int policy_msr_encode(uint8_t *map, size_t size, size_t need, const struct policy_msr *t,
		      size_t n, const struct spec_caps *c,
		      int (*allow)(uint8_t *map, uint32_t msr, bool read, bool write))
{
	if (!map || size < need)
		return -EINVAL;
	memset(map, 0xff, need);
	for (size_t i = 0; i < n; i++) {
		if (t[i].first > t[i].last)
			return -EINVAL;
		if (!policy_msr_applies(&t[i], c))
			continue;
		for (uint64_t msr = t[i].first; msr <= t[i].last; msr++)
			allow(map, (uint32_t)msr, t[i].read, t[i].write);
	}
	return 0;
}
