/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The twinmon guest ABI, version 1: the one header both sides build from. The monitor
 * includes it for its CPUID and VMMCALL handlers, the bundled test guests for their calls.
 * docs/guest-abi.md is the prose version; when they disagree, this file is the contract and
 * the document is the bug.
 *
 * Pure C11 with the compiler's freestanding headers only (stdint.h, stddef.h): no libc, no
 * project headers, so any guest kernel can copy it. Every layout is pinned by _Static_assert.
 *
 * Discovery: CPUID leaf 1 ECX bit 31 ("hypervisor present"), then leaf 0x40000000 returns
 * EAX = the highest twinmon leaf and EBX, ECX, EDX = "twin", "mon-", "abi1" (the 12 bytes
 * "twinmon-abi1" in register order EBX, ECX, EDX, little-endian, as KVM's "KVMKVMKVM").
 * Leaf 0x40000001 returns EAX = TM_ABI_VERSION; its EBX, ECX and EDX are 0 (reserved).
 *
 * Calls: VMMCALL (0f 01 d9) on AMD, VMCALL (0f 01 c1) on Intel (CPUID leaf 0's vendor), at
 * CPL 0 with RAX = call number and arguments in RDI, RSI, RDX.
 * The result is in RAX: >= 0 success, a negative errno on failure. Every other register,
 * RFLAGS and memory outside the buffers a call names are preserved; RIP moves past the
 * instruction. Addresses are guest-physical (the guest's own page tables play no part), and
 * every byte of a buffer must be RAM of the calling guest (its e820 type 1), or the call
 * fails with -TM_EFAULT before doing anything.
 */
#ifndef TWINMON_ABI_H
#define TWINMON_ABI_H

#include <stddef.h>
#include <stdint.h>

/* ---- CPUID ------------------------------------------------------------------------------ */

#define TM_CPUID_HYPERVISOR_ECX	(1u << 31)	/* leaf 1, ECX: running under a hypervisor */
#define TM_CPUID_BASE		0x40000000u	/* EAX = TM_CPUID_MAX, EBX:ECX:EDX = signature */
#define TM_CPUID_VERSION	0x40000001u	/* EAX = TM_ABI_VERSION, EBX = ECX = EDX = 0 */
#define TM_CPUID_MAX		TM_CPUID_VERSION

#define TM_CPUID_SIG_EBX	0x6e697774u	/* "twin" */
#define TM_CPUID_SIG_ECX	0x2d6e6f6du	/* "mon-" */
#define TM_CPUID_SIG_EDX	0x31696261u	/* "abi1" */
#define TM_ABI_SIGNATURE	"twinmon-abi1"	/* the 12 bytes above, as text */

#define TM_ABI_VERSION		1u

/* The signature words are the ASCII bytes in little-endian order: pin them to the text. */
#define TM_ABI_LE32(a, b, c, d)                                                            \
	((uint32_t)(uint8_t)(a) | (uint32_t)(uint8_t)(b) << 8 | (uint32_t)(uint8_t)(c) << 16 |  \
	 (uint32_t)(uint8_t)(d) << 24)
_Static_assert(TM_CPUID_SIG_EBX == TM_ABI_LE32('t', 'w', 'i', 'n'), "EBX is \"twin\"");
_Static_assert(TM_CPUID_SIG_ECX == TM_ABI_LE32('m', 'o', 'n', '-'), "ECX is \"mon-\"");
_Static_assert(TM_CPUID_SIG_EDX == TM_ABI_LE32('a', 'b', 'i', '1'), "EDX is \"abi1\"");
_Static_assert(sizeof(TM_ABI_SIGNATURE) == 13, "the signature is 12 bytes and a NUL");

/* ---- hypercalls (RAX) ------------------------------------------------------------------- */

/* Does nothing, returns 0: the round trip guest -> monitor -> guest, for benchmarks. */
#define TM_HC_NOP		0u
/*
 * RDI = gpa of bytes, RSI = length (0..TM_CONSOLE_MAX). The bytes go to the monitor's log as
 * text lines prefixed "guest <letter>: ". They are appended to a per-guest line buffer:
 * '\n' ends a line (an empty one too), '\r' is dropped, bytes outside 0x20..0x7e other than
 * '\t' become '?', and a line longer than TM_CONSOLE_LINE bytes is split there. A partial
 * line waits for the next call (or a verdict, which ends it first). Returns the length.
 * The log has a per-guest budget (docs/guest-abi.md): lines past it are dropped and counted.
 */
#define TM_HC_CONSOLE_WRITE	1u
/* Returns the TSC frequency in kHz as the monitor measured it (> 0). */
#define TM_HC_TSC_KHZ		2u
/* Ends the caller's time slice now; returns 0 when the caller is next scheduled. */
#define TM_HC_YIELD		3u
/*
 * RDI = 0 for pass, any other value a failure code; RSI = gpa of a message, RDX = its length
 * (0..TM_VERDICT_MAX). The monitor ends the guest's partial console line, then logs
 *     guest <letter>: verdict pass: <message>
 *     guest <letter>: verdict fail(<code>): <message>     (code in decimal, as int64_t)
 * with the message's bytes shown as console bytes are and each '\n' as a blank. It keeps
 * the latest verdict of each guest; the guest goes on running. Returns 0.
 */
#define TM_HC_VERDICT		4u
/*
 * RDI = gpa of a struct tm_guest_stats buffer, RSI = its size (>= 8). The monitor writes
 * min(RSI, sizeof(struct tm_guest_stats)) bytes of the caller's counters as they are when
 * the call is handled and returns how many it wrote.
 */
#define TM_HC_STATS		5u
/*
 * No arguments. The monitor writes the caller's statistics to its log as machine-readable
 * TWINMON-STATS lines (docs/lab.md), the guest's record and its vCPUs', marked
 * when=request. They come out of the caller's log budget (the console's), charged at
 * TM_STATS_LOG_COST bytes per record: returns 0, or -TM_EAGAIN when the budget cannot pay
 * (nothing is written then).
 */
#define TM_HC_STATS_LOG		6u
#define TM_HC_COUNT		7u	/* numbers >= this return -TM_ENOSYS */

#define TM_CONSOLE_MAX		4096u
#define TM_CONSOLE_LINE		160u	/* longer console lines are split */
#define TM_VERDICT_MAX		256u
#define TM_VERDICT_PASS		0u
#define TM_STATS_LOG_COST	2048u	/* log budget bytes per TWINMON-STATS record */

/* Errors (returned negated), with Linux's numbers. */
#define TM_EPERM		1	/* VMMCALL at CPL > 0 */
#define TM_E2BIG		7	/* a length above TM_CONSOLE_MAX or TM_VERDICT_MAX */
#define TM_EAGAIN		11	/* TM_HC_STATS_LOG over the log budget: later */
#define TM_EFAULT		14	/* a buffer is not entirely the caller's RAM */
#define TM_EINVAL		22	/* a TM_HC_STATS buffer smaller than 8 bytes */
#define TM_ENOSYS		38	/* unknown call number */

/* ---- TM_HC_STATS ------------------------------------------------------------------------ */

/*
 * Reasons of #VMEXIT counted in exits_by_reason[]; the monitor maps every SVM exit code to
 * exactly one of them, so the entries add up to exits_total.
 */
enum tm_exit_reason {
	TM_EXIT_IO = 0,		/* intercepted IN/OUT/INS/OUTS */
	TM_EXIT_MSR = 1,	/* intercepted RDMSR/WRMSR */
	TM_EXIT_CPUID = 2,
	TM_EXIT_NPF = 3,	/* nested page fault */
	TM_EXIT_VMMCALL = 4,	/* hypercalls, the TM_HC_STATS being answered included */
	TM_EXIT_HLT = 5,
	TM_EXIT_INTR = 6,	/* physical interrupt: the monitor's timer or a device IRQ */
	TM_EXIT_NMI = 7,	/* NMI, SMI, INIT */
	TM_EXIT_SVM_INSN = 8,	/* VMRUN, VMLOAD, VMSAVE, STGI, CLGI, SKINIT, INVLPGA */
	TM_EXIT_SHUTDOWN = 9,	/* triple fault */
	TM_EXIT_EXCEPTION = 10,	/* an intercepted exception vector */
	TM_EXIT_OTHER = 11,	/* any other intercept the monitor handles */
	TM_EXIT_UNKNOWN = 12,	/* an exit without a handler, or VMEXIT_INVALID */
	TM_EXIT_VINTR = 13,	/* virtual interrupt window */
	TM_EXIT_CR = 14,	/* control and debug register accesses */
	TM_EXIT_PAUSE = 15,	/* PAUSE filter */
	TM_EXIT_REASONS = 16,
};

#define TM_STATS_VERSION	1u

struct tm_guest_stats {
	uint64_t version;			/* TM_STATS_VERSION: later versions only append */
	uint64_t switches_in;			/* slices started: world switches into this guest */
	uint64_t exits_total;			/* every #VMEXIT of this guest */
	uint64_t exits_by_reason[TM_EXIT_REASONS]; /* indexed by enum tm_exit_reason */
	uint64_t cycles_in_guest;		/* TSC cycles from VMRUN to #VMEXIT, summed */
	uint64_t cycles_in_monitor;		/* TSC cycles from each #VMEXIT of this guest to
						 * the next VMRUN of either guest, summed */
	uint64_t slice_us;			/* this guest's configured time slice */
};

_Static_assert(offsetof(struct tm_guest_stats, version) == 0, "version at 0");
_Static_assert(offsetof(struct tm_guest_stats, switches_in) == 8, "switches_in at 8");
_Static_assert(offsetof(struct tm_guest_stats, exits_total) == 16, "exits_total at 16");
_Static_assert(offsetof(struct tm_guest_stats, exits_by_reason) == 24, "exits_by_reason at 24");
_Static_assert(offsetof(struct tm_guest_stats, cycles_in_guest) == 152, "cycles_in_guest at 152");
_Static_assert(offsetof(struct tm_guest_stats, cycles_in_monitor) == 160,
	       "cycles_in_monitor at 160");
_Static_assert(offsetof(struct tm_guest_stats, slice_us) == 168, "slice_us at 168");
_Static_assert(sizeof(struct tm_guest_stats) == 176, "struct tm_guest_stats is 176 bytes");
_Static_assert(TM_EXIT_REASONS == 16, "exits_by_reason has 16 entries");

#endif
