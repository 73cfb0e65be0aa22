; SPDX-License-Identifier: GPL-2.0-only
;
; The test guests' entry point: the first instructions after the loader's jump.
;
; Register contract (docs/guest-abi.md, "Entry state")
;   in:   rsi = physical address of the boot_params (zero page); long mode, CS = 0x10 (flat
;         64-bit code), DS = ES = SS = FS = GS = 0x18, interrupts off, paging on with an
;         identity map of at least the image, boot_params and the command line; rsp is not
;         a valid stack; every other general register is zero.
;   does: loads the guest's own GDT (the loader's lives in memory the guest does not own and
;         may lose at any moment), reloads every segment register with its selectors,
;         zeroes the BSS (which holds the boot stack), points rsp at the top of the boot
;         stack and calls guest_main(boot_params) (SysV: rdi). Nothing touches the stack
;         before rsp is set.
;   out:  does not return; should guest_main return, the CPU halts.
; Addresses are 64-bit absolutes (mov r64, imm64), like the C code's -mcmodel=large, so the
; image may be linked anywhere.

%include "guests/lib/asm-defs.inc"

	bits 64

	section .text.entry progbits alloc exec nowrite align=16

	global guest_entry:function
	global guest_boot_stack:data
	global guest_boot_stack_top:data
	extern guest_gdt_ptr
	extern guest_main
	extern __bss_start
	extern __bss_end

guest_entry:
	cli
	cld
	mov	r12, rsi		; boot_params, kept across the BSS clear
	mov	rax, guest_gdt_ptr
	lgdt	[rax]
	mov	eax, GUEST_DS
	mov	ds, eax
	mov	es, eax
	mov	ss, eax
	xor	eax, eax		; FS and GS: null, nothing uses them
	mov	fs, eax
	mov	gs, eax
	mov	rdi, __bss_start	; the linker script aligns both ends to 16
	mov	rcx, __bss_end
	sub	rcx, rdi
	shr	rcx, 3
	rep stosq			; rax is 0
	mov	rsp, guest_boot_stack_top
	; CS only changes through a far transfer: "return" to the next line through GUEST_CS.
	push	GUEST_CS
	mov	rax, .cs_loaded
	push	rax
	o64 retf
.cs_loaded:
	mov	rdi, r12
	xor	ebp, ebp		; the end of the frame-pointer chain for backtraces
	mov	rax, guest_main
	call	rax
.halt:
	cli
	hlt
	jmp	.halt

	section .bss
	alignb	16
guest_boot_stack:
	resb	GUEST_STACK_SIZE
guest_boot_stack_top:

	section .note.GNU-stack noalloc noexec nowrite progbits
