/* SPDX-License-Identifier: GPL-2.0-only */
/* Is the guest running under twinmon? CPUID leaves 1 and 0x40000000 say. */
#ifndef TWINMON_GUESTS_MONITOR_H
#define TWINMON_GUESTS_MONITOR_H

#include <stdbool.h>
#include <stdint.h>

struct tm_presence {
	bool hypervisor;	/* CPUID 1 ECX bit 31: some hypervisor (QEMU TCG sets it too) */
	bool twinmon;		/* the twinmon signature and a known ABI version */
	uint32_t max_leaf;	/* CPUID 0x40000000 EAX */
	uint32_t version;	/* CPUID 0x40000001 EAX, when twinmon */
	char signature[13];	/* EBX, ECX, EDX of 0x40000000 as text (NUL-terminated) */
};

/*
 * Decide from raw CPUID results: leaf1_ecx from leaf 1, base[] = EAX..EDX of 0x40000000,
 * version_eax = EAX of 0x40000001. Pure, so the host tests can feed it any answer.
 */
void tm_presence_decode(struct tm_presence *p, uint32_t leaf1_ecx, const uint32_t base[4],
			uint32_t version_eax);

/* Run CPUID and decode. Leaf 0x40000000 is only asked when the hypervisor bit is set. */
void tm_detect(struct tm_presence *p);

#endif
