; SPDX-License-Identifier: GPL-2.0-only
;
; The SVM world switch: from the monitor into a guest and back.
;
; Register contract
;
;   void svm_world_switch(struct svm_switch *sw)                 SysV ABI
;     in:    rdi = sw: vmcb_pa (the guest's VMCB), host_pa (the host's VMSAVE image, filled
;            once by svm_vmsave at start), regs (struct vcpu_regs: the guest's RBX, RCX,
;            RDX, RSI, RDI, RBP, R8-R15)
;     state: entered with RFLAGS.IF = 0 and GIF = 1; returns the same way.
;     does:  CLGI; STI (the host's IF is what masks physical interrupts in a guest run with
;            V_INTR_MASKING; GIF = 0 holds them off until VMRUN); VMLOAD the guest's FS, GS,
;            TR, LDTR, KernelGSBase, STAR, LSTAR, CSTAR, SFMASK and SYSENTER MSRs; load its
;            GPRs from regs; VMRUN. VMRUN itself switches RAX, RSP, RIP, RFLAGS, CR0, CR2,
;            CR3, CR4, EFER, DR6, DR7, CS, DS, ES, SS, GDTR, IDTR and G_PAT through the VMCB.
;            After #VMEXIT (GIF = 0, host RAX = vmcb_pa and RSP restored by the CPU): store
;            the guest's GPRs to regs, VMSAVE its hidden state into its VMCB, VMLOAD the
;            host's, CLI, STGI. A pending host interrupt stays pending (IF = 0) until the
;            monitor lets it in.
;     keeps: rbx, rbp, r12-r15 (callee-saved, pushed here); clobbers every other GPR.
;
; Struct offsets come from build/gen/monitor/asm-defs.inc (struct vcpu_regs) and
; build/gen/monitor/svm/svm_asm_defs.inc (struct svm_switch), generated from the C headers.

%include "monitor/asm-defs.inc"
%include "monitor/svm/svm_asm_defs.inc"

	bits 64
	default rel

	section .text

	global svm_world_switch:function hidden
	global svm_vmsave:function hidden

svm_world_switch:
	push	rbp
	push	rbx
	push	r12
	push	r13
	push	r14
	push	r15
	push	rdi				; sw, for after the #VMEXIT

	clgi
	sti
	mov	rax, [rdi + SW_VMCB_PA]
	vmload				; [rax]

	mov	rcx, [rdi + SW_REGS]
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

	vmrun				; [rax]

	; #VMEXIT: rax = vmcb_pa again, rsp as before VMRUN, GIF = 0.
	vmsave				; [rax]
	push	rdi				; the guest's RDI, while rdi finds regs
	mov	rdi, [rsp + 8]
	mov	rdi, [rdi + SW_REGS]
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

	pop	rdi				; sw
	mov	rax, [rdi + SW_HOST_PA]
	vmload				; [rax]
	cli
	stgi

	pop	r15
	pop	r14
	pop	r13
	pop	r12
	pop	rbx
	pop	rbp
	ret

; void svm_vmsave(uint64_t pa): rdi = pa. Clobbers rax.
svm_vmsave:
	mov	rax, rdi
	vmsave				; [rax]
	ret

; No executable stack wanted.
	section .note.GNU-stack noalloc noexec nowrite progbits
