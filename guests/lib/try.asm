; SPDX-License-Identifier: GPL-2.0-only
;
; guest_try: call a function that may fault and come back either way (see try.h).
;
; Register contract
;   int guest_try(void (*fn)(void *arg), void *arg)            SysV ABI
;     in:    rdi = fn, rsi = arg
;     out:   eax = 0 when fn returned, 1 when an exception ended it
;     keeps: rbx, rbp, r12-r15 and rsp, even when fn faulted half-way: they are saved here
;            and guest_trap() (trap.c) resumes at guest_try_landing with rsp =
;            guest_try_rsp, which is where they were saved.
;   Not reentrant: guest_try_active says whether a try is running, for guest_trap().

	bits 64
	default rel

	section .text

	global guest_try:function
	global guest_try_landing:function
	global guest_try_rsp:data
	global guest_try_active:data

guest_try:
	push	rbx
	push	rbp
	push	r12
	push	r13
	push	r14
	push	r15
	sub	rsp, 8			; entered at 8 mod 16; six pushes and this make it 0
	mov	[guest_try_rsp], rsp
	mov	byte [guest_try_active], 1
	mov	rax, rdi
	mov	rdi, rsi
	call	rax
	xor	eax, eax
	jmp	try_done

guest_try_landing:
	mov	eax, 1
try_done:
	mov	byte [guest_try_active], 0
	add	rsp, 8
	pop	r15
	pop	r14
	pop	r13
	pop	r12
	pop	rbp
	pop	rbx
	ret

	section .bss
	alignb	8
guest_try_rsp:
	resq	1
guest_try_active:
	resb	1

	section .note.GNU-stack noalloc noexec nowrite progbits
