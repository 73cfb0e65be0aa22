// SPDX-License-Identifier: GPL-2.0-only
/* Work units, their jump-ahead check, the region pattern and its checksum (see work.h). */
#include "guests/lib/work.h"

uint64_t work_unit(uint64_t x, uint32_t buf[WORK_BUF_WORDS], uint64_t steps)
{
	for (uint64_t i = 0; i < steps; i++) {
		x = x * WORK_LCG_MUL + WORK_LCG_ADD;
		/* The top bits are the LCG's best; they pick the slot, the middle ones are added. */
		buf[x >> 54] += (uint32_t)(x >> 32);
	}
	return x;
}

uint64_t work_expect(uint64_t x, uint64_t steps)
{
	uint64_t acc_mul = 1, acc_add = 0, cur_mul = WORK_LCG_MUL, cur_add = WORK_LCG_ADD;

	/* Compose the affine map x -> mul * x + add with itself, one bit of steps at a time. */
	for (; steps; steps >>= 1) {
		if (steps & 1) {
			acc_mul *= cur_mul;
			acc_add = acc_add * cur_mul + cur_add;
		}
		cur_add = (cur_mul + 1) * cur_add;
		cur_mul *= cur_mul;
	}
	return acc_mul * x + acc_add;
}

void work_pattern_fill(uint64_t *words, size_t n, uint64_t seed)
{
	/* xorshift64* (Vigna): a zero state would stay zero, so never start from one. */
	uint64_t s = seed ? seed : 0x9e3779b97f4a7c15ull;

	for (size_t i = 0; i < n; i++) {
		s ^= s >> 12;
		s ^= s << 25;
		s ^= s >> 27;
		words[i] = s * 0x2545f4914f6cdd1dull;
	}
}

uint64_t work_checksum(const uint64_t *words, size_t n)
{
	uint64_t a = 0, b = 0;

	for (size_t i = 0; i < n; i++) {
		a += words[i];
		b += a;
	}
	return a ^ (b << 32 | b >> 32);
}
