// SPDX-License-Identifier: GPL-2.0-only
/* GDT, TSS and IDT of the test guests (see desc.h). */
#include "guests/lib/desc.h"

#include "guests/lib/cpu.h"

#define GDT_CODE64	0x00af9a000000ffffull	/* P, DPL 0, code exec/read, L, G */
#define GDT_DATA	0x00cf92000000ffffull	/* P, DPL 0, data read/write, D/B, G */
#define TSS_TYPE_AVAIL	0x89ull			/* P, DPL 0, 64-bit TSS (available) */
#define GATE_INTR	0x8e			/* P, DPL 0, 64-bit interrupt gate: IF cleared */

_Static_assert(GUEST_CS == 1 * 8 && GUEST_DS == 2 * 8 && GUEST_TSS == 3 * 8,
	       "selectors match the GDT slots below");

/* entry.asm loads this GDT first thing, before the TSS descriptor is filled in. */
uint64_t guest_gdt[GUEST_GDT_SLOTS] __attribute__((aligned(16))) = {
	0, GDT_CODE64, GDT_DATA, 0, 0,
};
struct desc_ptr guest_gdt_ptr = { sizeof(guest_gdt) - 1, (uint64_t)(uintptr_t)guest_gdt };

static struct tss64 guest_tss __attribute__((aligned(16)));
static struct idt_gate guest_idt[256] __attribute__((aligned(16)));
static uint8_t ist_stacks[3][GUEST_IST_SIZE] __attribute__((aligned(16)));

/* vectors.asm: the address of each vector's stub. */
extern const uint64_t guest_vector_table[256];

static void set_gate(unsigned vector, uint64_t handler, unsigned ist)
{
	guest_idt[vector] = (struct idt_gate){
		.offset_lo = (uint16_t)handler,
		.selector = GUEST_CS,
		.ist = (uint8_t)ist,
		.type_attr = GATE_INTR,
		.offset_mid = (uint16_t)(handler >> 16),
		.offset_hi = (uint32_t)(handler >> 32),
	};
}

void desc_init(void)
{
	uint64_t base = (uint64_t)(uintptr_t)&guest_tss;
	struct desc_ptr idtr = { sizeof(guest_idt) - 1, (uint64_t)(uintptr_t)guest_idt };

	for (unsigned i = 0; i < 3; i++)
		guest_tss.ist[i] = (uint64_t)(uintptr_t)(ist_stacks[i] + GUEST_IST_SIZE);
	/* No I/O bitmap: the guests run at CPL 0, where the CPU never looks at it. */
	guest_tss.iomap_base = sizeof(guest_tss);
	guest_gdt[GUEST_TSS / 8] = (sizeof(guest_tss) - 1) | (base & 0xffffff) << 16 |
				   TSS_TYPE_AVAIL << 40 | ((base >> 24) & 0xff) << 56;
	guest_gdt[GUEST_TSS / 8 + 1] = base >> 32;
	ltr(GUEST_TSS);

	for (unsigned v = 0; v < 256; v++)
		set_gate(v, guest_vector_table[v],
			 v == 8 ? IST_DF : v == 2 ? IST_NMI : v == 18 ? IST_MC : 0);
	lidt(&idtr);
}
