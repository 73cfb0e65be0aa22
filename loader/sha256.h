/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SHA-256 (FIPS 180-4) for segment digests: taken over each segment's buffer and zero tail
 * when the plan is made, checked over the destination memory after relocation.
 */
#ifndef TWINMON_LOADER_SHA256_H
#define TWINMON_LOADER_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define LOADER_SHA256_SIZE  32
#define LOADER_SHA256_BLOCK 64

struct loader_sha256 {
	uint32_t h[8];
	uint64_t bytes;				/* message length so far */
	uint8_t block[LOADER_SHA256_BLOCK];	/* partial block */
	size_t used;
};

void loader_sha256_init(struct loader_sha256 *s);
void loader_sha256_update(struct loader_sha256 *s, const void *data, size_t len);
/* Feed len zero bytes without a buffer: the tail of a segment past bufsz. */
void loader_sha256_zeros(struct loader_sha256 *s, uint64_t len);
void loader_sha256_final(struct loader_sha256 *s, uint8_t out[LOADER_SHA256_SIZE]);
void loader_sha256(const void *data, size_t len, uint8_t out[LOADER_SHA256_SIZE]);

#endif
