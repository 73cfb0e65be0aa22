// SPDX-License-Identifier: GPL-2.0-only
/*
 * WBINVD and WBNOINVD (one intercept, one exit code): a no-op under the monitor. Either
 * writes back every dirty line of the whole machine's caches, and WBINVD empties them too:
 * one guest looping on it slows the other for nothing, since x86 caches are coherent with
 * DMA and with each other. What is lost: a guest that relies on it for a device that does
 * not snoop the caches, or to drop stale lines after it made some of its memory uncached
 * through its PAT (Linux uses CLFLUSH for that, which every x86-64 CPU has and which
 * touches only the lines named).
 *
 * When the CPU does not say where the next instruction starts (SVM without NRIP save, as
 * under QEMU's TCG), the length comes from the bytes at RIP: WBNOINVD is
 * WBINVD with an F3 prefix, and any instruction may carry redundant prefixes.
 */

#include "monitor/decode.h"
#include "monitor/vcpu_exit.h"

static bool wbinvd_prefix(uint8_t b, bool long_mode)
{
	switch (b) {
	case 0x26: case 0x2e: case 0x36: case 0x3e: case 0x64: case 0x65:
	case 0x66: case 0x67: case 0xf2: case 0xf3:
		return true;
	default:
		/* REX, in 64-bit code only (elsewhere 40-4f are INC and DEC). */
		return long_mode && (b & 0xf0) == 0x40;
	}
}

size_t exit_wbinvd_length(const uint8_t *code, size_t n, bool long_mode)
{
	size_t i = 0;

	if (n > DECODE_MAX_LEN)
		n = DECODE_MAX_LEN;
	while (i < n && wbinvd_prefix(code[i], long_mode))
		i++;
	if (i + 2 > n || code[i] != 0x0f || code[i + 1] != 0x09)
		return 0;
	return i + 2;
}

enum exit_action exit_wbinvd(struct monitor *m, struct vcpu *vc, const struct vcpu_exit *x)
{
	struct guest *g = vc->g;
	uint64_t rip = vcpu_get(m, vc, VCPU_REG_RIP);
	size_t len = 0;

	if (!x->next_rip) {
		uint8_t code[DECODE_MAX_LEN];
		size_t n = vcpu_fetch_insn(m, vc, code);

		/* Not the instruction the exit names (or not readable): never guess a length. */
		len = exit_wbinvd_length(code, n, vcpu_long_mode(m, vc));
		if (!len) {
			monitor_guest_stop(m, g, "WBINVD exit at rip 0x%llx without a WBINVD there",
					   (unsigned long long)rip);
			return EXIT_STOP;
		}
	}
	if (!g->wbinvd_logged) {
		monitor_log(m, "monitor: guest %c: WBINVD/WBNOINVD at rip 0x%llx is a no-op here "
			       "(later ones are not logged)",
			    g->letter, (unsigned long long)rip);
		g->wbinvd_logged = true;
	}
	vcpu_skip(m, vc, x, (unsigned)len);
	return EXIT_RESUME;
}
