// SPDX-License-Identifier: GPL-2.0-only
/* The vendor-neutral IOMMU front (see iommu.h) and its AMD-Vi backend's setup. */
#include "iommu/iommu.h"

#include <errno.h>
#include <string.h>

#include "lib/fmt.h"

#define IOMMU_BDF_FMT		"%02x:%02x.%x"
#define IOMMU_BDF_ARGS(d)	PARTITION_BDF_BUS(d), PARTITION_BDF_DEV(d), PARTITION_BDF_FN(d)

const char *iommu_name(const struct iommu *io)
{
	return io->kind == IOMMU_AMDVI ? "AMD-Vi" : "none";
}

int iommu_probe_ivrs(struct iommu *io, const void *table, size_t len)
{
	int err;

	memset(io, 0, sizeof(*io));
	if ((err = ivrs_parse(table, len, &io->ivrs)) < 0) {
		fmt_snprintf(io->err, sizeof(io->err), "%s", io->ivrs.err);
		return err;
	}
	for (size_t i = 0; i < io->ivrs.nr_units; i++) {
		if (io->ivrs.unit[i].segment) {
			fmt_snprintf(io->err, sizeof(io->err),
				     "IVRS: an IOMMU of PCI segment %u: only segment 0 is supported",
				     io->ivrs.unit[i].segment);
			return -EOPNOTSUPP;
		}
	}
	io->kind = IOMMU_AMDVI;
	io->nr_units = io->ivrs.nr_units;
	return 0;
}

size_t iommu_pages_bound(const struct iommu *io, uint64_t max_end)
{
	size_t per_guest = 1 + PARTITION_MAX_RAM * 4 + (size_t)(max_end >> 39) +
			   (size_t)(max_end >> 30);

	return AMDVI_DEVTAB_PAGES + 2 + 2 * io->nr_units + PARTITION_NR_GUESTS * per_guest +
	       IOMMU_MAX_OWNED;
}

size_t iommu_pages(const struct iommu *io, const struct partition_plan *plan)
{
	/* The device table, the blocked entries' empty root, the completion stores, a command
	 * buffer and an event log per unit, and an interrupt table per function and alias. */
	size_t pages = AMDVI_DEVTAB_PAGES + 2 + 2 * io->nr_units;

	for (unsigned gi = 0; gi < PARTITION_NR_GUESTS; gi++)
		if (plan->guest[gi].present)
			pages += amdvi_domain_pages(plan->guest[gi].ram, plan->guest[gi].nr_ram) +
				 2 * plan->guest[gi].nr_pci;
	return pages;
}

char iommu_owner(const struct iommu *io, uint16_t devid)
{
	for (size_t i = 0; i < io->nr_owned; i++)
		if (io->owned[i].devid == devid)
			return io->owned[i].letter;
	return 0;
}

static int iommu_fail(struct iommu *io, int err, const char *what)
{
	fmt_snprintf(io->err, sizeof(io->err), "iommu: %s", what);
	return err;
}

/* A guest's domain: its RAM, one to one, checked by walking the tables back. */
static int iommu_domain(struct iommu *io, const struct partition_guest *g, unsigned gi,
			struct iommu_pool *pool)
{
	uint64_t root = amdvi_empty_table(pool);
	char why[IOMMU_ERR_MAX];

	if (!root)
		return iommu_fail(io, -ENOMEM, "no room for a domain's page tables");
	for (size_t i = 0; i < g->nr_ram; i++) {
		uint64_t pa, last = g->ram[i].end - IOMMU_PAGE;
		bool w;
		int err = amdvi_map(pool, root, g->ram[i].base, g->ram[i].end);

		if (err < 0) {
			fmt_snprintf(why, sizeof(why), "guest %c: RAM 0x%llx-0x%llx not mapped (%d)",
				     g->letter, (unsigned long long)g->ram[i].base,
				     (unsigned long long)g->ram[i].end - 1, err);
			return iommu_fail(io, err, why);
		}
		if (!amdvi_lookup(pool, root, last, &pa, &w) || pa != last || !w)
			return iommu_fail(io, -EIO, "a domain's tables do not read back");
	}
	io->domid[io->nr_domains++] = AMDVI_DOMID_GUEST(gi);
	io->root_pa[gi] = root;
	return 0;
}

/* Requester ID devid (function fn itself, or the alias fn's DMA carries) joins guest gi. */
static int iommu_attach(struct iommu *io, uint16_t devid, uint16_t fn, char letter, unsigned gi,
			struct iommu_pool *pool)
{
	struct iommu_owned *o;
	char why[IOMMU_ERR_MAX];
	char other = iommu_owner(io, devid);

	if (other && other != letter) {
		fmt_snprintf(why, sizeof(why),
			     "guest %c: " IOMMU_BDF_FMT " does DMA as " IOMMU_BDF_FMT
			     ", which is guest %c's", letter, IOMMU_BDF_ARGS(fn),
			     IOMMU_BDF_ARGS(devid), other);
		return iommu_fail(io, -EBUSY, why);
	}
	for (size_t u = 0; u < io->nr_units; u++) {
		if (io->amdvi[u].devid == devid) {
			fmt_snprintf(why, sizeof(why),
				     "guest %c: " IOMMU_BDF_FMT " is the IOMMU itself: it stays "
				     "the monitor's", letter, IOMMU_BDF_ARGS(devid));
			return iommu_fail(io, -EPERM, why);
		}
	}
	if (other)
		return 0;
	if (io->nr_owned == IOMMU_MAX_OWNED)
		return iommu_fail(io, -E2BIG, "too many functions");
	o = &io->owned[io->nr_owned++];
	*o = (struct iommu_owned){ devid, letter, 0, NULL };
	amdvi_dte_domain(&io->devtab[(size_t)devid * 4], io->root_pa[gi], AMDVI_DOMID_GUEST(gi));
	if (!io->intremap)
		return 0;
	/* An empty table: no vector is the function's until the monitor routes one. */
	if (!(o->irt_pa = iommu_pool_alloc(pool, 1)))
		return iommu_fail(io, -ENOMEM, "no room for an interrupt remapping table");
	o->irt = iommu_pool_va(pool, o->irt_pa);
	amdvi_dte_intr(&io->devtab[(size_t)devid * 4], AMDVI_INTR_REMAP, o->irt_pa);
	return 0;
}

/*
 * Interrupts are remapped when the IVRS names an I/O APIC: firmware lists it only for a unit
 * that remaps (QEMU 7.2's amd-iommu only with intremap=on), and Linux makes the same test.
 * Without remapping a function could send any interrupt by DMA, so no guest may own one.
 */
static int iommu_intremap(struct iommu *io, const struct partition_plan *plan)
{
	char why[IOMMU_ERR_MAX];

	for (size_t i = 0; i < io->ivrs.nr_special; i++)
		if (io->ivrs.special[i].variety == IVRS_SPECIAL_IOAPIC)
			io->intremap = true;
	for (unsigned gi = 0; !io->intremap && gi < PARTITION_NR_GUESTS; gi++) {
		const struct partition_guest *g = &plan->guest[gi];

		if (!g->present || !g->nr_pci)
			continue;
		fmt_snprintf(why, sizeof(why), "guest %c: " IOMMU_BDF_FMT " could send any "
			     "interrupt by DMA: the IOMMU does not remap interrupts (the IVRS names "
			     "no I/O APIC; QEMU: -device amd-iommu,intremap=on)", g->letter,
			     IOMMU_BDF_ARGS(g->pci[0]));
		return iommu_fail(io, -EOPNOTSUPP, why);
	}
	return 0;
}

static int iommu_units(struct iommu *io, struct iommu_pool *pool)
{
	uint64_t sem = iommu_pool_alloc(pool, 1);

	if (!sem)
		return iommu_fail(io, -ENOMEM, "no room for the completion stores");
	for (size_t i = 0; i < io->nr_units; i++) {
		struct amdvi_unit *u = &io->amdvi[i];
		const struct ivrs_unit *iu = &io->ivrs.unit[i];

		*u = (struct amdvi_unit){
			.mmio = (volatile uint8_t *)(uintptr_t)iu->base,
			.base = iu->base,
			.devid = iu->devid,
			.max_devid = iu->max_devid,
			.efr = iu->has_efr ? iu->efr : 0,
			.cmd_pa = iommu_pool_alloc(pool, 1),
			.evt_pa = iommu_pool_alloc(pool, 1),
			.sem_pa = sem + i * 8,
		};
		if (!u->cmd_pa || !u->evt_pa)
			return iommu_fail(io, -ENOMEM, "no room for the command buffers");
		u->cmd = iommu_pool_va(pool, u->cmd_pa);
		u->evt = iommu_pool_va(pool, u->evt_pa);
		u->sem = iommu_pool_va(pool, u->sem_pa);
	}
	return 0;
}

int iommu_check_scope(struct iommu *io, const struct partition_plan *plan)
{
	char why[IOMMU_ERR_MAX];

	for (unsigned gi = 0; gi < PARTITION_NR_GUESTS; gi++) {
		const struct partition_guest *g = &plan->guest[gi];

		for (size_t i = 0; g->present && i < g->nr_pci; i++) {
			uint16_t fn = g->pci[i], alias = ivrs_alias_of(&io->ivrs, fn);

			if (!ivrs_unit_of(&io->ivrs, fn))
				fmt_snprintf(why, sizeof(why), "guest %c: " IOMMU_BDF_FMT
					     " is behind no IOMMU (no IVHD names it): its DMA "
					     "would not be translated", g->letter,
					     IOMMU_BDF_ARGS(fn));
			else if (!ivrs_unit_of(&io->ivrs, alias))
				fmt_snprintf(why, sizeof(why), "guest %c: " IOMMU_BDF_FMT
					     " does DMA as " IOMMU_BDF_FMT ", which no IVHD "
					     "names: it would not be translated", g->letter,
					     IOMMU_BDF_ARGS(fn), IOMMU_BDF_ARGS(alias));
			else
				continue;
			return iommu_fail(io, -ENXIO, why);
		}
	}
	return 0;
}

/* EFR bit 9 (PCSup): the performance counter banks follow the registers, up to 512 KiB. */
#define IOMMU_EFR_PCSUP		(1ULL << 9)
#define IOMMU_REGS_SMALL	0x4000ULL
#define IOMMU_REGS_LARGE	0x80000ULL

uint64_t iommu_regs_size(const struct ivrs_unit *u)
{
	/* Without an EFR image (IVHD type 0x10 only) the counters may be there: the larger. */
	if (!u->has_efr || (u->efr & IOMMU_EFR_PCSUP))
		return IOMMU_REGS_LARGE;
	return IOMMU_REGS_SMALL;
}

static int iommu_regs_overlap(const struct iommu *io, struct partition_plan *plan, char letter,
			      const char *what, uint64_t base, uint64_t end)
{
	for (size_t u = 0; u < io->ivrs.nr_units; u++) {
		uint64_t rb = io->ivrs.unit[u].base, re = rb + iommu_regs_size(&io->ivrs.unit[u]);

		if (base >= re || rb >= end)
			continue;
		return partition_fail(plan, -EBUSY,
				      "guest %c: %s 0x%llx-0x%llx overlaps the IOMMU's registers "
				      "0x%llx-0x%llx (the IOMMU is the monitor's)", letter, what,
				      (unsigned long long)base, (unsigned long long)end - 1,
				      (unsigned long long)rb, (unsigned long long)re - 1);
	}
	return 0;
}

int iommu_check_regs(const struct iommu *io, struct partition_plan *plan)
{
	int err;

	for (unsigned gi = 0; io->kind == IOMMU_AMDVI && gi < PARTITION_NR_GUESTS; gi++) {
		const struct partition_guest *g = &plan->guest[gi];

		if (!g->present)
			continue;
		for (size_t i = 0; i < g->nr_mmio; i++)
			if ((err = iommu_regs_overlap(io, plan, g->letter, "mmio", g->mmio[i].base,
						      g->mmio[i].end)) < 0)
				return err;
		for (size_t i = 0; i < g->nr_bars; i++) {
			const struct partition_bar *b = &g->bars[i];

			if (b->kind == PARTITION_BAR_IO || !b->base || !b->size)
				continue;
			if ((err = iommu_regs_overlap(io, plan, g->letter, "BAR", b->base,
						      b->base + b->size)) < 0)
				return err;
		}
	}
	return 0;
}

int iommu_build(struct iommu *io, const struct partition_plan *plan, struct iommu_pool *pool)
{
	uint64_t empty;
	int err;

	if (io->kind != IOMMU_AMDVI)
		return iommu_fail(io, -ENODEV, "no IOMMU to build for");
	io->nr_domains = 0;
	io->nr_owned = 0;
	io->intremap = false;
	if ((err = iommu_intremap(io, plan)) < 0 || (err = iommu_units(io, pool)) < 0)
		return err;
	io->devtab_pa = iommu_pool_alloc(pool, AMDVI_DEVTAB_PAGES);
	empty = amdvi_empty_table(pool);
	if (!io->devtab_pa || !empty)
		return iommu_fail(io, -ENOMEM, "no room for the device table");
	io->devtab = iommu_pool_va(pool, io->devtab_pa);
	for (size_t d = 0; d < AMDVI_DEVICES; d++) {
		amdvi_dte_blocked(&io->devtab[d * 4], empty);
		if (io->intremap)
			amdvi_dte_intr(&io->devtab[d * 4], AMDVI_INTR_ABORT, 0);
	}
	/* The I/O APICs and HPETs: the monitor's device lines (and timers) come through them,
	 * as the monitor programmed them; no guest programs them. Unmapped (IV=0), which QEMU
	 * 7.2 also attributes every untagged DMA write to 0xFEExxxxx to (docs/iommu.md). */
	for (size_t i = 0; io->intremap && i < io->ivrs.nr_special; i++)
		amdvi_dte_intr(&io->devtab[(size_t)io->ivrs.special[i].devid * 4],
			       AMDVI_INTR_UNMAPPED, 0);
	for (unsigned gi = 0; gi < PARTITION_NR_GUESTS; gi++) {
		const struct partition_guest *g = &plan->guest[gi];

		if (!g->present)
			continue;
		if ((err = iommu_domain(io, g, gi, pool)) < 0)
			return err;
		for (size_t i = 0; i < g->nr_pci; i++) {
			uint16_t alias = ivrs_alias_of(&io->ivrs, g->pci[i]);

			if ((err = iommu_attach(io, g->pci[i], g->pci[i], g->letter, gi,
						pool)) < 0 ||
			    (alias != g->pci[i] &&
			     (err = iommu_attach(io, alias, g->pci[i], g->letter, gi, pool)) < 0))
				return err;
		}
	}
	return 0;
}

int iommu_enable(struct iommu *io)
{
	char why[IOMMU_ERR_MAX];

	for (size_t i = 0; i < io->nr_units; i++) {
		int err = amdvi_hw_enable(&io->amdvi[i], io->devtab_pa, io->domid, io->nr_domains);

		if (err < 0) {
			fmt_snprintf(why, sizeof(why), "the IOMMU at 0x%llx did not complete its "
				     "invalidation (%d)", (unsigned long long)io->amdvi[i].base, err);
			return iommu_fail(io, err, why);
		}
	}
	io->enabled = true;
	return 0;
}

static struct iommu_owned *iommu_owned_of(struct iommu *io, uint16_t devid)
{
	for (size_t i = 0; i < io->nr_owned; i++)
		if (io->owned[i].devid == devid)
			return &io->owned[i];
	return NULL;
}

/* The units forget what they cached of devid's table. */
static int iommu_inv_intr(struct iommu *io, uint16_t devid)
{
	int err = 0;

	for (size_t u = 0; !err && u < io->nr_units; u++)
		err = amdvi_hw_inv_intr(&io->amdvi[u], devid);
	return err;
}

static int iommu_msi_route_locked(struct iommu *io, uint16_t devid, uint8_t vector,
				  uint8_t dest)
{
	struct iommu_owned *fn, *alias;
	int err = 0;

	fn = iommu_owned_of(io, devid);
	alias = iommu_owned_of(io, ivrs_alias_of(&io->ivrs, devid));
	if (!fn || !alias || !fn->irt || !alias->irt)
		return -ENOENT;
	if (vector < 16)
		return -EINVAL;
	/* First taken from every other function (a vector serves one message), then given. */
	for (size_t i = 0; i < io->nr_owned; i++) {
		struct iommu_owned *o = &io->owned[i];

		if (o == fn || o == alias || !o->irt[vector])
			continue;
		o->irt[vector] = 0;
		if (!err)
			err = iommu_inv_intr(io, o->devid);
	}
	fn->irt[vector] = alias->irt[vector] = amdvi_irte(vector, dest);
	if (!err)
		err = iommu_inv_intr(io, fn->devid);
	if (!err && alias != fn)
		err = iommu_inv_intr(io, alias->devid);
	return err;
}

int iommu_msi_route(struct iommu *io, uint16_t devid, uint8_t vector, uint8_t dest)
{
	int err;

	if (!io || !io->intremap)
		return 0;
	spinlock_lock(&io->lock);
	err = iommu_msi_route_locked(io, devid, vector, dest);
	spinlock_unlock(&io->lock);
	return err;
}

/* Bit 11 of the status register (the upper half of the command dword): write 1 to clear. */
#define IOMMU_PCI_STATUS_SIG_TABORT	(1u << 27)

/* A target abort the unit signalled since the last look, cleared; see iommu_fault.unnamed. */
static bool iommu_target_abort(struct iommu *io, uint16_t devid)
{
	uint32_t v;

	if (!io->pci)
		return false;
	v = io->pci->read32(io->pci->ctx, devid, PCI_REG_COMMAND);
	if (v == 0xffffffffu || !(v & IOMMU_PCI_STATUS_SIG_TABORT))
		return false;
	/* The command half written back as it was; in the status half only the bit to clear. */
	io->pci->write32(io->pci->ctx, devid, PCI_REG_COMMAND,
			 (v & 0xffffu) | IOMMU_PCI_STATUS_SIG_TABORT);
	return true;
}

size_t iommu_poll(struct iommu *io, struct iommu_fault *out, size_t max, uint64_t *lost)
{
	struct amdvi_event ev[16];
	size_t n = 0;

	if (!io->enabled)
		return 0;
	for (size_t i = 0; i < io->nr_units && n < max; i++) {
		size_t want = max - n < 16 ? max - n : 16;
		bool overflow;
		size_t got = amdvi_hw_events(&io->amdvi[i], ev, want, &overflow);

		if (overflow)
			++*lost;
		if (iommu_target_abort(io, io->amdvi[i].devid) && !got && !overflow) {
			out[n++] = (struct iommu_fault){ .devid = io->amdvi[i].devid, .unnamed = true,
							 .what = "target abort" };
			continue;
		}
		for (size_t k = 0; k < got; k++)
			out[n++] = (struct iommu_fault){
				.devid = ev[k].devid,
				.owner = iommu_owner(io, ev[k].devid),
				.page_fault = ev[k].code == AMDVI_EVT_IO_PAGE_FAULT,
				.write = ev[k].flags & AMDVI_EVT_FLAG_RW,
				.addr = ev[k].addr,
				.what = amdvi_event_name(ev[k].code),
			};
	}
	return n;
}
