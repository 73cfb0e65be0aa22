// SPDX-License-Identifier: GPL-2.0-only
/* The SMP guests' fixture (tests/unit/smp_fixture.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "monitor/vipi.h"
#include "tests/unit/smp_fixture.h"

struct smp_script sc;
unsigned idles, idle_stop;

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

const struct vcpu_ops smp_ops = {
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
void smp_guest(struct fake *f, unsigned id, unsigned n, const uint8_t *cpus)
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
			vipi_wait_sipi(v);
		assert_int_equal(sched_add(&v->cpu->sched, id, 1000), 0);
		if (k)
			sched_halt(&v->cpu->sched, id);
	}
}

struct fake *smp_setup(void)
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


void smp_idle(void *ctx, uint64_t deadline)
{
	struct fake *f = ctx;

	if (f->now < deadline)
		f->now = deadline;
	if (++idles >= idle_stop)
		for (unsigned i = 0; i < MONITOR_MAX_GUESTS; i++)
			if (f->m.guest[i].present)
				monitor_guest_stop(&f->m, &f->m.guest[i], "script ends");
}


/* v writes its ICR (xAPIC: destination first), then its CPU takes the outbox after the exit. */
void send(struct fake *f, struct vcpu *v, uint32_t icr, uint8_t dest)
{
	assert_int_equal(vlapic_mmio_write(&v->lapic, VLAPIC_ICR2, (uint32_t)dest << 24, 0), 0);
	assert_int_equal(vlapic_mmio_write(&v->lapic, VLAPIC_ICR, icr, 0), 0);
	vipi_send(&f->m, v);
}

bool irr(const struct vcpu *v, unsigned vec)
{
	return (v->lapic.irr[vec / 32] >> (vec % 32)) & 1;
}

bool posted(const struct vcpu *v, unsigned vec)
{
	return (v->post.irr[vec / 32] >> (vec % 32)) & 1;
}

/* Guest a with n vCPUs on CPUs 0..n-1, all started. */
struct fake *smp_running(unsigned n)
{
	struct fake *f = smp_setup();

	smp_guest(f, 0, n, (const uint8_t[]){ 0, 1, 2 });
	for (unsigned k = 1; k < n; k++)
		assert_int_equal(vipi_sipi(&f->m, &f->m.guest[0].vcpu[k], 0x10), 0);
	return f;
}
