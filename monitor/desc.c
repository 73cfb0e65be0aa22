// SPDX-License-Identifier: GPL-2.0-only
#include "monitor/desc.h"

#include <errno.h>
#include <string.h>

#include "loader/trampoline.h"
#include "monitor/trap.h"

#define DESC_IST_NMI		1
#define DESC_IST_DF		2
#define DESC_IST_MC		3
#define DESC_GATE_INTR		0x8e	/* present, DPL 0, 64-bit interrupt gate */
#define DESC_TSS_AVAIL		0x89	/* present, DPL 0, available 64-bit TSS */

struct desc_gate {
	uint16_t offset0;
	uint16_t selector;
	uint8_t ist;
	uint8_t type;
	uint16_t offset1;
	uint32_t offset2;
	uint32_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct desc_gate) == 16, "a 64-bit gate is 16 bytes");

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

static struct desc_cpu desc_boot_cpu;
static struct desc_gate desc_idt[TRAP_VECTORS] __attribute__((aligned(16)));

static uint64_t desc_tss_low(uint64_t base, uint32_t limit)
{
	return (limit & 0xffffULL) | (base & 0xffffffULL) << 16 | (uint64_t)DESC_TSS_AVAIL << 40 |
	       ((uint64_t)limit & 0xf0000ULL) << 32 | (base & 0xff000000ULL) << 32;
}

static void desc_gate(unsigned vector, unsigned ist)
{
	uint64_t addr = (uint64_t)(uintptr_t)(trap_stubs + vector * TRAP_STUB_SIZE);
	struct desc_gate *d = &desc_idt[vector];

	d->offset0 = (uint16_t)addr;
	d->selector = DESC_CS;
	d->ist = (uint8_t)ist;
	d->type = DESC_GATE_INTR;
	d->offset1 = (uint16_t)(addr >> 16);
	d->offset2 = (uint32_t)(addr >> 32);
	d->reserved = 0;
}

static int desc_ist(struct monitor *m, struct desc_tss *tss, unsigned ist)
{
	uint64_t pa;
	int err = monitor_pool_alloc(m, DESC_IST_STACK, 4096, &pa, NULL);

	if (err)
		return err;
	tss->ist[ist - 1] = pa + DESC_IST_STACK;
	return 0;
}

/* A CPU's GDT and TSS, its IST stacks from the pool. */
static int desc_build_cpu(struct monitor *m, struct desc_cpu *c)
{
	uint64_t tss = (uint64_t)(uintptr_t)&c->tss;
	int err;

	memset(c, 0, sizeof(*c));
	c->tss.iomap_base = sizeof(c->tss);	/* no I/O bitmap: ring 0 only anyway */
	for (unsigned ist = DESC_IST_NMI; ist <= DESC_IST_MC; ist++)
		if ((err = desc_ist(m, &c->tss, ist)) < 0)
			return err;

	/* The same flat descriptors the boot protocol's selectors use. */
	c->gdt[0] = 0;
	c->gdt[DESC_CS / 8] = LOADER_GDT_CODE64;
	c->gdt[DESC_DS / 8] = LOADER_GDT_DATA;
	c->gdt[DESC_TSS / 8] = desc_tss_low(tss, sizeof(c->tss) - 1);
	c->gdt[DESC_TSS / 8 + 1] = tss >> 32;
	return 0;
}

void desc_load_cpu(struct desc_cpu *c)
{
	struct desc_ptr gdtr = { sizeof(c->gdt) - 1, (uint64_t)(uintptr_t)c->gdt };
	struct desc_ptr idtr = { sizeof(desc_idt) - 1, (uint64_t)(uintptr_t)desc_idt };

	desc_load_gdt(&gdtr, DESC_CS, DESC_DS);
	__asm__ volatile("ltr %w0" : : "r"((uint16_t)DESC_TSS) : "memory");
	__asm__ volatile("lidt %0" : : "m"(idtr) : "memory");
}

int desc_init_cpu(struct monitor *m, struct desc_cpu **out)
{
	void *va;
	uint64_t pa;
	int err;

	if ((err = monitor_pool_alloc(m, sizeof(struct desc_cpu), 16, &pa, &va)) < 0)
		return err;
	if ((err = desc_build_cpu(m, va)) < 0)
		return err;
	*out = va;
	return 0;
}

int desc_init(struct monitor *m)
{
	int err;

	if ((err = desc_build_cpu(m, &desc_boot_cpu)) < 0)
		return err;
	for (unsigned v = 0; v < TRAP_VECTORS; v++)
		desc_gate(v, v == TRAP_NMI ? DESC_IST_NMI
			     : v == TRAP_DF ? DESC_IST_DF
			     : v == TRAP_MC ? DESC_IST_MC : 0);
	desc_load_cpu(&desc_boot_cpu);
	return 0;
}
