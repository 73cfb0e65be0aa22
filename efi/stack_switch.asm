; SPDX-License-Identifier: GPL-2.0-only
;
; Run a function on another stack, for good: the firmware's stack may lie in memory a guest
; is about to be copied over, so the last steps of a start run on pages twinmon reserved.
;
; void stack_switch_call(void *stack_top, void (*fn)(void *), void *arg)  -- never returns
;   in:  rdi = top of the new stack (16-byte aligned), rsi = fn (SysV, noreturn), rdx = arg
;   out: does not return; fn is entered with rdi = arg and rsp = stack_top - 8 (as after a
;        call), interrupts untouched.
	bits 64
	default rel
	section .text

	global stack_switch_call:function hidden
stack_switch_call:
	mov	rsp, rdi
	mov	rdi, rdx
	xor	ebp, ebp		; end of frame chain for debuggers
	call	rsi
.hang:	cli				; fn must not return: if it does, stop here
	hlt
	jmp	.hang

	section .note.GNU-stack noalloc noexec nowrite progbits
