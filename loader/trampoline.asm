; SPDX-License-Identifier: GPL-2.0-only
;
; Relocation trampoline: copies a guest's segments to their destinations by walking a
; kexec-style indirection list (loader/indirection.h), then enters the guest.
;
; Register contract
;
;   uint64_t loader_tramp_relocate(uint64_t head)              SysV ABI, returns
;     in:   rdi = head: the list's first entry (first page | IND_INDIRECTION)
;     out:  rax = number of pages copied
;     uses: rcx rdx rsi rdi r8 (caller-saved only); clears DF; no stack beyond the return
;     needs: every indirection page, source and destination identity-mapped and writable;
;           the list's own pages and the code here on no destination (the builder and the
;           partitioner make sure of that).
;     Entries are tested in the order DESTINATION, INDIRECTION, DONE, SOURCE; an entry with
;     none of them is skipped. loader_relocate_sim() in loader/relocate.c is the C twin.
;
;   void loader_tramp_enter(uint64_t entry, uint64_t boot_params)   never returns
;     in:   rdi = entry (physical, identity-mapped), rsi = boot_params (physical)
;     does: cli; lgdt of the GDT below; CS = BOOT_CS (64-bit flat code),
;           DS = ES = SS = FS = GS = BOOT_DS (flat data); every general register but
;           rsi (boot_params), rax (entry) and rsp zeroed; jmp entry.
;     This is the Linux 64-bit boot protocol's entry state (boot.rst, "64-bit Boot
;     Protocol"); ELF test guests get the same. rsp is left alone: guests set their own.
;
; Position independent (rip-relative only), so it may run in place or from a copy of
; loader_tramp_start..loader_tramp_end. Flag values, masks, selectors and descriptors come
; from build/gen/loader/trampoline-defs.inc, generated from the C headers.

%include "loader/trampoline-defs.inc"

	bits 64
	default rel

	section .text

	global loader_tramp_start:data hidden
	global loader_tramp_end:data hidden
	global loader_tramp_relocate:function hidden
	global loader_tramp_enter:function hidden

loader_tramp_start:

loader_tramp_relocate:
	cld
	xor	eax, eax		; pages copied
	xor	edx, edx		; destination: set by the first IND_DESTINATION
	xor	r8d, r8d		; address of the next entry: set by the head
	mov	rcx, rdi		; the head is the first entry
.entry:
	test	cl, IND_DESTINATION
	jz	.not_destination
	mov	rdx, rcx
	and	rdx, PAGE_MASK
	jmp	.next
.not_destination:
	test	cl, IND_INDIRECTION
	jz	.not_indirection
	mov	r8, rcx
	and	r8, PAGE_MASK
	jmp	.next
.not_indirection:
	test	cl, IND_DONE
	jnz	.done
	test	cl, IND_SOURCE
	jz	.next			; unknown entries are skipped, as kexec does
	mov	rsi, rcx
	and	rsi, PAGE_MASK
	mov	rdi, rdx
	mov	ecx, PAGE_QWORDS
	rep movsq			; a source on its own destination copies onto itself
	mov	rdx, rdi		; rdi already points one page further: the next destination
	inc	rax
.next:
	mov	rcx, [r8]
	add	r8, 8
	jmp	.entry
.done:
	ret

loader_tramp_enter:
	cli
	mov	r8, rdi			; entry, out of the way of the GDT setup
	; GDTR (limit word, base qword) built on the stack: the base must be an absolute
	; address, which position-independent code can only compute at run time.
	lea	rax, [tramp_gdt]
	sub	rsp, 16
	mov	word [rsp + 6], tramp_gdt.end - tramp_gdt - 1
	mov	[rsp + 8], rax
	lgdt	[rsp + 6]
	add	rsp, 16
	mov	eax, BOOT_DS
	mov	ds, eax
	mov	es, eax
	mov	ss, eax
	mov	fs, eax
	mov	gs, eax
	; CS can only be reloaded by a far transfer: return to the next line through BOOT_CS.
	lea	rax, [.cs_loaded]
	push	BOOT_CS
	push	rax
	o64 retf
.cs_loaded:
	mov	rax, r8
	xor	ebx, ebx
	xor	ecx, ecx
	xor	edx, edx
	xor	edi, edi
	xor	ebp, ebp
	xor	r8d, r8d
	xor	r9d, r9d
	xor	r10d, r10d
	xor	r11d, r11d
	xor	r12d, r12d
	xor	r13d, r13d
	xor	r14d, r14d
	xor	r15d, r15d
	jmp	rax

	align	16
tramp_gdt:
	times BOOT_CS / 8 dq 0		; null descriptor and the unused ones below BOOT_CS
	dq	GDT_CODE64		; BOOT_CS
	dq	GDT_DATA		; BOOT_DS: trampoline.h asserts it follows BOOT_CS
.end:

loader_tramp_end:

; No executable stack wanted when this object is linked into host test binaries.
	section .note.GNU-stack noalloc noexec nowrite progbits
