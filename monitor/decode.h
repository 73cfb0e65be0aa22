/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The instruction decoder for emulated MMIO. A guest access to an emulated page (the virtual
 * LAPIC, a read-only low-memory page) ends in a #NPF exit that gives the guest-physical
 * address and the direction, but under QEMU's TCG (no decode assists, no NRIP save) neither
 * the instruction length nor the register. The caller fetches the bytes at the guest RIP and
 * asks decode_mov(); it knows only the plain MOV forms compilers emit for MMIO and refuses
 * everything else rather than guess.
 *
 * Supported (64-bit mode, and 32/16-bit protected mode through long_mode/default_32):
 *   88 /r      mov r/m8, r8               8A /r      mov r8, r/m8
 *   89 /r      mov r/m16/32/64, r         8B /r      mov r, r/m16/32/64
 *   C6 /0 ib   mov r/m8, imm8             C7 /0 iw/id mov r/m16/32/64, imm16/32
 *   0F B6 /r   movzx r, r/m8              0F B7 /r   movzx r, r/m16
 *   A0/A1      mov al/eAX, moffs          A2/A3      mov moffs, al/eAX
 * with the prefixes 66 (operand size), 67 (address size), the segment overrides 26 2E 36 3E
 * 64 65 (the caller has the guest-physical address, so they only count for the length) and,
 * in 64-bit mode, one REX directly before the opcode. All ModRM memory forms are decoded,
 * including SIB, RIP-relative and the 16-bit forms (CS.D=0, or 67 in 32-bit code).
 *
 * Pure C: host-tested and linked into the EFI app.
 */
#ifndef TWINMON_MONITOR_DECODE_H
#define TWINMON_MONITOR_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The architectural limit; longer instructions raise #GP before they can touch memory. */
#define DECODE_MAX_LEN 15

enum decode_src { DECODE_REG, DECODE_IMM };

struct decode_insn {
	uint8_t len;		/* instruction length in bytes (the guest's RIP advance) */
	uint8_t size;		/* memory access size: 1, 2, 4 or 8 */
	bool write;		/* the instruction writes memory (else it reads) */
	enum decode_src src;	/* writes: a register or an immediate; reads: DECODE_REG */
	/*
	 * GPR number 0..15 (rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, r8..r15): the source of a
	 * write, the destination of a read. With high_byte set it names the register that holds
	 * the byte: 0..3 for AH, CH, DH, BH (encoded as reg 4-7 without any REX prefix). With a
	 * REX prefix, byte registers 4-7 are SPL, BPL, SIL, DIL: reg 4-7, high_byte clear.
	 */
	uint8_t reg;
	bool high_byte;		/* the byte is bits 15:8 of regs[reg] (AH, CH, DH, BH) */
	uint8_t dst_size;	/* reads: bytes written to the register (movzx: 2, 4 or 8); 0 on writes */
	bool zero_extend;	/* reads: movzx */
	uint64_t imm;		/* DECODE_IMM: the value to store (already sign-extended to size) */
};

/*
 * Decode the MOV at code[0..n). long_mode: the guest runs 64-bit code (EFER.LMA and CS.L);
 * otherwise default_32 is CS.D (protected or compatibility mode: operand and address size
 * default to 32 bits when set, 16 when clear). default_32 is ignored in 64-bit mode. Bytes
 * past DECODE_MAX_LEN are never looked at, so n may be larger.
 *
 * Returns 0 and fills *out, or (leaving *out untouched):
 *   -EOPNOTSUPP  not one of the forms above: another opcode, a LOCK or REP prefix, a REX
 *                that is not the last prefix, C6/C7 with a reg field other than 0, or an
 *                instruction longer than DECODE_MAX_LEN bytes
 *   -EINVAL      a register operand (ModRM mod 11: not a memory access), or NULL pointers
 *   -EAGAIN      the bytes end before the instruction does (n < its length, n < 15): the
 *                instruction may cross into a page the caller has not fetched yet; retry
 *                with more bytes, or give up
 * It does not compute the effective address, and it does not check that the direction
 * agrees with the fault's: the caller should (a read decoded for a write fault means the
 * code changed under it).
 */
int decode_mov(const uint8_t *code, size_t n, bool long_mode, bool default_32,
	       struct decode_insn *out);

/*
 * Apply a decoded read: put val (the device's value; only the low size bytes count) into
 * the register image the way the CPU would: a 4-byte destination zero-extends to 64 bits,
 * 1- and 2-byte destinations merge into the low bits (high_byte: into bits 15:8), movzx
 * zero-extends into dst_size bytes (merging for a 2-byte destination). regs holds the 16
 * GPRs in the order of decode_insn.reg. Does nothing for a write.
 */
void decode_apply_read(const struct decode_insn *d, uint64_t regs[16], uint64_t val);

/* The value a decoded write stores: size bytes from the register image or the immediate. */
uint64_t decode_write_value(const struct decode_insn *d, const uint64_t regs[16]);

#endif
