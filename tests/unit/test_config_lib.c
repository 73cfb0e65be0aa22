// SPDX-License-Identifier: GPL-2.0-only
/* guest-config: the building blocks under the parser: numbers, UTF-8, diagnostics. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "guest-config/diag.h"
#include "guest-config/number.h"
#include "guest-config/utf8.h"

static void num(const char *s, uint32_t unit, uint32_t status, uint64_t value, size_t used)
{
	struct config_num n;

	config_number(s, strlen(s), unit, &n);
	assert_int_equal(n.status, status);
	assert_true(n.value == value);
	assert_int_equal(n.used, used);
}

static void test_config_numbers(void **state)
{
	num("0", CONFIG_UNIT_NONE, CONFIG_NUM_OK, 0, 1);
	num("007", CONFIG_UNIT_NONE, CONFIG_NUM_OK, 7, 3); /* decimal, never octal */
	num("0x1F", CONFIG_UNIT_NONE, CONFIG_NUM_OK, 31, 4);
	num("0XfF", CONFIG_UNIT_NONE, CONFIG_NUM_OK, 255, 4);
	num("18446744073709551615", CONFIG_UNIT_NONE, CONFIG_NUM_OK, UINT64_MAX, 20);
	num("18446744073709551616", CONFIG_UNIT_NONE, CONFIG_NUM_OVERFLOW, 0, 20);
	num("0x10000000000000000", CONFIG_UNIT_NONE, CONFIG_NUM_OVERFLOW, 0, 19);
	num("0x", CONFIG_UNIT_NONE, CONFIG_NUM_NONE, 0, 0);
	num("x1", CONFIG_UNIT_NONE, CONFIG_NUM_NONE, 0, 0);
	num("", CONFIG_UNIT_NONE, CONFIG_NUM_NONE, 0, 0);
	num("+1", CONFIG_UNIT_NONE, CONFIG_NUM_NONE, 0, 0);
	num("12ab", CONFIG_UNIT_NONE, CONFIG_NUM_JUNK, 0, 2);
	num("4K", CONFIG_UNIT_NONE, CONFIG_NUM_JUNK, 0, 1);
	num("4K", CONFIG_UNIT_SIZE, CONFIG_NUM_OK, 4096, 2);
	num("4k", CONFIG_UNIT_SIZE, CONFIG_NUM_OK, 4096, 2);
	num("3M", CONFIG_UNIT_SIZE, CONFIG_NUM_OK, 3ULL << 20, 2);
	num("2GiB", CONFIG_UNIT_SIZE, CONFIG_NUM_OK, 2ULL << 30, 4);
	num("1TB", CONFIG_UNIT_SIZE, CONFIG_NUM_OK, 1ULL << 40, 3);
	num("0x10M", CONFIG_UNIT_SIZE, CONFIG_NUM_OK, 16ULL << 20, 5);
	num("1Mb", CONFIG_UNIT_SIZE, CONFIG_NUM_JUNK, 0, 2);
	num("1P", CONFIG_UNIT_SIZE, CONFIG_NUM_JUNK, 0, 1);
	num("16777216T", CONFIG_UNIT_SIZE, CONFIG_NUM_OVERFLOW, 0, 9);
	num("16777215T", CONFIG_UNIT_SIZE, CONFIG_NUM_OK, 16777215ULL << 40, 9);
	num("250", CONFIG_UNIT_TIME, CONFIG_NUM_OK, 250, 3);
	num("250us", CONFIG_UNIT_TIME, CONFIG_NUM_OK, 250, 5);
	num("7ms", CONFIG_UNIT_TIME, CONFIG_NUM_OK, 7000, 3);
	num("2s", CONFIG_UNIT_TIME, CONFIG_NUM_OK, 2000000, 2);
	num("2m", CONFIG_UNIT_TIME, CONFIG_NUM_JUNK, 0, 1);
}

static void test_config_utf8(void **state)
{
	uint32_t cp;

	assert_int_equal(config_utf8_decode("A", 1, &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(config_utf8_decode("\xc3\xa9", 2, &cp), 2);
	assert_int_equal(cp, 0xe9);
	assert_int_equal(config_utf8_decode("\xe2\x82\xac", 3, &cp), 3);
	assert_int_equal(cp, 0x20ac);
	assert_int_equal(config_utf8_decode("\xf0\x9f\x98\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x1f600);
	assert_int_equal(config_utf8_decode("\xf4\x8f\xbf\xbf", 4, &cp), 4);
	assert_int_equal(cp, 0x10ffff);
	assert_int_equal(config_utf8_decode("\xe2\x82\xac", 2, &cp), 0); /* cut short */
	assert_int_equal(config_utf8_decode("\x80", 1, &cp), 0);
	assert_int_equal(config_utf8_decode("\xe0\x80\x80", 3, &cp), 0); /* overlong */
	assert_int_equal(config_utf8_decode("\xed\xbf\xbf", 3, &cp), 0); /* surrogate */
	assert_int_equal(config_utf8_decode("\xf8\x88\x80\x80\x80", 5, &cp), 0);
	assert_int_equal(config_utf8_decode("", 0, &cp), 0);
	/* A prefix never ends inside a character. */
	assert_int_equal(config_utf8_prefix("ab\xe2\x82\xac", 5, 4), 2);
	assert_int_equal(config_utf8_prefix("ab\xe2\x82\xac", 5, 5), 5);
}

static void test_config_diag(void **state)
{
	struct config_diag d;
	char buf[64];

	config_diag_init(&d, "x.conf");
	config_diag_add(&d, 9, 3, "late %d", 1);
	config_diag_add(&d, 0, 7, "whole file");
	config_diag_add(&d, 2, 5, "early");
	config_diag_add(&d, 9, 1, "late 0");
	config_diag_sort(&d);
	assert_int_equal(config_diag_format(&d, 0, buf, sizeof(buf)), 18);
	assert_string_equal(buf, "x.conf: whole file");
	config_diag_format(&d, 1, buf, sizeof(buf));
	assert_string_equal(buf, "x.conf:2:5: early");
	config_diag_format(&d, 2, buf, sizeof(buf));
	assert_string_equal(buf, "x.conf:9:1: late 0");
	config_diag_format(&d, 3, buf, sizeof(buf));
	assert_string_equal(buf, "x.conf:9:3: late 1");
	assert_int_equal(config_diag_format(&d, 4, buf, sizeof(buf)), -EINVAL);

	/* format_all reports the full length, like snprintf, and always terminates. */
	assert_int_equal(config_diag_format_all(&d, buf, 10), 19 + 18 + 19 + 19);
	assert_string_equal(buf, "x.conf: w");
	assert_int_equal(config_diag_format_all(&d, NULL, 0), 75);

	for (int i = 0; i < 20; i++)
		config_diag_add(&d, 1, 1, "more");
	assert_int_equal(d.count, CONFIG_DIAG_MAX);
	assert_int_equal(d.dropped, 24 - CONFIG_DIAG_MAX);
	config_diag_init(&d, NULL);
	assert_string_equal(d.file, "<config>");
	assert_int_equal(config_diag_total(&d), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_numbers),
		cmocka_unit_test(test_config_utf8),
		cmocka_unit_test(test_config_diag),
	};
	return cmocka_run_group_tests_name("config_lib", tests, NULL, NULL);
}
