// SPDX-License-Identifier: GPL-2.0-only
/*
 * monitor_run(): from the EFI app's hand-over to the scheduling loop and back. Order:
 * own stack -> GDT/TSS/IDT -> FPU and SVM on -> local APIC and clock -> MSR map -> each
 * guest's boot tables and VMCB -> loop -> statistics -> timer and SVM off.
 */
#include <errno.h>
#include <string.h>

#include "efi/port.h"
#include "irq/ioapic.h"
#include "irq/irq.h"
#include "irq/lapic.h"
#include "monitor/cpu.h"
#include "monitor/desc.h"
#include "monitor/fpu.h"
#include "monitor/gboot.h"
#include "monitor/msr.h"
#include "monitor/platform.h"
#include "monitor/run_cpus.h"
#include "monitor/stats.h"
#include "monitor/trap.h"
#include "monitor/vipi.h"
#include "monitor/virq.h"
#include "monitor/vmsi.h"
#include "monitor/vpci.h"
#include "partition/iopm.h"

#define RUN_STACK_SIZE	(32 * 1024)
#define PIC1_DATA	0x21
#define PIC2_DATA	0xa1
#define RUN_RTC_PORT	0x70
#define RUN_EPOCH_2000	946684800ULL	/* the virtual RTC's time when the firmware gave none */
#define RUN_IOAPIC_LINES 0x00fffffeu	/* pins 1-23: IRQ 0, the timer, is the monitor's */

static struct monitor run_m;
static struct monitor_platform run_plat;
static struct platform_clock run_clock;

static void *run_phys(void *ctx, uint64_t pa, uint64_t len)
{
	/* Identity mapped: the EFI app's precondition. */
	return (void *)(uintptr_t)pa;
}

/* Mask the legacy PICs unless a guest owns their ports (then they are its to program). */
static void run_legacy_pic(struct monitor *m, const struct monitor_boot *boot)
{
	for (unsigned i = 0; i < MONITOR_MAX_GUESTS; i++) {
		const uint8_t *iopm = (const uint8_t *)(uintptr_t)boot->guest[i].iopm_pa;

		if (boot->guest[i].present && iopm && (!iopm_intercepts(iopm, PIC1_DATA, 1) ||
					       !iopm_intercepts(iopm, PIC2_DATA, 1))) {
			monitor_log(m, "monitor: guest %c owns the legacy PIC; left as it is",
				    boot->guest[i].letter);
			return;
		}
	}
	port_outb(PIC1_DATA, 0xff);
	port_outb(PIC2_DATA, 0xff);
}

/* Boot tables, vCPU, FPU and virtual LAPIC in their start state: a start or a restart. */
/*
 * The physical I/O APIC is the monitor's: every pin masked, then each line a guest owns
 * routed to the monitor, which passes it on (monitor/vdev_irq.c).
 */
static void run_route_irqs(struct monitor *m, const struct monitor_boot *boot)
{
	uint32_t lines = 0;
	int pins;

	for (unsigned i = 0; i < MONITOR_MAX_GUESTS; i++)
		if (boot->guest[i].present)
			lines |= boot->guest[i].irq_mask & RUN_IOAPIC_LINES;
	pins = ioapic_init(IOAPIC_DEFAULT_BASE);
	if (pins < 0) {
		if (lines)
			monitor_log(m, "monitor: no I/O APIC at 0x%llx: device lines are not routed",
				    (unsigned long long)IOAPIC_DEFAULT_BASE);
		return;
	}
	for (unsigned i = 0; i < MONITOR_MAX_GUESTS; i++) {
		const struct monitor_guest_boot *b = &boot->guest[i];
		/* To the CPU that runs its vCPU 0: it takes them (monitor/vdev_irq.c). */
		uint32_t apic_id = m->cpu[b->cpu[0] < m->nr_cpus ? b->cpu[0] : 0].apic_id;

		for (unsigned pin = 0; b->present && pin < IOAPIC_MAX_PINS; pin++) {
			if (!(b->irq_mask & RUN_IOAPIC_LINES & (1u << pin)))
				continue;
			if (ioapic_route(pin, apic_id) < 0)
				monitor_log(m, "monitor: guest %c: IRQ %u: the I/O APIC has %d pins",
					    b->letter, pin, pins);
			else
				monitor_log(m, "monitor: IRQ %u (%s) -> guest %c's I/O APIC", pin,
					    ioapic_level(pin) ? "level, low" : "edge, high",
					    b->letter);
		}
	}
}

/* The guest's APs: wait-for-SIPI with a fresh vLAPIC; their VMCB holds a real-mode state. */
static int run_ap_start(struct monitor *m, struct vcpu *v, const struct monitor_guest_boot *b)
{
	struct vcpu_start st;
	int err;

	gboot_sipi_state(0, &st);
	st.npt_root = b->npt_root;
	st.iopm_pa = b->iopm_pa;
	if ((err = m->vops->create(m, v, &st)) < 0 || (err = fpu_guest_init(m, v)) < 0)
		return err;
	vipi_wait_sipi(v);
	return 0;
}

static int run_guest_start(struct monitor *m, struct guest *g, const struct monitor_guest_boot *b,
			   struct gboot_layout *layout)
{
	/* The boot vCPU: it starts at the entry point. */
	struct vcpu *v = &g->vcpu[0];
	struct vcpu_start st;
	int err;

	err = gboot_build((void *)(uintptr_t)b->boot_pages_gpa, b->boot_pages_gpa, b->boot_pages,
			  g->ram, g->nr_ram, layout);
	if (err) {
		monitor_log(m, "monitor: guest %c: boot tables need %zu pages, got %zu (error %d)",
			    g->letter, monitor_guest_boot_pages(g->ram, g->nr_ram), b->boot_pages,
			    err);
		return err;
	}
	gboot_start_state(layout, b->entry, b->boot_params, &st);
	st.npt_root = b->npt_root;
	st.iopm_pa = b->iopm_pa;
	if ((err = m->vops->create(m, v, &st)) < 0 || (err = fpu_guest_init(m, v)) < 0) {
		monitor_log(m, "monitor: guest %c: cannot be set up (error %d)", g->letter, err);
		return err;
	}
	g->nr_parked = 0;
	for (unsigned k = 0; k < g->nr_vcpus; k++) {
		struct vcpu *ap = &g->vcpu[k];

		/* What its siblings sent its last life is void. */
		vlapic_post_drain(&ap->post, &ap->lapic, &(uint8_t){ 0 });
		virq_due_clear_posted(ap);
		virq_due_clear_local(ap);
		vlapic_init(&ap->lapic, ap->index, b->x2apic, m->tsc_khz,
			    run_clock.apic_khz ? run_clock.apic_khz : m->tsc_khz);
		ap->lapic.min_period = m->tsc_khz * VLAPIC_MIN_PERIOD_US / 1000;
		/* Its IPIs to its siblings go out through the monitor (monitor/vipi.h). */
		ap->lapic.smp = g->nr_vcpus > 1;
		ap->nmi_pending = false;
		ap->wait_sipi = false;
		if (k && (err = run_ap_start(m, ap, b)) < 0) {
			monitor_log(m, "monitor: guest %c: vCPU %u cannot be set up (error %d)",
				    g->letter, k, err);
			return err;
		}
	}
	/* Lines it owns reach it through its own I/O APIC (ID 1, as its MADT says). */
	g->has_ioapic = (b->irq_mask & RUN_IOAPIC_LINES) != 0;
	vioapic_init(&g->ioapic, 1);
	g->port61 = g->cf9 = 0;
	/* Its lines stay masked until its vIOAPIC entries can take their interrupts. */
	virq_hold_lines(m, g);
	return 0;
}

/*
 * Its functions start over before anything of its new life is written: no DMA or interrupt
 * from the firmware or its last run lands on the fresh image or boot tables, and no MSI it
 * left enabled remains; its remapped vectors are released.
 */
static void run_quiesce_devices(struct monitor *m, struct guest *g)
{
	vpci_reset_functions(m, g);
	/* On vCPU 0's CPU (a restart), or on the boot CPU before any other runs (a start). */
	vmsi_guest_reset(m, g, g->vcpu[0].cpu);
}

/* m->restart: the guest's segments as they were loaded, then a fresh start. */
static int run_restart(struct monitor *m, struct guest *g)
{
	const struct monitor_guest_boot *b = g->boot;
	struct gboot_layout layout;
	uint64_t t0 = cpu_rdtsc(), bytes = 0;
	int err;

	run_quiesce_devices(m, g);
	for (size_t i = 0; i < b->nr_segs; i++) {
		const struct monitor_segment *s = &b->segs[i];
		uint8_t *dst = monitor_guest_ptr(m, g, s->gpa, s->memsz);

		if (!dst || s->bufsz > s->memsz) {
			monitor_log(m, "monitor: guest %c: segment %zu at 0x%llx is not its RAM",
				    g->letter, i, (unsigned long long)s->gpa);
			return -EINVAL;
		}
		memcpy(dst, (const void *)(uintptr_t)s->src_pa, s->bufsz);
		memset(dst + s->bufsz, 0, s->memsz - s->bufsz);
		bytes += s->memsz;
	}
	/* Its FPU state in the CPU belongs to the old run: load the fresh one. The other vCPUs'
	 * CPUs forgot theirs when they acknowledged the hold (monitor/core.c). */
	if (g->vcpu[0].cpu->loaded == &g->vcpu[0])
		g->vcpu[0].cpu->loaded = NULL;
	if ((err = run_guest_start(m, g, b, &layout)) < 0)
		return err;
	g->restarts++;
	g->con_len = 0;
	g->cf8 = 0;
	/* vCPU 0 runs on this CPU; the others wait for their startup IPI (monitor/vipi.h),
	 * halted by their own CPUs. */
	sched_wake(&g->vcpu[0].cpu->sched, g->id);
	/* The cycles from the reset request's handling to the wake-up: make bench's R1. */
	monitor_log(m, "monitor: guest %c restarted (%llu so far): %zu segments copied back, "
		       "entry 0x%llx, %llu KiB in %llu cycles",
		    g->letter, (unsigned long long)g->restarts, b->nr_segs,
		    (unsigned long long)b->entry, (unsigned long long)(bytes >> 10),
		    (unsigned long long)(cpu_rdtsc() - t0));
	return 0;
}

static int run_guest(struct monitor *m, unsigned id, const struct monitor_guest_boot *b,
		     const struct monitor_boot *boot)
{
	struct guest *g = &m->guest[id];
	struct gboot_layout layout;
	int err;

	for (unsigned k = 0; k < (b->nr_vcpus ? b->nr_vcpus : 1u) && k < MONITOR_MAX_VCPUS; k++) {
		if (b->cpu[k] < m->nr_cpus)
			continue;
		monitor_log(m, "monitor: guest %c: runs on CPU %u, but this machine has %u (0-%u)",
			    b->letter, b->cpu[k], m->nr_cpus, m->nr_cpus - 1);
		return -EINVAL;
	}
	if ((err = monitor_guest_init(m, id, b)) < 0) {
		monitor_log(m, "monitor: guest %c: bad boot description (RAM, slice)", b->letter);
		return err;
	}
	g->boot = b;
	if (!b->npt_root || (b->npt_root & 0xfff) || !b->iopm_pa || (b->iopm_pa & 0xfff)) {
		monitor_log(m, "monitor: guest %c: nested page tables or I/O map missing or "
			       "unaligned", g->letter);
		return -EINVAL;
	}
	/* The boot pages are the guest's own RAM: check before writing into them. */
	if (!monitor_guest_ram_contains(g, b->boot_pages_gpa, b->boot_pages * MONITOR_PAGE_SIZE)) {
		monitor_log(m, "monitor: guest %c: boot pages 0x%llx (+%zu pages) are not its RAM",
			    g->letter, (unsigned long long)b->boot_pages_gpa, b->boot_pages);
		return -EINVAL;
	}
	run_quiesce_devices(m, g);
	if ((err = run_guest_start(m, g, b, &layout)) < 0)
		return err;
	/* Each vCPU on its CPU's scheduler; the APs halted until their startup IPI. */
	for (unsigned k = 0; k < g->nr_vcpus; k++) {
		struct sched *s = &g->vcpu[k].cpu->sched;

		if ((err = sched_add(s, id, monitor_us_to_cycles(b->slice_us, m->tsc_khz))) < 0) {
			monitor_log(m, "monitor: guest %c: cannot be scheduled (error %d)",
				    g->letter, err);
			return err;
		}
		if (k)
			sched_halt(s, id);
	}
	/* A guest that owns the RTC ports talks to the real chip; the others get their own. */
	g->owns_rtc = !iopm_intercepts((const uint8_t *)(uintptr_t)b->iopm_pa, RUN_RTC_PORT, 2);
	vcmos_init(&g->cmos, boot->wall_seconds ? boot->wall_seconds : RUN_EPOCH_2000,
		   boot->wall_seconds ? boot->wall_tsc : m->plat->now(m->plat->ctx), m->tsc_khz);
	monitor_log(m, "monitor: guest %c (%s): entry 0x%llx, boot_params 0x%llx, slice %llu us, "
		       "cr3 0x%llx, n_cr3 0x%llx",
		    g->letter, g->name, (unsigned long long)b->entry,
		    (unsigned long long)b->boot_params, (unsigned long long)b->slice_us,
		    (unsigned long long)layout.cr3, (unsigned long long)b->npt_root);
	return 0;
}

static int run_main(void *arg)
{
	const struct monitor_boot *boot = arg;
	struct monitor *m = &run_m;
	struct lapic_info apic;
	const struct irq_counts *irqs;
	unsigned started = 0, gangs;
	int err;

	if ((err = desc_init(m)) < 0)
		goto out;
	trap_init(m, boot->fatal, boot->fatal_ctx);
	if ((err = fpu_init(m)) < 0 || (err = m->vops->init(m)) < 0)
		goto out;

	lapic_init(IRQ_TIMER_VECTOR, IRQ_SPURIOUS_VECTOR, &apic);
	run_clock.tsc_khz = boot->tsc_khz;
	if ((err = irq_calibrate(&run_clock.tsc_khz, &run_clock.apic_khz)) < 0) {
		monitor_log(m, "monitor: cannot measure the clocks (PIT channel 2 silent?)");
		goto out_svm;
	}
	m->tsc_khz = run_clock.tsc_khz;
	run_cpus_setup(m, boot, apic.id, &run_clock);
	monitor_log(m, "monitor: %s %u at 0x%llx, TSC %llu kHz%s, APIC timer %llu kHz",
		    apic.x2apic ? "x2APIC" : "xAPIC", apic.id, (unsigned long long)apic.base,
		    (unsigned long long)run_clock.tsc_khz, boot->tsc_khz ? " (given)" : "",
		    (unsigned long long)run_clock.apic_khz);
	run_legacy_pic(m, boot);
	run_route_irqs(m, boot);

	for (unsigned i = 0; i < MONITOR_MAX_GUESTS; i++) {
		if (!boot->guest[i].present)
			continue;
		if (run_guest(m, i, &boot->guest[i], boot) == 0) {
			started++;
			continue;
		}
		monitor_log(m, "monitor: guest %c not started", boot->guest[i].letter);
		m->guest[i].present = false;
		for (unsigned c = 0; c < MONITOR_MAX_CPUS; c++) {
			m->cpu[c].guests &= ~(1u << i);
			m->cpu[c].boot_guests &= ~(1u << i);
			m->cpu[c].vcpu[i] = NULL;
		}
	}
	if (!started) {
		monitor_log(m, "monitor: no guest to run");
		err = -ENODEV;
		goto out_svm;
	}
	monitor_log(m, "monitor: starting %u guest%s; pool %llu of %llu KiB used", started,
		    started > 1 ? "s" : "", (unsigned long long)(m->pool.used >> 10),
		    (unsigned long long)(m->pool.size >> 10));

	/* Time-shared SMP guests switch together on all their CPUs, from one epoch picked here,
	 * before any other CPU reads it (the TSCs are assumed synchronized). */
	gangs = monitor_gang_init(m, m->plat->now(m->plat->ctx));
	if (gangs)
		monitor_log(m, "monitor: %u CPUs switch together (gang mode)", gangs);
	/* The other CPUs (monitor/run_cpus.c): those that run guests start, the rest park. */
	run_cpus_start(m, boot);
	err = run_cpus_loop(m);
	lapic_timer_oneshot(0);
	monitor_log(m, "monitor: every guest has stopped");
	stats_print(m);
	irqs = irq_counts();
	monitor_log(m, "monitor: host interrupts: timer %llu, spurious %llu, other %llu (last "
		       "vector 0x%x), exception-range %llu (last vector 0x%x), NMI %llu, "
		       "remapped MSI %llu",
		    (unsigned long long)irqs->timer, (unsigned long long)irqs->spurious,
		    (unsigned long long)irqs->other, irqs->last_other,
		    (unsigned long long)irqs->reserved, irqs->last_reserved,
		    (unsigned long long)trap_nmi_count(), (unsigned long long)irqs->msi);
out_svm:
	lapic_timer_oneshot(0);
	m->vops->fini(m);
out:
	return err;
}

int monitor_run(const struct monitor_boot *boot)
{
	struct monitor *m = &run_m;
	uint64_t stack;
	int err;

	memset(m, 0, sizeof(*m));
	m->log = boot->log;
	m->log_ctx = boot->log_ctx;
	m->phys = run_phys;
	/* The backend by the CPU's vendor: VMX on Intel, SVM elsewhere (its init refuses a
	 * CPU without it). */
	m->vops = cpu_is_intel() ? &vmx_vcpu_ops : &svm_vcpu_ops;
	m->restart = run_restart;
	m->switch_on_irq = boot->switch_on_irq;
	m->iommu = boot->iommu;
	log_budget_init(&m->iommu_budget);
	m->ecam_base = boot->ecam_base;
	m->ecam_bus_start = boot->ecam_bus_start;
	m->ecam_bus_end = boot->ecam_bus_end;
	platform_ops_init(&run_plat, &run_clock);
	m->plat = &run_plat;
	for (unsigned i = 0; i < MONITOR_MAX_CPUS; i++) {
		m->cpu[i].index = i;
		sched_init(&m->cpu[i].sched);
	}

	if (!boot->log || (boot->pool_base & (MONITOR_PAGE_SIZE - 1)) ||
	    boot->pool_size < MONITOR_POOL_SIZE) {
		monitor_log(m, "monitor: the pool (0x%llx, %llu KiB) must be page aligned and "
			       "at least %llu KiB",
			    (unsigned long long)boot->pool_base,
			    (unsigned long long)(boot->pool_size >> 10),
			    (unsigned long long)(MONITOR_POOL_SIZE >> 10));
		return -EINVAL;
	}
	monitor_pool_init(&m->pool, boot->pool_base, boot->pool_size);
	if ((err = monitor_pool_alloc(m, RUN_STACK_SIZE, MONITOR_PAGE_SIZE, &stack, NULL)) < 0)
		return err;
	/* The stack is not needed after the call: a later monitor_run starts afresh. */
	return monitor_call_on_stack((void *)boot, run_main,
				     (void *)(uintptr_t)(stack + RUN_STACK_SIZE));
}
