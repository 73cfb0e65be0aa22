// SPDX-License-Identifier: GPL-2.0-only
#include "efi/iommu_boot.h"

#include <efilib.h>
#include <errno.h>

#include "efi/log.h"
#include "efi/platform.h"
#include "efi/port.h"
#include "guest-config/describe.h"
#include "iommu/acpi_find.h"
#include "partition/pci_filter.h"

/* Without a memory map, domains are bounded for RAM below 1 TiB, as the nested page tables
 * are; with one, for RAM below the end of the highest RAM the firmware lists. */
#define IOMMU_BOOT_MAX_END	(1ULL << 40)

/*
 * The IOMMU's own configuration space through mechanism #1: used by the monitor's loop too,
 * which owns 0xcf8 (guests' accesses are emulated, never left half done).
 */
static uint32_t iommu_boot_pci_read32(void *ctx, uint16_t bdf, uint16_t reg)
{
	port_outl(PCI_CFG_ADDR, PCI_CF8_ENABLE | (uint32_t)bdf << 8 | (reg & 0xfc));
	return port_inl(PCI_CFG_DATA);
}

static void iommu_boot_pci_write32(void *ctx, uint16_t bdf, uint16_t reg, uint32_t val)
{
	port_outl(PCI_CFG_ADDR, PCI_CF8_ENABLE | (uint32_t)bdf << 8 | (reg & 0xfc));
	port_outl(PCI_CFG_DATA, val);
}

static const struct partition_pci_ops iommu_boot_pci = { iommu_boot_pci_read32,
							 iommu_boot_pci_write32, NULL };

static const void *iommu_boot_map(void *ctx, uint64_t pa, size_t len)
{
	/* Boot services' page tables map the firmware's ACPI tables one to one. */
	return pa && pa + len > pa ? (const void *)(uintptr_t)pa : NULL;
}

/* The end of the highest memory that is RAM once boot services are gone. */
static uint64_t iommu_boot_ram_end(void)
{
	UINTN entries, key, size;
	UINT32 version;
	EFI_MEMORY_DESCRIPTOR *map = LibMemoryMap(&entries, &key, &size, &version);
	uint64_t end = 0;

	if (!map)
		return IOMMU_BOOT_MAX_END;
	for (UINTN i = 0; i < entries; i++) {
		const EFI_MEMORY_DESCRIPTOR *d = (const void *)((const uint8_t *)map + i * size);
		uint64_t e = d->PhysicalStart + d->NumberOfPages * IOMMU_PAGE;

		switch (d->Type) {
		case EfiLoaderCode:
		case EfiLoaderData:
		case EfiBootServicesCode:
		case EfiBootServicesData:
		case EfiConventionalMemory:
			if (e > end)
				end = e;
			break;
		default:
			break;
		}
	}
	FreePool(map);
	return end && end < IOMMU_BOOT_MAX_END ? end : IOMMU_BOOT_MAX_END;
}

uint64_t iommu_boot_probe(struct iommu *io)
{
	uint64_t rsdp = prep_find_rsdp(), pa;
	uint32_t len;
	int err;

	io->kind = IOMMU_NONE;
	err = acpi_find_table(rsdp, "IVRS", iommu_boot_map, NULL, &pa, &len);
	if (err < 0) {
		log_printf("efi: iommu: none (%s)", err == -ENOENT ? "no IVRS table"
								   : "no readable ACPI tables");
		return 0;
	}
	if ((err = iommu_probe_ivrs(io, (const void *)(uintptr_t)pa, len)) < 0) {
		log_printf("efi: iommu: none usable: %s", io->err);
		io->kind = IOMMU_NONE;
		return 0;
	}
	for (size_t i = 0; i < io->ivrs.nr_units; i++)
		log_printf("efi: iommu: AMD-Vi at 0x%llx, function %02x:%02x.%x, IVHD type 0x%x, "
			   "requester IDs up to 0x%x%s", (unsigned long long)io->ivrs.unit[i].base,
			   PARTITION_BDF_BUS(io->ivrs.unit[i].devid),
			   PARTITION_BDF_DEV(io->ivrs.unit[i].devid),
			   PARTITION_BDF_FN(io->ivrs.unit[i].devid), io->ivrs.unit[i].type,
			   io->ivrs.unit[i].max_devid,
			   io->ivrs.nr_ivmd ? " (its IVMD ranges are not mapped)" : "");
	return (uint64_t)iommu_pages_bound(io, iommu_boot_ram_end()) * IOMMU_PAGE;
}

/* Without an IOMMU: a guest that owns a function runs only with dma = unconfined. */
static int iommu_boot_none(struct prep *p, const struct twin_config *cfg)
{
	char text[CONFIG_DESCRIBE_MAX];
	bool refused = false;

	for (unsigned gi = 0; gi < CONFIG_NR_GUESTS; gi++) {
		const struct partition_guest *g = &p->plan.guest[gi];

		if (!g->present || !g->nr_pci || cfg->dma == CONFIG_DMA_UNCONFINED)
			continue;
		for (size_t i = 0; i < g->nr_pci; i++)
			log_printf("efi: guest %c: pci %02x:%02x.%x can do DMA to any address and "
				   "there is no IOMMU to confine it: refused (dma = unconfined in "
				   "[global] accepts that)", g->letter, PARTITION_BDF_BUS(g->pci[i]),
				   PARTITION_BDF_DEV(g->pci[i]), PARTITION_BDF_FN(g->pci[i]));
		refused = true;
	}
	if (refused)
		platform_power_off(RT, PLATFORM_EXIT_CONFIG);
	if (config_describe_dma_warning(text, sizeof(text), cfg) > 0)
		log_printf("efi: iommu: none: %s", text);
	return 0;
}

int iommu_boot_build(struct iommu *io, struct prep *p, const struct twin_config *cfg)
{
	struct iommu_pool pool;
	size_t pages;
	uint64_t pa;
	int err;

	if (io->kind == IOMMU_NONE)
		return iommu_boot_none(p, cfg);
	if (iommu_check_regs(io, &p->plan) < 0) {
		log_printf("efi: %s", p->plan.err);
		platform_power_off(RT, PLATFORM_EXIT_CONFIG);
		return -EBUSY;
	}
	if (iommu_check_scope(io, &p->plan) < 0) {
		if (cfg->dma != CONFIG_DMA_UNCONFINED) {
			log_printf("efi: %s: refused (dma = unconfined in [global] accepts that)",
				   io->err);
			platform_power_off(RT, PLATFORM_EXIT_CONFIG);
			return -ENXIO;
		}
		log_printf("efi: %s: run anyway (dma = unconfined)", io->err);
	}
	pages = iommu_pages(io, &p->plan);
	if (!(pa = prep_pool_alloc(p, (uint64_t)pages * IOMMU_PAGE))) {
		log_printf("efi: iommu: monitor pool exhausted (%zu pages wanted)", pages);
		return -ENOMEM;
	}
	iommu_pool_init(&pool, pa, (void *)(uintptr_t)pa, pages);
	if ((err = iommu_build(io, &p->plan, &pool)) < 0) {
		log_printf("efi: %s", io->err);
		/* The IOMMU's own function, a shared alias, or a function on an IOMMU that does
		 * not remap interrupts: the config asks for it. */
		if (err == -EPERM || err == -EBUSY || err == -EOPNOTSUPP)
			platform_power_off(RT, PLATFORM_EXIT_CONFIG);
		return err;
	}
	log_printf("efi: iommu: device table at 0x%llx, %zu of %zu pages used; every requester "
		   "ID blocked but the guests' functions; interrupts %s",
		   (unsigned long long)io->devtab_pa, pool.used, pages,
		   io->intremap ? "remapped (I/O APIC and HPET unmapped, every other requester "
				  "ID refused)" : "not remapped (no guest owns a function)");
	for (unsigned gi = 0; gi < CONFIG_NR_GUESTS; gi++) {
		const struct partition_guest *g = &p->plan.guest[gi];

		if (!g->present)
			continue;
		log_printf("efi: iommu: guest %c: domain %u maps its %llu KiB of RAM (%zu ranges), "
			   "root at 0x%llx, %zu functions", g->letter, AMDVI_DOMID_GUEST(gi),
			   (unsigned long long)(g->ram_bytes >> 10), g->nr_ram,
			   (unsigned long long)io->root_pa[gi], g->nr_pci);
	}
	return 0;
}

int iommu_boot_enable(struct iommu *io)
{
	int err;

	if (io->kind == IOMMU_NONE)
		return 0;
	if ((err = iommu_enable(io)) < 0) {
		log_printf("efi: %s", io->err);
		return err;
	}
	io->pci = &iommu_boot_pci;
	log_printf("efi: iommu: %s enabled (%zu unit%s), event log on", iommu_name(io),
		   io->nr_units, io->nr_units == 1 ? "" : "s");
	return 0;
}
