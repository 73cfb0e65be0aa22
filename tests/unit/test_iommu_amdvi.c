// SPDX-License-Identifier: GPL-2.0-only
/*
 * AMD-Vi tables as the IOMMU walks them: a guest's domain maps exactly its RAM, one to one;
 * the device table attaches its functions (and their aliases) and blocks everything else;
 * the IOMMU's own function and shared aliases are refused; events decode as the spec lays
 * them out.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "iommu/iommu.h"

#define POOL_PA	0x40000000ULL

static struct iommu_pool pool;
static void *pool_mem;

static int pool_setup(void **state)
{
	size_t pages = AMDVI_DEVTAB_PAGES + 256;

	pool_mem = aligned_alloc(IOMMU_PAGE, pages * IOMMU_PAGE);
	assert_non_null(pool_mem);
	iommu_pool_init(&pool, POOL_PA, pool_mem, pages);
	return 0;
}

static int pool_teardown(void **state)
{
	free(pool_mem);
	return 0;
}

static bool maps(uint64_t root, uint64_t addr)
{
	uint64_t pa;
	bool w;

	if (!amdvi_lookup(&pool, root, addr, &pa, &w))
		return false;
	assert_true(pa == addr);
	assert_true(w);
	return true;
}

static void test_amdvi_domain(void **state)
{
	/* 4 KiB head, 2 MiB pages, 4 KiB tail; and a range across a 1 GiB boundary. */
	const struct partition_range ram[] = {
		{ 0x1000, 0xa0000 },
		{ 0x3fe00000, 0x40203000 },
	};
	size_t bound = amdvi_domain_pages(ram, 2);
	uint64_t root;

	pool.used = 0;
	root = amdvi_empty_table(&pool);
	for (size_t i = 0; i < 2; i++)
		assert_int_equal(amdvi_map(&pool, root, ram[i].base, ram[i].end), 0);
	assert_true(pool.used <= bound);
	assert_false(maps(root, 0));
	assert_true(maps(root, 0x1000));
	assert_true(maps(root, 0x9f123));
	assert_false(maps(root, 0xa0000));
	assert_false(maps(root, 0x3fdff000));
	assert_true(maps(root, 0x3fe00000));
	assert_true(maps(root, 0x40000000));
	assert_true(maps(root, 0x40202fff));
	assert_false(maps(root, 0x40203000));
	assert_false(maps(root, 0x7fe00000));
	assert_false(maps(root, AMDVI_ADDR_LIMIT));
	/* Twice, misaligned, beyond 48 bits. */
	assert_int_equal(amdvi_map(&pool, root, 0x2000, 0x3000), -EEXIST);
	assert_int_equal(amdvi_map(&pool, root, 0x40000000, 0x40200000), -EEXIST);
	assert_int_equal(amdvi_map(&pool, root, 0x2100, 0x3000), -EINVAL);
	assert_int_equal(amdvi_map(&pool, root, AMDVI_ADDR_LIMIT - 0x1000, AMDVI_ADDR_LIMIT + 0x1000),
			 -EINVAL);
}

/* Every entry that maps nothing reads "not present, next level 1" (never all zero). */
static void test_amdvi_absent_entries(void **state)
{
	uint64_t root, *t;

	pool.used = 0;
	root = amdvi_empty_table(&pool);
	assert_int_equal(amdvi_map(&pool, root, 0x200000, 0x400000), 0);
	t = iommu_pool_va(&pool, root);
	for (unsigned i = 1; i < 512; i++)
		assert_true(t[i] == AMDVI_PTE_ABSENT);
	assert_true(t[0] & AMDVI_PTE_PR);
}

static void test_amdvi_pool_exhausted(void **state)
{
	const struct partition_range ram = { 0x1000, 0x10000000 };
	struct iommu_pool small;
	uint64_t root;

	iommu_pool_init(&small, POOL_PA, pool_mem, 3);
	root = amdvi_empty_table(&small);
	assert_int_equal(amdvi_map(&small, root, ram.base, ram.end), -ENOMEM);
}

static void plan_two(struct partition_plan *plan)
{
	memset(plan, 0, sizeof(*plan));
	plan->guest[0] = (struct partition_guest){
		.present = true, .letter = 'a', .nr_ram = 1, .ram = { { 0x8000000, 0xc000000 } },
		.nr_pci = 1, .pci = { PARTITION_BDF(0, 3, 0) },
	};
	plan->guest[1] = (struct partition_guest){
		.present = true, .letter = 'b', .nr_ram = 2,
		.ram = { { 0x1000, 0xa0000 }, { 0x100000, 0x4100000 } },
		.nr_pci = 2, .pci = { PARTITION_BDF(0, 0x10, 0), PARTITION_BDF(1, 0, 0) },
	};
}

/*
 * A QEMU-like IVRS: one unit at 00:01.0; if alias, 01:00.0's DMA carrying 00:1e.0's
 * requester ID; if ioapic, the I/O APIC at 00:14.0 (what QEMU lists with intremap=on).
 */
static void probe_with(struct iommu *io, bool alias, bool ioapic)
{
	uint8_t t[48 + 24 + 20] = "IVRS";
	uint8_t *b = t + 48;
	size_t len = 48 + 24 + 4;

	b[0] = 0x10;
	b[4] = 0x08;
	b[10] = 0xd8;
	b[11] = 0xfe;		/* 0xfed80000 */
	b[24] = 1;		/* all */
	if (alias) {
		t[len] = 0x42;	/* alias select */
		t[len + 2] = 0x01;
		t[len + 5] = 0xf0;
		len += 8;
	}
	if (ioapic) {
		t[len] = 0x48;	/* special device */
		t[len + 5] = 0xa0;
		t[len + 7] = IVRS_SPECIAL_IOAPIC;
		len += 8;
	}
	t[4] = (uint8_t)len;
	b[2] = (uint8_t)(len - 48);
	assert_int_equal(iommu_probe_ivrs(io, t, len), 0);
	assert_int_equal(io->kind, IOMMU_AMDVI);
}

static void probe(struct iommu *io, bool alias)
{
	probe_with(io, alias, true);
}

static void test_iommu_build(void **state)
{
	static struct iommu io;
	struct partition_plan plan;
	const uint64_t *dte;
	uint64_t root_a, root_b;

	plan_two(&plan);
	probe(&io, true);
	pool.used = 0;
	assert_int_equal(iommu_build(&io, &plan, &pool), 0);
	assert_true(pool.used <= iommu_pages(&io, &plan));
	root_a = io.root_pa[0];
	root_b = io.root_pa[1];
	/* Each domain: its own RAM, not the other's, not the pool. */
	assert_true(maps(root_a, 0x8000000) && maps(root_a, 0xbfff000));
	assert_false(maps(root_a, 0xc000000) || maps(root_a, 0x100000) || maps(root_a, POOL_PA));
	assert_true(maps(root_b, 0x1000) && maps(root_b, 0x40ff000));
	assert_false(maps(root_b, 0xa0000) || maps(root_b, 0x8000000));
	/* Owned functions (and 01:00.0's alias) in their domains; the rest blocked. */
	dte = &io.devtab[PARTITION_BDF(0, 3, 0) * 4];
	assert_true((dte[0] & AMDVI_PTE_ADDR) == root_a);
	assert_true(dte[0] & AMDVI_PTE_IR && dte[0] & AMDVI_PTE_IW);
	assert_int_equal(dte[1], AMDVI_DOMID_GUEST(0));
	dte = &io.devtab[PARTITION_BDF(0, 0x10, 0) * 4];
	assert_true((dte[0] & AMDVI_PTE_ADDR) == root_b);
	dte = &io.devtab[0x00f0 * 4];
	assert_true((dte[0] & AMDVI_PTE_ADDR) == root_b);
	assert_int_equal(iommu_owner(&io, 0x00f0), 'b');
	assert_int_equal(iommu_owner(&io, PARTITION_BDF(0, 3, 0)), 'a');
	assert_int_equal(iommu_owner(&io, 0x0008), 0);
	for (unsigned d = 0; d < AMDVI_DEVICES; d += 7) {
		dte = &io.devtab[d * 4];
		assert_true(dte[0] & AMDVI_DTE_V && dte[0] & AMDVI_DTE_TV);
		if (iommu_owner(&io, (uint16_t)d))
			continue;
		assert_false(dte[0] & (AMDVI_PTE_IR | AMDVI_PTE_IW));
		assert_int_equal(dte[1], AMDVI_DOMID_BLOCKED);
	}
	assert_int_equal(io.nr_domains, 2);
	assert_true(io.amdvi[0].cmd_pa && io.amdvi[0].evt_pa && io.amdvi[0].sem_pa);
	assert_false(io.enabled);
}

static void test_iommu_refused(void **state)
{
	static struct iommu io;
	struct partition_plan plan;

	/* The IOMMU's own function. */
	plan_two(&plan);
	plan.guest[0].pci[0] = 0x0008;
	probe(&io, false);
	pool.used = 0;
	assert_int_equal(iommu_build(&io, &plan, &pool), -EPERM);
	assert_non_null(strstr(io.err, "00:01.0 is the IOMMU itself"));
	/* Guest a owns the function guest b's 01:00.0 speaks as. */
	plan_two(&plan);
	plan.guest[0].pci[0] = 0x00f0;
	probe(&io, true);
	pool.used = 0;
	assert_int_equal(iommu_build(&io, &plan, &pool), -EBUSY);
	assert_non_null(strstr(io.err, "guest b: 01:00.0 does DMA as 00:1e.0, which is guest a's"));
	/* No room. */
	plan_two(&plan);
	probe(&io, false);
	struct iommu_pool small;
	iommu_pool_init(&small, POOL_PA, pool_mem, 100);
	assert_int_equal(iommu_build(&io, &plan, &small), -ENOMEM);
}

/* One unit at 00:01.0 (0xfed80000) as IVHD type 0x11 with EFR efr and these device entries. */
static void probe_entries(struct iommu *io, uint64_t efr, const uint8_t *ent, size_t n)
{
	uint8_t t[48 + 40 + 64] = "IVRS";
	uint8_t *b = t + 48;
	size_t len = 48 + 40 + n;

	assert_true(n <= 64);
	t[4] = (uint8_t)len;
	b[0] = 0x11;
	b[2] = (uint8_t)(40 + n);
	b[4] = 0x08;
	b[10] = 0xd8;
	b[11] = 0xfe;
	memcpy(b + 24, &efr, sizeof(efr));
	memcpy(b + 40, ent, n);
	assert_int_equal(iommu_probe_ivrs(io, t, len), 0);
}

static void test_iommu_scope(void **state)
{
	/* 00:03.0, 00:10.0-00:10.7 and the I/O APIC: 01:00.0 is behind no IOMMU. */
	static const uint8_t ent[] = {
		2, 0x18, 0x00, 0,
		3, 0x80, 0x00, 0, 4, 0x87, 0x00, 0,
		0x48, 0, 0, 0, 0, 0xa0, 0x00, IVRS_SPECIAL_IOAPIC,
	};
	static struct iommu io;
	struct partition_plan plan;

	plan_two(&plan);
	probe_entries(&io, 0, ent, sizeof(ent));
	assert_int_equal(iommu_check_scope(&io, &plan), -ENXIO);
	assert_non_null(strstr(io.err, "guest b: 01:00.0 is behind no IOMMU"));
	/* Without 01:00.0, both guests' functions are behind it. */
	plan.guest[1].nr_pci = 1;
	assert_int_equal(iommu_check_scope(&io, &plan), 0);
	/* An alias outside every unit's scope (no parsed IVRS yields one; checked anyway). */
	io.ivrs.alias[io.ivrs.nr_aliases++] = (struct ivrs_alias){ 0x0080, 0x0200 };
	assert_int_equal(iommu_check_scope(&io, &plan), -ENXIO);
	assert_non_null(strstr(io.err, "guest b: 00:10.0 does DMA as 02:00.0, which no IVHD"));
	/* QEMU's "all": every function and alias. */
	plan_two(&plan);
	probe(&io, true);
	assert_int_equal(iommu_check_scope(&io, &plan), 0);
}

static void test_iommu_regs(void **state)
{
	static const uint8_t all[] = { 1, 0, 0, 0 };
	static struct iommu io;
	struct partition_plan plan;

	/* Type 0x10 only (no EFR image): performance counters may be there, 512 KiB. */
	plan_two(&plan);
	probe(&io, false);
	assert_true(iommu_regs_size(&io.ivrs.unit[0]) == 0x80000);
	assert_int_equal(iommu_check_regs(&io, &plan), 0);
	plan.guest[0].nr_mmio = 1;
	plan.guest[0].mmio[0] = (struct partition_range){ 0xfedf0000, 0xfedf1000 };
	assert_int_equal(iommu_check_regs(&io, &plan), -EBUSY);
	assert_non_null(strstr(plan.err, "guest a: mmio 0xfedf0000-0xfedf0fff overlaps the "
				  "IOMMU's registers 0xfed80000-0xfedfffff"));
	/* EFR without PCSup: 16 KiB; with it (bit 9), 512 KiB. */
	probe_entries(&io, 0, all, sizeof(all));
	assert_true(iommu_regs_size(&io.ivrs.unit[0]) == 0x4000);
	assert_int_equal(iommu_check_regs(&io, &plan), 0);
	plan.guest[0].mmio[0] = (struct partition_range){ 0xfed83000, 0xfed85000 };
	assert_int_equal(iommu_check_regs(&io, &plan), -EBUSY);
	plan.guest[0].mmio[0] = (struct partition_range){ 0xfed7f000, 0xfed80000 };
	assert_int_equal(iommu_check_regs(&io, &plan), 0);
	probe_entries(&io, 1ULL << 9, all, sizeof(all));
	plan.guest[0].mmio[0] = (struct partition_range){ 0xfedf0000, 0xfedf1000 };
	assert_int_equal(iommu_check_regs(&io, &plan), -EBUSY);
	/* A guest's memory BAR there is refused as well; an I/O BAR of that number is not. */
	plan_two(&plan);
	plan.guest[1].nr_bars = 2;
	plan.guest[1].bars[0] = (struct partition_bar){ PARTITION_BDF(0, 0x10, 0), 0,
						       PARTITION_BAR_IO, false, 0xfed80000, 0x20 };
	assert_int_equal(iommu_check_regs(&io, &plan), 0);
	plan.guest[1].bars[1] = (struct partition_bar){ PARTITION_BDF(0, 0x10, 0), 1,
						       PARTITION_BAR_MEM32, false, 0xfed81000,
						       0x1000 };
	assert_int_equal(iommu_check_regs(&io, &plan), -EBUSY);
	assert_non_null(strstr(plan.err, "guest b: BAR 0xfed81000-0xfed81fff overlaps"));
}

/*
 * What the unit does with an MSI write (address 0xfee00000, data) from requester devid, as
 * the spec's device table entry and 32-bit table entry say: true and the vector and
 * destination it delivers fixed, or false when it refuses it (target abort, fault).
 */
static bool intr_delivers(const struct iommu *io, uint16_t devid, uint32_t data, uint8_t *vec,
			  uint8_t *dest)
{
	const uint64_t *dte = &io->devtab[(size_t)devid * 4];
	unsigned mode = (data >> 8) & 7, len = 1u << ((dte[2] >> 1) & 0xf);
	const uint32_t *irt = iommu_pool_va(&pool, dte[2] & AMDVI_DTE_IRT_ADDR);
	uint32_t irte;

	if (!(dte[2] & AMDVI_DTE_IV)) {
		*vec = (uint8_t)data;		/* passes as it is */
		return true;
	}
	if (mode > 1)	/* SMI, NMI, INIT, ExtInt: their pass bits (SysMgt; dte[2] 63:62, 58:56) */
		return ((dte[2] >> 56) & 0xc7) || ((dte[1] >> 40) & 3);
	switch ((dte[2] >> 60) & 3) {
	case AMDVI_INTR_REMAP:
		if ((data & 0x7ff) >= len || !irt)
			return false;
		irte = irt[data & 0x7ff];
		if (!(irte & AMDVI_IRTE_REMAPEN) || ((irte >> 2) & 7) > 1)
			return false;
		*vec = (uint8_t)(irte >> 16);
		*dest = (uint8_t)(irte >> 8);
		return true;
	default:
		return false;
	}
}

static void test_iommu_intremap(void **state)
{
	static struct iommu io;
	struct partition_plan plan;
	uint16_t fa = PARTITION_BDF(0, 3, 0), fb = PARTITION_BDF(1, 0, 0);
	const uint64_t *dte;
	uint8_t vec = 0, dest = 0;

	plan_two(&plan);
	probe(&io, true);
	pool.used = 0;
	assert_int_equal(iommu_build(&io, &plan, &pool), 0);
	assert_true(io.intremap);
	assert_true(pool.used <= iommu_pages(&io, &plan));
	/* An owned function: remapped through its own table, no pass bit. */
	dte = &io.devtab[fa * 4];
	assert_true((dte[2] & ~AMDVI_DTE_IRT_ADDR) == (AMDVI_DTE_INTCTL(AMDVI_INTR_REMAP) |
						       AMDVI_DTE_INTTABLEN(8) | AMDVI_DTE_IV));
	assert_true(iommu_pool_va(&pool, dte[2] & AMDVI_DTE_IRT_ADDR) != NULL);
	assert_true(!dte[3] && !(dte[1] >> 16));
	/* Nothing is routed yet: every vector, INIT, NMI, SMI refused. */
	for (uint32_t data = 0; data < 0x800; data++)
		assert_false(intr_delivers(&io, fa, data, &vec, &dest));
	/* The I/O APIC unmapped (IV=0); any other requester ID refused. */
	assert_true(io.devtab[0xa0 * 4 + 2] == 0);
	assert_true(intr_delivers(&io, 0xa0, 0x31, &vec, &dest) && vec == 0x31);
	assert_true(io.devtab[0x0008 * 4 + 2] == AMDVI_DTE_IV);
	assert_false(intr_delivers(&io, 0x0008, 0x51, &vec, &dest));
	assert_false(intr_delivers(&io, PARTITION_BDF(0, 4, 0), 0xec, &vec, &dest));

	/* A vector given: exactly that one, to the monitor's APIC, fixed. */
	assert_int_equal(iommu_msi_route(&io, fa, 0x52, 3), 0);
	assert_true(intr_delivers(&io, fa, 0x52, &vec, &dest) && vec == 0x52 && dest == 3);
	assert_false(intr_delivers(&io, fa, 0x53, &vec, &dest));
	assert_false(intr_delivers(&io, fa, 0xec, &vec, &dest));	/* the monitor's timer */
	assert_false(intr_delivers(&io, fa, 0x452, &vec, &dest));	/* INIT, same low byte */
	assert_false(intr_delivers(&io, fa, 0x452 | 0x8000, &vec, &dest));
	assert_false(intr_delivers(&io, PARTITION_BDF(0, 0x10, 0), 0x52, &vec, &dest));
	/* Behind its bridge 01:00.0 speaks as 00:1e.0: both tables hold its vector. */
	assert_int_equal(iommu_msi_route(&io, fb, 0x91, 3), 0);
	assert_true(intr_delivers(&io, 0x00f0, 0x91, &vec, &dest) && vec == 0x91);
	assert_true(intr_delivers(&io, fb, 0x91, &vec, &dest) && vec == 0x91);
	/* A vector moves: the function that had it loses it. */
	assert_int_equal(iommu_msi_route(&io, fb, 0x52, 3), 0);
	assert_false(intr_delivers(&io, fa, 0x52, &vec, &dest));
	assert_true(intr_delivers(&io, fb, 0x52, &vec, &dest) && vec == 0x52);
	/* Not a guest's function, not a vector. */
	assert_int_equal(iommu_msi_route(&io, PARTITION_BDF(0, 4, 0), 0x60, 3), -ENOENT);
	assert_int_equal(iommu_msi_route(&io, fa, 2, 3), -EINVAL);
	assert_int_equal(iommu_msi_route(NULL, fa, 0x60, 3), 0);
}

static void test_iommu_no_intremap(void **state)
{
	static struct iommu io;
	struct partition_plan plan;

	/* No I/O APIC in the IVRS: no remapping, so no guest may own a function. */
	plan_two(&plan);
	probe_with(&io, false, false);
	pool.used = 0;
	assert_int_equal(iommu_build(&io, &plan, &pool), -EOPNOTSUPP);
	assert_non_null(strstr(io.err, "guest a: 00:03.0 could send any interrupt by DMA"));
	assert_non_null(strstr(io.err, "intremap=on"));
	/* Without functions: built, interrupts as they come (nothing of a guest's sends any). */
	plan.guest[0].nr_pci = plan.guest[1].nr_pci = 0;
	pool.used = 0;
	assert_int_equal(iommu_build(&io, &plan, &pool), 0);
	assert_false(io.intremap);
	assert_true(io.devtab[0x0018 * 4 + 2] == 0);
	assert_int_equal(iommu_msi_route(&io, 0x0018, 0x60, 0), 0);
}

static void test_amdvi_event(void **state)
{
	/* IO_PAGE_FAULT from 00:10.0, domain 3, a write (RW) to 0x8001000, not present. */
	const uint64_t raw[2] = { 0x2000ULL << 48 | 0x0020ULL << 48 | 3ULL << 32 | 0x0080,
				  0x8001000 };
	struct amdvi_event e;

	amdvi_event_decode(raw, &e);
	assert_int_equal(e.code, AMDVI_EVT_IO_PAGE_FAULT);
	assert_int_equal(e.devid, 0x0080);
	assert_int_equal(e.domid, 3);
	assert_true(e.flags & AMDVI_EVT_FLAG_RW);
	assert_true(e.addr == 0x8001000);
	assert_string_equal(amdvi_event_name(e.code), "IO_PAGE_FAULT");
	assert_string_equal(amdvi_event_name(15), "unknown event");
}

static void test_dte_blocked(void **state)
{
	uint64_t d[4];

	amdvi_dte_blocked(d, 0x123000);
	assert_true(d[0] == (0x123000 | AMDVI_DTE_MODE(4) | AMDVI_DTE_TV | AMDVI_DTE_V));
	assert_true(d[1] == AMDVI_DOMID_BLOCKED && !d[2] && !d[3]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_amdvi_domain),
		cmocka_unit_test(test_amdvi_absent_entries),
		cmocka_unit_test(test_amdvi_pool_exhausted),
		cmocka_unit_test(test_iommu_build),
		cmocka_unit_test(test_iommu_refused),
		cmocka_unit_test(test_iommu_scope),
		cmocka_unit_test(test_iommu_regs),
		cmocka_unit_test(test_iommu_intremap),
		cmocka_unit_test(test_iommu_no_intremap),
		cmocka_unit_test(test_amdvi_event),
		cmocka_unit_test(test_dte_blocked),
	};

	return cmocka_run_group_tests(tests, pool_setup, pool_teardown);
}
