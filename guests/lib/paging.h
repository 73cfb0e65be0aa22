/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guests' own page tables: an identity map built from 2 MiB pages, four levels (or
 * five when the guest was entered with CR4.LA57, which cannot be changed in long mode).
 * Tables come from a caller-supplied pool of 4 KiB pages; pool_pa is the pool's physical
 * address, so the host tests can build tables in an ordinary buffer and walk them.
 */
#ifndef TWINMON_GUESTS_PAGING_H
#define TWINMON_GUESTS_PAGING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PTE_P		(1ull << 0)
#define PTE_RW		(1ull << 1)
#define PTE_PS		(1ull << 7)
#define PTE_ADDR	0x000ffffffffff000ull
#define PT_PAGE		4096ull
#define PT_LARGE	(2ull << 20)

struct pt {
	uint64_t *pool;
	uint64_t pool_pa;
	size_t pages, used;
	unsigned levels;	/* 4 or 5 */
	uint64_t root_pa;	/* what goes into CR3 */
};

/* Take the root table from the pool. 0, or -ENOMEM for an empty pool. */
int pt_init(struct pt *pt, void *pool, uint64_t pool_pa, size_t pages, bool la57);

/*
 * Identity-map the 2 MiB page holding pa (read/write, write-back). Mapping it again is a
 * no-op. 0, -ENOMEM (pool exhausted) or -ERANGE (not a canonical lower-half address).
 */
int pt_map_2m(struct pt *pt, uint64_t pa);

/* Every 2 MiB page [base, base + size) touches. */
int pt_map_range(struct pt *pt, uint64_t base, uint64_t size);

/* Translate va as the MMU would; false when it is not mapped. */
bool pt_lookup(const struct pt *pt, uint64_t va, uint64_t *pa);

#endif
