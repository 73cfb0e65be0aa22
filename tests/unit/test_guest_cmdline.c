// SPDX-License-Identifier: GPL-2.0-only
/* guests/lib/cmdline.c: words, quoting, last-one-wins, numbers, UART names, lists. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "guests/lib/cmdline.h"

static void assert_val(const struct cmdline_arg *a, const char *want)
{
	assert_int_equal(a->val_len, strlen(want));
	assert_memory_equal(a->val, want, a->val_len);
}

static void test_words(void **state)
{
	const char *cl = "  units=5\tbare  q=\"a b\"  last=x ";
	struct cmdline_arg a;
	const char *p = cl;

	p = cmdline_next(p, &a);
	assert_non_null(p);
	assert_true(cmdline_eq(a.key, a.key_len, "units"));
	assert_true(a.has_val);
	assert_val(&a, "5");
	p = cmdline_next(p, &a);
	assert_true(cmdline_eq(a.key, a.key_len, "bare"));
	assert_false(a.has_val);
	assert_val(&a, "");
	p = cmdline_next(p, &a);
	assert_true(cmdline_eq(a.key, a.key_len, "q"));
	assert_val(&a, "a b");
	p = cmdline_next(p, &a);
	assert_true(cmdline_eq(a.key, a.key_len, "last"));
	assert_val(&a, "x");
	assert_null(cmdline_next(p, &a));
	assert_null(cmdline_next("", &a));
	assert_null(cmdline_next(" \t\r\n", &a));
}

static void test_unterminated_quote(void **state)
{
	struct cmdline_arg a;
	const char *p = cmdline_next("k=\"open ended", &a);

	assert_non_null(p);
	assert_val(&a, "open ended");
	assert_null(cmdline_next(p, &a));
}

static void test_find_last_wins(void **state)
{
	struct cmdline_arg a;

	assert_true(cmdline_find("units=1 every=2 units=3", "units", &a));
	assert_val(&a, "3");
	assert_false(cmdline_find("units=1", "unit", &a));
	assert_false(cmdline_find("unitsx=1", "units", &a));
	assert_false(cmdline_find("", "units", &a));
	/* A key is only the part before '=': "a=units=1" is key a. */
	assert_false(cmdline_find("a=units=1", "units", &a));
}

static void test_eq(void **state)
{
	assert_true(cmdline_eq("com1", 4, "com1"));
	assert_false(cmdline_eq("com1", 3, "com1"));
	assert_false(cmdline_eq("com12", 5, "com1"));
	assert_true(cmdline_eq("", 0, ""));
	assert_false(cmdline_eq("", 0, "x"));
}

static int parse(const char *s, uint64_t *v)
{
	return cmdline_parse_u64(s, strlen(s), v);
}

static void test_numbers(void **state)
{
	uint64_t v = 0;

	assert_int_equal(parse("0", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(parse("0123", &v), 0);	/* decimal: no octal */
	assert_int_equal(v, 123);
	assert_int_equal(parse("0x3f8", &v), 0);
	assert_int_equal(v, 0x3f8);
	assert_int_equal(parse("0XABCdef", &v), 0);
	assert_int_equal(v, 0xabcdef);
	assert_int_equal(parse("4K", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(parse("1m", &v), 0);
	assert_int_equal(v, 1 << 20);
	assert_int_equal(parse("0x10G", &v), 0);
	assert_int_equal(v, 16ull << 30);
	assert_int_equal(parse("18446744073709551615", &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(parse("0xffffffffffffffff", &v), 0);
	assert_true(v == UINT64_MAX);

	v = 7;
	assert_int_equal(parse("18446744073709551616", &v), -ERANGE);
	assert_int_equal(parse("0x10000000000000000", &v), -ERANGE);
	assert_int_equal(parse("17179869184G", &v), -ERANGE);
	assert_int_equal(parse("", &v), -EINVAL);
	assert_int_equal(parse("0x", &v), -EINVAL);
	assert_int_equal(parse("K", &v), -EINVAL);
	assert_int_equal(parse("12a", &v), -EINVAL);
	assert_int_equal(parse("-1", &v), -EINVAL);
	assert_int_equal(parse("1KB", &v), -EINVAL);
	assert_int_equal(parse("0x1g2", &v), -EINVAL);
	assert_int_equal(v, 7);	/* failures leave the output alone */
	/* Only len bytes count. */
	assert_int_equal(cmdline_parse_u64("123456", 3, &v), 0);
	assert_int_equal(v, 123);
}

static int uart(const char *s, uint16_t *port)
{
	return cmdline_parse_uart(s, strlen(s), port);
}

static void test_uart(void **state)
{
	uint16_t p = 0;

	assert_int_equal(uart("com1", &p), 0);
	assert_int_equal(p, 0x3f8);
	assert_int_equal(uart("com2", &p), 0);
	assert_int_equal(p, 0x2f8);
	assert_int_equal(uart("com3", &p), 0);
	assert_int_equal(p, 0x3e8);
	assert_int_equal(uart("com4", &p), 0);
	assert_int_equal(p, 0x2e8);
	assert_int_equal(uart("0x3f8", &p), 0);
	assert_int_equal(p, 0x3f8);
	assert_int_equal(uart("760", &p), 0);
	assert_int_equal(p, 760);
	assert_int_equal(uart("0xfff8", &p), 0);
	assert_int_equal(uart("0xfff9", &p), -EINVAL);
	assert_int_equal(uart("0", &p), -EINVAL);
	assert_int_equal(uart("com5", &p), -EINVAL);
	assert_int_equal(uart("COM1", &p), -EINVAL);
	assert_int_equal(uart("", &p), -EINVAL);
}

/* All items of a list as "a|b|" text. */
static void list_text(const char *s, char *out)
{
	struct cmdline_list l;
	const char *item;
	size_t n;

	out[0] = '\0';
	cmdline_list_init(&l, s, strlen(s));
	while (cmdline_list_next(&l, &item, &n)) {
		strncat(out, item, n);
		strcat(out, "|");
	}
}

static void test_lists(void **state)
{
	char out[128];

	list_text("mem,ports,pci", out);
	assert_string_equal(out, "mem|ports|pci|");
	list_text("one", out);
	assert_string_equal(out, "one|");
	list_text("", out);
	assert_string_equal(out, "");
	list_text("a,,b", out);
	assert_string_equal(out, "a||b|");
	list_text("a,", out);
	assert_string_equal(out, "a||");
	list_text(",", out);
	assert_string_equal(out, "||");
}

static void test_unknown_key(void **state)
{
	static const char *const known[] = { "units", "exit" };
	struct cmdline_arg a;

	assert_false(cmdline_unknown_key("units=1 exit=halt", known, 2, &a));
	assert_false(cmdline_unknown_key("", known, 2, &a));
	assert_true(cmdline_unknown_key("units=1 unts=5 exit=x", known, 2, &a));
	assert_true(cmdline_eq(a.key, a.key_len, "unts"));
	assert_true(cmdline_unknown_key("quiet", known, 2, &a));
	assert_true(cmdline_eq(a.key, a.key_len, "quiet"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_unterminated_quote),
		cmocka_unit_test(test_find_last_wins),
		cmocka_unit_test(test_eq),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_uart),
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_unknown_key),
	};
	return cmocka_run_group_tests_name("guest_cmdline", tests, NULL, NULL);
}
