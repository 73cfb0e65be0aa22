/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The heartbeat's measurable work and its self-checks, as pure functions:
 *  - a work unit: a fixed number of steps of a 64-bit LCG, each also scattering into a 4 KiB
 *    buffer. The LCG state lives in registers for the whole unit, so a monitor that loses or
 *    corrupts a register across a world switch changes the result;
 *  - the expected result without doing the work (LCG jump-ahead, O(log n));
 *  - a pattern to fill a memory region with and a checksum to watch it by.
 */
#ifndef TWINMON_GUESTS_WORK_H
#define TWINMON_GUESTS_WORK_H

#include <stddef.h>
#include <stdint.h>

/* Knuth's MMIX LCG: full period modulo 2^64. */
#define WORK_LCG_MUL	6364136223846793005ull
#define WORK_LCG_ADD	1442695040888963407ull
#define WORK_BUF_WORDS	1024	/* 4 KiB of uint32_t */

/* Run one unit of `steps` LCG steps from x, updating buf; returns the new state. */
uint64_t work_unit(uint64_t x, uint32_t buf[WORK_BUF_WORDS], uint64_t steps);

/* The state work_unit() returns, computed by jump-ahead (Brown, "Random number generation
 * with arbitrary strides", 1994). */
uint64_t work_expect(uint64_t x, uint64_t steps);

/* Fill words[0..n) with a sequence that depends on seed and on each word's position. */
void work_pattern_fill(uint64_t *words, size_t n, uint64_t seed);

/*
 * Fletcher-style checksum of words[0..n): a = sum of the words, b = sum of the running a's,
 * returned as a ^ rotl(b, 32). Any single changed word changes a; any two different words
 * swapped change b.
 */
uint64_t work_checksum(const uint64_t *words, size_t n);

#endif
