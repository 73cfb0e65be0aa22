// SPDX-License-Identifier: GPL-2.0-only
/*
 * SMP guests on the fake machine: every vCPU on its CPU, the APs waiting for a startup IPI,
 * and the IPIs between a guest's vCPUs (monitor/vipi.h): each delivery mode, the kick, and
 * that nothing ever reaches the other guest.
 */
#include <setjmp.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "monitor/core.h"
#include "monitor/test_fake.h"
#include "monitor/vipi.h"
#include "monitor/virq.h"

#define MAX_RUNS	16

/* The scripted backend: who ran, and the start states create() was given. */
static struct {
	struct fake *f;
	unsigned runs;
	struct vcpu *ran[MAX_RUNS];
	unsigned creates;
	struct vcpu_start created;
	struct vcpu *created_for;
	unsigned stop_after;		/* runs after which every guest stops */
} sc;

static int smp_create(struct monitor *m, struct vcpu *v, const struct vcpu_start *st)
{
	sc.creates++;
	sc.created = *st;
	sc.created_for = v;
	return 0;
}

static void smp_run(struct monitor *m, struct vcpu *v)
{
	assert_true(sc.runs < MAX_RUNS);
	sc.ran[sc.runs++] = v;
	v->entry_tsc = sc.f->now;
	sc.f->now += 10;
	v->exit_tsc = sc.f->now;
}

static enum exit_action smp_handle(struct monitor *m, struct vcpu *v)
{
	if (sc.runs >= sc.stop_after) {
		for (unsigned i = 0; i < MONITOR_MAX_GUESTS; i++)
			if (m->guest[i].present)
				monitor_guest_stop(m, &m->guest[i], "script ends");
		return EXIT_STOP;
	}
	return EXIT_RESUME;
}

static const struct vcpu_ops smp_ops = {
	.name = "fake-smp",
	.create = smp_create,
	.run = smp_run,
	.handle_exit = smp_handle,
	.inject = fake_inject,
	.interruptible = fake_interruptible,
	.irq_window = fake_irq_window,
};

/* Guest id with n vCPUs on CPUs cpus[0..n), a slot on each CPU, vLAPICs as the monitor sets
 * them up (x2APIC off, smp when n > 1), the APs waiting for a startup IPI. */
static void smp_guest(struct fake *f, unsigned id, unsigned n, const uint8_t *cpus)
{
	static struct monitor_guest_boot boot[MONITOR_MAX_GUESTS];
	struct monitor_guest_boot *b = &boot[id];
	struct guest *g = &f->m.guest[id];

	memset(b, 0, sizeof(*b));
	b->present = true;
	b->letter = (char)('a' + id);
	b->name = "smp";
	b->ram = &f->ram_range;
	b->nr_ram = 1;
	b->slice_us = 1000;
	b->nr_vcpus = (uint8_t)n;
	memcpy(b->cpu, cpus, n);
	assert_int_equal(monitor_guest_init(&f->m, id, b), 0);
	g->boot = b;
	for (unsigned k = 0; k < n; k++) {
		struct vcpu *v = &g->vcpu[k];

		v->cpu->m = &f->m;
		vlapic_init(&v->lapic, k, false, f->m.tsc_khz, f->m.tsc_khz);
		v->lapic.smp = n > 1;
		if (k)
			vipi_wait_sipi(&f->m, v);
		assert_int_equal(sched_add(&v->cpu->sched, id, 1000), 0);
		if (k)
			sched_halt(&v->cpu->sched, id);
	}
}

static struct fake *smp_setup(void)
{
	struct fake *f = fake_new();

	memset(&sc, 0, sizeof(sc));
	sc.f = f;
	sc.stop_after = MAX_RUNS;
	f->m.vops = &smp_ops;
	f->m.nr_cpus = 3;
	for (unsigned i = 0; i < 3; i++) {
		f->m.cpu[i].m = &f->m;
		f->m.cpu[i].index = i;
		sched_init(&f->m.cpu[i].sched);
		f->m.cpu[i].guests = f->m.cpu[i].boot_guests = 0;
		f->m.cpu[i].vcpu[0] = f->m.cpu[i].vcpu[1] = NULL;
	}
	return f;
}

/* Every vCPU on its CPU with APIC ID = its index; the APs wait, without the BSP flag. */
static void test_guest_init_vcpus(void **state)
{
	struct fake *f = smp_setup();
	struct guest *g = &f->m.guest[1];

	smp_guest(f, 1, 2, (const uint8_t[]){ 2, 1 });
	assert_int_equal(g->nr_vcpus, 2);
	assert_ptr_equal(g->vcpu[0].cpu, &f->m.cpu[2]);
	assert_ptr_equal(g->vcpu[1].cpu, &f->m.cpu[1]);
	assert_ptr_equal(f->m.cpu[1].vcpu[1], &g->vcpu[1]);
	assert_int_equal(g->vcpu[1].index, 1);
	assert_true(pcpu_runs(&f->m.cpu[1], 1) && pcpu_runs(&f->m.cpu[2], 1));
	/* Device interrupts go to vCPU 0's CPU only. */
	assert_true(pcpu_runs_boot_vcpu(&f->m.cpu[2], 1));
	assert_false(pcpu_runs_boot_vcpu(&f->m.cpu[1], 1));
	assert_false(g->vcpu[0].wait_sipi);
	assert_true(g->vcpu[1].wait_sipi);
	assert_true(g->vcpu[0].lapic.apic_base & APIC_BASE_BSP);
	assert_false(g->vcpu[1].lapic.apic_base & APIC_BASE_BSP);
	assert_int_equal(g->vcpu[1].lapic.id, 1);
	fake_free(f);
}

/* Two vCPUs on one CPU, or more than the monitor has, are refused. */
static void test_guest_init_refusals(void **state)
{
	struct fake *f = smp_setup();
	struct monitor_guest_boot b = { .present = true, .ram = &f->ram_range, .nr_ram = 1,
					.slice_us = 1000, .nr_vcpus = 2, .cpu = { 1, 1 } };

	assert_int_equal(monitor_guest_init(&f->m, 1, &b), -EINVAL);
	b.nr_vcpus = MONITOR_MAX_VCPUS + 1;
	assert_int_equal(monitor_guest_init(&f->m, 1, &b), -EINVAL);
	b.nr_vcpus = 1;
	b.cpu[0] = MONITOR_MAX_CPUS;
	assert_int_equal(monitor_guest_init(&f->m, 1, &b), -EINVAL);
	fake_free(f);
}

/* The idle hook: time passes to the deadline; after `idle_stop` idles every guest stops. */
static unsigned idles, idle_stop;

static void smp_idle(void *ctx, uint64_t deadline)
{
	struct fake *f = ctx;

	if (f->now < deadline)
		f->now = deadline;
	if (++idles >= idle_stop)
		for (unsigned i = 0; i < MONITOR_MAX_GUESTS; i++)
			if (f->m.guest[i].present)
				monitor_guest_stop(&f->m, &f->m.guest[i], "script ends");
}

/* An AP that waits for its startup IPI never runs, whatever its slots and vLAPIC say. */
static void test_loop_ap_waits(void **state)
{
	struct fake *f = smp_setup();
	struct guest *g = &f->m.guest[0];

	smp_guest(f, 0, 2, (const uint8_t[]){ 0, 1 });
	vlapic_raise(&g->vcpu[1].lapic, 0x40, false);
	f->plat.idle = smp_idle;
	idles = 0;
	idle_stop = 5;
	assert_int_equal(monitor_loop(&f->m, &f->m.cpu[1]), 0);
	assert_int_equal(sc.runs, 0);
	assert_true(idles >= 5);
	fake_free(f);
}

#define ICR_FIXED	(0u << 8)
#define ICR_LOWEST	(1u << 8)
#define ICR_SMI		(2u << 8)
#define ICR_NMI		(4u << 8)
#define ICR_INIT	(5u << 8)
#define ICR_SIPI	(6u << 8)
#define ICR_LOGICAL	(1u << 11)
#define ICR_ASSERT	(1u << 14)
#define ICR_LEVEL	(1u << 15)
#define ICR_SELF	(1u << 18)
#define ICR_ALL		(2u << 18)
#define ICR_OTHERS	(3u << 18)

/* v writes its ICR (xAPIC: destination first), then its CPU takes the outbox after the exit. */
static void send(struct fake *f, struct vcpu *v, uint32_t icr, uint8_t dest)
{
	assert_int_equal(vlapic_mmio_write(&v->lapic, VLAPIC_ICR2, (uint32_t)dest << 24, 0), 0);
	assert_int_equal(vlapic_mmio_write(&v->lapic, VLAPIC_ICR, icr, 0), 0);
	vipi_send(&f->m, v);
}

static bool irr(const struct vcpu *v, unsigned vec)
{
	return (v->lapic.irr[vec / 32] >> (vec % 32)) & 1;
}

static bool posted(const struct vcpu *v, unsigned vec)
{
	return (v->post.irr[vec / 32] >> (vec % 32)) & 1;
}

/* Guest a with n vCPUs on CPUs 0..n-1, all started. */
static struct fake *smp_running(unsigned n)
{
	struct fake *f = smp_setup();

	smp_guest(f, 0, n, (const uint8_t[]){ 0, 1, 2 });
	for (unsigned k = 1; k < n; k++)
		assert_int_equal(vipi_sipi(&f->m, &f->m.guest[0].vcpu[k], 0x10), 0);
	return f;
}

/* Fixed: to a sibling posted (not in its vLAPIC yet) and its CPU kicked; its CPU takes it. */
static void test_ipi_fixed_to_sibling(void **state)
{
	struct fake *f = smp_running(2);
	struct vcpu *a0 = &f->m.guest[0].vcpu[0], *a1 = &f->m.guest[0].vcpu[1];

	send(f, a0, ICR_FIXED | 0x51, 1);
	assert_true(posted(a1, 0x51));
	assert_false(irr(a1, 0x51));
	assert_false(irr(a0, 0x51));
	assert_int_equal(f->kicked, 1u << 1);
	vipi_receive(&f->m, a1);
	assert_true(irr(a1, 0x51));
	assert_false(vlapic_post_pending(&a1->post));
	fake_free(f);
}

/* Fixed to itself (by its ID, or all-including-self) is raised at once, without a kick. */
static void test_ipi_fixed_self_and_all(void **state)
{
	struct fake *f = smp_running(2);
	struct vcpu *a0 = &f->m.guest[0].vcpu[0], *a1 = &f->m.guest[0].vcpu[1];

	send(f, a0, ICR_FIXED | 0x52, 0);
	assert_true(irr(a0, 0x52));
	assert_int_equal(f->kicks, 0);
	send(f, a0, ICR_FIXED | ICR_ALL | 0x53, 0);
	assert_true(irr(a0, 0x53));
	assert_true(posted(a1, 0x53));
	assert_int_equal(f->kicks, 1);
	fake_free(f);
}

/* Lowest priority: the first vCPU that matches, only. */
static void test_ipi_lowest_first_match(void **state)
{
	struct fake *f = smp_running(3);
	struct vcpu *v = f->m.guest[0].vcpu;

	send(f, &v[0], ICR_LOWEST | ICR_OTHERS | 0x60, 0);
	assert_true(posted(&v[1], 0x60));
	assert_false(posted(&v[2], 0x60));
	assert_false(irr(&v[0], 0x60));
	assert_int_equal(f->kicked, 1u << 1);
	fake_free(f);
}

/* NMI: posted, pending on the target's CPU after it takes it, injected before anything. */
static void test_ipi_nmi(void **state)
{
	struct fake *f = smp_running(2);
	struct vcpu *a0 = &f->m.guest[0].vcpu[0], *a1 = &f->m.guest[0].vcpu[1];

	send(f, a0, ICR_NMI, 1);
	assert_false(a1->nmi_pending);
	assert_int_equal(f->kicked, 1u << 1);
	assert_true(vipi_receive(&f->m, a1));
	assert_true(a1->nmi_pending);
	f->interruptible = true;
	virq_prepare(&f->m, a1, 0);
	assert_int_equal(f->ninject, 1);
	assert_int_equal(f->inject[0].type, VCPU_EVENT_NMI);
	assert_int_equal(f->inject[0].vector, 2);
	assert_false(a1->nmi_pending);
	fake_free(f);
}

/* INIT: the target waits for a startup IPI, its vLAPIC reset but its ID, halted; the level
 * de-assert does nothing. A SIPI starts it in real mode at vector << 12, once. */
static void test_ipi_init_sipi(void **state)
{
	struct fake *f = smp_running(2);
	struct vcpu *a0 = &f->m.guest[0].vcpu[0], *a1 = &f->m.guest[0].vcpu[1];

	a1->lapic.tpr = 0x20;
	vlapic_raise(&a1->lapic, 0x70, false);
	send(f, a0, ICR_INIT | ICR_LEVEL, 1);		/* de-assert */
	assert_false(vlapic_post_pending(&a1->post));
	send(f, a0, ICR_INIT | ICR_LEVEL | ICR_ASSERT, 1);
	assert_false(vipi_receive(&f->m, a1));
	assert_true(a1->wait_sipi);
	assert_int_equal(a1->lapic.tpr, 0);
	assert_false(irr(a1, 0x70));
	assert_int_equal(a1->lapic.id, 1);
	assert_false(a1->lapic.apic_base & APIC_BASE_BSP);
	assert_true(a1->cpu->sched.e[0].halted);
	/* A fixed vector to a CPU that waits is lost. */
	send(f, a0, ICR_FIXED | 0x71, 1);
	vipi_receive(&f->m, a1);
	assert_false(irr(a1, 0x71));
	sc.creates = 0;
	send(f, a0, ICR_SIPI | 0x9a, 1);
	assert_true(vipi_receive(&f->m, a1));
	assert_false(a1->wait_sipi);
	assert_int_equal(sc.creates, 1);
	assert_ptr_equal(sc.created_for, a1);
	assert_int_equal(sc.created.cs, 0x9a00);
	assert_int_equal(sc.created.rip, 0);
	assert_false(sc.created.cr0 & 1);
	/* The second SIPI of the sequence finds it running: ignored. */
	send(f, a0, ICR_SIPI | 0x9a, 1);
	assert_false(vipi_receive(&f->m, a1));
	assert_int_equal(sc.creates, 1);
	fake_free(f);
}

/* INIT and SIPI to the sender itself are ignored; SMI goes nowhere. */
static void test_ipi_init_self_ignored_smi_dropped(void **state)
{
	struct fake *f = smp_running(2);
	struct vcpu *a0 = &f->m.guest[0].vcpu[0], *a1 = &f->m.guest[0].vcpu[1];

	send(f, a0, ICR_INIT | ICR_LEVEL | ICR_ASSERT | ICR_ALL, 0);
	assert_false(a0->wait_sipi);
	assert_true(a0->lapic.apic_base & APIC_BASE_BSP);
	vipi_receive(&f->m, a1);
	assert_true(a1->wait_sipi);
	send(f, a0, ICR_SIPI | ICR_ALL | 0x20, 0);
	assert_false(a0->wait_sipi);
	f->kicks = 0;
	send(f, a0, ICR_SMI | ICR_ALL, 0);
	assert_int_equal(f->kicks, 0);
	fake_free(f);
}

/* Time-shared SMP guests: a's broadcasts of every kind reach a's vCPUs, never b's. */
static void test_ipi_never_the_other_guest(void **state)
{
	struct fake *f = smp_setup();
	struct guest *a = &f->m.guest[0], *b = &f->m.guest[1];
	const uint32_t modes[] = { ICR_FIXED | 0x40, ICR_LOWEST | 0x41, ICR_NMI,
				   ICR_INIT | ICR_LEVEL | ICR_ASSERT, ICR_SIPI | 0x10 };

	smp_guest(f, 0, 2, (const uint8_t[]){ 0, 1 });
	smp_guest(f, 1, 2, (const uint8_t[]){ 0, 1 });
	for (unsigned i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		send(f, &a->vcpu[0], modes[i] | ICR_ALL, 0);
		send(f, &a->vcpu[0], modes[i], 0xff);			/* broadcast ID */
		send(f, &a->vcpu[0], modes[i] | ICR_LOGICAL, 0xff);	/* every logical ID */
		send(f, &a->vcpu[0], modes[i], 1);
	}
	for (unsigned k = 0; k < 2; k++) {
		assert_false(vlapic_post_pending(&b->vcpu[k].post));
		for (unsigned w = 0; w < 8; w++)
			assert_int_equal(b->vcpu[k].lapic.irr[w], 0);
		assert_false(b->vcpu[k].nmi_pending);
	}
	assert_false(b->vcpu[0].wait_sipi);
	assert_true(vlapic_post_pending(&a->vcpu[1].post));
	/* Only CPU 1, where a's sibling runs, was ever kicked. */
	assert_int_equal(f->kicked, 1u << 1);
	fake_free(f);
}

/* The loop on the AP's CPU takes the startup IPI it was kicked for and runs the vCPU. */
static void test_loop_sipi_starts_ap(void **state)
{
	struct fake *f = smp_setup();
	struct guest *g = &f->m.guest[0];

	smp_guest(f, 0, 2, (const uint8_t[]){ 0, 1 });
	f->plat.idle = smp_idle;
	idles = 0;
	idle_stop = 100;
	sc.stop_after = 2;
	send(f, &g->vcpu[0], ICR_INIT | ICR_LEVEL | ICR_ASSERT, 1);
	send(f, &g->vcpu[0], ICR_SIPI | 0x9b, 1);
	assert_int_equal(monitor_loop(&f->m, &f->m.cpu[1]), 0);
	assert_int_equal(sc.runs, 2);
	assert_ptr_equal(sc.ran[0], &g->vcpu[1]);
	assert_int_equal(sc.created.cs, 0x9b00);
	fake_free(f);
}

/* Gang mode where both guests time-share a CPU and one of them has several vCPUs, only. */
static void test_gang_init(void **state)
{
	struct fake *f = smp_setup();

	smp_guest(f, 0, 2, (const uint8_t[]){ 0, 1 });
	smp_guest(f, 1, 2, (const uint8_t[]){ 0, 1 });
	assert_int_equal(monitor_gang_init(&f->m, 1234), 2);
	assert_true(f->m.cpu[0].sched.gang && f->m.cpu[1].sched.gang);
	assert_int_equal(f->m.cpu[1].sched.epoch, 1234);
	assert_false(f->m.cpu[2].sched.gang);
	fake_free(f);

	/* Core-partitioned SMP guests: nothing to switch. */
	f = smp_setup();
	smp_guest(f, 0, 2, (const uint8_t[]){ 0, 1 });
	smp_guest(f, 1, 1, (const uint8_t[]){ 2 });
	assert_int_equal(monitor_gang_init(&f->m, 1), 0);
	fake_free(f);

	/* Two single-vCPU guests sharing a CPU keep the ordinary rotation. */
	f = smp_setup();
	smp_guest(f, 0, 1, (const uint8_t[]){ 0 });
	smp_guest(f, 1, 1, (const uint8_t[]){ 0 });
	assert_int_equal(monitor_gang_init(&f->m, 1), 0);
	assert_false(f->m.cpu[0].sched.gang);
	fake_free(f);
}

/* Which CPU the code "runs on" (the fake's cpu_index), and a way out of a loop that idles. */
static unsigned this_cpu;
static jmp_buf idle_out;
static unsigned restarts;
static uint32_t acks_at_restart;

static unsigned smp_cpu_index(void *ctx)
{
	return this_cpu;
}

static void idle_leave(void *ctx, uint64_t deadline)
{
	longjmp(idle_out, 1);
}

/* What run.c's restart does to the vCPUs: vCPU 0 woken on this CPU, the others waiting. */
static int smp_restart(struct monitor *m, struct guest *g)
{
	restarts++;
	acks_at_restart = g->restart_acks;
	for (unsigned k = 1; k < g->nr_vcpus; k++)
		vipi_wait_sipi(m, &g->vcpu[k]);
	sched_wake(&g->vcpu[0].cpu->sched, g->id);
	return 0;
}

static struct fake *smp_restartable(void)
{
	static struct monitor_guest_boot boot;
	struct fake *f = smp_running(2);
	struct guest *g = &f->m.guest[0];

	boot = *g->boot;
	boot.on_reset = MONITOR_RESET_RESTART;
	boot.nr_segs = 1;
	g->boot = &boot;
	f->m.restart = smp_restart;
	f->plat.cpu_index = smp_cpu_index;
	restarts = 0;
	acks_at_restart = 0;
	return f;
}

/* A stop on vCPU 0's CPU reaches the other: kicked, its loop stops its own slot and ends. */
static void test_stop_reaches_other_cpus(void **state)
{
	struct fake *f = smp_running(2);
	struct guest *g = &f->m.guest[0];

	f->plat.cpu_index = smp_cpu_index;
	this_cpu = 0;
	monitor_guest_stop(&f->m, g, "test");
	assert_false(sched_alive(&f->m.cpu[0].sched, 0));
	/* CPU 1's scheduler is CPU 1's: it learns from g->stopped. */
	assert_true(sched_alive(&f->m.cpu[1].sched, 0));
	assert_int_equal(f->kicked, 1u << 1);
	this_cpu = 1;
	assert_int_equal(monitor_loop(&f->m, &f->m.cpu[1]), 0);
	assert_int_equal(sc.runs, 0);
	assert_false(sched_alive(&f->m.cpu[1].sched, 0));
	fake_free(f);
}

/* A restart waits until every other vCPU's CPU holds its vCPU, then vCPU 0's CPU does it. */
static void test_restart_holds_every_vcpu(void **state)
{
	struct fake *f = smp_restartable();
	struct guest *g = &f->m.guest[0];

	/* vCPU 1 asks (a triple fault on CPU 1): every CPU of the guest is kicked. */
	this_cpu = 1;
	assert_int_equal(monitor_guest_reset(&f->m, g, true, "triple fault"), EXIT_YIELD);
	assert_true(g->restarting);
	assert_int_equal(f->kicked, 1u << 0);
	/* CPU 0 first: vCPU 1 is not held yet, so nothing is restarted and vCPU 0 stays off. */
	this_cpu = 0;
	f->plat.idle = idle_leave;
	if (!setjmp(idle_out))
		monitor_loop(&f->m, &f->m.cpu[0]);
	assert_int_equal(restarts, 0);
	assert_int_equal(sc.runs, 0);
	/* CPU 1 holds vCPU 1, says so and kicks CPU 0. */
	this_cpu = 1;
	f->kicked = 0;
	f->m.cpu[1].loaded = &g->vcpu[1];
	if (!setjmp(idle_out))
		monitor_loop(&f->m, &f->m.cpu[1]);
	assert_int_equal(g->restart_acks, 1u << 1);
	assert_null(f->m.cpu[1].loaded);
	assert_int_equal(f->kicked, 1u << 0);
	assert_int_equal(sc.runs, 0);
	/* CPU 0 restarts it and runs vCPU 0; vCPU 1 waits for its startup IPI again. */
	this_cpu = 0;
	sc.stop_after = 1;
	assert_int_equal(monitor_loop(&f->m, &f->m.cpu[0]), 0);
	assert_int_equal(restarts, 1);
	assert_int_equal(acks_at_restart, 1u << 1);
	assert_false(g->restarting);
	assert_int_equal(sc.runs, 1);
	assert_ptr_equal(sc.ran[0], &g->vcpu[0]);
	assert_true(g->vcpu[1].wait_sipi);
	fake_free(f);
}

/* HLT with interrupts off parks a vCPU while another runs; the last one ends the guest.
 * INIT-SIPI starts a parked vCPU again. */
static void test_park_halted(void **state)
{
	struct fake *f = smp_running(2);
	struct guest *g = &f->m.guest[0];

	assert_int_equal(g->nr_parked, 0);
	assert_false(vipi_park_halted(&f->m, &g->vcpu[1]));
	assert_true(g->vcpu[1].wait_sipi);
	assert_int_equal(g->nr_parked, 1);
	send(f, &g->vcpu[0], ICR_INIT | ICR_LEVEL | ICR_ASSERT, 1);
	send(f, &g->vcpu[0], ICR_SIPI | 0x9c, 1);
	assert_true(vipi_receive(&f->m, &g->vcpu[1]));
	assert_false(g->vcpu[1].wait_sipi);
	assert_int_equal(g->nr_parked, 0);
	assert_false(vipi_park_halted(&f->m, &g->vcpu[1]));
	assert_true(vipi_park_halted(&f->m, &g->vcpu[0]));
	fake_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_guest_init_vcpus),
		cmocka_unit_test(test_guest_init_refusals),
		cmocka_unit_test(test_loop_ap_waits),
		cmocka_unit_test(test_ipi_fixed_to_sibling),
		cmocka_unit_test(test_ipi_fixed_self_and_all),
		cmocka_unit_test(test_ipi_lowest_first_match),
		cmocka_unit_test(test_ipi_nmi),
		cmocka_unit_test(test_ipi_init_sipi),
		cmocka_unit_test(test_ipi_init_self_ignored_smi_dropped),
		cmocka_unit_test(test_ipi_never_the_other_guest),
		cmocka_unit_test(test_loop_sipi_starts_ap),
		cmocka_unit_test(test_gang_init),
		cmocka_unit_test(test_stop_reaches_other_cpus),
		cmocka_unit_test(test_restart_holds_every_vcpu),
		cmocka_unit_test(test_park_halted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
