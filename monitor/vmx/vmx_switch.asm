; SPDX-License-Identifier: GPL-2.0-only
;
; The VMX world switch: from the monitor into the guest of the current VMCS and back.
;
; Register contract
;
;   int vmx_world_switch(struct vmx_switch *sw)                  SysV ABI
;     in:    rdi = sw: regs (struct vcpu_regs: the guest's RAX, RBX, RCX, RDX, RSI, RDI, RBP,
;            R8-R15), launched (0: VMLAUNCH, else VMRESUME). The VMCS to enter is current
;            (VMPTRLD) and holds everything else: guest RSP, RIP, RFLAGS, CRs, segments.
;     state: entered with RFLAGS.IF = 0.
;     does:  VMWRITE host RSP (this frame) and host RIP (.exited); load the guest's GPRs;
;            VMLAUNCH or VMRESUME. A VM exit lands at .exited with the host state of the
;            VMCS (RSP as written, RFLAGS = 2): store the guest's GPRs to regs, return
;            VSW_EXITED. An entry that fails falls through with CF (VMfailInvalid) or ZF
;            (VMfailValid) set: return VSW_FAIL_INVALID or VSW_FAIL_VALID; the guest's
;            registers in regs are unchanged then.
;     keeps: rbx, rbp, r12-r15 (callee-saved, pushed here); clobbers every other GPR.
;
; Offsets and encodings come from build/gen/monitor/asm-defs.inc (struct vcpu_regs) and
; build/gen/monitor/vmx/vmx_asm_defs.inc (struct vmx_switch, RAX, the VMCS fields).

%include "monitor/asm-defs.inc"
%include "monitor/vmx/vmx_asm_defs.inc"

	bits 64
	default rel

	section .text

	global vmx_world_switch:function hidden

vmx_world_switch:
	push	rbp
	push	rbx
	push	r12
	push	r13
	push	r14
	push	r15
	push	rdi				; sw, for after the VM exit

	mov	rax, VMCS_ENC_HOST_RSP
	vmwrite	rax, rsp
	mov	rax, VMCS_ENC_HOST_RIP
	lea	rdx, [.exited]
	vmwrite	rax, rdx

	mov	rcx, [rdi + VSW_REGS]
	cmp	qword [rdi + VSW_LAUNCHED], 0	; the flags survive the MOVs below
	mov	rax, [rcx + VREG_RAX]
	mov	rbx, [rcx + REG_RBX]
	mov	rdx, [rcx + REG_RDX]
	mov	rsi, [rcx + REG_RSI]
	mov	rdi, [rcx + REG_RDI]
	mov	rbp, [rcx + REG_RBP]
	mov	r8, [rcx + REG_R8]
	mov	r9, [rcx + REG_R9]
	mov	r10, [rcx + REG_R10]
	mov	r11, [rcx + REG_R11]
	mov	r12, [rcx + REG_R12]
	mov	r13, [rcx + REG_R13]
	mov	r14, [rcx + REG_R14]
	mov	r15, [rcx + REG_R15]
	mov	rcx, [rcx + REG_RCX]		; last: it was the base
	je	.launch
	vmresume
	jmp	.failed
.launch:
	vmlaunch
.failed:
	; Still in the host, guest registers loaded: CF = 1 VMfailInvalid, ZF = 1 VMfailValid.
	mov	eax, VSW_FAIL_INVALID
	jc	.out
	mov	eax, VSW_FAIL_VALID
	jmp	.out

.exited:
	; VM exit: rsp as written above, RFLAGS = 2.
	push	rdi				; the guest's RDI, while rdi finds regs
	mov	rdi, [rsp + 8]
	mov	rdi, [rdi + VSW_REGS]
	mov	[rdi + VREG_RAX], rax
	mov	[rdi + REG_RBX], rbx
	mov	[rdi + REG_RCX], rcx
	mov	[rdi + REG_RDX], rdx
	mov	[rdi + REG_RSI], rsi
	mov	[rdi + REG_RBP], rbp
	mov	[rdi + REG_R8], r8
	mov	[rdi + REG_R9], r9
	mov	[rdi + REG_R10], r10
	mov	[rdi + REG_R11], r11
	mov	[rdi + REG_R12], r12
	mov	[rdi + REG_R13], r13
	mov	[rdi + REG_R14], r14
	mov	[rdi + REG_R15], r15
	pop	qword [rdi + REG_RDI]
	mov	eax, VSW_EXITED

.out:
	pop	rdi				; sw
	pop	r15
	pop	r14
	pop	r13
	pop	r12
	pop	rbx
	pop	rbp
	ret

; No executable stack wanted.
	section .note.GNU-stack noalloc noexec nowrite progbits
