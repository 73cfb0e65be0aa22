/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * twinmon's segment loader: turns a guest kernel image (Linux bzImage or an ELF64 test guest),
 * an optional initrd and a command line into a plan of segments {buf, bufsz, mem, memsz}
 * placed inside the guest's partition, with a Linux boot_params (zero page) for the entry.
 *
 * The loader is host-testable and freestanding: it never allocates by itself. Buffers it
 * builds (boot_params, command line, setup_data, merged ELF pages) come from the caller's
 * struct loader_staging; the kernel and initrd segments point straight into the caller's
 * image buffers, which must stay alive as long as the plan.
 *
 * Each segment carries the SHA-256 of buf followed by a zero tail up to memsz, taken when
 * the plan is made; loader_verify_segments() checks the relocated memory against it.
 * Moving the segments to their destinations is loader/indirection.h's job.
 *
 * Every failure returns a negative errno and leaves one line in struct loader_err, starting
 * with "loader: " and naming the image or the segment, e.g.
 *   loader: vmlinuz: boot protocol 2.10 is older than 2.12
 *   loader: kernel: no 2 MiB-aligned hole of 64 MiB in partition 0x0-0x1ffffff
 */
#ifndef TWINMON_LOADER_LOADER_H
#define TWINMON_LOADER_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "partition/memmap.h"

#define LOADER_PAGE_SIZE    4096ULL
#define LOADER_PAGE_MASK    (~(LOADER_PAGE_SIZE - 1))
#define LOADER_MAX_SEGMENTS 16
/* Guest memory-map entries accepted: 128 fit the zero page, the rest go to setup_data. */
#define LOADER_MAX_MAP	    256
#define LOADER_ERR_MAX	    256
#define LOADER_DIGEST_SIZE  32
/* ELF PT_LOADs accepted: the segment table also needs boot_params and the command line. */
#define LOADER_ELF_MAX_LOADS (LOADER_MAX_SEGMENTS - 2)

struct loader_err {
	char msg[LOADER_ERR_MAX];
};

/*
 * Memory for the buffers the loader builds. alloc returns size bytes, zero-filled and at
 * least 8-byte aligned, or NULL; free gets the same pointer and size back. The EFI app backs
 * this with firmware pages, host tools with calloc.
 */
struct loader_staging {
	void *ctx;
	void *(*alloc)(void *ctx, size_t size);
	void (*free)(void *ctx, void *ptr, size_t size);
};

struct loader_segment {
	const void *buf;	/* bufsz bytes to copy to mem; the rest up to memsz is zeroed */
	uint64_t bufsz;
	uint64_t mem;		/* physical destination, page-aligned */
	uint64_t memsz;		/* page multiple, >= bufsz */
	const char *what;	/* "kernel", "initrd", "boot_params", "cmdline", ... */
	uint8_t digest[LOADER_DIGEST_SIZE];	/* SHA-256 of buf + zero tail */
	bool staged;		/* buf came from loader_staging: loader_plan_release frees it */
};

/* What the bzImage probe read from the setup header (see docs/loader.md). */
struct loader_bzimage_info {
	uint16_t version;		/* boot protocol, 0x020f = 2.15 */
	uint8_t setup_sects;		/* as found (0 means 4) */
	uint8_t loadflags;
	uint16_t xloadflags;
	uint8_t relocatable;
	uint8_t min_alignment;
	uint32_t kernel_alignment;
	uint32_t initrd_addr_max;	/* highest byte an initrd may occupy */
	uint32_t cmdline_size;		/* longest command line, without its NUL */
	uint32_t init_size;
	uint32_t syssize;		/* protected-mode size in 16-byte paragraphs */
	uint64_t pref_address;
	size_t header_end;		/* 0x202 + byte at 0x201 */
	size_t setup_size;		/* (setup_sects + 1) * 512: file offset of the kernel */
	size_t payload_size;		/* file bytes after the setup code */
};

struct loader_elf_load {
	uint64_t paddr;
	uint64_t vaddr;
	uint64_t memsz;
	uint64_t offset;
	uint64_t filesz;
};

struct loader_elf_info {
	uint64_t entry;
	size_t nload;				/* PT_LOADs with memsz > 0, sorted by paddr */
	struct loader_elf_load load[LOADER_ELF_MAX_LOADS];
};

struct loader_format;

struct loader_image {
	const struct loader_format *format;
	const char *name;		/* for messages: the file name the caller gave */
	const uint8_t *data;
	size_t size;
	union {
		struct loader_bzimage_info bz;
		struct loader_elf_info elf;
	};
};

struct loader_params {
	const char *name;		/* image name for messages, e.g. "vmlinuz" */
	const void *image;
	size_t image_size;
	const void *initrd;		/* NULL or initrd_size == 0: none */
	size_t initrd_size;
	const char *cmdline;		/* NULL: empty */
	/*
	 * The guest's memory map, as the guest will see it in its e820 table. Its
	 * MEMMAP_USABLE entries are the partition: every segment lands inside them.
	 */
	const struct memmap_entry *map;
	size_t map_count;
	uint64_t mem_min;		/* lowest byte a segment may use; 0: no limit */
	uint64_t mem_max;		/* highest byte a segment may use; 0: no limit */
	uint64_t acpi_rsdp;		/* boot_params.acpi_rsdp_addr; 0: none */
	const struct loader_staging *staging;
};

struct loader_plan {
	struct loader_image image;
	struct loader_segment seg[LOADER_MAX_SEGMENTS];
	size_t nseg;
	uint64_t entry;			/* physical address to jump to */
	uint64_t boot_params;		/* physical address of the zero page: RSI at entry */
	const struct loader_staging *staging;
};

/*
 * An image format. probe returns 0 when the image is of this format and loadable,
 * -ENOEXEC when it is not of this format at all, and another negative errno when it is
 * but cannot be loaded; err says why in every failing case. probe only reads
 * data[0..size) and keeps pointers into it. load places the segments and fills the plan.
 */
struct loader_format {
	const char *name;
	int (*probe)(const char *name, const void *data, size_t size, struct loader_image *img,
		     struct loader_err *err);
	int (*load)(const struct loader_image *img, const struct loader_params *p,
		    struct loader_plan *plan, struct loader_err *err);
};

extern const struct loader_format loader_formats[];
extern const size_t loader_format_count;

/* Try every format; on failure err holds the most specific reason. */
int loader_probe(const char *name, const void *data, size_t size, struct loader_image *img,
		 struct loader_err *err);

/*
 * Probe p->image, place every segment, build boot_params and take the digests. On failure
 * nothing stays allocated and plan->nseg is 0.
 */
int loader_load(const struct loader_params *p, struct loader_plan *plan, struct loader_err *err);

/*
 * Add a segment the caller built at a fixed, page-aligned address outside the loader's
 * placement (e.g. firmware tables in memory the caller reserved in the guest's map), with
 * its digest. buf stays the caller's. -EINVAL for a bad blob, -EBUSY if it overlaps a
 * segment, -E2BIG when the plan is full.
 */
int loader_plan_add_blob(struct loader_plan *plan, const char *what, const void *buf,
			 uint64_t bufsz, uint64_t mem, struct loader_err *err);

/* Free the staged buffers of a plan (safe on a zeroed or already released plan). */
void loader_plan_release(struct loader_plan *plan);

/*
 * Check the invariants every plan must hold: page-aligned, memsz >= bufsz, no overlap,
 * inside the partition and mem_min/mem_max. loader_load runs it before returning.
 */
int loader_plan_check(const struct loader_plan *plan, const struct loader_params *p,
		      struct loader_err *err);

/*
 * Map [pa, pa + len) of physical memory for reading: the EFI app returns (void *)pa
 * (identity-mapped), host tests return a pointer into a simulated memory, NULL if outside.
 */
typedef const void *(*loader_phys_fn)(void *ctx, uint64_t pa, uint64_t len);

/*
 * After relocation: hash each segment's destination memory and compare with the digest
 * taken at load time. -EBADMSG names the first segment that differs.
 */
int loader_verify_segments(const struct loader_plan *plan, loader_phys_fn phys, void *ctx,
			   struct loader_err *err);

/* "64 MiB", "63.6 MiB" (rounded up), "4 KiB", "100 bytes": sizes as messages show them. */
const char *loader_fmt_size(char *buf, size_t size, uint64_t bytes);

/* Hex digest prefix of 2 * bytes characters, for tables (buf needs 2 * bytes + 1). */
void loader_digest_hex(const uint8_t *digest, size_t bytes, char *buf);

#endif
