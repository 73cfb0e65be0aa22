// SPDX-License-Identifier: GPL-2.0-only
/*
 * twinmon-load: plan a guest's segments on the host, as the EFI app would at boot, and
 * print the table. Only --dry-run exists: loading for real happens in the monitor.
 *
 *   twinmon-load --dry-run IMAGE [--initrd FILE] [--cmdline STRING]
 *                [--partition A-B | A+SIZE]... [--mem-min A] [--mem-max B] [--rsdp A]
 *
 * Exit status: 0 planned, 1 the image cannot be loaded or placed (reason on stderr),
 * 2 usage or I/O error.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader/loader.h"

#define DEFAULT_PARTITION_LAST 0x3fffffffULL	/* 1 GiB at 0 */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: twinmon-load --dry-run IMAGE [options]\n"
		"  --initrd FILE        initial ramdisk\n"
		"  --cmdline STRING     kernel command line\n"
		"  --partition A-B      guest RAM from A to B inclusive (or A+SIZE); repeatable;\n"
		"                       default 0x0-0x%llx\n"
		"  --mem-min A          lowest address a segment may use\n"
		"  --mem-max B          highest address a segment may use\n"
		"  --rsdp A             ACPI RSDP address for boot_params\n"
		"Numbers: decimal or 0x hex, optional K/M/G/T suffix (binary units).\n",
		DEFAULT_PARTITION_LAST);
}

static int parse_num(const char *s, unsigned long long *out)
{
	char *end;
	unsigned long long v;
	unsigned shift = 0;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *s == '-')
		return -1;
	switch (*end) {
	case 'K': case 'k': shift = 10; end++; break;
	case 'M': case 'm': shift = 20; end++; break;
	case 'G': case 'g': shift = 30; end++; break;
	case 'T': case 't': shift = 40; end++; break;
	}
	if (*end || (shift && v > (~0ULL >> shift)))
		return -1;
	*out = v << shift;
	return 0;
}

static int parse_range(const char *s, struct memmap_entry *e)
{
	char buf[128];
	char *sep;
	unsigned long long a, b;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	sep = strpbrk(buf, "-+");
	if (!sep)
		return -1;
	char kind = *sep;
	*sep = 0;
	if (parse_num(buf, &a) || parse_num(sep + 1, &b))
		return -1;
	if (kind == '+') {
		if (!b || b - 1 > ~0ULL - a)
			return -1;
		b = a + b - 1;
	}
	if (b < a || (a == 0 && b == ~0ULL))
		return -1;
	*e = (struct memmap_entry){ .base = a, .size = b - a + 1, .type = MEMMAP_USABLE };
	return 0;
}

static void *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t cap = 0, len = 0;

	if (!f)
		return NULL;
	for (;;) {
		if (len == cap) {
			unsigned char *n = realloc(buf, cap ? cap * 2 : 1 << 20);

			if (!n)
				goto fail;
			buf = n;
			cap = cap ? cap * 2 : 1 << 20;
		}
		size_t got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0) {
			if (ferror(f))
				goto fail;
			break;
		}
	}
	fclose(f);
	*size = len;
	return buf;
fail:
	free(buf);
	fclose(f);
	return NULL;
}

static void *staging_alloc(void *ctx, size_t size)
{
	return calloc(1, size ? size : 1);
}

static void staging_free(void *ctx, void *p, size_t size)
{
	free(p);
}

static const struct loader_staging host_staging = { NULL, staging_alloc, staging_free };

static int hex_digits(unsigned long long v)
{
	int n = 1;

	while (v >>= 4)
		n++;
	return n;
}

static void print_plan(const struct loader_plan *plan, const struct loader_params *p)
{
	const struct loader_image *img = &plan->image;
	char sz[32], al[32];
	int w = 8;

	printf("%s: %s", p->name, img->format->name);
	if (img->format == &loader_formats[0]) {
		const struct loader_bzimage_info *bz = &img->bz;

		printf(", boot protocol %u.%02u, %s, kernel_alignment %s, init_size %s",
		       bz->version >> 8, bz->version & 0xff,
		       bz->relocatable ? "relocatable" : "not relocatable",
		       loader_fmt_size(al, sizeof(al), bz->kernel_alignment),
		       loader_fmt_size(sz, sizeof(sz), bz->init_size));
	} else {
		printf(", %zu PT_LOAD", img->elf.nload);
	}
	printf("\npartition");
	for (size_t i = 0; i < p->map_count; i++)
		printf("%s0x%llx-0x%llx", i ? "," : " ", (unsigned long long)p->map[i].base,
		       (unsigned long long)(p->map[i].base + p->map[i].size - 1));
	if (p->mem_min)
		printf(", mem-min 0x%llx", (unsigned long long)p->mem_min);
	if (p->mem_max)
		printf(", mem-max 0x%llx", (unsigned long long)p->mem_max);
	printf("\n\n");

	for (size_t i = 0; i < plan->nseg; i++) {
		int d = hex_digits(plan->seg[i].memsz);

		if (d > w)
			w = d;
	}
	printf("%3s  %-18s  %-*s  %-*s  %-11s  %s\n", "#", "mem", w + 2, "memsz", w + 2, "bufsz",
	       "what", "sha256");
	for (size_t i = 0; i < plan->nseg; i++) {
		const struct loader_segment *s = &plan->seg[i];
		char hex[17];

		loader_digest_hex(s->digest, 8, hex);
		printf("%3zu  0x%016llx  0x%0*llx  0x%0*llx  %-11s  %s\n", i,
		       (unsigned long long)s->mem, w, (unsigned long long)s->memsz, w,
		       (unsigned long long)s->bufsz, s->what, hex);
	}
	printf("\nentry 0x%llx, rsi (boot_params) 0x%llx\n", (unsigned long long)plan->entry,
	       (unsigned long long)plan->boot_params);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "initrd", required_argument, NULL, 'i' },
		{ "cmdline", required_argument, NULL, 'c' },
		{ "partition", required_argument, NULL, 'p' },
		{ "mem-min", required_argument, NULL, 'm' },
		{ "mem-max", required_argument, NULL, 'M' },
		{ "rsdp", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct memmap_entry map[LOADER_MAX_MAP];
	struct loader_params p = { .staging = &host_staging, .map = map };
	const char *initrd_path = NULL;
	unsigned long long v;
	bool dry_run = false;
	struct loader_plan plan;
	struct loader_err err;
	void *image, *initrd = NULL;
	int c, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'n': dry_run = true; break;
		case 'i': initrd_path = optarg; break;
		case 'c': p.cmdline = optarg; break;
		case 'p':
			if (p.map_count == LOADER_MAX_MAP ||
			    parse_range(optarg, &map[p.map_count])) {
				fprintf(stderr, "twinmon-load: bad --partition '%s'\n", optarg);
				return 2;
			}
			p.map_count++;
			break;
		case 'm': case 'M': case 'r':
			if (parse_num(optarg, &v)) {
				fprintf(stderr, "twinmon-load: bad number '%s'\n", optarg);
				return 2;
			}
			*(c == 'm' ? &p.mem_min : c == 'M' ? &p.mem_max : &p.acpi_rsdp) = v;
			break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	if (!dry_run) {
		fprintf(stderr, "twinmon-load: only --dry-run exists on the host; the monitor "
				"loads guests itself\n");
		return 2;
	}
	if (!p.map_count)
		map[p.map_count++] = (struct memmap_entry){ 0, DEFAULT_PARTITION_LAST + 1,
							    MEMMAP_USABLE, 0 };
	p.name = strrchr(argv[optind], '/') ? strrchr(argv[optind], '/') + 1 : argv[optind];
	image = read_file(argv[optind], &p.image_size);
	if (!image) {
		fprintf(stderr, "twinmon-load: %s: %s\n", argv[optind], strerror(errno));
		return 2;
	}
	p.image = image;
	if (initrd_path) {
		initrd = read_file(initrd_path, &p.initrd_size);
		if (!initrd) {
			fprintf(stderr, "twinmon-load: %s: %s\n", initrd_path, strerror(errno));
			free(image);
			return 2;
		}
		p.initrd = initrd;
	}
	rc = loader_load(&p, &plan, &err);
	if (rc)
		fprintf(stderr, "%s\n", err.msg);
	else
		print_plan(&plan, &p);
	loader_plan_release(&plan);
	free(initrd);
	free(image);
	return rc ? 1 : 0;
}
