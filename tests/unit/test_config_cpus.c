// SPDX-License-Identifier: GPL-2.0-only
/*
 * guest-config: cpus = LIST, the physical CPUs a guest runs on. Every form it accepts, every
 * message it refuses with, the default, and the check of the two guests' lists against each
 * other (the same CPUs or disjoint ones, never a partial overlap).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "guest-config/describe.h"
#define CONFIG_EXPECT_FILE "c.conf"
#include "tests/unit/config_expect.h"

/* Guest A's keys start on line 4; guest B (line 5 and on) has only a kernel. */
#define A(keys) "[global]\n[guest a]\nkernel = \\a\n" keys "[guest b]\nkernel = \\b\ncpus = 9\n"
/* Two guests: A's key on line 3, B's section on line 4 and its key on line 6. */
#define TWO(a, b) "[guest a]\nkernel = \\a\n" a "\n[guest b]\nkernel = \\b\n" b "\n"

static const struct guest_config *ga = &cfg.guest[CONFIG_GUEST_A];
static const struct guest_config *gb = &cfg.guest[CONFIG_GUEST_B];

static void test_config_cpus_forms(void **state)
{
	EXPECT_OK(A("cpus = 1\n"));
	assert_true(ga->cpus == 0x2);
	assert_int_equal(ga->loc[CONFIG_KEY_CPUS].line, 4);
	assert_int_equal(ga->loc[CONFIG_KEY_CPUS].col, 8);
	EXPECT_OK(A("cpus = 2-3\n"));
	assert_true(ga->cpus == 0xc);
	EXPECT_OK(A("cpus = 0,2\n"));
	assert_true(ga->cpus == 0x5);
	/* Blanks around commas and dashes, items in any order. */
	EXPECT_OK(A("cpus =  5 , 1 - 3 ,0\n"));
	assert_true(ga->cpus == 0x2f);
	EXPECT_OK(A("cpus = 56-63\n"));
	assert_true(ga->cpus == 0xff00000000000000ULL);
	EXPECT_OK(A("cpus = 0-7\n"));
	assert_true(ga->cpus == 0xff);
}

static void test_config_cpus_default(void **state)
{
	/* Without the key both guests are on CPU 0, time-shared, as before cpus= existed. */
	EXPECT_OK("[guest a]\nkernel = \\a\n[guest b]\nkernel = \\b\n");
	assert_true(ga->cpus == 1);
	assert_true(gb->cpus == 1);
	assert_int_equal(ga->loc[CONFIG_KEY_CPUS].line, 0);
	config_defaults(&cfg);
	assert_true(cfg.guest[0].cpus == 1 && cfg.guest[1].cpus == 1);
}

static void test_config_cpus_refused(void **state)
{
	EXPECT(A("cpus =\n"), "c.conf:4:7: cpus: expected a value after '='");
	EXPECT(A("cpus = none\n"), "c.conf:4:8: cpus: a guest needs at least one CPU; expected a "
				   "CPU like 1 or a range like 0-3, found 'none'");
	EXPECT(A("cpus = one\n"), "c.conf:4:8: cpus: expected a CPU like 1 or a range like 0-3, "
				  "found 'one'");
	EXPECT(A("cpus = 1x\n"), "c.conf:4:8: cpus: unexpected 'x' after the number 1; expected a "
				 "CPU like 1 or a range like 0-3");
	EXPECT(A("cpus = 1,,2\n"), "c.conf:4:10: cpus: expected a CPU like 1 or a range like 0-3, "
				   "found ','");
	EXPECT(A("cpus = 1,\n"), "c.conf:4:10: cpus: expected a CPU like 1 or a range like 0-3, "
				 "found the end of the line");
	EXPECT(A("cpus = -1\n"), "c.conf:4:8: cpus: expected a CPU like 1 or a range like 0-3, "
				 "found '-1'");
	EXPECT(A("cpus = 3-1\n"), "c.conf:4:10: cpus: range end '1' is below its start '3'");
	EXPECT(A("cpus = 64\n"), "c.conf:4:8: cpus: CPU '64' is out of range; expected 0..63");
	EXPECT(A("cpus = 60-64\n"), "c.conf:4:11: cpus: CPU '64' is out of range; expected 0..63");
	EXPECT(A("cpus = 1, 1\n"), "c.conf:4:11: cpus: CPU 1 is listed twice");
	EXPECT(A("cpus = 0-3, 2-5\n"), "c.conf:4:13: cpus: CPU 2 is listed twice");
	EXPECT(A("cpus = 0-8\n"), "c.conf:4:8: cpus: more than 8 CPUs; a guest has at most 8 "
				  "vCPUs");
	EXPECT(A("cpus = 0-3, 10-14\n"), "c.conf:4:13: cpus: more than 8 CPUs; a guest has at "
					 "most 8 vCPUs");
	EXPECT(A("cpus = 0-63\n"), "c.conf:4:8: cpus: more than 8 CPUs; a guest has at most 8 "
				   "vCPUs");
	EXPECT(A("cpus = 1\ncpus = 2\n"), "c.conf:5:1: duplicate key 'cpus' in [guest a]; the "
					  "first is on line 4");
	/* A refused list leaves the default, not half a list. */
	EXPECT(A("cpus = 2, 2\n"), "c.conf:4:11: cpus: CPU 2 is listed twice");
	assert_true(ga->cpus == 1);
}

static void test_config_cpus_pair(void **state)
{
	/* The same CPUs: time-shared. */
	EXPECT_OK(TWO("cpus = 0-1", "cpus = 1, 0"));
	assert_true(ga->cpus == 3 && gb->cpus == 3);
	/* Disjoint: each guest its own cores. */
	EXPECT_OK(TWO("cpus = 1", "cpus = 0"));
	EXPECT_OK(TWO("cpus = 2-3", ""));
	/* In part: refused at the later list, naming both. */
	EXPECT(TWO("cpus = 0-1", "cpus = 1-2"),
	       "c.conf:6:8: cpus: guest b's cpus 1-2 overlap guest a's 0-1 (line 3) only in part: "
	       "list the same CPUs (time-sharing) or disjoint ones (each guest its own cores)");
	EXPECT(TWO("cpus = 0-3", "cpus = 2"),
	       "c.conf:6:8: cpus: guest b's cpus 2 overlap guest a's 0-3 (line 3) only in part: "
	       "list the same CPUs (time-sharing) or disjoint ones (each guest its own cores)");
	/* A guest without the key is on CPU 0: its section stands for the list. */
	EXPECT(TWO("cpus = 0-1", ""),
	       "c.conf:4:1: cpus: guest b's cpus 0 (the default) overlap guest a's 0-1 (line 3) "
	       "only in part: list the same CPUs (time-sharing) or disjoint ones (each guest its "
	       "own cores)");
	EXPECT("[guest b]\nkernel = \\b\n[guest a]\nkernel = \\a\ncpus = 0,5\n",
	       "c.conf:5:8: cpus: guest a's cpus 0, 5 overlap guest b's 0 (the default) only in "
	       "part: list the same CPUs (time-sharing) or disjoint ones (each guest its own "
	       "cores)");
	/* An alone mode with one guest: nothing to compare. */
	EXPECT_OK("[global]\nmode = a-alone\n[guest a]\nkernel = \\a\ncpus = 0-3\n");
	/* Both sections in an alone mode: still checked, the menu can start them together. */
	EXPECT("[global]\nmode = a-alone\n" TWO("cpus = 0-3", "cpus = 3"),
	       "c.conf:8:8: cpus: guest b's cpus 3 overlap guest a's 0-3 (line 5) only in part: "
	       "list the same CPUs (time-sharing) or disjoint ones (each guest its own cores)");
}

static void test_config_cpus_describe(void **state)
{
	char buf[CONFIG_DESCRIBE_MAX];

	assert_int_equal(config_describe_cpus(buf, sizeof(buf), 0x2f), 6);
	assert_string_equal(buf, "0-3, 5");
	config_describe_cpus(buf, sizeof(buf), 1ULL << 63 | 1);
	assert_string_equal(buf, "0, 63");
	config_describe_cpus(buf, sizeof(buf), 0);
	assert_string_equal(buf, "none");
	assert_true(config_cpus_compatible(3, 3));
	assert_true(config_cpus_compatible(1, 2));
	assert_false(config_cpus_compatible(1, 3));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_cpus_forms),
		cmocka_unit_test(test_config_cpus_default),
		cmocka_unit_test(test_config_cpus_refused),
		cmocka_unit_test(test_config_cpus_pair),
		cmocka_unit_test(test_config_cpus_describe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
