// SPDX-License-Identifier: GPL-2.0-only
#include "monitor/gboot.h"

#include <errno.h>
#include <string.h>

#include "loader/trampoline.h"
#include "monitor/monitor.h"
#include "monitor/x86.h"

#define GBOOT_GIB	(1ULL << 30)
#define GBOOT_REGION	(512 * GBOOT_GIB)	/* what one PML4 entry covers */
#define GBOOT_LIMIT	(1ULL << 48)
#define GBOOT_P		(1ULL << 0)
#define GBOOT_RW	(1ULL << 1)
#define GBOOT_A		(1ULL << 5)
#define GBOOT_D		(1ULL << 6)
#define GBOOT_PS	(1ULL << 7)
#define GBOOT_SEG_ACCESSED (1ULL << 40)	/* descriptor type bit 0: the CPU need not write it */

/* Calls fn for every GiB the map needs, in ascending order, each once. */
static int gboot_for_each_gib(const struct partition_range *ram, size_t n,
			      int (*fn)(void *ctx, uint64_t gib), void *ctx)
{
	uint64_t next = 0;	/* GiBs below this one were visited */
	int err;

	for (uint64_t gib = 0; gib < 4; gib++)
		if ((err = fn(ctx, gib)))
			return err;
	next = 4;
	for (size_t i = 0; i < n; i++) {
		if (ram[i].end <= ram[i].base)
			continue;
		if (ram[i].end > GBOOT_LIMIT)
			return -EINVAL;
		uint64_t first = ram[i].base / GBOOT_GIB;
		uint64_t last = (ram[i].end - 1) / GBOOT_GIB;

		if (first < next)
			first = next;
		for (uint64_t gib = first; gib <= last; gib++)
			if ((err = fn(ctx, gib)))
				return err;
		if (last + 1 > next)
			next = last + 1;
	}
	return 0;
}

struct gboot_count {
	uint64_t last_region;
	size_t regions;
};

static int gboot_count_one(void *ctx, uint64_t gib)
{
	struct gboot_count *c = ctx;
	uint64_t region = gib / 512;

	if (c->regions == 0 || region != c->last_region) {
		c->regions++;
		c->last_region = region;
	}
	return 0;
}

size_t monitor_guest_boot_pages(const struct partition_range *ram, size_t nr_ram)
{
	struct gboot_count c = { 0 };

	/* RAM is sorted, so regions come in ascending order: counting changes counts them.
	 * A range beyond 48 bits is refused by gboot_build; count what fits. */
	gboot_for_each_gib(ram, nr_ram, gboot_count_one, &c);
	return GBOOT_PDPT_PAGE + c.regions;
}

struct gboot_fill {
	uint8_t *va;
	uint64_t gpa;
	size_t pages;
	size_t used;		/* pages used so far */
	uint64_t *pml4;
};

static int gboot_map_gib(void *ctx, uint64_t gib)
{
	struct gboot_fill *f = ctx;
	uint64_t region = gib / 512;
	uint64_t *pdpt;

	if (!(f->pml4[region] & GBOOT_P)) {
		if (f->used == f->pages)
			return -ENOSPC;
		f->pml4[region] = (f->gpa + f->used * MONITOR_PAGE_SIZE) | GBOOT_P | GBOOT_RW |
				  GBOOT_A;
		f->used++;
	}
	pdpt = (uint64_t *)(f->va + ((f->pml4[region] & ~0xfffULL) - f->gpa));
	pdpt[gib % 512] = gib * GBOOT_GIB | GBOOT_P | GBOOT_RW | GBOOT_A | GBOOT_D | GBOOT_PS;
	return 0;
}

int gboot_build(void *va, uint64_t gpa, size_t pages, const struct partition_range *ram,
		size_t nr_ram, struct gboot_layout *out)
{
	struct gboot_fill f = { va, gpa, pages, GBOOT_PDPT_PAGE, NULL };
	uint64_t *gdt = va;
	int err;

	if (gpa & (MONITOR_PAGE_SIZE - 1))
		return -EINVAL;
	if (pages < monitor_guest_boot_pages(ram, nr_ram))
		return -ENOSPC;
	memset(va, 0, pages * MONITOR_PAGE_SIZE);
	gdt[LOADER_BOOT_CS / 8] = LOADER_GDT_CODE64 | GBOOT_SEG_ACCESSED;
	gdt[LOADER_BOOT_DS / 8] = LOADER_GDT_DATA | GBOOT_SEG_ACCESSED;
	f.pml4 = (uint64_t *)((uint8_t *)va + GBOOT_PML4_PAGE * MONITOR_PAGE_SIZE);
	err = gboot_for_each_gib(ram, nr_ram, gboot_map_gib, &f);
	if (err)
		return err;
	out->gdt_base = gpa;
	out->gdt_limit = GBOOT_GDT_ENTRIES * 8 - 1;
	out->cr3 = gpa + GBOOT_PML4_PAGE * MONITOR_PAGE_SIZE;
	out->pages = f.used;
	return 0;
}

void gboot_start_state(const struct gboot_layout *layout, uint64_t entry, uint64_t boot_params,
		       struct vcpu_start *st)
{
	memset(st, 0, sizeof(*st));
	st->rip = entry;
	st->rax = entry;	/* what loader_tramp_enter leaves in RAX */
	st->rsi = boot_params;
	st->rsp = 0;		/* the guest sets its own stack */
	st->rflags = RFLAGS_FIXED;	/* interrupts off */
	st->cr0 = CR0_PG | CR0_WP | CR0_NE | CR0_ET | CR0_MP | CR0_PE;
	st->cr3 = layout->cr3;
	st->cr4 = CR4_PAE;
	st->efer = EFER_LME | EFER_LMA;
	st->gdt_base = layout->gdt_base;
	st->gdt_limit = layout->gdt_limit;
	st->cs = LOADER_BOOT_CS;
	st->ds = LOADER_BOOT_DS;
	st->cs_desc = LOADER_GDT_CODE64 | GBOOT_SEG_ACCESSED;
	st->ds_desc = LOADER_GDT_DATA | GBOOT_SEG_ACCESSED;
	st->pat = PAT_DEFAULT;
	st->dr6 = 0xffff0ff0;
	st->dr7 = 0x400;
}

/* A descriptor for real mode's hidden parts: base, 64 KiB limit, present, S, type. */
static uint64_t gboot_real_desc(uint32_t base, uint8_t type)
{
	return 0xffffULL | (uint64_t)(base & 0xffffff) << 16 | (uint64_t)(0x90 | type) << 40 |
	       (uint64_t)(base >> 24) << 56;
}

void gboot_sipi_state(uint8_t vector, struct vcpu_start *st)
{
	uint32_t base = (uint32_t)vector << 12;

	memset(st, 0, sizeof(*st));
	st->rip = 0;
	st->rflags = RFLAGS_FIXED;
	st->cr0 = CR0_ET;
	st->gdt_limit = 0xffff;
	st->idt_limit = 0xffff;		/* as INIT leaves it */
	st->cs = (uint16_t)(base >> 4);
	st->cs_desc = gboot_real_desc(base, 0xb);	/* code, readable, accessed */
	st->ds_desc = gboot_real_desc(0, 0x3);		/* data, writable, accessed */
	st->pat = PAT_DEFAULT;
	st->dr6 = 0xffff0ff0;
	st->dr7 = 0x400;
}
