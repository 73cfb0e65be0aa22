// SPDX-License-Identifier: GPL-2.0-only
/*
 * SVM exit dispatch: every exit class reaches its handler and is counted under its reason,
 * RIP moves past exactly the intercepted instruction (or not at all when a fault is
 * injected), unknown exits stop the guest with a dump, interrupted events are re-injected.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "monitor/abi.h"
#include "monitor/gboot.h"
#include "monitor/msr.h"
#include "monitor/svm/svm.h"
#include "monitor/test_fake.h"

#define RIP0 0x40001000ULL

static int setup(void **state)
{
	struct fake *f = fake_new();
	struct gboot_layout l = { .gdt_base = FAKE_RAM_BASE, .gdt_limit = 31,
				  .cr3 = FAKE_RAM_BASE + 0x1000 };
	struct vcpu_start st;

	if (!f)
		return -1;
	gboot_start_state(&l, RIP0, 0x40002000, &st);
	st.npt_root = 0x20000000;
	st.iopm_pa = 0x20010000;
	if (svm_vmcb_init(f->vcpu->vmcb, 1, 0x20020000, &st))
		return -1;
	assert_int_equal(sched_add(&f->m.cpu[0].sched, 0, 1000), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fake_free(*state);
	return 0;
}

static enum exit_action run_exit(struct fake *f, uint64_t code, uint64_t info1, uint64_t info2)
{
	struct vmcb *v = f->vcpu->vmcb;

	v->control.exit_code = code;
	v->control.exit_info1 = info1;
	v->control.exit_info2 = info2;
	v->control.exit_int_info = 0;
	v->control.event_inj = 0;
	return svm_exit_dispatch(&f->m, &f->m.guest[0].vcpu[0]);
}

static uint64_t reason_count(struct fake *f, unsigned reason)
{
	return f->m.guest[0].vcpu[0].stats.exits_by_reason[reason];
}

static void assert_injected(struct fake *f, uint8_t vector, bool has_error)
{
	uint64_t e = f->vcpu->vmcb->control.event_inj;

	assert_true(e & VMCB_EVENT_VALID);
	assert_int_equal(e & VMCB_EVENT_VECTOR_MASK, vector);
	assert_int_equal(e & VMCB_EVENT_TYPE_MASK, VMCB_EVENT_TYPE_EXCEPT);
	assert_int_equal(!!(e & VMCB_EVENT_EV), has_error);
}

static void test_exit_cpuid_advances_2(void **state)
{
	struct fake *f = *state;
	struct vmcb *v = f->vcpu->vmcb;

	v->save.rax = TM_CPUID_BASE;
	f->m.guest[0].vcpu[0].regs.rcx = 0;
	assert_int_equal(run_exit(f, SVM_EXIT_CPUID, 0, 0), EXIT_RESUME);
	assert_int_equal(v->save.rip, RIP0 + 2);
	assert_int_equal(v->save.rax, TM_CPUID_VERSION);
	assert_memory_equal(&f->m.guest[0].vcpu[0].regs.rbx, "twin", 4);
	assert_int_equal(reason_count(f, TM_EXIT_CPUID), 1);
	assert_int_equal(v->control.event_inj, 0);
}

static void test_exit_hlt_with_interrupts_off_stops(void **state)
{
	struct fake *f = *state;

	f->vcpu->vmcb->save.rflags &= ~RFLAGS_IF;
	assert_int_equal(run_exit(f, SVM_EXIT_HLT, 0, 0), EXIT_STOP);
	assert_true(f->m.guest[0].stopped);
	assert_int_equal(f->vcpu->vmcb->save.rip, RIP0 + 1);
}

static void test_exit_hlt_advances_1_and_halts(void **state)
{
	struct fake *f = *state;

	f->vcpu->vmcb->save.rflags |= RFLAGS_IF;
	assert_int_equal(run_exit(f, SVM_EXIT_HLT, 0, 0), EXIT_HALT);
	assert_int_equal(f->vcpu->vmcb->save.rip, RIP0 + 1);
	assert_int_equal(reason_count(f, TM_EXIT_HLT), 1);
}

static void test_exit_vmmcall_advances_3(void **state)
{
	struct fake *f = *state;
	struct vmcb *v = f->vcpu->vmcb;

	v->save.rax = TM_HC_TSC_KHZ;
	assert_int_equal(run_exit(f, SVM_EXIT_VMMCALL, 0, 0), EXIT_RESUME);
	assert_int_equal(v->save.rip, RIP0 + 3);
	assert_int_equal(v->save.rax, 2000000);
	v->save.rax = TM_HC_YIELD;
	assert_int_equal(run_exit(f, SVM_EXIT_VMMCALL, 0, 0), EXIT_YIELD);
	assert_int_equal(v->save.rip, RIP0 + 6);
	assert_int_equal(reason_count(f, TM_EXIT_VMMCALL), 2);
	/* From user mode: refused, but RIP still moves on. */
	v->save.cpl = 3;
	v->save.rax = TM_HC_YIELD;
	assert_int_equal(run_exit(f, SVM_EXIT_VMMCALL, 0, 0), EXIT_RESUME);
	assert_int_equal(v->save.rax, (uint64_t)-TM_EPERM);
	assert_int_equal(v->save.rip, RIP0 + 9);
}

static void test_exit_msr_read_write_and_gp(void **state)
{
	struct fake *f = *state;
	struct vmcb *v = f->vcpu->vmcb;
	struct guest *g = &f->m.guest[0];

	/* RDMSR EFER: the guest never sees SVME. */
	g->vcpu[0].regs.rcx = MSR_EFER;
	assert_int_equal(run_exit(f, SVM_EXIT_MSR, 0, 0), EXIT_RESUME);
	assert_int_equal(v->save.rip, RIP0 + 2);
	assert_int_equal(v->save.rax, EFER_LME | EFER_LMA);
	assert_int_equal(g->vcpu[0].regs.rdx, 0);
	/* WRMSR EFER |= NXE|SCE (edx:eax), SVME kept in the VMCB. */
	v->save.rax = EFER_LME | EFER_LMA | EFER_NXE | EFER_SCE;
	g->vcpu[0].regs.rdx = 0;
	assert_int_equal(run_exit(f, SVM_EXIT_MSR, 1, 0), EXIT_RESUME);
	assert_int_equal(v->save.rip, RIP0 + 4);
	assert_int_equal(v->save.efer, EFER_LME | EFER_LMA | EFER_NXE | EFER_SCE | EFER_SVME);
	/* An MSR nobody allowed: #GP, RIP stays on the instruction, logged once. */
	g->vcpu[0].regs.rcx = 0x8b;
	assert_int_equal(run_exit(f, SVM_EXIT_MSR, 0, 0), EXIT_RESUME);
	assert_int_equal(v->save.rip, RIP0 + 4);
	assert_injected(f, VCPU_VEC_GP, true);
	assert_int_equal(v->control.event_inj >> 32, 0);
	assert_true(fake_log_find(f, "rdmsr 0x8b refused") >= 0);
	assert_int_equal(reason_count(f, TM_EXIT_MSR), 3);
}

static void test_exit_ioio_uses_exitinfo2(void **state)
{
	struct fake *f = *state;
	struct vmcb *v = f->vcpu->vmcb;
	uint64_t info = SVM_IOIO_IN | SVM_IOIO_SZ8 | 0x1f1ULL << SVM_IOIO_PORT_SHIFT;

	v->save.rax = 0x1234;
	/* The next RIP comes from EXITINFO2, whatever the instruction's prefixes. */
	assert_int_equal(run_exit(f, SVM_EXIT_IOIO, info, RIP0 + 7), EXIT_RESUME);
	assert_int_equal(v->save.rip, RIP0 + 7);
	assert_int_equal(v->save.rax, 0x12ff);
	assert_int_equal(reason_count(f, TM_EXIT_IO), 1);
	/* An impossible EXITINFO1 (no size bit) stops the guest instead of guessing. */
	assert_int_equal(run_exit(f, SVM_EXIT_IOIO, 0x1f1ULL << 16, RIP0 + 9), EXIT_STOP);
	assert_true(f->m.guest[0].stopped);
}

static void test_exit_intr_nmi_take_interrupts(void **state)
{
	struct fake *f = *state;

	assert_int_equal(run_exit(f, SVM_EXIT_INTR, 0, 0), EXIT_RESUME);
	assert_int_equal(run_exit(f, SVM_EXIT_NMI, 0, 0), EXIT_RESUME);
	assert_int_equal(f->interrupts_taken, 2);
	assert_int_equal(f->vcpu->vmcb->save.rip, RIP0);
	assert_int_equal(reason_count(f, TM_EXIT_INTR), 1);
	assert_int_equal(reason_count(f, TM_EXIT_NMI), 1);
}

static void test_exit_svm_instructions_get_ud(void **state)
{
	static const uint64_t codes[] = { SVM_EXIT_VMRUN, SVM_EXIT_VMLOAD, SVM_EXIT_VMSAVE,
					  SVM_EXIT_STGI,  SVM_EXIT_CLGI,   SVM_EXIT_SKINIT,
					  SVM_EXIT_INVLPGA };
	struct fake *f = *state;

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		assert_int_equal(run_exit(f, codes[i], 0, 0), EXIT_RESUME);
		assert_injected(f, VCPU_VEC_UD, false);
		assert_int_equal(f->vcpu->vmcb->save.rip, RIP0);
	}
	assert_int_equal(reason_count(f, TM_EXIT_SVM_INSN), 7);
	/* MONITOR/MWAIT: #UD too, counted as other. */
	assert_int_equal(run_exit(f, SVM_EXIT_MWAIT, 0, 0), EXIT_RESUME);
	assert_injected(f, VCPU_VEC_UD, false);
	assert_int_equal(run_exit(f, SVM_EXIT_MONITOR, 0, 0), EXIT_RESUME);
	assert_int_equal(run_exit(f, SVM_EXIT_MWAIT_COND, 0, 0), EXIT_RESUME);
	assert_int_equal(reason_count(f, TM_EXIT_OTHER), 3);
	assert_false(f->m.guest[0].stopped);
}

static void test_exit_invd_and_ac(void **state)
{
	struct fake *f = *state;

	assert_int_equal(run_exit(f, SVM_EXIT_INVD, 0, 0), EXIT_RESUME);
	assert_int_equal(f->vcpu->vmcb->save.rip, RIP0 + 2);
	assert_int_equal(run_exit(f, SVM_EXIT_EXCP_BASE + VCPU_VEC_AC, 0, 0), EXIT_RESUME);
	assert_injected(f, VCPU_VEC_AC, true);
	assert_int_equal(f->vcpu->vmcb->save.rip, RIP0 + 2);
	assert_int_equal(reason_count(f, TM_EXIT_EXCEPTION), 1);
	/* #DB: reflected without an error code, RIP unchanged (a trap already moved it). */
	assert_int_equal(run_exit(f, SVM_EXIT_EXCP_BASE + VCPU_VEC_DB, 0, 0), EXIT_RESUME);
	assert_injected(f, VCPU_VEC_DB, false);
	assert_int_equal(f->vcpu->vmcb->save.rip, RIP0 + 2);
	assert_int_equal(reason_count(f, TM_EXIT_EXCEPTION), 2);
	assert_false(f->m.guest[0].stopped);
}

static void test_exit_shutdown_stops(void **state)
{
	struct fake *f = *state;

	assert_int_equal(run_exit(f, SVM_EXIT_SHUTDOWN, 0, 0), EXIT_STOP);
	assert_true(f->m.guest[0].stopped);
	assert_true(f->m.cpu[0].sched.e[0].stopped);
	assert_true(fake_log_find(f, "monitor: guest a stopped: shutdown (triple fault)") >= 0);
	assert_int_equal(reason_count(f, TM_EXIT_SHUTDOWN), 1);
}

static void test_exit_npf_stops_with_gpa(void **state)
{
	struct fake *f = *state;

	assert_int_equal(run_exit(f, SVM_EXIT_NPF, SVM_NPF_W | SVM_NPF_FINAL, 0x7fff1234),
			 EXIT_STOP);
	assert_true(f->m.guest[0].stopped);
	assert_true(fake_log_find(f, "isolation violation: nested page fault at gpa 0x7fff1234 "
				     "(write, not mapped) rip 0x40001000") >= 0);
	/* The state dump: a guest that ran with the monitor's state shows its CR3 here. */
	assert_true(fake_log_find(f, "svm: guest a: rip 0x0000000040001000") >= 0);
	assert_true(fake_log_find(f, "svm: guest a: cr0 0x80010033") >= 0);
	assert_int_equal(reason_count(f, TM_EXIT_NPF), 1);
}

static void test_exit_unknown_dumps_and_stops(void **state)
{
	struct fake *f = *state;

	/* TASK_SWITCH is not intercepted, so it is as unknown as a made-up code. */
	assert_int_equal(run_exit(f, 0x7d, 0x11, 0x22), EXIT_STOP);
	assert_true(f->m.guest[0].stopped);
	assert_true(fake_log_find(f, "svm: guest a: unknown exit code 0x7d (exitinfo1 0x11, "
				     "exitinfo2 0x22)") >= 0);
	assert_true(fake_log_find(f, "svm: guest a: rip 0x0000000040001000") >= 0);
	assert_true(fake_log_find(f, "svm: guest a: cr0 0x80010033") >= 0);
	assert_true(fake_log_find(f, "stopped: unknown exit code 0x7d") >= 0);
	assert_int_equal(reason_count(f, TM_EXIT_UNKNOWN), 1);
	assert_int_equal(f->m.guest[0].vcpu[0].stats.exits_total, 1);
}

static void test_exit_invalid_state_stops(void **state)
{
	struct fake *f = *state;

	assert_int_equal(run_exit(f, SVM_EXIT_INVALID, 0, 0), EXIT_STOP);
	assert_true(fake_log_find(f, "VMRUN refused the guest state") >= 0);
	assert_true(fake_log_find(f, "svm: guest a: exit 0xffffffffffffffff (invalid)") >= 0);
}

static void test_exit_nrip_save_preferred(void **state)
{
	struct fake *f = *state;

	f->vcpu->nrips = true;
	f->vcpu->vmcb->control.next_rip = RIP0 + 5;	/* e.g. a prefixed CPUID */
	f->vcpu->vmcb->save.rax = 0;
	assert_int_equal(run_exit(f, SVM_EXIT_CPUID, 0, 0), EXIT_RESUME);
	assert_int_equal(f->vcpu->vmcb->save.rip, RIP0 + 5);
}

static void test_exit_rip_wraps_outside_long_mode(void **state)
{
	struct fake *f = *state;
	struct vmcb *v = f->vcpu->vmcb;

	v->save.efer &= ~EFER_LMA;
	v->save.cs.attrib &= ~(1u << 9);
	v->save.rip = 0xffffffff;
	v->save.rflags |= RFLAGS_IF;
	assert_int_equal(run_exit(f, SVM_EXIT_HLT, 0, 0), EXIT_HALT);
	assert_int_equal(v->save.rip, 0);
}

static void test_exit_interrupted_event_reinjected(void **state)
{
	struct fake *f = *state;
	struct vmcb *v = f->vcpu->vmcb;
	uint64_t pf = 14 | VMCB_EVENT_TYPE_EXCEPT | VMCB_EVENT_EV | VMCB_EVENT_VALID |
		      (2ULL << VMCB_EVENT_ERR_SHIFT);
	uint64_t soft = 0x80 | VMCB_EVENT_TYPE_SOFT | VMCB_EVENT_VALID;

	/* A #PF whose delivery was cut short by a host interrupt comes again. */
	v->control.exit_code = SVM_EXIT_INTR;
	v->control.exit_int_info = pf;
	assert_int_equal(svm_exit_dispatch(&f->m, &f->m.guest[0].vcpu[0]), EXIT_RESUME);
	assert_int_equal(v->control.event_inj, pf);
	/* An INT 0x80 is re-executed instead: nothing injected. */
	v->control.exit_int_info = soft;
	assert_int_equal(svm_exit_dispatch(&f->m, &f->m.guest[0].vcpu[0]), EXIT_RESUME);
	assert_int_equal(v->control.event_inj, 0);
	/* Nothing pending: whatever was injected before is gone. */
	v->control.exit_int_info = 0;
	v->control.event_inj = pf;
	assert_int_equal(svm_exit_dispatch(&f->m, &f->m.guest[0].vcpu[0]), EXIT_RESUME);
	assert_int_equal(v->control.event_inj, 0);
}

static void test_exit_inject_format(void **state)
{
	static struct vmcb v;
	struct vcpu_event pf = { VCPU_EVENT_EXCEPTION, VCPU_VEC_PF, true, 6 };
	struct vcpu_event irq = { VCPU_EVENT_INTR, 0x30, false, 0 };
	struct vcpu_event nmi = { VCPU_EVENT_NMI, 2, false, 0 };

	/* APM vol. 2, 15.20: vector 7:0, type 10:8, EV 11, V 31, error code 63:32. */
	svm_vmcb_inject(&v, &pf);
	assert_int_equal(v.control.event_inj, 0x000000068000030eULL | (1ULL << 11));
	svm_vmcb_inject(&v, &irq);
	assert_int_equal(v.control.event_inj, 0x80000030ULL);
	svm_vmcb_inject(&v, &nmi);
	assert_int_equal(v.control.event_inj, 0x80000202ULL);
}

static void test_exit_names(void **state)
{
	assert_string_equal(svm_exit_name(SVM_EXIT_IOIO), "ioio");
	assert_string_equal(svm_exit_name(SVM_EXIT_NPF), "npf");
	assert_string_equal(svm_exit_name(0x7d), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_exit_cpuid_advances_2, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exit_hlt_with_interrupts_off_stops, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_exit_hlt_advances_1_and_halts, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_exit_vmmcall_advances_3, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exit_msr_read_write_and_gp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exit_ioio_uses_exitinfo2, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exit_intr_nmi_take_interrupts, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_exit_svm_instructions_get_ud, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_exit_invd_and_ac, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exit_shutdown_stops, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exit_npf_stops_with_gpa, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exit_unknown_dumps_and_stops, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exit_invalid_state_stops, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exit_nrip_save_preferred, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exit_rip_wraps_outside_long_mode, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_exit_interrupted_event_reinjected, setup,
						teardown),
		cmocka_unit_test(test_exit_inject_format),
		cmocka_unit_test(test_exit_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
