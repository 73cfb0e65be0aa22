// SPDX-License-Identifier: GPL-2.0-only
/*
 * SMP guests on the fake machine: every vCPU on its CPU, the APs waiting for a startup IPI
 * (and the one it gets), gang mode, a stop and a restart across the guest's CPUs, parked
 * vCPUs. Their IPIs: test_monitor_vipi.c.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "monitor/core.h"
#include "monitor/test_fake.h"
#include "monitor/vipi.h"
#include "tests/unit/smp_fixture.h"

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
	/* The set the meter pairs the CPUs' slot changes over. */
	assert_int_equal(f->m.gang.cpus, 0x3);
	fake_free(f);

	/* Core-partitioned SMP guests: nothing to switch. */
	f = smp_setup();
	smp_guest(f, 0, 2, (const uint8_t[]){ 0, 1 });
	smp_guest(f, 1, 1, (const uint8_t[]){ 2 });
	assert_int_equal(monitor_gang_init(&f->m, 1), 0);
	assert_int_equal(f->m.gang.cpus, 0);
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
		vipi_wait_sipi(&g->vcpu[k]);
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

/* Two vCPUs reset the guest at once: one restart, counted once toward the reset-loop rule. */
static void test_reset_by_two_vcpus_counted_once(void **state)
{
	struct fake *f = smp_restartable();
	struct guest *g = &f->m.guest[0];

	this_cpu = 1;
	assert_int_equal(monitor_guest_reset(&f->m, g, false, "shutdown (triple fault)"),
			 EXIT_YIELD);
	this_cpu = 0;
	assert_int_equal(monitor_guest_reset(&f->m, g, true, "reset request (0x6 to port 0xcf9)"),
			 EXIT_YIELD);
	assert_int_equal(g->burst_restarts, 1);
	assert_int_equal(fake_log_count(f, "restarting it"), 1);
	assert_true(g->restarting);
	/* Stopped by both: stopped once, and a reset after that does not restart it. */
	monitor_guest_stop(&f->m, g, "first");
	this_cpu = 1;
	monitor_guest_stop(&f->m, g, "second");
	assert_int_equal(fake_log_count(f, "stopped:"), 1);
	fake_free(f);
}

/* HLT with interrupts off parks a vCPU while another runs; the last one ends the guest.
 * INIT-SIPI starts a parked vCPU again. */
static void test_park_halted(void **state)
{
	struct fake *f = smp_running(2);
	struct guest *g = &f->m.guest[0];

	assert_int_equal(g->nr_parked, 0);
	assert_false(vipi_park_halted(&g->vcpu[1]));
	assert_true(g->vcpu[1].wait_sipi);
	assert_int_equal(g->nr_parked, 1);
	send(f, &g->vcpu[0], ICR_INIT | ICR_LEVEL | ICR_ASSERT, 1);
	send(f, &g->vcpu[0], ICR_SIPI | 0x9c, 1);
	assert_true(vipi_receive(&f->m, &g->vcpu[1]));
	assert_false(g->vcpu[1].wait_sipi);
	assert_int_equal(g->nr_parked, 0);
	assert_false(vipi_park_halted(&g->vcpu[1]));
	assert_true(vipi_park_halted(&g->vcpu[0]));
	fake_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_guest_init_vcpus),
		cmocka_unit_test(test_guest_init_refusals),
		cmocka_unit_test(test_loop_ap_waits),
		cmocka_unit_test(test_loop_sipi_starts_ap),
		cmocka_unit_test(test_gang_init),
		cmocka_unit_test(test_stop_reaches_other_cpus),
		cmocka_unit_test(test_restart_holds_every_vcpu),
		cmocka_unit_test(test_park_halted),
		cmocka_unit_test(test_reset_by_two_vcpus_counted_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
