; SPDX-License-Identifier: GPL-2.0-only
;
; The 256 interrupt and exception entry stubs of the test guests, and their common path.
;
; Register contract
;   in:    the CPU enters stub N through an interrupt gate (IF already clear) after pushing
;          ss, rsp, rflags, cs, rip and, for the vectors in TRAP_ERROR_MASK, an error code.
;          In long mode the CPU first aligns rsp to 16 (on an IST stack: that stack's top).
;   does:  the stub pushes 0 where the CPU pushed no error code, then N, so every frame looks
;          alike; trap_common pushes rax, rbx, rcx, rdx, rsi, rdi, rbp, r8-r15 (the order of
;          struct trap_frame in trap.h, lowest address last pushed) and calls
;          guest_trap(struct trap_frame *) with rsp 16-byte aligned and DF clear.
;   out:   every register is reloaded from the frame, which guest_trap may have changed (the
;          probe's fault recovery rewrites rip and rsp), and iretq returns through it.
; guest_vector_table holds each stub's address for desc.c to put into the IDT.

%include "guests/lib/asm-defs.inc"

	bits 64
	default rel

	section .text

	extern guest_trap
	global guest_vector_table:data

	align	16
trap_common:
	push	rax
	push	rbx
	push	rcx
	push	rdx
	push	rsi
	push	rdi
	push	rbp
	push	r8
	push	r9
	push	r10
	push	r11
	push	r12
	push	r13
	push	r14
	push	r15
	mov	rdi, rsp
	cld				; the SysV ABI wants DF clear on entry to C
	call	guest_trap
	pop	r15
	pop	r14
	pop	r13
	pop	r12
	pop	r11
	pop	r10
	pop	r9
	pop	r8
	pop	rbp
	pop	rdi
	pop	rsi
	pop	rdx
	pop	rcx
	pop	rbx
	pop	rax
	add	rsp, TRAP_STUB_BYTES	; the vector and the error code
	iretq

%assign i 0
%rep 256
	align	16
vector_%[i]:
%if i >= 32 || ((TRAP_ERROR_MASK >> i) & 1) == 0
	push	0
%endif
	push	i
	jmp	trap_common
%assign i i + 1
%endrep

	section .rodata
	align	8
guest_vector_table:
%assign i 0
%rep 256
	dq	vector_%[i]
%assign i i + 1
%endrep

	section .note.GNU-stack noalloc noexec nowrite progbits
