// SPDX-License-Identifier: GPL-2.0-only
/*
 * Nested page faults the monitor emulates (monitor/exit_npf.c): MOVs to and from the guest's
 * xAPIC page reach its vLAPIC, writes to the read-only zero page under 1 MiB are dropped;
 * the instruction is fetched from guest memory (through the guest's page tables in long
 * mode, physically with paging off) and decoded. Everything else is refused.
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
#define LAPIC	0xfee00000ULL

/* Guest a with boot tables (GDT, identity-mapping PML4/PDPT) in its first pages, in 64-bit
 * mode at CODE, xAPIC enabled. */
static int setup(void **state)
{
	struct fake *f = fake_new();

	if (!f || fake_long_mode(f, CODE))
		return -1;
	vlapic_init(&f->m.guest[0].vcpu[0].lapic, 0, false, f->m.tsc_khz, 100000);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fake_free(*state);
	return 0;
}

static void put_code(struct fake *f, uint64_t gpa, const uint8_t *code, size_t n)
{
	uint8_t *p = fake_phys(f, gpa);

	assert_non_null(p);
	memcpy(p, code, n);
}

static bool npf(struct fake *f, uint64_t info1, uint64_t gpa)
{
	f->vcpu->vmcb->control.exit_info1 = info1;
	f->vcpu->vmcb->control.exit_info2 = gpa;
	return fake_npf_emulate(f);
}

/* The exit information of a guest access to a page the nested tables do not map. */
#define NPF_READ	(SVM_NPF_FINAL)
#define NPF_WRITE	(SVM_NPF_FINAL | SVM_NPF_W)

static void test_npf_lapic_read_version(void **state)
{
	/* mov eax, [rdi + 0xfee00030] */
	static const uint8_t code[] = { 0x8b, 0x87, 0x30, 0x00, 0xe0, 0xfe, 0xcc };
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];

	put_code(f, CODE, code, sizeof(code));
	g->vcpu[0].regs.rax = 0xdeadbeefdeadbeefULL;
	g->vcpu[0].regs.rdi = 0;
	assert_true(npf(f, NPF_READ, LAPIC + VLAPIC_LVR));
	/* A 32-bit load zero-extends. */
	assert_int_equal(g->vcpu[0].regs.rax, VLAPIC_VERSION);
	assert_int_equal(g->vcpu[0].regs.rax, 0x00050014);
	assert_int_equal(f->vcpu->vmcb->save.rip, CODE + 6);
	assert_int_equal(g->vcpu[0].regs.rdi, 0);
	assert_int_equal(f->nlog, 0);
}

static void test_npf_lapic_read_other_registers(void **state)
{
	/* mov r9d, [rip + 0x100]  (44 8B 0D disp32): a REX.R destination. */
	static const uint8_t code[] = { 0x44, 0x8b, 0x0d, 0x00, 0x01, 0x00, 0x00 };
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];

	put_code(f, CODE, code, sizeof(code));
	g->vcpu[0].regs.r9 = ~0ULL;
	/* Spurious-interrupt vector register: 0xff after reset. */
	assert_true(npf(f, NPF_READ, LAPIC + VLAPIC_SVR));
	assert_int_equal(g->vcpu[0].regs.r9, 0xff);
	assert_int_equal(f->vcpu->vmcb->save.rip, CODE + 7);
}

static void test_npf_lapic_write_tpr(void **state)
{
	/* mov [rdi + 0xfee00080], esi */
	static const uint8_t code[] = { 0x89, 0xb7, 0x80, 0x00, 0xe0, 0xfe };
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];
	uint32_t tpr = 0;

	put_code(f, CODE, code, sizeof(code));
	g->vcpu[0].regs.rsi = 0xffffffff00000020ULL;
	g->vcpu[0].regs.rdi = 0;
	assert_true(npf(f, NPF_WRITE, LAPIC + VLAPIC_TPR));
	assert_int_equal(vlapic_mmio_read(&g->vcpu[0].lapic, VLAPIC_TPR, 0, &tpr), 0);
	assert_int_equal(tpr, 0x20);
	assert_int_equal(f->vcpu->vmcb->save.rip, CODE + 6);
	/* The source register is left as it was. */
	assert_int_equal(g->vcpu[0].regs.rsi, 0xffffffff00000020ULL);
}

static void test_npf_lapic_write_eoi_immediate(void **state)
{
	/* mov dword [rax + 0xb0], 0  (C7 80 disp32 imm32) */
	static const uint8_t code[] = { 0xc7, 0x80, 0xb0, 0x00, 0x00, 0x00, 0, 0, 0, 0 };
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];

	assert_int_equal(vlapic_mmio_write(&g->vcpu[0].lapic, VLAPIC_SVR, VLAPIC_SVR_ENABLE | 0xff,
					   0), 0);
	assert_int_equal(vlapic_raise(&g->vcpu[0].lapic, 0x41, false), 0);
	vlapic_accept(&g->vcpu[0].lapic, 0x41);
	assert_int_equal(vlapic_raise(&g->vcpu[0].lapic, 0x31, false), 0);
	assert_int_equal(vlapic_pending(&g->vcpu[0].lapic), -1);
	put_code(f, CODE, code, sizeof(code));
	g->vcpu[0].regs.rax = LAPIC;
	assert_true(npf(f, NPF_WRITE, LAPIC + VLAPIC_EOI));
	assert_int_equal(f->vcpu->vmcb->save.rip, CODE + 10);
	/* 0x41 is done: 0x31 comes through. */
	assert_int_equal(vlapic_pending(&g->vcpu[0].lapic), 0x31);
}

static void test_npf_lapic_odd_sizes(void **state)
{
	/* mov al, [rdi + 0x30]: a byte read of a register reads ones (undefined). */
	static const uint8_t rd8[] = { 0x8a, 0x47, 0x30 };
	/* mov word [rdi + 0x80], si: anything but a dword is dropped. */
	static const uint8_t wr16[] = { 0x66, 0x89, 0x77, 0x80 };
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];

	put_code(f, CODE, rd8, sizeof(rd8));
	g->vcpu[0].regs.rax = 0x1234;
	assert_true(npf(f, NPF_READ, LAPIC + VLAPIC_LVR));
	assert_int_equal(g->vcpu[0].regs.rax, 0x12ff);
	assert_int_equal(f->vcpu->vmcb->save.rip, CODE + 3);

	f->vcpu->vmcb->save.rip = CODE;
	put_code(f, CODE, wr16, sizeof(wr16));
	g->vcpu[0].regs.rsi = 0x30;
	assert_true(npf(f, NPF_WRITE, LAPIC + VLAPIC_TPR));
	assert_int_equal(g->vcpu[0].lapic.tpr, 0);
	assert_int_equal(f->vcpu->vmcb->save.rip, CODE + 4);
}

static void test_npf_undecodable(void **state)
{
	/* inc dword [rdi]: not a MOV. */
	static const uint8_t code[] = { 0xff, 0x07 };
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];

	put_code(f, CODE, code, sizeof(code));
	g->vcpu[0].regs.rax = 0x77;
	assert_false(npf(f, NPF_WRITE, LAPIC + VLAPIC_TPR));
	assert_int_equal(f->vcpu->vmcb->save.rip, CODE);
	assert_int_equal(g->vcpu[0].regs.rax, 0x77);
	assert_int_equal(g->vcpu[0].lapic.tpr, 0);
	assert_true(fake_log_find(f, "monitor: guest a: cannot emulate the instruction at rip "
				     "0x40010000") >= 0);
	assert_true(fake_log_find(f, "ff 07") >= 0);
}

static void test_npf_direction_differs(void **state)
{
	/* A read instruction, but the fault says write: the code changed under us. */
	static const uint8_t code[] = { 0x8b, 0x87, 0x30, 0x00, 0xe0, 0xfe };
	struct fake *f = *state;

	put_code(f, CODE, code, sizeof(code));
	assert_false(npf(f, NPF_WRITE, LAPIC + VLAPIC_LVR));
	assert_int_equal(f->vcpu->vmcb->save.rip, CODE);
	assert_true(fake_log_find(f, "direction differs") >= 0);
}

static void test_npf_unfetchable_code(void **state)
{
	struct fake *f = *state;

	/* RIP outside the guest's RAM (identity mapped, but not memory the monitor reads). */
	f->vcpu->vmcb->save.rip = 0x80000000ULL;
	assert_false(npf(f, NPF_READ, LAPIC + VLAPIC_LVR));
	assert_int_equal(f->vcpu->vmcb->save.rip, 0x80000000ULL);
	assert_true(fake_log_find(f, "cannot emulate the instruction at rip 0x80000000 (0 bytes") >=
		    0);
}

static void test_npf_zero_page_write_skipped(void **state)
{
	/* mov dword [rdi], 0 */
	static const uint8_t code[] = { 0xc7, 0x07, 0x00, 0x00, 0x00, 0x00 };
	struct fake *f = *state;

	put_code(f, CODE, code, sizeof(code));
	f->m.guest[0].vcpu[0].regs.rdi = 0x9f000;
	assert_true(npf(f, SVM_NPF_FINAL | SVM_NPF_P | SVM_NPF_W, 0x9f000));
	assert_int_equal(f->vcpu->vmcb->save.rip, CODE + 6);
	assert_false(f->m.guest[0].stopped);
}

static void test_npf_zero_page_other_faults_refused(void **state)
{
	static const uint8_t code[] = { 0xc7, 0x07, 0x00, 0x00, 0x00, 0x00 };
	struct fake *f = *state;

	put_code(f, CODE, code, sizeof(code));
	/* Not mapped at all (no P): an isolation violation, not the zero page. */
	assert_false(npf(f, NPF_WRITE, 0x9f000));
	/* At 1 MiB and above: not the zero page. */
	assert_false(npf(f, SVM_NPF_FINAL | SVM_NPF_P | SVM_NPF_W, 0x100000));
	/* A read of a present page does not fault for a reason we emulate. */
	assert_false(npf(f, SVM_NPF_FINAL | SVM_NPF_P, 0x9f000));
	assert_int_equal(f->vcpu->vmcb->save.rip, CODE);
}

static void test_npf_fetch_and_table_faults_refused(void **state)
{
	static const uint8_t code[] = { 0x8b, 0x87, 0x30, 0x00, 0xe0, 0xfe };
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];

	put_code(f, CODE, code, sizeof(code));
	g->vcpu[0].regs.rax = 0x55;
	/* Executing from the APIC page. */
	assert_false(npf(f, SVM_NPF_FINAL | SVM_NPF_ID, LAPIC + VLAPIC_LVR));
	/* A guest page table on the APIC page. */
	assert_false(npf(f, SVM_NPF_TABLES, LAPIC + VLAPIC_LVR));
	/* A protection fault on a present APIC page is not the vLAPIC's (the page is never
	 * mapped for a guest whose vLAPIC the monitor emulates). */
	assert_false(npf(f, SVM_NPF_FINAL | SVM_NPF_P | SVM_NPF_W, LAPIC + VLAPIC_TPR));
	assert_false(npf(f, SVM_NPF_FINAL | SVM_NPF_P, LAPIC + VLAPIC_LVR));
	/* The zero page, executed or walked. */
	assert_false(npf(f, SVM_NPF_FINAL | SVM_NPF_P | SVM_NPF_W | SVM_NPF_ID, 0x9f000));
	assert_false(npf(f, SVM_NPF_TABLES | SVM_NPF_P | SVM_NPF_W, 0x9f000));
	assert_int_equal(g->vcpu[0].regs.rax, 0x55);
	assert_int_equal(f->vcpu->vmcb->save.rip, CODE);
}

static void test_npf_lapic_not_in_xapic_mode(void **state)
{
	static const uint8_t code[] = { 0x8b, 0x87, 0x30, 0x00, 0xe0, 0xfe };
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];

	put_code(f, CODE, code, sizeof(code));
	/* x2APIC: the page is not the APIC's any more. */
	vlapic_init(&g->vcpu[0].lapic, 0, true, f->m.tsc_khz, 100000);
	g->vcpu[0].regs.rax = 0x55;
	assert_false(npf(f, NPF_READ, LAPIC + VLAPIC_LVR));
	/* Disabled altogether. */
	memset(&g->vcpu[0].lapic, 0, sizeof(g->vcpu[0].lapic));
	assert_false(npf(f, NPF_READ, LAPIC + VLAPIC_LVR));
	assert_int_equal(g->vcpu[0].regs.rax, 0x55);
	assert_int_equal(f->vcpu->vmcb->save.rip, CODE);
}

/* Protected mode without paging: RIP (plus CS base) is a guest-physical address. */
static void flat32(struct fake *f, uint64_t cs_base, uint64_t rip, bool d)
{
	struct vmcb *v = f->vcpu->vmcb;

	v->save.cr0 = CR0_PE | CR0_ET;
	v->save.cr4 = 0;
	v->save.efer = EFER_SVME;
	v->save.cs.base = cs_base;
	v->save.cs.attrib = (uint16_t)(0x9b | (d ? 1u << 10 : 0));
	v->save.rip = rip;
}

static void test_npf_unpaged_32bit(void **state)
{
	/* mov eax, [edi + 0xfee00030] */
	static const uint8_t rd[] = { 0x8b, 0x87, 0x30, 0x00, 0xe0, 0xfe };
	/* mov [edi + 0xfee00080], esi */
	static const uint8_t wr[] = { 0x89, 0xb7, 0x80, 0x00, 0xe0, 0xfe };
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];

	flat32(f, 0, CODE, true);
	put_code(f, CODE, rd, sizeof(rd));
	g->vcpu[0].regs.rax = 0xffffffffffffffffULL;
	assert_true(npf(f, NPF_READ, LAPIC + VLAPIC_LVR));
	assert_int_equal(g->vcpu[0].regs.rax, 0x00050014);
	assert_int_equal(f->vcpu->vmcb->save.rip, CODE + 6);

	put_code(f, CODE + 6, wr, sizeof(wr));
	g->vcpu[0].regs.rsi = 0x30;
	assert_true(npf(f, NPF_WRITE, LAPIC + VLAPIC_TPR));
	assert_int_equal(g->vcpu[0].lapic.tpr, 0x30);
	assert_int_equal(f->vcpu->vmcb->save.rip, CODE + 12);
}

static void test_npf_unpaged_16bit_cs_base(void **state)
{
	/* 16-bit code: 66 8B 87 disp16 = mov eax, [bx + 0x0030], at CS base + IP. */
	static const uint8_t rd[] = { 0x66, 0x8b, 0x87, 0x30, 0x00 };
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];

	flat32(f, CODE, 0x100, false);
	put_code(f, CODE + 0x100, rd, sizeof(rd));
	g->vcpu[0].regs.rax = 0xffffffffffffffffULL;
	assert_true(npf(f, NPF_READ, LAPIC + VLAPIC_LVR));
	assert_int_equal(g->vcpu[0].regs.rax, 0x00050014);
	assert_int_equal(f->vcpu->vmcb->save.rip, 0x105);
}

static void test_npf_exit_dispatch(void **state)
{
	static const uint8_t code[] = { 0x8b, 0x87, 0x30, 0x00, 0xe0, 0xfe };
	struct fake *f = *state;
	struct vmcb *v = f->vcpu->vmcb;

	put_code(f, CODE, code, sizeof(code));
	v->control.exit_code = SVM_EXIT_NPF;
	v->control.exit_info1 = NPF_READ;
	v->control.exit_info2 = LAPIC + VLAPIC_LVR;
	v->save.rax = 0;
	assert_int_equal(svm_exit_dispatch(&f->m, &f->m.guest[0].vcpu[0]), EXIT_RESUME);
	/* RAX lives in the VMCB while the guest runs: the read reached it. */
	assert_int_equal(v->save.rax, 0x00050014);
	assert_int_equal(v->save.rip, CODE + 6);
	assert_false(f->m.guest[0].stopped);

	/* Not emulated: an isolation violation stops the guest. */
	v->control.exit_code = SVM_EXIT_NPF;
	v->control.exit_info1 = NPF_READ;
	v->control.exit_info2 = 0x90000000ULL;
	assert_int_equal(svm_exit_dispatch(&f->m, &f->m.guest[0].vcpu[0]), EXIT_STOP);
	assert_true(f->m.guest[0].stopped);
	assert_true(fake_log_find(f, "isolation violation: nested page fault at gpa 0x90000000") >=
		    0);
}

static void test_npf_zero_page_write_logged_once(void **state)
{
	/* mov dword [rdi], 0 twice, then mov byte [rdi], 0 */
	static const uint8_t code[] = { 0xc7, 0x07, 0x00, 0x00, 0x00, 0x00,
					0xc7, 0x07, 0x00, 0x00, 0x00, 0x00, 0xc6, 0x07, 0x00 };
	struct fake *f = *state;

	put_code(f, CODE, code, sizeof(code));
	assert_true(npf(f, SVM_NPF_FINAL | SVM_NPF_P | SVM_NPF_W, 0x9f000));
	assert_true(npf(f, SVM_NPF_FINAL | SVM_NPF_P | SVM_NPF_W, 0x9f004));
	assert_true(npf(f, SVM_NPF_FINAL | SVM_NPF_P | SVM_NPF_W, 0x500));
	assert_int_equal(f->vcpu->vmcb->save.rip, CODE + 15);
	assert_int_equal(f->nlog, 1);
	assert_true(fake_log_find(f, "monitor: guest a: write to 0x9f000 (4 bytes, below 1 MiB") >=
		    0);
}

static enum exit_action npf_exit(struct fake *f, uint64_t info1, uint64_t gpa)
{
	struct vmcb *v = f->vcpu->vmcb;

	v->control.exit_code = SVM_EXIT_NPF;
	v->control.exit_info1 = info1;
	v->control.exit_info2 = gpa;
	v->control.exit_int_info = 0;
	return svm_exit_dispatch(&f->m, &f->m.guest[0].vcpu[0]);
}

/* Real mode at F000:FFF0, as after a far jump to the reset vector. */
static void real_mode_at_reset_vector(struct fake *f)
{
	struct vmcb *v = f->vcpu->vmcb;

	v->save.cr0 = CR0_ET;
	v->save.cr4 = 0;
	v->save.efer = EFER_SVME;
	v->save.cs.selector = 0xf000;
	v->save.cs.base = 0xf0000;
	v->save.cs.attrib = 0x9b;
	v->save.rip = 0xfff0;
}

static unsigned npf_restarts;

static int npf_restart(struct monitor *m, struct guest *g)
{
	npf_restarts++;
	return 0;
}

static void test_npf_jump_to_reset_vector_is_a_reset(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];
	struct monitor_guest_boot boot = { .on_reset = MONITOR_RESET_RESTART, .nr_segs = 1 };

	g->boot = &boot;
	f->m.restart = npf_restart;
	real_mode_at_reset_vector(f);
	assert_int_equal(npf_exit(f, SVM_NPF_FINAL | SVM_NPF_ID, 0xffff0), EXIT_YIELD);
	assert_true(g->restart_pending);
	assert_false(g->stopped);
	assert_true(fake_log_find(f, "monitor: guest a: jump to the reset vector: restarting it") >=
		    0);
	assert_int_equal(fake_log_find(f, "isolation violation"), -1);

	/* It cannot be ignored: the guest would fetch there again forever. */
	g->restart_pending = false;
	boot.on_reset = MONITOR_RESET_IGNORE;
	assert_int_equal(npf_exit(f, SVM_NPF_FINAL | SVM_NPF_ID, 0xffff0), EXIT_STOP);
	assert_true(g->stopped);
	assert_true(fake_log_find(f, "stopped: jump to the reset vector") >= 0);
	assert_int_equal(npf_restarts, 0);
}

static void test_npf_reset_vector_only_fetched_in_real_mode(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];
	struct monitor_guest_boot boot = { .on_reset = MONITOR_RESET_RESTART, .nr_segs = 1 };

	g->boot = &boot;
	f->m.restart = npf_restart;
	/* A data read of 0xffff0 is not a jump there. */
	real_mode_at_reset_vector(f);
	assert_int_equal(npf_exit(f, SVM_NPF_FINAL, 0xffff0), EXIT_STOP);
	assert_true(g->stopped);
	assert_false(g->restart_pending);
	assert_true(fake_log_find(f, "isolation violation: nested page fault at gpa 0xffff0") >= 0);
}

static void test_npf_reset_vector_in_protected_mode_stops(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];
	struct monitor_guest_boot boot = { .on_reset = MONITOR_RESET_RESTART, .nr_segs = 1 };

	g->boot = &boot;
	f->m.restart = npf_restart;
	/* 64-bit code fetching from 0xffff0: not a reset. */
	assert_int_equal(npf_exit(f, SVM_NPF_FINAL | SVM_NPF_ID, 0xffff0), EXIT_STOP);
	assert_true(g->stopped);
	assert_false(g->restart_pending);
}

static void test_npf_other_real_mode_fetch_stops(void **state)
{
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];
	struct monitor_guest_boot boot = { .on_reset = MONITOR_RESET_RESTART, .nr_segs = 1 };

	g->boot = &boot;
	f->m.restart = npf_restart;
	real_mode_at_reset_vector(f);
	assert_int_equal(npf_exit(f, SVM_NPF_FINAL | SVM_NPF_ID, 0xfe05b), EXIT_STOP);
	assert_true(g->stopped);
	assert_false(g->restart_pending);
}

/*
 * A fault on the xAPIC page while the CPU pushed an interrupt frame there (its stack points
 * into the page): the MOV at RIP is not the cause and must not be emulated; the guest stops.
 */
static void test_npf_during_event_delivery_stops(void **state)
{
	/* mov [rdi + 0xfee00080], eax: what RIP happens to hold */
	static const uint8_t code[] = { 0x89, 0x87, 0x80, 0x00, 0xe0, 0xfe };
	struct fake *f = *state;
	struct guest *g = &f->m.guest[0];
	struct vmcb *v = f->vcpu->vmcb;
	uint32_t tpr = 1;

	put_code(f, CODE, code, sizeof(code));
	g->vcpu[0].regs.rdi = 0;
	g->vcpu[0].regs.rax = 0x20;
	v->control.exit_code = SVM_EXIT_NPF;
	v->control.exit_info1 = NPF_WRITE;
	v->control.exit_info2 = LAPIC + 0xff8;
	v->control.exit_int_info = VMCB_EVENT_VALID | VMCB_EVENT_TYPE_INTR | 0x41;
	assert_int_equal(svm_exit_dispatch(&f->m, &g->vcpu[0]), EXIT_STOP);
	assert_true(g->stopped);
	assert_int_equal(v->save.rip, CODE);
	assert_int_equal(vlapic_mmio_read(&g->vcpu[0].lapic, 0x80, 0, &tpr), 0);
	assert_int_equal(tpr, 0);		/* the MOV was not emulated */
	assert_true(fake_log_find(f, "while delivering vector 65") >= 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_npf_lapic_read_version, setup, teardown),
		cmocka_unit_test_setup_teardown(test_npf_lapic_read_other_registers, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_npf_lapic_write_tpr, setup, teardown),
		cmocka_unit_test_setup_teardown(test_npf_lapic_write_eoi_immediate, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_npf_lapic_odd_sizes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_npf_undecodable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_npf_direction_differs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_npf_unfetchable_code, setup, teardown),
		cmocka_unit_test_setup_teardown(test_npf_zero_page_write_skipped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_npf_zero_page_other_faults_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_npf_fetch_and_table_faults_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_npf_lapic_not_in_xapic_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_npf_unpaged_32bit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_npf_unpaged_16bit_cs_base, setup, teardown),
		cmocka_unit_test_setup_teardown(test_npf_exit_dispatch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_npf_zero_page_write_logged_once, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_npf_jump_to_reset_vector_is_a_reset, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_npf_during_event_delivery_stops, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_npf_reset_vector_only_fetched_in_real_mode,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_npf_reset_vector_in_protected_mode_stops,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_npf_other_real_mode_fetch_stops, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
