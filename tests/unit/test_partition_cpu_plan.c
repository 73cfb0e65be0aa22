// SPDX-License-Identifier: GPL-2.0-only
/*
 * The CPU plan: the default, time-shared and core-partitioned lists, the vCPU order, every
 * refusal (with its message), the machine's count, the table, and the plan built with the
 * rest of the partition plan.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "partition/cpu_plan.h"
#include "partition/partition.h"

static struct partition_cpu_plan cp;
static char err[PARTITION_ERR_MAX];

static int plan(uint64_t a, uint64_t b, unsigned nr_machine)
{
	struct partition_cpu_request rq = { .cpus = { a, b }, .line = { 5, 9 },
					    .nr_machine_cpus = nr_machine };

	err[0] = 0;
	return partition_cpu_plan_build(&cp, &rq, err, sizeof(err));
}

static void test_cpu_plan_time_shared(void **state)
{
	(void)state;
	assert_int_equal(plan(0x3, 0x3, 2), 0);
	assert_int_equal(cp.nr_machine_cpus, 2);
	assert_int_equal(cp.nr_cpus_used, 2);
	assert_true(cp.used == 0x3);
	assert_true(cp.shared == 0x3);
	for (unsigned g = 0; g < 2; g++) {
		assert_int_equal(cp.nr_vcpus[g], 2);
		assert_int_equal(cp.vcpu_cpu[g][0], 0);
		assert_int_equal(cp.vcpu_cpu[g][1], 1);
		assert_int_equal(partition_cpu_plan_vcpu(&cp, g, 1), 1);
	}
	/* The default: both guests on CPU 0, as before cpus= existed. */
	assert_int_equal(plan(1, 1, 0), 0);
	assert_true(cp.shared == 1);
	assert_int_equal(cp.nr_vcpus[0], 1);
	assert_int_equal(cp.nr_vcpus[1], 1);
}

static void test_cpu_plan_partitioned(void **state)
{
	(void)state;
	/* Guest a on CPU 1, guest b on CPU 0: no CPU is shared. */
	assert_int_equal(plan(0x2, 0x1, 2), 0);
	assert_true(cp.shared == 0);
	assert_true(cp.used == 0x3);
	assert_int_equal(cp.vcpu_cpu[0][0], 1);
	assert_int_equal(cp.vcpu_cpu[1][0], 0);
	assert_int_equal(partition_cpu_plan_vcpu(&cp, 0, 0), -1);
	assert_int_equal(partition_cpu_plan_vcpu(&cp, 1, 0), 0);
	assert_int_equal(partition_cpu_plan_vcpu(&cp, 0, 1), 0);
	assert_int_equal(partition_cpu_plan_vcpu(&cp, 1, 1), -1);
	assert_int_equal(partition_cpu_plan_vcpu(&cp, 2, 0), -1);
	assert_int_equal(partition_cpu_plan_vcpu(&cp, 0, 64), -1);
}

static void test_cpu_plan_vcpu_order(void **state)
{
	(void)state;
	/* vCPU n on the n-th lowest CPU, however sparse: a on 6, 2, 9; b on 0, 63. */
	assert_int_equal(plan((1ULL << 9) | (1ULL << 2) | (1ULL << 6), 1 | (1ULL << 63), 0), 0);
	assert_int_equal(cp.nr_vcpus[0], 3);
	assert_int_equal(cp.vcpu_cpu[0][0], 2);
	assert_int_equal(cp.vcpu_cpu[0][1], 6);
	assert_int_equal(cp.vcpu_cpu[0][2], 9);
	assert_int_equal(partition_cpu_plan_vcpu(&cp, 0, 6), 1);
	assert_int_equal(cp.nr_vcpus[1], 2);
	assert_int_equal(cp.vcpu_cpu[1][1], 63);
	assert_int_equal(partition_cpu_plan_vcpu(&cp, 1, 63), 1);
	assert_int_equal(cp.nr_cpus_used, 5);
	/* One guest alone: the other has nothing. */
	assert_int_equal(plan(0, 0xf0, 8), 0);
	assert_int_equal(cp.nr_vcpus[0], 0);
	assert_int_equal(cp.nr_vcpus[1], 4);
	assert_int_equal(cp.vcpu_cpu[1][0], 4);
	assert_true(cp.shared == 0);
}

static void test_cpu_plan_refusals(void **state)
{
	(void)state;
	assert_int_equal(plan(0x3, 0x6, 0), -EINVAL);
	assert_string_equal(err, "partition: guest a's cpus 0-1 (line 5) and guest b's 1-2 "
				 "(line 9) overlap only in part: list the same CPUs "
				 "(time-sharing) or disjoint ones");
	/* A list inside the other is a partial overlap too. */
	assert_int_equal(plan(0x1, 0x3, 0), -EINVAL);
	assert_int_equal(plan(0x1ff, 0, 0), -EINVAL);
	assert_string_equal(err, "partition: guest a: cpus = 0-8 (line 5) names 9 CPUs, but a "
				 "guest has at most 8 vCPUs");
	assert_int_equal(plan(0, 0, 0), -EINVAL);
	assert_string_equal(err, "partition: no guest runs on any CPU");
	/* No err buffer: still refused. */
	assert_int_equal(partition_cpu_plan_build(&cp,
						  &(struct partition_cpu_request){ .cpus = { 3, 6 } },
						  NULL, 0),
			 -EINVAL);
}

static void test_cpu_plan_machine_count(void **state)
{
	(void)state;
	assert_int_equal(plan(0xe, 0, 2), -EINVAL);
	assert_string_equal(err, "partition: guest a: cpus = 1-3 (line 5) names CPU 3, but this "
				 "machine has 2 (0-1)");
	assert_int_equal(plan(0x1, 0x8, 3), -EINVAL);
	assert_string_equal(err, "partition: guest b: cpus = 3 (line 9) names CPU 3, but this "
				 "machine has 3 (0-2)");
	/* Exactly the machine's CPUs, an unknown count, and more CPUs than a mask holds. */
	assert_int_equal(plan(0x1, 0x2, 2), 0);
	assert_int_equal(plan(1ULL << 40, 0x2, 0), 0);
	assert_int_equal(plan(1ULL << 63, 0x2, 200), 0);
	assert_int_equal(cp.nr_machine_cpus, 200);
	/* A default list (line 0) says so. */
	{
		struct partition_cpu_request rq = { .cpus = { 1, 0 }, .nr_machine_cpus = 0 };

		rq.cpus[1] = 3;
		rq.line[1] = 7;
		assert_int_equal(partition_cpu_plan_build(&cp, &rq, err, sizeof(err)), -EINVAL);
		assert_string_equal(err, "partition: guest a's cpus 0 (the default) and guest b's "
					 "0-1 (line 7) overlap only in part: list the same CPUs "
					 "(time-sharing) or disjoint ones");
	}
}

static void test_cpu_plan_list(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(partition_cpu_plan_list(buf, sizeof(buf), 0), 4);
	assert_string_equal(buf, "none");
	partition_cpu_plan_list(buf, sizeof(buf), 0x2d | (1ULL << 63));
	assert_string_equal(buf, "0, 2-3, 5, 63");
	/* Cut to fit, with the full length returned. */
	assert_int_equal(partition_cpu_plan_list(buf, 4, 0x2d), 9);
	assert_string_equal(buf, "0, ");
}

static char lines[80][PARTITION_ERR_MAX];
static unsigned nr_lines;

static void collect(void *ctx, const char *line)
{
	(void)ctx;
	if (nr_lines < 80)
		snprintf(lines[nr_lines++], sizeof(lines[0]), "%s", line);
}

static void test_cpu_plan_print(void **state)
{
	(void)state;
	assert_int_equal(plan(0x2, 0x1, 4), 0);
	nr_lines = 0;
	partition_cpu_plan_print(&cp, collect, NULL);
	assert_int_equal(nr_lines, 4);
	assert_string_equal(lines[0], "cpus: 2 used (0-1) of 4, core-partitioned; vCPUs: guest a "
				      "1, guest b 1");
	assert_string_equal(lines[1], "  cpu  guest a  guest b");
	assert_string_equal(lines[2], "  0    -        vCPU 0   own");
	assert_string_equal(lines[3], "  1    vCPU 0   -        own");

	assert_int_equal(plan(0x3, 0x3, 0), 0);
	nr_lines = 0;
	partition_cpu_plan_print(&cp, collect, NULL);
	assert_string_equal(lines[0], "cpus: 2 used (0-1) of an unknown count, time-shared; "
				      "vCPUs: guest a 2, guest b 2");
	assert_string_equal(lines[3], "  1    vCPU 1   vCPU 1   time-shared");
	assert_int_equal(nr_lines, 4);
}

/* partition_plan_build() makes the same plan, and gives each guest its vCPU count. */
static void test_cpu_plan_in_partition_plan(void **state)
{
	static struct memmap_entry ram[] = {
		{ 0, 0xa0000, MEMMAP_USABLE, 7 },
		{ 1 << 20, 255 << 20, MEMMAP_USABLE, 7 },
	};
	static struct memmap map = { ram, 2, 2 };
	static struct partition_plan p;
	static struct partition_request req;

	(void)state;
	memset(&req, 0, sizeof(req));
	req.guest[0].present = req.guest[1].present = true;
	req.guest[1].placement = PARTITION_PLACE_LOW;
	/* Without cpus, as requests were before: both on CPU 0. */
	assert_int_equal(partition_plan_init(&p, &map), 0);
	assert_int_equal(partition_plan_build(&p, &req), 0);
	assert_int_equal(p.guest[0].nr_vcpus, 1);
	assert_int_equal(p.guest[1].nr_vcpus, 1);
	assert_true(p.cpus.shared == 1);

	req.guest[0].cpus = 0x6;
	req.guest[1].cpus = 0x1;
	req.nr_machine_cpus = 3;
	assert_int_equal(partition_plan_init(&p, &map), 0);
	assert_int_equal(partition_plan_build(&p, &req), 0);
	assert_int_equal(p.guest[0].nr_vcpus, 2);
	assert_true(p.guest[0].cpus == 0x6);
	assert_int_equal(p.guest[1].nr_vcpus, 1);
	assert_int_equal(p.cpus.vcpu_cpu[0][1], 2);
	assert_true(p.cpus.shared == 0);

	/* A CPU the machine lacks stops the plan before any RAM is split. */
	req.nr_machine_cpus = 2;
	req.guest[0].cpus_line = 12;
	assert_int_equal(partition_plan_init(&p, &map), 0);
	assert_int_equal(partition_plan_build(&p, &req), -EINVAL);
	assert_false(p.built);
	assert_int_equal(p.guest[0].nr_ram, 0);
	assert_string_equal(partition_error(&p), "partition: guest a: cpus = 1-2 (line 12) names "
						 "CPU 2, but this machine has 2 (0-1)");

	/* A guest that does not run has no CPUs. */
	req.guest[1].present = false;
	req.nr_machine_cpus = 0;
	assert_int_equal(partition_cpu_plan_from_request(&p.cpus, &req, err, sizeof(err)), 0);
	assert_int_equal(p.cpus.nr_vcpus[1], 0);
	assert_true(p.cpus.used == 0x6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cpu_plan_time_shared),
		cmocka_unit_test(test_cpu_plan_partitioned),
		cmocka_unit_test(test_cpu_plan_vcpu_order),
		cmocka_unit_test(test_cpu_plan_refusals),
		cmocka_unit_test(test_cpu_plan_machine_count),
		cmocka_unit_test(test_cpu_plan_list),
		cmocka_unit_test(test_cpu_plan_print),
		cmocka_unit_test(test_cpu_plan_in_partition_plan),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
