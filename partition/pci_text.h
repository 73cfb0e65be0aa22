/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A machine's PCI functions and BARs as text, for twinmon-check --pci: what the EFI app
 * finds at boot, written down so a plan can be checked offline (docs/partition.md, "PCI
 * description"):
 *
 *	twinmon-pci 1
 *	# function  BAR  kind   base         size
 *	00:02.0     0    mem32  0xfd000000   0x1000000
 *	00:03.0     1    io     0xc000       0x20
 *	00:04.0     4    mem64  0x800000000  0x4000
 *
 * A described machine answers configuration reads and BAR sizing like the real one
 * (partition_pci_desc_ops), so the boot code's own scan and checks run on it.
 */
#ifndef TWINMON_PARTITION_PCI_TEXT_H
#define TWINMON_PARTITION_PCI_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "partition/devices.h"

#define PARTITION_PCI_TEXT_HEADER "twinmon-pci 1\n"

/*
 * Parse text (len bytes, need not be NUL-terminated) into out (cap entries; *n set). Each
 * BAR is checked as hardware would have it: a power-of-two size (at least 4 ports or 16
 * bytes), a base aligned to it, I/O below 0x10000, mem32 below 4 GiB, a 64-bit BAR not in
 * the last slot and no BAR listed twice or inside a 64-bit one. -EINVAL on a malformed
 * line, -E2BIG when out is full; err then holds "partition: pci line N: ...".
 */
int partition_pci_parse_text(const char *text, size_t len, struct partition_bar *out,
			     size_t cap, size_t *n, char *err, size_t errlen);

/*
 * One BAR's line, newline included, as the parser reads it (the EFI app logs the machine's
 * BARs this way, prefixed "pci: ", for capture). Returns what fmt_snprintf() returns.
 */
int partition_pci_format_line(char *buf, size_t size, const struct partition_bar *bar);

/*
 * Configuration space of a described machine: each listed function (and function 0 of its
 * device, as a multi-function device) answers with its BARs, which size as real ones do;
 * no capabilities, nothing else. sized[] tracks BAR dwords holding all ones: it needs
 * 2 * nr entries, zeroed.
 */
struct partition_pci_desc {
	const struct partition_bar *bars;
	size_t nr;
	uint8_t *sized;
};

struct partition_pci_ops partition_pci_desc_ops(struct partition_pci_desc *desc);

#endif
