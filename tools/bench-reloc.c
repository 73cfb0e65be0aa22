// SPDX-License-Identifier: GPL-2.0-only
/*
 * bench-reloc: make bench's P3 (scripts/bench-loader, docs/measuring.md). Relocates an
 * image of MIB MiB through the indirection list with the monitor's own code (the builder
 * from loader/indirection.c, the copy loop from loader/trampoline.asm, the same object the
 * EFI app copies into its pool), and copies the same bytes with the C library's memcpy,
 * in one process, alternating, ROUNDS times; the fastest of each counts.
 *
 *   bench-reloc [MIB [ROUNDS [down|up]]]     defaults: 64 MiB, 5 rounds, down
 *
 * Why on the host and not in the app: the trampoline runs after ExitBootServices, where
 * the only free memory for a baseline copy of 64 MiB would have to be set aside by a
 * bench-only boot option, and under QEMU TCG both copies would measure QEMU's emulation
 * of rep movsq and of a copy loop rather than the memory system. Here the copy loop runs
 * natively; the app logs the real path's cycles too ("efi: relocated N pages in C cycles").
 *
 * The layout mimics the app: the image sits in one buffer (the file as read), the list
 * builder copies it into single pages handed out from the top of a pool downwards (OVMF's
 * AllocateAnyPages takes the highest free page), and the list sends them to one
 * contiguous destination (`up` hands the pages out from the bottom upwards instead, to show
 * what the order costs). The memcpy copies the image buffer to the same destination.
 * Every buffer is touched before the clock starts, so no page fault is timed, and a third
 * buffer of the same size is written before each timed copy, so that neither copy finds
 * its source or destination in the caches the other one left.
 *
 * Output: a summary line, then "p3 RATIO reloc_ns N memcpy_ns N movsq_ns N pages N" for
 * the script. Exit status: 0, 1 when the relocated bytes differ from the image, 2 usage
 * or out of memory.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "loader/indirection.h"
#include "loader/internal.h"
#include "loader/trampoline.h"

struct bench_pool {
	uint8_t *mem;
	size_t pages;
	size_t next;		/* pages handed out */
	size_t live;
	bool up;		/* from the bottom upwards, not from the top down */
};

static int bench_alloc(void *ctx, const struct loader_range *avoid, size_t navoid, uint64_t *pa)
{
	struct bench_pool *p = ctx;

	/* Freed pages are not handed out again: the builder frees only at the end. */
	if (p->next == p->pages)
		return -1;
	p->next++;
	p->live++;
	*pa = (uint64_t)(uintptr_t)(p->mem + (p->up ? p->next - 1 : p->pages - p->next) *
							  LOADER_PAGE_SIZE);
	return 0;
}

static void bench_free(void *ctx, uint64_t pa)
{
	((struct bench_pool *)ctx)->live--;
}

static void *bench_va(void *ctx, uint64_t pa)
{
	return (void *)(uintptr_t)pa;
}

static uint64_t bench_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* One contiguous rep movsq: the trampoline's copy instruction without the list. */
static void bench_movsq(void *dst, const void *src, size_t bytes)
{
	size_t n = bytes / 8;

	__asm__ volatile("cld; rep movsq" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
}

/* Through a volatile pointer, so that the compiler calls the library's memcpy as is. */
static void *(*volatile bench_memcpy)(void *, const void *, size_t) = memcpy;

static void *bench_buffer(size_t bytes, int fill)
{
	void *p = aligned_alloc(LOADER_PAGE_SIZE, bytes);

	if (p)
		memset(p, fill, bytes);
	return p;
}

int main(int argc, char **argv)
{
	unsigned long mib = argc > 1 ? strtoul(argv[1], NULL, 0) : 64;
	unsigned long rounds = argc > 2 ? strtoul(argv[2], NULL, 0) : 5;
	static const struct loader_page_ops ops = { NULL, bench_alloc, bench_free, bench_va };
	struct loader_page_ops pops = ops;
	struct bench_pool pool = { 0 };
	struct loader_plan plan = { 0 };
	struct loader_reloc r;
	struct loader_err err;
	uint64_t best_reloc = UINT64_MAX, best_memcpy = UINT64_MAX, best_movsq = UINT64_MAX;
	uint64_t pages = 0;

	const char *order = argc > 3 ? argv[3] : "down";

	if (argc > 4 || !mib || mib > 4096 || !rounds || rounds > 100 ||
	    (strcmp(order, "down") && strcmp(order, "up"))) {
		fprintf(stderr, "usage: bench-reloc [MIB (1-4096) [ROUNDS (1-100) [down|up]]]\n");
		return 2;
	}
	pool.up = !strcmp(order, "up");
	size_t bytes = (size_t)mib << 20;
	/* Room for the sources, the list (511 entries a page) and the zero page. */
	pool.pages = bytes / LOADER_PAGE_SIZE + bytes / LOADER_PAGE_SIZE / 256 + 16;
	uint8_t *image = bench_buffer(bytes, 0);
	uint8_t *dest = bench_buffer(bytes, 0);
	uint8_t *evict = bench_buffer(bytes, 0);
	pool.mem = bench_buffer(pool.pages * LOADER_PAGE_SIZE, 0);
	if (!image || !dest || !evict || !pool.mem) {
		fprintf(stderr, "bench-reloc: out of memory for %lu MiB\n", mib);
		return 2;
	}
	/* A pattern no page repeats, so a page copied to the wrong place shows. */
	for (size_t i = 0; i < bytes; i += 8) {
		uint64_t v = i * 0x9e3779b97f4a7c15ull;

		memcpy(image + i, &v, 8);
	}
	pops.ctx = &pool;
	if (!loader_plan_add(&plan, "image", image, bytes, (uint64_t)(uintptr_t)dest, bytes, false,
			     &err) ||
	    loader_reloc_build(&r, &plan, &pops, &err) < 0) {
		fprintf(stderr, "bench-reloc: %s\n", err.msg);
		return 2;
	}
	for (unsigned long k = 0; k < rounds; k++) {
		memset(evict, (int)k, bytes);
		uint64_t t0 = bench_ns();
		pages = loader_tramp_relocate(r.head);
		uint64_t t1 = bench_ns();

		if (t1 - t0 < best_reloc)
			best_reloc = t1 - t0;
		/* Checked before the copies below write the same bytes there. */
		if (memcmp(dest, image, bytes) || pages != bytes / LOADER_PAGE_SIZE) {
			fprintf(stderr, "bench-reloc: the relocated image differs (%llu pages)\n",
				(unsigned long long)pages);
			return 1;
		}
		memset(evict, (int)k + 1, bytes);
		t0 = bench_ns();
		bench_memcpy(dest, image, bytes);
		t1 = bench_ns();
		if (t1 - t0 < best_memcpy)
			best_memcpy = t1 - t0;
		memset(evict, (int)k + 2, bytes);
		t0 = bench_ns();
		bench_movsq(dest, image, bytes);
		t1 = bench_ns();
		if (t1 - t0 < best_movsq)
			best_movsq = t1 - t0;
		memset(dest, 0, bytes);
	}
	printf("bench-reloc: %lu MiB, %llu pages (%s), %zu list pages, best of %lu: relocation "
	       "%.3f ms, memcpy %.3f ms, one rep movsq %.3f ms\n",
	       mib, (unsigned long long)pages, order, r.ind_pages, rounds, best_reloc / 1e6,
	       best_memcpy / 1e6, best_movsq / 1e6);
	printf("p3 %.3f reloc_ns %llu memcpy_ns %llu movsq_ns %llu pages %llu\n",
	       (double)best_memcpy / (double)best_reloc, (unsigned long long)best_reloc,
	       (unsigned long long)best_memcpy, (unsigned long long)best_movsq,
	       (unsigned long long)pages);
	loader_reloc_release(&r);
	free(pool.mem);
	free(evict);
	free(dest);
	free(image);
	return 0;
}
