/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The monitor's descriptor tables: a GDT with a flat 64-bit code segment (0x08), a flat data
 * segment (0x10) and a 64-bit TSS (0x18), the TSS with IST stacks for NMI, #DF and #MC, and
 * an IDT whose 256 interrupt gates lead to entry.asm's stubs. The tables live in the
 * monitor's image; the stacks come from the pool.
 */
#ifndef TWINMON_MONITOR_DESC_H
#define TWINMON_MONITOR_DESC_H

#include <stdint.h>

#include "monitor/core.h"

#define DESC_CS		0x08
#define DESC_DS		0x10
#define DESC_TSS	0x18
#define DESC_IST_STACK	(8 * 1024)	/* each of NMI, #DF, #MC */

/* Build and load GDT, TSS and IDT; IST stacks from the pool. 0 or -ENOMEM. */
int desc_init(struct monitor *m);

/* entry.asm */
void desc_load_gdt(const void *gdtr, uint64_t cs, uint64_t ds);
extern const uint8_t trap_stubs[];
int monitor_call_on_stack(void *arg, int (*fn)(void *), void *stack_top);

#endif
