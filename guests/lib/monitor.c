// SPDX-License-Identifier: GPL-2.0-only
/*
 * Monitor detection. Without a hypervisor, leaf 0x40000000 is just out of range (zeros on
 * AMD, the highest basic leaf's data on Intel), so it means nothing unless leaf 1 has the
 * hypervisor bit; other hypervisors (QEMU's TCG, KVM) answer it with their own signature.
 */
#include "guests/lib/monitor.h"

#include "guests/abi/twinmon_abi.h"
#include "guests/lib/cpu.h"
#include "guests/lib/hypercall.h"

bool tm_hc_vmcall;

static void put_le32(char *dst, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		dst[i] = (char)(v >> (8 * i));
}

void tm_presence_decode(struct tm_presence *p, uint32_t leaf1_ecx, const uint32_t base[4],
			uint32_t version_eax)
{
	*p = (struct tm_presence){ .hypervisor = (leaf1_ecx & TM_CPUID_HYPERVISOR_ECX) != 0 };
	if (!p->hypervisor)
		return;
	p->max_leaf = base[0];
	put_le32(p->signature, base[1]);
	put_le32(p->signature + 4, base[2]);
	put_le32(p->signature + 8, base[3]);
	p->signature[12] = '\0';
	if (base[1] != TM_CPUID_SIG_EBX || base[2] != TM_CPUID_SIG_ECX ||
	    base[3] != TM_CPUID_SIG_EDX || base[0] < TM_CPUID_VERSION)
		return;
	p->version = version_eax;
	/* A later ABI keeps version 1's calls (it may only add), so any version >= 1 works. */
	p->twinmon = version_eax >= TM_ABI_VERSION;
}

void tm_detect(struct tm_presence *p)
{
	struct cpuid_regs l1 = cpuid(1, 0), b = { 0 }, v = { 0 }, id = cpuid(0, 0);

	/* "GenuineIntel": the monitor runs under VMX, whose hypercall is VMCALL. */
	tm_hc_vmcall = id.ebx == 0x756e6547 && id.edx == 0x49656e69 && id.ecx == 0x6c65746e;

	if (l1.ecx & TM_CPUID_HYPERVISOR_ECX) {
		b = cpuid(TM_CPUID_BASE, 0);
		if (b.eax >= TM_CPUID_VERSION)
			v = cpuid(TM_CPUID_VERSION, 0);
	}
	tm_presence_decode(p, l1.ecx, (const uint32_t[4]){ b.eax, b.ebx, b.ecx, b.edx }, v.eax);
}
