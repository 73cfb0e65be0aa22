// SPDX-License-Identifier: GPL-2.0-only
/* lib/fmt.c must agree with the C library's snprintf on everything the project uses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "lib/fmt.h"

#define SAME(...)                                                                          \
	do {                                                                               \
		char a[128], b[128];                                                       \
		int na = fmt_snprintf(a, sizeof(a), __VA_ARGS__);                          \
		int nb = snprintf(b, sizeof(b), __VA_ARGS__);                              \
		assert_string_equal(a, b);                                                 \
		assert_int_equal(na, nb);                                                  \
	} while (0)

static void test_fmt_integers(void **state)
{
	SAME("%d %i %u", -42, 7, 42u);
	SAME("%5d|%-5d|%05d", 12, 12, -12);
	SAME("%+d % d %+d", 3, 3, -3);
	SAME("%ld %lu %lld %llu", -1L, 1UL << 40, (long long)INT64_MIN, (unsigned long long)UINT64_MAX);
	SAME("%zu %zx", (size_t)12345, (size_t)0xabc);
	SAME("%hhu %hd %hhx", 300, 70000, 0x1ff);
	SAME("%x %X %#x %#X %#o %o", 0xbeefu, 0xbeefu, 0x10u, 0x10u, 8u, 8u);
	SAME("%016llx|%#018llx", 0x1234ULL, 0x1234ULL);
	SAME("%.3d|%8.3d|%-8.3d|%.0d", 5, 5, 5, 0);
	SAME("%jd %td", (intmax_t)-9, (ptrdiff_t)9);
}

static void test_fmt_strings(void **state)
{
	SAME("[%s] [%10s] [%-10s] [%.2s] [%.*s]", "abc", "abc", "abc", "abc", 1, "abc");
	SAME("%c%c%3c%-3c|", 'a', 'b', 'c', 'd');
	SAME("%*d|%-*d|", 6, 42, 6, 42);
	SAME("100%%");
}

static void test_fmt_truncation(void **state)
{
	char buf[8];
	int n = fmt_snprintf(buf, sizeof(buf), "%s", "0123456789");
	assert_int_equal(n, 10);
	assert_string_equal(buf, "0123456");

	n = fmt_snprintf(NULL, 0, "%d", 12345);
	assert_int_equal(n, 5);

	buf[0] = 'x';
	n = fmt_snprintf(buf, 1, "abc");
	assert_int_equal(n, 3);
	assert_int_equal(buf[0], '\0');
}

static void test_fmt_size(void **state)
{
	char b[32];
	assert_string_equal(fmt_size(b, sizeof(b), 512ULL << 20), "512M");
	assert_string_equal(fmt_size(b, sizeof(b), 1ULL << 30), "1G");
	assert_string_equal(fmt_size(b, sizeof(b), 3ULL << 10), "3K");
	assert_string_equal(fmt_size(b, sizeof(b), 1536ULL << 10), "1536K");
	assert_string_equal(fmt_size(b, sizeof(b), 1000), "1000");
	assert_string_equal(fmt_size(b, sizeof(b), 0), "0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fmt_integers),
		cmocka_unit_test(test_fmt_strings),
		cmocka_unit_test(test_fmt_truncation),
		cmocka_unit_test(test_fmt_size),
	};
	return cmocka_run_group_tests_name("fmt", tests, NULL, NULL);
}
