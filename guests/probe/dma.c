// SPDX-License-Identifier: GPL-2.0-only
/*
 * dma (see attacks.h): QEMU's edu device copies between its 4 KiB buffer (at 0x40000 in its
 * own DMA address space) and RAM, one transfer at a time; addresses above its 28-bit mask
 * wrap, so its targets lie below 256 MiB. The CPU cannot read the buffer: the probe fills it
 * from, and empties it into, two pages of its own RAM below 256 MiB.
 *
 * For each target page of the other guest: fill the buffer with pattern W and write it to
 * the target; refill the buffer with pattern R and read the target into it; look at what the
 * buffer then holds. W: the write landed (and the read came back). R, or all zeros or all
 * ones (what a blocked read may leave): nothing reached the other guest's RAM and nothing
 * came back from it. Anything else: its memory came back. Each transfer takes the edu about
 * 100 ms of virtual time.
 */
#include <errno.h>

#include "guests/lib/cpu.h"
#include "guests/lib/out.h"
#include "guests/lib/ram.h"
#include "guests/probe/attacks.h"
#include "lib/fmt.h"

#define EDU_REG_DMA_SRC		0x80
#define EDU_REG_DMA_DST		0x88
#define EDU_REG_DMA_CNT		0x90
#define EDU_REG_DMA_CMD		0x98
#define EDU_DMA_RUN		1u
#define EDU_DMA_TO_RAM		2u	/* direction: buffer to RAM (else RAM to buffer) */
#define EDU_DMA_BUF		0x40000u
#define DMA_PAGE		4096u
/* QEMU 7.2's edu refuses (with a hardware error that stops the machine) a transfer that
 * ends exactly at its buffer's end: every transfer leaves the last quadword out. */
#define DMA_XFER		(DMA_PAGE - 8)
#define DMA_REACH		(1ULL << 28)
#define DMA_WAIT_MS		3000
/* TSC cycles to wait when the monitor gave no frequency. */
#define DMA_SPIN_FALLBACK	2000000000ULL
#define DMA_PATTERN_W		0x5752495445444d41ULL	/* "AMDETIRW" */
#define DMA_PATTERN_R		0x52454144444d4121ULL

enum dma_seen { DMA_SEEN_NOTHING, DMA_SEEN_WRITE, DMA_SEEN_DATA };

/* One transfer of a page (but its last quadword) between the buffer and RAM at pa; 0 or
 * -ETIMEDOUT. */
static int dma_xfer(struct probe_run *r, uint64_t pa, bool to_ram)
{
	volatile uint32_t *m = r->edu.mmio;
	uint64_t start = rdtsc();
	uint64_t limit = r->tsc_khz ? r->tsc_khz * DMA_WAIT_MS : DMA_SPIN_FALLBACK;

	m[(to_ram ? EDU_REG_DMA_SRC : EDU_REG_DMA_DST) / 4] = EDU_DMA_BUF;
	m[(to_ram ? EDU_REG_DMA_DST : EDU_REG_DMA_SRC) / 4] = (uint32_t)pa;
	m[EDU_REG_DMA_CNT / 4] = DMA_XFER;
	m[EDU_REG_DMA_CMD / 4] = EDU_DMA_RUN | (to_ram ? EDU_DMA_TO_RAM : 0);
	while (m[EDU_REG_DMA_CMD / 4] & EDU_DMA_RUN) {
		if (rdtsc() - start > limit)
			return -ETIMEDOUT;
		cpu_relax();
	}
	return 0;
}

static void dma_fill(uint64_t *p, uint64_t pattern)
{
	for (unsigned i = 0; i < DMA_XFER / 8; i++)
		p[i] = pattern ^ i;
}

static bool dma_is(const uint64_t *p, uint64_t pattern)
{
	for (unsigned i = 0; i < DMA_XFER / 8; i++)
		if (p[i] != (pattern ^ i))
			return false;
	return true;
}

static bool dma_uniform(const uint64_t *p)
{
	for (unsigned i = 0; i < DMA_XFER / 8; i++)
		if (p[i] != p[0] || (p[0] != 0 && p[0] != ~0ULL))
			return false;
	return true;
}

/* Two pages of this guest's RAM below the edu's reach, mapped; 0 or -ENOSPC. */
static int dma_own_pages(struct probe_run *r, uint64_t *pa)
{
	struct guest_env *env = r->env;
	struct ram_range low[RAM_MAX_RANGES];
	const struct ram_range avoid[] = {
		{ env->image_base, env->image_end },
		{ env->boot.bp_pa, env->boot.bp_pa + DMA_PAGE },
		{ env->boot.cmdline_pa, env->boot.cmdline_pa + BOOTINFO_CMDLINE_MAX },
	};
	size_t n = 0;

	for (size_t i = 0; i < env->nram; i++) {
		uint64_t end = env->ram[i].end < DMA_REACH ? env->ram[i].end : DMA_REACH;

		if (env->ram[i].base < end)
			low[n++] = (struct ram_range){ env->ram[i].base, end };
	}
	if (ram_pick(low, n, 2 * DMA_PAGE, RAM_PAGE, avoid, sizeof(avoid) / sizeof(avoid[0]),
		     pa) || guest_map(env, *pa) < 0)
		return -ENOSPC;
	return 0;
}

/* Write, then read back, the target page; what came of it. -ETIMEDOUT: the edu hung. */
static int dma_target(struct probe_run *r, uint64_t *w, uint64_t *rd, uint64_t wpa,
		      uint64_t rpa, uint64_t target, enum dma_seen *seen)
{
	int err;

	dma_fill(w, DMA_PATTERN_W);
	dma_fill(rd, DMA_PATTERN_R);
	if ((err = dma_xfer(r, wpa, false)) || (err = dma_xfer(r, target, true)) ||
	    (err = dma_xfer(r, rpa, false)) || (err = dma_xfer(r, target, false)) ||
	    (err = dma_xfer(r, rpa, true)))
		return err;
	if (dma_is(rd, DMA_PATTERN_W))
		*seen = DMA_SEEN_WRITE;
	else if (dma_is(rd, DMA_PATTERN_R) || dma_uniform(rd))
		*seen = DMA_SEEN_NOTHING;
	else
		*seen = DMA_SEEN_DATA;
	return 0;
}

void probe_dma(struct probe_run *r)
{
	const struct probe_options *o = r->opt;
	uint64_t own, step = o->dma_len / PROBE_DMA_TARGETS & ~(uint64_t)(DMA_PAGE - 1);
	unsigned writes = 0, reads = 0, done = 0;
	uint64_t *w, *rd;

	probe_announce(r, "dma: the edu's DMA aimed at 0x%llx-0x%llx (%u pages), written and "
		       "read back", (unsigned long long)o->dma,
		       (unsigned long long)(o->dma + o->dma_len - 1), PROBE_DMA_TARGETS);
	if (!o->dma_set || o->dma + o->dma_len > DMA_REACH) {
		probe_outcome(r, PROBE_SKIPPED, "no dma= target below 256 MiB given");
		return;
	}
	if (!probe_use_edu(r))
		return;
	if (dma_own_pages(r, &own) < 0) {
		probe_outcome(r, PROBE_SKIPPED, "no two pages of its own RAM below 256 MiB");
		return;
	}
	w = (uint64_t *)(uintptr_t)own;
	rd = (uint64_t *)(uintptr_t)(own + DMA_PAGE);
	/* Its own RAM first: the engine works, and an IOMMU lets it reach its own memory. */
	dma_fill(w, DMA_PATTERN_W);
	dma_fill(rd, DMA_PATTERN_R);
	if (dma_xfer(r, own, false) || dma_xfer(r, own + DMA_PAGE, true) ||
	    !dma_is(rd, DMA_PATTERN_W)) {
		probe_outcome(r, PROBE_SKIPPED, "the edu's DMA does not work within this guest's "
			      "own RAM (0x%llx)", (unsigned long long)own);
		return;
	}
	out_log("attack %u: dma: a round trip through 0x%llx (its own RAM) works", r->number,
		(unsigned long long)own);
	for (unsigned i = 0; i < PROBE_DMA_TARGETS; i++) {
		uint64_t target = o->dma + i * (step ? step : DMA_PAGE);
		enum dma_seen seen = DMA_SEEN_NOTHING;

		if (dma_target(r, w, rd, own, own + DMA_PAGE, target, &seen) < 0) {
			out_log("attack %u: dma: the edu did not finish a transfer", r->number);
			break;
		}
		done++;
		writes += seen == DMA_SEEN_WRITE;
		reads += seen != DMA_SEEN_NOTHING;
		out_log("attack %u: dma: 0x%llx: %s", r->number, (unsigned long long)target,
			seen == DMA_SEEN_WRITE	? "written and read back"
			: seen == DMA_SEEN_DATA ? "read its memory"
						: "nothing written, nothing read");
	}
	if (writes || reads)
		probe_outcome(r, PROBE_NOT_CONTAINED, "of %u pages, %u written, %u read", done,
			      writes, reads);
	else if (done < PROBE_DMA_TARGETS)
		probe_outcome(r, PROBE_SKIPPED, "the edu stopped after %u pages", done);
	else
		probe_outcome(r, PROBE_CONTAINED, "%u pages: nothing written, nothing read", done);
}
