// SPDX-License-Identifier: GPL-2.0-only
/* The MMIO MOV decoder (monitor/decode.c): lengths, sizes, registers, refusals, register merges. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "monitor/decode.h"

#define BYTES(...) (const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ })

enum { M64, M32, M16 };

static int dec(int mode, const uint8_t *b, size_t n, struct decode_insn *d)
{
	return decode_mov(b, n, mode == M64, mode != M16, d);
}

/* Decode, require success, and check the fields every form has. */
static struct decode_insn ok(int mode, const uint8_t *b, size_t n, unsigned len, unsigned size,
			     bool write)
{
	struct decode_insn d;

	memset(&d, 0xcc, sizeof(d));
	assert_int_equal(dec(mode, b, n, &d), 0);
	assert_int_equal(d.len, len);
	assert_int_equal(d.size, size);
	assert_int_equal(d.write, write);
	return d;
}

static void fails(int mode, const uint8_t *b, size_t n, int err)
{
	struct decode_insn d, before;

	memset(&d, 0xa5, sizeof(d));
	before = d;
	assert_int_equal(dec(mode, b, n, &d), err);
	/* Nothing is written on failure. */
	assert_memory_equal(&d, &before, sizeof(d));
}

static void reg_read(struct decode_insn d, unsigned reg)
{
	assert_int_equal(d.src, DECODE_REG);
	assert_int_equal(d.reg, reg);
	assert_false(d.high_byte);
	assert_false(d.zero_extend);
	assert_int_equal(d.dst_size, d.size);
}

static void reg_write(struct decode_insn d, unsigned reg)
{
	assert_int_equal(d.src, DECODE_REG);
	assert_int_equal(d.reg, reg);
	assert_false(d.high_byte);
	assert_int_equal(d.dst_size, 0);
}

/* ---- the forms Linux 6.1 uses on the APIC page ---- */

static void test_linux_read_rdi_disp32(void **state)
{
	/* mov eax, [rdi+0x300] */
	reg_read(ok(M64, BYTES(0x8b, 0x87, 0x00, 0x03, 0x00, 0x00), 6, 4, false), 0);
}

static void test_linux_write_rdi_disp32(void **state)
{
	/* mov [rdi+0x380], esi */
	reg_write(ok(M64, BYTES(0x89, 0xb7, 0x80, 0x03, 0x00, 0x00), 6, 4, true), 6);
}

static void test_linux_read_abs32_sib(void **state)
{
	/* mov eax, [0xfffffffffee00320]: SIB with no base and no index */
	reg_read(ok(M64, BYTES(0x8b, 0x04, 0x25, 0x20, 0x03, 0xe0, 0xfe), 7, 4, false), 0);
}

static void test_linux_write_abs32_sib(void **state)
{
	/* mov [abs32], edi and mov [abs32], edx */
	reg_write(ok(M64, BYTES(0x89, 0x3c, 0x25, 0xb0, 0x00, 0xe0, 0xfe), 7, 4, true), 7);
	reg_write(ok(M64, BYTES(0x89, 0x14, 0x25, 0x00, 0x03, 0xe0, 0xfe), 7, 4, true), 2);
}

/* ---- REX ---- */

static void test_rex_w_rip_relative(void **state)
{
	/* mov rax, [rip+disp32] */
	reg_read(ok(M64, BYTES(0x48, 0x8b, 0x05, 0x10, 0x20, 0x30, 0x00), 7, 8, false), 0);
	/* mov rdx, [rip-4]: the displacement's value does not matter */
	reg_read(ok(M64, BYTES(0x48, 0x8b, 0x15, 0xfc, 0xff, 0xff, 0xff), 7, 8, false), 2);
}

static void test_rex_r_sib(void **state)
{
	/* mov [rsp], r8d */
	reg_write(ok(M64, BYTES(0x44, 0x89, 0x04, 0x24), 4, 4, true), 8);
	/* mov r15d, [rsp+8] */
	reg_read(ok(M64, BYTES(0x44, 0x8b, 0x7c, 0x24, 0x08), 5, 4, false), 15);
}

static void test_rex_b_disp8(void **state)
{
	/* mov eax, [r13+8]: REX.B changes the register, not the layout */
	reg_read(ok(M64, BYTES(0x41, 0x8b, 0x45, 0x08), 4, 4, false), 0);
	/* mov eax, [r12]: rm 100 still means SIB */
	reg_read(ok(M64, BYTES(0x41, 0x8b, 0x04, 0x24), 4, 4, false), 0);
	/* mov eax, [rip+disp32], not [r13]: mod 00 rm 101 stays RIP-relative under REX.B */
	reg_read(ok(M64, BYTES(0x41, 0x8b, 0x05, 0, 0, 0, 0), 7, 4, false), 0);
	/* mov eax, [r13+0] needs the disp8 form */
	reg_read(ok(M64, BYTES(0x41, 0x8b, 0x45, 0x00), 4, 4, false), 0);
}

static void test_rex_wr(void **state)
{
	/* mov [rdi+0x300], r12 */
	reg_write(ok(M64, BYTES(0x4c, 0x89, 0xa7, 0x00, 0x03, 0, 0), 7, 8, true), 12);
	/* mov [rax], r9 */
	reg_write(ok(M64, BYTES(0x4c, 0x89, 0x08), 3, 8, true), 9);
	/* mov r11, [rcx+r10*8+0x10]: REX.WRX */
	reg_read(ok(M64, BYTES(0x4e, 0x8b, 0x5c, 0xd1, 0x10), 5, 8, false), 11);
}

static void test_rex_w_beats_66(void **state)
{
	reg_read(ok(M64, BYTES(0x66, 0x48, 0x8b, 0x07), 4, 8, false), 0);
}

static void test_rex_not_last_refused(void **state)
{
	/* The CPU would ignore a REX that is not last; no compiler emits it: refuse. */
	fails(M64, BYTES(0x48, 0x66, 0x89, 0x07), -EOPNOTSUPP);
	fails(M64, BYTES(0x48, 0x65, 0x8b, 0x07), -EOPNOTSUPP);
	fails(M64, BYTES(0x41, 0x48, 0x8b, 0x07), -EOPNOTSUPP);
}

/* ---- operand size ---- */

static void test_opsize_16(void **state)
{
	struct decode_insn d;

	/* mov [rdi], ax */
	reg_write(ok(M64, BYTES(0x66, 0x89, 0x07), 3, 2, true), 0);
	/* mov r9w, [rdi+0x10] */
	reg_read(ok(M64, BYTES(0x66, 0x44, 0x8b, 0x4f, 0x10), 5, 2, false), 9);
	/* mov word [rdi], 0x1234: a 16-bit immediate */
	d = ok(M64, BYTES(0x66, 0xc7, 0x07, 0x34, 0x12), 5, 2, true);
	assert_int_equal(d.src, DECODE_IMM);
	assert_int_equal(d.imm, 0x1234);
	/* A repeated 66 is still one operand-size prefix. */
	reg_write(ok(M64, BYTES(0x66, 0x66, 0x89, 0x07), 4, 2, true), 0);
}

/* ---- byte registers ---- */

static void test_byte_low(void **state)
{
	/* mov [rdi], al; mov bl, [rsi+1] */
	reg_write(ok(M64, BYTES(0x88, 0x07), 2, 1, true), 0);
	reg_read(ok(M64, BYTES(0x8a, 0x5e, 0x01), 3, 1, false), 3);
}

static void test_byte_high_without_rex(void **state)
{
	struct decode_insn d;

	/* mov [rdi], ah */
	d = ok(M64, BYTES(0x88, 0x27), 2, 1, true);
	assert_int_equal(d.reg, 0);
	assert_true(d.high_byte);
	/* mov ch, [rdi] */
	d = ok(M64, BYTES(0x8a, 0x2f), 2, 1, false);
	assert_int_equal(d.reg, 1);
	assert_true(d.high_byte);
	assert_int_equal(d.dst_size, 1);
	/* mov [rax], bh in 32-bit code */
	d = ok(M32, BYTES(0x88, 0x38), 2, 1, true);
	assert_int_equal(d.reg, 3);
	assert_true(d.high_byte);
}

static void test_byte_rex_spl_sil(void **state)
{
	/* mov al, sil (40 88 f0) is register to register: not a memory access */
	fails(M64, BYTES(0x40, 0x88, 0xf0), -EINVAL);
	/* mov [rdi], sil: with any REX, 4-7 are SPL BPL SIL DIL */
	reg_write(ok(M64, BYTES(0x40, 0x88, 0x37), 3, 1, true), 6);
	/* mov spl, [rdi] */
	reg_read(ok(M64, BYTES(0x40, 0x8a, 0x27), 3, 1, false), 4);
	/* mov [rax], r12b; REX.W does not widen a byte move */
	reg_write(ok(M64, BYTES(0x44, 0x88, 0x20), 3, 1, true), 12);
	reg_write(ok(M64, BYTES(0x48, 0x88, 0x3f), 3, 1, true), 7);
}

/* ---- immediates ---- */

static void test_imm_rip_relative(void **state)
{
	/* mov dword [rip+0x100], 0xdeadbeef */
	struct decode_insn d = ok(M64, BYTES(0xc7, 0x05, 0x00, 0x01, 0x00, 0x00, 0xef, 0xbe, 0xad,
					     0xde), 10, 4, true);

	assert_int_equal(d.src, DECODE_IMM);
	assert_int_equal(d.imm, 0xdeadbeef);
	assert_int_equal(d.dst_size, 0);
}

static void test_imm_disp32(void **state)
{
	/* mov dword [rax+0x300], 0x12345678 */
	struct decode_insn d = ok(M64, BYTES(0xc7, 0x80, 0x00, 0x03, 0x00, 0x00, 0x78, 0x56, 0x34,
					     0x12), 10, 4, true);

	assert_int_equal(d.imm, 0x12345678);
	/* mov dword [rsp+8], 1 */
	d = ok(M64, BYTES(0xc7, 0x44, 0x24, 0x08, 0x01, 0x00, 0x00, 0x00), 8, 4, true);
	assert_int_equal(d.imm, 1);
}

static void test_imm_sign_extension(void **state)
{
	struct decode_insn d;

	/* mov qword [rdi], -1 */
	d = ok(M64, BYTES(0x48, 0xc7, 0x07, 0xff, 0xff, 0xff, 0xff), 7, 8, true);
	assert_int_equal(d.imm, UINT64_MAX);
	d = ok(M64, BYTES(0x48, 0xc7, 0x07, 0x00, 0x00, 0x00, 0x80), 7, 8, true);
	assert_int_equal(d.imm, 0xffffffff80000000ULL);
	d = ok(M64, BYTES(0x48, 0xc7, 0x07, 0x78, 0x56, 0x34, 0x12), 7, 8, true);
	assert_int_equal(d.imm, 0x12345678);
	/* Without REX.W the 32-bit value is stored as is. */
	d = ok(M64, BYTES(0xc7, 0x07, 0xff, 0xff, 0xff, 0xff), 6, 4, true);
	assert_int_equal(d.imm, 0xffffffff);
}

static void test_imm_byte(void **state)
{
	struct decode_insn d;

	/* mov byte [rdi+4], 0xab */
	d = ok(M64, BYTES(0xc6, 0x47, 0x04, 0xab), 4, 1, true);
	assert_int_equal(d.src, DECODE_IMM);
	assert_int_equal(d.imm, 0xab);
	/* REX.R on C6 is only noise in the reg field: still a store of the immediate. */
	d = ok(M64, BYTES(0x44, 0xc6, 0x07, 0x01), 4, 1, true);
	assert_int_equal(d.imm, 1);
	assert_int_equal(d.reg, 0);
}

static void test_imm_reg_field_refused(void **state)
{
	/* C6/C7 with reg != 0: #UD, or XABORT/XBEGIN (C6 F8, C7 F8) */
	fails(M64, BYTES(0xc6, 0x0f, 0x01), -EOPNOTSUPP);
	fails(M64, BYTES(0xc7, 0x4f, 0x04, 0, 0, 0, 0), -EOPNOTSUPP);
	fails(M64, BYTES(0xc6, 0xf8, 0x01), -EOPNOTSUPP);
	fails(M64, BYTES(0xc7, 0xf8, 0, 0, 0, 0), -EOPNOTSUPP);
}

/* ---- addressing forms ---- */

static void test_sib_every_mod(void **state)
{
	/* [rsp], [rsp+8], [rsp+0x100] */
	reg_read(ok(M64, BYTES(0x8b, 0x04, 0x24), 3, 4, false), 0);
	reg_read(ok(M64, BYTES(0x8b, 0x44, 0x24, 0x08), 4, 4, false), 0);
	reg_read(ok(M64, BYTES(0x8b, 0x84, 0x24, 0x00, 0x01, 0x00, 0x00), 7, 4, false), 0);
	/* base 101: no base with mod 00 (disp32), rbp with mod 01/10 */
	reg_read(ok(M64, BYTES(0x8b, 0x04, 0x25, 0, 0, 0, 0), 7, 4, false), 0);
	reg_read(ok(M64, BYTES(0x8b, 0x44, 0x25, 0x08), 4, 4, false), 0);
	reg_read(ok(M64, BYTES(0x8b, 0x84, 0x25, 0, 1, 0, 0), 7, 4, false), 0);
	/* [rax+rcx*4+disp] with each mod, and no base plus index: [rcx*8+disp32] */
	reg_read(ok(M64, BYTES(0x8b, 0x04, 0x88), 3, 4, false), 0);
	reg_read(ok(M64, BYTES(0x8b, 0x44, 0x88, 0x7f), 4, 4, false), 0);
	reg_read(ok(M64, BYTES(0x8b, 0x84, 0x88, 0, 0, 0, 0x80), 7, 4, false), 0);
	reg_read(ok(M64, BYTES(0x8b, 0x04, 0xcd, 0, 0, 0, 0), 7, 4, false), 0);
}

static void test_all_modrm_lengths(void **state)
{
	/* ModRM then SIB 0x00 ([rax+rax]) then zeros: the length follows mod and rm alone. */
	static const unsigned len[3][8] = {
		{ 2, 2, 2, 2, 3, 6, 2, 2 },
		{ 3, 3, 3, 3, 4, 3, 3, 3 },
		{ 6, 6, 6, 6, 7, 6, 6, 6 },
	};

	for (unsigned modrm = 0; modrm < 0xc0; modrm++) {
		uint8_t b[15] = { 0x8b, (uint8_t)modrm };
		struct decode_insn d;

		assert_int_equal(decode_mov(b, sizeof(b), true, true, &d), 0);
		assert_int_equal(d.len, len[modrm >> 6][modrm & 7]);
		assert_int_equal(d.reg, (modrm >> 3) & 7);
		/* 32-bit code has the same layout (absolute instead of RIP-relative). */
		assert_int_equal(decode_mov(b, sizeof(b), false, true, &d), 0);
		assert_int_equal(d.len, len[modrm >> 6][modrm & 7]);
	}
	for (unsigned modrm = 0xc0; modrm < 0x100; modrm++) {
		uint8_t b[15] = { 0x89, (uint8_t)modrm };
		struct decode_insn d;

		assert_int_equal(decode_mov(b, sizeof(b), true, true, &d), -EINVAL);
	}
}

static void test_addr_size_67_long_mode(void **state)
{
	/* 32-bit addressing in 64-bit mode: the same layout, one byte longer. */
	reg_read(ok(M64, BYTES(0x67, 0x8b, 0x04, 0x25, 0, 0, 0xe0, 0xfe), 8, 4, false), 0);
	reg_read(ok(M64, BYTES(0x67, 0x8b, 0x05, 0, 0, 0, 0), 7, 4, false), 0);
	reg_read(ok(M64, BYTES(0x67, 0x48, 0x8b, 0x47, 0x08), 5, 8, false), 0);
}

static void test_segment_prefixes(void **state)
{
	static const uint8_t seg[] = { 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65 };

	for (unsigned i = 0; i < sizeof(seg); i++) {
		/* seg: mov eax, [abs32] and seg: mov [rdi+8], r10 */
		reg_read(ok(M64, BYTES(seg[i], 0x8b, 0x04, 0x25, 0, 0, 0, 0), 8, 4, false), 0);
		reg_write(ok(M64, BYTES(seg[i], 0x4c, 0x89, 0x57, 0x08), 5, 8, true), 10);
		reg_write(ok(M32, BYTES(seg[i], 0x89, 0x07), 3, 4, true), 0);
	}
	/* Several, mixed with 66 and 67 */
	reg_write(ok(M64, BYTES(0x65, 0x66, 0x2e, 0x67, 0x89, 0x07), 6, 2, true), 0);
}

/* ---- movzx and moffs ---- */

static void test_movzx(void **state)
{
	struct decode_insn d;

	/* movzx eax, byte [rdi] */
	d = ok(M64, BYTES(0x0f, 0xb6, 0x07), 3, 1, false);
	assert_true(d.zero_extend);
	assert_int_equal(d.dst_size, 4);
	assert_int_equal(d.reg, 0);
	/* movzx ecx, word [rdi+4] */
	d = ok(M64, BYTES(0x0f, 0xb7, 0x4f, 0x04), 4, 2, false);
	assert_int_equal(d.dst_size, 4);
	assert_int_equal(d.reg, 1);
	/* movzx rdx, byte [rdi]; movzx r8d, word [rax] */
	d = ok(M64, BYTES(0x48, 0x0f, 0xb6, 0x17), 4, 1, false);
	assert_int_equal(d.dst_size, 8);
	assert_int_equal(d.reg, 2);
	d = ok(M64, BYTES(0x44, 0x0f, 0xb7, 0x00), 4, 2, false);
	assert_int_equal(d.reg, 8);
	/* movzx si, byte [rdi]: a 16-bit destination */
	d = ok(M64, BYTES(0x66, 0x0f, 0xb6, 0x37), 4, 1, false);
	assert_int_equal(d.dst_size, 2);
	assert_int_equal(d.reg, 6);
	assert_false(d.high_byte);
	/* movzx esp, byte [rdi] is esp, not ah: the destination is never a byte register */
	d = ok(M64, BYTES(0x0f, 0xb6, 0x27), 3, 1, false);
	assert_int_equal(d.reg, 4);
	assert_false(d.high_byte);
	fails(M64, BYTES(0x0f, 0xb6, 0xc0), -EINVAL);
	/* movsx and other two-byte opcodes */
	fails(M64, BYTES(0x0f, 0xbe, 0x07), -EOPNOTSUPP);
	fails(M64, BYTES(0x0f, 0xbf, 0x07), -EOPNOTSUPP);
	fails(M64, BYTES(0x0f, 0x0b), -EOPNOTSUPP);
}

static void test_moffs(void **state)
{
	struct decode_insn d;

	/* 64-bit mode: an 8-byte offset */
	reg_read(ok(M64, BYTES(0xa1, 0x20, 0x03, 0xe0, 0xfe, 0, 0, 0, 0), 9, 4, false), 0);
	reg_write(ok(M64, BYTES(0x48, 0xa3, 0, 0, 0xe0, 0xfe, 0, 0, 0, 0), 10, 8, true), 0);
	/* 67: a 4-byte offset */
	reg_read(ok(M64, BYTES(0x67, 0xa1, 0x20, 0x03, 0xe0, 0xfe), 6, 4, false), 0);
	/* A0/A2: AL */
	d = ok(M64, BYTES(0xa0, 0, 0, 0, 0, 0, 0, 0, 0), 9, 1, false);
	assert_false(d.high_byte);
	reg_write(ok(M64, BYTES(0xa2, 0, 0, 0, 0, 0, 0, 0, 0), 9, 1, true), 0);
	/* 32-bit code: 4 bytes; 16-bit code or 67 in 32-bit code: 2 bytes */
	reg_read(ok(M32, BYTES(0xa1, 0x20, 0x03, 0xe0, 0xfe), 5, 4, false), 0);
	reg_write(ok(M16, BYTES(0xa3, 0x34, 0x12), 3, 2, true), 0);
	reg_write(ok(M32, BYTES(0x67, 0xa3, 0x34, 0x12), 4, 4, true), 0);
	/* Truncated in the offset */
	fails(M64, BYTES(0xa1, 0, 0, 0, 0, 0, 0, 0), -EAGAIN);
}

/* ---- 32- and 16-bit code ---- */

static void test_protected_32(void **state)
{
	reg_read(ok(M32, BYTES(0x8b, 0x87, 0x00, 0x03, 0x00, 0x00), 6, 4, false), 0);
	/* mov eax, [0xfee00320]: mod 00 rm 101 is absolute, same length */
	reg_read(ok(M32, BYTES(0x8b, 0x05, 0x20, 0x03, 0xe0, 0xfe), 6, 4, false), 0);
	reg_write(ok(M32, BYTES(0x66, 0x89, 0x07), 3, 2, true), 0);
	/* 40-4F are INC/DEC here, not REX */
	fails(M32, BYTES(0x48, 0x8b, 0x07), -EOPNOTSUPP);
	fails(M32, BYTES(0x40, 0x88, 0x37), -EOPNOTSUPP);
}

static void test_addr16(void **state)
{
	/* 67 in 32-bit code: 16-bit addressing. mov eax, [bx+8]; [0x1234]; [bx+0x1234]; [si] */
	reg_read(ok(M32, BYTES(0x67, 0x8b, 0x47, 0x08), 4, 4, false), 0);
	reg_read(ok(M32, BYTES(0x67, 0x8b, 0x06, 0x34, 0x12), 5, 4, false), 0);
	reg_read(ok(M32, BYTES(0x67, 0x8b, 0x87, 0x34, 0x12), 5, 4, false), 0);
	/* rm 100 is [si]: no SIB in 16-bit addressing */
	reg_read(ok(M32, BYTES(0x67, 0x8b, 0x04), 3, 4, false), 0);
	/* mod 01 rm 110 is [bp+disp8] */
	reg_read(ok(M32, BYTES(0x67, 0x8b, 0x46, 0x00), 4, 4, false), 0);
}

static void test_code16(void **state)
{
	struct decode_insn d;

	/* CS.D=0: 16-bit operands and addresses by default. mov ax, [bx] */
	reg_read(ok(M16, BYTES(0x8b, 0x07), 2, 2, false), 0);
	/* mov eax, [bx] with 66; 67 selects 32-bit addressing with SIB */
	reg_read(ok(M16, BYTES(0x66, 0x8b, 0x07), 3, 4, false), 0);
	reg_read(ok(M16, BYTES(0x67, 0x8b, 0x04, 0x24), 4, 2, false), 0);
	/* mov word [0x1234], 0x5678 */
	d = ok(M16, BYTES(0xc7, 0x06, 0x34, 0x12, 0x78, 0x56), 6, 2, true);
	assert_int_equal(d.imm, 0x5678);
	/* mov dword [0x1234], 0x12345678 */
	d = ok(M16, BYTES(0x66, 0xc7, 0x06, 0x34, 0x12, 0x78, 0x56, 0x34, 0x12), 9, 4, true);
	assert_int_equal(d.imm, 0x12345678);
}

/* ---- refusals ---- */

static void test_mod11_refused(void **state)
{
	fails(M64, BYTES(0x89, 0xc0), -EINVAL);
	fails(M64, BYTES(0x8b, 0xc8), -EINVAL);
	fails(M64, BYTES(0x88, 0xe0), -EINVAL);
	fails(M64, BYTES(0xc7, 0xc0, 1, 0, 0, 0), -EINVAL);
	fails(M64, BYTES(0x48, 0x8b, 0xc1), -EINVAL);
	fails(M32, BYTES(0x8b, 0xc1), -EINVAL);
}

static void test_lock_rep_refused(void **state)
{
	fails(M64, BYTES(0xf0, 0x89, 0x07), -EOPNOTSUPP);
	fails(M64, BYTES(0xf3, 0x89, 0x07), -EOPNOTSUPP);
	fails(M64, BYTES(0xf2, 0x8b, 0x07), -EOPNOTSUPP);
	fails(M64, BYTES(0xf3, 0xa5), -EOPNOTSUPP);
	fails(M64, BYTES(0x66, 0xf0, 0x89, 0x07), -EOPNOTSUPP);
	fails(M32, BYTES(0xf3, 0x0f, 0xb6, 0x07), -EOPNOTSUPP);
}

static void test_other_opcodes_refused(void **state)
{
	fails(M64, BYTES(0x01, 0x07), -EOPNOTSUPP);		/* add */
	fails(M64, BYTES(0xff, 0x07), -EOPNOTSUPP);		/* inc */
	fails(M64, BYTES(0xf7, 0x07, 1, 0, 0, 0), -EOPNOTSUPP);	/* test */
	fails(M64, BYTES(0xa5), -EOPNOTSUPP);			/* movs */
	fails(M64, BYTES(0xa4), -EOPNOTSUPP);
	fails(M64, BYTES(0x87, 0x07), -EOPNOTSUPP);		/* xchg */
	fails(M64, BYTES(0x8c, 0x07), -EOPNOTSUPP);		/* mov r/m, sreg */
	fails(M64, BYTES(0x8e, 0x07), -EOPNOTSUPP);
	fails(M64, BYTES(0x8d, 0x07), -EOPNOTSUPP);		/* lea */
	fails(M64, BYTES(0xc5, 0xf9, 0x6f, 0x07), -EOPNOTSUPP);	/* VEX vmovdqa */
	fails(M64, BYTES(0x0f, 0x10, 0x07), -EOPNOTSUPP);	/* movups */
	fails(M64, BYTES(0x48, 0x0f, 0xc3, 0x07), -EOPNOTSUPP);	/* movnti */
}

static void test_only_movs_accepted(void **state)
{
	/* Every first byte followed by zeros: only the MOV opcodes decode. */
	for (unsigned op = 0; op < 0x100; op++) {
		uint8_t b[15] = { (uint8_t)op };
		struct decode_insn d;
		int rc = decode_mov(b, sizeof(b), true, true, &d);
		bool mov = op == 0x88 || op == 0x89 || op == 0x8a || op == 0x8b || op == 0xc6 ||
			   op == 0xc7 || (op >= 0xa0 && op <= 0xa3);

		assert_int_equal(rc, mov ? 0 : -EOPNOTSUPP);
	}
}

static void test_truncated(void **state)
{
	static const uint8_t b[] = { 0x65, 0x48, 0xc7, 0x84, 0x24, 0x00, 0x01, 0x00, 0x00,
				     0x78, 0x56, 0x34, 0x12 };

	ok(M64, b, sizeof(b), sizeof(b), 8, true);
	for (size_t n = 0; n < sizeof(b); n++)
		fails(M64, b, n, -EAGAIN);
	/* Refusal needs no more bytes than it takes to see it. */
	fails(M64, BYTES(0x01), -EOPNOTSUPP);
	fails(M64, BYTES(0x0f), -EAGAIN);
	fails(M64, BYTES(0x89, 0xc0), -EINVAL);
}

static void test_length_limit(void **state)
{
	uint8_t b[32];

	/* 13 segment prefixes and mov [rdi], eax: exactly 15 bytes */
	memset(b, 0x3e, 13);
	b[13] = 0x89;
	b[14] = 0x07;
	ok(M64, b, 15, 15, 4, true);
	/* More input than the instruction is fine. */
	memset(b + 15, 0x90, sizeof(b) - 15);
	ok(M64, b, sizeof(b), 15, 4, true);
	/* 14 prefixes: 16 bytes, refused, even when only 15 were fetched */
	memset(b, 0x3e, 14);
	b[14] = 0x89;
	b[15] = 0x07;
	fails(M64, b, 16, -EOPNOTSUPP);
	fails(M64, b, 15, -EOPNOTSUPP);
	/* 12 prefixes and mov eax, [rip+disp32] needs 18: too long, not truncated */
	memset(b, 0x3e, 12);
	b[12] = 0x8b;
	b[13] = 0x05;
	fails(M64, b, 14, -EOPNOTSUPP);
	fails(M64, b, sizeof(b), -EOPNOTSUPP);
	/* Prefixes alone fill the limit */
	memset(b, 0x66, sizeof(b));
	fails(M64, b, sizeof(b), -EOPNOTSUPP);
}

static void test_null_args(void **state)
{
	struct decode_insn d;

	assert_int_equal(decode_mov(NULL, 4, true, true, &d), -EINVAL);
	assert_int_equal(decode_mov((const uint8_t[]){ 0x89, 0x07 }, 2, true, true, NULL), -EINVAL);
}

/* ---- applying reads and writes ---- */

static void test_apply_read_sizes(void **state)
{
	uint64_t r[16];
	struct decode_insn d;

	for (int i = 0; i < 16; i++)
		r[i] = 0x1111111111111111ULL * (uint64_t)(i & 15);
	/* mov eax, [..]: a 32-bit destination zero-extends */
	d = ok(M64, BYTES(0x8b, 0x07), 2, 4, false);
	r[0] = 0xffffffffffffffffULL;
	decode_apply_read(&d, r, 0xfffffffe12345678ULL);
	assert_int_equal(r[0], 0x12345678);
	/* mov r9w, [..]: 16 bits merge */
	d = ok(M64, BYTES(0x66, 0x44, 0x8b, 0x0f), 4, 2, false);
	decode_apply_read(&d, r, 0xabcdef);
	assert_int_equal(r[9], 0x999999999999cdefULL);
	/* mov bl, [..]: 8 bits merge */
	d = ok(M64, BYTES(0x8a, 0x1f), 2, 1, false);
	decode_apply_read(&d, r, 0x1ff);
	assert_int_equal(r[3], 0x33333333333333ffULL);
	/* mov rsi, [..]: all 64 bits */
	d = ok(M64, BYTES(0x48, 0x8b, 0x37), 3, 8, false);
	decode_apply_read(&d, r, 0x8000000000000001ULL);
	assert_int_equal(r[6], 0x8000000000000001ULL);
	/* Nothing else changed */
	assert_int_equal(r[1], 0x1111111111111111ULL);
	assert_int_equal(r[15], 0xffffffffffffffffULL);
}

static void test_apply_read_high_byte(void **state)
{
	uint64_t r[16] = { [0] = 0x0123456789abcdefULL, [2] = 0xffffffffffffffffULL };
	struct decode_insn d;

	/* mov ah, [..] */
	d = ok(M64, BYTES(0x8a, 0x27), 2, 1, false);
	decode_apply_read(&d, r, 0x5a);
	assert_int_equal(r[0], 0x0123456789ab5aefULL);
	/* mov dh, [..] */
	d = ok(M64, BYTES(0x8a, 0x37), 2, 1, false);
	decode_apply_read(&d, r, 0x00);
	assert_int_equal(r[2], 0xffffffffffff00ffULL);
	/* mov sil, [..] with REX: the low byte of rsi */
	r[6] = 0xffff;
	d = ok(M64, BYTES(0x40, 0x8a, 0x37), 3, 1, false);
	decode_apply_read(&d, r, 0x12);
	assert_int_equal(r[6], 0xff12);
}

static void test_apply_read_movzx(void **state)
{
	uint64_t r[16];
	struct decode_insn d;

	memset(r, 0xff, sizeof(r));
	/* movzx eax, byte: zero-extends to 64 */
	d = ok(M64, BYTES(0x0f, 0xb6, 0x07), 3, 1, false);
	decode_apply_read(&d, r, 0x1280);
	assert_int_equal(r[0], 0x80);
	/* movzx rcx, word */
	d = ok(M64, BYTES(0x48, 0x0f, 0xb7, 0x0f), 4, 2, false);
	decode_apply_read(&d, r, 0x12348765);
	assert_int_equal(r[1], 0x8765);
	/* movzx dx, byte: 16-bit destination, upper 48 bits kept */
	d = ok(M64, BYTES(0x66, 0x0f, 0xb6, 0x17), 4, 1, false);
	decode_apply_read(&d, r, 0x42);
	assert_int_equal(r[2], 0xffffffffffff0042ULL);
	/* movzx esp, byte: register 4 is esp, not ah */
	d = ok(M64, BYTES(0x0f, 0xb6, 0x27), 3, 1, false);
	decode_apply_read(&d, r, 0x07);
	assert_int_equal(r[4], 0x07);
	assert_int_equal(r[0], 0x80);
}

static void test_apply_read_ignores_writes(void **state)
{
	uint64_t r[16] = { 0 };
	struct decode_insn d = ok(M64, BYTES(0x89, 0x07), 2, 4, true);

	decode_apply_read(&d, r, 0x1234);
	for (int i = 0; i < 16; i++)
		assert_int_equal(r[i], 0);
}

static void test_write_value(void **state)
{
	uint64_t r[16];
	struct decode_insn d;

	for (int i = 0; i < 16; i++)
		r[i] = 0x0102030405060708ULL + ((uint64_t)i << 56);
	d = ok(M64, BYTES(0x89, 0xb7, 0x80, 0x03, 0x00, 0x00), 6, 4, true);
	assert_int_equal(decode_write_value(&d, r), 0x05060708);
	d = ok(M64, BYTES(0x4c, 0x89, 0x07), 3, 8, true);
	assert_int_equal(decode_write_value(&d, r), 0x0902030405060708ULL);
	d = ok(M64, BYTES(0x66, 0x89, 0x17), 3, 2, true);
	assert_int_equal(decode_write_value(&d, r), 0x0708);
	/* mov [..], dh: bits 15:8 of rdx; mov [..], sil with REX: bits 7:0 of rsi */
	d = ok(M64, BYTES(0x88, 0x37), 2, 1, true);
	assert_int_equal(decode_write_value(&d, r), 0x07);
	d = ok(M64, BYTES(0x40, 0x88, 0x37), 3, 1, true);
	assert_int_equal(decode_write_value(&d, r), 0x08);
	/* Immediates ignore the registers */
	d = ok(M64, BYTES(0x48, 0xc7, 0x07, 0xfe, 0xff, 0xff, 0xff), 7, 8, true);
	assert_int_equal(decode_write_value(&d, r), 0xfffffffffffffffeULL);
	d = ok(M64, BYTES(0xc6, 0x07, 0x99), 3, 1, true);
	assert_int_equal(decode_write_value(&d, r), 0x99);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_linux_read_rdi_disp32),
		cmocka_unit_test(test_linux_write_rdi_disp32),
		cmocka_unit_test(test_linux_read_abs32_sib),
		cmocka_unit_test(test_linux_write_abs32_sib),
		cmocka_unit_test(test_rex_w_rip_relative),
		cmocka_unit_test(test_rex_r_sib),
		cmocka_unit_test(test_rex_b_disp8),
		cmocka_unit_test(test_rex_wr),
		cmocka_unit_test(test_rex_w_beats_66),
		cmocka_unit_test(test_rex_not_last_refused),
		cmocka_unit_test(test_opsize_16),
		cmocka_unit_test(test_byte_low),
		cmocka_unit_test(test_byte_high_without_rex),
		cmocka_unit_test(test_byte_rex_spl_sil),
		cmocka_unit_test(test_imm_rip_relative),
		cmocka_unit_test(test_imm_disp32),
		cmocka_unit_test(test_imm_sign_extension),
		cmocka_unit_test(test_imm_byte),
		cmocka_unit_test(test_imm_reg_field_refused),
		cmocka_unit_test(test_sib_every_mod),
		cmocka_unit_test(test_all_modrm_lengths),
		cmocka_unit_test(test_addr_size_67_long_mode),
		cmocka_unit_test(test_segment_prefixes),
		cmocka_unit_test(test_movzx),
		cmocka_unit_test(test_moffs),
		cmocka_unit_test(test_protected_32),
		cmocka_unit_test(test_addr16),
		cmocka_unit_test(test_code16),
		cmocka_unit_test(test_mod11_refused),
		cmocka_unit_test(test_lock_rep_refused),
		cmocka_unit_test(test_other_opcodes_refused),
		cmocka_unit_test(test_only_movs_accepted),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_length_limit),
		cmocka_unit_test(test_null_args),
		cmocka_unit_test(test_apply_read_sizes),
		cmocka_unit_test(test_apply_read_high_byte),
		cmocka_unit_test(test_apply_read_movzx),
		cmocka_unit_test(test_apply_read_ignores_writes),
		cmocka_unit_test(test_write_value),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
