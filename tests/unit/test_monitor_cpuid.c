// SPDX-License-Identifier: GPL-2.0-only
/* The guest's CPUID: hypervisor leaves, hidden features, CR4-dependent bits, pass-through. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "monitor/abi.h"
#include "monitor/cpuid.h"
#include "monitor/svm/svm.h"
#include "monitor/test_fake.h"

static struct cpuid_regs leaf(uint32_t l, uint32_t sub, uint64_t cr4)
{
	struct cpuid_regs raw, out;

	fake_cpuid(NULL, l, sub, &raw);
	cpuid_filter(l, sub, &raw, cr4, false, 0, &out);
	return out;
}

/* What the vLAPIC emulates is offered; x2APIC only to a guest that starts in that mode. */
static void test_cpuid_virtual_lapic(void **state)
{
	struct cpuid_regs raw, out;

	fake_cpuid(NULL, 1, 0, &raw);
	raw.ecx &= ~CPUID_1_ECX_TSC_DEADLINE;
	raw.ecx |= CPUID_1_ECX_X2APIC;
	raw.ebx |= 0x07000000u;
	cpuid_filter(1, 0, &raw, 0, false, 0, &out);
	assert_true(out.ecx & CPUID_1_ECX_TSC_DEADLINE);
	assert_false(out.ecx & CPUID_1_ECX_X2APIC);
	assert_int_equal(out.ebx >> 24, 0);
	cpuid_filter(1, 0, &raw, 0, true, 0, &out);
	assert_true(out.ecx & CPUID_1_ECX_X2APIC);
	/* Each vCPU of an SMP guest reads its own APIC ID, never the physical CPU's. */
	cpuid_filter(1, 0, &raw, 0, false, 5, &out);
	assert_int_equal(out.ebx >> 24, 5);
	assert_int_equal((out.ebx >> 16) & 0xff, 1);
	assert_int_equal(out.ebx & 0xffff, raw.ebx & 0xffff);
	raw = (struct cpuid_regs){ 0x1, 0x2, 0x201, 7 };
	for (uint32_t l = 0xb; l <= 0x1f; l += 0x1f - 0xb) {
		for (uint32_t sub = 0; sub < 3; sub++) {
			cpuid_filter(l, sub, &raw, 0, true, 3, &out);
			assert_int_equal(out.edx, 3);
			assert_int_equal(out.eax | out.ebx, 0);
			assert_int_equal(out.ecx, sub);
		}
	}
	raw = (struct cpuid_regs){ 7, 0x100, 0, 0 };
	cpuid_filter(0x8000001e, 0, &raw, 0, false, 2, &out);
	assert_int_equal(out.eax, 2);
	assert_int_equal(out.ebx | out.ecx | out.edx, 0);
	raw = (struct cpuid_regs){ 0, 0, CPUID_81_ECX_TOPOEXT, 0 };
	cpuid_filter(0x80000001, 0, &raw, 0, false, 0, &out);
	assert_false(out.ecx & CPUID_81_ECX_TOPOEXT);
	raw = (struct cpuid_regs){ 0 };
	cpuid_filter(6, 0, &raw, 0, false, 0, &out);
	assert_int_equal(out.eax, CPUID_6_EAX_ARAT);
	cpuid_filter(0x80000007, 0, &raw, 0, false, 0, &out);
	assert_int_equal(out.edx, CPUID_87_EDX_INVTSC);
}

static void test_cpuid_hypervisor_leaves(void **state)
{
	struct cpuid_regs r = leaf(0x40000000, 0, 0);
	char sig[13] = { 0 };

	assert_int_equal(r.eax, 0x40000001);
	memcpy(sig, &r.ebx, 4);
	memcpy(sig + 4, &r.ecx, 4);
	memcpy(sig + 8, &r.edx, 4);
	assert_string_equal(sig, "twinmon-abi1");
	r = leaf(0x40000001, 0, 0);
	assert_int_equal(r.eax, 1);
	assert_int_equal(r.ebx | r.ecx | r.edx, 0);
	r = leaf(0x400000ff, 0, 0);
	assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
	/* Outside the hypervisor range, leaves come from the CPU. */
	r = leaf(0x40000100, 0, 0);
	assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
	r = leaf(0, 0, 0);
	assert_int_equal(r.eax, 0x10);
	assert_int_equal(r.ebx, 0x68747541);
}

static void test_cpuid_leaf1(void **state)
{
	struct cpuid_regs raw, r = leaf(1, 0, 0);

	fake_cpuid(NULL, 1, 0, &raw);
	assert_true(r.ecx & CPUID_1_ECX_HYPERVISOR);
	assert_false(r.ecx & (CPUID_1_ECX_MONITOR | CPUID_1_ECX_X2APIC));
	assert_true(r.ecx & CPUID_1_ECX_TSC_DEADLINE);
	/* The CPU said OSXSAVE because the monitor's CR4 has it; the guest's does not. */
	assert_false(r.ecx & CPUID_1_ECX_OSXSAVE);
	assert_true(r.ecx & CPUID_1_ECX_XSAVE);
	assert_true(leaf(1, 0, CR4_OSXSAVE).ecx & CPUID_1_ECX_OSXSAVE);
	assert_false(r.edx & (CPUID_1_EDX_MCE | CPUID_1_EDX_MCA | CPUID_1_EDX_HTT));
	assert_true(r.edx & CPUID_1_EDX_FXSR);
	/* One logical processor with APIC ID 0 (its vLAPIC); the signature stays. */
	assert_int_equal((r.ebx >> 16) & 0xff, 1);
	assert_int_equal(r.ebx >> 24, 0);
	assert_int_equal(r.eax, raw.eax);
	/* Bits not named are passed on. */
	assert_true(r.ecx & 1);
}

static void test_cpuid_svm_hidden(void **state)
{
	struct cpuid_regs r = leaf(0x80000001, 0, 0);

	assert_false(r.ecx & CPUID_81_ECX_SVM);
	assert_false(r.ecx & (CPUID_81_ECX_CMP_LEGACY | CPUID_81_ECX_SKINIT |
			      CPUID_81_ECX_MONITORX));
	assert_true(r.ecx & 1);			/* LAHF/SAHF stays */
	assert_false(r.edx & CPUID_81_EDX_RDTSCP);
	assert_true(r.edx & CPUID_81_EDX_PAGE1GB);
	assert_true(r.edx & (1u << 29));	/* long mode */
	r = leaf(0x8000000a, 0, 0);
	assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
	r = leaf(0x8000001f, 0, 0);
	assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
	r = leaf(0x80000008, 0, 0);
	assert_int_equal(r.ecx & 0xf0ff, 0);
	assert_int_equal(r.eax, 0x3030);
}

static void test_cpuid_leaf7_and_xsave(void **state)
{
	struct cpuid_regs r = leaf(7, 0, 0);

	assert_false(r.ecx & (CPUID_7_ECX_RDPID | CPUID_7_ECX_WAITPKG | CPUID_7_ECX_OSPKE));
	assert_true(r.ecx & 1);
	assert_true(leaf(7, 0, CR4_PKE).ecx & CPUID_7_ECX_OSPKE);
	assert_int_equal(leaf(7, 0, 0).ebx, 0x219c07ab);
	/* Other subleaves of 7 pass. */
	assert_int_equal(leaf(7, 1, 0).ecx, 0);
	assert_int_equal(leaf(0xd, 1, 0).eax, 0x7);
	assert_int_equal(leaf(0xd, 0, 0).eax, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cpuid_hypervisor_leaves),
		cmocka_unit_test(test_cpuid_leaf1),
		cmocka_unit_test(test_cpuid_virtual_lapic),
		cmocka_unit_test(test_cpuid_svm_hidden),
		cmocka_unit_test(test_cpuid_leaf7_and_xsave),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
