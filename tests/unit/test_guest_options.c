// SPDX-License-Identifier: GPL-2.0-only
/* The heartbeat's and the probe's command lines (guests/heartbeat/options.c, probe/options.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "guests/heartbeat/options.h"
#include "guests/probe/options.h"

static char err[256];

static void test_hb_defaults(void **state)
{
	struct hb_options o;

	assert_int_equal(hb_options_parse("", &o, err, sizeof(err)), 0);
	assert_int_equal(o.units, 0);
	assert_int_equal(o.exit, HB_EXIT_HALT);
	assert_int_equal(o.every, HB_DEFAULT_EVERY);
	assert_int_equal(o.work, HB_DEFAULT_WORK);
	assert_int_equal(o.region, HB_DEFAULT_REGION);
	assert_int_equal(o.yield, 0);
	assert_string_equal(err, "");
}

static void test_hb_all(void **state)
{
	struct hb_options o;

	assert_int_equal(hb_options_parse("uart=com2 units=500 exit=debug every=10 work=0x100 "
					  "region=64K yield=3 exit=verdict",
					  &o, err, sizeof(err)),
			 0);
	assert_int_equal(o.units, 500);
	assert_int_equal(o.exit, HB_EXIT_VERDICT);	/* the last exit= counts */
	assert_int_equal(o.every, 10);
	assert_int_equal(o.work, 0x100);
	assert_int_equal(o.region, 64 << 10);
	assert_int_equal(o.yield, 3);
	assert_string_equal(hb_exit_name(HB_EXIT_DEBUG), "debug");
}

static void test_hb_errors(void **state)
{
	struct hb_options o;

	assert_int_equal(hb_options_parse("exit=reboot", &o, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "exit=reboot: expected halt, debug or verdict");
	assert_int_equal(hb_options_parse("units=many", &o, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "units=many: expected a number 0..18446744073709551615");
	assert_int_equal(hb_options_parse("every=0", &o, err, sizeof(err)), -EINVAL);
	assert_int_equal(hb_options_parse("work=0", &o, err, sizeof(err)), -EINVAL);
	assert_int_equal(hb_options_parse("work=2G", &o, err, sizeof(err)), -EINVAL);
	assert_int_equal(hb_options_parse("region=1K", &o, err, sizeof(err)), -EINVAL);
	assert_int_equal(hb_options_parse("region=257M", &o, err, sizeof(err)), -EINVAL);
	assert_int_equal(hb_options_parse("region=5000", &o, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "region=5000: not a multiple of 4K");
	/* exit= is read before the error, so a bad command line still ends as asked. */
	assert_int_equal(hb_options_parse("exit=debug units=x", &o, err, sizeof(err)), -EINVAL);
	assert_int_equal(o.exit, HB_EXIT_DEBUG);
}

static void test_hb_bench_options(void **state)
{
	struct hb_options o;

	assert_int_equal(hb_options_parse("", &o, err, sizeof(err)), 0);
	assert_int_equal(o.nullcalls, 0);
	assert_int_equal(o.gaps, 0);
	assert_int_equal(hb_options_parse("nullcalls=1000 gaps=300", &o, err, sizeof(err)), 0);
	assert_int_equal(o.nullcalls, 1000);
	assert_int_equal(o.gaps, 300);
	assert_int_equal(hb_options_parse("nullcalls=4096", &o, err, sizeof(err)), 0);
	/* More samples than the median buffer holds is refused, not truncated. */
	assert_int_equal(hb_options_parse("nullcalls=4097", &o, err, sizeof(err)), -EINVAL);
	assert_int_equal(hb_options_parse("gaps=5000", &o, err, sizeof(err)), -EINVAL);
}

static void test_hb_seconds(void **state)
{
	struct hb_options o;

	assert_int_equal(hb_options_parse("units=5", &o, err, sizeof(err)), 0);
	assert_int_equal(o.seconds, 0);
	assert_int_equal(hb_options_parse("seconds=12 units=0", &o, err, sizeof(err)), 0);
	assert_int_equal(o.seconds, 12);
	assert_int_equal(o.units, 0);
	assert_int_equal(hb_options_parse("seconds=86400", &o, err, sizeof(err)), 0);
	assert_int_equal(hb_options_parse("seconds=86401", &o, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "seconds=86401: expected a number 0..86400");
	assert_int_equal(hb_options_parse("seconds=1s", &o, err, sizeof(err)), -EINVAL);
	assert_int_equal(hb_options_unknown("seconds=3", err, sizeof(err)), 0);
}

static void test_hb_unknown(void **state)
{
	char key[32];

	assert_int_equal(hb_options_unknown("units=1 exit=halt uart=com1", key, sizeof(key)), 0);
	assert_int_equal(hb_options_unknown("units=1 unts=5", key, sizeof(key)), 1);
	assert_string_equal(key, "unts");
}

static void test_probe_defaults(void **state)
{
	struct probe_options o;

	assert_int_equal(probe_options_parse("", &o, err, sizeof(err)), 0);
	assert_int_equal(o.attacks, PROBE_DEFAULT);
	assert_true(o.attacks & PROBE_BIT(PROBE_SPIN));
	assert_false(o.attacks & PROBE_BIT(PROBE_TRIPLE));
	assert_false(o.victim_set);
	assert_false(o.monitor_set);
	assert_int_equal(o.pci_bdf, 0);
	assert_int_equal(o.peer_uart, 0);
	assert_false(o.force);
}

static void test_probe_attacks(void **state)
{
	struct probe_options o;

	assert_int_equal(probe_options_parse("attacks=pci,mem", &o, err, sizeof(err)), 0);
	assert_int_equal(o.attacks, PROBE_BIT(PROBE_PCI) | PROBE_BIT(PROBE_MEM));
	assert_int_equal(probe_options_parse("attacks=none", &o, err, sizeof(err)), 0);
	assert_int_equal(o.attacks, 0);
	assert_int_equal(probe_options_parse("attacks=all", &o, err, sizeof(err)), 0);
	assert_int_equal(o.attacks, PROBE_DEFAULT);
	/* spin=0 turns the final spin into a triple fault, spin=1 back. */
	assert_int_equal(probe_options_parse("spin=0", &o, err, sizeof(err)), 0);
	assert_int_equal(o.attacks, (PROBE_DEFAULT & ~PROBE_BIT(PROBE_SPIN)) |
					    PROBE_BIT(PROBE_TRIPLE));
	assert_int_equal(probe_options_parse("attacks=triple spin=1", &o, err, sizeof(err)), 0);
	assert_int_equal(o.attacks, PROBE_BIT(PROBE_SPIN));
	assert_int_equal(probe_options_parse("attacks=vmrun spin=0", &o, err, sizeof(err)), 0);
	assert_int_equal(o.attacks, PROBE_BIT(PROBE_VMRUN) | PROBE_BIT(PROBE_TRIPLE));

	assert_int_equal(probe_options_parse("attacks=spin,triple", &o, err, sizeof(err)),
			 -EINVAL);
	assert_int_equal(probe_options_parse("attacks=mem,,pci", &o, err, sizeof(err)), -EINVAL);
	assert_int_equal(probe_options_parse("attacks=rowhammer", &o, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "attacks: unknown attack 'rowhammer'; expected mem, monitor, "
				 "ports, pci, vmrun, vmx, console-flood, deadline-storm, "
				 "periodic-storm, level-storm, dma, bad-vector, msi, msix, "
				 "ipi-storm, spin, triple, all or none");
	assert_int_equal(probe_options_parse("spin=yes", &o, err, sizeof(err)), -EINVAL);
	assert_string_equal(probe_attack_name(PROBE_VMRUN), "vmrun");
	assert_string_equal(probe_attack_name(PROBE_VMX), "vmx");
}

static void test_probe_addresses(void **state)
{
	struct probe_options o;

	assert_int_equal(probe_options_parse("victim=0x20000000 monitor=0x3e000000 pci=00:1f.2 "
					     "peer-uart=com1 force=1",
					     &o, err, sizeof(err)),
			 0);
	assert_true(o.victim_set && o.victim == 0x20000000);
	assert_true(o.monitor_set && o.monitor == 0x3e000000);
	assert_int_equal(o.pci_bdf, 0x1f << 3 | 2);
	assert_int_equal(o.peer_uart, 0x3f8);
	assert_true(o.force);
	assert_int_equal(probe_options_parse("victim=far", &o, err, sizeof(err)), -EINVAL);
	assert_int_equal(probe_options_parse("monitor=", &o, err, sizeof(err)), -EINVAL);
	assert_int_equal(probe_options_parse("pci=0:0", &o, err, sizeof(err)), -EINVAL);
	assert_int_equal(probe_options_parse("peer-uart=com9", &o, err, sizeof(err)), -EINVAL);
	assert_int_equal(probe_options_parse("force=yes", &o, err, sizeof(err)), -EINVAL);
}

static int bdf(const char *s, uint16_t *v)
{
	return probe_parse_bdf(s, strlen(s), v);
}

static void test_probe_bdf(void **state)
{
	uint16_t v = 0;

	assert_int_equal(bdf("00:00.0", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(bdf("ff:1f.7", &v), 0);
	assert_int_equal(v, 0xffff);
	assert_int_equal(bdf("3:2.1", &v), 0);
	assert_int_equal(v, 3 << 8 | 2 << 3 | 1);
	assert_int_equal(bdf("0A:1F.7", &v), 0);
	assert_int_equal(v, 0x0a << 8 | 0x1f << 3 | 7);
	assert_int_equal(bdf("100:00.0", &v), -EINVAL);
	assert_int_equal(bdf("00:20.0", &v), -EINVAL);
	assert_int_equal(bdf("00:00.8", &v), -EINVAL);
	assert_int_equal(bdf("00:00.", &v), -EINVAL);
	assert_int_equal(bdf("00:00", &v), -EINVAL);
	assert_int_equal(bdf(":00.0", &v), -EINVAL);
	assert_int_equal(bdf("00:00.00", &v), -EINVAL);
	assert_int_equal(bdf("0g:00.0", &v), -EINVAL);
	assert_int_equal(bdf("", &v), -EINVAL);
}

static void test_probe_storm_defaults(void **state)
{
	struct probe_options o;

	assert_int_equal(probe_options_parse("", &o, err, sizeof(err)), 0);
	/* The storms run only when named: they take seconds and need devices. */
	assert_false(o.attacks & PROBE_BIT(PROBE_CONSOLE_FLOOD));
	assert_false(o.attacks & PROBE_BIT(PROBE_LEVEL_STORM));
	assert_false(o.attacks & PROBE_BIT(PROBE_BAD_VECTOR));
	assert_int_equal(o.phase_ms, PROBE_PHASE_MS_DEFAULT);
	assert_int_equal(o.edu_bdf, PROBE_NO_BDF);
	assert_int_equal(o.edu_irq, PROBE_NO_IRQ);
	assert_int_equal(o.level_cases, PROBE_LEVEL_ALL);
	assert_int_equal(o.vectors.n, 3);
	assert_int_equal(o.vectors.v[0], 0x10);
	assert_int_equal(o.vectors.v[1], 0x1f);
	assert_int_equal(o.vectors.v[2], 0xff);
	assert_int_equal(o.msi_vectors.n, 3);
	assert_int_equal(o.msi_vectors.v[0], 0x10);
	assert_int_equal(o.msi_vectors.v[1], 0xff);
	assert_int_equal(o.msi_vectors.v[2], 0x61);
}

static void test_probe_storm_attacks(void **state)
{
	struct probe_options o;

	assert_int_equal(probe_options_parse("attacks=bad-vector,console-flood,deadline-storm,"
					     "periodic-storm,level-storm,msi",
					     &o, err, sizeof(err)),
			 0);
	assert_int_equal(o.attacks,
			 PROBE_BIT(PROBE_CONSOLE_FLOOD) | PROBE_BIT(PROBE_DEADLINE_STORM) |
				 PROBE_BIT(PROBE_PERIODIC_STORM) | PROBE_BIT(PROBE_LEVEL_STORM) |
				 PROBE_BIT(PROBE_BAD_VECTOR) | PROBE_BIT(PROBE_MSI));
	/* all is the quick default set; storms are added by name. */
	assert_int_equal(probe_options_parse("attacks=all,level-storm", &o, err, sizeof(err)), 0);
	assert_int_equal(o.attacks, PROBE_DEFAULT | PROBE_BIT(PROBE_LEVEL_STORM));
	/* Without spin or triple the probe halts at the end: the run can end by itself. */
	assert_int_equal(probe_options_parse("attacks=console-flood", &o, err, sizeof(err)), 0);
	assert_false(o.attacks & PROBE_FINAL);
	assert_string_equal(probe_attack_name(PROBE_BAD_VECTOR), "bad-vector");
	assert_string_equal(probe_attack_name(PROBE_ATTACKS), "?");
	/* The storms run before the final attacks, bad-vector last among them. */
	assert_true(PROBE_BAD_VECTOR > PROBE_LEVEL_STORM && PROBE_BAD_VECTOR < PROBE_SPIN);
	assert_string_equal(probe_attack_name(PROBE_MSI), "msi");
	assert_true(PROBE_MSI > PROBE_BAD_VECTOR && PROBE_MSI < PROBE_SPIN);
}

/* The multi-core attacks (issue 13): ipi-storm, and cli-spin as another name of spin. */
static void test_probe_smp_attacks(void **state)
{
	struct probe_options o;

	assert_int_equal(probe_options_parse("attacks=ipi-storm", &o, err, sizeof(err)), 0);
	assert_int_equal(o.attacks, PROBE_BIT(PROBE_IPI_STORM));
	assert_string_equal(probe_attack_name(PROBE_IPI_STORM), "ipi-storm");
	/* After every other attack, before the final ones: it may leave x2APIC mode on. */
	assert_true(PROBE_IPI_STORM > PROBE_MSIX && PROBE_IPI_STORM < PROBE_SPIN);
	assert_true(PROBE_IPI_STORM < PROBE_TRIPLE);

	assert_int_equal(probe_options_parse("attacks=ipi-storm,cli-spin", &o, err, sizeof(err)),
			 0);
	assert_int_equal(o.attacks, PROBE_BIT(PROBE_IPI_STORM) | PROBE_BIT(PROBE_SPIN));
	/* Wherever it stands in the list, the spin runs last: the order of the table. */
	assert_int_equal(probe_options_parse("attacks=cli-spin,mem,ipi-storm", &o, err,
					     sizeof(err)),
			 0);
	assert_int_equal(o.attacks, PROBE_BIT(PROBE_MEM) | PROBE_BIT(PROBE_IPI_STORM) |
					    PROBE_BIT(PROBE_SPIN));
	assert_int_equal(probe_options_parse("attacks=cli-spin,spin", &o, err, sizeof(err)), 0);
	assert_int_equal(o.attacks, PROBE_BIT(PROBE_SPIN));
	/* Still one final attack only, under either name. */
	assert_int_equal(probe_options_parse("attacks=cli-spin,triple", &o, err, sizeof(err)),
			 -EINVAL);
	assert_string_equal(err, "attacks: spin and triple both end the guest; pick one");
	assert_int_equal(probe_options_parse("attacks=cli-spin spin=0", &o, err, sizeof(err)), 0);
	assert_int_equal(o.attacks, PROBE_BIT(PROBE_TRIPLE));
	/* Names are whole words: no prefixes, no other spellings. */
	assert_int_equal(probe_options_parse("attacks=cli", &o, err, sizeof(err)), -EINVAL);
	assert_int_equal(probe_options_parse("attacks=cli-spinning", &o, err, sizeof(err)),
			 -EINVAL);
	assert_int_equal(probe_options_parse("attacks=ipi", &o, err, sizeof(err)), -EINVAL);
	assert_int_equal(probe_options_parse("attacks=IPI-STORM", &o, err, sizeof(err)),
			 -EINVAL);
	/* The level cases know no attack names. */
	assert_int_equal(probe_options_parse("level=cli-spin", &o, err, sizeof(err)), -EINVAL);
	/* The defaults do not include the storm: it runs only when named. */
	assert_int_equal(probe_options_parse("attacks=all", &o, err, sizeof(err)), 0);
	assert_false(o.attacks & PROBE_BIT(PROBE_IPI_STORM));
}

static void test_probe_storm_options(void **state)
{
	struct probe_options o;

	assert_int_equal(probe_options_parse("phase=500 edu=00:10.0 edu-irq=20 level=edge,masked "
					     "vectors=0x20,255 msi-vectors=0x12",
					     &o, err, sizeof(err)),
			 0);
	assert_int_equal(o.phase_ms, 500);
	assert_int_equal(o.edu_bdf, 0x10 << 3);
	assert_int_equal(o.edu_irq, 20);
	assert_int_equal(o.level_cases,
			 1u << PROBE_LEVEL_EDGE | 1u << PROBE_LEVEL_MASKED);
	assert_int_equal(o.vectors.n, 2);
	assert_int_equal(o.vectors.v[0], 0x20);
	assert_int_equal(o.vectors.v[1], 0xff);
	assert_int_equal(o.msi_vectors.n, 1);
	assert_int_equal(o.msi_vectors.v[0], 0x12);
	assert_int_equal(probe_options_parse("level=none", &o, err, sizeof(err)), 0);
	assert_int_equal(o.level_cases, 0);
	assert_int_equal(probe_options_parse("level=all", &o, err, sizeof(err)), 0);
	assert_int_equal(o.level_cases, PROBE_LEVEL_ALL);
	assert_string_equal(probe_level_case_name(PROBE_LEVEL_HW_DISABLED), "hw-disabled");
	/* dma's target and length. */
	assert_int_equal(probe_options_parse("attacks=dma dma=0x3e00000 dma-len=0x100000", &o, err,
					     sizeof(err)),
			 0);
	assert_int_equal(o.attacks, PROBE_BIT(PROBE_DMA));
	assert_true(o.dma_set && o.dma == 0x3e00000 && o.dma_len == 0x100000);
	assert_int_equal(probe_options_parse("", &o, err, sizeof(err)), 0);
	assert_false(o.dma_set);
	assert_int_equal(o.dma_len, PROBE_DMA_LEN_DEFAULT);
	assert_int_equal(probe_options_parse("dma-len=4095", &o, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "dma-len=4095: expected bytes 4096..256M");

	assert_int_equal(probe_options_parse("phase=99", &o, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "phase=99: expected milliseconds 100..60000");
	assert_int_equal(probe_options_parse("phase=60001", &o, err, sizeof(err)), -EINVAL);
	assert_int_equal(probe_options_parse("edu=16", &o, err, sizeof(err)), -EINVAL);
	assert_int_equal(probe_options_parse("edu-irq=24", &o, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "edu-irq=24: expected an I/O APIC input 0..23");
	assert_int_equal(probe_options_parse("level=stuck", &o, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "level: unknown case 'stuck'; expected masked, vector-low, nmi, "
				 "init, extint, edge, foreign-dest, sw-disabled, hw-disabled, "
				 "all or none");
	assert_int_equal(probe_options_parse("vectors=0x100", &o, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "vectors=0x100: expected 1..8 vectors 0..0xff");
	assert_int_equal(probe_options_parse("vectors=1,2,3,4,5,6,7,8,9", &o, err, sizeof(err)),
			 -EINVAL);
	assert_int_equal(probe_options_parse("msi-vectors=0x12,,0x10", &o, err, sizeof(err)),
			 -EINVAL);
	assert_int_equal(probe_options_parse("msi-vectors=", &o, err, sizeof(err)), -EINVAL);
	assert_int_equal(probe_options_unknown("phase=1 edu=0:1.0 edu-irq=3 level=all vectors=1 "
					       "msi-vectors=2",
					       err, sizeof(err)),
			 0);
}

static void test_probe_unknown(void **state)
{
	char key[32];

	assert_int_equal(probe_options_unknown("attacks=mem victim=1 peer-uart=com2", key,
					       sizeof(key)), 0);
	assert_int_equal(probe_options_unknown("attack=mem", key, sizeof(key)), 1);
	assert_string_equal(key, "attack");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hb_defaults),
		cmocka_unit_test(test_hb_all),
		cmocka_unit_test(test_hb_errors),
		cmocka_unit_test(test_hb_bench_options),
		cmocka_unit_test(test_hb_seconds),
		cmocka_unit_test(test_hb_unknown),
		cmocka_unit_test(test_probe_defaults),
		cmocka_unit_test(test_probe_attacks),
		cmocka_unit_test(test_probe_addresses),
		cmocka_unit_test(test_probe_bdf),
		cmocka_unit_test(test_probe_storm_defaults),
		cmocka_unit_test(test_probe_storm_attacks),
		cmocka_unit_test(test_probe_storm_options),
		cmocka_unit_test(test_probe_smp_attacks),
		cmocka_unit_test(test_probe_unknown),
	};
	return cmocka_run_group_tests_name("guest_options", tests, NULL, NULL);
}
