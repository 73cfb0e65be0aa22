// SPDX-License-Identifier: GPL-2.0-only
/*
 * WBINVD and WBNOINVD under the monitor (monitor/exit_wbinvd.c): intercepted, a no-op, RIP
 * past the whole instruction (prefixes included, read from guest memory without NRIP save),
 * counted as an "other" exit, logged once; the guest runs on.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "monitor/svm/svm.h"
#include "monitor/test_fake.h"

#define CODE	0x40010000ULL	/* in guest a's RAM, identity mapped by the boot tables */

/* Guest a in 64-bit mode at CODE with its boot tables, as the monitor starts it. */
static int setup(void **state)
{
	struct fake *f = fake_new();

	if (!f || fake_long_mode(f, CODE))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fake_free(*state);
	return 0;
}

static enum exit_action wbinvd_exit(struct fake *f, const uint8_t *code, size_t n)
{
	struct vmcb *v = f->vcpu->vmcb;

	memcpy(fake_phys(f, CODE), code, n);
	v->save.rip = CODE;
	v->control.exit_code = SVM_EXIT_WBINVD;
	v->control.exit_info1 = v->control.exit_info2 = 0;
	v->control.exit_int_info = v->control.event_inj = 0;
	return svm_exit_dispatch(&f->m, &f->m.guest[0].vcpu[0]);
}

static void test_wbinvd_intercepted(void **state)
{
	struct fake *f = *state;

	/* Without the intercept the instruction would run natively, on the whole machine. */
	assert_true(f->vcpu->vmcb->control.intercept_misc2 & VMCB_I2_WBINVD);
	assert_int_equal(VMCB_I2_WBINVD, 1u << 9);
	assert_int_equal(SVM_EXIT_WBINVD, 0x89);
	assert_string_equal(svm_exit_name(SVM_EXIT_WBINVD), "wbinvd");
}

static void test_wbinvd_length(void **state)
{
	static const uint8_t wbinvd[] = { 0x0f, 0x09 };
	static const uint8_t wbnoinvd[] = { 0xf3, 0x0f, 0x09 };
	static const uint8_t rex_seg[] = { 0x2e, 0x48, 0x0f, 0x09 };
	static const uint8_t invd[] = { 0x0f, 0x08 };
	uint8_t many[16];

	assert_int_equal(exit_wbinvd_length(wbinvd, 2, true), 2);
	assert_int_equal(exit_wbinvd_length(wbnoinvd, 3, true), 3);
	assert_int_equal(exit_wbinvd_length(wbnoinvd, 3, false), 3);
	assert_int_equal(exit_wbinvd_length(rex_seg, 4, true), 4);
	/* 48 is DEC EAX outside 64-bit code: not a WBINVD there. */
	assert_int_equal(exit_wbinvd_length(rex_seg, 4, false), 0);
	assert_int_equal(exit_wbinvd_length(invd, 2, true), 0);
	assert_int_equal(exit_wbinvd_length(wbnoinvd, 2, true), 0);
	assert_int_equal(exit_wbinvd_length(wbinvd, 0, true), 0);
	/* 13 prefixes fit the 15-byte limit, 14 do not. */
	memset(many, 0x66, sizeof(many));
	many[13] = 0x0f, many[14] = 0x09;
	assert_int_equal(exit_wbinvd_length(many, sizeof(many), true), 15);
	many[13] = 0x66, many[14] = 0x0f, many[15] = 0x09;
	assert_int_equal(exit_wbinvd_length(many, sizeof(many), true), 0);
}

static void test_wbinvd_is_a_counted_noop(void **state)
{
	static const uint8_t wbinvd[] = { 0x0f, 0x09, 0xcc };
	static const uint8_t wbnoinvd[] = { 0xf3, 0x0f, 0x09, 0xcc };
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];

	assert_int_equal(wbinvd_exit(f, wbinvd, sizeof(wbinvd)), EXIT_RESUME);
	assert_int_equal(f->vcpu->vmcb->save.rip, CODE + 2);
	assert_int_equal(wbinvd_exit(f, wbnoinvd, sizeof(wbnoinvd)), EXIT_RESUME);
	assert_int_equal(f->vcpu->vmcb->save.rip, CODE + 3);
	assert_false(g->stopped);
	assert_int_equal(f->vcpu->vmcb->control.event_inj, 0);
	assert_int_equal(g->vcpu[0].stats.exits_by_reason[TM_EXIT_OTHER], 2);
	/* Logged the first time only. */
	assert_int_equal(f->nlog, 1);
	assert_true(fake_log_find(f, "monitor: guest a: WBINVD/WBNOINVD at rip 0x40010000 is a "
				     "no-op here") == 0);
}

static void test_wbinvd_nrip_save_preferred(void **state)
{
	static const uint8_t garbage[] = { 0xcc, 0xcc };
	struct fake *f = *state;

	/* With NRIP save the CPU's next RIP counts, whatever the bytes say. */
	f->vcpu->nrips = true;
	f->vcpu->vmcb->control.next_rip = CODE + 4;
	assert_int_equal(wbinvd_exit(f, garbage, sizeof(garbage)), EXIT_RESUME);
	assert_int_equal(f->vcpu->vmcb->save.rip, CODE + 4);
	assert_false(f->m.guest[0].stopped);
}

static void test_wbinvd_undecodable_stops(void **state)
{
	static const uint8_t not_wbinvd[] = { 0x90, 0x90 };
	struct fake *f = *state;

	/* The exit names an instruction that is not there: no length is guessed. */
	assert_int_equal(wbinvd_exit(f, not_wbinvd, sizeof(not_wbinvd)), EXIT_STOP);
	assert_true(f->m.guest[0].stopped);
	assert_int_equal(f->vcpu->vmcb->save.rip, CODE);
	assert_true(fake_log_find(f, "WBINVD exit at rip 0x40010000 without a WBINVD there") >= 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_wbinvd_intercepted, setup, teardown),
		cmocka_unit_test(test_wbinvd_length),
		cmocka_unit_test_setup_teardown(test_wbinvd_is_a_counted_noop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wbinvd_nrip_save_preferred, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wbinvd_undecodable_stops, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
