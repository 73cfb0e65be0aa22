// SPDX-License-Identifier: GPL-2.0-only
/* The MOV decoder for emulated MMIO (see decode.h for what it accepts and why). */
#include <errno.h>

#include "monitor/decode.h"

#define DECODE_REX_W 0x08
#define DECODE_REX_R 0x04

struct decode_cursor {
	const uint8_t *code;
	size_t n;
	size_t pos;
};

/*
 * Too long wins over truncated: once an instruction needs a 16th byte no amount of fetching
 * makes it valid, so the caller must not be told to retry.
 */
static int decode_need(const struct decode_cursor *c, size_t k)
{
	if (c->pos + k > DECODE_MAX_LEN)
		return -EOPNOTSUPP;
	if (c->pos + k > c->n)
		return -EAGAIN;
	return 0;
}

static int decode_byte(struct decode_cursor *c, uint8_t *b)
{
	int rc = decode_need(c, 1);

	if (rc)
		return rc;
	*b = c->code[c->pos++];
	return 0;
}

/* k little-endian bytes (displacements are skipped the same way: their value is not needed). */
static int decode_le(struct decode_cursor *c, unsigned k, uint64_t *v)
{
	int rc = decode_need(c, k);
	uint64_t x = 0;

	if (rc)
		return rc;
	for (unsigned i = 0; i < k; i++)
		x |= (uint64_t)c->code[c->pos + i] << (8 * i);
	c->pos += k;
	if (v)
		*v = x;
	return 0;
}

/*
 * Step over the memory operand that follows a ModRM byte. 32- and 64-bit addressing share
 * one layout: REX.B and REX.X pick registers but never change which bytes follow, so rm 100
 * means SIB and mod 00 rm 101 means disp32 (RIP-relative in 64-bit mode) even for r12/r13.
 */
static int decode_mem_operand(struct decode_cursor *c, uint8_t modrm, unsigned addr_bytes)
{
	unsigned mod = modrm >> 6, rm = modrm & 7;
	uint8_t sib;
	int rc;

	if (mod == 3)
		return -EINVAL;
	if (addr_bytes == 2) {
		if (mod == 0)
			return rm == 6 ? decode_le(c, 2, NULL) : 0;
		return decode_le(c, mod == 1 ? 1 : 2, NULL);
	}
	if (rm == 4) {
		rc = decode_byte(c, &sib);
		if (rc)
			return rc;
		if (mod == 0 && (sib & 7) == 5)
			return decode_le(c, 4, NULL);
	} else if (mod == 0 && rm == 5) {
		return decode_le(c, 4, NULL);
	}
	if (mod == 0)
		return 0;
	return decode_le(c, mod == 1 ? 1 : 4, NULL);
}

int decode_mov(const uint8_t *code, size_t n, bool long_mode, bool default_32,
	       struct decode_insn *out)
{
	struct decode_cursor c = { code, n, 0 };
	struct decode_insn d = { .src = DECODE_REG };
	bool opsize = false, adsize = false, has_rex = false, modrm_form = true, byte_reg = false;
	unsigned op_bytes, addr_bytes, imm_bytes = 0;
	uint8_t b, rex = 0, modrm;
	uint64_t imm;
	int rc;

	if (!code || !out)
		return -EINVAL;
	/*
	 * Prefixes. The byte after a REX is always taken as the opcode: a legacy prefix or a
	 * second REX there would make the CPU ignore the first REX, a form no compiler emits,
	 * so it lands in the opcode switch and is refused. LOCK and REP are refused the same way.
	 */
	for (;;) {
		rc = decode_byte(&c, &b);
		if (rc)
			return rc;
		if (has_rex)
			break;
		if (b == 0x66) {
			opsize = true;
		} else if (b == 0x67) {
			adsize = true;
		} else if (b == 0x26 || b == 0x2e || b == 0x36 || b == 0x3e || b == 0x64 ||
			   b == 0x65) {
			continue;
		} else if (long_mode && (b & 0xf0) == 0x40) {
			has_rex = true;
			rex = b;
		} else {
			break;
		}
	}

	if (long_mode) {
		op_bytes = rex & DECODE_REX_W ? 8 : opsize ? 2 : 4;
		addr_bytes = adsize ? 4 : 8;
	} else {
		op_bytes = default_32 != opsize ? 4 : 2;
		addr_bytes = default_32 != adsize ? 4 : 2;
	}

	switch (b) {
	case 0x88:
	case 0x8a:
		d.write = b == 0x88;
		d.size = 1;
		byte_reg = true;
		break;
	case 0x89:
	case 0x8b:
		d.write = b == 0x89;
		d.size = op_bytes;
		break;
	case 0xc6:
		d.write = true;
		d.size = 1;
		d.src = DECODE_IMM;
		imm_bytes = 1;
		break;
	case 0xc7:
		d.write = true;
		d.size = op_bytes;
		d.src = DECODE_IMM;
		imm_bytes = op_bytes == 2 ? 2 : 4;
		break;
	case 0x0f:
		rc = decode_byte(&c, &b);
		if (rc)
			return rc;
		if (b != 0xb6 && b != 0xb7)
			return -EOPNOTSUPP;
		d.size = b == 0xb6 ? 1 : 2;
		d.dst_size = op_bytes;
		d.zero_extend = true;
		break;
	case 0xa0:
	case 0xa1:
	case 0xa2:
	case 0xa3:
		/* The offset is as wide as the address: 8 bytes in 64-bit mode without 67. */
		d.write = b >= 0xa2;
		d.size = b & 1 ? op_bytes : 1;
		rc = decode_le(&c, addr_bytes, NULL);
		if (rc)
			return rc;
		modrm_form = false;
		break;
	default:
		return -EOPNOTSUPP;
	}

	if (modrm_form) {
		rc = decode_byte(&c, &modrm);
		if (rc)
			return rc;
		d.reg = (modrm >> 3) & 7;
		/* C6/C7 with reg != 0 are #UD or XABORT/XBEGIN, never a store. */
		if (d.src == DECODE_IMM && d.reg)
			return -EOPNOTSUPP;
		if (rex & DECODE_REX_R)
			d.reg |= 8;
		rc = decode_mem_operand(&c, modrm, addr_bytes);
		if (rc)
			return rc;
		if (byte_reg && !has_rex && d.reg >= 4) {
			d.reg -= 4;
			d.high_byte = true;
		}
		if (d.src == DECODE_IMM)
			d.reg = 0;
	}

	if (imm_bytes) {
		rc = decode_le(&c, imm_bytes, &imm);
		if (rc)
			return rc;
		/* imm32 is sign-extended to a 64-bit store (REX.W C7). */
		if (d.size == 8)
			imm = (uint64_t)(int64_t)(int32_t)(uint32_t)imm;
		d.imm = imm;
	}

	if (!d.write && !d.zero_extend)
		d.dst_size = d.size;
	d.len = (uint8_t)c.pos;
	*out = d;
	return 0;
}

static uint64_t decode_mask(unsigned size)
{
	return size >= 8 ? ~0ULL : (1ULL << (8 * size)) - 1;
}

void decode_apply_read(const struct decode_insn *d, uint64_t regs[16], uint64_t val)
{
	unsigned dst;
	uint64_t *r;

	if (d->write || d->reg > 15)
		return;
	r = &regs[d->reg];
	val &= decode_mask(d->size);
	if (d->high_byte) {
		*r = (*r & ~0xff00ULL) | val << 8;
		return;
	}
	dst = d->dst_size ? d->dst_size : d->size;
	/* A 32-bit destination clears bits 63:32; narrower ones leave the rest alone. */
	if (dst >= 4)
		*r = val;
	else
		*r = (*r & ~decode_mask(dst)) | val;
}

uint64_t decode_write_value(const struct decode_insn *d, const uint64_t regs[16])
{
	uint64_t v;

	if (d->src == DECODE_IMM)
		return d->imm & decode_mask(d->size);
	if (d->reg > 15)
		return 0;
	v = regs[d->reg];
	if (d->high_byte)
		v >>= 8;
	return v & decode_mask(d->size);
}
