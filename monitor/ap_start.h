/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The page the application processors (APs) start in: monitor/ap_start.asm's code at offset 0,
 * a parameter block at AP_START_PARAMS_OFF. A CPU woken by a startup IPI with vector V runs in
 * real mode at V * 4096 (CS = V << 8, IP = 0), so the page lies below 1 MiB. The code
 * enters protected mode, then long mode on the monitor's page tables, and jumps to a 64-bit C
 * entry on the AP's own stack; everything it needs is in the block, written by the boot CPU:
 * the CPU state (shared by every AP) once by ap_start_install, the AP's own part before each
 * start by ap_start_set_cpu. The APs start one at a time, so one block serves them all.
 *
 * Plain C (no privileged instruction): unit-tested on the host.
 */
#ifndef TWINMON_MONITOR_AP_START_H
#define TWINMON_MONITOR_AP_START_H

#include <stddef.h>
#include <stdint.h>

#define AP_START_PAGE_SIZE	4096u
#define AP_START_PAGE_LIMIT	0x100000ull	/* a SIPI vector reaches pages below 1 MiB */
#define AP_START_PARAMS_OFF	0xe00u		/* the code fits below it */

/* The temporary GDT's selectors, as the code loads them. */
#define AP_START_SEL_CODE32	0x08
#define AP_START_SEL_CODE64	0x10
#define AP_START_SEL_DATA	0x18
#define AP_START_GDT_ENTRIES	4

/* A far pointer as JMP FAR m16:32 reads it. */
struct ap_start_far32 {
	uint32_t offset;
	uint16_t selector;
	uint16_t reserved;
};

struct ap_start_params {
	/* LGDT's operand at gdt_limit (32-bit operand size: limit, then a 32-bit base). */
	uint16_t reserved0[3];
	uint16_t gdt_limit;
	uint32_t gdt_base;
	uint32_t reserved3;
	struct ap_start_far32 to_pm32;		/* into the 32-bit part, code32 selector */
	struct ap_start_far32 to_lm64;		/* into the 64-bit part, code64 selector */
	uint32_t cr3;				/* the monitor's PML4 (below 4 GiB) */
	uint32_t cr4;				/* loaded before paging: PAE and friends */
	uint32_t cr0;				/* loaded last: PG | PE | ... */
	uint32_t reserved1;
	uint64_t efer;				/* LME, NXE (SCE) as the boot CPU has them */
	uint64_t gdt[AP_START_GDT_ENTRIES];	/* null, code32, code64, data */
	/* Per AP: */
	uint64_t stack_top;			/* 16-byte aligned */
	uint64_t entry;				/* void entry(uint64_t arg, uint32_t *started) */
	uint64_t arg;
	uint32_t started;			/* the entry sets it to 1 once it needs the page no more */
	uint32_t reserved2;
};

/* The assembly reads these offsets through monitor/asm-defs.c; the CPU reads the two
 * operands' layouts directly. */
_Static_assert(offsetof(struct ap_start_params, gdt_base) ==
	       offsetof(struct ap_start_params, gdt_limit) + 2, "LGDT's base follows its limit");
_Static_assert(offsetof(struct ap_start_params, to_pm32) % 8 == 0, "aligned far pointer");
_Static_assert(sizeof(struct ap_start_far32) == 8, "m16:32 and padding");
_Static_assert(offsetof(struct ap_start_params, gdt) % 8 == 0, "GDT 8-byte aligned");
_Static_assert(offsetof(struct ap_start_params, stack_top) % 8 == 0, "aligned loads");
_Static_assert(AP_START_PARAMS_OFF + sizeof(struct ap_start_params) <= AP_START_PAGE_SIZE,
	       "the block fits in the page");
_Static_assert(AP_START_PARAMS_OFF % 16 == 0, "the block is aligned");

/* What the APs' code loads, taken from the boot CPU (monitor/smp.c). */
struct ap_start_cpu_state {
	uint64_t cr3;
	uint64_t cr4;
	uint64_t cr0;
	uint64_t efer;
};

/* Where the code's parts start, relative to its first byte. */
struct ap_start_code {
	const void *start;
	size_t size;
	size_t pm32_off;
	size_t lm64_off;
};

/*
 * Copy the code to page (mapped at page_va, physical page_pa) and write the block's shared
 * part. 0, or -EINVAL (page not 4 KiB aligned or not below 1 MiB, CR3 not below 4 GiB or
 * unaligned, the CR state without PAE, PG or LME), or -E2BIG (code larger than
 * AP_START_PARAMS_OFF, entry offsets outside it).
 */
int ap_start_install(void *page_va, uint64_t page_pa, const struct ap_start_code *code,
		     const struct ap_start_cpu_state *st);
/* The block of an installed page. */
struct ap_start_params *ap_start_params(void *page_va);
/* One AP's part, its started flag cleared: written before that AP's SIPI. */
void ap_start_set_cpu(struct ap_start_params *p, uint64_t stack_top, uint64_t entry,
		      uint64_t arg);
/* The SIPI vector that starts a CPU at page_pa. */
static inline uint8_t ap_start_vector(uint64_t page_pa)
{
	return (uint8_t)(page_pa >> 12);
}

#endif
