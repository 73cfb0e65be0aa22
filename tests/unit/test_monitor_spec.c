// SPDX-License-Identifier: GPL-2.0-only
/*
 * Speculation controls between the guests (monitor/spec.c) on the fake machine: IBPB exactly
 * on a change of guest when the CPU has it and never without, SPEC_CTRL kept per guest across
 * switches (also through the scheduling loop), the MSR map and the CPUID bits following what
 * the CPU has.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "monitor/cpuid.h"
#include "monitor/msr.h"
#include "monitor/spec.h"
#include "monitor/svm/svm.h"
#include "monitor/test_fake.h"

#define AMD_ALL	(CPUID_88_EBX_IBPB | CPUID_88_EBX_IBRS | CPUID_88_EBX_STIBP | CPUID_88_EBX_SSBD)
#define INTEL_ALL (CPUID_7_EDX_IBRS_IBPB | CPUID_7_EDX_STIBP | CPUID_7_EDX_SSBD)
#define LOOP_RUNS 24

/* A fake with guest b present too, the CPU's features as given. */
static struct fake *spec_fake(uint32_t edx7, uint32_t ebx88)
{
	struct fake *f = fake_new();
	struct monitor_guest_boot b = { .present = true, .letter = 'b', .name = "bee",
					.ram = &f->ram_range, .nr_ram = 1, .slice_us = 500 };

	assert_int_equal(monitor_guest_init(&f->m, 1, &b), 0);
	f->cpuid_7_edx = edx7;
	f->cpuid_88_ebx = ebx88;
	fake_spec_probe(f);
	return f;
}

static void test_spec_caps_decode(void **state)
{
	struct spec_caps c;

	spec_caps_decode(0, 0, &c);
	assert_false(c.ibpb);
	assert_int_equal(c.ctrl, 0);
	/* Early Zen: IBPB alone, no SPEC_CTRL. */
	spec_caps_decode(0, CPUID_88_EBX_IBPB, &c);
	assert_true(c.ibpb);
	assert_int_equal(c.ctrl, 0);
	spec_caps_decode(0, AMD_ALL, &c);
	assert_true(c.ibpb);
	assert_int_equal(c.ctrl, SPEC_CTRL_IBRS | SPEC_CTRL_STIBP | SPEC_CTRL_SSBD);
	spec_caps_decode(INTEL_ALL, 0, &c);
	assert_true(c.ibpb);
	assert_int_equal(c.ctrl, SPEC_CTRL_IBRS | SPEC_CTRL_STIBP | SPEC_CTRL_SSBD);
	/* SSBD alone still means the MSR exists. */
	spec_caps_decode(0, CPUID_88_EBX_SSBD, &c);
	assert_false(c.ibpb);
	assert_int_equal(c.ctrl, SPEC_CTRL_SSBD);
	/* VIRT_SSBD is another MSR. */
	spec_caps_decode(0, CPUID_88_EBX_VIRT_SSBD, &c);
	assert_int_equal(c.ctrl, 0);
}

/* A CPU whose extended leaves end at 0x80000007 and whose basic ones end at 6: its answer
 * for a higher leaf is some other leaf's, full of bits. */
static void short_cpuid(void *ctx, uint32_t leaf, uint32_t subleaf, struct cpuid_regs *out)
{
	if (leaf == 0)
		*out = (struct cpuid_regs){ 6, 0, 0, 0 };
	else if (leaf == 0x80000000)
		*out = (struct cpuid_regs){ 0x80000007, 0, 0, 0 };
	else
		*out = (struct cpuid_regs){ ~0u, ~0u, ~0u, ~0u };
}

static void test_spec_caps_probe(void **state)
{
	struct fake *f = spec_fake(0, AMD_ALL);
	struct spec_caps c;

	assert_true(f->spec.caps.ibpb);
	assert_int_equal(f->spec.caps.ctrl, SPEC_CTRL_IBRS | SPEC_CTRL_STIBP | SPEC_CTRL_SSBD);
	spec_caps_probe(short_cpuid, NULL, &c);
	assert_false(c.ibpb);
	assert_int_equal(c.ctrl, 0);
	fake_free(f);
}

static void test_spec_ibpb_on_guest_changes_only(void **state)
{
	struct fake *f = spec_fake(0, CPUID_88_EBX_IBPB);
	struct guest *a = &f->m.guest[0], *b = &f->m.guest[1];

	/* The first guest follows nobody. */
	spec_switch(&f->spec, NULL, &a->vcpu[0]);
	assert_int_equal(f->ibpbs, 0);
	spec_switch(&f->spec, &a->vcpu[0], &b->vcpu[0]);
	assert_int_equal(f->ibpbs, 1);
	spec_switch(&f->spec, &b->vcpu[0], &a->vcpu[0]);
	assert_int_equal(f->ibpbs, 2);
	/* a restarted while loaded: the loop passes from = NULL, the CPU still holds a's
	 * predictions, which are a's own. */
	spec_switch(&f->spec, NULL, &a->vcpu[0]);
	assert_int_equal(f->ibpbs, 2);
	/* b next: another guest ran last, whatever from says. */
	spec_switch(&f->spec, NULL, &b->vcpu[0]);
	assert_int_equal(f->ibpbs, 3);
	assert_int_equal(f->spec.barriers, 3);
	/* No SPEC_CTRL on this CPU: never touched. */
	assert_int_equal(f->spec_ctrl_writes, 0);
	fake_free(f);
}

static void test_spec_nothing_without_features(void **state)
{
	struct fake *f = spec_fake(0, 0);
	struct guest *a = &f->m.guest[0], *b = &f->m.guest[1];

	spec_switch(&f->spec, NULL, &a->vcpu[0]);
	spec_switch(&f->spec, &a->vcpu[0], &b->vcpu[0]);
	spec_switch(&f->spec, &b->vcpu[0], &a->vcpu[0]);
	assert_int_equal(f->ibpbs, 0);
	assert_int_equal(f->spec_ctrl_writes, 0);
	assert_int_equal(f->spec.barriers, 0);
	fake_free(f);
}

static void test_spec_ctrl_kept_per_guest(void **state)
{
	struct fake *f = spec_fake(INTEL_ALL, 0);
	struct guest *a = &f->m.guest[0], *b = &f->m.guest[1];

	/* The firmware left something in the MSR: a starts with 0 all the same. */
	f->msr_spec_ctrl = SPEC_CTRL_IBRS;
	spec_switch(&f->spec, NULL, &a->vcpu[0]);
	assert_int_equal(f->msr_spec_ctrl, 0);
	/* a writes SSBD natively (the map passes it through). */
	f->msr_spec_ctrl = SPEC_CTRL_SSBD;
	spec_switch(&f->spec, &a->vcpu[0], &b->vcpu[0]);
	assert_int_equal(a->vcpu[0].spec_ctrl, SPEC_CTRL_SSBD);
	assert_int_equal(f->msr_spec_ctrl, 0);
	f->msr_spec_ctrl = SPEC_CTRL_STIBP | SPEC_CTRL_IBRS;
	spec_switch(&f->spec, &b->vcpu[0], &a->vcpu[0]);
	assert_int_equal(b->vcpu[0].spec_ctrl, SPEC_CTRL_STIBP | SPEC_CTRL_IBRS);
	assert_int_equal(f->msr_spec_ctrl, SPEC_CTRL_SSBD);
	spec_switch(&f->spec, &a->vcpu[0], &b->vcpu[0]);
	assert_int_equal(f->msr_spec_ctrl, SPEC_CTRL_STIBP | SPEC_CTRL_IBRS);
	/* A restart resets it (fpu_guest_init sets 0, the loop passes from = NULL). */
	a->vcpu[0].spec_ctrl = 0;
	f->msr_spec_ctrl = SPEC_CTRL_SSBD;
	spec_switch(&f->spec, NULL, &a->vcpu[0]);
	assert_int_equal(f->msr_spec_ctrl, 0);
	assert_int_equal(b->vcpu[0].spec_ctrl, SPEC_CTRL_STIBP | SPEC_CTRL_IBRS);
	fake_free(f);
}

/* ---- the same through monitor_loop, with the fake's own switch_state ---- */

static struct {
	struct fake *f;
	unsigned order[LOOP_RUNS];
	size_t runs;
	uint64_t mine[2];	/* what each guest last wrote to SPEC_CTRL */
	bool mismatch;
} lp;

static void loop_run(struct monitor *m, struct vcpu *v)
{
	struct guest *g = v->g;
	struct fake *f = lp.f;

	/* The guest sees the SPEC_CTRL it left, then changes it. */
	if (f->spec.caps.ctrl && f->msr_spec_ctrl != lp.mine[g->id])
		lp.mismatch = true;
	lp.mine[g->id] ^= g->id ? SPEC_CTRL_STIBP : SPEC_CTRL_SSBD;
	f->msr_spec_ctrl = lp.mine[g->id];
	lp.order[lp.runs++] = g->id;
	v->entry_tsc = f->now;
	f->now += 30;
	v->exit_tsc = f->now;
}

static enum exit_action loop_exit(struct monitor *m, struct vcpu *v)
{
	struct guest *g = v->g;

	lp.f->now += 5;
	if (lp.runs + 2 > LOOP_RUNS) {
		monitor_guest_stop(m, g, "enough");
		return EXIT_STOP;
	}
	return EXIT_RESUME;
}

static const struct vcpu_ops loop_ops = {
	.name = "spec-loop",
	.run = loop_run,
	.handle_exit = loop_exit,
};

static unsigned loop_changes(uint32_t edx7, uint32_t ebx88, struct fake **out)
{
	struct fake *f = spec_fake(edx7, ebx88);
	unsigned changes = 0;

	memset(&lp, 0, sizeof(lp));
	lp.f = f;
	f->m.vops = &loop_ops;
	/* Slices of 70 cycles hold two runs of 30 + 5 each: a, a, b, b, a, a, ... */
	assert_int_equal(sched_add(&f->m.cpu[0].sched, 0, 70), 0);
	assert_int_equal(sched_add(&f->m.cpu[0].sched, 1, 70), 0);
	assert_int_equal(monitor_loop(&f->m, &f->m.cpu[0]), 0);
	assert_true(lp.runs >= LOOP_RUNS - 2);
	for (size_t i = 1; i < lp.runs; i++)
		changes += lp.order[i] != lp.order[i - 1];
	/* Re-entries of the same guest happened too, or the test would prove little. */
	assert_true(changes > 2 && changes < lp.runs - 1);
	*out = f;
	return changes;
}

static void test_spec_loop_ibpb_and_spec_ctrl(void **state)
{
	struct fake *f;
	unsigned changes = loop_changes(0, AMD_ALL, &f);

	assert_int_equal(f->ibpbs, changes);
	assert_false(lp.mismatch);
	fake_free(f);
}

static void test_spec_loop_without_features(void **state)
{
	struct fake *f;

	loop_changes(0, 0, &f);
	assert_int_equal(f->ibpbs, 0);
	assert_int_equal(f->spec_ctrl_writes, 0);
	fake_free(f);
}

static unsigned msrpm_clear_bits(const uint8_t *pm)
{
	unsigned n = 0;

	for (size_t bit = 0; bit < MSRPM_SIZE * 8; bit++)
		n += !((pm[bit / 8] >> (bit % 8)) & 1);
	return n;
}

static void test_spec_msr_map_follows_cpuid(void **state)
{
	uint8_t *pm = malloc(MSRPM_SIZE);
	struct fake *f = spec_fake(0, 0);
	struct guest *g = &f->m.guest[0];
	struct msr_guest st = { 0 };
	struct spec_caps c;
	unsigned base;
	uint64_t v;

	assert_int_equal(svm_msrpm_encode(pm, MSRPM_SIZE, policy_msrs, policy_nr_msrs, NULL), 0);
	base = msrpm_clear_bits(pm);
	/* Without the features: both MSRs exit both ways, and the exit gives #GP. */
	spec_caps_decode(0, 0, &c);
	assert_int_equal(svm_msrpm_encode(pm, MSRPM_SIZE, policy_msrs, policy_nr_msrs, &c), 0);
	assert_int_equal(msrpm_clear_bits(pm), base);
	assert_true(svm_msrpm_intercepts(pm, MSR_SPEC_CTRL, false));
	assert_true(svm_msrpm_intercepts(pm, MSR_SPEC_CTRL, true));
	assert_true(svm_msrpm_intercepts(pm, MSR_PRED_CMD, true));
	assert_int_equal(msr_read(&f->m, &g->vcpu[0], MSR_SPEC_CTRL, &st, &v), -EPERM);
	assert_int_equal(msr_write(&f->m, &g->vcpu[0], MSR_SPEC_CTRL, &st, SPEC_CTRL_SSBD), -EPERM);
	assert_int_equal(msr_write(&f->m, &g->vcpu[0], MSR_PRED_CMD, &st, PRED_CMD_IBPB), -EPERM);
	/* IBPB alone: PRED_CMD writes pass, its reads still exit (#GP, as on hardware). */
	spec_caps_decode(0, CPUID_88_EBX_IBPB, &c);
	assert_int_equal(svm_msrpm_encode(pm, MSRPM_SIZE, policy_msrs, policy_nr_msrs, &c), 0);
	assert_false(svm_msrpm_intercepts(pm, MSR_PRED_CMD, true));
	assert_true(svm_msrpm_intercepts(pm, MSR_PRED_CMD, false));
	assert_true(svm_msrpm_intercepts(pm, MSR_SPEC_CTRL, false));
	assert_int_equal(msrpm_clear_bits(pm), base + 1);
	assert_int_equal(msr_read(&f->m, &g->vcpu[0], MSR_PRED_CMD, &st, &v), -EPERM);
	/* SPEC_CTRL too: both ways, and nothing else changed. */
	spec_caps_decode(INTEL_ALL, 0, &c);
	assert_int_equal(svm_msrpm_encode(pm, MSRPM_SIZE, policy_msrs, policy_nr_msrs, &c), 0);
	assert_false(svm_msrpm_intercepts(pm, MSR_SPEC_CTRL, false));
	assert_false(svm_msrpm_intercepts(pm, MSR_SPEC_CTRL, true));
	assert_int_equal(msrpm_clear_bits(pm), base + 3);
	assert_true(svm_msrpm_intercepts(pm, 0x4a, true));
	assert_true(svm_msrpm_intercepts(pm, 0x47, false));
	assert_true(svm_msrpm_intercepts(pm, 0xc001011f, true));	/* VIRT_SPEC_CTRL */
	free(pm);
	fake_free(f);
}

static void test_spec_cpuid_bits(void **state)
{
	struct fake *f = spec_fake(INTEL_ALL | CPUID_7_EDX_L1D_FLUSH | CPUID_7_EDX_ARCH_CAP |
					   CPUID_7_EDX_CORE_CAP | (1u << 10),
				   AMD_ALL | CPUID_88_EBX_VIRT_SSBD | (1u << 9));
	struct cpuid_regs raw, out;
	struct spec_caps seen;

	fake_cpuid(f, 7, 0, &raw);
	cpuid_filter(7, 0, &raw, 0, false, 0, &out);
	/* The controls the guest gets, and MD_CLEAR (bit 10); not the MSRs it is refused. */
	assert_int_equal(out.edx, INTEL_ALL | (1u << 10));
	fake_cpuid(f, 0x80000008, 0, &raw);
	cpuid_filter(0x80000008, 0, &raw, 0, false, 0, &out);
	assert_int_equal(out.ebx, AMD_ALL | (1u << 9));
	/* The guest's view names exactly what the map gives it. */
	spec_caps_decode(0, out.ebx, &seen);
	assert_int_equal(seen.ibpb, f->spec.caps.ibpb);
	assert_int_equal(seen.ctrl, f->spec.caps.ctrl);
	fake_free(f);

	/* A CPU without them: the guest sees none. */
	f = spec_fake(0, 0);
	fake_cpuid(f, 7, 0, &raw);
	cpuid_filter(7, 0, &raw, 0, false, 0, &out);
	assert_int_equal(out.edx & (INTEL_ALL | CPUID_7_EDX_ARCH_CAP), 0);
	fake_cpuid(f, 0x80000008, 0, &raw);
	cpuid_filter(0x80000008, 0, &raw, 0, false, 0, &out);
	assert_int_equal(out.ebx & AMD_ALL, 0);
	fake_free(f);
}

static void test_spec_log(void **state)
{
	struct fake *f = fake_new();
	struct spec_caps c;

	spec_caps_decode(0, AMD_ALL, &c);
	spec_log(&f->m, &c);
	spec_caps_decode(0, CPUID_88_EBX_IBPB | CPUID_88_EBX_SSBD, &c);
	spec_log(&f->m, &c);
	spec_caps_decode(0, 0, &c);
	spec_log(&f->m, &c);
	assert_string_equal(f->log[0], "monitor: speculation controls: IBPB on every change of "
				       "guest; SPEC_CTRL per guest (IBRS, STIBP, SSBD)");
	assert_string_equal(f->log[1], "monitor: speculation controls: IBPB on every change of "
				       "guest; SPEC_CTRL per guest (SSBD)");
	assert_string_equal(f->log[2], "monitor: speculation controls: IBPB not available; "
				       "SPEC_CTRL not available (#GP for the guests)");
	fake_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_caps_decode),
		cmocka_unit_test(test_spec_caps_probe),
		cmocka_unit_test(test_spec_ibpb_on_guest_changes_only),
		cmocka_unit_test(test_spec_nothing_without_features),
		cmocka_unit_test(test_spec_ctrl_kept_per_guest),
		cmocka_unit_test(test_spec_loop_ibpb_and_spec_ctrl),
		cmocka_unit_test(test_spec_loop_without_features),
		cmocka_unit_test(test_spec_msr_map_follows_cpuid),
		cmocka_unit_test(test_spec_cpuid_bits),
		cmocka_unit_test(test_spec_log),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
