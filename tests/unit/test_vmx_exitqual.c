// SPDX-License-Identifier: GPL-2.0-only
/*
 * VMX exit information decoded: I/O instructions, EPT violations, control-register
 * accesses, interruption information. I/O and EPT decode into the structs the SVM path
 * fills, and are compared with what the SVM decoders make of the same access.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "monitor/svm/svm.h"
#include "monitor/vmx/vmx_exitqual.h"

#define PORT(p) ((uint64_t)(p) << VMX_IOQ_PORT_SHIFT)
#define INFO_ADDR(a) ((uint32_t)(a) << VMX_IOI_ADDR_SHIFT)
#define INFO_SEG(s) ((uint32_t)(s) << VMX_IOI_SEG_SHIFT)

static void test_vmx_io_in_out(void **state)
{
	struct vmx_io_exit x;

	/* OUT DX, AL to COM1 */
	assert_int_equal(vmx_io_decode(PORT(0x3f8), 0, true, &x), 0);
	assert_int_equal(x.a.port, 0x3f8);
	assert_int_equal(x.a.size, 1);
	assert_false(x.a.in || x.a.string || x.a.rep || x.imm);
	assert_int_equal(x.a.addr_size, 0);
	/* IN EAX, 0x71 */
	assert_int_equal(vmx_io_decode(PORT(0x71) | 3 | VMX_IOQ_IN | VMX_IOQ_IMM, 0, true, &x), 0);
	assert_int_equal(x.a.port, 0x71);
	assert_int_equal(x.a.size, 4);
	assert_true(x.a.in && x.imm);
	assert_false(x.a.string);
	/* IN AX, DX at the top port */
	assert_int_equal(vmx_io_decode(PORT(0xffff) | 1 | VMX_IOQ_IN, 0, true, &x), 0);
	assert_int_equal(x.a.port, 0xffff);
	assert_int_equal(x.a.size, 2);
}

static void test_vmx_io_string(void **state)
{
	struct vmx_io_exit x;

	/* REP OUTSW from FS with 32-bit addresses */
	assert_int_equal(vmx_io_decode(PORT(0x80) | 1 | VMX_IOQ_STRING | VMX_IOQ_REP,
				       INFO_ADDR(1) | INFO_SEG(4), true, &x), 0);
	assert_true(x.a.string && x.a.rep);
	assert_false(x.a.in);
	assert_int_equal(x.a.size, 2);
	assert_int_equal(x.a.addr_size, 4);
	assert_int_equal(x.seg, 4);
	/* REP INSB with 64-bit addresses: ES, whatever the undefined segment field holds */
	assert_int_equal(vmx_io_decode(PORT(0x60) | VMX_IOQ_IN | VMX_IOQ_STRING | VMX_IOQ_REP,
				       INFO_ADDR(2) | INFO_SEG(7), true, &x), 0);
	assert_int_equal(x.a.addr_size, 8);
	assert_int_equal(x.seg, 0);
	/* 16-bit OUTSD */
	assert_int_equal(vmx_io_decode(PORT(0x80) | 3 | VMX_IOQ_STRING, INFO_ADDR(0) | INFO_SEG(3),
				       true, &x), 0);
	assert_int_equal(x.a.addr_size, 2);
	assert_int_equal(x.seg, 3);
	/* Without instruction information (BASIC bit 54 clear): the caller's default. */
	assert_int_equal(vmx_io_decode(PORT(0x80) | VMX_IOQ_STRING, INFO_ADDR(2) | INFO_SEG(4),
				       false, &x), 0);
	assert_int_equal(x.a.addr_size, 0);
	assert_int_equal(x.seg, 3);
	assert_int_equal(vmx_io_decode(PORT(0x80) | VMX_IOQ_STRING | VMX_IOQ_IN, 0, false, &x), 0);
	assert_int_equal(x.seg, 0);
}

static void test_vmx_io_rejects(void **state)
{
	struct vmx_io_exit x;

	assert_int_equal(vmx_io_decode(PORT(0x80) | 2, 0, true, &x), -EINVAL);	/* 3 bytes */
	assert_int_equal(vmx_io_decode(PORT(0x80) | 4, 0, true, &x), -EINVAL);
	assert_int_equal(vmx_io_decode(PORT(0x80) | (1ULL << 7), 0, true, &x), -EINVAL);
	assert_int_equal(vmx_io_decode(PORT(0x80) | (1ULL << 15), 0, true, &x), -EINVAL);
	assert_int_equal(vmx_io_decode(PORT(0x80) | (1ULL << 32), 0, true, &x), -EINVAL);
	assert_int_equal(vmx_io_decode(PORT(0x80) | VMX_IOQ_STRING | VMX_IOQ_IMM, 0, true, &x),
			 -EINVAL);
	assert_int_equal(vmx_io_decode(PORT(0x80) | VMX_IOQ_STRING, INFO_ADDR(3), true, &x),
			 -EINVAL);
	assert_int_equal(vmx_io_decode(PORT(0x80) | VMX_IOQ_STRING, INFO_SEG(6), true, &x),
			 -EINVAL);
}

/* The same accesses through SVM's IOIO EXITINFO1 decode to the same struct io_access. */
static void test_vmx_io_matches_svm(void **state)
{
	static const struct {
		uint64_t qual;
		uint32_t info;
		uint64_t svm;
	} same[] = {
		{ PORT(0x3f8), 0, (0x3f8ULL << 16) | SVM_IOIO_SZ8 },
		{ PORT(0x71) | 3 | VMX_IOQ_IN | VMX_IOQ_IMM, 0,
		  (0x71ULL << 16) | SVM_IOIO_SZ32 | SVM_IOIO_IN },
		{ PORT(0x80) | 1 | VMX_IOQ_STRING | VMX_IOQ_REP, INFO_ADDR(1) | INFO_SEG(3),
		  (0x80ULL << 16) | SVM_IOIO_SZ16 | SVM_IOIO_STR | SVM_IOIO_REP | SVM_IOIO_A32 },
		{ PORT(0x1f0) | 1 | VMX_IOQ_IN | VMX_IOQ_STRING | VMX_IOQ_REP, INFO_ADDR(2),
		  (0x1f0ULL << 16) | SVM_IOIO_SZ16 | SVM_IOIO_IN | SVM_IOIO_STR | SVM_IOIO_REP |
			  SVM_IOIO_A64 },
	};

	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		struct vmx_io_exit x;
		struct io_access s;

		memset(&s, 0, sizeof(s));
		assert_int_equal(vmx_io_decode(same[i].qual, same[i].info, true, &x), 0);
		assert_int_equal(io_decode_svm(same[i].svm, &s), 0);
		assert_int_equal(x.a.port, s.port);
		assert_int_equal(x.a.size, s.size);
		assert_int_equal(x.a.in, s.in);
		assert_int_equal(x.a.string, s.string);
		assert_int_equal(x.a.rep, s.rep);
		assert_int_equal(x.a.addr_size, s.addr_size);
	}
}

static void test_vmx_ept_violations(void **state)
{
	struct vmx_ept_violation v;

	/* What Bochs reported for a read of an unmapped page: 0x181. */
	vmx_ept_decode(0x181, 0x12345678, 0xffff800012345678ULL, &v);
	assert_int_equal(v.a.gpa, 0x12345678);
	assert_true(v.a.read);
	assert_false(v.a.write || v.a.fetch);
	assert_false(v.a.present);
	assert_false(v.can_read || v.can_write || v.can_exec);
	assert_true(v.a.gla_valid && v.a.final);
	assert_false(v.a.tables);
	assert_int_equal(v.a.gla, 0xffff800012345678ULL);
	assert_false(v.nmi_unblock);

	/* A write to the read-only zero page: mapped R and X, not W. */
	vmx_ept_decode(VMX_EPTQ_WRITE | VMX_EPTQ_CAN_READ | VMX_EPTQ_CAN_EXEC | VMX_EPTQ_GLA_VALID |
		       VMX_EPTQ_GLA_FINAL, 0xf0000, 0xf0000, &v);
	assert_true(v.a.write && v.a.present);
	assert_true(v.can_read && v.can_exec);
	assert_false(v.can_write || v.a.read);

	/* A fetch from a page mapped without X (an EPT entry readable only). */
	vmx_ept_decode(VMX_EPTQ_FETCH | VMX_EPTQ_CAN_READ | VMX_EPTQ_GLA_VALID | VMX_EPTQ_GLA_FINAL,
		       0x9f000, 0x9f000, &v);
	assert_true(v.a.fetch && v.a.present);
	assert_false(v.can_exec);

	/* The CPU walking the guest's page tables (bit 8 clear). */
	vmx_ept_decode(VMX_EPTQ_READ | VMX_EPTQ_GLA_VALID, 0x3000, 0x401000, &v);
	assert_true(v.a.tables);
	assert_false(v.a.final);

	/* Loading PDPTEs (MOV to CR3 with PAE): no linear address at all. */
	vmx_ept_decode(VMX_EPTQ_READ | VMX_EPTQ_NMI_UNBLOCK, 0x5000, 0xdead, &v);
	assert_false(v.a.gla_valid || v.a.tables || v.a.final);
	assert_int_equal(v.a.gla, 0);
	assert_true(v.nmi_unblock);
}

/* SVM's #NPF and VMX's EPT violation describe the same fault the same way. */
static void test_vmx_ept_matches_svm(void **state)
{
	static const struct {
		uint64_t qual, svm;
	} same[] = {
		/* read, not present, final translation */
		{ VMX_EPTQ_READ | VMX_EPTQ_GLA_VALID | VMX_EPTQ_GLA_FINAL, SVM_NPF_FINAL },
		/* write to a present read-only page */
		{ VMX_EPTQ_WRITE | VMX_EPTQ_CAN_READ | VMX_EPTQ_GLA_VALID | VMX_EPTQ_GLA_FINAL,
		  SVM_NPF_P | SVM_NPF_W | SVM_NPF_FINAL },
		/* fetch, not present */
		{ VMX_EPTQ_FETCH | VMX_EPTQ_GLA_VALID | VMX_EPTQ_GLA_FINAL,
		  SVM_NPF_ID | SVM_NPF_FINAL },
		/* guest page-table read, not present */
		{ VMX_EPTQ_READ | VMX_EPTQ_GLA_VALID, SVM_NPF_TABLES },
	};

	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		struct vmx_ept_violation v;
		struct npf_access s;

		vmx_ept_decode(same[i].qual, 0xfee00000, 0x1000, &v);
		npf_decode_svm(same[i].svm, 0xfee00000, &s);
		assert_int_equal(v.a.gpa, s.gpa);
		assert_int_equal(v.a.read, s.read);
		assert_int_equal(v.a.write, s.write);
		assert_int_equal(v.a.fetch, s.fetch);
		assert_int_equal(v.a.present, s.present);
		assert_int_equal(v.a.tables, s.tables);
		assert_int_equal(v.a.final, s.final);
	}
}

static void test_vmx_cr_access(void **state)
{
	struct vmx_cr_access c;

	assert_int_equal(vmx_cr_decode(0x0, &c), 0);	/* MOV CR0, RAX */
	assert_int_equal(c.cr, 0);
	assert_int_equal(c.type, VMX_CR_MOV_TO);
	assert_int_equal(c.gpr, 0);
	assert_int_equal(vmx_cr_decode(3 | (1 << 4) | (9 << 8), &c), 0);	/* MOV R9, CR3 */
	assert_int_equal(c.cr, 3);
	assert_int_equal(c.type, VMX_CR_MOV_FROM);
	assert_int_equal(c.gpr, 9);
	assert_int_equal(vmx_cr_decode(4 | (4 << 8), &c), 0);	/* MOV CR4, RSP */
	assert_int_equal(c.cr, 4);
	assert_int_equal(c.gpr, 4);
	assert_int_equal(vmx_cr_decode(8 | (15 << 8), &c), 0);	/* MOV CR8, R15 */
	assert_int_equal(c.cr, 8);
	assert_int_equal(c.gpr, 15);
	assert_int_equal(vmx_cr_decode(2 << 4, &c), 0);	/* CLTS */
	assert_int_equal(c.type, VMX_CR_CLTS);
	assert_int_equal(vmx_cr_decode((3 << 4) | (0xbULL << 16), &c), 0);	/* LMSW AX */
	assert_int_equal(c.type, VMX_CR_LMSW);
	assert_int_equal(c.lmsw_data, 0xb);
	assert_false(c.lmsw_mem);
	assert_int_equal(vmx_cr_decode((3 << 4) | (1 << 6) | (0xfff1ULL << 16), &c), 0);
	assert_true(c.lmsw_mem);
	assert_int_equal(c.lmsw_data, 0xfff1);

	assert_int_equal(vmx_cr_decode(2, &c), -EINVAL);		/* MOV to CR2 does not exit */
	assert_int_equal(vmx_cr_decode(1 | (1 << 4), &c), -EINVAL);
	assert_int_equal(vmx_cr_decode(4 | (2 << 4), &c), -EINVAL);	/* CLTS is CR0 */
	assert_int_equal(vmx_cr_decode(3 | (3 << 4), &c), -EINVAL);	/* LMSW is CR0 */
	assert_int_equal(vmx_cr_decode(1 << 7, &c), -EINVAL);
	assert_int_equal(vmx_cr_decode(1 << 12, &c), -EINVAL);
	assert_int_equal(vmx_cr_decode(1ULL << 40, &c), -EINVAL);
}

static void test_vmx_event_decode(void **state)
{
	struct vmx_event_info e;
	struct vcpu_event ev;

	/* #PF with an error code */
	assert_int_equal(vmx_event_decode(0x80000b0e, 2, &e), 0);
	assert_true(e.valid && e.has_error);
	assert_int_equal(e.vector, 14);
	assert_int_equal(e.type, VMX_INTR_HW_EXCEPTION);
	assert_int_equal(e.error, 2);
	assert_int_equal(vmx_event_to_vcpu(&e, &ev), 0);
	assert_int_equal(ev.type, VCPU_EVENT_EXCEPTION);
	assert_int_equal(ev.vector, 14);
	assert_true(ev.has_error);
	assert_int_equal(ev.error, 2);
	/* #UD: the error-code field is not read */
	assert_int_equal(vmx_event_decode(0x80000306, 0x1234, &e), 0);
	assert_false(e.has_error);
	assert_int_equal(e.error, 0);
	/* NMI, and NMI with IRET unblocking */
	assert_int_equal(vmx_event_decode(0x80000202, 0, &e), 0);
	assert_int_equal(e.type, VMX_INTR_NMI);
	assert_false(e.nmi_unblock);
	assert_int_equal(vmx_event_to_vcpu(&e, &ev), 0);
	assert_int_equal(ev.type, VCPU_EVENT_NMI);
	assert_int_equal(vmx_event_decode(0x80001202, 0, &e), 0);
	assert_true(e.nmi_unblock);
	/* An external interrupt being delivered when the exit came */
	assert_int_equal(vmx_event_decode(0x800000ef, 0, &e), 0);
	assert_int_equal(e.type, VMX_INTR_EXT);
	assert_int_equal(vmx_event_to_vcpu(&e, &ev), 0);
	assert_int_equal(ev.type, VCPU_EVENT_INTR);
	assert_int_equal(ev.vector, 0xef);
	/* INT 0x80 and INT3 need the instruction length: not a vcpu_event */
	assert_int_equal(vmx_event_decode(0x80000480, 0, &e), 0);
	assert_int_equal(e.type, VMX_INTR_SW_INT);
	assert_int_equal(vmx_event_to_vcpu(&e, &ev), -EOPNOTSUPP);
	assert_int_equal(vmx_event_decode(0x80000603, 0, &e), 0);
	assert_int_equal(e.type, VMX_INTR_SW_EXCEPTION);
	assert_int_equal(vmx_event_to_vcpu(&e, &ev), -EOPNOTSUPP);
	/* Nothing there; reserved type; reserved bits */
	assert_int_equal(vmx_event_decode(0x00000b0e, 0, &e), 0);
	assert_false(e.valid);
	assert_int_equal(vmx_event_to_vcpu(&e, &ev), -EINVAL);
	assert_int_equal(vmx_event_decode(0x80000100, 0, &e), -EINVAL);
	assert_int_equal(vmx_event_decode(0x80100020, 0, &e), -EINVAL);
	assert_int_equal(vmx_event_decode(0xc0000020, 0, &e), -EINVAL);
}

static void test_vmx_event_encode(void **state)
{
	static const struct vcpu_event evs[] = {
		{ VCPU_EVENT_EXCEPTION, VCPU_VEC_GP, true, 0x10 },
		{ VCPU_EVENT_EXCEPTION, VCPU_VEC_UD, false, 0 },
		{ VCPU_EVENT_EXCEPTION, VCPU_VEC_PF, true, 0x7 },
		{ VCPU_EVENT_INTR, 0x30, false, 0 },
		{ VCPU_EVENT_NMI, 2, false, 0 },
	};
	static const uint32_t info[] = { 0x80000b0d, 0x80000306, 0x80000b0e, 0x80000030,
					 0x80000202 };
	struct vcpu_event nmi = { VCPU_EVENT_NMI, 0, false, 0 };
	uint32_t err;

	for (size_t i = 0; i < sizeof(evs) / sizeof(evs[0]); i++) {
		struct vmx_event_info e;
		struct vcpu_event back;

		assert_int_equal(vmx_event_encode(&evs[i], true, &err), info[i]);
		assert_int_equal(err, evs[i].has_error ? evs[i].error : 0);
		/* And back: what an exit during its delivery would report. */
		assert_int_equal(vmx_event_decode(info[i], err, &e), 0);
		assert_int_equal(vmx_event_to_vcpu(&e, &back), 0);
		assert_int_equal(back.type, evs[i].type);
		assert_int_equal(back.vector, evs[i].vector);
		assert_int_equal(back.has_error, evs[i].has_error);
		assert_int_equal(back.error, evs[i].error);
	}
	assert_int_equal(vmx_event_encode(&nmi, true, &err), 0x80000202);	/* vector 2 always */
	/* Real mode (unrestricted guest): no error code, or VM entry fails. */
	assert_int_equal(vmx_event_encode(&evs[0], false, &err), 0x80000300 | VCPU_VEC_GP);
	assert_int_equal(err, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vmx_io_in_out),
		cmocka_unit_test(test_vmx_io_string),
		cmocka_unit_test(test_vmx_io_rejects),
		cmocka_unit_test(test_vmx_io_matches_svm),
		cmocka_unit_test(test_vmx_ept_violations),
		cmocka_unit_test(test_vmx_ept_matches_svm),
		cmocka_unit_test(test_vmx_cr_access),
		cmocka_unit_test(test_vmx_event_decode),
		cmocka_unit_test(test_vmx_event_encode),
	};
	return cmocka_run_group_tests_name("vmx_exitqual", tests, NULL, NULL);
}
