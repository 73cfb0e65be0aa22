// SPDX-License-Identifier: GPL-2.0-only
/*
 * ELF64 executables for x86-64, the format of twinmon's bundled test guests. Each PT_LOAD
 * goes to its physical address (p_paddr); PT_LOADs that share a page are merged into one
 * segment so segments stay page-aligned and disjoint. The guest is entered at e_entry
 * (translated to physical) with RSI pointing at a boot_params that carries its e820 map
 * and command line, the same zero page a Linux guest gets.
 */
#include <errno.h>

#include "loader/bootparams.h"
#include "loader/internal.h"
#include "loader/place.h"

#define ELF_MAGIC	"\177ELF"
#define ELF_CLASS64	2
#define ELF_DATA2LSB	1
#define ELF_EV_CURRENT	1
#define ELF_ET_EXEC	2
#define ELF_ET_DYN	3
#define ELF_EM_X86_64	62
#define ELF_PT_LOAD	1
#define ELF_PT_INTERP	3
#define ELF_MAX_PHDRS	64

struct elf64_ehdr {
	uint8_t ident[16];
	uint16_t type;
	uint16_t machine;
	uint32_t version;
	uint64_t entry;
	uint64_t phoff;
	uint64_t shoff;
	uint32_t flags;
	uint16_t ehsize;
	uint16_t phentsize;
	uint16_t phnum;
	uint16_t shentsize;
	uint16_t shnum;
	uint16_t shstrndx;
} __attribute__((packed));

struct elf64_phdr {
	uint32_t type;
	uint32_t flags;
	uint64_t offset;
	uint64_t vaddr;
	uint64_t paddr;
	uint64_t filesz;
	uint64_t memsz;
	uint64_t align;
} __attribute__((packed));

_Static_assert(sizeof(struct elf64_ehdr) == 64, "ELF64 header is 64 bytes");
_Static_assert(offsetof(struct elf64_ehdr, type) == 16, "e_type at 16");
_Static_assert(offsetof(struct elf64_ehdr, machine) == 18, "e_machine at 18");
_Static_assert(offsetof(struct elf64_ehdr, entry) == 24, "e_entry at 24");
_Static_assert(offsetof(struct elf64_ehdr, phoff) == 32, "e_phoff at 32");
_Static_assert(offsetof(struct elf64_ehdr, phentsize) == 54, "e_phentsize at 54");
_Static_assert(offsetof(struct elf64_ehdr, phnum) == 56, "e_phnum at 56");
_Static_assert(sizeof(struct elf64_phdr) == 56, "ELF64 program header is 56 bytes");
_Static_assert(offsetof(struct elf64_phdr, offset) == 8, "p_offset at 8");
_Static_assert(offsetof(struct elf64_phdr, paddr) == 24, "p_paddr at 24");
_Static_assert(offsetof(struct elf64_phdr, filesz) == 32, "p_filesz at 32");
_Static_assert(offsetof(struct elf64_phdr, memsz) == 40, "p_memsz at 40");

/* Segment names for the table; one per PT_LOAD group. */
static const char *const elf_names[LOADER_ELF_MAX_LOADS] = {
	"load0", "load1", "load2", "load3", "load4", "load5", "load6",
	"load7", "load8", "load9", "load10", "load11", "load12", "load13",
};

static int elf_check_header(const char *name, const struct elf64_ehdr *eh, size_t size,
			    struct loader_err *err)
{
	if (eh->ident[4] != ELF_CLASS64)
		return loader_fail(err, -EINVAL, "%s: not ELF64 (class %u)", name, eh->ident[4]);
	if (eh->ident[5] != ELF_DATA2LSB)
		return loader_fail(err, -EINVAL, "%s: not little-endian (data encoding %u)", name,
				   eh->ident[5]);
	if (eh->ident[6] != ELF_EV_CURRENT || eh->version != ELF_EV_CURRENT)
		return loader_fail(err, -EINVAL, "%s: unknown ELF version %u", name, eh->version);
	if (eh->type != ELF_ET_EXEC)
		return loader_fail(err, -EINVAL, "%s: not an executable (e_type %u%s)", name,
				   eh->type,
				   eh->type == ELF_ET_DYN ? ", position-independent" : "");
	if (eh->machine != ELF_EM_X86_64)
		return loader_fail(err, -EINVAL, "%s: not x86-64 (e_machine %u)", name,
				   eh->machine);
	if (eh->phentsize != sizeof(struct elf64_phdr))
		return loader_fail(err, -EINVAL, "%s: program headers of %u bytes, not %zu", name,
				   eh->phentsize, sizeof(struct elf64_phdr));
	if (!eh->phnum || eh->phnum > ELF_MAX_PHDRS)
		return loader_fail(err, -EINVAL, "%s: %u program headers (1 to %d supported)",
				   name, eh->phnum, ELF_MAX_PHDRS);
	if (!loader_in_bounds(eh->phoff, (uint64_t)eh->phnum * sizeof(struct elf64_phdr), size))
		return loader_fail(err, -EINVAL, "%s: truncated: program headers at 0x%llx run "
				   "past the end of the %zu-byte file", name,
				   (unsigned long long)eh->phoff, size);
	return 0;
}

static int elf_add_load(const char *name, struct loader_elf_info *elf,
			const struct elf64_phdr *ph, unsigned idx, size_t size,
			struct loader_err *err)
{
	size_t n = elf->nload;

	if (!loader_in_bounds(ph->offset, ph->filesz, size))
		return loader_fail(err, -EINVAL, "%s: truncated: PT_LOAD %u wants file bytes "
				   "0x%llx+0x%llx of %zu", name, idx,
				   (unsigned long long)ph->offset,
				   (unsigned long long)ph->filesz, size);
	if (ph->filesz > ph->memsz)
		return loader_fail(err, -EINVAL, "%s: PT_LOAD %u has p_filesz 0x%llx > p_memsz "
				   "0x%llx", name, idx, (unsigned long long)ph->filesz,
				   (unsigned long long)ph->memsz);
	/* Room for page rounding too, so later arithmetic on paddr + memsz cannot wrap. */
	if (ph->memsz > UINT64_MAX - ph->paddr - 2 * LOADER_PAGE_SIZE ||
	    ph->paddr > UINT64_MAX - 2 * LOADER_PAGE_SIZE)
		return loader_fail(err, -EINVAL, "%s: PT_LOAD %u at 0x%llx+0x%llx wraps around",
				   name, idx, (unsigned long long)ph->paddr,
				   (unsigned long long)ph->memsz);
	if (n == LOADER_ELF_MAX_LOADS)
		return loader_fail(err, -E2BIG, "%s: more than %d PT_LOAD segments", name,
				   LOADER_ELF_MAX_LOADS);
	/* Keep them sorted by physical address: overlap and merging look at neighbours. */
	while (n > 0 && elf->load[n - 1].paddr > ph->paddr) {
		elf->load[n] = elf->load[n - 1];
		n--;
	}
	elf->load[n] = (struct loader_elf_load){
		.paddr = ph->paddr, .vaddr = ph->vaddr, .memsz = ph->memsz,
		.offset = ph->offset, .filesz = ph->filesz,
	};
	elf->nload++;
	return 0;
}

/* e_entry is virtual; guests are entered with paging identity-mapped, so make it physical. */
static int elf_entry(const char *name, struct loader_elf_info *elf, uint64_t entry,
		     struct loader_err *err)
{
	for (size_t i = 0; i < elf->nload; i++) {
		const struct loader_elf_load *l = &elf->load[i];

		if (entry >= l->vaddr && entry - l->vaddr < l->memsz) {
			elf->entry = entry - l->vaddr + l->paddr;
			return 0;
		}
	}
	return loader_fail(err, -EINVAL, "%s: entry point 0x%llx is outside every PT_LOAD", name,
			   (unsigned long long)entry);
}

int loader_probe_elf(const char *name, const void *data, size_t size, struct loader_image *img,
		     struct loader_err *err)
{
	const uint8_t *d = data;
	struct loader_elf_info *elf = &img->elf;
	struct elf64_ehdr eh;
	int rc;

	if (size < 4 || memcmp(d, ELF_MAGIC, 4))
		return loader_fail(err, -ENOEXEC, "%s: no ELF magic", name);
	if (size < sizeof(eh))
		return loader_fail(err, -EINVAL, "%s: truncated: %zu bytes, an ELF64 header needs "
				   "%zu", name, size, sizeof(eh));
	memcpy(&eh, d, sizeof(eh));
	rc = elf_check_header(name, &eh, size, err);
	if (rc)
		return rc;

	elf->nload = 0;
	for (unsigned i = 0; i < eh.phnum; i++) {
		struct elf64_phdr ph;

		memcpy(&ph, d + eh.phoff + (uint64_t)i * sizeof(ph), sizeof(ph));
		if (ph.type == ELF_PT_INTERP)
			return loader_fail(err, -EINVAL, "%s: needs an interpreter (PT_INTERP)",
					   name);
		if (ph.type != ELF_PT_LOAD || !ph.memsz)
			continue;
		rc = elf_add_load(name, elf, &ph, i, size, err);
		if (rc)
			return rc;
	}
	if (!elf->nload)
		return loader_fail(err, -EINVAL, "%s: no PT_LOAD segment", name);
	for (size_t i = 1; i < elf->nload; i++) {
		const struct loader_elf_load *a = &elf->load[i - 1], *b = &elf->load[i];

		if (b->paddr - a->paddr < a->memsz)
			return loader_fail(err, -EINVAL,
					   "%s: PT_LOADs at 0x%llx and 0x%llx overlap", name,
					   (unsigned long long)a->paddr,
					   (unsigned long long)b->paddr);
	}
	rc = elf_entry(name, elf, eh.entry, err);
	if (rc)
		return rc;
	img->name = name;
	img->data = d;
	img->size = size;
	return 0;
}

/* Page-rounded end of a PT_LOAD; elf_add_load left room, so this cannot wrap. */
static uint64_t elf_load_end(const struct loader_elf_load *l)
{
	return (l->paddr + l->memsz + LOADER_PAGE_SIZE - 1) & LOADER_PAGE_MASK;
}

/* Loads [first, last) of elf->load whose pages touch: one segment from first page to last. */
static int elf_load_group(const struct loader_image *img, struct loader_plan *plan,
			  struct loader_place *pl, size_t first, size_t last, size_t nseg,
			  struct loader_err *err)
{
	const struct loader_elf_info *elf = &img->elf;
	const struct loader_elf_load *l0 = &elf->load[first];
	const char *what = elf_names[nseg];
	uint64_t start = l0->paddr & LOADER_PAGE_MASK, bufsz = 0;
	/* Sorted and disjoint: the last PT_LOAD of the group ends it. */
	uint64_t end = elf_load_end(&elf->load[last - 1]);
	uint8_t *buf;
	int rc;

	for (size_t i = first; i < last; i++) {
		uint64_t b = elf->load[i].paddr - start + elf->load[i].filesz;

		if (elf->load[i].filesz && b > bufsz)
			bufsz = b;
	}
	rc = loader_place_fixed(pl, what, start, end - start, UINT64_MAX, err);
	if (rc)
		return rc;
	if (last - first == 1 && start == l0->paddr) {
		/* The common case: the file bytes are the segment's buffer as they are. */
		if (!loader_plan_add(plan, what, img->data + l0->offset, l0->filesz, start,
				     end - start, false, err))
			return -E2BIG;
		return 0;
	}
	if (bufsz > SIZE_MAX)
		return loader_fail(err, -EOVERFLOW, "%s: too large", what);
	buf = bufsz ? loader_stage(plan, bufsz, what, err) : NULL;
	if (bufsz && !buf)
		return -ENOMEM;
	/* A group of bss only has no buffer: bufsz stays 0 and nothing is copied. */
	for (size_t i = first; i < last; i++)
		if (elf->load[i].filesz)
			memcpy(buf + (elf->load[i].paddr - start), img->data + elf->load[i].offset,
			       elf->load[i].filesz);
	if (!loader_plan_add(plan, what, buf, bufsz, start, end - start, bufsz != 0, err)) {
		if (buf)
			plan->staging->free(plan->staging->ctx, buf, bufsz);
		return -E2BIG;
	}
	return 0;
}

int loader_load_elf(const struct loader_image *img, const struct loader_params *p,
		    struct loader_plan *plan, struct loader_err *err)
{
	const struct loader_elf_info *elf = &img->elf;
	struct loader_bp_layout at = { 0 };
	struct linux_boot_params *bp;
	struct linux_setup_data *sd;
	struct loader_place pl;
	size_t sd_size, nseg = 0;
	int rc;

	rc = loader_place_init(&pl, img->name, p, err);
	if (rc)
		return rc;
	for (size_t first = 0; first < elf->nload; nseg++) {
		size_t last = first + 1;
		uint64_t end = elf_load_end(&elf->load[first]);

		while (last < elf->nload && (elf->load[last].paddr & LOADER_PAGE_MASK) < end)
			end = elf_load_end(&elf->load[last++]);
		rc = elf_load_group(img, plan, &pl, first, last, nseg, err);
		if (rc)
			return rc;
		first = last;
	}
	rc = loader_place_bootinfo(plan, &pl, p, UINT64_MAX, NULL, LOADER_CMDLINE_UNLIMITED, &at,
				   &bp, &sd, &sd_size, err);
	if (rc)
		return rc;
	loader_bootparams_fill(bp, NULL, 0, p, &at, sd, sd_size);
	plan->entry = elf->entry;
	return 0;
}
