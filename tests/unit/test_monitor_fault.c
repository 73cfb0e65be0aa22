// SPDX-License-Identifier: GPL-2.0-only
/* The report of a fatal exception in the monitor (monitor/fault.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "monitor/svm/svm.h"
#include "monitor/trap.h"
#include "monitor/test_fake.h"

static void test_fault_names(void **state)
{
	assert_string_equal(fault_name(13), "#GP");
	assert_string_equal(fault_name(14), "#PF");
	assert_string_equal(fault_name(8), "#DF");
	assert_string_equal(fault_name(2), "NMI");
	assert_string_equal(fault_name(15), "vector");
	assert_string_equal(fault_name(200), "vector");
}

static void test_fault_report(void **state)
{
	struct fake *f = fake_new();
	struct trap_frame tf = { .rax = 0x1111, .rbx = 0x2222, .r15 = 0xf15, .vector = 13,
				 .error = 0x18, .rip = 0xffffffff8000abcdULL, .cs = 8,
				 .rflags = 0x10002, .rsp = 0x7000, .ss = 0x10 };
	struct trap_cregs cr = { 0x80010033, 0xdead000, 0x3ce58000, 0x40668, 0x1d00 };

	fault_report(&f->m, &tf, &cr);
	assert_string_equal(f->log[0],
			    "monitor: exception #GP at rip=0xffffffff8000abcd err=0x18");
	assert_true(fake_log_find(f, "rax 0x0000000000001111 rbx 0x0000000000002222") == 1);
	assert_true(fake_log_find(f, "r15 0x0000000000000f15") >= 0);
	assert_true(fake_log_find(f, "rsp 0x0000000000007000") >= 0);
	assert_true(fake_log_find(f, "cs 0x8 ss 0x10 cr0 0x80010033 cr2 0xdead000 cr3 0x3ce58000 "
				     "cr4 0x40668 efer 0x1d00") >= 0);
	/* Not inside an exit: no guest named. */
	assert_int_equal(fake_log_find(f, "while handling"), -1);
	assert_true(fake_log_find(f, "fatal: halting the CPU") == (int)f->nlog - 1);

	/* Inside guest a's IOIO exit, a reserved vector. */
	f->nlog = 0;
	f->vcpu->vmcb->control.exit_code = 0x7b;
	f->m.cpu[0].current = &f->m.guest[0].vcpu[0];
	tf.vector = 22;
	fault_report(&f->m, &tf, &cr);
	assert_string_equal(f->log[0], "monitor: exception vector 22 at rip=0xffffffff8000abcd "
				       "err=0x18");
	assert_true(fake_log_find(f, "while handling guest a's exit 0x7b (ioio)") >= 0);
	fake_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fault_names),
		cmocka_unit_test(test_fault_report),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
