// SPDX-License-Identifier: GPL-2.0-only
/*
 * The values a guest writes to its own functions' BARs and command register. A BAR decides
 * which physical addresses the function answers: moved onto the other guest's RAM, the
 * monitor's, the local APIC or another function's registers, it would capture or corrupt
 * them. So a BAR only ever holds the firmware's value (the one the plan mapped) or, while
 * decoding is off, the all-ones pattern an OS writes to size it. Decoding goes back on only
 * once every BAR holds the firmware's value again.
 */
#include "lib/fmt.h"
#include "partition/pci_filter.h"
#include "partition/pci_fn.h"

static bool pci_filter_decoding(const struct partition_pci_ops *hw, uint16_t bdf)
{
	return hw->read32(hw->ctx, bdf, PCI_REG_COMMAND) & (PCI_COMMAND_IO | PCI_COMMAND_MEMORY);
}

/* The firmware's value for the BAR or ROM BAR at reg; false when reg is neither. */
static bool pci_filter_firmware_bar(const struct partition_pci_fn *fn, uint16_t reg,
				    uint32_t *value, bool *rom)
{
	*rom = reg == partition_pci_fn_rom_reg(fn->header);
	if (*rom) {
		*value = fn->rom;
		return true;
	}
	if (reg < PCI_REG_BAR0 || reg >= PCI_REG_BAR0 + 4 * partition_pci_fn_nr_bars(fn->header))
		return false;
	*value = fn->bar[(reg - PCI_REG_BAR0) / 4];
	return true;
}

static bool pci_filter_bar_value_ok(const struct partition_pci_fn *fn, uint16_t reg,
				    uint32_t val, const struct partition_pci_ops *hw)
{
	uint32_t fw;
	bool rom;

	if (!pci_filter_firmware_bar(fn, reg, &fw, &rom))
		return false;
	/*
	 * The ROM's enable bit is the guest's: the address bits are what could move. A ROM the
	 * firmware left without an address would decode from address 0 (RAM) once enabled.
	 */
	if (rom && (val & PCI_ROM_ADDR_MASK) == (fw & PCI_ROM_ADDR_MASK))
		return (fw & PCI_ROM_ADDR_MASK) || !(val & 1);
	if (!rom && val == fw)
		return true;
	/* Sizing: while the function decodes, all ones would move the BAR onto the top of the
	 * address space (the I/O APIC, the firmware, anyone's MMIO). */
	if (rom ? (val & PCI_ROM_ADDR_MASK) != PCI_ROM_ADDR_MASK : val != 0xffffffffu)
		return false;
	return !pci_filter_decoding(hw, fn->bdf);
}

/* The first BAR of fn that does not hold the firmware's value now, or 0 when all do. */
static uint16_t pci_filter_unrestored(const struct partition_pci_fn *fn,
				      const struct partition_pci_ops *hw)
{
	uint16_t rom = partition_pci_fn_rom_reg(fn->header);

	for (unsigned i = 0; i < partition_pci_fn_nr_bars(fn->header); i++) {
		uint16_t reg = (uint16_t)(PCI_REG_BAR0 + 4 * i);

		if (hw->read32(hw->ctx, fn->bdf, reg) != fn->bar[i])
			return reg;
	}
	if (rom && (hw->read32(hw->ctx, fn->bdf, rom) & PCI_ROM_ADDR_MASK) !=
		   (fn->rom & PCI_ROM_ADDR_MASK))
		return rom;
	return 0;
}

enum pci_filter_write_result pci_filter_write(const struct pci_filter *f,
					      struct pci_filter_decision *d, unsigned width,
					      uint32_t *val, const struct partition_pci_ops *hw)
{
	const struct partition_pci_fn *fn = pci_filter_fn(f, d->bdf);
	uint32_t decode = PCI_COMMAND_IO | PCI_COMMAND_MEMORY;
	unsigned shift;
	uint16_t bar;

	if (d->bar_write) {
		if (fn && width == 4 && pci_filter_bar_value_ok(fn, d->reg, *val, hw))
			return PCI_WRITE_OK;
		fmt_snprintf(d->log, sizeof(d->log), "partition: guest %c: pci %02x:%02x.%x: write "
			     "0x%x to BAR at 0x%x dropped (BARs stay where the firmware put them)",
			     f->letter, PARTITION_BDF_BUS(d->bdf), PARTITION_BDF_DEV(d->bdf),
			     PARTITION_BDF_FN(d->bdf), *val, d->reg);
		return PCI_WRITE_REFUSED;
	}
	/* The decode bits are in byte 0x04: any write that covers it, of any width. */
	if (d->reg > PCI_REG_COMMAND || d->reg + width <= PCI_REG_COMMAND)
		return PCI_WRITE_OK;
	shift = 8 * (PCI_REG_COMMAND - d->reg);
	if (!(*val & (decode << shift)))
		return PCI_WRITE_OK;
	/* Without boot facts every BAR write was refused: the BARs are still the firmware's. */
	if (!fn || !(bar = pci_filter_unrestored(fn, hw)))
		return PCI_WRITE_OK;
	*val &= ~(decode << shift);
	fmt_snprintf(d->log, sizeof(d->log), "partition: guest %c: pci %02x:%02x.%x: decoding "
		     "stays off while the BAR at 0x%x is not restored", f->letter,
		     PARTITION_BDF_BUS(d->bdf), PARTITION_BDF_DEV(d->bdf), PARTITION_BDF_FN(d->bdf),
		     bar);
	return PCI_WRITE_CHANGED;
}
