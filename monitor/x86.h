/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Architectural bits of the control registers, EFER and RFLAGS that both the vendor-neutral
 * core and the backends read in a guest's state. EFER.SVME is AMD's: the SVM backend keeps
 * it in its guests' EFER and hides it (the core sees a guest's EFER without it).
 */
#ifndef TWINMON_MONITOR_X86_H
#define TWINMON_MONITOR_X86_H

#define EFER_SCE		(1ULL << 0)
#define EFER_LME		(1ULL << 8)
#define EFER_LMA		(1ULL << 10)
#define EFER_NXE		(1ULL << 11)
#define EFER_SVME		(1ULL << 12)
#define EFER_FFXSR		(1ULL << 14)

#define CR0_PE			(1ULL << 0)
#define CR0_MP			(1ULL << 1)
#define CR0_TS			(1ULL << 3)
#define CR0_ET			(1ULL << 4)
#define CR0_NE			(1ULL << 5)
#define CR0_WP			(1ULL << 16)
#define CR0_PG			(1ULL << 31)
#define CR4_PSE			(1ULL << 4)
#define CR4_PAE			(1ULL << 5)
#define CR4_OSFXSR		(1ULL << 9)
#define CR4_OSXMMEXCPT		(1ULL << 10)
#define CR4_LA57		(1ULL << 12)
#define CR4_OSXSAVE		(1ULL << 18)
#define CR4_PKE			(1ULL << 22)
#define RFLAGS_FIXED		(1ULL << 1)
#define RFLAGS_IF		(1ULL << 9)
#define RFLAGS_DF		(1ULL << 10)

/* The power-on PAT: WB, WT, UC-, UC in entries 0-3 and again in 4-7. */
#define PAT_DEFAULT		0x0007040600070406ULL

#endif
