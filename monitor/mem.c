// SPDX-License-Identifier: GPL-2.0-only
/*
 * Memory the monitor touches: its own pool (a bump allocator over the block the EFI app
 * reserved) and guest-physical buffers named by hypercalls, which must lie in the guest's
 * RAM before the monitor reads or writes them.
 */
#include <errno.h>
#include <string.h>

#include "monitor/core.h"

void monitor_pool_init(struct monitor_pool *p, uint64_t base, uint64_t size)
{
	p->base = base;
	p->size = size;
	p->used = 0;
}

int monitor_pool_alloc(struct monitor *m, uint64_t size, uint64_t align, uint64_t *pa,
		       void **va)
{
	struct monitor_pool *p = &m->pool;
	uint64_t start, end;
	void *ptr;

	if (size == 0 || align == 0 || (align & (align - 1)))
		return -EINVAL;
	/* Any CPU may allocate (a guest's restart): one at a time. */
	spinlock_lock(&m->pool_lock);
	start = (p->base + p->used + align - 1) & ~(align - 1);
	if (start < p->base || __builtin_add_overflow(start, size, &end) ||
	    end > p->base + p->size) {
		spinlock_unlock(&m->pool_lock);
		return -ENOMEM;
	}
	ptr = m->phys(m->phys_ctx, start, size);
	if (!ptr) {
		spinlock_unlock(&m->pool_lock);
		return -EFAULT;
	}
	p->used = end - p->base;
	spinlock_unlock(&m->pool_lock);
	memset(ptr, 0, size);
	*pa = start;
	if (va)
		*va = ptr;
	return 0;
}

bool monitor_guest_ram_contains(const struct guest *g, uint64_t gpa, uint64_t len)
{
	uint64_t end, pos = gpa;

	if (len == 0)
		return true;
	if (__builtin_add_overflow(gpa, len, &end))
		return false;
	/* Ranges are sorted and disjoint; a buffer may run on into an adjacent range. */
	for (size_t i = 0; i < g->nr_ram && pos < end; i++) {
		if (g->ram[i].end <= pos)
			continue;
		if (g->ram[i].base > pos)
			return false;
		pos = g->ram[i].end;
	}
	return pos >= end;
}

void *monitor_guest_ptr(struct monitor *m, const struct guest *g, uint64_t gpa, uint64_t len)
{
	if (!monitor_guest_ram_contains(g, gpa, len))
		return NULL;
	return m->phys(m->phys_ctx, gpa, len);
}
