// SPDX-License-Identifier: GPL-2.0-only
/*
 * twinmon-check --esp DIR: an installed EFI system partition as the EFI app will find it.
 * The config at \EFI\twinmon\twinmon.conf, and every kernel and initrd it names, found the
 * way FAT finds names (case-insensitively), probed and placed by the loader the app runs.
 * --with ESP-PATH=FILE stands FILE in for ESP-PATH, so an installer can check what it is
 * about to copy before it writes anything.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "loader/loader.h"
#include "partition/e820.h"
#include "tools/check.h"

/* An image the app would not read: efi/prep.c's PREP_IMAGE_MAX. */
#define CHECK_ESP_IMAGE_MAX (512ULL << 20)
/*
 * Without a machine a guest with a memory size gets one range of that size here: 2M aligned
 * (as a kernel's alignment usually wants), from mem-min or 2M.
 */
#define CHECK_ESP_BASE_ALIGN (2ULL << 20)

static const char *const check_esp_roles[CHECK_ESP_ROLES] = { "kernel", "initrd" };
static const uint32_t check_esp_keys[CHECK_ESP_ROLES] = { CONFIG_KEY_KERNEL, CONFIG_KEY_INITRD };

/* The entry of dir named like name, ASCII case ignored as FAT does; an exact match wins. */
static int check_esp_match(const char *dir, const char *name, char *found, size_t len)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int ret = 0;

	if (!d)
		return errno == ENOENT || errno == ENOTDIR ? 0 : -errno;
	while ((e = readdir(d))) {
		if (strcasecmp(e->d_name, name))
			continue;
		if (strlen(e->d_name) >= len) {
			ret = -ENAMETOOLONG;
			break;
		}
		strcpy(found, e->d_name);
		ret = 1;
		if (!strcmp(e->d_name, name))
			break;
	}
	closedir(d);
	return ret;
}

int check_esp_resolve(const char *dir, const char *esp_path, char *out, size_t len)
{
	char comp[CONFIG_PATH_MAX + 1], name[256];
	const char *p = esp_path;
	size_t n;
	bool found = true;

	if (strlen(dir) >= len)
		return -ENAMETOOLONG;
	strcpy(out, dir);
	while (*p) {
		size_t c = 0;
		int m;

		while (*p == '\\' || *p == '/')
			p++;
		while (*p && *p != '\\' && *p != '/' && c < sizeof(comp) - 1)
			comp[c++] = *p++;
		comp[c] = 0;
		if (!c)
			break;
		m = found ? check_esp_match(out, comp, name, sizeof(name)) : 0;
		if (m < 0)
			return m;
		found = m == 1;
		n = strlen(out);
		if (n + 1 + strlen(found ? name : comp) >= len)
			return -ENAMETOOLONG;
		out[n] = '/';
		strcpy(out + n + 1, found ? name : comp);
	}
	return found;
}

/* Two ESP paths name the same file: separators either way, repeats collapsed, case ignored. */
static bool check_esp_same(const char *a, const char *b)
{
	for (;;) {
		bool sa = *a == '\\' || *a == '/', sb = *b == '\\' || *b == '/';

		if (sa != sb)
			return false;
		if (sa) {
			while (*a == '\\' || *a == '/')
				a++;
			while (*b == '\\' || *b == '/')
				b++;
			continue;
		}
		if (!*a || !*b)
			return !*a && !*b;
		char ca = *a >= 'A' && *a <= 'Z' ? *a + 32 : *a;
		char cb = *b >= 'A' && *b <= 'Z' ? *b + 32 : *b;

		if (ca != cb)
			return false;
		a++;
		b++;
	}
}

void check_esp_locate(struct check_file *cf)
{
	const struct check_esp *esp = cf->esp;

	for (unsigned gi = 0; gi < CONFIG_NR_GUESTS; gi++) {
		const struct guest_config *g = &cf->cfg.guest[gi];

		for (unsigned r = 0; r < CHECK_ESP_ROLES; r++) {
			struct check_esp_image *im = &cf->image[gi][r];
			const char *path = r ? g->initrd : g->kernel;
			const struct config_loc *loc = &g->loc[check_esp_keys[r]];
			int rc;

			*im = (struct check_esp_image){ .named = g->present && path[0] };
			if (!im->named)
				continue;
			for (size_t w = 0; w < esp->nr_with && !im->with; w++) {
				if (!check_esp_same(esp->with[w].esp_path, path))
					continue;
				im->with = true;
				snprintf(im->host_path, sizeof(im->host_path), "%s", esp->with[w].file);
			}
			if (im->with) {
				im->found = true;
				continue;
			}
			rc = check_esp_resolve(esp->dir, path, im->host_path, sizeof(im->host_path));
			if (rc < 0) {
				config_diag_add(&cf->diag, loc->line, loc->col, "%s %s: cannot look "
						"for it in the ESP: %s", check_esp_roles[r], path,
						strerror(-rc));
				cf->valid = false;
				im->failed = true;
			}
			im->found = rc == 1;
		}
	}
}

/* The file's bytes (at most CHECK_ESP_IMAGE_MAX), or NULL with errno set. */
static void *check_esp_read(const char *path, size_t *size)
{
	struct stat st;
	FILE *f = fopen(path, "rb");
	void *buf = NULL;

	if (!f)
		return NULL;
	errno = 0;
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode)) {
		errno = errno ? errno : EISDIR;
		goto out;
	}
	if ((uint64_t)st.st_size > CHECK_ESP_IMAGE_MAX) {
		errno = EFBIG;
		goto out;
	}
	buf = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (buf && fread(buf, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
		free(buf);
		buf = NULL;
		errno = EIO;
	}
	*size = (size_t)st.st_size;
out:
	fclose(f);
	return buf;
}

/*
 * The memory the loader places guest gi's segments in: its planned e820 when the file was
 * planned on a machine, else the RAM its memory key gives (a range as written, a size as one
 * range); 0 entries when the key leaves the size to the machine. *placed says which.
 */
static size_t check_esp_guest_map(struct check_file *cf, unsigned gi, struct memmap_entry *map,
				  size_t cap, uint32_t *placed)
{
	const struct guest_config *g = &cf->cfg.guest[gi];
	const struct config_memory *m = &g->memory;
	struct e820_table t;
	uint64_t base;

	*placed = CHECK_ESP_PLACED_PLAN;
	if (cf->machine && cf->plan.guest[gi].present && !partition_build_e820(&cf->plan, gi, &t))
		return e820_to_memmap(&t, map, cap);
	*placed = CHECK_ESP_PLACED_REQUEST;
	if (m->kind == CONFIG_MEM_RANGE) {
		base = m->base;
	} else if (m->kind == CONFIG_MEM_SIZE) {
		base = (g->mem_min + CHECK_ESP_BASE_ALIGN - 1) & ~(CHECK_ESP_BASE_ALIGN - 1);
		if (base < CHECK_ESP_BASE_ALIGN)
			base = CHECK_ESP_BASE_ALIGN;
		if (base + m->size - 1 > g->mem_max)
			base = g->mem_min > (1ULL << 20) ? g->mem_min : 1ULL << 20;
	} else {
		*placed = CHECK_ESP_NOT_PLACED;
		return 0;
	}
	map[0] = (struct memmap_entry){ .base = base, .size = m->size, .type = MEMMAP_USABLE };
	return 1;
}

static void *check_esp_alloc(void *ctx, size_t size)
{
	return calloc(1, size ? size : 1);
}

static void check_esp_free(void *ctx, void *p, size_t size)
{
	free(p);
}

/* What the probe found, for the table: "bzImage, boot protocol 2.15, relocatable". */
static void check_esp_describe(struct check_esp_image *im, const struct loader_image *img)
{
	if (img->format == &loader_formats[0])
		snprintf(im->what, sizeof(im->what), "%s, boot protocol %u.%02u, %s",
			 img->format->name, img->bz.version >> 8, img->bz.version & 0xff,
			 img->bz.relocatable ? "relocatable" : "not relocatable");
	else
		snprintf(im->what, sizeof(im->what), "%s, %zu PT_LOAD", img->format->name,
			 img->elf.nload);
}

static void check_esp_fail(struct check_file *cf, unsigned gi, unsigned r, const char *why)
{
	const struct guest_config *g = &cf->cfg.guest[gi];
	const struct config_loc *loc = &g->loc[check_esp_keys[r]];

	config_diag_add(&cf->diag, loc->line, loc->col, "%s %s (%s): %s", check_esp_roles[r],
			r ? g->initrd : g->kernel, cf->image[gi][r].host_path, why);
	cf->valid = false;
}

/* Probe guest gi's kernel, then place it with its initrd and command line. */
static void check_esp_guest(struct check_file *cf, unsigned gi)
{
	static const struct loader_staging staging = { NULL, check_esp_alloc, check_esp_free };
	const struct guest_config *g = &cf->cfg.guest[gi];
	struct check_esp_image *k = &cf->image[gi][0], *rd = &cf->image[gi][1];
	struct memmap_entry map[LOADER_MAX_MAP];
	struct loader_params p = { .staging = &staging, .map = map, .cmdline = g->cmdline };
	struct loader_image img;
	struct loader_plan plan = { 0 };
	struct loader_err err;
	char why[LOADER_ERR_MAX + 64];
	void *image = NULL, *initrd = NULL;
	const char *base = strrchr(g->kernel, '\\');

	for (unsigned r = 0; r < CHECK_ESP_ROLES; r++) {
		const struct check_esp_image *im = &cf->image[gi][r];

		if (im->named && !im->found && !im->failed)
			check_esp_fail(cf, gi, r, "not found in the ESP");
	}
	if (!k->found || (rd->named && !rd->found))
		return;
	p.name = base ? base + 1 : g->kernel;
	if (!(image = check_esp_read(k->host_path, &p.image_size))) {
		check_esp_fail(cf, gi, 0, strerror(errno));
		goto out;
	}
	k->size = p.image_size;
	p.image = image;
	if (rd->named) {
		if (!(initrd = check_esp_read(rd->host_path, &p.initrd_size))) {
			check_esp_fail(cf, gi, 1, strerror(errno));
			goto out;
		}
		rd->size = p.initrd_size;
		p.initrd = initrd;
		snprintf(rd->what, sizeof(rd->what), "initial RAM disk");
	}
	if (loader_probe(p.name, image, p.image_size, &img, &err)) {
		check_esp_fail(cf, gi, 0, err.msg);
		goto out;
	}
	check_esp_describe(k, &img);
	if ((g->format == CONFIG_FORMAT_BZIMAGE && img.format != &loader_formats[0]) ||
	    (g->format == CONFIG_FORMAT_ELF && img.format == &loader_formats[0])) {
		snprintf(why, sizeof(why), "format = %s, but the file is %s",
			 config_format_name(g->format), img.format->name);
		check_esp_fail(cf, gi, 0, why);
		goto out;
	}
	p.map_count = check_esp_guest_map(cf, gi, map, LOADER_MAX_MAP, &k->placed);
	p.mem_min = g->mem_min;
	p.mem_max = g->mem_max == UINT64_MAX ? 0 : g->mem_max;
	if (!p.map_count)
		goto out;
	if (loader_load(&p, &plan, &err)) {
		snprintf(why, sizeof(why), "does not fit guest %c's memory: %s",
			 config_guest_letter(gi), err.msg);
		check_esp_fail(cf, gi, 0, why);
		goto out;
	}
	k->nseg = plan.nseg;
	loader_plan_release(&plan);
out:
	free(initrd);
	free(image);
}

void check_esp_images(struct check_file *cf)
{
	check_esp_locate(cf);
	/* Every guest the file defines: the menu offers each one's entries. */
	for (unsigned gi = 0; gi < CONFIG_NR_GUESTS; gi++) {
		if (cf->cfg.guest[gi].present)
			check_esp_guest(cf, gi);
	}
	cf->esp_checked = true;
}

void check_print_esp(FILE *f, const struct check_file *cf)
{
	static const char *const placed[] = {
		[CHECK_ESP_NOT_PLACED] = "fit not checked: memory is a share of the machine's "
					 "RAM (give --ram or --memmap)",
		[CHECK_ESP_PLACED_REQUEST] = "fits the RAM its memory key asks for",
		[CHECK_ESP_PLACED_PLAN] = "fits its planned RAM",
	};
	char sz[32];

	fprintf(f, "\n  ESP %s\n", cf->esp->dir);
	for (unsigned gi = 0; gi < CONFIG_NR_GUESTS; gi++) {
		for (unsigned r = 0; r < CHECK_ESP_ROLES; r++) {
			const struct check_esp_image *im = &cf->image[gi][r];

			if (!im->named)
				continue;
			fprintf(f, "    guest %c %-6s  %s\n", config_guest_letter(gi),
				check_esp_roles[r], im->host_path);
			fprintf(f, "%20s%s, %s", "", loader_fmt_size(sz, sizeof(sz), im->size),
				im->what);
			if (!r)
				fprintf(f, "; %s", placed[im->placed]);
			if (!r && im->placed != CHECK_ESP_NOT_PLACED)
				fprintf(f, " (%zu segments)", im->nseg);
			fputc('\n', f);
		}
	}
}

void check_print_files(FILE *f, const struct check_file *cf)
{
	for (unsigned gi = 0; gi < CONFIG_NR_GUESTS; gi++) {
		const struct guest_config *g = &cf->cfg.guest[gi];

		for (unsigned r = 0; r < CHECK_ESP_ROLES; r++) {
			const char *path = r ? g->initrd : g->kernel;

			if (!g->present || !path[0])
				continue;
			fprintf(f, "%c\t%s\t%s", config_guest_letter(gi), check_esp_roles[r], path);
			if (cf->esp)
				fprintf(f, "\t%s", cf->image[gi][r].host_path);
			fputc('\n', f);
		}
	}
}
