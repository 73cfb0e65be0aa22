/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What this CPU's VMX can do, and the control words the monitor runs its guests with,
 * derived from the capability MSRs (Intel SDM vol. 3D, appendix A) and never hard-coded.
 * Pure functions over MSR values the caller read: the EFI glue reads them (rdmsr), the
 * host tests feed made-up ones.
 *
 * Each control word is the bits the CPU forces on (its allowed-0 settings), the bits the
 * monitor requires (refused with a message naming the control and the bit when the CPU
 * cannot set them), and the bits it would like (only where allowed). The TRUE_* MSRs are
 * used when IA32_VMX_BASIC bit 55 says they exist: they let the "default1" bits the monitor
 * does not want (CR3-load/store exiting, for instance) be cleared.
 */
#ifndef TWINMON_MONITOR_VMX_CAPS_H
#define TWINMON_MONITOR_VMX_CAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The MSRs (SDM vol. 4, "Architectural MSRs"). */
#define MSR_IA32_FEATURE_CONTROL	0x03a
#define MSR_IA32_VMX_BASIC		0x480
#define MSR_IA32_VMX_PINBASED_CTLS	0x481
#define MSR_IA32_VMX_PROCBASED_CTLS	0x482
#define MSR_IA32_VMX_EXIT_CTLS		0x483
#define MSR_IA32_VMX_ENTRY_CTLS		0x484
#define MSR_IA32_VMX_MISC		0x485
#define MSR_IA32_VMX_CR0_FIXED0		0x486
#define MSR_IA32_VMX_CR0_FIXED1		0x487
#define MSR_IA32_VMX_CR4_FIXED0		0x488
#define MSR_IA32_VMX_CR4_FIXED1		0x489
#define MSR_IA32_VMX_VMCS_ENUM		0x48a
#define MSR_IA32_VMX_PROCBASED_CTLS2	0x48b
#define MSR_IA32_VMX_EPT_VPID_CAP	0x48c
#define MSR_IA32_VMX_TRUE_PINBASED_CTLS	0x48d
#define MSR_IA32_VMX_TRUE_PROCBASED_CTLS 0x48e
#define MSR_IA32_VMX_TRUE_EXIT_CTLS	0x48f
#define MSR_IA32_VMX_TRUE_ENTRY_CTLS	0x490
#define MSR_IA32_VMX_VMFUNC		0x491
/* The first and last of the VMX capability MSRs a guest must not see. */
#define MSR_IA32_VMX_FIRST		MSR_IA32_VMX_BASIC
#define MSR_IA32_VMX_LAST		0x493

/* IA32_FEATURE_CONTROL */
#define VMX_FC_LOCK			(1ULL << 0)
#define VMX_FC_VMXON_IN_SMX		(1ULL << 1)
#define VMX_FC_VMXON_OUTSIDE_SMX	(1ULL << 2)

/* IA32_VMX_BASIC (SDM appendix A, "Basic VMX Information") */
#define VMX_BASIC_REVISION_MASK		0x7fffffffULL
#define VMX_BASIC_SIZE_SHIFT		32
#define VMX_BASIC_SIZE_MASK		(0x1fffULL << VMX_BASIC_SIZE_SHIFT)
#define VMX_BASIC_ADDR32		(1ULL << 48)	/* VMXON/VMCS addresses below 4 GiB only */
#define VMX_BASIC_DUAL_MONITOR		(1ULL << 49)
#define VMX_BASIC_MT_SHIFT		50		/* 53:50, the VMCS memory type */
#define VMX_BASIC_MT_MASK		(0xfULL << VMX_BASIC_MT_SHIFT)
#define VMX_BASIC_INS_OUTS_INFO		(1ULL << 54)	/* instruction info for INS/OUTS exits */
#define VMX_BASIC_TRUE_CTLS		(1ULL << 55)
#define VMX_BASIC_NO_ERROR_CODE_CHECK	(1ULL << 56)	/* any exception injectable w/o error code */
#define VMX_MT_WB			6

/* IA32_VMX_MISC (appendix A, "Miscellaneous Data") */
#define VMX_MISC_TIMER_RATE_MASK	0x1fULL		/* the timer counts TSC >> rate */
#define VMX_MISC_STORES_LMA		(1ULL << 5)
#define VMX_MISC_ACTIVITY_HLT		(1ULL << 6)
#define VMX_MISC_ACTIVITY_SHUTDOWN	(1ULL << 7)
#define VMX_MISC_ACTIVITY_WAIT_SIPI	(1ULL << 8)

/* IA32_VMX_EPT_VPID_CAP (appendix A, "VPID and EPT Capabilities") */
#define VMX_EPT_EXEC_ONLY		(1ULL << 0)
#define VMX_EPT_WALK_4			(1ULL << 6)
#define VMX_EPT_UC			(1ULL << 8)	/* UC allowed for the EPT tables */
#define VMX_EPT_WB			(1ULL << 14)	/* WB allowed for the EPT tables */
#define VMX_EPT_2M			(1ULL << 16)
#define VMX_EPT_1G			(1ULL << 17)
#define VMX_EPT_INVEPT			(1ULL << 20)
#define VMX_EPT_AD			(1ULL << 21)
#define VMX_EPT_INVEPT_SINGLE		(1ULL << 25)
#define VMX_EPT_INVEPT_ALL		(1ULL << 26)
#define VMX_VPID_INVVPID		(1ULL << 32)
#define VMX_VPID_INVVPID_ADDR		(1ULL << 40)
#define VMX_VPID_INVVPID_SINGLE		(1ULL << 41)
#define VMX_VPID_INVVPID_ALL		(1ULL << 42)
#define VMX_VPID_INVVPID_SINGLE_GLOBALS	(1ULL << 43)

/* INVEPT / INVVPID types (SDM vol. 3C, the instructions' reference pages) */
#define VMX_INVEPT_SINGLE		1
#define VMX_INVEPT_ALL			2
#define VMX_INVVPID_ADDR		0
#define VMX_INVVPID_SINGLE		1
#define VMX_INVVPID_ALL			2

/* Raw MSR values. The TRUE_* ones are read only when basic has VMX_BASIC_TRUE_CTLS,
 * procbased2 only when procbased allows secondary controls, ept_vpid_cap only when
 * procbased2 allows EPT or VPID; the rest always. */
struct vmx_msrs {
	uint64_t basic;
	uint64_t pinbased, procbased, exit, entry;
	uint64_t true_pinbased, true_procbased, true_exit, true_entry;
	uint64_t procbased2;
	uint64_t ept_vpid_cap;
	uint64_t misc;
	uint64_t cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
};

/*
 * One control word: value is what goes into the VMCS at creation; allowed1 what the CPU
 * can set, for the bits the backend turns on and off as it runs (interrupt window, IA-32e
 * mode guest, preemption timer), each checked here to be settable and clearable when the
 * monitor needs it.
 */
struct vmx_ctl {
	uint32_t value;
	uint32_t allowed0;	/* bits that must stay set */
	uint32_t allowed1;	/* bits that may be set */
};

struct vmx_caps {
	uint32_t revision;		/* the first dword of the VMXON region and of each VMCS */
	uint32_t region_size;		/* bytes of the VMXON region and of a VMCS (<= 4096) */
	bool true_ctls;			/* the TRUE_* MSRs were used */
	bool ins_outs_info;		/* INS/OUTS exits give the address size and segment */
	bool no_error_code_check;	/* BASIC bit 56 */

	struct vmx_ctl pin, proc, proc2, exit, entry;

	/* Optional features granted (the CPUID face must hide what is missing). */
	bool invpcid;
	bool nmi_window;		/* virtual NMIs and NMI-window exiting */
	bool preemption_timer;
	unsigned timer_rate;		/* the preemption timer counts down every 2^rate TSC ticks */
	bool lma_stored;		/* exits update the IA-32e mode guest entry control */
	bool wait_sipi;			/* activity state wait-for-SIPI can be entered */

	/* EPT and VPID */
	bool ept_2m, ept_1g, ept_ad;
	unsigned pt_flags;		/* npt_init() flags for the EPT builder (NPT_NO_2M, _1G) */
	int invept_type;		/* VMX_INVEPT_SINGLE if it exists, else _ALL */
	int invvpid_type;		/* VMX_INVVPID_SINGLE if it exists, else _ALL */
	bool invvpid_addr;

	/* CR0/CR4: fixed bits, and what the guest may own. */
	uint64_t cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	uint64_t guest_cr0_set;		/* CR0 bits a guest runs with whatever it asks (NE);
					 * unrestricted guest lifts PE and PG */
	uint64_t cr0_mask, cr4_mask;	/* guest/host masks: bits the monitor owns */

	char error[200];		/* why vmx_caps_derive() refused, "vmx: ..." */
};

/*
 * Derive *c from *m. 0, or -ENODEV with c->error naming what is missing: a required
 * control bit (by control and name), an EPT or VPID feature, a VMCS memory type other
 * than write-back, a 32-bit-only VMCS address, or an MSR that contradicts itself.
 */
int vmx_caps_derive(const struct vmx_msrs *m, struct vmx_caps *c);

/*
 * IA32_FEATURE_CONTROL: 0 with *write false if VMXON is already allowed outside SMX; 0 with
 * *write true and *value the value to write (lock + VMXON outside SMX, the other bits
 * kept) if the register is unlocked; -ENODEV with a message in err if the firmware locked
 * it with VMX off.
 */
int vmx_feature_control(uint64_t fc, bool *write, uint64_t *value, char *err, size_t len);

/* CR0 and CR4 for VMXON from the current ones: fixed-0 bits set, fixed-1 bits cleared. */
void vmx_vmxon_crs(const struct vmx_caps *c, uint64_t cr0, uint64_t cr4, uint64_t *cr0_out,
		   uint64_t *cr4_out);

/* What a guest that asks for cr0/cr4 actually runs with (its read shadow keeps cr0/cr4). */
uint64_t vmx_guest_cr0(const struct vmx_caps *c, uint64_t cr0);
uint64_t vmx_guest_cr4(const struct vmx_caps *c, uint64_t cr4);

#endif
