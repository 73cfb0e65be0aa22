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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_guest_init_vcpus),
		cmocka_unit_test(test_guest_init_refusals),
		cmocka_unit_test(test_loop_ap_waits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
