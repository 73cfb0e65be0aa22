// SPDX-License-Identifier: GPL-2.0-only
#include "tests/unit/test_loader_synth.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

long synth_live;
int synth_fail_after;

static void *synth_alloc(void *ctx, size_t size)
{
	if (synth_fail_after > 0 && --synth_fail_after == 0)
		return NULL;
	synth_live++;
	return calloc(1, size ? size : 1);
}

static void synth_free(void *ctx, void *p, size_t size)
{
	synth_live--;
	free(p);
}

const struct loader_staging synth_staging = { NULL, synth_alloc, synth_free };

void synth_bz_defaults(struct synth_bz *o)
{
	*o = (struct synth_bz){
		.magic = 0x53726448, .boot_flag = 0xaa55, .jump_op = 0xeb, .jump_len = 0x6a,
		.version = 0x020f, .setup_sects = 7, .loadflags = 0x01, .xloadflags = 0x03,
		.relocatable = 1, .min_alignment = 21, .kernel_alignment = 2 * MiB,
		.pref_address = 16 * MiB, .init_size = 4 * MiB, .initrd_addr_max = 0x7fffffff,
		.cmdline_size = 2047, .payload = 0x3000 + 123,
	};
	o->syssize = (uint32_t)(o->payload / 16);
}

uint8_t synth_payload_byte(size_t i)
{
	return (uint8_t)(i * 7 + 3 + (i >> 12));
}

static void put16(uint8_t *p, size_t off, uint16_t v)
{
	p[off] = (uint8_t)v;
	p[off + 1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, size_t off, uint32_t v)
{
	put16(p, off, (uint16_t)v);
	put16(p, off + 2, (uint16_t)(v >> 16));
}

static void put64(uint8_t *p, size_t off, uint64_t v)
{
	put32(p, off, (uint32_t)v);
	put32(p, off + 4, (uint32_t)(v >> 32));
}

uint8_t *synth_bzimage(const struct synth_bz *o, size_t *size)
{
	size_t setup = ((o->setup_sects ? o->setup_sects : 4) + 1) * 512;
	uint8_t *p = calloc(1, setup + o->payload);

	/* Offsets straight from boot.rst's header table, independent of loader/bootparams.h. */
	p[0x1f1] = o->setup_sects;
	put32(p, 0x1f4, o->syssize);
	put16(p, 0x1fe, o->boot_flag);
	p[0x200] = o->jump_op;
	p[0x201] = o->jump_len;
	put32(p, 0x202, o->magic);
	put16(p, 0x206, o->version);
	p[0x211] = o->loadflags;
	put32(p, 0x214, 0x100000);
	put32(p, 0x22c, o->initrd_addr_max);
	put32(p, 0x230, o->kernel_alignment);
	p[0x234] = o->relocatable;
	p[0x235] = o->min_alignment;
	put16(p, 0x236, o->xloadflags);
	put32(p, 0x238, o->cmdline_size);
	put64(p, 0x258, o->pref_address);
	put32(p, 0x260, o->init_size);
	/* Bytes past the header's end, which the loader must not copy into boot_params. */
	memset(p + 0x26c, 0x5a, 0x290 - 0x26c);
	for (size_t i = 0; i < o->payload; i++)
		p[setup + i] = synth_payload_byte(i);
	*size = setup + o->payload;
	return p;
}

uint8_t synth_elf_byte(size_t load, size_t i)
{
	return (uint8_t)((load + 1) * 17 + i * 5 + (i >> 9));
}

size_t synth_elf_offset(const struct synth_elf *o, size_t i)
{
	size_t off = 0x1000;

	/* Each load's bytes start on a fresh page after the previous load's. */
	for (size_t j = 0; j < i; j++)
		off += (o->load[j].filesz + 0xfff) & ~(size_t)0xfff;
	return off;
}

uint8_t *synth_elf(const struct synth_elf *o, size_t *size)
{
	size_t total = o->nload ? synth_elf_offset(o, o->nload - 1) + o->load[o->nload - 1].filesz
				: 0x1000;
	uint8_t *p;

	p = calloc(1, total);
	memcpy(p, "\177ELF", 4);
	p[4] = o->class ? o->class : 2;
	p[5] = o->data ? o->data : 1;
	p[6] = 1;
	put16(p, 16, o->type ? o->type : 2);
	put16(p, 18, o->machine ? o->machine : 62);
	put32(p, 20, 1);
	put64(p, 24, o->entry);
	put64(p, 32, 64);
	put16(p, 52, 64);
	put16(p, 54, o->phentsize ? o->phentsize : 56);
	put16(p, 56, (uint16_t)o->nload);
	for (size_t i = 0; i < o->nload; i++) {
		const struct synth_load *l = &o->load[i];
		size_t ph = 64 + i * 56;

		put32(p, ph, l->type ? l->type : 1);
		put32(p, ph + 4, 7);
		put64(p, ph + 8, synth_elf_offset(o, i));
		put64(p, ph + 16, l->vaddr ? l->vaddr : l->paddr);
		put64(p, ph + 24, l->paddr);
		put64(p, ph + 32, l->filesz);
		put64(p, ph + 40, l->memsz);
		put64(p, ph + 48, 0x1000);
		for (size_t j = 0; j < l->filesz; j++)
			p[synth_elf_offset(o, i) + j] = synth_elf_byte(i, j);
	}
	*size = total;
	return p;
}

void synth_params(struct loader_params *p, const char *name, const void *image, size_t size,
		  const struct memmap_entry *map, size_t n)
{
	*p = (struct loader_params){
		.name = name, .image = image, .image_size = size, .map = map, .map_count = n,
		.staging = &synth_staging,
	};
}

const struct loader_segment *synth_seg(const struct loader_plan *plan, const char *what)
{
	for (size_t i = 0; i < plan->nseg; i++)
		if (!strcmp(plan->seg[i].what, what))
			return &plan->seg[i];
	return NULL;
}

static int pool_alloc(void *ctx, const struct loader_range *avoid, size_t navoid, uint64_t *pa)
{
	struct synth_pool *pool = ctx;

	if (pool->fail_after > 0 && --pool->fail_after == 0)
		return -ENOMEM;
	for (size_t n = 0; n < pool->npages; n++) {
		size_t k = (pool->cursor + n) % pool->npages, page = pool->order[k];
		uint64_t addr = pool->sim.base + page * LOADER_PAGE_SIZE;
		bool skip = pool->used[page];

		for (size_t i = 0; pool->honour_avoid && i < navoid; i++)
			skip |= addr >= avoid[i].base && addr - avoid[i].base < avoid[i].size;
		if (skip)
			continue;
		pool->used[page] = 1;
		pool->cursor = k + 1;
		pool->live++;
		*pa = addr;
		return 0;
	}
	return -ENOMEM;
}

static size_t pool_page(const struct synth_pool *pool, uint64_t pa)
{
	if (pa < pool->sim.base || pa - pool->sim.base >= pool->sim.size ||
	    (pa - pool->sim.base) % LOADER_PAGE_SIZE)
		fail_msg("page 0x%llx is not from the pool", (unsigned long long)pa);
	return (pa - pool->sim.base) / LOADER_PAGE_SIZE;
}

static void pool_free(void *ctx, uint64_t pa)
{
	struct synth_pool *pool = ctx;
	size_t page = pool_page(pool, pa);

	if (!pool->used[page])
		fail_msg("page 0x%llx freed twice", (unsigned long long)pa);
	pool->used[page] = 0;
	pool->live--;
}

static void *pool_va(void *ctx, uint64_t pa)
{
	struct synth_pool *pool = ctx;
	size_t page = pool_page(pool, pa);

	/* The builder must only touch pages it holds. */
	if (!pool->used[page])
		fail_msg("page 0x%llx used while free", (unsigned long long)pa);
	return pool->sim.mem + page * LOADER_PAGE_SIZE;
}

void synth_pool_init(struct synth_pool *pool, uint8_t *mem, uint64_t base, uint64_t size)
{
	*pool = (struct synth_pool){
		.sim = { mem, base, size }, .npages = size / LOADER_PAGE_SIZE,
	};
	pool->used = calloc(pool->npages, 1);
	pool->order = calloc(pool->npages, sizeof(*pool->order));
	for (size_t i = 0; i < pool->npages; i++)
		pool->order[i] = i;
	pool->ops = (struct loader_page_ops){ pool, pool_alloc, pool_free, pool_va };
}

void synth_pool_shuffle(struct synth_pool *pool, uint64_t *seed)
{
	for (size_t i = pool->npages - 1; i > 0; i--) {
		size_t j = synth_rand(seed) % (i + 1), t = pool->order[i];

		pool->order[i] = pool->order[j];
		pool->order[j] = t;
	}
}

void synth_pool_prefer(struct synth_pool *pool, uint64_t first, uint64_t last)
{
	size_t lo = pool_page(pool, first & LOADER_PAGE_MASK);
	size_t hi = pool_page(pool, last & LOADER_PAGE_MASK), n = 0;

	/* Stable partition: [hi..lo] first, then the rest in their previous order. */
	size_t *o = malloc(pool->npages * sizeof(*o));
	for (size_t p = hi + 1; p-- > lo;)
		o[n++] = p;
	for (size_t i = 0; i < pool->npages; i++)
		if (pool->order[i] < lo || pool->order[i] > hi)
			o[n++] = pool->order[i];
	memcpy(pool->order, o, pool->npages * sizeof(*o));
	free(o);
	pool->cursor = 0;
}

void synth_pool_fini(struct synth_pool *pool)
{
	free(pool->used);
	free(pool->order);
}

uint64_t synth_rand(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545f4914f6cdd1dULL;
}
