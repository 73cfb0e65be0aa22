// SPDX-License-Identifier: GPL-2.0-only
/* The MSR bitmap from the policy table (vmx_msrbitmap.h has the layout). */
#include "monitor/vmx/vmx_msrbitmap.h"

#include <errno.h>
#include <string.h>

/* The bit of msr's read in the bitmap (its write is 2048 bytes on), or -1: none covers it. */
static long vmx_msrbitmap_bit(uint32_t msr)
{
	if (msr <= 0x1fff)
		return (long)msr;
	if (msr >= 0xc0000000 && msr <= 0xc0001fff)
		return 1024 * 8 + (long)(msr - 0xc0000000);
	return -1;
}

#define VMX_MSRBITMAP_WRITE_BITS (2048 * 8)

int vmx_msrbitmap_allow(uint8_t *bm, uint32_t msr, bool read, bool write)
{
	long bit = vmx_msrbitmap_bit(msr);

	if (bit < 0)
		return -EINVAL;
	if (read)
		bm[bit / 8] &= (uint8_t)~(1u << (bit % 8));
	bit += VMX_MSRBITMAP_WRITE_BITS;
	if (write)
		bm[bit / 8] &= (uint8_t)~(1u << (bit % 8));
	return 0;
}

int vmx_msrbitmap_encode(uint8_t *bm, size_t size, const struct policy_msr *t, size_t n,
			 const struct spec_caps *c)
{
	return policy_msr_encode(bm, size, VMX_MSR_BITMAP_SIZE, t, n, c, vmx_msrbitmap_allow);
}

bool vmx_msrbitmap_intercepts(const uint8_t *bm, uint32_t msr, bool write)
{
	long bit = vmx_msrbitmap_bit(msr);

	if (bit < 0)
		return true;
	if (write)
		bit += VMX_MSRBITMAP_WRITE_BITS;
	return (bm[bit / 8] >> (bit % 8)) & 1;
}
