// SPDX-License-Identifier: GPL-2.0-only
/*
 * Linux bzImage through the 64-bit boot protocol (Documentation/arch/x86/boot.rst): the
 * protected-mode kernel is loaded as is, entered at its load address + 0x200 with RSI
 * pointing at boot_params. The real-mode setup code is never run, so only the setup header
 * matters, and protocol 2.12 is the floor: that is where xloadflags (and so XLF_KERNEL_64)
 * and the ext_* fields for addresses above 4 GiB appeared.
 */
#include <errno.h>

#include "lib/fmt.h"
#include "loader/bootparams.h"
#include "loader/internal.h"
#include "loader/place.h"

static int bz_refuse(struct loader_err *err, const char *name, const char *fmt, uint64_t a,
		     uint64_t b)
{
	char why[160];

	fmt_snprintf(why, sizeof(why), fmt, (unsigned long long)a, (unsigned long long)b);
	return loader_fail(err, -EINVAL, "%s: %s", name, why);
}

int loader_probe_bzimage(const char *name, const void *data, size_t size,
			 struct loader_image *img, struct loader_err *err)
{
	const uint8_t *d = data;
	struct linux_setup_header h = { 0 };
	struct loader_bzimage_info *bz = &img->bz;
	size_t end, sects;

	if (size < LINUX_HEADER_OFF + 4 || loader_get32(d, LINUX_HEADER_OFF) != LINUX_HDRS_MAGIC)
		return loader_fail(err, -ENOEXEC, "%s: no \"HdrS\" magic at 0x%x", name,
				   LINUX_HEADER_OFF);
	/* From here on it is a Linux image: refusals say what is wrong with it. */
	if (loader_get16(d, offsetof(struct linux_boot_params, hdr.boot_flag)) != LINUX_BOOT_FLAG)
		return bz_refuse(err, name, "boot_flag 0x%llx is not 0xaa55",
				 loader_get16(d, offsetof(struct linux_boot_params, hdr.boot_flag)),
				 0);
	if (size < LINUX_HEADER_OFF + 6)
		return bz_refuse(err, name, "truncated: %llu bytes end inside the setup header",
				 size, 0);
	uint16_t version = loader_get16(d, offsetof(struct linux_boot_params, hdr.version));
	if (version < LINUX_MIN_PROTOCOL)
		return loader_fail(err, -EINVAL, "%s: boot protocol %u.%02u is older than %u.%02u",
				   name, version >> 8, version & 0xff, LINUX_MIN_PROTOCOL >> 8,
				   LINUX_MIN_PROTOCOL & 0xff);
	if (d[LINUX_JUMP_OFF] != LINUX_JUMP_OPCODE)
		return bz_refuse(err, name, "byte 0x%llx at 0x200 is not a short jmp, so the "
				 "setup header has no length", d[LINUX_JUMP_OFF], 0);
	/* The header runs from 0x1f1 to where the jump at 0x200 lands. */
	end = LINUX_HEADER_OFF + d[LINUX_JUMP_OFF + 1];
	if (end < LINUX_SETUP_HEADER_NEEDED)
		return bz_refuse(err, name,
				 "setup header ends at 0x%llx, before init_size (0x%llx)", end,
				 LINUX_SETUP_HEADER_NEEDED);
	if (end > LINUX_SETUP_HEADER_LIMIT)
		return bz_refuse(err, name, "setup header ends at 0x%llx, past 0x%llx",
				 end, LINUX_SETUP_HEADER_LIMIT);
	if (end > size)
		return bz_refuse(err, name, "truncated: setup header ends at 0x%llx, the file at "
				 "0x%llx", end, size);
	memcpy(&h, d + LINUX_SETUP_HEADER_OFF,
	       end - LINUX_SETUP_HEADER_OFF < sizeof(h) ? end - LINUX_SETUP_HEADER_OFF : sizeof(h));

	if (!(h.xloadflags & LINUX_XLF_KERNEL_64))
		return bz_refuse(err, name, "no 64-bit entry point (xloadflags 0x%llx lacks "
				 "XLF_KERNEL_64)", h.xloadflags, 0);
	if (!(h.loadflags & LINUX_LOADED_HIGH))
		return bz_refuse(err, name, "not a bzImage (loadflags 0x%llx lacks LOADED_HIGH)",
				 h.loadflags, 0);
	sects = h.setup_sects ? h.setup_sects : LINUX_SETUP_SECTS_DEFAULT;
	bz->setup_size = (sects + 1) * LINUX_SECTOR_SIZE;
	if (bz->setup_size >= size)
		return bz_refuse(err, name, "setup code of 0x%llx bytes (setup_sects) leaves "
				 "nothing of the 0x%llx-byte file for the kernel", bz->setup_size,
				 size);
	bz->payload_size = size - bz->setup_size;
	if ((uint64_t)h.syssize * 16 > bz->payload_size)
		return bz_refuse(err, name, "truncated: syssize asks for 0x%llx bytes of kernel, "
				 "the file has 0x%llx", (uint64_t)h.syssize * 16,
				 bz->payload_size);
	if (h.relocatable_kernel &&
	    (h.kernel_alignment == 0 || (h.kernel_alignment & (h.kernel_alignment - 1))))
		return bz_refuse(err, name, "kernel_alignment 0x%llx is not a power of two",
				 h.kernel_alignment, 0);
	if (!h.relocatable_kernel && h.pref_address % LOADER_PAGE_SIZE)
		return bz_refuse(err, name, "not relocatable and pref_address 0x%llx is not "
				 "page-aligned", h.pref_address, 0);

	img->name = name;
	img->data = d;
	img->size = size;
	bz->version = version;
	bz->setup_sects = h.setup_sects;
	bz->loadflags = h.loadflags;
	bz->xloadflags = h.xloadflags;
	bz->relocatable = h.relocatable_kernel;
	bz->min_alignment = h.min_alignment;
	bz->kernel_alignment = h.kernel_alignment;
	bz->initrd_addr_max = h.initrd_addr_max;
	bz->cmdline_size = h.cmdline_size;
	bz->init_size = h.init_size;
	bz->syssize = h.syssize;
	bz->pref_address = h.pref_address;
	bz->header_end = end;
	return 0;
}

/* The kernel: at pref_address when that is free, else the lowest aligned hole. */
static int bz_place_kernel(const struct loader_bzimage_info *bz, struct loader_place *pl,
			   uint64_t memsz, uint64_t *base, struct loader_err *err)
{
	bool above4g = bz->xloadflags & LINUX_XLF_CAN_BE_LOADED_ABOVE_4G;
	uint64_t max = above4g ? UINT64_MAX : LOADER_4G - 1;
	uint64_t pref = bz->pref_address ? bz->pref_address : LINUX_DEFAULT_LOAD;
	uint64_t align = bz->kernel_alignment;

	if (!bz->relocatable) {
		*base = pref;
		/* A non-relocatable kernel moves itself to pref_address anyway. */
		return loader_place_fixed(pl, "kernel", pref, memsz, max, err);
	}
	if (align < LOADER_PAGE_SIZE)
		align = LOADER_PAGE_SIZE;
	if (pref % align == 0 && loader_place_fixed(pl, "kernel", pref, memsz, max, NULL) == 0) {
		*base = pref;
		return 0;
	}
	struct loader_place_req req = {
		.what = "kernel", .size = memsz, .align = align, .max = max,
		.max_why = above4g ? NULL : "below 4 GiB (no XLF_CAN_BE_LOADED_ABOVE_4G)",
	};
	return loader_place_find(pl, &req, base, err);
}

int loader_load_bzimage(const struct loader_image *img, const struct loader_params *p,
			struct loader_plan *plan, struct loader_err *err)
{
	const struct loader_bzimage_info *bz = &img->bz;
	bool above4g = bz->xloadflags & LINUX_XLF_CAN_BE_LOADED_ABOVE_4G;
	uint64_t info_max = above4g ? UINT64_MAX : LOADER_4G - 1;
	const char *info_why = above4g ? NULL : "below 4 GiB (no XLF_CAN_BE_LOADED_ABOVE_4G)";
	struct loader_bp_layout at = { 0 };
	struct linux_boot_params *bp;
	struct linux_setup_data *sd;
	struct loader_place pl;
	uint64_t memsz;
	size_t sd_size;
	int rc;

	rc = loader_place_init(&pl, img->name, p, err);
	if (rc)
		return rc;
	/* init_size is what the kernel needs in place to decompress; never less than itself. */
	memsz = bz->init_size > bz->payload_size ? bz->init_size : bz->payload_size;
	if (loader_page_round(memsz, &memsz))
		return loader_fail(err, -EOVERFLOW, "kernel: size overflows");
	rc = bz_place_kernel(bz, &pl, memsz, &at.kernel, err);
	if (rc)
		return rc;
	if (!loader_plan_add(plan, "kernel", img->data + bz->setup_size, bz->payload_size,
			     at.kernel, memsz, false, err))
		return -E2BIG;

	if (p->initrd && p->initrd_size) {
		char why[64];
		/*
		 * initrd_addr_max bounds the ramdisk for every kernel; only one that can be
		 * loaded above 4 GiB reads ext_ramdisk_image, so only there may it go higher.
		 */
		struct loader_place_req req = {
			.what = "initrd", .align = LOADER_PAGE_SIZE, .top_down = true,
			.max = above4g ? UINT64_MAX : bz->initrd_addr_max, .max_why = why,
		};

		fmt_snprintf(why, sizeof(why), "below initrd_addr_max 0x%x", bz->initrd_addr_max);
		if (above4g)
			req.max_why = NULL;
		if (loader_page_round(p->initrd_size, &req.size))
			return loader_fail(err, -EOVERFLOW, "initrd: size overflows");
		rc = loader_place_find(&pl, &req, &at.initrd, err);
		if (rc)
			return rc;
		at.initrd_size = p->initrd_size;
		if (!loader_plan_add(plan, "initrd", p->initrd, p->initrd_size, at.initrd,
				     req.size, false, err))
			return -E2BIG;
	}

	rc = loader_place_bootinfo(plan, &pl, p, info_max, info_why, bz->cmdline_size, &at, &bp,
				   &sd, &sd_size, err);
	if (rc)
		return rc;
	loader_bootparams_fill(bp, img->data + LINUX_SETUP_HEADER_OFF,
			       bz->header_end - LINUX_SETUP_HEADER_OFF, p, &at, sd, sd_size);
	plan->entry = at.kernel + LINUX_ENTRY64_OFFSET;
	return 0;
}
