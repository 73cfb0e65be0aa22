// SPDX-License-Identifier: GPL-2.0-only
/*
 * The configuration filter on owned functions: every width at every offset of the command
 * dword, every BAR, ROM BAR and bridge register, the hidden SR-IOV and Resizable BAR
 * capabilities, through 0xcf8/0xcfc and ECAM alike, with the boot facts read from a
 * simulated function (partition/pci_fn.h).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "partition/pci_caps.h"
#include "partition/pci_filter.h"
#include "partition/pci_fn.h"

#define EP	PARTITION_BDF(0, 3, 0)	/* an endpoint with PCIe, SR-IOV and ReBAR */
#define BR	PARTITION_BDF(0, 4, 0)	/* a bridge */
#define FW_BAR0	0xfebf0000u		/* 64 KiB, 32-bit */
#define FW_ROM	0xfeb80000u		/* 256 KiB, disabled */

/* Two functions' 4 KiB; a BAR keeps (value & rw) | ro as real BARs do. */
static struct sim {
	uint16_t bdf;
	uint32_t cfg[1024];
	uint32_t rw[14];	/* per dword 0x10..0x3b; 0: not a BAR */
} fns[2];

static struct sim *sim_find(uint16_t bdf)
{
	for (unsigned i = 0; i < 2; i++)
		if (fns[i].bdf == bdf)
			return &fns[i];
	return NULL;
}

static uint32_t sim_read(void *ctx, uint16_t bdf, uint16_t reg)
{
	struct sim *s = sim_find(bdf);

	assert_true(reg < 0x1000 && !(reg & 3));
	return s ? s->cfg[reg / 4] : 0xffffffffu;
}

static void sim_write(void *ctx, uint16_t bdf, uint16_t reg, uint32_t val)
{
	struct sim *s = sim_find(bdf);
	unsigned i = (reg - PCI_REG_BAR0) / 4;

	assert_non_null(s);
	if (reg >= PCI_REG_BAR0 && i < 14 && s->rw[i])
		val = (val & s->rw[i]) | (s->cfg[reg / 4] & ~s->rw[i]);
	s->cfg[reg / 4] = val;
}

static const struct partition_pci_ops hw = { sim_read, sim_write, NULL };
static struct pci_filter filter;
static struct pci_filter_decision d;

static void sim_bar(struct sim *s, uint16_t reg, uint32_t value, uint32_t rw)
{
	s->rw[(reg - PCI_REG_BAR0) / 4] = rw;
	s->cfg[reg / 4] = value;
}

/*
 * 00:03.0: BAR0 64 KiB, a ROM; capabilities PCIe (FLR) at 0x40, MSI at 0x50; extended
 * AER 0x100 -> ReBAR 0x140 (2 BARs) -> ACS 0x180 -> SR-IOV 0x200 -> VF ReBAR 0x300, end.
 * 00:04.0: a bridge with one 4 KiB BAR and a ROM.
 */
static int setup(void **state)
{
	struct sim *s = &fns[0];

	memset(fns, 0, sizeof(fns));
	s->bdf = EP;
	s->cfg[0] = 0x10001af4;
	s->cfg[1] = 0x00100000;		/* capabilities; decoding off */
	sim_bar(s, 0x10, FW_BAR0, 0xffff0000);
	sim_bar(s, 0x30, FW_ROM, 0xfffc0001);
	s->cfg[0x34 / 4] = 0x40;
	s->cfg[0x40 / 4] = 0x00025010;	/* PCIe -> 0x50 */
	s->cfg[0x44 / 4] = PCI_EXP_DEVCAP_FLR;
	s->cfg[0x50 / 4] = 0x00800005;	/* MSI, end */
	s->cfg[0x100 / 4] = 0x14010001;
	s->cfg[0x140 / 4] = 0x18010015;
	s->cfg[0x148 / 4] = 2u << 5;
	s->cfg[0x180 / 4] = 0x2001000d;
	s->cfg[0x200 / 4] = 0x30010010;
	s->cfg[0x300 / 4] = 0x00010024;
	s->cfg[0x308 / 4] = 1u << 5;
	s = &fns[1];
	s->bdf = BR;
	s->cfg[0] = 0x00011b36;
	s->cfg[3] = 1u << 16;
	sim_bar(s, 0x10, 0xfe000000, 0xfffff000);
	sim_bar(s, 0x38, 0xfd000000, 0xfffff801);
	pci_filter_init(&filter, 'a', 0, 0);
	for (unsigned i = 0; i < 2; i++) {
		pci_filter_own(&filter, fns[i].bdf);
		assert_int_equal(partition_pci_read_fn(&hw, fns[i].bdf, &filter.fn[i]), 0);
	}
	filter.nr_fn = 2;
	return 0;
}

static uint32_t cf8(uint16_t bdf, uint16_t reg)
{
	return PCI_CF8_ENABLE | (uint32_t)bdf << 8 | (reg & 0xfc);
}

/* The same access through both mechanisms must decide alike; the port's decision is kept. */
static void access(uint16_t bdf, uint16_t reg, unsigned width, bool write, uint32_t value)
{
	struct pci_filter_decision e;

	pci_filter_ecam(&filter, (uint64_t)bdf << 12 | reg, width, write, &e);
	if (reg >= 0x100) {
		d = e;
		return;
	}
	pci_filter_port(&filter, cf8(bdf, reg), (uint16_t)(PCI_CFG_DATA + (reg & 3)), width,
			write, value, &d);
	assert_int_equal(d.action, e.action);
	assert_int_equal(d.bar_write, e.bar_write);
	assert_int_equal(d.value, e.value);
}

/* An allowed write's fate after the value check: OK, CHANGED (into *val) or REFUSED. */
static enum pci_filter_write_result write_value(uint16_t bdf, uint16_t reg, unsigned width,
						 uint32_t *val)
{
	access(bdf, reg, width, true, *val);
	if (d.action != PCI_FILTER_ALLOW)
		return PCI_WRITE_REFUSED;
	return pci_filter_write(&filter, &d, width, val, &hw);
}

static void test_boot_facts(void **state)
{
	const struct partition_pci_fn *ep = pci_filter_fn(&filter, EP);
	const struct partition_pci_fn *br = pci_filter_fn(&filter, BR);

	assert_non_null(ep);
	assert_int_equal(ep->header, 0);
	assert_int_equal(ep->bar[0], FW_BAR0);
	assert_int_equal(ep->rom, FW_ROM);
	assert_int_equal(ep->command, 0);
	assert_int_equal(ep->pcie, 0x40);
	assert_int_equal(ep->msi, 0x50);
	assert_true(ep->flr);
	assert_int_equal(ep->nr_hidden, 3);
	assert_int_equal(ep->hidden[0].start, 0x200);	/* SR-IOV: 0x40 bytes */
	assert_int_equal(ep->hidden[0].end, 0x240);
	assert_int_equal(ep->hidden[1].start, 0x140);	/* ReBAR with 2 BARs: 4 + 16 */
	assert_int_equal(ep->hidden[1].end, 0x154);
	assert_int_equal(ep->hidden[2].start, 0x300);
	assert_int_equal(ep->hidden[2].end, 0x30c);
	/* AER skips ReBAR, ACS skips SR-IOV and VF ReBAR (the end). */
	assert_int_equal(ep->nr_links, 2);
	assert_int_equal(ep->link[0].at, 0x100);
	assert_int_equal(ep->link[0].header, 0x18010001);
	assert_int_equal(ep->link[1].at, 0x180);
	assert_int_equal(ep->link[1].header, 0x0001000d);
	assert_non_null(br);
	assert_int_equal(br->header, 1);
	assert_int_equal(br->rom, 0xfd000000);
	assert_false(br->flr);
	assert_int_equal(br->nr_hidden, 0);
	assert_null(pci_filter_fn(&filter, PARTITION_BDF(0, 5, 0)));
}

/*
 * Every width at every offset of the command dword: what straddles it is refused; what
 * covers byte 0x04 with a decode bit while BAR0 is left sized loses the decode bits; the
 * rest (status, the high command byte) goes through unchanged.
 */
static void test_command_every_width_and_offset(void **state)
{
	static const uint32_t values[] = { 0x0007, 0x0003, 0x0004, 0xffffffff };

	fns[0].cfg[0x10 / 4] = 0xffff0000;	/* BAR0 left sized */
	for (unsigned width = 1; width <= 4; width *= 2) {
		for (uint16_t off = 0; off < 4; off++) {
			for (unsigned v = 0; v < 4; v++) {
				uint16_t reg = (uint16_t)(PCI_REG_COMMAND + off);
				uint32_t val = values[v], want;
				enum pci_filter_write_result r;
				bool covers = off == 0;

				/* The value is the access's own, as wide as it is. */
				if (width < 4)
					val &= (1u << (8 * width)) - 1;
				want = val;
				r = write_value(EP, reg, width, &val);
				if (off % width) {
					assert_int_equal(d.action, PCI_FILTER_DROP_WRITE);
					continue;
				}
				if (covers && (want & 3)) {
					assert_int_equal(r, PCI_WRITE_CHANGED);
					assert_int_equal(val, want & ~3u);
					assert_string_equal(d.log, "partition: guest a: pci 00:03.0: "
						"decoding stays off while the BAR at 0x10 is not restored");
				} else {
					assert_int_equal(r, PCI_WRITE_OK);
					assert_int_equal(val, want);
				}
			}
		}
	}
	/* Restored: every width turns decoding on. */
	fns[0].cfg[0x10 / 4] = FW_BAR0;
	for (unsigned width = 1; width <= 4; width *= 2) {
		uint32_t val = 0x0007;

		assert_int_equal(write_value(EP, PCI_REG_COMMAND, width, &val), PCI_WRITE_OK);
		assert_int_equal(val, 0x0007);
	}
	/* A ROM whose address is not the firmware's counts as unrestored too. */
	fns[0].cfg[0x30 / 4] = 0xfffc0000;
	{
		uint32_t val = 0x0002;

		assert_int_equal(write_value(EP, PCI_REG_COMMAND, 2, &val), PCI_WRITE_CHANGED);
		assert_int_equal(val, 0);
		assert_non_null(strstr(d.log, "BAR at 0x30"));
	}
}

/* A BAR is written whole, with the firmware's value or with all ones while decoding is off. */
static void check_bar(uint16_t bdf, uint16_t reg, uint32_t fw, bool rom)
{
	struct sim *s = sim_find(bdf);
	uint32_t val;

	for (unsigned width = 1; width <= 2; width *= 2) {
		for (uint16_t off = 0; off < 4; off += (uint16_t)width) {
			val = 0;
			assert_int_equal(write_value(bdf, (uint16_t)(reg + off), width, &val),
					 PCI_WRITE_REFUSED);
			assert_int_equal(d.action, PCI_FILTER_DROP_WRITE);
			assert_non_null(strstr(d.log, "a BAR is written as a whole dword"));
		}
	}
	/* Reads of any width pass. */
	access(bdf, (uint16_t)(reg + 2), 2, false, 0);
	assert_int_equal(d.action, PCI_FILTER_ALLOW);

	s->cfg[1] &= ~3u;
	val = fw;
	assert_int_equal(write_value(bdf, reg, 4, &val), PCI_WRITE_OK);
	assert_true(d.bar_write);
	val = rom ? (fw | PCI_ROM_ADDR_MASK) : 0xffffffffu;
	assert_int_equal(write_value(bdf, reg, 4, &val), PCI_WRITE_OK);
	val = fw + 0x100000;		/* moving it */
	assert_int_equal(write_value(bdf, reg, 4, &val), PCI_WRITE_REFUSED);
	assert_non_null(strstr(d.log, "to BAR at 0x"));
	val = 0;
	assert_int_equal(write_value(bdf, reg, 4, &val),
			 (fw & (rom ? PCI_ROM_ADDR_MASK : ~0u)) ? PCI_WRITE_REFUSED : PCI_WRITE_OK);
	/* Sizing while the function decodes memory or I/O. */
	for (uint32_t dec = 1; dec <= 2; dec++) {
		s->cfg[1] |= dec;
		val = rom ? PCI_ROM_ADDR_MASK : 0xffffffffu;
		assert_int_equal(write_value(bdf, reg, 4, &val), PCI_WRITE_REFUSED);
		val = fw;
		assert_int_equal(write_value(bdf, reg, 4, &val), PCI_WRITE_OK);
		s->cfg[1] &= ~3u;
	}
	if (rom) {
		val = fw | PCI_ROM_ENABLE;	/* enabling the ROM where it is */
		assert_int_equal(write_value(bdf, reg, 4, &val), PCI_WRITE_OK);
	}
}

static void test_bars_and_roms(void **state)
{
	for (uint16_t reg = 0x10; reg < 0x28; reg += 4)
		check_bar(EP, reg, reg == 0x10 ? FW_BAR0 : 0, false);
	check_bar(EP, 0x30, FW_ROM, true);
	check_bar(BR, 0x10, 0xfe000000, false);
	check_bar(BR, 0x14, 0, false);
	check_bar(BR, 0x38, 0xfd000000, true);
	/* A ROM the firmware left without an address is never enabled (it would decode at 0). */
	for (size_t i = 0; i < filter.nr_fn; i++) {
		if (filter.fn[i].bdf != EP)
			continue;
		uint32_t val = PCI_ROM_ENABLE, saved = filter.fn[i].rom;

		filter.fn[i].rom = 0;
		assert_int_equal(write_value(EP, 0x30, 4, &val), PCI_WRITE_REFUSED);
		val = 0;
		assert_int_equal(write_value(EP, 0x30, 4, &val), PCI_WRITE_OK);
		filter.fn[i].rom = saved;
	}
	/* Type 0's 0x38 is reserved, no BAR; subsystem IDs and the capability pointer neither. */
	access(EP, 0x38, 4, true, 0);
	assert_false(d.bar_write);
	access(EP, 0x2c, 4, true, 0);
	assert_false(d.bar_write);
}

/* Without the boot scan nothing tells a restore from a move: every BAR write is refused. */
static void test_bars_without_boot_facts(void **state)
{
	uint32_t val = FW_BAR0;

	filter.nr_fn = 0;
	assert_int_equal(write_value(EP, 0x10, 4, &val), PCI_WRITE_REFUSED);
	val = 0x0003;
	assert_int_equal(write_value(EP, PCI_REG_COMMAND, 2, &val), PCI_WRITE_OK);
}

/* A bridge's buses, windows (and upper halves) and bridge control: no write of any width. */
static void test_bridge_registers(void **state)
{
	for (uint16_t reg = 0x18; reg < 0x40; reg++) {
		for (unsigned width = 1; width <= 4; width *= 2) {
			bool windows = reg < 0x34, control = reg + width > 0x3e;
			uint32_t val = 0;

			if (reg % width || (reg >= 0x34 && reg < 0x3c))
				continue;
			write_value(BR, reg, width, &val);
			if (windows || control) {
				assert_int_equal(d.action, PCI_FILTER_DROP_WRITE);
				assert_non_null(strstr(d.log, windows ? "bus numbers and windows"
								      : "bridge control"));
			} else {
				assert_int_equal(d.action, PCI_FILTER_ALLOW);	/* 0x3c, 0x3d */
			}
			access(BR, reg, width, false, 0);
			assert_int_equal(d.action, PCI_FILTER_ALLOW);
		}
	}
	/* The same offsets of an endpoint are its own registers. */
	access(EP, 0x3e, 2, true, 0);
	assert_int_equal(d.action, PCI_FILTER_ALLOW);
	access(EP, 0x2c, 4, true, 0);
	assert_int_equal(d.action, PCI_FILTER_ALLOW);
}

/* SR-IOV and both Resizable BARs: never written, and the list the guest reads skips them. */
static void test_hidden_capabilities(void **state)
{
	static const uint16_t hidden[][2] = { { 0x140, 0x154 }, { 0x200, 0x240 }, { 0x300, 0x30c } };

	for (unsigned h = 0; h < 3; h++) {
		for (uint16_t reg = hidden[h][0]; reg < hidden[h][1]; reg++) {
			for (unsigned width = 1; width <= 4; width *= 2) {
				if (reg % width)
					continue;
				access(EP, reg, width, true, 0);
				assert_int_equal(d.action, PCI_FILTER_DROP_WRITE);
				assert_non_null(strstr(d.log, "SR-IOV and Resizable BAR"));
			}
		}
		access(EP, hidden[h][1], 4, true, 0);	/* past it */
		assert_int_equal(d.action, PCI_FILTER_ALLOW);
	}
	/* AER's header: the next pointer reads 0x180 at every width; the ID stays. */
	access(EP, 0x100, 4, false, 0);
	assert_int_equal(d.action, PCI_FILTER_READ_VALUE);
	assert_int_equal(d.value, 0x18010001);
	access(EP, 0x102, 2, false, 0);
	assert_int_equal(d.value, 0x1801);
	access(EP, 0x103, 1, false, 0);
	assert_int_equal(d.value, 0x18);
	access(EP, 0x100, 2, false, 0);
	assert_int_equal(d.value, 0x0001);
	access(EP, 0x180, 4, false, 0);
	assert_int_equal(d.value, 0x0001000d);
	/* The rest reads from the hardware; ACS stays writable. */
	access(EP, 0x104, 4, false, 0);
	assert_int_equal(d.action, PCI_FILTER_ALLOW);
	access(EP, 0x184, 4, true, 0);
	assert_int_equal(d.action, PCI_FILTER_ALLOW);
}

/* A hidden capability first in the list reads as a null capability pointing past it. */
static void test_hidden_first(void **state)
{
	struct sim *s = &fns[0];
	struct partition_pci_fn fn;

	s->cfg[0x100 / 4] = 0x20010010;		/* SR-IOV -> 0x200 */
	s->cfg[0x200 / 4] = 0x0001000d;		/* ACS, end */
	assert_int_equal(partition_pci_read_fn(&hw, EP, &fn), 0);
	assert_int_equal(fn.nr_hidden, 1);
	assert_int_equal(fn.nr_links, 1);
	assert_int_equal(fn.link[0].at, 0x100);
	assert_int_equal(fn.link[0].header, 0x20000000);
	/* Only SR-IOV: the list reads as empty. */
	s->cfg[0x100 / 4] = 0x00010010;
	assert_int_equal(partition_pci_read_fn(&hw, EP, &fn), 0);
	assert_int_equal(fn.link[0].header, 0);
	/* A list that loops ends. */
	s->cfg[0x100 / 4] = 0x10010010;
	assert_int_equal(partition_pci_read_fn(&hw, EP, &fn), 0);
	assert_true(fn.nr_links <= PARTITION_PCI_HIDDEN);
	/* Without a PCI Express capability there is no extended list to hide from. */
	s->cfg[0x34 / 4] = 0x50;
	assert_int_equal(partition_pci_read_fn(&hw, EP, &fn), 0);
	assert_int_equal(fn.nr_hidden, 0);
	assert_false(fn.flr);
	assert_int_equal(partition_pci_read_fn(&hw, PARTITION_BDF(0, 9, 0), &fn), -ENODEV);
}

/* Accesses that straddle a dword, through either mechanism. */
static void test_straddling(void **state)
{
	pci_filter_port(&filter, cf8(EP, 0x04), 0xcfe, 4, true, 0, &d);
	assert_int_equal(d.action, PCI_FILTER_DROP_WRITE);
	pci_filter_port(&filter, cf8(EP, 0x04), 0xcfd, 2, true, 0, &d);
	assert_int_equal(d.action, PCI_FILTER_DROP_WRITE);
	pci_filter_port(&filter, cf8(EP, 0x04), 0xcff, 2, false, 0, &d);
	assert_int_equal(d.action, PCI_FILTER_READ_ONES);
	for (unsigned off = 1; off < 4; off++) {
		pci_filter_ecam(&filter, (uint64_t)EP << 12 | (0x10 + off), 4, true, &d);
		assert_int_equal(d.action, PCI_FILTER_DROP_WRITE);
	}
	pci_filter_ecam(&filter, (uint64_t)EP << 12 | 0xfff, 2, false, &d);
	assert_int_equal(d.action, PCI_FILTER_READ_ONES);
	pci_filter_ecam(&filter, (uint64_t)EP << 12 | 0x10, 3, true, &d);
	assert_int_equal(d.action, PCI_FILTER_DROP_WRITE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_boot_facts, setup),
		cmocka_unit_test_setup(test_command_every_width_and_offset, setup),
		cmocka_unit_test_setup(test_bars_and_roms, setup),
		cmocka_unit_test_setup(test_bars_without_boot_facts, setup),
		cmocka_unit_test_setup(test_bridge_registers, setup),
		cmocka_unit_test_setup(test_hidden_capabilities, setup),
		cmocka_unit_test_setup(test_hidden_first, setup),
		cmocka_unit_test_setup(test_straddling, setup),
	};
	return cmocka_run_group_tests_name("partition_pci_filter", tests, NULL, NULL);
}
