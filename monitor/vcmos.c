// SPDX-License-Identifier: GPL-2.0-only
/* The virtual CMOS/RTC (see vcmos.h). */
#include <string.h>

#include "monitor/vcmos.h"

#include "lib/date.h"

#define VCMOS_DAY_SECONDS 86400
/* 0000-01-01 and 9999-12-31 relative to 1970-01-01: the years a two-digit century covers. */
#define VCMOS_MIN_DAYS (-719528LL)
#define VCMOS_MAX_DAYS 2932896LL

/*
 * Howard Hinnant's civil_from_days (the inverse of lib/date.c's days_from_civil): proleptic
 * Gregorian, exact for any year, with floor division written out for negative days.
 */
static void vcmos_civil_from_days(int64_t z, struct vcmos_tm *tm)
{
	int64_t era;
	unsigned doe, yoe, doy, mp, m;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	m = mp < 10 ? mp + 3 : mp - 9;
	tm->day = (uint8_t)(doy - (153 * mp + 2) / 5 + 1);
	tm->month = (uint8_t)m;
	tm->year = (uint16_t)(yoe + era * 400 + (m <= 2));
}

static void vcmos_to_tm(int64_t s, struct vcmos_tm *tm)
{
	int64_t days = s / VCMOS_DAY_SECONDS, sod = s % VCMOS_DAY_SECONDS;

	if (sod < 0) {
		sod += VCMOS_DAY_SECONDS;
		days--;
	}
	vcmos_civil_from_days(days, tm);
	tm->hour = (uint8_t)(sod / 3600);
	tm->min = (uint8_t)(sod / 60 % 60);
	tm->sec = (uint8_t)(sod % 60);
}

static int64_t vcmos_from_tm(const struct vcmos_tm *tm)
{
	return date_days_from_civil(tm->year, tm->month, tm->day) * VCMOS_DAY_SECONDS +
	       tm->hour * 3600 + tm->min * 60 + tm->sec;
}

/* Keep the clock where the registers can show it: years 0000..9999. */
static int64_t vcmos_clamp(int64_t s)
{
	if (s < VCMOS_MIN_DAYS * VCMOS_DAY_SECONDS)
		return VCMOS_MIN_DAYS * VCMOS_DAY_SECONDS;
	if (s > VCMOS_MAX_DAYS * VCMOS_DAY_SECONDS + VCMOS_DAY_SECONDS - 1)
		return VCMOS_MAX_DAYS * VCMOS_DAY_SECONDS + VCMOS_DAY_SECONDS - 1;
	return s;
}

static uint64_t vcmos_elapsed(const struct vcmos *c, uint64_t now)
{
	if (!c->tsc_hz || now <= c->base_tsc)
		return 0;
	return (now - c->base_tsc) / c->tsc_hz;
}

int64_t vcmos_time(const struct vcmos *c, uint64_t now)
{
	uint64_t e = vcmos_elapsed(c, now);

	/* Past year 9999 anyway; also keeps the addition from overflowing. */
	if (e > (uint64_t)VCMOS_MAX_DAYS * 2 * VCMOS_DAY_SECONDS)
		e = (uint64_t)VCMOS_MAX_DAYS * 2 * VCMOS_DAY_SECONDS;
	return vcmos_clamp(c->base_seconds + (int64_t)e);
}

/*
 * Set the clock to `s` now. Only whole elapsed seconds move into the base, so the sub-second
 * phase carries on: writing one field does not restart the second, as on the chip, whose
 * divider chain runs on through such writes.
 */
static void vcmos_rebase(struct vcmos *c, uint64_t now, int64_t s)
{
	if (c->tsc_hz)
		c->base_tsc += vcmos_elapsed(c, now) * c->tsc_hz;
	else
		c->base_tsc = now;
	c->base_seconds = vcmos_clamp(s);
}

void vcmos_init(struct vcmos *c, uint64_t unix_seconds, uint64_t now, uint64_t tsc_khz)
{
	memset(c, 0, sizeof(*c));
	c->base_seconds = vcmos_clamp(unix_seconds > (uint64_t)INT64_MAX ? INT64_MAX :
				      (int64_t)unix_seconds);
	c->base_tsc = now;
	c->tsc_hz = tsc_khz > UINT64_MAX / 1000 ? UINT64_MAX : tsc_khz * 1000;
	c->ram[VCMOS_REG_A] = 0x26;
	c->ram[VCMOS_REG_B] = VCMOS_B_24H;
	c->ram[VCMOS_REG_D] = VCMOS_D_VRT;
}

static bool vcmos_binary(const struct vcmos *c)
{
	return c->ram[VCMOS_REG_B] & VCMOS_B_DM;
}

static uint8_t vcmos_encode(const struct vcmos *c, unsigned v)
{
	return vcmos_binary(c) ? (uint8_t)v : (uint8_t)((v / 10) << 4 | v % 10);
}

/* Invalid BCD digits decode to what the arithmetic gives; the caller clamps. */
static unsigned vcmos_decode(const struct vcmos *c, uint8_t v)
{
	return vcmos_binary(c) ? v : (v >> 4) * 10u + (v & 15);
}

static unsigned vcmos_min(unsigned v, unsigned max)
{
	return v > max ? max : v;
}

static void vcmos_current(const struct vcmos *c, uint64_t now, struct vcmos_tm *tm)
{
	if (c->ram[VCMOS_REG_B] & VCMOS_B_SET)
		*tm = c->latched;
	else
		vcmos_to_tm(vcmos_time(c, now), tm);
}

static uint8_t vcmos_read_time(const struct vcmos *c, uint8_t reg, uint64_t now)
{
	struct vcmos_tm tm;
	int64_t days;
	unsigned h;

	vcmos_current(c, now, &tm);
	switch (reg) {
	case VCMOS_SEC:
		return vcmos_encode(c, tm.sec);
	case VCMOS_MIN:
		return vcmos_encode(c, tm.min);
	case VCMOS_HOUR:
		if (c->ram[VCMOS_REG_B] & VCMOS_B_24H)
			return vcmos_encode(c, tm.hour);
		h = tm.hour % 12;
		return vcmos_encode(c, h ? h : 12) | (tm.hour >= 12 ? 0x80 : 0);
	case VCMOS_WEEKDAY:
		/* 1970-01-01 was a Thursday: day 0 is weekday 4 counting Sunday as 0. */
		days = date_days_from_civil(tm.year, tm.month, tm.day);
		return vcmos_encode(c, (unsigned)((days % 7 + 7 + 4) % 7) + 1);
	case VCMOS_DAY:
		return vcmos_encode(c, tm.day);
	case VCMOS_MONTH:
		return vcmos_encode(c, tm.month);
	case VCMOS_YEAR:
		return vcmos_encode(c, tm.year % 100);
	default:
		return vcmos_encode(c, tm.year / 100);
	}
}

static void vcmos_write_time(struct vcmos *c, uint8_t reg, uint8_t v, uint64_t now)
{
	struct vcmos_tm tm;
	unsigned x;
	bool pm;

	vcmos_current(c, now, &tm);
	switch (reg) {
	case VCMOS_SEC:
		tm.sec = (uint8_t)vcmos_min(vcmos_decode(c, v), 59);
		break;
	case VCMOS_MIN:
		tm.min = (uint8_t)vcmos_min(vcmos_decode(c, v), 59);
		break;
	case VCMOS_HOUR:
		if (c->ram[VCMOS_REG_B] & VCMOS_B_24H) {
			x = vcmos_decode(c, v);
		} else {
			pm = v & 0x80;
			x = vcmos_decode(c, v & 0x7f);
			x = (x == 12 ? 0 : x) + (pm ? 12 : 0);
		}
		tm.hour = (uint8_t)vcmos_min(x, 23);
		break;
	case VCMOS_WEEKDAY:
		return;
	case VCMOS_DAY:
		x = vcmos_min(vcmos_decode(c, v), 31);
		tm.day = (uint8_t)(x ? x : 1);
		break;
	case VCMOS_MONTH:
		x = vcmos_min(vcmos_decode(c, v), 12);
		tm.month = (uint8_t)(x ? x : 1);
		break;
	case VCMOS_YEAR:
		tm.year = (uint16_t)(tm.year / 100 * 100 + vcmos_min(vcmos_decode(c, v), 99));
		break;
	default:
		tm.year = (uint16_t)(vcmos_min(vcmos_decode(c, v), 99) * 100 + tm.year % 100);
		break;
	}
	if (c->ram[VCMOS_REG_B] & VCMOS_B_SET)
		c->latched = tm;
	else
		vcmos_rebase(c, now, vcmos_from_tm(&tm));
}

static bool vcmos_is_time(uint8_t reg)
{
	return reg == VCMOS_SEC || reg == VCMOS_MIN || reg == VCMOS_HOUR ||
	       reg == VCMOS_WEEKDAY || reg == VCMOS_DAY || reg == VCMOS_MONTH ||
	       reg == VCMOS_YEAR || reg == VCMOS_CENTURY;
}

static uint8_t vcmos_read(struct vcmos *c, uint64_t now)
{
	uint8_t reg = c->index, v;

	if (vcmos_is_time(reg))
		return vcmos_read_time(c, reg, now);
	v = c->ram[reg];
	if (reg == VCMOS_REG_C)
		c->ram[reg] = 0;
	return v;
}

static void vcmos_write(struct vcmos *c, uint8_t v, uint64_t now)
{
	uint8_t reg = c->index, old = c->ram[VCMOS_REG_B];

	if (vcmos_is_time(reg)) {
		vcmos_write_time(c, reg, v, now);
		return;
	}
	switch (reg) {
	case VCMOS_REG_A:
		c->ram[reg] = v & ~VCMOS_A_UIP;
		break;
	case VCMOS_REG_B:
		if (v & VCMOS_B_SET)
			v &= ~VCMOS_B_UIE;
		/* Freeze the fields on SET; start from them, normalised, when SET clears. */
		if (!(old & VCMOS_B_SET) && (v & VCMOS_B_SET))
			vcmos_to_tm(vcmos_time(c, now), &c->latched);
		else if ((old & VCMOS_B_SET) && !(v & VCMOS_B_SET))
			vcmos_rebase(c, now, vcmos_from_tm(&c->latched));
		c->ram[reg] = v;
		break;
	case VCMOS_REG_C:
	case VCMOS_REG_D:
		break;
	default:
		c->ram[reg] = v;
		break;
	}
}

bool vcmos_io(struct vcmos *c, uint16_t port, bool in, uint8_t size, uint32_t *val, uint64_t now)
{
	uint8_t b;

	if (port != VCMOS_PORT_INDEX && port != VCMOS_PORT_DATA)
		return false;
	if (in) {
		b = port == VCMOS_PORT_INDEX ? 0xff : vcmos_read(c, now);
		*val = size == 4 ? 0xffffff00u | b : size == 2 ? 0xff00u | b : b;
		return true;
	}
	b = (uint8_t)*val;
	if (port == VCMOS_PORT_INDEX) {
		c->index = b & 0x7f;
		c->nmi_disabled = b & 0x80;
	} else {
		vcmos_write(c, b, now);
	}
	return true;
}
