// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz the MMIO MOV decoder on arbitrary bytes. The first byte picks the mode (bit 0: 64-bit,
 * bit 1: CS.D), the rest is the code. A decode must be self-consistent: the length fits the
 * bytes and the 15-byte limit, the same bytes cut to that length decode the same, one byte
 * fewer asks for more, and the register helpers stay inside the register image.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "monitor/decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Field by field: the structs' padding is not part of the answer. */
static bool fz_same(const struct decode_insn *a, const struct decode_insn *b)
{
	return a->len == b->len && a->size == b->size && a->write == b->write &&
	       a->src == b->src && a->reg == b->reg && a->high_byte == b->high_byte &&
	       a->dst_size == b->dst_size && a->zero_extend == b->zero_extend && a->imm == b->imm;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct decode_insn d, again;
	bool lm, d32;
	uint64_t regs[16], v;
	int rc;

	if (!size)
		return 0;
	lm = data[0] & 1;
	d32 = data[0] & 2;
	data++;
	size--;

	rc = decode_mov(data, size, lm, d32, &d);
	if (rc == -EAGAIN) {
		if (size >= DECODE_MAX_LEN)
			abort();
		return 0;
	}
	if (rc == -EOPNOTSUPP || rc == -EINVAL)
		return 0;
	if (rc)
		abort();

	if (!d.len || d.len > DECODE_MAX_LEN || d.len > size)
		abort();
	if (d.size != 1 && d.size != 2 && d.size != 4 && d.size != 8)
		abort();
	if (d.size == 8 && !lm)
		abort();
	if (d.reg > 15)
		abort();
	if (d.high_byte && (d.reg > 3 || d.size != 1 || d.zero_extend))
		abort();
	if (d.write) {
		if (d.dst_size || d.zero_extend)
			abort();
		if (d.src == DECODE_IMM && d.reg)
			abort();
		if (d.src == DECODE_IMM && d.size < 8 && d.imm >> (8 * d.size))
			abort();
	} else {
		if (d.src != DECODE_REG)
			abort();
		if (d.zero_extend ? d.dst_size < d.size : d.dst_size != d.size)
			abort();
	}

	if (decode_mov(data, d.len, lm, d32, &again) || !fz_same(&d, &again))
		abort();
	if (decode_mov(data, d.len - 1, lm, d32, &again) != -EAGAIN)
		abort();

	memset(regs, 0xa5, sizeof(regs));
	v = decode_write_value(&d, regs);
	if (d.size < 8 && v >> (8 * d.size))
		abort();
	decode_apply_read(&d, regs, ~0ULL);
	for (unsigned i = 0; i < 16; i++)
		if (i != d.reg && regs[i] != 0xa5a5a5a5a5a5a5a5ULL)
			abort();
	return 0;
}
