// SPDX-License-Identifier: GPL-2.0-only
/*
 * twinmon-check's machine: the memory map the plans are made for, either synthesized for
 * --ram SIZE or read from a map the EFI app captured (--memmap FILE).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fmt.h"
#include "partition/memmap_efi.h"
#include "partition/memmap_text.h"
#include "tools/check.h"

/* Attributes as OVMF sets them: RAM is WB|WT|WC|UC, runtime ranges add EFI_MEMORY_RUNTIME. */
#define CHECK_ATTR_RAM	   0xfULL
#define CHECK_ATTR_RUNTIME (EFI_MA_RUNTIME | 0xfULL)
#define CHECK_ATTR_UC	   0x1ULL

#define CHECK_EBDA	    0x9f000ULL	  /* the EBDA and the VGA/ROM window follow */
#define CHECK_FW_TAIL	    (1ULL << 20)  /* runtime services and ACPI, top of low RAM */
#define CHECK_MMCONFIG	    0xb0000000ULL /* q35's PCIe ECAM window, 256 buses */
#define CHECK_MMCONFIG_SIZE (256ULL << 20)
#define CHECK_FLASH	    0xffc00000ULL /* the OVMF flash image, 4M */
#define CHECK_FLASH_SIZE    (4ULL << 20)
/* Largest file --memmap reads: a map of ~100 descriptors is ~8K, thousands are still fine. */
#define CHECK_MEMMAP_FILE_MAX (16U << 20)

static void check_map_put(struct memmap_entry *e, size_t *n, uint32_t efi_type, uint64_t attr,
			  uint64_t base, uint64_t end)
{
	e[*n] = (struct memmap_entry){
		.base = base,
		.size = end - base,
		.type = memmap_type_from_efi(efi_type, attr),
		.efi_type = efi_type,
	};
	(*n)++;
}

size_t check_map_synth(uint64_t ram, struct memmap_entry *e, size_t cap)
{
	uint64_t low_top, tail;
	size_t n = 0;

	ram &= ~(MEMMAP_PAGE_SIZE - 1);
	if (ram < CHECK_RAM_MIN || ram > CHECK_RAM_MAX || cap < CHECK_SYNTH_MAX)
		return 0;
	low_top = ram < CHECK_RAM_LOW_MAX ? ram : CHECK_RAM_LOW_MAX;
	tail = low_top - CHECK_FW_TAIL;

	check_map_put(e, &n, EFI_MT_CONVENTIONAL, CHECK_ATTR_RAM, 0, CHECK_EBDA);
	check_map_put(e, &n, EFI_MT_RESERVED, 0, CHECK_EBDA, PARTITION_HIGH_START);
	check_map_put(e, &n, EFI_MT_CONVENTIONAL, CHECK_ATTR_RAM, PARTITION_HIGH_START, tail);
	/* The tail in the order OVMF leaves it: runtime code and data, then ACPI. */
	check_map_put(e, &n, EFI_MT_RT_CODE, CHECK_ATTR_RUNTIME, tail, tail + (256 << 10));
	check_map_put(e, &n, EFI_MT_RT_DATA, CHECK_ATTR_RUNTIME, tail + (256 << 10),
		      tail + (512 << 10));
	check_map_put(e, &n, EFI_MT_ACPI_RECLAIM, CHECK_ATTR_RAM, tail + (512 << 10),
		      tail + (576 << 10));
	check_map_put(e, &n, EFI_MT_ACPI_NVS, CHECK_ATTR_RAM, tail + (576 << 10), low_top);
	check_map_put(e, &n, EFI_MT_RESERVED, CHECK_ATTR_UC, CHECK_MMCONFIG,
		      CHECK_MMCONFIG + CHECK_MMCONFIG_SIZE);
	check_map_put(e, &n, EFI_MT_MMIO, EFI_MA_RUNTIME | CHECK_ATTR_UC, CHECK_FLASH,
		      CHECK_FLASH + CHECK_FLASH_SIZE);
	if (ram > CHECK_RAM_LOW_MAX)
		check_map_put(e, &n, EFI_MT_CONVENTIONAL, CHECK_ATTR_RAM, PARTITION_4G,
			      PARTITION_4G + ram - CHECK_RAM_LOW_MAX);
	return n;
}

/* The whole file, NUL-terminated, or NULL with errno set. */
static char *check_map_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;

	if (!f)
		return NULL;
	buf = malloc(CHECK_MEMMAP_FILE_MAX + 1);
	if (!buf) {
		fclose(f);
		errno = ENOMEM;
		return NULL;
	}
	*len = fread(buf, 1, CHECK_MEMMAP_FILE_MAX + 1, f);
	if (ferror(f) || *len > CHECK_MEMMAP_FILE_MAX) {
		int err = ferror(f) ? (errno ? errno : EIO) : EFBIG;

		free(buf);
		fclose(f);
		errno = err;
		return NULL;
	}
	fclose(f);
	buf[*len] = 0;
	return buf;
}

static int check_map_read(struct check_machine *m, char *err, size_t errlen)
{
	char perr[PARTITION_ERR_MAX];
	size_t len = 0, lines = 1;
	char *text = check_map_slurp(m->memmap_path, &len);
	int rc;

	if (!text) {
		rc = -errno;
		fmt_snprintf(err, errlen, "%s: cannot read: %s", m->memmap_path, strerror(errno));
		return rc;
	}
	/* One descriptor a line at most, so the line count is a capacity that always fits. */
	for (size_t i = 0; i < len; i++)
		lines += text[i] == '\n';
	m->map.entries = calloc(lines, sizeof(*m->map.entries));
	if (!m->map.entries) {
		free(text);
		fmt_snprintf(err, errlen, "%s: out of memory", m->memmap_path);
		return -ENOMEM;
	}
	m->map.capacity = lines;
	rc = partition_memmap_parse_text(text, len, &m->map, perr, sizeof(perr));
	free(text);
	if (rc) {
		fmt_snprintf(err, errlen, "%s: %s", m->memmap_path, perr);
		return rc;
	}
	if (!m->map.count) {
		fmt_snprintf(err, errlen, "%s: no memory descriptors", m->memmap_path);
		return -EINVAL;
	}
	return 0;
}

int check_map_load(struct check_machine *m, char *err, size_t errlen)
{
	char s[24];

	memset(&m->map, 0, sizeof(m->map));
	if (m->memmap_path)
		return check_map_read(m, err, errlen);
	m->map.entries = calloc(CHECK_SYNTH_MAX, sizeof(*m->map.entries));
	if (!m->map.entries) {
		fmt_snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	m->map.capacity = CHECK_SYNTH_MAX;
	m->map.count = check_map_synth(m->ram, m->map.entries, m->map.capacity);
	if (!m->map.count) {
		fmt_snprintf(err, errlen, "--ram: %s is outside 4M..64T",
			     fmt_size(s, sizeof(s), m->ram));
		return -EINVAL;
	}
	return 0;
}

uint64_t check_map_usable(const struct memmap *map)
{
	struct memmap_entry *scratch = calloc(map->count ? map->count : 1, sizeof(*scratch));
	struct memmap_summary sum = { 0 };

	if (scratch && memmap_summarize(map, scratch, &sum) < 0)
		sum.usable_bytes = 0;
	free(scratch);
	return sum.usable_bytes;
}

void check_map_free(struct check_machine *m)
{
	free(m->map.entries);
	memset(&m->map, 0, sizeof(m->map));
}
