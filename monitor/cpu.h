/* SPDX-License-Identifier: GPL-2.0-only */
/* Privileged x86 instructions the monitor's EFI-only code uses (never the host tests). */
#ifndef TWINMON_MONITOR_CPU_H
#define TWINMON_MONITOR_CPU_H

#include <stdbool.h>
#include <stdint.h>

#include "monitor/core.h"

#define MSR_APIC_BASE	0x0000001b

static inline uint64_t cpu_rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

static inline void cpu_wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))
			 : "memory");
}

static inline void cpu_cpuid(uint32_t leaf, uint32_t subleaf, struct cpuid_regs *r)
{
	__asm__ volatile("cpuid"
			 : "=a"(r->eax), "=b"(r->ebx), "=c"(r->ecx), "=d"(r->edx)
			 : "a"(leaf), "c"(subleaf));
}

/* Whether CPUID's vendor is GenuineIntel: the VMX backend's CPU, SVM's otherwise. */
static inline bool cpu_is_intel(void)
{
	struct cpuid_regs r;

	cpu_cpuid(0, 0, &r);
	return r.ebx == 0x756e6547 && r.edx == 0x49656e69 && r.ecx == 0x6c65746e;
}

static inline uint64_t cpu_rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

#define CPU_CR_ACCESSORS(n)                                                            \
	static inline uint64_t cpu_read_cr##n(void)                                    \
	{                                                                              \
		uint64_t v;                                                            \
		__asm__ volatile("mov %%cr" #n ", %0" : "=r"(v));                      \
		return v;                                                              \
	}                                                                              \
	static inline void cpu_write_cr##n(uint64_t v)                                 \
	{                                                                              \
		__asm__ volatile("mov %0, %%cr" #n : : "r"(v) : "memory");             \
	}
CPU_CR_ACCESSORS(0)
CPU_CR_ACCESSORS(2)
CPU_CR_ACCESSORS(3)
CPU_CR_ACCESSORS(4)

static inline uint64_t cpu_xgetbv(uint32_t index)
{
	uint32_t lo, hi;

	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(index));
	return (uint64_t)hi << 32 | lo;
}

static inline void cpu_xsetbv(uint32_t index, uint64_t v)
{
	__asm__ volatile("xsetbv" : : "c"(index), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

static inline void cpu_halt_forever(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

#endif
