/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What a guest's CPUID returns: the real CPU's answer, filtered. Pure C: the EFI build feeds
 * it the real CPUID, the tests a table.
 *
 *   0x40000000      EAX = 0x40000001, EBX:ECX:EDX = "twinmon-abi1"
 *   0x40000001      EAX = 1 (ABI version), the rest 0; 0x40000002-0x400000ff all 0
 *   1               ECX: hypervisor bit 31 and TSC-deadline set (the vLAPIC emulates it);
 *                   x2APIC = whether the guest's vLAPIC starts in x2APIC mode; MONITOR, VMX,
 *                   SMX clear; OSXSAVE = the guest's CR4.OSXSAVE. EDX: MCE, MCA, HTT clear.
 *                   EBX 23:16 (logical processors) = 1, 31:24 (initial APIC ID) = the
 *                   vCPU's APIC ID (its index in the guest)
 *   6               EAX: ARAT set (the vLAPIC timer never stops in a C-state)
 *   7.0             ECX: OSPKE = the guest's CR4.PKE; RDPID, WAITPKG clear. EDX: IBRS/IBPB,
 *                   STIBP, SSBD as the CPU has them (then SPEC_CTRL and PRED_CMD are the
 *                   guest's, monitor/spec.h); L1D_FLUSH, ARCH_CAPABILITIES and
 *                   CORE_CAPABILITIES clear (their MSRs are refused)
 *   0xd.1           EAX: XSAVES clear (IA32_XSS is not the guest's)
 *   0xb, 0x1f       no topology level (EAX, EBX 0, ECX the subleaf, level type 0), EDX the
 *                   vCPU's x2APIC ID: every vCPU is a package of its own, as leaf 1 and
 *                   0x80000008 say, and never learns the physical CPU's ID
 *   0x80000001      ECX: SVM, CmpLegacy, SKINIT, MONITORX, TOPOEXT clear. EDX: RDTSCP clear
 *   0x8000001e      EAX the vCPU's APIC ID, the rest 0 (TOPOEXT is hidden)
 *   0x80000007      EDX: invariant TSC set (guests see the real TSC, the clock the monitor
 *                   measured and keeps their timers in)
 *   0x80000008      ECX: one core (NC = 0, ApicIdCoreIdSize = 0). EBX: IBPB, IBRS, STIBP,
 *                   SSBD as the CPU has them; VIRT_SSBD clear (VIRT_SPEC_CTRL is refused)
 *   0x8000000a      0 (SVM features), 0x8000001f 0 (SME/SEV)
 *
 * Hidden features either belong to the monitor (SVM, the physical LAPIC modes, MCA), would
 * let a guest stall the shared CPU (MONITOR/MWAIT, WAITPKG) or need MSRs the guest does not
 * own (TSC_AUX for RDTSCP/RDPID, IA32_XSS).
 */
#ifndef TWINMON_MONITOR_CPUID_H
#define TWINMON_MONITOR_CPUID_H

#include <stdbool.h>
#include <stdint.h>

#include "monitor/core.h"

#define CPUID_1_ECX_MONITOR	(1u << 3)
#define CPUID_1_ECX_VMX		(1u << 5)
#define CPUID_1_ECX_SMX		(1u << 6)
#define CPUID_1_ECX_X2APIC	(1u << 21)
#define CPUID_1_ECX_TSC_DEADLINE (1u << 24)
#define CPUID_1_ECX_XSAVE	(1u << 26)
#define CPUID_1_ECX_OSXSAVE	(1u << 27)
#define CPUID_1_ECX_HYPERVISOR	(1u << 31)
#define CPUID_6_EAX_ARAT	(1u << 2)
#define CPUID_87_EDX_INVTSC	(1u << 8)
#define CPUID_1_EDX_MCE		(1u << 7)
#define CPUID_1_EDX_MCA		(1u << 14)
#define CPUID_1_EDX_FXSR	(1u << 24)
#define CPUID_1_EDX_HTT		(1u << 28)
#define CPUID_7_ECX_WAITPKG	(1u << 5)
#define CPUID_7_ECX_OSPKE	(1u << 4)
#define CPUID_7_ECX_RDPID	(1u << 22)
#define CPUID_7_EDX_IBRS_IBPB	(1u << 26)	/* SPEC_CTRL.IBRS and PRED_CMD.IBPB */
#define CPUID_7_EDX_STIBP	(1u << 27)
#define CPUID_7_EDX_L1D_FLUSH	(1u << 28)	/* MSR 0x10b */
#define CPUID_7_EDX_ARCH_CAP	(1u << 29)	/* MSR 0x10a */
#define CPUID_7_EDX_CORE_CAP	(1u << 30)	/* MSR 0xcf */
#define CPUID_7_EDX_SSBD	(1u << 31)
#define CPUID_D1_EAX_XSAVES	(1u << 3)
#define CPUID_81_ECX_CMP_LEGACY	(1u << 1)
#define CPUID_81_ECX_SVM	(1u << 2)
#define CPUID_81_ECX_SKINIT	(1u << 12)
#define CPUID_81_ECX_TOPOEXT	(1u << 22)
#define CPUID_81_ECX_MONITORX	(1u << 29)
#define CPUID_81_EDX_NX		(1u << 20)
#define CPUID_81_EDX_PAGE1GB	(1u << 26)
#define CPUID_81_EDX_RDTSCP	(1u << 27)
#define CPUID_88_EBX_IBPB	(1u << 12)
#define CPUID_88_EBX_IBRS	(1u << 14)
#define CPUID_88_EBX_STIBP	(1u << 15)
#define CPUID_88_EBX_SSBD	(1u << 24)
#define CPUID_88_EBX_VIRT_SSBD	(1u << 25)	/* MSR 0xc001011f */
#define CPUID_8A_EDX_NP		(1u << 0)
#define CPUID_8A_EDX_NRIPS	(1u << 3)

/* The guest's view of leaf/subleaf, from the CPU's answer raw, the guest's CR4, whether
 * its vLAPIC starts in x2APIC mode, and the asking vCPU's APIC ID. */
void cpuid_filter(uint32_t leaf, uint32_t subleaf, const struct cpuid_regs *raw,
		  uint64_t guest_cr4, bool x2apic, uint32_t apic_id, struct cpuid_regs *out);

#endif
