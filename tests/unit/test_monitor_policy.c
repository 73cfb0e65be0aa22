// SPDX-License-Identifier: GPL-2.0-only
/*
 * The intercept policy (monitor/policy.h, partition/iopm.h) and its SVM encodings: the MSR
 * permission map of the monitor's table has exactly the bits it had when the allow-list was
 * the map's own (byte and bit positions written out here, not computed by the code under
 * test), a changed table changes the map, and the neutral query agrees with the map for every
 * MSR the map covers. The port map: bit positions, and the always-trapped table.
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
#include "monitor/svm/svm.h"
#include "partition/iopm.h"

struct byte_want {
	size_t off;
	uint8_t val;
};

/* Every byte of pm is 0xff but those listed. */
static void assert_map(const uint8_t *pm, size_t size, const struct byte_want *w, size_t n)
{
	for (size_t off = 0; off < size; off++) {
		uint8_t want = 0xff;

		for (size_t i = 0; i < n; i++)
			if (w[i].off == off)
				want = w[i].val;
		if (pm[off] != want)
			fail_msg("byte 0x%zx is 0x%02x, want 0x%02x", off, pm[off], want);
	}
}

/*
 * Read bit of MSR x at 2x (0-0x1fff), 0x4000 + 2(x - 0xc0000000), write bit one above:
 *   TSC 0x10 read                    bit 0x20          byte 0x004 bit 0
 *   SYSENTER_CS/ESP/EIP 0x174-0x176  bits 0x2e8-0x2ed  byte 0x05d bits 0-5
 *   STAR..SFMASK 0xc0000081-0x84     bits 0x4102-0x4109 byte 0x820 bits 2-7, 0x821 bits 0-1
 *   FS/GS/KERNEL_GS 0xc0000100-0x102 bits 0x4200-0x4205 byte 0x840 bits 0-5
 *   SPEC_CTRL 0x48 both, PRED_CMD 0x49 write: bits 0x90, 0x91, 0x93: byte 0x012 bits 0, 1, 3
 */
static const struct byte_want msrpm_base[] = {
	{ 0x004, 0xfe }, { 0x05d, 0xc0 }, { 0x820, 0x03 }, { 0x821, 0xfc }, { 0x840, 0xc0 },
};
static const struct byte_want msrpm_spec[] = {
	{ 0x004, 0xfe }, { 0x05d, 0xc0 }, { 0x820, 0x03 }, { 0x821, 0xfc }, { 0x840, 0xc0 },
	{ 0x012, 0xf4 },
};

static void test_policy_msrpm_bits(void **state)
{
	uint8_t *pm = malloc(MSRPM_SIZE);
	struct spec_caps none = { 0 }, both = { .ibpb = true, .ctrl = 1 };

	assert_non_null(pm);
	assert_int_equal(svm_msrpm_encode(pm, MSRPM_SIZE, policy_msrs, policy_nr_msrs, &none), 0);
	assert_map(pm, MSRPM_SIZE, msrpm_base, sizeof(msrpm_base) / sizeof(msrpm_base[0]));
	assert_int_equal(svm_msrpm_encode(pm, MSRPM_SIZE, policy_msrs, policy_nr_msrs, &both), 0);
	assert_map(pm, MSRPM_SIZE, msrpm_spec, sizeof(msrpm_spec) / sizeof(msrpm_spec[0]));
	free(pm);
}

static void test_policy_table_drives_msrpm(void **state)
{
	struct policy_msr t[16];
	uint8_t *pm = malloc(MSRPM_SIZE);
	size_t n = policy_nr_msrs;

	assert_non_null(pm);
	assert_true(n + 2 <= sizeof(t) / sizeof(t[0]));
	memcpy(t, policy_msrs, n * sizeof(t[0]));
	/* TSC writes pass too; APIC_BASE (0x1b) reads pass; an MSR outside the map's ranges
	 * changes nothing (it always exits on SVM). */
	t[0].write = true;
	t[n++] = (struct policy_msr){ 0x1b, 0x1b, true, false, POLICY_ALWAYS };
	t[n++] = (struct policy_msr){ 0x40000000, 0x40000001, true, true, POLICY_ALWAYS };
	assert_int_equal(svm_msrpm_encode(pm, MSRPM_SIZE, t, n, NULL), 0);
	{
		/* TSC: byte 4 bits 0 and 1; 0x1b read: bit 0x36, byte 6 bit 6. */
		const struct byte_want w[] = {
			{ 0x004, 0xfc }, { 0x006, 0xbf }, { 0x05d, 0xc0 }, { 0x820, 0x03 },
			{ 0x821, 0xfc }, { 0x840, 0xc0 },
		};

		assert_map(pm, MSRPM_SIZE, w, sizeof(w) / sizeof(w[0]));
	}
	assert_true(policy_msr_passes(t, n, 0x40000000, true, NULL));
	assert_true(svm_msrpm_intercepts(pm, 0x40000000, true));
	/* A reversed range is refused, a short map too. */
	t[0] = (struct policy_msr){ 0x20, 0x10, true, true, POLICY_ALWAYS };
	assert_int_equal(svm_msrpm_encode(pm, MSRPM_SIZE, t, n, NULL), -EINVAL);
	assert_int_equal(svm_msrpm_encode(pm, MSRPM_SIZE - 1, policy_msrs, policy_nr_msrs, NULL),
			 -EINVAL);
	free(pm);
}

/* For every MSR the map has bits for: the map exits exactly when the table says no. */
static void test_policy_query_matches_msrpm(void **state)
{
	static const uint32_t base[] = { 0, 0xc0000000, 0xc0010000 };
	struct spec_caps caps[] = { { 0 }, { .ibpb = true }, { .ibpb = true, .ctrl = 7 } };
	uint8_t *pm = malloc(MSRPM_SIZE);

	assert_non_null(pm);
	for (size_t c = 0; c < sizeof(caps) / sizeof(caps[0]); c++) {
		assert_int_equal(svm_msrpm_encode(pm, MSRPM_SIZE, policy_msrs, policy_nr_msrs,
						  &caps[c]), 0);
		for (size_t r = 0; r < 3; r++)
			for (uint32_t msr = base[r]; msr <= base[r] + 0x1fff; msr++)
				for (int w = 0; w < 2; w++)
					assert_int_equal(svm_msrpm_intercepts(pm, msr, w),
							 !policy_msr_passes(policy_msrs,
									    policy_nr_msrs, msr,
									    w, &caps[c]));
	}
	assert_false(policy_msr_passes(policy_msrs, policy_nr_msrs, MSR_PRED_CMD, false, &caps[2]));
	assert_true(policy_msr_passes(policy_msrs, policy_nr_msrs, MSR_TSC, false, NULL));
	assert_false(policy_msr_passes(policy_msrs, policy_nr_msrs, MSR_TSC, true, NULL));
	free(pm);
}

static void test_policy_ports(void **state)
{
	uint8_t *iopm = malloc(IOPM_SIZE);
	const struct partition_ports own[] = { { 0x60, 0x64 }, { 0x8000, 0x8000 } };
	const struct partition_ports more[] = { { 0x60, 0x60 } };
	const struct partition_ports bad[] = { { 0x61, 0x60 } };

	assert_non_null(iopm);
	assert_int_equal(iopm_build(iopm, IOPM_SIZE, own, 2), 0);
	/* Port p at byte p / 8, bit p % 8: 0x60-0x64 are byte 0x0c bits 0-4; 0x8000 is the
	 * first bit of the second 4 KiB page (VMX's bitmap B). */
	assert_int_equal(iopm[0x0c], 0xe0);
	assert_int_equal(iopm[0x1000], 0xfe);
	assert_int_equal(iopm_trap(iopm, iopm_always_trapped, iopm_nr_always_trapped), 0);
	assert_int_equal(iopm[0x0c], 0xf0);	/* the 8042 command port traps again */
	assert_true(iopm_intercepts(iopm, IOPM_KBC_CMD, 1));
	assert_false(iopm_intercepts(iopm, 0x60, 1));
	assert_int_equal(iopm_trap(iopm, more, 1), 0);
	assert_int_equal(iopm[0x0c], 0xf1);
	assert_int_equal(iopm_trap(iopm, bad, 1), -EINVAL);
	for (size_t i = 0x1001; i < IOPM_SIZE; i++)
		if (iopm[i] != 0xff)
			fail_msg("iopm byte 0x%zx is 0x%02x", i, iopm[i]);
	free(iopm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policy_msrpm_bits),
		cmocka_unit_test(test_policy_table_drives_msrpm),
		cmocka_unit_test(test_policy_query_matches_msrpm),
		cmocka_unit_test(test_policy_ports),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
