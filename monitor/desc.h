/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The monitor's descriptor tables: a GDT with a flat 64-bit code segment (0x08), a flat data
 * segment (0x10) and a 64-bit TSS (0x18), the TSS with IST stacks for NMI, #DF and #MC, and
 * an IDT whose 256 interrupt gates lead to entry.asm's stubs. Each CPU has a GDT and TSS of
 * its own (a TSS is busy in one CPU's task register, and its IST stacks must not be shared);
 * the IDT is shared. The boot CPU's tables live in the monitor's image, the other CPUs' in the
 * pool; every IST stack comes from the pool.
 */
#ifndef TWINMON_MONITOR_DESC_H
#define TWINMON_MONITOR_DESC_H

#include <stdint.h>

#include "monitor/core.h"

#define DESC_CS		0x08
#define DESC_DS		0x10
#define DESC_TSS	0x18
#define DESC_IST_STACK	(8 * 1024)	/* each of NMI, #DF, #MC */
#define DESC_GDT_ENTRIES 5		/* null, code, data, TSS (two slots) */

struct desc_tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));
_Static_assert(sizeof(struct desc_tss) == 104, "a 64-bit TSS is 104 bytes");

/* One CPU's GDT and TSS. */
struct desc_cpu {
	uint64_t gdt[DESC_GDT_ENTRIES];
	struct desc_tss tss;
} __attribute__((aligned(16)));

/* On the boot CPU: build the shared IDT and the boot CPU's GDT and TSS, load all three; IST
 * stacks from the pool. 0 or -ENOMEM. */
int desc_init(struct monitor *m);
/*
 * On the boot CPU, for another CPU before it starts: its GDT and TSS with their IST stacks,
 * from the pool. 0 or -ENOMEM. After desc_init.
 */
int desc_init_cpu(struct monitor *m, struct desc_cpu **out);
/* On the CPU that owns c: load its GDT (CS 0x08, data 0x10), its TSS and the shared IDT. */
void desc_load_cpu(struct desc_cpu *c);

/* entry.asm */
void desc_load_gdt(const void *gdtr, uint64_t cs, uint64_t ds);
extern const uint8_t trap_stubs[];
int monitor_call_on_stack(void *arg, int (*fn)(void *), void *stack_top);

#endif
