// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target for the PCI description twinmon-check --pci reads: any bytes go to
 * partition_pci_parse_text(), which must not read outside them; what it accepts must be BARs
 * hardware could hold, and the described machine must size each one back to what was parsed.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "partition/pci_text.h"

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond))                                                                       \
			__builtin_trap();                                                          \
	} while (0)

#define FZ_MAX 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct partition_bar bars[FZ_MAX];
	static uint8_t sized[2 * FZ_MAX];
	struct partition_bar got[PARTITION_MAX_BARS];
	struct partition_pci_desc desc;
	struct partition_pci_ops ops;
	char err[128], msg[96];
	size_t n = 0, m;
	int rc;

	rc = partition_pci_parse_text((const char *)data, size, bars, FZ_MAX, &n, err, sizeof(err));
	CHECK(rc == 0 || rc == -EINVAL || rc == -E2BIG);
	CHECK(memchr(err, 0, sizeof(err)));
	CHECK(n <= FZ_MAX);
	if (rc) {
		CHECK(!strncmp(err, "partition: pci line ", 20));
		return 0;
	}
	memset(sized, 0, sizeof(sized));
	desc = (struct partition_pci_desc){ bars, n, sized };
	ops = partition_pci_desc_ops(&desc);
	for (size_t i = 0; i < n; i++) {
		const struct partition_bar *b = &bars[i];
		bool found = false;

		CHECK(b->size && !(b->size & (b->size - 1)) && !(b->base & (b->size - 1)));
		CHECK(b->kind != PARTITION_BAR_IO || b->base + b->size <= 0x10000);
		CHECK(b->kind != PARTITION_BAR_MEM32 || b->base + b->size <= (1ULL << 32));
		if (partition_pci_read_bars(&ops, b->bdf, got, PARTITION_MAX_BARS, &m, msg,
					    sizeof(msg)))
			__builtin_trap();
		for (size_t j = 0; j < m; j++)
			found |= got[j].index == b->index && got[j].kind == b->kind &&
				 got[j].base == b->base && got[j].size == b->size;
		CHECK(found);
	}
	for (size_t i = 0; i < 2 * FZ_MAX; i++)
		CHECK(!sized[i]);
	return 0;
}
