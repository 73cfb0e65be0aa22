// SPDX-License-Identifier: GPL-2.0-only
/*
 * The segment table of a plan: adding segments, staged buffers, digests, the invariants
 * every plan must satisfy, and the digest check over relocated memory.
 */
#include <errno.h>

#include "loader/internal.h"
#include "loader/place.h"
#include "loader/sha256.h"

struct loader_segment *loader_plan_add(struct loader_plan *plan, const char *what,
				       const void *buf, uint64_t bufsz, uint64_t mem,
				       uint64_t memsz, bool staged, struct loader_err *err)
{
	struct loader_segment *s;

	if (plan->nseg >= LOADER_MAX_SEGMENTS) {
		loader_fail(err, -E2BIG, "%s: more than %d segments", what, LOADER_MAX_SEGMENTS);
		return NULL;
	}
	s = &plan->seg[plan->nseg++];
	*s = (struct loader_segment){
		.buf = buf, .bufsz = bufsz, .mem = mem, .memsz = memsz, .what = what,
		.staged = staged,
	};
	return s;
}

void *loader_stage(const struct loader_plan *plan, size_t size, const char *what,
		   struct loader_err *err)
{
	const struct loader_staging *st = plan->staging;
	void *p;
	char sz[32];

	if (!st || !st->alloc || !st->free) {
		loader_fail(err, -EINVAL, "%s: no staging allocator", what);
		return NULL;
	}
	p = st->alloc(st->ctx, size);
	if (!p)
		loader_fail(err, -ENOMEM, "%s: out of staging memory (%s)", what,
			    loader_fmt_size(sz, sizeof(sz), size));
	return p;
}

void loader_plan_release(struct loader_plan *plan)
{
	for (size_t i = 0; i < plan->nseg; i++) {
		struct loader_segment *s = &plan->seg[i];

		if (s->staged && s->buf && plan->staging)
			plan->staging->free(plan->staging->ctx, (void *)s->buf, s->bufsz);
		s->buf = NULL;
		s->staged = false;
	}
	plan->nseg = 0;
}

static void segment_digest(const void *buf, uint64_t bufsz, uint64_t memsz,
			   uint8_t out[LOADER_DIGEST_SIZE])
{
	struct loader_sha256 s;

	loader_sha256_init(&s);
	loader_sha256_update(&s, buf, bufsz);
	loader_sha256_zeros(&s, memsz - bufsz);
	loader_sha256_final(&s, out);
}

void loader_plan_digest(struct loader_plan *plan)
{
	for (size_t i = 0; i < plan->nseg; i++) {
		struct loader_segment *s = &plan->seg[i];

		segment_digest(s->buf, s->bufsz, s->memsz, s->digest);
	}
}

int loader_plan_add_blob(struct loader_plan *plan, const char *what, const void *buf,
			 uint64_t bufsz, uint64_t mem, struct loader_err *err)
{
	struct loader_segment *s;
	uint64_t memsz;

	if (!buf || !bufsz || (mem & (LOADER_PAGE_SIZE - 1)) || loader_page_round(bufsz, &memsz) ||
	    mem + memsz < mem)
		return loader_fail(err, -EINVAL, "%s: bad blob at 0x%llx (%llu bytes)", what,
				   (unsigned long long)mem, (unsigned long long)bufsz);
	for (size_t i = 0; i < plan->nseg; i++)
		if (mem < plan->seg[i].mem + plan->seg[i].memsz && plan->seg[i].mem < mem + memsz)
			return loader_fail(err, -EBUSY, "%s at 0x%llx overlaps %s", what,
					   (unsigned long long)mem, plan->seg[i].what);
	s = loader_plan_add(plan, what, buf, bufsz, mem, memsz, false, err);
	if (!s)
		return -E2BIG;
	segment_digest(s->buf, s->bufsz, s->memsz, s->digest);
	return 0;
}

void loader_digest_hex(const uint8_t *digest, size_t bytes, char *buf)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < bytes; i++) {
		buf[2 * i] = hex[digest[i] >> 4];
		buf[2 * i + 1] = hex[digest[i] & 15];
	}
	buf[2 * bytes] = 0;
}

static bool segment_holds(const struct loader_segment *s, uint64_t addr)
{
	return addr >= s->mem && addr - s->mem < s->memsz;
}

int loader_plan_check(const struct loader_plan *plan, const struct loader_params *p,
		      struct loader_err *err)
{
	struct loader_place pl;
	bool entry_ok = false, bp_ok = false;
	int rc;

	if (!plan->nseg || plan->nseg > LOADER_MAX_SEGMENTS)
		return loader_fail(err, -EINVAL, "plan has %zu segments", plan->nseg);
	rc = loader_place_init(&pl, p->name ? p->name : "image", p, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < plan->nseg; i++) {
		const struct loader_segment *s = &plan->seg[i];
		uint64_t last = s->mem + (s->memsz - 1);
		bool inside = false;

		if (s->mem % LOADER_PAGE_SIZE || s->memsz % LOADER_PAGE_SIZE || !s->memsz)
			return loader_fail(err, -EINVAL, "%s: 0x%llx+0x%llx is not page-aligned",
					   s->what, (unsigned long long)s->mem,
					   (unsigned long long)s->memsz);
		if (s->bufsz > s->memsz || (s->bufsz && !s->buf))
			return loader_fail(err, -EINVAL, "%s: bufsz 0x%llx exceeds memsz 0x%llx",
					   s->what, (unsigned long long)s->bufsz,
					   (unsigned long long)s->memsz);
		if (s->memsz - 1 > UINT64_MAX - s->mem)
			return loader_fail(err, -EINVAL, "%s: wraps around the address space",
					   s->what);
		for (size_t j = 0; j < pl.npart; j++)
			inside |= s->mem >= pl.part[j].first && last <= pl.part[j].last;
		if (!inside)
			return loader_fail(err, -ERANGE, "%s: 0x%llx-0x%llx is not inside %s",
					   s->what, (unsigned long long)s->mem,
					   (unsigned long long)last, pl.where);
		for (size_t j = 0; j < i; j++) {
			const struct loader_segment *o = &plan->seg[j];

			if (segment_holds(o, s->mem) || segment_holds(s, o->mem))
				return loader_fail(err, -EEXIST, "%s: 0x%llx-0x%llx overlaps %s",
						   s->what, (unsigned long long)s->mem,
						   (unsigned long long)last, o->what);
		}
		entry_ok |= segment_holds(s, plan->entry);
		bp_ok |= s->mem == plan->boot_params;
	}
	if (!entry_ok)
		return loader_fail(err, -EINVAL, "entry 0x%llx is outside every segment",
				   (unsigned long long)plan->entry);
	if (!bp_ok)
		return loader_fail(err, -EINVAL, "boot_params 0x%llx starts no segment",
				   (unsigned long long)plan->boot_params);
	return 0;
}

int loader_verify_segments(const struct loader_plan *plan, loader_phys_fn phys, void *ctx,
			   struct loader_err *err)
{
	for (size_t i = 0; i < plan->nseg; i++) {
		const struct loader_segment *s = &plan->seg[i];
		uint8_t got[LOADER_DIGEST_SIZE];
		char want_hex[17], got_hex[17];
		const void *mem = phys(ctx, s->mem, s->memsz);

		if (!mem)
			return loader_fail(err, -EFAULT, "%s: 0x%llx-0x%llx is not mapped", s->what,
					   (unsigned long long)s->mem,
					   (unsigned long long)(s->mem + s->memsz - 1));
		segment_digest(mem, s->memsz, s->memsz, got);
		if (memcmp(got, s->digest, sizeof(got))) {
			loader_digest_hex(s->digest, 8, want_hex);
			loader_digest_hex(got, 8, got_hex);
			return loader_fail(err, -EBADMSG,
					   "%s: SHA-256 of 0x%llx-0x%llx is %s..., the loaded "
					   "image had %s...; not starting this guest",
					   s->what, (unsigned long long)s->mem,
					   (unsigned long long)(s->mem + s->memsz - 1), got_hex,
					   want_hex);
		}
	}
	return 0;
}
