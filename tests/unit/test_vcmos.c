// SPDX-License-Identifier: GPL-2.0-only
/* The virtual CMOS/RTC (monitor/vcmos.c): calendar, clock advance, formats, writes, ports. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "monitor/vcmos.h"

/* A 1 MHz TSC keeps the arithmetic readable: one second is 1000000 ticks. */
#define KHZ 1000
#define SEC 1000000ULL
#define T0 5000000000ULL

static uint8_t rd(struct vcmos *c, uint8_t reg, uint64_t now)
{
	uint32_t v = reg;

	assert_true(vcmos_io(c, 0x70, false, 1, &v, now));
	v = 0xdeadbeef;
	assert_true(vcmos_io(c, 0x71, true, 1, &v, now));
	assert_true(v <= 0xff);
	return (uint8_t)v;
}

static void wr(struct vcmos *c, uint8_t reg, uint8_t val, uint64_t now)
{
	uint32_t v = reg;

	assert_true(vcmos_io(c, 0x70, false, 1, &v, now));
	v = val;
	assert_true(vcmos_io(c, 0x71, false, 1, &v, now));
}

struct shown {
	uint8_t sec, min, hour, wday, day, month, year, century;
};

static struct shown show(struct vcmos *c, uint64_t now)
{
	return (struct shown){
		rd(c, VCMOS_SEC, now), rd(c, VCMOS_MIN, now), rd(c, VCMOS_HOUR, now),
		rd(c, VCMOS_WEEKDAY, now), rd(c, VCMOS_DAY, now), rd(c, VCMOS_MONTH, now),
		rd(c, VCMOS_YEAR, now), rd(c, VCMOS_CENTURY, now),
	};
}

static void expect(struct vcmos *c, uint64_t now, uint8_t century, uint8_t year, uint8_t month,
		   uint8_t day, uint8_t hour, uint8_t min, uint8_t sec, uint8_t wday)
{
	struct shown s = show(c, now);

	assert_int_equal(s.century, century);
	assert_int_equal(s.year, year);
	assert_int_equal(s.month, month);
	assert_int_equal(s.day, day);
	assert_int_equal(s.hour, hour);
	assert_int_equal(s.min, min);
	assert_int_equal(s.sec, sec);
	assert_int_equal(s.wday, wday);
}

static unsigned bcd(unsigned v)
{
	return (v / 10) << 4 | v % 10;
}

static void test_epoch_zero(void **state)
{
	struct vcmos c;

	vcmos_init(&c, 0, T0, KHZ);
	/* Thursday 1970-01-01 00:00:00: weekday 5 with Sunday = 1 */
	expect(&c, T0, 0x19, 0x70, 0x01, 0x01, 0x00, 0x00, 0x00, 5);
}

static void test_epoch_leap_day_2000(void **state)
{
	struct vcmos c;

	vcmos_init(&c, 951782400, T0, KHZ);
	/* Tuesday 2000-02-29: 2000 is a leap year although divisible by 100 */
	expect(&c, T0, 0x20, 0x00, 0x02, 0x29, 0x00, 0x00, 0x00, 3);
	vcmos_init(&c, 951782400 - 1, T0, KHZ);
	expect(&c, T0, 0x20, 0x00, 0x02, 0x28, 0x23, 0x59, 0x59, 2);
	vcmos_init(&c, 951782400 + 86400, T0, KHZ);
	expect(&c, T0, 0x20, 0x00, 0x03, 0x01, 0x00, 0x00, 0x00, 4);
}

static void test_epoch_2100(void **state)
{
	struct vcmos c;

	vcmos_init(&c, 4102444800ULL, T0, KHZ);
	/* Friday 2100-01-01 */
	expect(&c, T0, 0x21, 0x00, 0x01, 0x01, 0x00, 0x00, 0x00, 6);
	/* 2100 is not a leap year: 28 February is followed by 1 March */
	vcmos_init(&c, 4102444800ULL + 59 * 86400, T0, KHZ);
	expect(&c, T0, 0x21, 0x00, 0x03, 0x01, 0x00, 0x00, 0x00, 2);
}

static void test_leap_year_dec31(void **state)
{
	struct vcmos c;

	/* Tuesday 2024-12-31 23:59:59, day 366; one second later a new year */
	vcmos_init(&c, 1735689599, T0, KHZ);
	expect(&c, T0, 0x20, 0x24, 0x12, 0x31, 0x23, 0x59, 0x59, 3);
	expect(&c, T0 + SEC, 0x20, 0x25, 0x01, 0x01, 0x00, 0x00, 0x00, 4);
	/* 2024-02-29 exists */
	vcmos_init(&c, 1709164800, T0, KHZ);
	expect(&c, T0, 0x20, 0x24, 0x02, 0x29, 0x00, 0x00, 0x00, 5);
}

static void test_against_gmtime(void **state)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	struct vcmos c;

	/* Pseudo-random times from 1970 to about 2400 against the C library's calendar. */
	for (int i = 0; i < 3000; i++) {
		time_t t;
		struct tm tm;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		t = (time_t)(x % 13569465600ULL);
		assert_non_null(gmtime_r(&t, &tm));
		vcmos_init(&c, (uint64_t)t, T0, KHZ);
		expect(&c, T0, bcd((unsigned)(tm.tm_year + 1900) / 100),
		       bcd((unsigned)(tm.tm_year + 1900) % 100), bcd((unsigned)tm.tm_mon + 1),
		       bcd((unsigned)tm.tm_mday), bcd((unsigned)tm.tm_hour),
		       bcd((unsigned)tm.tm_min), bcd((unsigned)tm.tm_sec),
		       (uint8_t)(tm.tm_wday + 1));
		assert_int_equal(vcmos_time(&c, T0 + 7 * SEC), t + 7);
	}
}

static void test_tsc_advance(void **state)
{
	struct vcmos c;

	/* 1999-12-31 23:59:58 Friday */
	vcmos_init(&c, 946684798, T0, KHZ);
	expect(&c, T0 + SEC - 1, 0x19, 0x99, 0x12, 0x31, 0x23, 0x59, 0x58, 6);
	expect(&c, T0 + SEC, 0x19, 0x99, 0x12, 0x31, 0x23, 0x59, 0x59, 6);
	/* Across minute, hour, day, month, year and century at once */
	expect(&c, T0 + 2 * SEC, 0x20, 0x00, 0x01, 0x01, 0x00, 0x00, 0x00, 7);
	expect(&c, T0 + 62 * SEC, 0x20, 0x00, 0x01, 0x01, 0x00, 0x01, 0x00, 7);
	expect(&c, T0 + 3602 * SEC, 0x20, 0x00, 0x01, 0x01, 0x01, 0x00, 0x00, 7);
	expect(&c, T0 + (86400 + 2) * SEC, 0x20, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 1);
	/* A TSC before the base does not run the clock backwards */
	expect(&c, T0 - 10 * SEC, 0x19, 0x99, 0x12, 0x31, 0x23, 0x59, 0x58, 6);
}

static void test_tsc_khz_real(void **state)
{
	struct vcmos c;

	/* 2.5 GHz: 2500000000 ticks a second */
	vcmos_init(&c, 0, 0, 2500000);
	assert_int_equal(rd(&c, VCMOS_SEC, 2499999999ULL), 0x00);
	assert_int_equal(rd(&c, VCMOS_SEC, 2500000000ULL), 0x01);
	assert_int_equal(rd(&c, VCMOS_MIN, 2500000000ULL * 600), 0x10);
	/* No frequency: the clock stands still */
	vcmos_init(&c, 59, 0, 0);
	assert_int_equal(rd(&c, VCMOS_SEC, UINT64_MAX), 0x59);
}

static void test_binary_mode(void **state)
{
	struct vcmos c;

	vcmos_init(&c, 1735689599, T0, KHZ);
	wr(&c, VCMOS_REG_B, VCMOS_B_24H | VCMOS_B_DM, T0);
	expect(&c, T0, 20, 24, 12, 31, 23, 59, 59, 3);
	/* Writes are binary too */
	wr(&c, VCMOS_MIN, 30, T0);
	assert_int_equal(rd(&c, VCMOS_MIN, T0), 30);
	wr(&c, VCMOS_REG_B, VCMOS_B_24H, T0);
	assert_int_equal(rd(&c, VCMOS_MIN, T0), 0x30);
}

static void test_12_hour(void **state)
{
	static const struct {
		unsigned hour;
		uint8_t bcd, bin;
	} h[] = {
		{ 0, 0x12, 12 }, { 1, 0x01, 1 }, { 11, 0x11, 11 }, { 12, 0x92, 0x8c },
		{ 13, 0x81, 0x81 }, { 23, 0x91, 0x8b },
	};
	struct vcmos c;

	for (unsigned i = 0; i < sizeof(h) / sizeof(h[0]); i++) {
		vcmos_init(&c, h[i].hour * 3600 + 5, T0, KHZ);
		wr(&c, VCMOS_REG_B, 0, T0);
		assert_int_equal(rd(&c, VCMOS_HOUR, T0), h[i].bcd);
		wr(&c, VCMOS_REG_B, VCMOS_B_DM, T0);
		assert_int_equal(rd(&c, VCMOS_HOUR, T0), h[i].bin);
		/* Writing back what was read keeps the hour */
		wr(&c, VCMOS_HOUR, h[i].bin, T0);
		assert_int_equal(vcmos_time(&c, T0), h[i].hour * 3600 + 5);
		wr(&c, VCMOS_REG_B, 0, T0);
		wr(&c, VCMOS_HOUR, h[i].bcd, T0);
		assert_int_equal(vcmos_time(&c, T0), h[i].hour * 3600 + 5);
	}
}

static void test_write_sets_clock(void **state)
{
	struct vcmos c;

	vcmos_init(&c, 1735689599, T0, KHZ);
	/* 2024-12-31 23:59:59 -> 2024-12-31 10:59:59, then it runs on from there */
	wr(&c, VCMOS_HOUR, 0x10, T0);
	expect(&c, T0, 0x20, 0x24, 0x12, 0x31, 0x10, 0x59, 0x59, 3);
	expect(&c, T0 + SEC, 0x20, 0x24, 0x12, 0x31, 0x11, 0x00, 0x00, 3);
	/* Later writes keep the other fields at their current values */
	wr(&c, VCMOS_SEC, 0x30, T0 + SEC);
	wr(&c, VCMOS_DAY, 0x15, T0 + SEC);
	wr(&c, VCMOS_MONTH, 0x06, T0 + SEC);
	wr(&c, VCMOS_YEAR, 0x05, T0 + SEC);
	wr(&c, VCMOS_CENTURY, 0x21, T0 + SEC);
	/* 2105-06-15 11:00:30 was a Monday */
	expect(&c, T0 + SEC, 0x21, 0x05, 0x06, 0x15, 0x11, 0x00, 0x30, 2);
	expect(&c, T0 + 31 * SEC, 0x21, 0x05, 0x06, 0x15, 0x11, 0x01, 0x00, 2);
	/* The weekday is derived, a write to it is ignored */
	wr(&c, VCMOS_WEEKDAY, 0x07, T0 + SEC);
	assert_int_equal(rd(&c, VCMOS_WEEKDAY, T0 + SEC), 2);
}

static void test_write_keeps_phase(void **state)
{
	struct vcmos c;

	vcmos_init(&c, 0, 0, KHZ);
	/* Half way through second 1, set the minutes: the next second still ticks at 2.0 s */
	wr(&c, VCMOS_MIN, 0x10, SEC + SEC / 2);
	assert_int_equal(rd(&c, VCMOS_SEC, 2 * SEC - 1), 0x01);
	assert_int_equal(rd(&c, VCMOS_SEC, 2 * SEC), 0x02);
	assert_int_equal(rd(&c, VCMOS_MIN, 2 * SEC), 0x10);
}

static void test_set_bit(void **state)
{
	struct vcmos c;

	vcmos_init(&c, 1735689599, T0, KHZ);
	/* SET freezes the clock and clears UIE */
	wr(&c, VCMOS_REG_B, VCMOS_B_SET | VCMOS_B_UIE | VCMOS_B_24H, T0);
	assert_int_equal(rd(&c, VCMOS_REG_B, T0), VCMOS_B_SET | VCMOS_B_24H);
	expect(&c, T0 + 100 * SEC, 0x20, 0x24, 0x12, 0x31, 0x23, 0x59, 0x59, 3);
	/* Field by field, through an impossible 31 February on the way to 31 March */
	wr(&c, VCMOS_SEC, 0x00, T0 + 100 * SEC);
	wr(&c, VCMOS_MIN, 0x00, T0 + 100 * SEC);
	wr(&c, VCMOS_HOUR, 0x08, T0 + 100 * SEC);
	wr(&c, VCMOS_MONTH, 0x02, T0 + 100 * SEC);
	wr(&c, VCMOS_YEAR, 0x30, T0 + 100 * SEC);
	wr(&c, VCMOS_MONTH, 0x03, T0 + 100 * SEC);
	expect(&c, T0 + 200 * SEC, 0x20, 0x30, 0x03, 0x31, 0x08, 0x00, 0x00, 1);
	/* Clearing SET starts the clock from the written time */
	wr(&c, VCMOS_REG_B, VCMOS_B_24H, T0 + 200 * SEC);
	expect(&c, T0 + 200 * SEC, 0x20, 0x30, 0x03, 0x31, 0x08, 0x00, 0x00, 1);
	expect(&c, T0 + 265 * SEC, 0x20, 0x30, 0x03, 0x31, 0x08, 0x01, 0x05, 1);
}

static void test_set_bit_normalises(void **state)
{
	struct vcmos c;

	vcmos_init(&c, 1735689599, T0, KHZ);
	wr(&c, VCMOS_REG_B, VCMOS_B_SET | VCMOS_B_24H, T0);
	wr(&c, VCMOS_MONTH, 0x02, T0);
	wr(&c, VCMOS_YEAR, 0x23, T0);
	/* 2023-02-31 is read back as written while SET holds, then becomes 3 March */
	assert_int_equal(rd(&c, VCMOS_DAY, T0), 0x31);
	wr(&c, VCMOS_REG_B, VCMOS_B_24H, T0);
	expect(&c, T0, 0x20, 0x23, 0x03, 0x03, 0x23, 0x59, 0x59, 6);
}

static void test_write_clamps(void **state)
{
	struct vcmos c;

	vcmos_init(&c, 0, T0, KHZ);
	wr(&c, VCMOS_SEC, 0x75, T0);
	wr(&c, VCMOS_MIN, 0xff, T0);
	wr(&c, VCMOS_HOUR, 0x25, T0);
	wr(&c, VCMOS_MONTH, 0x00, T0);
	wr(&c, VCMOS_DAY, 0x00, T0);
	expect(&c, T0, 0x19, 0x70, 0x01, 0x01, 0x23, 0x59, 0x59, 5);
	wr(&c, VCMOS_MONTH, 0x13, T0);
	assert_int_equal(rd(&c, VCMOS_MONTH, T0), 0x12);
}

static void test_reg_a(void **state)
{
	struct vcmos c;

	vcmos_init(&c, 0, T0, KHZ);
	assert_int_equal(rd(&c, VCMOS_REG_A, T0), 0x26);
	/* UIP never shows, whenever Linux polls */
	for (uint64_t t = T0; t < T0 + 3 * SEC; t += SEC / 7)
		assert_int_equal(rd(&c, VCMOS_REG_A, t) & VCMOS_A_UIP, 0);
	wr(&c, VCMOS_REG_A, 0xa5, T0);
	assert_int_equal(rd(&c, VCMOS_REG_A, T0), 0x25);
}

static void test_reg_b(void **state)
{
	struct vcmos c;

	vcmos_init(&c, 0, T0, KHZ);
	assert_int_equal(rd(&c, VCMOS_REG_B, T0), 0x02);
	wr(&c, VCMOS_REG_B, 0x7f, T0);
	assert_int_equal(rd(&c, VCMOS_REG_B, T0), 0x7f);
}

static void test_reg_c_read_clear(void **state)
{
	struct vcmos c;

	vcmos_init(&c, 0, T0, KHZ);
	assert_int_equal(rd(&c, VCMOS_REG_C, T0), 0x00);
	/* Read-only: a write does not raise flags */
	wr(&c, VCMOS_REG_C, 0xf0, T0);
	assert_int_equal(rd(&c, VCMOS_REG_C, T0), 0x00);
	assert_int_equal(rd(&c, VCMOS_REG_C, T0 + 5 * SEC), 0x00);
}

static void test_reg_d_valid(void **state)
{
	struct vcmos c;

	vcmos_init(&c, 0, T0, KHZ);
	assert_int_equal(rd(&c, VCMOS_REG_D, T0), VCMOS_D_VRT);
	wr(&c, VCMOS_REG_D, 0x00, T0);
	assert_int_equal(rd(&c, VCMOS_REG_D, T0), VCMOS_D_VRT);
	/* Bit 6 must read 0 (Linux checks it before it trusts the time) */
	assert_int_equal(rd(&c, VCMOS_REG_D, T0) & 0x40, 0);
}

static void test_nmi_bit_ignored(void **state)
{
	struct vcmos c;
	uint32_t v;

	vcmos_init(&c, 1735689599, T0, KHZ);
	assert_false(c.nmi_disabled);
	v = 0x80 | VCMOS_MIN;
	assert_true(vcmos_io(&c, 0x70, false, 1, &v, T0));
	assert_true(c.nmi_disabled);
	assert_true(vcmos_io(&c, 0x71, true, 1, &v, T0));
	assert_int_equal(v, 0x59);
	v = 0x80 | 0x0e;
	vcmos_io(&c, 0x70, false, 1, &v, T0);
	v = 0x42;
	vcmos_io(&c, 0x71, false, 1, &v, T0);
	assert_int_equal(rd(&c, 0x0e, T0), 0x42);
	assert_false(c.nmi_disabled);
	/* The index port reads as 0xFF */
	assert_true(vcmos_io(&c, 0x70, true, 1, &v, T0));
	assert_int_equal(v, 0xff);
}

static void test_ram_round_trip(void **state)
{
	struct vcmos c;

	vcmos_init(&c, 0, T0, KHZ);
	for (unsigned i = 0x0e; i < 0x80; i++)
		if (i != VCMOS_CENTURY)
			assert_int_equal(rd(&c, (uint8_t)i, T0), 0);
	for (unsigned i = 0x0e; i < 0x80; i++)
		if (i != VCMOS_CENTURY)
			wr(&c, (uint8_t)i, (uint8_t)(i ^ 0x5a), T0);
	for (unsigned i = 0x0e; i < 0x80; i++)
		if (i != VCMOS_CENTURY)
			assert_int_equal(rd(&c, (uint8_t)i, T0 + 9 * SEC), i ^ 0x5a);
	/* The clock did not move */
	expect(&c, T0, 0x19, 0x70, 0x01, 0x01, 0x00, 0x00, 0x00, 5);
}

static void test_alarm_registers(void **state)
{
	struct vcmos c;

	vcmos_init(&c, 0, T0, KHZ);
	assert_int_equal(rd(&c, VCMOS_SEC_ALARM, T0), 0);
	wr(&c, VCMOS_SEC_ALARM, 0x11, T0);
	wr(&c, VCMOS_MIN_ALARM, 0x22, T0);
	wr(&c, VCMOS_HOUR_ALARM, 0xc0, T0);
	assert_int_equal(rd(&c, VCMOS_SEC_ALARM, T0), 0x11);
	assert_int_equal(rd(&c, VCMOS_MIN_ALARM, T0), 0x22);
	assert_int_equal(rd(&c, VCMOS_HOUR_ALARM, T0), 0xc0);
	assert_int_equal(rd(&c, VCMOS_REG_C, T0 + 86400 * SEC), 0);
}

static void test_index_wraps(void **state)
{
	struct vcmos c;
	uint32_t v;

	vcmos_init(&c, 0, T0, KHZ);
	wr(&c, 0x7f, 0x99, T0);
	/* 0xFF selects 0x7F (with NMI disabled); a 16-bit write uses its low byte */
	v = 0xff;
	vcmos_io(&c, 0x70, false, 1, &v, T0);
	vcmos_io(&c, 0x71, true, 1, &v, T0);
	assert_int_equal(v, 0x99);
	v = 0x1200 | 0x8e;
	vcmos_io(&c, 0x70, false, 2, &v, T0);
	assert_int_equal(c.index, 0x0e);
	v = 0xabcd;
	vcmos_io(&c, 0x71, false, 4, &v, T0);
	assert_int_equal(rd(&c, 0x0e, T0), 0xcd);
}

static void test_wide_reads(void **state)
{
	struct vcmos c;
	uint32_t v;

	vcmos_init(&c, 0, T0, KHZ);
	v = VCMOS_REG_D;
	vcmos_io(&c, 0x70, false, 1, &v, T0);
	assert_true(vcmos_io(&c, 0x71, true, 2, &v, T0));
	assert_int_equal(v, 0xff80);
	assert_true(vcmos_io(&c, 0x71, true, 4, &v, T0));
	assert_int_equal(v, 0xffffff80);
	assert_true(vcmos_io(&c, 0x70, true, 4, &v, T0));
	assert_int_equal(v, 0xffffffff);
}

static void test_other_ports(void **state)
{
	static const uint16_t ports[] = { 0x6f, 0x72, 0x73, 0x61, 0x80, 0x170, 0x171, 0x7170 };
	struct vcmos c, before;
	uint32_t v;

	vcmos_init(&c, 0, T0, KHZ);
	memcpy(&before, &c, sizeof(c));
	for (unsigned i = 0; i < sizeof(ports) / sizeof(ports[0]); i++) {
		v = 0x12345678;
		assert_false(vcmos_io(&c, ports[i], true, 1, &v, T0));
		assert_int_equal(v, 0x12345678);
		assert_false(vcmos_io(&c, ports[i], false, 1, &v, T0));
	}
	assert_memory_equal(&c, &before, sizeof(c));
}

static void test_year_limits(void **state)
{
	struct vcmos c;

	/* Setting century 99, year 99, 31 December 23:59:59: the clock stops at the end */
	vcmos_init(&c, 0, T0, KHZ);
	wr(&c, VCMOS_CENTURY, 0x99, T0);
	wr(&c, VCMOS_YEAR, 0x99, T0);
	wr(&c, VCMOS_MONTH, 0x12, T0);
	wr(&c, VCMOS_DAY, 0x31, T0);
	wr(&c, VCMOS_HOUR, 0x23, T0);
	wr(&c, VCMOS_MIN, 0x59, T0);
	wr(&c, VCMOS_SEC, 0x59, T0);
	expect(&c, T0 + 10 * SEC, 0x99, 0x99, 0x12, 0x31, 0x23, 0x59, 0x59, 6);
	/* Century 0: year 0000 is a leap year in the proleptic Gregorian calendar */
	vcmos_init(&c, 0, T0, KHZ);
	wr(&c, VCMOS_CENTURY, 0x00, T0);
	wr(&c, VCMOS_YEAR, 0x00, T0);
	wr(&c, VCMOS_MONTH, 0x02, T0);
	wr(&c, VCMOS_DAY, 0x29, T0);
	expect(&c, T0, 0x00, 0x00, 0x02, 0x29, 0x00, 0x00, 0x00, 3);
	/* Far too much TSC time saturates instead of wrapping */
	vcmos_init(&c, 4102444800ULL, 0, 1);
	assert_int_equal(rd(&c, VCMOS_CENTURY, UINT64_MAX), 0x99);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_epoch_zero),
		cmocka_unit_test(test_epoch_leap_day_2000),
		cmocka_unit_test(test_epoch_2100),
		cmocka_unit_test(test_leap_year_dec31),
		cmocka_unit_test(test_against_gmtime),
		cmocka_unit_test(test_tsc_advance),
		cmocka_unit_test(test_tsc_khz_real),
		cmocka_unit_test(test_binary_mode),
		cmocka_unit_test(test_12_hour),
		cmocka_unit_test(test_write_sets_clock),
		cmocka_unit_test(test_write_keeps_phase),
		cmocka_unit_test(test_set_bit),
		cmocka_unit_test(test_set_bit_normalises),
		cmocka_unit_test(test_write_clamps),
		cmocka_unit_test(test_reg_a),
		cmocka_unit_test(test_reg_b),
		cmocka_unit_test(test_reg_c_read_clear),
		cmocka_unit_test(test_reg_d_valid),
		cmocka_unit_test(test_nmi_bit_ignored),
		cmocka_unit_test(test_ram_round_trip),
		cmocka_unit_test(test_alarm_registers),
		cmocka_unit_test(test_index_wraps),
		cmocka_unit_test(test_wide_reads),
		cmocka_unit_test(test_other_ports),
		cmocka_unit_test(test_year_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
