/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guests' descriptor tables: a GDT with one 64-bit code segment, one data segment and a
 * TSS; the TSS gives #DF, NMI and #MC stacks of their own (IST) so they are reported even
 * when the fault was a broken stack; an IDT whose 256 gates all lead to guest_trap().
 */
#ifndef TWINMON_GUESTS_DESC_H
#define TWINMON_GUESTS_DESC_H

#include <stdint.h>

#define GUEST_CS	0x08
#define GUEST_DS	0x10
#define GUEST_TSS	0x18	/* a 16-byte system descriptor: slots 3 and 4 */
#define GUEST_GDT_SLOTS	5

#define GUEST_STACK_SIZE (64 * 1024)	/* the boot stack, in entry.asm's BSS */
#define GUEST_IST_SIZE	(8 * 1024)	/* each IST stack */
#define IST_DF		1
#define IST_NMI		2
#define IST_MC		3

/* 64-bit TSS (AMD64 APM vol. 2, 12.2.5). */
struct tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));
_Static_assert(sizeof(struct tss64) == 104, "the 64-bit TSS is 104 bytes");
_Static_assert(__builtin_offsetof(struct tss64, rsp) == 4, "RSP0 at 4");
_Static_assert(__builtin_offsetof(struct tss64, ist) == 36, "IST1 at 36");
_Static_assert(__builtin_offsetof(struct tss64, iomap_base) == 102, "I/O map base at 102");

/* 64-bit interrupt gate. */
struct idt_gate {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct idt_gate) == 16, "a long-mode gate is 16 bytes");

/* Fill in the TSS descriptor and the IDT, then LTR and LIDT. The GDT is already loaded. */
void desc_init(void);

#endif
