; SPDX-License-Identifier: GPL-2.0-only
;
; The application processors' start code: copied to a page below 1 MiB (monitor/ap_start.h),
; where a startup IPI sends each AP, and taken from real mode to the monitor's C code in long
; mode. Position independent: it never names its own addresses; every address it needs is
; in the parameter block the boot CPU wrote at AP_P_* offsets in the same page (offsets from
; monitor/asm-defs.c, values from ap_start_install and ap_start_set_cpu).
;
; Register contract
;
;   ap_start_begin   (16-bit real mode, CS:IP = page >> 4 : 0, as a SIPI leaves it)
;     in:   nothing (the CPU is in its INIT state: no stack, interrupts off, caches off)
;     does: DS = CS; ebx = the page's physical address (kept to the end); LGDT of the
;           block's temporary GDT (null, code32, code64, data); CR0.PE; far jump through
;           the block's to_pm32 pointer.
;   ap_start_pm32    (32-bit protected mode, CS = code32)
;     in:   ebx = the page
;     does: DS = ES = SS = FS = GS = data; CR4 (PAE), CR3 (the monitor's PML4), EFER (LME,
;           NXE) and CR0 (PG) from the block, in the order long mode needs; far jump through
;           to_lm64.
;   ap_start_lm64    (64-bit mode, CS = code64)
;     in:   ebx = the page
;     does: rsp = the block's stack_top, rdi = arg, rsi = &started, a zero return address
;           pushed, jump to entry: the C entry's ABI as if called, never to return.
;     The entry must leave the page alone once it sets started: the boot CPU then reuses
;     the block for the next AP. Until then it still runs on the temporary GDT.
;   clobbers: everything; uses no stack before the C entry.

%include "monitor/asm-defs.inc"

	section .text

	global ap_start_begin:data hidden
	global ap_start_pm32:data hidden
	global ap_start_lm64:data hidden
	global ap_start_end:data hidden

	bits 16
ap_start_begin:
	cli
	cld
	mov	ax, cs
	mov	ds, ax
	movzx	ebx, ax
	shl	ebx, 4
	o32 lgdt [AP_P_GDTR]
	mov	eax, cr0
	or	eax, AP_CR0_PE
	mov	cr0, eax
	jmp	dword far [AP_P_TO_PM32]

	bits 32
ap_start_pm32:
	mov	eax, AP_SEL_DATA
	mov	ds, eax
	mov	es, eax
	mov	ss, eax
	mov	fs, eax
	mov	gs, eax
	mov	eax, [ebx + AP_P_CR4]
	mov	cr4, eax
	mov	eax, [ebx + AP_P_CR3]
	mov	cr3, eax
	mov	ecx, AP_MSR_EFER
	mov	eax, [ebx + AP_P_EFER]
	mov	edx, [ebx + AP_P_EFER + 4]
	wrmsr
	mov	eax, [ebx + AP_P_CR0]
	mov	cr0, eax		; paging on with EFER.LME: long mode, compatibility
	jmp	far [ebx + AP_P_TO_LM64]

	bits 64
ap_start_lm64:
	mov	ebx, ebx		; the upper halves are undefined after the mode change
	mov	rsp, [rbx + AP_P_STACK]
	mov	rdi, [rbx + AP_P_ARG]
	lea	rsi, [rbx + AP_P_STARTED]
	mov	rax, [rbx + AP_P_ENTRY]
	xor	ebp, ebp
	push	rbp
	jmp	rax
ap_start_end:

	section .note.GNU-stack noalloc noexec nowrite progbits
