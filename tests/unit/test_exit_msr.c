// SPDX-License-Identifier: GPL-2.0-only
/* MSR exits: the policy table in the SVM permission map, EFER and PAT emulation, #GP for the
 * rest. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "monitor/msr.h"
#include "monitor/svm/svm.h"
#include "monitor/test_fake.h"

static void test_msrpm_allow_list(void **state)
{
	uint8_t *pm = malloc(MSRPM_SIZE + 16);
	static const uint32_t rw[] = { MSR_FS_BASE,	 MSR_GS_BASE,	   MSR_KERNEL_GS_BASE,
				       MSR_STAR,	 MSR_LSTAR,	   MSR_CSTAR,
				       MSR_SFMASK,	 MSR_SYSENTER_CS,  MSR_SYSENTER_ESP,
				       MSR_SYSENTER_EIP };
	size_t passed = 0;

	memset(pm, 0, MSRPM_SIZE + 16);
	assert_int_equal(svm_msrpm_encode(pm, MSRPM_SIZE - 1, policy_msrs, policy_nr_msrs, NULL), -EINVAL);
	assert_int_equal(svm_msrpm_encode(pm, MSRPM_SIZE, policy_msrs, policy_nr_msrs, NULL), 0);
	for (size_t i = 0; i < sizeof(rw) / sizeof(rw[0]); i++) {
		assert_false(svm_msrpm_intercepts(pm, rw[i], false));
		assert_false(svm_msrpm_intercepts(pm, rw[i], true));
	}
	/* TSC: reads pass, writes (which would move everyone's clock) trap. */
	assert_false(svm_msrpm_intercepts(pm, MSR_TSC, false));
	assert_true(svm_msrpm_intercepts(pm, MSR_TSC, true));
	/* Emulated and refused MSRs trap both ways, MSRs outside the map's ranges too. */
	assert_true(svm_msrpm_intercepts(pm, MSR_EFER, false));
	assert_true(svm_msrpm_intercepts(pm, MSR_EFER, true));
	assert_true(svm_msrpm_intercepts(pm, MSR_PAT, true));
	assert_true(svm_msrpm_intercepts(pm, 0x1b, false));
	assert_true(svm_msrpm_intercepts(pm, 0xc0010114, true));	/* VM_CR */
	assert_true(svm_msrpm_intercepts(pm, 0xc0010117, false));	/* VM_HSAVE_PA */
	assert_true(svm_msrpm_intercepts(pm, 0x40000000, false));
	/* Exactly the listed bits are clear, the hardware's layout: 2 bits per MSR. */
	for (size_t bit = 0; bit < MSRPM_SIZE * 8; bit++)
		passed += !((pm[bit / 8] >> (bit % 8)) & 1);
	assert_int_equal(passed, 2 * 10 + 1);
	assert_int_equal((pm[0x800 + (0x100 * 2) / 8] >> ((0x100 * 2) % 8)) & 3, 0);
	for (size_t i = MSRPM_SIZE; i < MSRPM_SIZE + 16; i++)
		assert_int_equal(pm[i], 0);
	free(pm);
}

static void test_msr_efer(void **state)
{
	struct fake *f = fake_new();
	struct guest *g = &f->m.guest[0];
	struct msr_guest st = { EFER_LME | EFER_LMA, 0, CR0_PG | CR0_PE };
	uint64_t v;

	assert_int_equal(msr_read(&f->m, &g->vcpu[0], MSR_EFER, &st, &v), 0);
	assert_int_equal(v, EFER_LME | EFER_LMA);
	/* LMA written as 0 stays 1 (the CPU owns it). The backend keeps its own bits (SVME). */
	assert_int_equal(msr_write(&f->m, &g->vcpu[0], MSR_EFER, &st,
				   EFER_LME | EFER_NXE | EFER_SCE), 0);
	assert_int_equal(st.efer, EFER_LME | EFER_LMA | EFER_NXE | EFER_SCE);
	/* SVME is a reserved bit to the guest; LME may not change under paging. */
	assert_int_equal(msr_write(&f->m, &g->vcpu[0], MSR_EFER, &st, EFER_LME | EFER_SVME),
			 -EPERM);
	assert_int_equal(msr_write(&f->m, &g->vcpu[0], MSR_EFER, &st, EFER_NXE), -EPERM);
	assert_int_equal(msr_write(&f->m, &g->vcpu[0], MSR_EFER, &st, EFER_LME | (1ULL << 20)),
			 -EPERM);
	assert_int_equal(st.efer, EFER_LME | EFER_LMA | EFER_NXE | EFER_SCE);
	/* Without paging, leaving long mode is allowed. */
	st.cr0 = CR0_PE;
	st.efer = EFER_LME;
	assert_int_equal(msr_write(&f->m, &g->vcpu[0], MSR_EFER, &st, 0), 0);
	assert_int_equal(st.efer, 0);
	/* One log line for EFER, however often refused. */
	assert_int_equal(f->nlog, 1);
	assert_true(fake_log_find(f, "wrmsr 0xc0000080 value 0x1100 refused (#GP)") == 0);
	fake_free(f);
}

static void test_msr_pat(void **state)
{
	struct fake *f = fake_new();
	struct guest *g = &f->m.guest[0];
	struct msr_guest st = { 0, 0x0007040600070406ULL, 0 };
	uint64_t v;

	assert_int_equal(msr_read(&f->m, &g->vcpu[0], MSR_PAT, &st, &v), 0);
	assert_int_equal(v, 0x0007040600070406ULL);
	assert_int_equal(msr_write(&f->m, &g->vcpu[0], MSR_PAT, &st, 0x0007010600070106ULL), 0);
	assert_int_equal(st.pat, 0x0007010600070106ULL);
	/* Types 2, 3 and above 7 do not exist. */
	assert_int_equal(msr_write(&f->m, &g->vcpu[0], MSR_PAT, &st, 0x0007040600070402ULL),
			 -EPERM);
	assert_int_equal(msr_write(&f->m, &g->vcpu[0], MSR_PAT, &st, 0x0807040600070406ULL),
			 -EPERM);
	assert_int_equal(st.pat, 0x0007010600070106ULL);
	fake_free(f);
}

static void test_msr_misc_enable(void **state)
{
	struct fake *f = fake_new();
	struct guest *g = &f->m.guest[0];
	struct msr_guest st = { 0, 0, 0 };
	uint64_t v = 0;

	/* Fast strings, BTS and PEBS unavailable; XD disable (bit 34) clear. */
	assert_int_equal(msr_read(&f->m, &g->vcpu[0], 0x1a0, &st, &v), 0);
	assert_int_equal(v, 0x1801);
	assert_int_equal(msr_write(&f->m, &g->vcpu[0], 0x1a0, &st, 0x1801), 0);
	assert_int_equal(msr_write(&f->m, &g->vcpu[0], 0x1a0, &st, 0x1801 | (1ULL << 34)),
			 -EPERM);
	assert_true(fake_log_find(f, "wrmsr 0x1a0 value 0x400001801 refused (#GP)") >= 0);
	fake_free(f);
}

static void test_msr_refused_logged_once_each(void **state)
{
	struct fake *f = fake_new();
	struct guest *g = &f->m.guest[0];
	struct msr_guest st = { EFER_SVME, 0, 0 };
	uint64_t v = 0;

	assert_int_equal(msr_read(&f->m, &g->vcpu[0], 0x8b, &st, &v), -EPERM);
	assert_int_equal(msr_read(&f->m, &g->vcpu[0], 0x8b, &st, &v), -EPERM);
	assert_int_equal(msr_write(&f->m, &g->vcpu[0], 0x8b, &st, 5), -EPERM);
	assert_int_equal(f->nlog, 1);
	/* A flood of distinct MSRs ends in one "no longer logged" line. */
	for (uint32_t msr = 0xc0011000; msr < 0xc0011000 + 2 * GUEST_MSR_LOG_MAX; msr++)
		assert_int_equal(msr_read(&f->m, &g->vcpu[0], msr, &st, &v), -EPERM);
	assert_int_equal(f->nlog, GUEST_MSR_LOG_MAX + 1);
	assert_true(fake_log_find(f, "more refused MSRs, no longer logged") >= 0);
	fake_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_msrpm_allow_list),
		cmocka_unit_test(test_msr_efer),
		cmocka_unit_test(test_msr_pat),
		cmocka_unit_test(test_msr_misc_enable),
		cmocka_unit_test(test_msr_refused_logged_once_each),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
