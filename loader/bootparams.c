// SPDX-License-Identifier: GPL-2.0-only
/*
 * The zero page: the image's setup header completed by the loader, the guest's e820 table
 * and the ACPI RSDP, plus the segments that carry it (boot_params, command line, and a
 * SETUP_E820_EXT setup_data node when the map has more than 128 entries).
 */
#include "loader/bootparams.h"

#include <errno.h>

#include "lib/fmt.h"
#include "loader/internal.h"
#include "loader/place.h"

static uint32_t bootparams_e820_type(uint32_t type)
{
	switch (type) {
	case MEMMAP_USABLE: return LINUX_E820_RAM;
	case MEMMAP_ACPI: return LINUX_E820_ACPI;
	case MEMMAP_NVS: return LINUX_E820_NVS;
	case MEMMAP_UNUSABLE: return LINUX_E820_UNUSABLE;
	case MEMMAP_PERSISTENT: return LINUX_E820_PMEM;
	/* MMIO and anything unknown: the guest must keep its hands off. */
	default: return LINUX_E820_RESERVED;
	}
}

size_t loader_e820_count(const struct loader_params *p)
{
	size_t n = 0;

	for (size_t i = 0; i < p->map_count && p->map; i++)
		n += p->map[i].size != 0;
	return n;
}

size_t loader_e820_ext_size(const struct loader_params *p)
{
	size_t n = loader_e820_count(p);

	if (n <= LINUX_E820_MAX_ZEROPAGE)
		return 0;
	return sizeof(struct linux_setup_data) +
	       (n - LINUX_E820_MAX_ZEROPAGE) * sizeof(struct linux_e820_entry);
}

/* The guest's map sorted by address, so the kernel sees its e820 in the usual order. */
static size_t bootparams_e820_sorted(const struct loader_params *p, struct linux_e820_entry *out)
{
	size_t n = 0;

	for (size_t i = 0; i < p->map_count && n < LOADER_MAX_MAP; i++) {
		const struct memmap_entry *e = &p->map[i];
		struct linux_e820_entry key = { e->base, e->size, bootparams_e820_type(e->type) };
		size_t j = n++;

		if (!e->size) {
			n--;
			continue;
		}
		while (j > 0 && out[j - 1].addr > key.addr) {
			out[j] = out[j - 1];
			j--;
		}
		out[j] = key;
	}
	return n;
}

void loader_bootparams_fill(struct linux_boot_params *bp, const uint8_t *hdr_src,
			    size_t hdr_len, const struct loader_params *p,
			    const struct loader_bp_layout *at, struct linux_setup_data *sd,
			    size_t sd_size)
{
	struct linux_e820_entry e820[LOADER_MAX_MAP];
	size_t n;

	/* Only the header goes in: the rest of the zero page stays zero (sentinel included). */
	if (hdr_src)
		memcpy((uint8_t *)bp + LINUX_SETUP_HEADER_OFF, hdr_src, hdr_len);
	bp->hdr.type_of_loader = LINUX_LOADER_TYPE_UNDEF;
	/*
	 * No real-mode code runs on the 64-bit entry, so there is no setup heap to announce;
	 * KASLR_FLAG is the decompressor's own output and must start clear.
	 */
	bp->hdr.loadflags &= (uint8_t)~(LINUX_CAN_USE_HEAP | LINUX_KASLR_FLAG);
	bp->hdr.heap_end_ptr = 0;
	/* Not used by the 64-bit entry, but boot.rst asks relocating loaders to set it. */
	bp->hdr.code32_start = at->kernel < LOADER_4G ? (uint32_t)at->kernel : 0;
	bp->hdr.cmd_line_ptr = (uint32_t)at->cmdline;
	bp->ext_cmd_line_ptr = (uint32_t)(at->cmdline >> 32);
	bp->hdr.ramdisk_image = (uint32_t)at->initrd;
	bp->ext_ramdisk_image = (uint32_t)(at->initrd >> 32);
	bp->hdr.ramdisk_size = (uint32_t)at->initrd_size;
	bp->ext_ramdisk_size = (uint32_t)(at->initrd_size >> 32);
	bp->hdr.setup_data = sd ? at->setup_data : 0;
	bp->acpi_rsdp_addr = p->acpi_rsdp;

	n = bootparams_e820_sorted(p, e820);
	bp->e820_entries = (uint8_t)(n < LINUX_E820_MAX_ZEROPAGE ? n : LINUX_E820_MAX_ZEROPAGE);
	memcpy(bp->e820_table, e820, bp->e820_entries * sizeof(e820[0]));
	if (sd && n > LINUX_E820_MAX_ZEROPAGE) {
		size_t extra = n - LINUX_E820_MAX_ZEROPAGE;

		if (sizeof(*sd) + extra * sizeof(e820[0]) > sd_size)
			extra = (sd_size - sizeof(*sd)) / sizeof(e820[0]);
		sd->next = 0;
		sd->type = LINUX_SETUP_E820_EXT;
		sd->len = (uint32_t)(extra * sizeof(e820[0]));
		memcpy(sd->data, e820 + LINUX_E820_MAX_ZEROPAGE, extra * sizeof(e820[0]));
	}
}

/* Place size bytes top-down below max, stage a buffer for them and add the segment. */
static int bootparams_segment(struct loader_plan *plan, struct loader_place *pl,
			      const char *what, size_t bufsz, uint64_t max, const char *max_why,
			      uint64_t *mem, void **buf, struct loader_err *err)
{
	struct loader_place_req req = {
		.what = what, .align = LOADER_PAGE_SIZE, .max = max, .max_why = max_why,
		.top_down = true,
	};
	int rc;

	if (loader_page_round(bufsz, &req.size))
		return loader_fail(err, -EOVERFLOW, "%s: %zu bytes is too large", what, bufsz);
	rc = loader_place_find(pl, &req, mem, err);
	if (rc)
		return rc;
	*buf = loader_stage(plan, bufsz, what, err);
	if (!*buf)
		return -ENOMEM;
	if (!loader_plan_add(plan, what, *buf, bufsz, *mem, req.size, true, err)) {
		plan->staging->free(plan->staging->ctx, *buf, bufsz);
		return -E2BIG;
	}
	return 0;
}

int loader_place_bootinfo(struct loader_plan *plan, struct loader_place *pl,
			  const struct loader_params *p, uint64_t max, const char *max_why,
			  uint32_t cmdline_limit, struct loader_bp_layout *at,
			  struct linux_boot_params **bp, struct linux_setup_data **sd,
			  size_t *sd_size, struct loader_err *err)
{
	const char *cmdline = p->cmdline ? p->cmdline : "";
	size_t len = strlen(cmdline);
	void *buf;
	int rc;

	if (cmdline_limit != LOADER_CMDLINE_UNLIMITED && len > cmdline_limit)
		return loader_fail(err, -E2BIG,
				   "cmdline: %zu bytes exceed the kernel's cmdline_size of %u", len,
				   cmdline_limit);
	rc = bootparams_segment(plan, pl, "boot_params", sizeof(**bp), max, max_why,
				&plan->boot_params, &buf, err);
	if (rc)
		return rc;
	*bp = buf;
	/* The protocol wants a command line even when empty: cmd_line_ptr 0 means "none". */
	rc = bootparams_segment(plan, pl, "cmdline", len + 1, max, max_why, &at->cmdline, &buf,
				err);
	if (rc)
		return rc;
	memcpy(buf, cmdline, len + 1);
	*sd = NULL;
	*sd_size = loader_e820_ext_size(p);
	if (*sd_size) {
		rc = bootparams_segment(plan, pl, "setup_data", *sd_size, max, max_why,
					&at->setup_data, &buf, err);
		if (rc)
			return rc;
		*sd = buf;
	}
	return 0;
}
