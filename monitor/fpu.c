// SPDX-License-Identifier: GPL-2.0-only
#include "monitor/fpu.h"

#include <errno.h>
#include <string.h>

#include "monitor/cpu.h"
#include "monitor/cpuid.h"
#include "monitor/x86.h"

#define FPU_FCW_INIT	0x037f
#define FPU_MXCSR_INIT	0x1f80
#define FPU_MXCSR_OFF	24
#define FPU_FXSAVE_SIZE	512
#define FPU_XCR0_X87	1ULL

/* What an asm operand says XSAVE may touch: at most this much (AMX included). */
struct fpu_image {
	uint8_t bytes[16384];
};

static struct {
	bool xsave;
	uint64_t xcr0_all;	/* every component the CPU can save */
	uint32_t size;		/* bytes of a save area */
} fpu;

int fpu_init(struct monitor *m)
{
	struct cpuid_regs r;
	uint64_t cr4 = cpu_read_cr4();

	cpu_cpuid(1, 0, &r);
	if (!(r.edx & CPUID_1_EDX_FXSR)) {
		monitor_log(m, "monitor: the CPU has no FXSAVE: guest FPU state cannot be kept");
		return -ENODEV;
	}
	fpu.xsave = r.ecx & CPUID_1_ECX_XSAVE;
	cr4 |= CR4_OSFXSR | CR4_OSXMMEXCPT | (fpu.xsave ? CR4_OSXSAVE : 0);
	cpu_write_cr4(cr4);
	cpu_write_cr0(cpu_read_cr0() & ~(CR0_TS | (1ULL << 2)));	/* TS, EM */
	fpu.size = FPU_FXSAVE_SIZE;
	if (fpu.xsave) {
		cpu_cpuid(0xd, 0, &r);
		fpu.xcr0_all = (uint64_t)r.edx << 32 | r.eax;
		fpu.size = r.ecx;
		if (fpu.size > sizeof(struct fpu_image)) {
			monitor_log(m, "monitor: XSAVE area of %u bytes is larger than %zu",
				    fpu.size, sizeof(struct fpu_image));
			return -ENODEV;
		}
		cpu_xsetbv(0, fpu.xcr0_all);
	}
	monitor_log(m, "monitor: guest FPU state by %s, %u bytes per guest, xcr0 0x%llx",
		    fpu.xsave ? "XSAVE" : "FXSAVE", fpu.size, (unsigned long long)fpu.xcr0_all);
	return 0;
}

void fpu_init_cpu(void)
{
	/* What fpu_init found on the boot CPU holds for its siblings. */
	cpu_write_cr4(cpu_read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT |
		      (fpu.xsave ? CR4_OSXSAVE : 0));
	cpu_write_cr0(cpu_read_cr0() & ~(CR0_TS | (1ULL << 2)));	/* TS, EM */
	if (fpu.xsave)
		cpu_xsetbv(0, fpu.xcr0_all);
}

int fpu_guest_init(struct monitor *m, struct vcpu *v)
{
	uint64_t pa;
	void *va;
	uint16_t fcw = FPU_FCW_INIT;
	uint32_t mxcsr = FPU_MXCSR_INIT;
	int err;

	/* Zero: an XSAVE header with XSTATE_BV 0, every component in its init state. A
	 * restart reuses the vCPU's area. */
	if (v->fpu_area) {
		va = v->fpu_area;
		memset(va, 0, fpu.size);
	} else if ((err = monitor_pool_alloc(m, fpu.size, 64, &pa, &va))) {
		return err;
	}
	memcpy(va, &fcw, sizeof(fcw));
	memcpy((uint8_t *)va + FPU_MXCSR_OFF, &mxcsr, sizeof(mxcsr));
	v->fpu_area = va;
	v->xcr0 = FPU_XCR0_X87;
	memset(v->dr, 0, sizeof(v->dr));
	/* SPEC_CTRL's reset value; spec.c loads it with the rest at the next change of vCPU. */
	v->spec_ctrl = 0;
	return 0;
}

void fpu_save(struct vcpu *v)
{
	if (fpu.xsave) {
		/* Save everything with XCR0 at its widest, so the image holds every component
		 * whatever the guest enabled; its own XCR0 is kept aside. */
		v->xcr0 = cpu_xgetbv(0);
		cpu_xsetbv(0, fpu.xcr0_all);
		__asm__ volatile("xsave64 %0" : "+m"(*(struct fpu_image *)v->fpu_area)
				 : "a"(0xffffffffu), "d"(0xffffffffu));
	} else {
		__asm__ volatile("fxsave64 %0" : "=m"(*(struct fpu_image *)v->fpu_area));
	}
	__asm__ volatile("mov %%db0, %0" : "=r"(v->dr[0]));
	__asm__ volatile("mov %%db1, %0" : "=r"(v->dr[1]));
	__asm__ volatile("mov %%db2, %0" : "=r"(v->dr[2]));
	__asm__ volatile("mov %%db3, %0" : "=r"(v->dr[3]));
}

void fpu_load(struct vcpu *v)
{
	if (fpu.xsave) {
		cpu_xsetbv(0, fpu.xcr0_all);
		__asm__ volatile("xrstor64 %0" : : "m"(*(struct fpu_image *)v->fpu_area),
				 "a"(0xffffffffu), "d"(0xffffffffu));
		cpu_xsetbv(0, v->xcr0);
	} else {
		__asm__ volatile("fxrstor64 %0" : : "m"(*(struct fpu_image *)v->fpu_area));
	}
	__asm__ volatile("mov %0, %%db0" : : "r"(v->dr[0]));
	__asm__ volatile("mov %0, %%db1" : : "r"(v->dr[1]));
	__asm__ volatile("mov %0, %%db2" : : "r"(v->dr[2]));
	__asm__ volatile("mov %0, %%db3" : : "r"(v->dr[3]));
}
