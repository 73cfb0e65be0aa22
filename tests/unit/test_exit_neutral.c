// SPDX-License-Identifier: GPL-2.0-only
/*
 * The shared exit handlers (monitor/exit.c) behind a backend that is not SVM: a vCPU whose
 * state is a plain array of registers, reached only through the vendor interface's
 * accessors, and exits described directly as struct vcpu_exit (as a VMX backend would from
 * its exit reason, qualification and instruction length). Nothing here knows the VMCB.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "monitor/msr.h"
#include "monitor/test_fake.h"
#include "monitor/vcpu_exit.h"

#define RIP0	0x1000ULL

/* The plain backend's vCPU. */
struct plain {
	uint64_t reg[VCPU_REG_ES_BASE + 1];
	uint64_t efer_extra;	/* a vendor bit the core must never see or drop */
	unsigned advances;
	unsigned dumps;
	unsigned injects;
	struct vcpu_event ev;
	int window;		/* the last irq_window(on), -1 before any */
};

static struct plain *plain_of(struct vcpu *v)
{
	return v->arch;
}

static uint64_t plain_get(struct vcpu *v, enum vcpu_reg r)
{
	return plain_of(v)->reg[r];
}

static void plain_set(struct vcpu *v, enum vcpu_reg r, uint64_t val)
{
	plain_of(v)->reg[r] = val;
}

static void plain_advance(struct vcpu *v, uint64_t next)
{
	plain_of(v)->reg[VCPU_REG_RIP] = next;
	plain_of(v)->advances++;
}

static void plain_inject(struct monitor *m, struct vcpu *v, const struct vcpu_event *ev)
{
	plain_of(v)->ev = *ev;
	plain_of(v)->injects++;
}

static void plain_irq_window(struct monitor *m, struct vcpu *v, bool on)
{
	plain_of(v)->window = on;
}

static void plain_dump(struct monitor *m, struct vcpu *v)
{
	plain_of(v)->dumps++;
}

static const struct vcpu_ops plain_ops = {
	.name = "plain",
	.inject = plain_inject,
	.irq_window = plain_irq_window,
	.dump = plain_dump,
	.get = plain_get,
	.set = plain_set,
	.advance = plain_advance,
};

struct fixture {
	struct fake *f;
	struct plain p;
};

static int setup(void **state)
{
	static struct fixture x;

	memset(&x, 0, sizeof(x));
	x.f = fake_new();
	if (!x.f)
		return -1;
	x.f->m.vops = &plain_ops;
	x.f->m.guest[0].vcpu[0].arch = &x.p;
	x.p.window = -1;
	/* 64-bit code, interrupts on, ring 0. */
	x.p.reg[VCPU_REG_RIP] = RIP0;
	x.p.reg[VCPU_REG_RFLAGS] = RFLAGS_FIXED | RFLAGS_IF;
	x.p.reg[VCPU_REG_CR0] = CR0_PG | CR0_PE;
	x.p.reg[VCPU_REG_CR4] = CR4_PAE;
	x.p.reg[VCPU_REG_EFER] = EFER_LME | EFER_LMA;
	x.p.reg[VCPU_REG_CS_ATTR] = VCPU_SEG_L | 0x9b;
	x.p.reg[VCPU_REG_PAT] = PAT_DEFAULT;
	*state = &x;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *x = *state;

	fake_free(x->f);
	return 0;
}

static enum exit_action handle(struct fixture *x, const struct vcpu_exit *e)
{
	return exit_handle(&x->f->m, &x->f->m.guest[0].vcpu[0], e);
}

static void test_neutral_cpuid_next_rip(void **state)
{
	struct fixture *x = *state;
	struct vcpu *vc = &x->f->m.guest[0].vcpu[0];
	struct vcpu_exit e = { .reason = VCPU_EXIT_CPUID, .next_rip = RIP0 + 5 };

	/* Where the CPU says the instruction ends (a prefixed CPUID), not the +2 guess. */
	vc->regs.rax = 0x40000000;
	assert_int_equal(handle(x, &e), EXIT_RESUME);
	assert_int_equal(x->p.reg[VCPU_REG_RIP], RIP0 + 5);
	assert_int_equal(vc->regs.rbx, 0x6e697774);	/* "twin" of "twinmon-abi1" */
	/* Without it: the only encoding's length. */
	e.next_rip = 0;
	assert_int_equal(handle(x, &e), EXIT_RESUME);
	assert_int_equal(x->p.reg[VCPU_REG_RIP], RIP0 + 5 + VCPU_LEN_CPUID);
	assert_int_equal(x->p.advances, 2);
}

static void test_neutral_msr(void **state)
{
	struct fixture *x = *state;
	struct vcpu *vc = &x->f->m.guest[0].vcpu[0];
	struct vcpu_exit e = { .reason = VCPU_EXIT_MSR, .msr.write = true };

	/* WRMSR EFER |= NXE: the accessor gets the guest's value, no vendor bit added. */
	vc->regs.rcx = MSR_EFER;
	vc->regs.rax = (uint32_t)(EFER_LME | EFER_NXE);
	vc->regs.rdx = 0;
	assert_int_equal(handle(x, &e), EXIT_RESUME);
	assert_int_equal(x->p.reg[VCPU_REG_EFER], EFER_LME | EFER_LMA | EFER_NXE);
	assert_int_equal(x->p.reg[VCPU_REG_RIP], RIP0 + VCPU_LEN_WRMSR);
	/* RDMSR of an MSR nobody emulates: #GP(0), RIP stays. */
	e.msr.write = false;
	vc->regs.rcx = 0xc0010114;
	assert_int_equal(handle(x, &e), EXIT_RESUME);
	assert_int_equal(x->p.injects, 1);
	assert_int_equal(x->p.ev.type, VCPU_EVENT_EXCEPTION);
	assert_int_equal(x->p.ev.vector, VCPU_VEC_GP);
	assert_true(x->p.ev.has_error);
	assert_int_equal(x->p.ev.error, 0);
	assert_int_equal(x->p.reg[VCPU_REG_RIP], RIP0 + VCPU_LEN_WRMSR);
}

static void test_neutral_io(void **state)
{
	struct fixture *x = *state;
	struct vcpu *vc = &x->f->m.guest[0].vcpu[0];
	struct vcpu_exit e = {
		.reason = VCPU_EXIT_IO,
		.next_rip = RIP0 + 2,
		.io = { .port = 0x2e8, .size = 1, .in = true },
	};

	vc->regs.rax = 0x1234;
	assert_int_equal(handle(x, &e), EXIT_RESUME);
	assert_int_equal(vc->regs.rax, 0x12ff);
	assert_int_equal(x->p.reg[VCPU_REG_RIP], RIP0 + 2);
	assert_true(fake_log_find(x->f, "in from unassigned port 0x2e8") >= 0);
}

static void test_neutral_events(void **state)
{
	struct fixture *x = *state;
	struct vcpu_exit e = { .reason = VCPU_EXIT_EXCEPTION,
			       .exc = { VCPU_VEC_AC, true, 0 } };

	assert_int_equal(handle(x, &e), EXIT_RESUME);
	assert_int_equal(x->p.ev.vector, VCPU_VEC_AC);
	assert_true(x->p.ev.has_error);
	e = (struct vcpu_exit){ .reason = VCPU_EXIT_UD };
	assert_int_equal(handle(x, &e), EXIT_RESUME);
	assert_int_equal(x->p.ev.vector, VCPU_VEC_UD);
	assert_false(x->p.ev.has_error);
	e = (struct vcpu_exit){ .reason = VCPU_EXIT_IRQ_WINDOW };
	assert_int_equal(handle(x, &e), EXIT_RESUME);
	assert_int_equal(x->p.window, 0);
	assert_int_equal(x->p.reg[VCPU_REG_RIP], RIP0);
}

static void test_neutral_stops(void **state)
{
	struct fixture *x = *state;
	struct vcpu_exit e = {
		.reason = VCPU_EXIT_NPF,
		.npf.a = { .gpa = 0x7000000, .write = true },
	};

	/* A nested page fault nobody emulates is an isolation violation, named as such. */
	assert_int_equal(handle(x, &e), EXIT_STOP);
	assert_true(fake_log_find(x->f, "isolation violation: nested page fault at gpa "
					"0x7000000 (write, not mapped) rip 0x1000") >= 0);
	/* With the vCPU's state on the log: whose access it was. */
	assert_int_equal(x->p.dumps, 1);
	/* Running again: not stopped, and no stop claimed (monitor_guest_stop's first-one rule). */
	x->f->m.guest[0].stopped = false;
	x->f->m.guest[0].stopping = false;
	e = (struct vcpu_exit){ .reason = VCPU_EXIT_UNKNOWN, .code = 0x3f };
	assert_int_equal(handle(x, &e), EXIT_STOP);
	assert_int_equal(x->p.dumps, 2);
	assert_true(fake_log_find(x->f, "stopped: unknown exit code 0x3f") >= 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_neutral_cpuid_next_rip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_neutral_msr, setup, teardown),
		cmocka_unit_test_setup_teardown(test_neutral_io, setup, teardown),
		cmocka_unit_test_setup_teardown(test_neutral_events, setup, teardown),
		cmocka_unit_test_setup_teardown(test_neutral_stops, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
