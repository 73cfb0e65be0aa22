// SPDX-License-Identifier: GPL-2.0-only
/*
 * The AMD-Vi register programming against a register block in memory: what enabling writes
 * (device table, rings, control, the invalidation commands and the completion wait), and the
 * event log read whether the tail register moves or not (QEMU 7.2's does not), and after an
 * overflow; the target-abort report of an IOMMU whose log stays empty.
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
#include "tests/unit/iommu_fixture.h"

static struct iommu io;
static struct iommu_pool pool;
static void *pool_mem;
static uint64_t regs[0x4000 / 8];	/* the unit's 16 KiB */
static uint32_t iommu_cmd_status;	/* the IOMMU function's command/status dword */

static uint64_t reg(unsigned off)
{
	return regs[off / 8];
}

static uint32_t fake_read32(void *ctx, uint16_t bdf, uint16_t off)
{
	assert_int_equal(bdf, 0x0008);
	assert_int_equal(off, PCI_REG_COMMAND);
	return iommu_cmd_status;
}

static void fake_write32(void *ctx, uint16_t bdf, uint16_t off, uint32_t v)
{
	/* Status bits are write-1-to-clear; the command half is kept as written. */
	iommu_cmd_status = (iommu_cmd_status & ~(v & 0xffff0000u) & 0xffff0000u) |
			   (v & 0xffffu);
}

static const struct partition_pci_ops fake_pci = { fake_read32, fake_write32, NULL };

/* One unit at 00:01.0 that can invalidate everything at once (IVHD type 0x11, EFR IA). */
static int setup(void **state)
{
	pool_mem = iommufx_build(&io, &pool, true);
	io.amdvi[0].mmio = (volatile uint8_t *)regs;
	io.pci = &fake_pci;
	return 0;
}

static int teardown(void **state)
{
	free(pool_mem);
	return 0;
}

static void test_hw_enable(void **state)
{
	struct amdvi_unit *u = &io.amdvi[0];
	const uint64_t *cmd = u->cmd;

	/* The completion store as the unit would leave it for the first wait. */
	*u->sem = 1;
	assert_int_equal(iommu_enable(&io), 0);
	assert_true(io.enabled && u->enabled);
	assert_true(reg(AMDVI_REG_DEVTAB) == (io.devtab_pa | (AMDVI_DEVTAB_PAGES - 1)));
	assert_true(reg(AMDVI_REG_CMDBUF) == (u->cmd_pa | 8ULL << 56));
	assert_true(reg(AMDVI_REG_EVTLOG) == (u->evt_pa | 8ULL << 56));
	assert_true(reg(AMDVI_REG_CONTROL) == (AMDVI_CTL_IOMMU_EN | AMDVI_CTL_EVTLOG_EN |
					       AMDVI_CTL_CMDBUF_EN));
	assert_true(reg(AMDVI_REG_EXCL_BASE) == 0);
	/* INVALIDATE_IOMMU_ALL, INVALIDATE_IOMMU_PAGES of the guest's domain, COMPLETION_WAIT. */
	assert_true(reg(AMDVI_REG_CMD_TAIL) == 3 * 16);
	assert_true(cmd[0] == AMDVI_CMD_OP(AMDVI_CMD_INV_IOMMU_ALL) && cmd[1] == 0);
	assert_true(cmd[2] == (AMDVI_CMD_OP(AMDVI_CMD_INV_IOMMU_PAGES) |
			       (uint64_t)AMDVI_DOMID_GUEST(0) << 32));
	assert_true(cmd[3] == AMDVI_CMD_PAGES_ALL);
	assert_true(cmd[4] == (u->sem_pa | AMDVI_CMD_CW_STORE |
			       AMDVI_CMD_OP(AMDVI_CMD_COMPLETION_WAIT)));
	assert_true(cmd[5] == 1);
}

/* A vector given to the guest's function: its table entry, then the unit told to reread it. */
static void test_hw_msi_route(void **state)
{
	struct amdvi_unit *u = &io.amdvi[0];
	const uint64_t *cmd = u->cmd;
	uint16_t fn = PARTITION_BDF(0, 0x10, 0);

	assert_true(io.enabled && io.intremap);
	*u->sem = 2;
	assert_int_equal(iommu_msi_route(&io, fn, 0x91, 0), 0);
	assert_true(io.owned[0].irt[0x91] == amdvi_irte(0x91, 0));
	assert_true(reg(AMDVI_REG_CMD_TAIL) == 5 * 16);
	assert_true(cmd[6] == (AMDVI_CMD_OP(AMDVI_CMD_INV_INTR_TABLE) | fn) && cmd[7] == 0);
	assert_true(cmd[8] == (u->sem_pa | AMDVI_CMD_CW_STORE |
			       AMDVI_CMD_OP(AMDVI_CMD_COMPLETION_WAIT)));
	assert_true(cmd[9] == 2);
}

static void put_event(unsigned slot, uint16_t devid, uint64_t addr, bool write)
{
	uint64_t *e = &io.amdvi[0].evt[slot * 2];

	e[0] = (uint64_t)AMDVI_EVT_IO_PAGE_FAULT << 60 |
	       (uint64_t)(write ? AMDVI_EVT_FLAG_RW : 0) << 48 | 2ULL << 32 | devid;
	e[1] = addr;
}

static void test_hw_events(void **state)
{
	struct iommu_fault f[4];
	uint64_t lost = 0;

	/* Enabling wrote 1 to the overflow flag to clear it: the unit would have. */
	regs[AMDVI_REG_STATUS / 8] = 0;
	/* Nothing yet: no fault, nothing written. */
	assert_int_equal(iommu_poll(&io, f, 4, &lost), 0);
	/* Two by the tail register: the owner named, the direction from RW. */
	put_event(0, 0x0080, 0x3f00000, true);
	put_event(1, 0x0008, 0x1000, false);
	regs[AMDVI_REG_EVT_TAIL / 8] = 32;
	assert_int_equal(iommu_poll(&io, f, 4, &lost), 2);
	assert_int_equal(f[0].owner, 'a');
	assert_true(f[0].page_fault && f[0].write && f[0].addr == 0x3f00000);
	assert_string_equal(f[0].what, "IO_PAGE_FAULT");
	assert_int_equal(f[1].owner, 0);
	assert_false(f[1].write);
	assert_true(reg(AMDVI_REG_EVT_HEAD) == 32);
	assert_true(io.amdvi[0].evt[0] == 0 && io.amdvi[0].evt[3] == 0);
	/* One the unit wrote without moving its tail register. */
	put_event(2, 0x0080, 0x3f40000, false);
	assert_int_equal(iommu_poll(&io, f, 4, &lost), 1);
	assert_true(f[0].addr == 0x3f40000);
	assert_true(reg(AMDVI_REG_EVT_HEAD) == 48);
	/* At most max at a time. */
	for (unsigned i = 3; i < 9; i++)
		put_event(i, 0x0080, 0x1000 * i, false);
	assert_int_equal(iommu_poll(&io, f, 4, &lost), 4);
	assert_int_equal(iommu_poll(&io, f, 4, &lost), 2);
	assert_int_equal(lost, 0);
	/* An overflow: reported, and the log restarted from its first entry. */
	regs[AMDVI_REG_STATUS / 8] = AMDVI_STATUS_EVT_OVF;
	put_event(9, 0x0080, 0x2000, false);
	assert_int_equal(iommu_poll(&io, f, 4, &lost), 1);
	assert_int_equal(lost, 1);
	assert_true(reg(AMDVI_REG_EVT_HEAD) == 0 && reg(AMDVI_REG_EVT_TAIL) == 0);
	assert_int_equal(io.amdvi[0].evt_head, 0);
	assert_true(reg(AMDVI_REG_CONTROL) == (AMDVI_CTL_IOMMU_EN | AMDVI_CTL_EVTLOG_EN |
					       AMDVI_CTL_CMDBUF_EN));
	regs[AMDVI_REG_STATUS / 8] = 0;
}

static void test_hw_target_abort(void **state)
{
	struct iommu_fault f[4];
	uint64_t lost = 0;

	/* Signalled Target Abort with an empty log: one unnamed report, the bit cleared and
	 * the command register left as it was. */
	iommu_cmd_status = 1u << 27 | 0x0006;
	assert_int_equal(iommu_poll(&io, f, 4, &lost), 1);
	assert_true(f[0].unnamed);
	assert_int_equal(f[0].devid, 0x0008);
	assert_int_equal(iommu_cmd_status, 0x0006);
	assert_int_equal(iommu_poll(&io, f, 4, &lost), 0);
	/* With an event that names the function, only the event is reported. */
	iommu_cmd_status = 1u << 27 | 0x0006;
	put_event(0, 0x0080, 0x5000, true);
	assert_int_equal(iommu_poll(&io, f, 4, &lost), 1);
	assert_false(f[0].unnamed);
	assert_int_equal(f[0].owner, 'a');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hw_enable),
		cmocka_unit_test(test_hw_msi_route),
		cmocka_unit_test(test_hw_events),
		cmocka_unit_test(test_hw_target_abort),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
