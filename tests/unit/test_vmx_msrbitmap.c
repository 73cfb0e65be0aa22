// SPDX-License-Identifier: GPL-2.0-only
/*
 * The VMX encoding of the MSR policy (monitor/vmx/vmx_msrbitmap.c): the monitor's table gives
 * exactly the bitmap bytes written out here by hand from the SDM layout (not computed by the
 * code under test), a changed table changes the bitmap, the neutral query agrees with the
 * bitmap for every MSR it covers, and the VMX capability MSRs and IA32_FEATURE_CONTROL exit.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "monitor/msr.h"
#include "monitor/policy.h"
#include "monitor/vmx/vmx_caps.h"
#include "monitor/vmx/vmx_msrbitmap.h"

struct byte_want {
	size_t off;
	uint8_t val;
};

static void assert_bitmap(const uint8_t *bm, const struct byte_want *w, size_t n)
{
	for (size_t off = 0; off < VMX_MSR_BITMAP_SIZE; off++) {
		uint8_t want = 0xff;

		for (size_t i = 0; i < n; i++)
			if (w[i].off == off)
				want = w[i].val;
		if (bm[off] != want)
			fail_msg("byte 0x%zx is 0x%02x, want 0x%02x", off, bm[off], want);
	}
}

/*
 * Reads of MSR x (0-0x1fff) at bit x, of 0xc0000000 + y at bit 0x2000 + y; writes 0x800
 * bytes further:
 *   TSC 0x10 read                    byte 0x002 bit 0
 *   SYSENTER_CS/ESP/EIP 0x174-0x176  bytes 0x02e, 0x82e bits 4-6
 *   STAR..SFMASK 0xc0000081-0x84     bytes 0x410, 0xc10 bits 1-4
 *   FS/GS/KERNEL_GS 0xc0000100-0x102 bytes 0x420, 0xc20 bits 0-2
 *   SPEC_CTRL 0x48 both, PRED_CMD 0x49 write: byte 0x009 bit 0, byte 0x809 bits 0-1
 */
static const struct byte_want bm_base[] = {
	{ 0x002, 0xfe }, { 0x02e, 0x8f }, { 0x82e, 0x8f }, { 0x410, 0xe1 }, { 0xc10, 0xe1 },
	{ 0x420, 0xf8 }, { 0xc20, 0xf8 },
};
static const struct byte_want bm_spec[] = {
	{ 0x002, 0xfe }, { 0x02e, 0x8f }, { 0x82e, 0x8f }, { 0x410, 0xe1 }, { 0xc10, 0xe1 },
	{ 0x420, 0xf8 }, { 0xc20, 0xf8 }, { 0x009, 0xfe }, { 0x809, 0xfc },
};

static void test_vmx_msrbitmap_bits(void **state)
{
	uint8_t *bm = malloc(VMX_MSR_BITMAP_SIZE);
	struct spec_caps none = { 0 }, both = { .ibpb = true, .ctrl = 1 };

	assert_non_null(bm);
	assert_int_equal(vmx_msrbitmap_encode(bm, VMX_MSR_BITMAP_SIZE, policy_msrs,
					      policy_nr_msrs, &none), 0);
	assert_bitmap(bm, bm_base, sizeof(bm_base) / sizeof(bm_base[0]));
	assert_int_equal(vmx_msrbitmap_encode(bm, VMX_MSR_BITMAP_SIZE, policy_msrs,
					      policy_nr_msrs, &both), 0);
	assert_bitmap(bm, bm_spec, sizeof(bm_spec) / sizeof(bm_spec[0]));
	assert_int_equal(vmx_msrbitmap_encode(bm, 4095, policy_msrs, policy_nr_msrs, &none),
			 -EINVAL);
	free(bm);
}

static void test_vmx_msrbitmap_table_drives_it(void **state)
{
	struct policy_msr t[16];
	uint8_t *bm = malloc(VMX_MSR_BITMAP_SIZE);
	size_t n = policy_nr_msrs;

	assert_non_null(bm);
	assert_true(n + 2 <= sizeof(t) / sizeof(t[0]));
	memcpy(t, policy_msrs, n * sizeof(t[0]));
	/* APIC_BASE (0x1b) reads pass; an MSR outside the bitmap's ranges cannot pass. */
	t[n++] = (struct policy_msr){ 0x1b, 0x1b, true, false, POLICY_ALWAYS };
	t[n++] = (struct policy_msr){ 0xc0010000, 0xc0010000, true, true, POLICY_ALWAYS };
	assert_int_equal(vmx_msrbitmap_encode(bm, VMX_MSR_BITMAP_SIZE, t, n, NULL), 0);
	assert_false(vmx_msrbitmap_intercepts(bm, 0x1b, false));
	assert_true(vmx_msrbitmap_intercepts(bm, 0x1b, true));
	assert_true(vmx_msrbitmap_intercepts(bm, 0xc0010000, false));
	assert_true(vmx_msrbitmap_intercepts(bm, 0xc0010000, true));
	/* A reversed range is refused. */
	t[0] = (struct policy_msr){ 5, 4, true, true, POLICY_ALWAYS };
	assert_int_equal(vmx_msrbitmap_encode(bm, VMX_MSR_BITMAP_SIZE, t, n, NULL), -EINVAL);
	free(bm);
}

static void test_vmx_msrbitmap_matches_policy(void **state)
{
	static const uint32_t bases[] = { 0, 0xc0000000 };
	struct spec_caps caps[] = { { 0 }, { .ibpb = true, .ctrl = 1 } };
	uint8_t *bm = malloc(VMX_MSR_BITMAP_SIZE);

	assert_non_null(bm);
	for (size_t c = 0; c < 2; c++) {
		assert_int_equal(vmx_msrbitmap_encode(bm, VMX_MSR_BITMAP_SIZE, policy_msrs,
						      policy_nr_msrs, &caps[c]), 0);
		for (size_t b = 0; b < 2; b++)
			for (uint32_t msr = bases[b]; msr <= bases[b] + 0x1fff; msr++)
				for (int w = 0; w < 2; w++)
					if (vmx_msrbitmap_intercepts(bm, msr, w) ==
					    policy_msr_passes(policy_msrs, policy_nr_msrs, msr, w,
							      &caps[c]))
						fail_msg("msr 0x%x %s disagrees", msr,
							 w ? "write" : "read");
	}
	/* What a guest must never reach: IA32_FEATURE_CONTROL and the VMX MSRs exit. */
	for (int w = 0; w < 2; w++) {
		assert_true(vmx_msrbitmap_intercepts(bm, MSR_IA32_FEATURE_CONTROL, w));
		for (uint32_t msr = MSR_IA32_VMX_FIRST; msr <= MSR_IA32_VMX_LAST; msr++)
			assert_true(vmx_msrbitmap_intercepts(bm, msr, w));
	}
	free(bm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vmx_msrbitmap_bits),
		cmocka_unit_test(test_vmx_msrbitmap_table_drives_it),
		cmocka_unit_test(test_vmx_msrbitmap_matches_policy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
