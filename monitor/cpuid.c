// SPDX-License-Identifier: GPL-2.0-only
#include "monitor/cpuid.h"

#include <string.h>

#include "monitor/abi.h"
#include "monitor/x86.h"

static uint32_t cpuid_sig(int word)
{
	const char *sig = TM_ABI_SIGNATURE;
	uint32_t v;

	memcpy(&v, sig + 4 * word, 4);
	return v;
}

static uint32_t cpuid_set(uint32_t v, uint32_t bit, int on)
{
	return on ? v | bit : v & ~bit;
}

void cpuid_filter(uint32_t leaf, uint32_t subleaf, const struct cpuid_regs *raw,
		  uint64_t guest_cr4, bool x2apic, uint32_t apic_id, struct cpuid_regs *out)
{
	*out = *raw;

	if (leaf >= TM_CPUID_BASE && leaf <= TM_CPUID_BASE + 0xff) {
		memset(out, 0, sizeof(*out));
		if (leaf == TM_CPUID_BASE) {
			out->eax = TM_CPUID_VERSION;
			out->ebx = cpuid_sig(0);
			out->ecx = cpuid_sig(1);
			out->edx = cpuid_sig(2);
		} else if (leaf == TM_CPUID_VERSION) {
			out->eax = TM_ABI_VERSION;
		}
		return;
	}

	switch (leaf) {
	case 1:
		out->ecx |= CPUID_1_ECX_HYPERVISOR;
		out->ecx &= ~(CPUID_1_ECX_MONITOR | CPUID_1_ECX_VMX | CPUID_1_ECX_SMX);
		out->ecx |= CPUID_1_ECX_TSC_DEADLINE;
		out->ecx = cpuid_set(out->ecx, CPUID_1_ECX_X2APIC, x2apic);
		/* OSXSAVE mirrors CR4: the CPU answered with the monitor's. */
		out->ecx = cpuid_set(out->ecx, CPUID_1_ECX_OSXSAVE,
				     (raw->ecx & CPUID_1_ECX_XSAVE) && (guest_cr4 & CR4_OSXSAVE));
		out->edx &= ~(CPUID_1_EDX_MCE | CPUID_1_EDX_MCA | CPUID_1_EDX_HTT);
		out->ebx = (out->ebx & 0xffffu) | (1u << 16) | (apic_id & 0xff) << 24;
		break;
	case 0xb:
	case 0x1f:
		/* The APIC ID the vCPU has, never the physical CPU's, and no levels. */
		*out = (struct cpuid_regs){ 0, 0, subleaf & 0xff, apic_id };
		break;
	case 0x8000001e:
		*out = (struct cpuid_regs){ apic_id, 0, 0, 0 };
		break;
	case 6:
		out->eax |= CPUID_6_EAX_ARAT;
		break;
	case 0x80000007:
		out->edx |= CPUID_87_EDX_INVTSC;
		break;
	case 7:
		if (subleaf != 0)
			break;
		out->ecx &= ~(CPUID_7_ECX_RDPID | CPUID_7_ECX_WAITPKG);
		out->ecx = cpuid_set(out->ecx, CPUID_7_ECX_OSPKE, (guest_cr4 & CR4_PKE) != 0);
		/* The speculation controls pass as the CPU has them (monitor/spec.h gives the
		 * guest their MSRs exactly then); the MSRs behind these are refused. */
		out->edx &= ~(CPUID_7_EDX_L1D_FLUSH | CPUID_7_EDX_ARCH_CAP | CPUID_7_EDX_CORE_CAP);
		break;
	case 0xd:
		if (subleaf == 1)
			out->eax &= ~CPUID_D1_EAX_XSAVES;
		break;
	case 0x80000001:
		out->ecx &= ~(CPUID_81_ECX_SVM | CPUID_81_ECX_CMP_LEGACY | CPUID_81_ECX_SKINIT |
			      CPUID_81_ECX_MONITORX | CPUID_81_ECX_TOPOEXT);
		out->edx &= ~CPUID_81_EDX_RDTSCP;
		break;
	case 0x80000008:
		out->ecx &= ~0xf0ffu;
		out->ebx &= ~CPUID_88_EBX_VIRT_SSBD;
		break;
	case 0x8000000a:
	case 0x8000001f:
		memset(out, 0, sizeof(*out));
		break;
	default:
		break;
	}
}
