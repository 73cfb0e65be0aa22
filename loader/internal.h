/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers shared by the loader's own files; not part of the API the EFI app uses.
 */
#ifndef TWINMON_LOADER_INTERNAL_H
#define TWINMON_LOADER_INTERNAL_H

#include <stdint.h>
#include <string.h>

#include "loader/loader.h"

#define LOADER_KiB (1ULL << 10)
#define LOADER_MiB (1ULL << 20)
#define LOADER_GiB (1ULL << 30)
#define LOADER_4G  (1ULL << 32)

/* Format "loader: " + the message into err (when err is set) and return rc. */
int loader_fail(struct loader_err *err, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));


/* Round up to a page; -1 when that overflows. */
static inline int loader_page_round(uint64_t v, uint64_t *out)
{
	if (v > UINT64_MAX - (LOADER_PAGE_SIZE - 1))
		return -1;
	*out = (v + LOADER_PAGE_SIZE - 1) & LOADER_PAGE_MASK;
	return 0;
}

/* Little-endian reads at any alignment: the caller has checked off + n <= size. */
static inline uint16_t loader_get16(const uint8_t *p, size_t off)
{
	return (uint16_t)(p[off] | (p[off + 1] << 8));
}

static inline uint32_t loader_get32(const uint8_t *p, size_t off)
{
	return (uint32_t)p[off] | (uint32_t)p[off + 1] << 8 | (uint32_t)p[off + 2] << 16 |
	       (uint32_t)p[off + 3] << 24;
}

static inline uint64_t loader_get64(const uint8_t *p, size_t off)
{
	return (uint64_t)loader_get32(p, off) | (uint64_t)loader_get32(p, off + 4) << 32;
}

/* True when [off, off + len) lies inside a buffer of size bytes, without overflowing. */
static inline int loader_in_bounds(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

/* Segment table helpers (segment.c). */
struct loader_segment *loader_plan_add(struct loader_plan *plan, const char *what,
				       const void *buf, uint64_t bufsz, uint64_t mem,
				       uint64_t memsz, bool staged, struct loader_err *err);
void *loader_stage(const struct loader_plan *plan, size_t size, const char *what,
		   struct loader_err *err);
void loader_plan_digest(struct loader_plan *plan);

/* The formats (bzimage.c, elf.c). */
int loader_probe_bzimage(const char *name, const void *data, size_t size,
			 struct loader_image *img, struct loader_err *err);
int loader_load_bzimage(const struct loader_image *img, const struct loader_params *p,
			struct loader_plan *plan, struct loader_err *err);
int loader_probe_elf(const char *name, const void *data, size_t size, struct loader_image *img,
		     struct loader_err *err);
int loader_load_elf(const struct loader_image *img, const struct loader_params *p,
		    struct loader_plan *plan, struct loader_err *err);

#endif
