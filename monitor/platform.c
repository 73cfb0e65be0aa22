// SPDX-License-Identifier: GPL-2.0-only
/* TSC, local APIC timer, host interrupts, per-guest CPU state (FPU, speculation controls) and
 * CPUID for the core loop. */
#include "monitor/platform.h"

#include "efi/port.h"
#include "irq/ioapic.h"
#include "irq/irq.h"
#include "irq/lapic.h"
#include "irq/timer.h"
#include "monitor/cpu.h"
#include "monitor/fpu.h"
#include "monitor/pcpu.h"
#include "monitor/spec.h"

/* The CPU's speculation controls (probed in platform_ops_init) and whose predictions it holds. */
/* Per CPU: which guest ran last there decides its barrier (monitor/spec.h). */
static struct spec_cpu platform_spec[MONITOR_MAX_CPUS];

static uint64_t platform_now(void *ctx)
{
	return cpu_rdtsc();
}

/* Each CPU's last armed deadline (platform_timer_deadline). */
static uint64_t platform_deadline[MONITOR_MAX_CPUS];

static unsigned platform_cpu_index(void *ctx);

uint64_t platform_timer_deadline(unsigned cpu)
{
	return cpu < MONITOR_MAX_CPUS ? platform_deadline[cpu] : 0;
}

static void platform_arm_timer(void *ctx, uint64_t deadline)
{
	struct platform_clock *c = ctx;
	uint64_t now = cpu_rdtsc();

	platform_deadline[platform_cpu_index(ctx)] = deadline;

	lapic_timer_oneshot(timer_tsc_to_apic(deadline > now ? deadline - now : 0, c->tsc_khz,
					      c->apic_khz));
}

static void platform_idle(void *ctx, uint64_t deadline)
{
	platform_arm_timer(ctx, deadline);
	irq_idle();
}

static void platform_take_interrupts(void *ctx)
{
	irq_take_pending();
}

static unsigned platform_cpu_index(void *ctx)
{
	const struct platform_clock *c = ctx;
	uint32_t id = lapic_id();

	for (unsigned i = 0; i < c->nr_cpus && i < MONITOR_MAX_CPUS; i++)
		if (c->apic_id[i] == id)
			return i;
	return 0;
}

static void platform_switch_state(void *ctx, struct vcpu *from, struct vcpu *to)
{
	struct spec_cpu *s = &platform_spec[to->cpu->index];

	/* to runs on this CPU (vcpu.cpu): no LAPIC ID read on the way into a guest. */
	if (from) {
		fpu_save(from);
		spec_save(s, from);
	}
	/* The meter's boundary between the save and the load phase (monitor/sw_meter.h). */
	to->cpu->sw.saved_at = cpu_rdtsc();
	fpu_load(to);
	spec_load(s, to);
}

static uint32_t platform_take_device_irqs(void *ctx, uint32_t lines)
{
	return irq_take_device(lines);
}

static void platform_take_msi(void *ctx, uint64_t *pending, uint32_t guests)
{
	irq_take_msi(pending, guests);
}

/* Identity mapped (the EFI app's precondition), uncached by the firmware's MTRRs. */
static void platform_mmio(void *ctx, uint64_t pa, bool write, uint8_t size, uint64_t *val)
{
	uintptr_t p = (uintptr_t)pa;

	switch (size) {
	case 1:
		if (write)
			*(volatile uint8_t *)p = (uint8_t)*val;
		else
			*val = *(volatile uint8_t *)p;
		break;
	case 2:
		if (write)
			*(volatile uint16_t *)p = (uint16_t)*val;
		else
			*val = *(volatile uint16_t *)p;
		break;
	case 4:
		if (write)
			*(volatile uint32_t *)p = (uint32_t)*val;
		else
			*val = *(volatile uint32_t *)p;
		break;
	case 8:
		if (write)
			*(volatile uint64_t *)p = *val;
		else
			*val = *(volatile uint64_t *)p;
		break;
	}
}

static bool platform_level_device_irq(void *ctx, unsigned pin)
{
	return ioapic_level(pin);
}

static void platform_mask_device_irq(void *ctx, unsigned pin, bool masked)
{
	ioapic_mask(pin, masked);
}

static void platform_port_io(void *ctx, uint16_t port, bool in, uint8_t size, uint32_t *val)
{
	switch (size) {
	case 1:
		if (in)
			*val = port_inb(port);
		else
			port_outb(port, (uint8_t)*val);
		break;
	case 2:
		if (in)
			*val = port_inw(port);
		else
			port_outw(port, (uint16_t)*val);
		break;
	case 4:
		if (in)
			*val = port_inl(port);
		else
			port_outl(port, *val);
		break;
	}
}

static void platform_cpuid(void *ctx, uint32_t leaf, uint32_t subleaf, struct cpuid_regs *out)
{
	cpu_cpuid(leaf, subleaf, out);
}

static uint64_t platform_rdmsr(void *ctx, uint32_t msr)
{
	return cpu_rdmsr(msr);
}

static void platform_wrmsr(void *ctx, uint32_t msr, uint64_t val)
{
	cpu_wrmsr(msr, val);
}

const struct spec_caps *platform_spec_caps(void)
{
	return &platform_spec[0].caps;
}

static void platform_kick(void *ctx, unsigned cpu)
{
	const struct platform_clock *c = ctx;

	if (cpu < c->nr_cpus && cpu < MONITOR_MAX_CPUS)
		lapic_send_ipi(c->apic_id[cpu], LAPIC_ICR_FIXED, IRQ_KICK_VECTOR);
}

void platform_ops_init(struct monitor_platform *p, struct platform_clock *clock)
{
	platform_spec[0] = (struct spec_cpu){ .rdmsr = platform_rdmsr, .wrmsr = platform_wrmsr };
	spec_caps_probe(platform_cpuid, NULL, &platform_spec[0].caps);
	for (unsigned i = 1; i < MONITOR_MAX_CPUS; i++)
		platform_spec[i] = platform_spec[0];
	*p = (struct monitor_platform){
		.now = platform_now,
		.arm_timer = platform_arm_timer,
		.idle = platform_idle,
		.take_interrupts = platform_take_interrupts,
		.switch_state = platform_switch_state,
		.cpuid = platform_cpuid,
		.cpu_index = platform_cpu_index,
		.kick = platform_kick,
		.stamp = platform_now,
		.take_device_irqs = platform_take_device_irqs,
		.mask_device_irq = platform_mask_device_irq,
		.level_device_irq = platform_level_device_irq,
		.port_io = platform_port_io,
		.take_msi = platform_take_msi,
		.mmio = platform_mmio,
		.ctx = clock,
	};
}
