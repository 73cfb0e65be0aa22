// SPDX-License-Identifier: GPL-2.0-only
/*
 * The C side of every exception and interrupt (see trap.h). A vector with a handler goes
 * to it; a fault inside guest_try() goes back to it; anything else is reported with the
 * registers and a frame-pointer backtrace, as a failed verdict under twinmon, and the guest
 * halts.
 */
#include "guests/lib/trap.h"

#include <stdbool.h>

#include "guests/lib/cpu.h"
#include "guests/lib/out.h"
#include "guests/lib/try.h"
#include "lib/fmt.h"

#define TRAP_VERDICT_BASE	0x100	/* verdict code: 0x100 + vector */
#define TRAP_BACKTRACE_MAX	8

struct try_fault guest_try_fault;

/* Written with interrupts off or before the vector can fire; read by the handler. */
static volatile trap_handler_fn trap_handlers[256];

void trap_set_handler(unsigned vector, trap_handler_fn fn)
{
	if (vector < 256)
		trap_handlers[vector] = fn;
}

/* entry.asm's boot stack: frame pointers outside it are not followed. */
extern uint8_t guest_boot_stack[], guest_boot_stack_top[];

static const char *const trap_names[32] = {
	"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM",
	"#DF", "#CSO", "#TS", "#NP", "#SS", "#GP", "#PF", "#15",
	"#MF", "#AC", "#MC", "#XM", "#VE", "#CP", "#22", "#23",
	"#24", "#25", "#26", "#27", "#HV", "#VC", "#SX", "#31",
};

const char *trap_name(uint64_t vector)
{
	return vector < 32 ? trap_names[vector] : "interrupt";
}

/* Faults an attack may cause and survive; NMI, #DF and #MC mean something else broke. */
static bool trap_recoverable(uint64_t vector)
{
	return vector < 32 && vector != 2 && vector != 8 && vector != 18;
}

static void trap_backtrace(uint64_t rbp)
{
	uint64_t lo = (uint64_t)(uintptr_t)guest_boot_stack;
	uint64_t hi = (uint64_t)(uintptr_t)guest_boot_stack_top;
	char line[OUT_LINE_MAX];
	size_t len = 0;

	for (int i = 0; i < TRAP_BACKTRACE_MAX; i++) {
		if (rbp < lo || rbp > hi - 16 || (rbp & 7))
			break;
		const uint64_t *frame = (const uint64_t *)(uintptr_t)rbp;
		len += (size_t)fmt_snprintf(line + len, sizeof(line) - len, " 0x%llx",
					    (unsigned long long)frame[1]);
		if (len >= sizeof(line))
			break;
		/* The chain must go up the stack, or a corrupt one could loop. */
		if (frame[0] <= rbp)
			break;
		rbp = frame[0];
	}
	if (len)
		out_line("  backtrace:%s", line);
}

void guest_trap(struct trap_frame *f)
{
	static bool reporting;
	uint64_t cr2 = f->vector == 14 ? read_cr2() : 0;
	trap_handler_fn fn = trap_handlers[f->vector & 0xff];

	if (fn) {
		fn(f);
		return;
	}
	if (guest_try_active && trap_recoverable(f->vector)) {
		guest_try_fault = (struct try_fault){ f->vector, f->error, f->rip, cr2 };
		f->rip = (uint64_t)(uintptr_t)guest_try_landing;
		f->rsp = guest_try_rsp;
		return;
	}
	/* A fault while reporting one: the report itself is broken, stop here. */
	if (reporting)
		cpu_halt_forever();
	reporting = true;
	if (f->vector == 14)
		out_log("EXCEPTION #PF (vector 14) error 0x%llx at rip 0x%llx, cr2 0x%llx",
			(unsigned long long)f->error, (unsigned long long)f->rip,
			(unsigned long long)cr2);
	else
		out_log("EXCEPTION %s (vector %llu) error 0x%llx at rip 0x%llx",
			trap_name(f->vector), (unsigned long long)f->vector,
			(unsigned long long)f->error, (unsigned long long)f->rip);
	out_line("  rax 0x%llx rbx 0x%llx rcx 0x%llx rdx 0x%llx", (unsigned long long)f->rax,
		 (unsigned long long)f->rbx, (unsigned long long)f->rcx,
		 (unsigned long long)f->rdx);
	out_line("  rsi 0x%llx rdi 0x%llx rbp 0x%llx rsp 0x%llx", (unsigned long long)f->rsi,
		 (unsigned long long)f->rdi, (unsigned long long)f->rbp,
		 (unsigned long long)f->rsp);
	out_line("  r8 0x%llx r9 0x%llx r10 0x%llx r11 0x%llx", (unsigned long long)f->r8,
		 (unsigned long long)f->r9, (unsigned long long)f->r10,
		 (unsigned long long)f->r11);
	out_line("  r12 0x%llx r13 0x%llx r14 0x%llx r15 0x%llx", (unsigned long long)f->r12,
		 (unsigned long long)f->r13, (unsigned long long)f->r14,
		 (unsigned long long)f->r15);
	out_line("  cs 0x%llx rflags 0x%llx ss 0x%llx", (unsigned long long)f->cs,
		 (unsigned long long)f->rflags, (unsigned long long)f->ss);
	trap_backtrace(f->rbp);
	out_verdict(TRAP_VERDICT_BASE + f->vector, "exception %s at rip 0x%llx",
		    trap_name(f->vector), (unsigned long long)f->rip);
	out_line("halted");
	cpu_halt_forever();
}
