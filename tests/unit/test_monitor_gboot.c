// SPDX-License-Identifier: GPL-2.0-only
/*
 * A guest's boot environment: the boot pages count, the GDT and identity tables they hold
 * (checked by walking them as the CPU would), the start state, the VMCB built from it, and
 * the guest page walker on hand-made 4 KiB and 2 MiB mappings.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "loader/trampoline.h"
#include "monitor/gboot.h"
#include "monitor/gva.h"
#include "monitor/svm/svm.h"
#include "monitor/test_fake.h"

#define GIB (1ULL << 30)

static void test_gboot_pages(void **state)
{
	struct partition_range low = { 0x100000, 0x20000000 };
	struct partition_range high[] = { { 0x100000, 0x200000 },
					  { 600 * GIB, 601 * GIB },
					  { 1100 * GIB, 1100 * GIB + 0x1000 } };

	assert_int_equal(monitor_guest_boot_pages(&low, 1), 3);
	assert_int_equal(monitor_guest_boot_pages(NULL, 0), 3);
	assert_int_equal(monitor_guest_boot_pages(high, 2), 4);
	assert_int_equal(monitor_guest_boot_pages(high, 3), 5);
}

static struct gva_paging paging(uint64_t cr3)
{
	return (struct gva_paging){ CR0_PG | CR0_PE | CR0_WP, cr3, CR4_PAE, EFER_LME | EFER_LMA,
				    0 };
}

static void test_gboot_identity_map(void **state)
{
	struct fake *f = fake_new();
	struct gboot_layout l;
	struct gva_paging p;
	uint64_t gpa, *gdt = (uint64_t *)f->ram;
	uint32_t pf;

	assert_int_equal(gboot_build(f->ram, FAKE_RAM_BASE, 2, &f->ram_range, 1, &l), -ENOSPC);
	assert_int_equal(gboot_build(f->ram, FAKE_RAM_BASE + 8, 3, &f->ram_range, 1, &l),
			 -EINVAL);
	memset(f->ram, 0x5a, 4 * 4096);
	assert_int_equal(gboot_build(f->ram, FAKE_RAM_BASE, 3, &f->ram_range, 1, &l), 0);
	assert_int_equal(l.pages, 3);
	assert_int_equal(l.gdt_base, FAKE_RAM_BASE);
	assert_int_equal(l.gdt_limit, 31);
	assert_int_equal(l.cr3, FAKE_RAM_BASE + 0x1000);
	/* The selectors of the boot protocol, already marked accessed. */
	assert_int_equal(gdt[0] | gdt[1], 0);
	assert_int_equal(gdt[LOADER_BOOT_CS / 8], 0x00af9b000000ffffULL);
	assert_int_equal(gdt[LOADER_BOOT_DS / 8], 0x00cf93000000ffffULL);
	/* Nothing past the pages it was given. */
	assert_int_equal(f->ram[3 * 4096], 0x5a);

	/* Every GiB below 4 GiB and the guest's RAM translate to themselves. */
	p = paging(l.cr3);
	for (uint64_t a = 0; a < 4 * GIB; a += 0x3fff000) {
		assert_int_equal(gva_translate(&f->m, &f->m.guest[0], &p, a + 0x123, true, &gpa,
					       &pf),
				 0);
		assert_int_equal(gpa, a + 0x123);
	}
	assert_int_equal(gva_translate(&f->m, &f->m.guest[0], &p, 4 * GIB - 1, false, &gpa, &pf),
			 0);
	assert_int_equal(gpa, 4 * GIB - 1);
	/* Above 4 GiB there is no guest RAM here: not mapped, a not-present fault. */
	assert_int_equal(gva_translate(&f->m, &f->m.guest[0], &p, 4 * GIB, false, &gpa, &pf),
			 -EFAULT);
	assert_int_equal(pf & GVA_PF_P, 0);
	fake_free(f);
}

static void test_gboot_high_ram(void **state)
{
	static uint8_t pages[5 * 4096] __attribute__((aligned(4096)));
	struct partition_range ram[] = { { 0x100000, 0x200000 },
					 { 600 * GIB + 0x200000, 602 * GIB } };
	struct gboot_layout l;
	uint64_t *pml4 = (uint64_t *)(pages + 4096);

	assert_int_equal(gboot_build(pages, 0x7000, 5, ram, 2, &l), 0);
	assert_int_equal(l.pages, 4);
	/* Two PML4 entries: region 0 (0-512 GiB) and region 1 (512 GiB-1 TiB). */
	assert_int_equal(pml4[0] & ~0xfffULL, 0x7000 + 2 * 4096);
	assert_int_equal(pml4[1] & ~0xfffULL, 0x7000 + 3 * 4096);
	assert_int_equal(pml4[2], 0);
	uint64_t *pdpt1 = (uint64_t *)(pages + 3 * 4096);
	/* GiBs 600 and 601 are entries 88 and 89 of the second PDPT, 1 GiB pages. */
	assert_int_equal(pdpt1[88] & ~0xfffULL, 600 * GIB);
	assert_true(pdpt1[88] & (1u << 7));
	assert_int_equal(pdpt1[89] & ~0xfffULL, 601 * GIB);
	assert_int_equal(pdpt1[90], 0);
	assert_int_equal(pdpt1[87], 0);
	/* A range beyond 48 bits is refused. */
	struct partition_range bad = { 1ULL << 48, (1ULL << 48) + 4096 };
	assert_int_equal(gboot_build(pages, 0x7000, 5, &bad, 1, &l), -EINVAL);
}

static void test_gboot_start_state_and_vmcb(void **state)
{
	struct gboot_layout l = { 0x9000, 31, 0xa000, 3 };
	struct vcpu_start st;
	static struct vmcb vmcb;

	gboot_start_state(&l, 0x1000200, 0x1fd22000, &st);
	assert_int_equal(st.rip, 0x1000200);
	assert_int_equal(st.rsi, 0x1fd22000);
	assert_int_equal(st.cr3, 0xa000);
	assert_true(st.cr0 & CR0_PG && st.cr0 & CR0_PE && st.cr0 & CR0_NE && st.cr0 & CR0_ET);
	assert_int_equal(st.cr4, CR4_PAE);
	assert_int_equal(st.efer, EFER_LME | EFER_LMA);
	assert_int_equal(st.rflags, 2);
	st.npt_root = 0x123000;
	st.iopm_pa = 0x200000;

	assert_int_equal(svm_vmcb_init(&vmcb, 0, 0x300000, &st), -EINVAL);
	assert_int_equal(svm_vmcb_init(&vmcb, 1, 0x300800, &st), -EINVAL);
	st.iopm_pa = 0x200010;
	assert_int_equal(svm_vmcb_init(&vmcb, 1, 0x300000, &st), -EINVAL);
	st.iopm_pa = 0x200000;
	assert_int_equal(svm_vmcb_init(&vmcb, 2, 0x300000, &st), 0);

	assert_int_equal(vmcb.control.asid, 2);
	assert_int_equal(vmcb.control.nested_ctl, VMCB_NP_ENABLE);
	assert_int_equal(vmcb.control.n_cr3, 0x123000);
	assert_int_equal(vmcb.control.iopm_base_pa, 0x200000);
	assert_int_equal(vmcb.control.msrpm_base_pa, 0x300000);
	assert_int_equal(vmcb.control.tlb_control, VMCB_TLB_FLUSH_ALL);
	/* #DB and #AC loops must exit (each delivery is then a preemptible exit). */
	assert_int_equal(vmcb.control.intercept_exceptions,
			 (1u << VCPU_VEC_DB) | (1u << VCPU_VEC_AC));
	assert_true(vmcb.control.int_ctl & VMCB_INT_V_INTR_MASKING);
	for (uint32_t bit = 0; bit < 32; bit++) {
		uint32_t need1 = VMCB_I1_INTR | VMCB_I1_NMI | VMCB_I1_CPUID | VMCB_I1_HLT |
				 VMCB_I1_IOIO_PROT | VMCB_I1_MSR_PROT | VMCB_I1_SHUTDOWN |
				 VMCB_I1_INVLPGA | VMCB_I1_INVD;
		uint32_t need2 = VMCB_I2_VMRUN | VMCB_I2_VMMCALL | VMCB_I2_VMLOAD |
				 VMCB_I2_VMSAVE | VMCB_I2_STGI | VMCB_I2_CLGI | VMCB_I2_SKINIT;

		if (need1 & (1u << bit))
			assert_true(vmcb.control.intercept_misc1 & (1u << bit));
		if (need2 & (1u << bit))
			assert_true(vmcb.control.intercept_misc2 & (1u << bit));
	}
	/* CR and DR accesses stay with the guest. */
	assert_int_equal(vmcb.control.intercept_cr | vmcb.control.intercept_dr, 0);
	/* VMRUN needs SVME in the guest's EFER; the guest sees it only through exit_msr. */
	assert_int_equal(vmcb.save.efer, EFER_LME | EFER_LMA | EFER_SVME);
	assert_int_equal(vmcb.save.cs.selector, 0x10);
	assert_int_equal(vmcb.save.cs.attrib, 0xa9b);
	assert_int_equal(vmcb.save.cs.limit, 0xffffffff);
	assert_int_equal(vmcb.save.ds.selector, 0x18);
	assert_int_equal(vmcb.save.ds.attrib, 0xc93);
	assert_memory_equal(&vmcb.save.es, &vmcb.save.ds, sizeof(vmcb.save.ds));
	assert_memory_equal(&vmcb.save.ss, &vmcb.save.ds, sizeof(vmcb.save.ds));
	assert_int_equal(vmcb.save.gdtr.base, 0x9000);
	assert_int_equal(vmcb.save.gdtr.limit, 31);
	assert_int_equal(vmcb.save.tr.attrib, 0x8b);
	assert_int_equal(vmcb.save.cr0, st.cr0);
	assert_int_equal(vmcb.save.cr3, 0xa000);
	assert_int_equal(vmcb.save.rip, 0x1000200);
	assert_int_equal(vmcb.save.rflags, 2);
	assert_int_equal(vmcb.save.g_pat, VMCB_PAT_DEFAULT);
	assert_int_equal(vmcb.save.dr7, 0x400);
	assert_int_equal(vmcb.save.dr6, 0xffff0ff0);
	assert_true(svm_vmcb_long_mode(&vmcb));
	assert_int_equal(svm_seg_attrib(0x00af9b000000ffffULL), 0xa9b);
}

/* A startup IPI's vCPU: real mode at vector << 12, as the VMCB holds it. */
static void test_gboot_sipi_state(void **state)
{
	struct vcpu_start st;
	static struct vmcb vmcb;

	gboot_sipi_state(0x9a, &st);
	st.npt_root = 0x123000;
	st.iopm_pa = 0x200000;
	assert_int_equal(svm_vmcb_init(&vmcb, 3, 0x300000, &st), 0);
	assert_int_equal(vmcb.save.cs.selector, 0x9a00);
	assert_int_equal(vmcb.save.cs.base, 0x9a000);
	assert_int_equal(vmcb.save.cs.limit, 0xffff);
	assert_int_equal(vmcb.save.cs.attrib, 0x9b);
	assert_int_equal(vmcb.save.ds.selector, 0);
	assert_int_equal(vmcb.save.ds.base, 0);
	assert_int_equal(vmcb.save.ds.limit, 0xffff);
	assert_int_equal(vmcb.save.ds.attrib, 0x93);
	assert_memory_equal(&vmcb.save.ss, &vmcb.save.ds, sizeof(vmcb.save.ds));
	assert_int_equal(vmcb.save.rip, 0);
	assert_int_equal(vmcb.save.cr0, CR0_ET);
	assert_int_equal(vmcb.save.cr4, 0);
	assert_int_equal(vmcb.save.efer, EFER_SVME);
	assert_int_equal(vmcb.save.idtr.base, 0);
	assert_int_equal(vmcb.save.idtr.limit, 0xffff);
	assert_int_equal(vmcb.save.rflags, 2);
	assert_false(svm_vmcb_long_mode(&vmcb));
	/* Vector 0xff: the last page below 1 MiB. */
	gboot_sipi_state(0xff, &st);
	st.npt_root = 0x123000;
	st.iopm_pa = 0x200000;
	assert_int_equal(svm_vmcb_init(&vmcb, 3, 0x300000, &st), 0);
	assert_int_equal(vmcb.save.cs.base, 0xff000);
	assert_int_equal(vmcb.save.cs.selector, 0xff00);
}

static void test_gva_small_pages_and_permissions(void **state)
{
	struct fake *f = fake_new();
	struct guest *g = &f->m.guest[0];
	uint64_t base = FAKE_RAM_BASE, gpa;
	uint64_t *pml4 = (uint64_t *)f->ram, *pdpt = pml4 + 512, *pd = pdpt + 512, *pt = pd + 512;
	struct gva_paging p = paging(base);
	uint32_t pf;

	/* gva 0x200000 (PD entry 1): a 4 KiB table; gva 0x400000 (PD entry 2): a 2 MiB page.
	 * The PT maps page 3 read-only supervisor, page 4 writable user. */
	pml4[0] = (base + 0x1000) | 7;
	pdpt[0] = (base + 0x2000) | 7;
	pd[1] = (base + 0x3000) | 7;
	pd[2] = (base + 0x200000) | 0x87;
	pt[3] = (base + 0x10000) | 1;
	pt[4] = (base + 0x11000) | 7;
	assert_int_equal(gva_translate(&f->m, g, &p, 0x203abc, false, &gpa, &pf), 0);
	assert_int_equal(gpa, base + 0x10abc);
	/* Read-only page: supervisor writes fault with CR0.WP, not without. */
	assert_int_equal(gva_translate(&f->m, g, &p, 0x203abc, true, &gpa, &pf), -EFAULT);
	assert_int_equal(pf, GVA_PF_P | GVA_PF_W);
	p.cr0 &= ~CR0_WP;
	assert_int_equal(gva_translate(&f->m, g, &p, 0x203abc, true, &gpa, &pf), 0);
	/* User access to a supervisor page faults; to a user page it works. */
	p.cpl = 3;
	assert_int_equal(gva_translate(&f->m, g, &p, 0x203000, false, &gpa, &pf), -EFAULT);
	assert_int_equal(pf, GVA_PF_P | GVA_PF_U);
	assert_int_equal(gva_translate(&f->m, g, &p, 0x204008, true, &gpa, &pf), 0);
	assert_int_equal(gpa, base + 0x11008);
	p.cpl = 0;
	/* The 2 MiB page. */
	assert_int_equal(gva_translate(&f->m, g, &p, 0x5fffff, true, &gpa, &pf), 0);
	assert_int_equal(gpa, base + 0x3fffff);
	/* Not present. */
	assert_int_equal(gva_translate(&f->m, g, &p, 0x205000, false, &gpa, &pf), -EFAULT);
	assert_int_equal(pf & GVA_PF_P, 0);
	/* A table outside the guest's RAM is a failed walk, never a read elsewhere. */
	pd[3] = 0x1000 | 7;
	assert_int_equal(gva_translate(&f->m, g, &p, 0x600000, false, &gpa, &pf), -EFAULT);
	/* Without paging, addresses are physical; legacy paging is not walked. */
	p.cr0 = CR0_PE;
	p.efer = 0;
	assert_int_equal(gva_translate(&f->m, g, &p, 0x123456789ULL, false, &gpa, &pf), 0);
	assert_int_equal(gpa, 0x23456789);
	p.cr0 = CR0_PE | CR0_PG;
	assert_int_equal(gva_translate(&f->m, g, &p, 0x1000, false, &gpa, &pf), -ENOTSUP);
	fake_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gboot_pages),
		cmocka_unit_test(test_gboot_identity_map),
		cmocka_unit_test(test_gboot_high_ram),
		cmocka_unit_test(test_gboot_start_state_and_vmcb),
		cmocka_unit_test(test_gboot_sipi_state),
		cmocka_unit_test(test_gva_small_pages_and_permissions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
