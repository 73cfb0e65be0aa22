// SPDX-License-Identifier: GPL-2.0-only
/*
 * The MSR permission map (AMD APM vol. 2, 15.11): 8 KiB, two bits per MSR (read, then
 * write; set = intercept) for 0-0x1fff, 0xc0000000-0xc0001fff and 0xc0010000-0xc0011fff;
 * every other MSR always exits. Its content is the SVM encoding of the neutral policy table
 * (monitor/policy.h).
 */
#include <errno.h>
#include <string.h>

#include "monitor/svm/svm.h"

/* The bit offset of msr's read bit in the map, or -1 when no map bit covers it. */
static long svm_msrpm_bit(uint32_t msr)
{
	if (msr <= 0x1fff)
		return (long)msr * 2;
	if (msr >= 0xc0000000 && msr <= 0xc0001fff)
		return 0x800 * 8 + (long)(msr - 0xc0000000) * 2;
	if (msr >= 0xc0010000 && msr <= 0xc0011fff)
		return 0x1000 * 8 + (long)(msr - 0xc0010000) * 2;
	return -1;
}

int svm_msrpm_allow(uint8_t *msrpm, uint32_t msr, bool read, bool write)
{
	long bit = svm_msrpm_bit(msr);

	if (bit < 0)
		return -EINVAL;
	if (read)
		msrpm[bit / 8] &= (uint8_t)~(1u << (bit % 8));
	if (write)
		msrpm[(bit + 1) / 8] &= (uint8_t)~(1u << ((bit + 1) % 8));
	return 0;
}

int svm_msrpm_encode(uint8_t *msrpm, size_t size, const struct policy_msr *t, size_t n,
		     const struct spec_caps *c)
{
	return policy_msr_encode(msrpm, size, MSRPM_SIZE, t, n, c, svm_msrpm_allow);
}

bool svm_msrpm_intercepts(const uint8_t *msrpm, uint32_t msr, bool write)
{
	long bit = svm_msrpm_bit(msr);

	if (bit < 0)
		return true;
	bit += write;
	return (msrpm[bit / 8] >> (bit % 8)) & 1;
}
