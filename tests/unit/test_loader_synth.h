/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers for the loader's unit tests: synthetic bzImages and ELF executables built field by
 * field (so each refusal can be provoked on its own), a counting staging allocator, and
 * guest memory maps.
 */
#ifndef TWINMON_TESTS_TEST_LOADER_SYNTH_H
#define TWINMON_TESTS_TEST_LOADER_SYNTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "loader/indirection.h"
#include "loader/loader.h"

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

/* calloc-backed staging that counts live buffers; fail_after > 0 fails that allocation. */
extern const struct loader_staging synth_staging;
extern long synth_live;
extern int synth_fail_after;

struct synth_bz {
	uint32_t magic;
	uint16_t boot_flag;
	uint8_t jump_op;
	uint8_t jump_len;	/* byte at 0x201: the header ends at 0x202 + this */
	uint16_t version;
	uint8_t setup_sects;
	uint8_t loadflags;
	uint16_t xloadflags;
	uint8_t relocatable;
	uint8_t min_alignment;
	uint32_t kernel_alignment;
	uint64_t pref_address;
	uint32_t init_size;
	uint32_t initrd_addr_max;
	uint32_t cmdline_size;
	uint32_t syssize;	/* paragraphs; synth_bz_defaults derives it from payload */
	size_t payload;		/* bytes after the setup code */
};

/* A plausible modern kernel: 2.15, 64-bit, relocatable, 2 MiB alignment, 16 MiB pref. */
void synth_bz_defaults(struct synth_bz *o);
/* malloc'd image; payload byte i is synth_payload_byte(i). */
uint8_t *synth_bzimage(const struct synth_bz *o, size_t *size);
uint8_t synth_payload_byte(size_t i);

struct synth_load {
	uint32_t type;		/* 0 means PT_LOAD */
	uint64_t paddr;
	uint64_t vaddr;		/* 0 means paddr */
	uint64_t filesz;
	uint64_t memsz;
};

struct synth_elf {
	uint8_t class;		/* 0 means ELFCLASS64 */
	uint8_t data;		/* 0 means little-endian */
	uint16_t type;		/* 0 means ET_EXEC */
	uint16_t machine;	/* 0 means x86-64 */
	uint16_t phentsize;	/* 0 means 56 */
	uint64_t entry;
	size_t nload;
	struct synth_load load[8];
};

/* malloc'd ELF; load i's file bytes are synth_elf_byte(i, offset within the load). */
uint8_t *synth_elf(const struct synth_elf *o, size_t *size);
uint8_t synth_elf_byte(size_t load, size_t i);
/* File offset of load i's bytes in images synth_elf makes. */
size_t synth_elf_offset(const struct synth_elf *o, size_t i);

static inline struct memmap_entry synth_ram(uint64_t first, uint64_t last)
{
	return (struct memmap_entry){ first, last - first + 1, MEMMAP_USABLE, 7 };
}

/* Fill p for image/size in the given map (usable entries are the partition). */
void synth_params(struct loader_params *p, const char *name, const void *image, size_t size,
		  const struct memmap_entry *map, size_t n);

/* Segment of plan named what, or NULL. */
const struct loader_segment *synth_seg(const struct loader_plan *plan, const char *what);

/*
 * A page allocator over a simulated physical memory (or, with base = the host address of
 * mem, over real memory for the assembly walker). Pages go out in the order of order[],
 * which tests shuffle or bias toward destinations; every page is tracked so double frees,
 * foreign frees and leaks fail the test.
 */
struct synth_pool {
	struct loader_sim sim;
	uint8_t *used;
	size_t *order;
	size_t npages;
	size_t cursor;
	long live;
	int fail_after;		/* > 0: that allocation fails */
	bool honour_avoid;	/* skip pages in the avoid ranges, as a careful allocator would */
	struct loader_page_ops ops;
};

void synth_pool_init(struct synth_pool *pool, uint8_t *mem, uint64_t base, uint64_t size);
void synth_pool_shuffle(struct synth_pool *pool, uint64_t *seed);
/* Hand out the pages of [first, last] before any other, highest first. */
void synth_pool_prefer(struct synth_pool *pool, uint64_t first, uint64_t last);
void synth_pool_fini(struct synth_pool *pool);

/* Deterministic PRNG for property tests (xorshift64*). */
uint64_t synth_rand(uint64_t *state);

#endif
