// SPDX-License-Identifier: GPL-2.0-only
/*
 * The boot scan of one of a guest's functions (struct partition_pci_fn): what the firmware
 * left in its BARs, ROM BAR and command register, so the monitor can tell a guest's restore
 * from a move and put them back at a restart, and where the capabilities are that the filter
 * hides and the restart reset uses. Read once, before any guest runs, while the values are
 * still the firmware's.
 */
#include <errno.h>
#include <string.h>

#include "partition/pci_caps.h"
#include "partition/pci_fn.h"

#define PCI_SRIOV_SIZE		0x40
#define PCI_REBAR_CTRL		0x08	/* first BAR's control: bits 7:5, number of BARs */
#define PCI_REBAR_MAX		6
#define PCI_EXT_WALK_MAX	((0x1000 - PCI_EXT_CAP_FIRST) / 4)

static const uint16_t pci_fn_hidden_ids[PARTITION_PCI_HIDDEN] = {
	PCI_EXT_CAP_SRIOV, PCI_EXT_CAP_REBAR, PCI_EXT_CAP_VF_REBAR,
};

unsigned partition_pci_fn_nr_bars(uint8_t header)
{
	return header == 0 ? 6 : header == 1 ? 2 : header == 2 ? 1 : 0;
}

uint16_t partition_pci_fn_rom_reg(uint8_t header)
{
	return header == 1 ? PCI_REG_BRIDGE_ROM : header == 0 ? PCI_REG_ROM : 0;
}

/* How far a hidden capability reaches: its registers are refused to the guest's writes. */
static uint16_t pci_fn_cap_end(const struct partition_pci_ops *ops, uint16_t bdf, uint16_t id,
			       uint16_t at)
{
	unsigned n, end;

	if (id == PCI_EXT_CAP_SRIOV) {
		end = at + PCI_SRIOV_SIZE;
	} else {
		/* Each resizable BAR has a capability and a control dword. */
		n = (ops->read32(ops->ctx, bdf, (uint16_t)(at + PCI_REBAR_CTRL)) >> 5) & 7;
		if (!n || n > PCI_REBAR_MAX)
			n = PCI_REBAR_MAX;
		end = at + 4 + 8 * n;
	}
	return (uint16_t)(end > 0x1000 ? 0x1000 : end);
}

static bool pci_fn_is_hidden(const struct partition_pci_fn *fn, unsigned at)
{
	for (unsigned i = 0; i < fn->nr_hidden; i++)
		if (fn->hidden[i].start == at)
			return true;
	return false;
}

/* The header at pos, or 0 where the list ends (no extended space, a broken pointer). */
static uint32_t pci_fn_ext_head(const struct partition_pci_ops *ops, uint16_t bdf, unsigned pos)
{
	uint32_t head;

	if (pos < PCI_EXT_CAP_FIRST || pos > 0xffc)
		return 0;
	head = ops->read32(ops->ctx, bdf, (uint16_t)pos);
	return head == 0xffffffffu ? 0 : head;
}

/* The first capability from pos on that is not hidden: 0 at the end of the list. */
static unsigned pci_fn_visible(const struct partition_pci_ops *ops, uint16_t bdf,
			       const struct partition_pci_fn *fn, unsigned pos)
{
	for (unsigned n = 0; n < PCI_EXT_WALK_MAX && pci_fn_ext_head(ops, bdf, pos); n++) {
		if (!pci_fn_is_hidden(fn, pos))
			return pos;
		pos = (pci_fn_ext_head(ops, bdf, pos) >> 20) & 0xffc;
	}
	return 0;
}

/*
 * The headers whose next pointer must skip a hidden capability. A hidden capability at 0x100
 * cannot be skipped (the list starts there): its header reads as a null capability (ID 0,
 * version 0) that points at the next visible one, which Linux walks past.
 */
static void pci_fn_links(const struct partition_pci_ops *ops, uint16_t bdf,
			 struct partition_pci_fn *fn)
{
	unsigned pos = PCI_EXT_CAP_FIRST;

	for (unsigned n = 0; n < PCI_EXT_WALK_MAX && fn->nr_links < PARTITION_PCI_HIDDEN; n++) {
		uint32_t head = pci_fn_ext_head(ops, bdf, pos);
		unsigned next, vis;

		if (!head)
			return;
		next = (head >> 20) & 0xffc;
		if (pos == PCI_EXT_CAP_FIRST && pci_fn_is_hidden(fn, pos)) {
			vis = pci_fn_visible(ops, bdf, fn, next);
			fn->link[fn->nr_links++] = (struct partition_pci_link){
				(uint16_t)pos, (uint32_t)vis << 20 };
			if (!vis)
				return;
			pos = vis;
			continue;
		}
		vis = pci_fn_visible(ops, bdf, fn, next);
		if (vis != next)
			fn->link[fn->nr_links++] = (struct partition_pci_link){
				(uint16_t)pos, (head & 0xfffffu) | (uint32_t)vis << 20 };
		if (!vis)
			return;
		pos = vis;
	}
}

int partition_pci_read_fn(const struct partition_pci_ops *ops, uint16_t bdf,
			  struct partition_pci_fn *fn)
{
	uint32_t id = ops->read32(ops->ctx, bdf, PCI_REG_ID);
	uint16_t rom;

	memset(fn, 0, sizeof(*fn));
	fn->bdf = bdf;
	if ((id & 0xffff) == 0xffff)
		return -ENODEV;
	fn->header = (uint8_t)((ops->read32(ops->ctx, bdf, PCI_REG_HEADER) >> 16) & 0x7f);
	fn->command = (uint16_t)ops->read32(ops->ctx, bdf, PCI_REG_COMMAND);
	for (unsigned i = 0; i < partition_pci_fn_nr_bars(fn->header); i++)
		fn->bar[i] = ops->read32(ops->ctx, bdf, (uint16_t)(PCI_REG_BAR0 + 4 * i));
	rom = partition_pci_fn_rom_reg(fn->header);
	if (rom)
		fn->rom = ops->read32(ops->ctx, bdf, rom);

	fn->msi = (uint8_t)pci_caps_find(ops, bdf, PCI_CAP_MSI);
	fn->msix = (uint8_t)pci_caps_find(ops, bdf, PCI_CAP_MSIX);
	fn->pcie = (uint8_t)pci_caps_find(ops, bdf, PCI_CAP_PCIE);
	fn->af = (uint8_t)pci_caps_find(ops, bdf, PCI_CAP_AF);
	if (fn->pcie)
		fn->flr = ops->read32(ops->ctx, bdf, (uint16_t)(fn->pcie + PCI_EXP_DEVCAP)) &
			  PCI_EXP_DEVCAP_FLR;
	if (!fn->flr && fn->af)
		fn->flr = (ops->read32(ops->ctx, bdf, fn->af) >> 24) & PCI_AF_CAP_FLR;

	/* Extended capabilities exist only behind a PCI Express capability. */
	for (unsigned i = 0; fn->pcie && i < PARTITION_PCI_HIDDEN; i++) {
		uint16_t at = pci_caps_find_ext(ops, bdf, pci_fn_hidden_ids[i]);

		if (at)
			fn->hidden[fn->nr_hidden++] = (struct partition_range16){
				at, pci_fn_cap_end(ops, bdf, pci_fn_hidden_ids[i], at) };
	}
	if (fn->nr_hidden)
		pci_fn_links(ops, bdf, fn);
	return 0;
}

const struct partition_pci_fn *partition_pci_fn_find(const struct partition_pci_fn *fns,
						     size_t n, uint16_t bdf)
{
	for (size_t i = 0; i < n; i++)
		if (fns[i].bdf == bdf)
			return &fns[i];
	return NULL;
}
