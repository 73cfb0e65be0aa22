// SPDX-License-Identifier: GPL-2.0-only
/*
 * Bringing up the APs (see smp.h). The sequence is the one the Intel SDM (vol. 3, "MP
 * Initialization", the INIT-SIPI-SIPI protocol) and the AMD APM give for APs in their
 * wait-for-SIPI state: an INIT, 10 ms, a SIPI, 200 us, a second SIPI for a CPU that missed
 * the first.
 */
#include "monitor/smp.h"

#include <errno.h>

#include "irq/irq.h"
#include "monitor/ap_start.h"
#include "monitor/cpu.h"
#include "monitor/fpu.h"
#include "monitor/msr.h"
#include "monitor/x86.h"

#define SMP_INIT_WAIT_US	10000
#define SMP_SIPI_WAIT_US	200
#define SMP_CR4_PGE		(1ULL << 7)
#define SMP_CR4_CARRIED		(CR4_PAE | SMP_CR4_PGE | CR4_LA57)
#define SMP_EFER_CARRIED	(EFER_SCE | EFER_NXE)

/* ap_start.asm */
extern const uint8_t ap_start_begin[], ap_start_pm32[], ap_start_lm64[], ap_start_end[];

static void smp_delay_us(const struct monitor *m, uint64_t us)
{
	uint64_t end = cpu_rdtsc() + us * m->tsc_khz / 1000;

	while (cpu_rdtsc() < end)
		__asm__ volatile("pause");
}

int smp_install(struct monitor *m, uint64_t page_pa)
{
	struct ap_start_code code = {
		.start = ap_start_begin,
		.size = (size_t)(ap_start_end - ap_start_begin),
		.pm32_off = (size_t)(ap_start_pm32 - ap_start_begin),
		.lm64_off = (size_t)(ap_start_lm64 - ap_start_begin),
	};
	struct ap_start_cpu_state st = {
		.cr3 = cpu_read_cr3(),
		.cr4 = cpu_read_cr4() & SMP_CR4_CARRIED,
		.cr0 = cpu_read_cr0(),
		.efer = (cpu_rdmsr(MSR_EFER) & SMP_EFER_CARRIED) | EFER_LME,
	};
	int err = ap_start_install(m->phys(m->phys_ctx, page_pa, AP_START_PAGE_SIZE), page_pa,
				   &code, &st);

	if (err < 0)
		monitor_log(m, "monitor: cannot use 0x%llx as the APs' start page (cr3 0x%llx, "
			       "%zu bytes of code): error %d",
			    (unsigned long long)page_pa, (unsigned long long)st.cr3, code.size, err);
	return err;
}

/* MONITOR_POOL_PER_CPU (monitor/monitor.h) counts what smp_cpu_alloc and desc_init_cpu take. */
_Static_assert(SMP_STACK_SIZE == MONITOR_CPU_STACK, "the per-CPU pool counts this stack");
_Static_assert(3 * DESC_IST_STACK == MONITOR_CPU_IST, "the per-CPU pool counts 3 IST stacks");
_Static_assert(sizeof(struct smp_cpu) + 16 + sizeof(struct desc_cpu) + 16 <= MONITOR_CPU_TABLES,
	       "the per-CPU pool's page for its tables holds them, aligned");

int smp_cpu_alloc(struct monitor *m, unsigned index, uint32_t apic_id, struct smp_cpu **out)
{
	struct smp_cpu *c;
	uint64_t pa, stack;
	void *va;
	int err;

	if ((err = monitor_pool_alloc(m, sizeof(*c), 16, &pa, &va)) < 0)
		return err;
	c = va;
	*c = (struct smp_cpu){ .m = m, .index = index, .apic_id = apic_id };
	if ((err = monitor_pool_alloc(m, SMP_STACK_SIZE, MONITOR_PAGE_SIZE, &stack, NULL)) < 0 ||
	    (err = desc_init_cpu(m, &c->desc)) < 0)
		return err;
	c->stack_top = stack + SMP_STACK_SIZE;
	*out = c;
	return 0;
}

void smp_cpu_init(struct smp_cpu *c)
{
	desc_load_cpu(c->desc);
	fpu_init_cpu();
	lapic_init(IRQ_TIMER_VECTOR, IRQ_SPURIOUS_VECTOR, &c->apic);
	/* lapic_init leaves the timer masked (the boot CPU unmasks it after calibrating): here
	 * nothing calibrates, and a CPU whose timer is masked never takes a guest out for its
	 * slot's end or its vLAPIC timer (an SMP Linux waiting in a loop would never tick). */
	lapic_timer_mask(false);
}

/* ap_start.asm jumps here on the AP, on c's stack, still on the start page's GDT. */
static __attribute__((noreturn, used)) void smp_ap_entry(uint64_t arg, uint32_t *started)
{
	struct smp_cpu *c = (struct smp_cpu *)(uintptr_t)arg;

	smp_cpu_init(c);
	/* Off the page's GDT and block: the boot CPU may reuse them from here on. */
	__atomic_store_n(started, 1, __ATOMIC_RELEASE);
	c->run(c);
	cpu_halt_forever();
	__builtin_unreachable();
}

static int smp_ipi(struct monitor *m, const struct smp_cpu *c, uint32_t mode, uint8_t vector,
		   const char *what)
{
	int err = lapic_send_ipi(c->apic_id, mode, vector);

	if (err < 0)
		monitor_log(m, "monitor: cpu %u (APIC ID %u): %s IPI not delivered (error %d)",
			    c->index, c->apic_id, what, err);
	return err;
}

int smp_start_cpu(struct monitor *m, uint64_t page_pa, struct smp_cpu *c)
{
	void *page = m->phys(m->phys_ctx, page_pa, AP_START_PAGE_SIZE);
	struct ap_start_params *p = ap_start_params(page);
	uint8_t vector = ap_start_vector(page_pa);
	uint64_t start, deadline;
	int err;

	ap_start_set_cpu(p, c->stack_top, (uint64_t)(uintptr_t)smp_ap_entry,
			 (uint64_t)(uintptr_t)c);
	/* The block and c are written before any IPI can send the AP to read them. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if ((err = smp_ipi(m, c, LAPIC_ICR_INIT, 0, "INIT")) < 0)
		return err;
	smp_delay_us(m, SMP_INIT_WAIT_US);
	start = cpu_rdtsc();
	/* A startup IPI that may or may not have arrived: INIT again, so that a late start
	 * cannot run on the page the next AP's block is written to. */
	if ((err = smp_ipi(m, c, LAPIC_ICR_SIPI, vector, "startup")) < 0) {
		smp_park_cpu(c->apic_id);
		return err;
	}
	smp_delay_us(m, SMP_SIPI_WAIT_US);
	/* A CPU already running ignores the second one. */
	if ((err = smp_ipi(m, c, LAPIC_ICR_SIPI, vector, "startup")) < 0) {
		smp_park_cpu(c->apic_id);
		return err;
	}
	deadline = start + (uint64_t)SMP_START_TIMEOUT_MS * m->tsc_khz;
	while (!__atomic_load_n(&p->started, __ATOMIC_ACQUIRE)) {
		if (cpu_rdtsc() > deadline) {
			monitor_log(m, "monitor: cpu %u (APIC ID %u) did not start within %u ms "
				       "(SIPI vector 0x%02x); parked",
				    c->index, c->apic_id, SMP_START_TIMEOUT_MS, vector);
			smp_park_cpu(c->apic_id);
			return -ETIMEDOUT;
		}
		__asm__ volatile("pause");
	}
	return 0;
}

int smp_park_cpu(uint32_t apic_id)
{
	return lapic_send_ipi(apic_id, LAPIC_ICR_INIT, 0);
}
