; SPDX-License-Identifier: GPL-2.0-only
;
; Entries into the monitor: its stack, its code segment, and its interrupt vectors.
;
; Register contract
;
;   int monitor_call_on_stack(void *arg, int (*fn)(void *), void *stack_top)   SysV ABI
;     in:  rdi = arg, rsi = fn, rdx = top of the new stack (16-byte aligned)
;     does: calls fn(arg) on the new stack and returns its result on the old one.
;     keeps: callee-saved registers (fn keeps rbp, which holds the old rsp).
;
;   void desc_load_gdt(const void *gdtr, uint64_t cs, uint64_t ds)               SysV ABI
;     in:  rdi = the 10-byte GDTR image, rsi = code selector, rdx = data selector
;     does: LGDT; DS = ES = SS = FS = GS = ds; CS = cs through a far return.
;     clobbers: rax.
;
;   trap_stubs: TRAP_VECTORS stubs of TRAP_STUB_SIZE bytes each, stub n at
;     trap_stubs + n * TRAP_STUB_SIZE, for the IDT. A stub pushes a zero error code when the
;     CPU did not push one, then the vector, and jumps to trap_common, which stores the GPRs
;     below them (a struct trap_frame, see monitor/trap.h; offsets from
;     build/gen/monitor/asm-defs.inc), calls trap_handle(frame) with DF clear on a 16-byte
;     aligned stack, restores the GPRs and returns with IRETQ.
;     The CPU aligns RSP to 16 before it pushes its frame: 5 words (SS, RSP, RFLAGS, CS,
;     RIP), or 6 with an error code. Exceptions 8, 10-14, 17, 21, 29 and 30 push one, but an
;     interrupt message on the same vector does not; so their stubs look at RSP bit 3 (set
;     after 5 words, clear after 6) and push the zero only when it is set. Every other stub
;     always pushes it. Either way the frame (15 GPRs + vector + error + 5 = 22 words) keeps
;     the CPU's alignment. A stub longer than TRAP_STUB_SIZE fails the assembly.

%include "monitor/asm-defs.inc"

	bits 64
	default rel

	section .text

	global monitor_call_on_stack:function hidden
	global desc_load_gdt:function hidden
	global trap_stubs:function hidden
	extern trap_handle

monitor_call_on_stack:
	push	rbp
	mov	rbp, rsp
	mov	rsp, rdx
	call	rsi
	mov	rsp, rbp
	pop	rbp
	ret

desc_load_gdt:
	lgdt	[rdi]
	mov	ds, edx
	mov	es, edx
	mov	ss, edx
	mov	fs, edx
	mov	gs, edx
	lea	rax, [.reloaded]
	push	rsi
	push	rax
	o64 retf
.reloaded:
	ret

; Vectors whose exceptions push an error code.
%define HAS_ERROR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || \
			  (v) == 29 || (v) == 30)

%macro TRAP_STUB 1
	align	TRAP_STUB_SIZE
%%start:
%if HAS_ERROR(%1)
	test	spl, 8
	jz	%%has_error
%endif
	push	qword 0
%%has_error:
	push	qword %1
	jmp	trap_common
	; Negative when the stub outgrew its slot: nasm refuses that.
	times	TRAP_STUB_SIZE - ($ - %%start) int3
%endmacro

	align	TRAP_STUB_SIZE
trap_stubs:
%assign vec 0
%rep TRAP_VECTORS
	TRAP_STUB vec
%assign vec vec + 1
%endrep

trap_common:
	sub	rsp, TF_GPRS
	mov	[rsp + TF_RAX], rax
	mov	[rsp + TF_RBX], rbx
	mov	[rsp + TF_RCX], rcx
	mov	[rsp + TF_RDX], rdx
	mov	[rsp + TF_RSI], rsi
	mov	[rsp + TF_RDI], rdi
	mov	[rsp + TF_RBP], rbp
	mov	[rsp + TF_R8], r8
	mov	[rsp + TF_R9], r9
	mov	[rsp + TF_R10], r10
	mov	[rsp + TF_R11], r11
	mov	[rsp + TF_R12], r12
	mov	[rsp + TF_R13], r13
	mov	[rsp + TF_R14], r14
	mov	[rsp + TF_R15], r15
	cld
	mov	rdi, rsp
	call	trap_handle
	mov	rax, [rsp + TF_RAX]
	mov	rbx, [rsp + TF_RBX]
	mov	rcx, [rsp + TF_RCX]
	mov	rdx, [rsp + TF_RDX]
	mov	rsi, [rsp + TF_RSI]
	mov	rdi, [rsp + TF_RDI]
	mov	rbp, [rsp + TF_RBP]
	mov	r8, [rsp + TF_R8]
	mov	r9, [rsp + TF_R9]
	mov	r10, [rsp + TF_R10]
	mov	r11, [rsp + TF_R11]
	mov	r12, [rsp + TF_R12]
	mov	r13, [rsp + TF_R13]
	mov	r14, [rsp + TF_R14]
	mov	r15, [rsp + TF_R15]
	add	rsp, TF_RIP			; GPRs, vector and error code
	iretq

	section .note.GNU-stack noalloc noexec nowrite progbits
