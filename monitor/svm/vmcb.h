/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The SVM virtual machine control block (AMD APM vol. 2, appendix B): a 4 KiB page with the
 * control area at 0x000-0x3ff and the state save area at 0x400. Every field the monitor uses
 * has its offset pinned by a _Static_assert below; reserved bytes are named by the offset
 * they start at. Also the intercept bits, exit codes, EXITINFO encodings and event
 * injection format the monitor uses.
 */
#ifndef TWINMON_MONITOR_SVM_VMCB_H
#define TWINMON_MONITOR_SVM_VMCB_H

#include <stddef.h>
#include <stdint.h>

#include "monitor/x86.h"

#define VMCB_SIZE 4096

/* A segment register in the state save area. attrib is the descriptor's bits 40-47 and
 * 52-55 packed into 12 bits: type, S, DPL, P in 7:0; AVL, L, D/B, G in 11:8. */
struct vmcb_seg {
	uint16_t selector;
	uint16_t attrib;
	uint32_t limit;
	uint64_t base;
} __attribute__((packed));

struct vmcb_control {
	uint32_t intercept_cr;		/* 0x000: CR0-15 reads 15:0, writes 31:16 */
	uint32_t intercept_dr;		/* 0x004: DR0-15 reads 15:0, writes 31:16 */
	uint32_t intercept_exceptions;	/* 0x008: bit n: exception vector n */
	uint32_t intercept_misc1;	/* 0x00c: VMCB_I1_* */
	uint32_t intercept_misc2;	/* 0x010: VMCB_I2_* */
	uint32_t intercept_misc3;	/* 0x014 */
	uint8_t reserved_0x018[0x03c - 0x018];
	uint16_t pause_filter_thresh;	/* 0x03c */
	uint16_t pause_filter_count;	/* 0x03e */
	uint64_t iopm_base_pa;		/* 0x040 */
	uint64_t msrpm_base_pa;		/* 0x048 */
	uint64_t tsc_offset;		/* 0x050 */
	uint32_t asid;			/* 0x058 */
	uint8_t tlb_control;		/* 0x05c */
	uint8_t reserved_0x05d[3];
	uint32_t int_ctl;		/* 0x060: V_TPR, V_IRQ, V_INTR_MASKING, ... */
	uint32_t int_vector;		/* 0x064 */
	uint64_t int_state;		/* 0x068: bit 0 interrupt shadow */
	uint64_t exit_code;		/* 0x070 */
	uint64_t exit_info1;		/* 0x078 */
	uint64_t exit_info2;		/* 0x080 */
	uint64_t exit_int_info;		/* 0x088: an event being delivered at the exit */
	uint64_t nested_ctl;		/* 0x090: bit 0 NP_ENABLE */
	uint64_t avic_apic_bar;		/* 0x098 */
	uint64_t ghcb_gpa;		/* 0x0a0 */
	uint64_t event_inj;		/* 0x0a8: VMCB_EVENT_* */
	uint64_t n_cr3;			/* 0x0b0: nested page table root */
	uint64_t virt_ext;		/* 0x0b8: LBR virtualization, virtual VMLOAD/VMSAVE */
	uint32_t clean;			/* 0x0c0: VMCB clean bits */
	uint32_t reserved_0x0c4;
	uint64_t next_rip;		/* 0x0c8: with NRIP save (not under QEMU TCG) */
	uint8_t insn_len;		/* 0x0d0: with decode assists */
	uint8_t insn_bytes[15];		/* 0x0d1 */
	uint8_t reserved_0x0e0[0x400 - 0x0e0];
} __attribute__((packed));

struct vmcb_save {
	struct vmcb_seg es;		/* 0x400 */
	struct vmcb_seg cs;		/* 0x410 */
	struct vmcb_seg ss;		/* 0x420 */
	struct vmcb_seg ds;		/* 0x430 */
	struct vmcb_seg fs;		/* 0x440 */
	struct vmcb_seg gs;		/* 0x450 */
	struct vmcb_seg gdtr;		/* 0x460: selector and attrib unused */
	struct vmcb_seg ldtr;		/* 0x470 */
	struct vmcb_seg idtr;		/* 0x480: selector and attrib unused */
	struct vmcb_seg tr;		/* 0x490 */
	uint8_t reserved_0x4a0[0x4cb - 0x4a0];
	uint8_t cpl;			/* 0x4cb */
	uint32_t reserved_0x4cc;
	uint64_t efer;			/* 0x4d0 */
	uint8_t reserved_0x4d8[0x548 - 0x4d8];
	uint64_t cr4;			/* 0x548 */
	uint64_t cr3;			/* 0x550 */
	uint64_t cr0;			/* 0x558 */
	uint64_t dr7;			/* 0x560 */
	uint64_t dr6;			/* 0x568 */
	uint64_t rflags;		/* 0x570 */
	uint64_t rip;			/* 0x578 */
	uint8_t reserved_0x580[0x5d8 - 0x580];
	uint64_t rsp;			/* 0x5d8 */
	uint8_t reserved_0x5e0[0x5f8 - 0x5e0];	/* S_CET, SSP, ISST_ADDR */
	uint64_t rax;			/* 0x5f8 */
	uint64_t star;			/* 0x600 */
	uint64_t lstar;			/* 0x608 */
	uint64_t cstar;			/* 0x610 */
	uint64_t sfmask;		/* 0x618 */
	uint64_t kernel_gs_base;	/* 0x620 */
	uint64_t sysenter_cs;		/* 0x628 */
	uint64_t sysenter_esp;		/* 0x630 */
	uint64_t sysenter_eip;		/* 0x638 */
	uint64_t cr2;			/* 0x640 */
	uint8_t reserved_0x648[0x668 - 0x648];
	uint64_t g_pat;			/* 0x668: guest PAT with nested paging */
	uint64_t dbgctl;		/* 0x670 */
	uint8_t reserved_0x678[VMCB_SIZE - 0x678];
} __attribute__((packed));

struct vmcb {
	struct vmcb_control control;
	struct vmcb_save save;
} __attribute__((packed, aligned(VMCB_SIZE)));

#define VMCB_CHECK(type, field, off) \
	_Static_assert(offsetof(type, field) == (off), #type "." #field " at " #off)

VMCB_CHECK(struct vmcb_control, intercept_cr, 0x000);
VMCB_CHECK(struct vmcb_control, intercept_dr, 0x004);
VMCB_CHECK(struct vmcb_control, intercept_exceptions, 0x008);
VMCB_CHECK(struct vmcb_control, intercept_misc1, 0x00c);
VMCB_CHECK(struct vmcb_control, intercept_misc2, 0x010);
VMCB_CHECK(struct vmcb_control, intercept_misc3, 0x014);
VMCB_CHECK(struct vmcb_control, pause_filter_thresh, 0x03c);
VMCB_CHECK(struct vmcb_control, pause_filter_count, 0x03e);
VMCB_CHECK(struct vmcb_control, iopm_base_pa, 0x040);
VMCB_CHECK(struct vmcb_control, msrpm_base_pa, 0x048);
VMCB_CHECK(struct vmcb_control, tsc_offset, 0x050);
VMCB_CHECK(struct vmcb_control, asid, 0x058);
VMCB_CHECK(struct vmcb_control, tlb_control, 0x05c);
VMCB_CHECK(struct vmcb_control, int_ctl, 0x060);
VMCB_CHECK(struct vmcb_control, int_vector, 0x064);
VMCB_CHECK(struct vmcb_control, int_state, 0x068);
VMCB_CHECK(struct vmcb_control, exit_code, 0x070);
VMCB_CHECK(struct vmcb_control, exit_info1, 0x078);
VMCB_CHECK(struct vmcb_control, exit_info2, 0x080);
VMCB_CHECK(struct vmcb_control, exit_int_info, 0x088);
VMCB_CHECK(struct vmcb_control, nested_ctl, 0x090);
VMCB_CHECK(struct vmcb_control, event_inj, 0x0a8);
VMCB_CHECK(struct vmcb_control, n_cr3, 0x0b0);
VMCB_CHECK(struct vmcb_control, virt_ext, 0x0b8);
VMCB_CHECK(struct vmcb_control, clean, 0x0c0);
VMCB_CHECK(struct vmcb_control, next_rip, 0x0c8);
VMCB_CHECK(struct vmcb_control, insn_len, 0x0d0);
VMCB_CHECK(struct vmcb_control, insn_bytes, 0x0d1);
_Static_assert(sizeof(struct vmcb_control) == 0x400, "the control area is 1 KiB");

VMCB_CHECK(struct vmcb, save, 0x400);
VMCB_CHECK(struct vmcb, save.es, 0x400);
VMCB_CHECK(struct vmcb, save.cs, 0x410);
VMCB_CHECK(struct vmcb, save.ss, 0x420);
VMCB_CHECK(struct vmcb, save.ds, 0x430);
VMCB_CHECK(struct vmcb, save.fs, 0x440);
VMCB_CHECK(struct vmcb, save.gs, 0x450);
VMCB_CHECK(struct vmcb, save.gdtr, 0x460);
VMCB_CHECK(struct vmcb, save.ldtr, 0x470);
VMCB_CHECK(struct vmcb, save.idtr, 0x480);
VMCB_CHECK(struct vmcb, save.tr, 0x490);
VMCB_CHECK(struct vmcb, save.cpl, 0x4cb);
VMCB_CHECK(struct vmcb, save.efer, 0x4d0);
VMCB_CHECK(struct vmcb, save.cr4, 0x548);
VMCB_CHECK(struct vmcb, save.cr3, 0x550);
VMCB_CHECK(struct vmcb, save.cr0, 0x558);
VMCB_CHECK(struct vmcb, save.dr7, 0x560);
VMCB_CHECK(struct vmcb, save.dr6, 0x568);
VMCB_CHECK(struct vmcb, save.rflags, 0x570);
VMCB_CHECK(struct vmcb, save.rip, 0x578);
VMCB_CHECK(struct vmcb, save.rsp, 0x5d8);
VMCB_CHECK(struct vmcb, save.rax, 0x5f8);
VMCB_CHECK(struct vmcb, save.star, 0x600);
VMCB_CHECK(struct vmcb, save.lstar, 0x608);
VMCB_CHECK(struct vmcb, save.cstar, 0x610);
VMCB_CHECK(struct vmcb, save.sfmask, 0x618);
VMCB_CHECK(struct vmcb, save.kernel_gs_base, 0x620);
VMCB_CHECK(struct vmcb, save.sysenter_cs, 0x628);
VMCB_CHECK(struct vmcb, save.sysenter_esp, 0x630);
VMCB_CHECK(struct vmcb, save.sysenter_eip, 0x638);
VMCB_CHECK(struct vmcb, save.cr2, 0x640);
VMCB_CHECK(struct vmcb, save.g_pat, 0x668);
VMCB_CHECK(struct vmcb, save.dbgctl, 0x670);
_Static_assert(sizeof(struct vmcb) == VMCB_SIZE, "a VMCB is one 4 KiB page");

/* intercept_misc1 (vector 3) */
#define VMCB_I1_INTR		(1u << 0)
#define VMCB_I1_NMI		(1u << 1)
#define VMCB_I1_SMI		(1u << 2)
#define VMCB_I1_INIT		(1u << 3)
#define VMCB_I1_VINTR		(1u << 4)
#define VMCB_I1_CPUID		(1u << 18)
#define VMCB_I1_INVD		(1u << 22)
#define VMCB_I1_HLT		(1u << 24)
#define VMCB_I1_INVLPGA		(1u << 26)
#define VMCB_I1_IOIO_PROT	(1u << 27)
#define VMCB_I1_MSR_PROT	(1u << 28)
#define VMCB_I1_SHUTDOWN	(1u << 31)

/* intercept_misc2 (vector 4) */
#define VMCB_I2_VMRUN		(1u << 0)	/* must be set, or VMRUN fails */
#define VMCB_I2_VMMCALL		(1u << 1)
#define VMCB_I2_VMLOAD		(1u << 2)
#define VMCB_I2_VMSAVE		(1u << 3)
#define VMCB_I2_STGI		(1u << 4)
#define VMCB_I2_CLGI		(1u << 5)
#define VMCB_I2_SKINIT		(1u << 6)
#define VMCB_I2_WBINVD		(1u << 9)	/* WBINVD and WBNOINVD */
#define VMCB_I2_MONITOR		(1u << 10)
#define VMCB_I2_MWAIT		(1u << 11)
#define VMCB_I2_MWAIT_COND	(1u << 12)

/* int_ctl */
#define VMCB_INT_V_IRQ		(1u << 8)	/* a virtual interrupt is pending */
#define VMCB_INT_V_PRIO_SHIFT	16
#define VMCB_INT_V_IGN_TPR	(1u << 20)
#define VMCB_INT_V_INTR_MASKING	(1u << 24)	/* guest IF masks only virtual interrupts */

/* int_state */
#define VMCB_INT_SHADOW		(1ULL << 0)

/* nested_ctl */
#define VMCB_NP_ENABLE		(1ULL << 0)

/* tlb_control */
#define VMCB_TLB_NOTHING	0
#define VMCB_TLB_FLUSH_ALL	1

/* event_inj and exit_int_info */
#define VMCB_EVENT_VECTOR_MASK	0xffULL
#define VMCB_EVENT_TYPE_SHIFT	8
#define VMCB_EVENT_TYPE_MASK	(7ULL << VMCB_EVENT_TYPE_SHIFT)
#define VMCB_EVENT_TYPE_INTR	(0ULL << VMCB_EVENT_TYPE_SHIFT)
#define VMCB_EVENT_TYPE_NMI	(2ULL << VMCB_EVENT_TYPE_SHIFT)
#define VMCB_EVENT_TYPE_EXCEPT	(3ULL << VMCB_EVENT_TYPE_SHIFT)
#define VMCB_EVENT_TYPE_SOFT	(4ULL << VMCB_EVENT_TYPE_SHIFT)
#define VMCB_EVENT_EV		(1ULL << 11)	/* an error code is pushed */
#define VMCB_EVENT_VALID	(1ULL << 31)
#define VMCB_EVENT_ERR_SHIFT	32

/* Exit codes (APM vol. 2, appendix C) the monitor knows by name. */
#define SVM_EXIT_EXCP_BASE	0x040	/* + vector, 0x40-0x5f */
#define SVM_EXIT_INTR		0x060
#define SVM_EXIT_VINTR		0x064
#define SVM_EXIT_NMI		0x061
#define SVM_EXIT_SMI		0x062
#define SVM_EXIT_INIT		0x063
#define SVM_EXIT_CPUID		0x072
#define SVM_EXIT_INVD		0x076
#define SVM_EXIT_HLT		0x078
#define SVM_EXIT_INVLPGA	0x07a
#define SVM_EXIT_IOIO		0x07b
#define SVM_EXIT_MSR		0x07c
#define SVM_EXIT_SHUTDOWN	0x07f
#define SVM_EXIT_VMRUN		0x080
#define SVM_EXIT_VMMCALL	0x081
#define SVM_EXIT_VMLOAD		0x082
#define SVM_EXIT_VMSAVE		0x083
#define SVM_EXIT_STGI		0x084
#define SVM_EXIT_CLGI		0x085
#define SVM_EXIT_SKINIT		0x086
#define SVM_EXIT_WBINVD		0x089	/* WBINVD or WBNOINVD */
#define SVM_EXIT_MONITOR	0x08a
#define SVM_EXIT_MWAIT		0x08b
#define SVM_EXIT_MWAIT_COND	0x08c
#define SVM_EXIT_NPF		0x400
#define SVM_EXIT_INVALID	((uint64_t)-1)	/* VMRUN refused the guest state */

/* IOIO EXITINFO1 (APM vol. 2, 15.10.2); EXITINFO2 holds the rIP of the next instruction. */
#define SVM_IOIO_IN		(1u << 0)
#define SVM_IOIO_STR		(1u << 2)
#define SVM_IOIO_REP		(1u << 3)
#define SVM_IOIO_SZ8		(1u << 4)
#define SVM_IOIO_SZ16		(1u << 5)
#define SVM_IOIO_SZ32		(1u << 6)
#define SVM_IOIO_A16		(1u << 7)
#define SVM_IOIO_A32		(1u << 8)
#define SVM_IOIO_A64		(1u << 9)
#define SVM_IOIO_SEG_SHIFT	10		/* 12:10, the string source segment */
#define SVM_IOIO_PORT_SHIFT	16

/* #NPF EXITINFO1: a page-fault error code, plus where the walk was. */
#define SVM_NPF_P		(1ULL << 0)
#define SVM_NPF_W		(1ULL << 1)
#define SVM_NPF_U		(1ULL << 2)
#define SVM_NPF_RSV		(1ULL << 3)
#define SVM_NPF_ID		(1ULL << 4)
#define SVM_NPF_FINAL		(1ULL << 32)	/* translating the final guest-physical address */
#define SVM_NPF_TABLES		(1ULL << 33)	/* translating a guest page table */

/* G_PAT at a guest's start: the power-on PAT (monitor/x86.h). */
#define VMCB_PAT_DEFAULT	PAT_DEFAULT

#endif
