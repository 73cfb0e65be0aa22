// SPDX-License-Identifier: GPL-2.0-only
/*
 * The probe's VMX attacks: what a guest must find as on a CPU without VMX, whichever backend
 * runs it (CPUID hides VMX on both). Every VMX instruction raises #UD; setting CR4.VMXE,
 * touching IA32_FEATURE_CONTROL or reading a VMX capability MSR raises #GP. Anything else,
 * a fault with another vector included, is NOT CONTAINED.
 */
#include "guests/probe/attacks.h"

#include "guests/lib/cpu.h"
#include "guests/lib/out.h"
#include "guests/lib/trap.h"
#include "guests/lib/try.h"

#define PROBE_FEATURE_CONTROL	0x3a
#define PROBE_VMX_MSR_FIRST	0x480
#define PROBE_VMX_MSR_LAST	0x491
#define PROBE_CR4_VMXE		(1ull << 13)
#define PROBE_VEC_UD		6
#define PROBE_VEC_GP		13

/* A zeroed page for the instructions' memory operands (a region, a descriptor). */
static uint8_t probe_vmx_page[4096] __attribute__((aligned(4096)));

static void vmx_vmxon(void *arg)
{
	uint64_t pa = (uint64_t)(uintptr_t)arg;

	__asm__ volatile("vmxon %0" : : "m"(pa) : "memory", "cc");
}

static void vmx_vmclear(void *arg)
{
	uint64_t pa = (uint64_t)(uintptr_t)arg;

	__asm__ volatile("vmclear %0" : : "m"(pa) : "memory", "cc");
}

static void vmx_vmptrld(void *arg)
{
	uint64_t pa = (uint64_t)(uintptr_t)arg;

	__asm__ volatile("vmptrld %0" : : "m"(pa) : "memory", "cc");
}

static void vmx_vmptrst(void *arg)
{
	__asm__ volatile("vmptrst %0" : "=m"(*(uint64_t *)arg) : : "memory", "cc");
}

static void vmx_vmread(void *arg)
{
	uint64_t v;

	__asm__ volatile("vmread %1, %0" : "=r"(v) : "r"((uint64_t)0x681e) : "cc");
	*(uint64_t *)arg = v;
}

static void vmx_vmwrite(void *arg)
{
	__asm__ volatile("vmwrite %0, %1" : : "r"((uint64_t)0), "r"((uint64_t)0x681e) : "cc");
}

static void vmx_vmlaunch(void *arg)
{
	__asm__ volatile("vmlaunch" : : : "memory", "cc");
}

static void vmx_vmresume(void *arg)
{
	__asm__ volatile("vmresume" : : : "memory", "cc");
}

static void vmx_vmxoff(void *arg)
{
	__asm__ volatile("vmxoff" : : : "memory", "cc");
}

static void vmx_invept(void *arg)
{
	__asm__ volatile("invept %0, %1" : : "m"(*(uint8_t(*)[16])arg), "r"((uint64_t)2)
			 : "memory", "cc");
}

static void vmx_invvpid(void *arg)
{
	__asm__ volatile("invvpid %0, %1" : : "m"(*(uint8_t(*)[16])arg), "r"((uint64_t)2)
			 : "memory", "cc");
}

static void vmx_vmfunc(void *arg)
{
	__asm__ volatile("vmfunc" : : "a"(0), "c"(0) : "memory");
}

static void vmx_cr4_vmxe(void *arg)
{
	uint64_t cr4;

	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr4 | PROBE_CR4_VMXE) : "memory");
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	*(uint64_t *)arg = cr4;
}

static void vmx_rdmsr(void *arg)
{
	uint32_t *msr = arg;

	(void)rdmsr(*msr);
}

static void vmx_wrmsr(void *arg)
{
	/* Lock with VMXON outside SMX: what a guest would write to turn VMX on. */
	wrmsr(PROBE_FEATURE_CONTROL, 5);
}

/* One attack: fn(arg) must fault with vector want. */
static void probe_vmx_one(struct probe_run *r, const char *what, void (*fn)(void *), void *arg,
			  unsigned want)
{
	char f[OUT_LINE_MAX];

	probe_announce(r, "vmx: %s", what);
	if (!guest_try(fn, arg))
		probe_outcome(r, PROBE_NOT_CONTAINED, "no fault");
	else if (guest_try_fault.vector != want)
		probe_outcome(r, PROBE_NOT_CONTAINED, "%s, expected vector %u",
			      probe_fault_text(f, sizeof(f)), want);
	else
		probe_outcome(r, PROBE_CONTAINED, "%s", probe_fault_text(f, sizeof(f)));
}

void probe_vmx(struct probe_run *r)
{
	static const struct {
		const char *name;
		void (*fn)(void *);
	} insns[] = {
		{ "VMXON", vmx_vmxon },	      { "VMCLEAR", vmx_vmclear }, { "VMPTRLD", vmx_vmptrld },
		{ "VMPTRST", vmx_vmptrst },   { "VMREAD", vmx_vmread },	  { "VMWRITE", vmx_vmwrite },
		{ "VMLAUNCH", vmx_vmlaunch }, { "VMRESUME", vmx_vmresume }, { "VMXOFF", vmx_vmxoff },
		{ "INVEPT", vmx_invept },     { "INVVPID", vmx_invvpid }, { "VMFUNC", vmx_vmfunc },
	};
	uint32_t fc = PROBE_FEATURE_CONTROL;
	char f[OUT_LINE_MAX];
	uint64_t cr4 = 0;
	unsigned msr;

	for (size_t i = 0; i < sizeof(insns) / sizeof(insns[0]); i++)
		probe_vmx_one(r, insns[i].name, insns[i].fn, probe_vmx_page, PROBE_VEC_UD);
	probe_vmx_one(r, "set CR4.VMXE", vmx_cr4_vmxe, &cr4, PROBE_VEC_GP);
	probe_vmx_one(r, "rdmsr IA32_FEATURE_CONTROL (0x3a)", vmx_rdmsr, &fc, PROBE_VEC_GP);
	probe_vmx_one(r, "wrmsr IA32_FEATURE_CONTROL (0x3a) <- 5 (lock, VMXON)", vmx_wrmsr, NULL,
		      PROBE_VEC_GP);
	/* The capability MSRs as one attack: the first that does not #GP fails it. */
	probe_announce(r, "vmx: rdmsr of the VMX capability MSRs 0x%x-0x%x", PROBE_VMX_MSR_FIRST,
		       PROBE_VMX_MSR_LAST);
	for (msr = PROBE_VMX_MSR_FIRST; msr <= PROBE_VMX_MSR_LAST; msr++) {
		uint32_t m = msr;

		if (!guest_try(vmx_rdmsr, &m)) {
			probe_outcome(r, PROBE_NOT_CONTAINED, "rdmsr 0x%x did not fault", msr);
			return;
		}
		if (guest_try_fault.vector != PROBE_VEC_GP) {
			probe_outcome(r, PROBE_NOT_CONTAINED, "rdmsr 0x%x: %s, expected #GP", msr,
				      probe_fault_text(f, sizeof(f)));
			return;
		}
	}
	probe_outcome(r, PROBE_CONTAINED, "#GP for each of the %u", PROBE_VMX_MSR_LAST -
		      PROBE_VMX_MSR_FIRST + 1);
}
