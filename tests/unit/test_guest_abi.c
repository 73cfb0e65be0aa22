// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest ABI contract (guests/abi/twinmon_abi.h) as the guests read it: the CPUID
 * signature is the text "twinmon-abi1" in EBX, ECX, EDX order, detection accepts exactly
 * that, and the snapshot comparison behind "STATE CHANGED" names every field that moved.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "guests/abi/twinmon_abi.h"
#include "guests/lib/cpustate.h"
#include "guests/lib/monitor.h"

static void test_signature_bytes(void **state)
{
	uint32_t regs[3] = { TM_CPUID_SIG_EBX, TM_CPUID_SIG_ECX, TM_CPUID_SIG_EDX };
	char text[13] = { 0 };

	memcpy(text, regs, 12);	/* little-endian, as the CPU stores them */
	assert_string_equal(text, TM_ABI_SIGNATURE);
	assert_string_equal(text, "twinmon-abi1");
}

static void test_stats_layout(void **state)
{
	struct tm_guest_stats s;

	assert_int_equal(sizeof(s), 176);
	assert_int_equal(offsetof(struct tm_guest_stats, exits_by_reason) +
				 TM_EXIT_REASONS * sizeof(uint64_t),
			 offsetof(struct tm_guest_stats, cycles_in_guest));
	assert_int_equal(TM_EXIT_PAUSE, TM_EXIT_REASONS - 1);
	assert_int_equal(TM_HC_COUNT, TM_HC_STATS_LOG + 1);
}

static const uint32_t twinmon[4] = { TM_CPUID_MAX, TM_CPUID_SIG_EBX, TM_CPUID_SIG_ECX,
				     TM_CPUID_SIG_EDX };

static void test_detect(void **state)
{
	struct tm_presence p;
	const uint32_t tcg[4] = { 0x40000001, 0x54474354, 0x43544743, 0x47435447 };
	uint32_t bad[4];

	tm_presence_decode(&p, TM_CPUID_HYPERVISOR_ECX, twinmon, TM_ABI_VERSION);
	assert_true(p.hypervisor);
	assert_true(p.twinmon);
	assert_int_equal(p.version, 1);
	assert_int_equal(p.max_leaf, TM_CPUID_MAX);
	assert_string_equal(p.signature, "twinmon-abi1");

	/* A later ABI version only adds: still usable. */
	tm_presence_decode(&p, 0xffffffff, twinmon, 2);
	assert_true(p.twinmon);
	/* Version 0 is not an ABI. */
	tm_presence_decode(&p, TM_CPUID_HYPERVISOR_ECX, twinmon, 0);
	assert_false(p.twinmon);
	/* Without the hypervisor bit, leaf 0x40000000 means nothing. */
	tm_presence_decode(&p, 0x7ffaf3bf, twinmon, 1);
	assert_false(p.hypervisor);
	assert_false(p.twinmon);
	assert_string_equal(p.signature, "");
	/* QEMU TCG's own signature. */
	tm_presence_decode(&p, TM_CPUID_HYPERVISOR_ECX, tcg, 0);
	assert_true(p.hypervisor);
	assert_false(p.twinmon);
	assert_string_equal(p.signature, "TCGTCGTCGTCG");
	/* One wrong byte, or a maximum leaf without the version leaf. */
	memcpy(bad, twinmon, sizeof(bad));
	bad[3] ^= 1u << 24;
	tm_presence_decode(&p, TM_CPUID_HYPERVISOR_ECX, bad, 1);
	assert_false(p.twinmon);
	memcpy(bad, twinmon, sizeof(bad));
	bad[0] = TM_CPUID_BASE;
	tm_presence_decode(&p, TM_CPUID_HYPERVISOR_ECX, bad, 1);
	assert_false(p.twinmon);
}

static void test_cpu_state_diff(void **state)
{
	struct cpu_state a = { .gdtr_base = 0x207000, .gdtr_limit = 39, .idtr_base = 0x20a000,
			       .idtr_limit = 4095, .tr = 0x18, .cr0 = 0x80010033,
			       .cr3 = 0x220000, .cr4 = 0x20, .efer = 0x500 };
	struct cpu_state b = a;
	struct cpu_state_change ch[9];

	assert_int_equal(cpu_state_diff(&a, &b, ch, 9), 0);
	b.cr3 = 0x1000;
	b.efer = 0x1500;
	b.gdtr_limit = 7;
	assert_int_equal(cpu_state_diff(&a, &b, ch, 9), 3);
	assert_string_equal(ch[0].what, "gdtr.limit");
	assert_int_equal(ch[0].was, 39);
	assert_int_equal(ch[0].now, 7);
	assert_string_equal(ch[1].what, "cr3");
	assert_string_equal(ch[2].what, "efer");
	assert_int_equal(ch[2].now, 0x1500);
	/* Counted even beyond the room given. */
	assert_int_equal(cpu_state_diff(&a, &b, ch, 1), 3);
	memset(&b, 0xff, sizeof(b));
	assert_int_equal(cpu_state_diff(&a, &b, ch, 9), 9);
	assert_string_equal(ch[0].what, "gdtr.base");
	assert_string_equal(ch[4].what, "tr");
	assert_string_equal(ch[8].what, "efer");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signature_bytes),
		cmocka_unit_test(test_stats_layout),
		cmocka_unit_test(test_detect),
		cmocka_unit_test(test_cpu_state_diff),
	};
	return cmocka_run_group_tests_name("guest_abi", tests, NULL, NULL);
}
