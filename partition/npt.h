/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Nested page tables: 4-level tables that translate guest-physical to host-physical
 * addresses. One builder and one walker, two entry formats (struct npt_format): AMD's
 * nested paging uses long-mode page-table entries (AMD APM vol. 2, 15.25), Intel's EPT its
 * own (Intel SDM vol. 3C, "The Extended Page Table Mechanism"). The tree's shape, large
 * pages and the partition plan are the same for both. The builder takes its page allocator
 * as callbacks, so it runs in the EFI app (pages from the monitor's reservation, physical ==
 * virtual) and in host tests (an array, with made-up physical addresses).
 */
#ifndef TWINMON_PARTITION_NPT_H
#define TWINMON_PARTITION_NPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "partition/partition.h"

#define NPT_P		(1ULL << 0)
#define NPT_RW		(1ULL << 1)
#define NPT_US		(1ULL << 2)	/* nested walks are user accesses: must be set */
#define NPT_PWT		(1ULL << 3)
#define NPT_PCD		(1ULL << 4)
#define NPT_A		(1ULL << 5)
#define NPT_D		(1ULL << 6)
#define NPT_PS		(1ULL << 7)	/* in a PDPE or PDE: this entry maps a 1G / 2M page */
#define NPT_NX		(1ULL << 63)	/* honoured only with EFER.NXE set on the host */
#define NPT_ADDR_MASK	0x000ffffffffff000ULL	/* both formats */
#define NPT_ENTRIES	512
#define NPT_LEVELS	4
#define NPT_GPA_LIMIT	(1ULL << 48)	/* four levels translate 48 bits */

#define NPT_SIZE_4K	0x1000ULL
#define NPT_SIZE_2M	0x200000ULL
#define NPT_SIZE_1G	0x40000000ULL

/* EPT entries (SDM vol. 3C, "EPT Translation Mechanism"). Present: any of R, W, X. */
#define EPT_R		(1ULL << 0)
#define EPT_W		(1ULL << 1)	/* W without R is a misconfiguration */
#define EPT_X		(1ULL << 2)
#define EPT_MT_SHIFT	3		/* leaf: bits 5:3, the memory type */
#define EPT_MT_MASK	(7ULL << EPT_MT_SHIFT)
#define EPT_IPAT	(1ULL << 6)	/* leaf: ignore the guest's PAT */
#define EPT_PS		(1ULL << 7)	/* in a PDPTE or PDE: this entry maps a 1G / 2M page */
#define EPT_A		(1ULL << 8)	/* set by the CPU when the EPTP enables A/D flags */
#define EPT_D		(1ULL << 9)
#define EPT_SVE		(1ULL << 63)	/* suppress #VE; the builder never sets it */
/* Memory types (SDM vol. 3A, "Methods of Caching Available"): EPT leaves, the EPTP. */
#define EPT_MT_UC	0ULL
#define EPT_MT_WB	6ULL
/* The EPT pointer (SDM vol. 3C, "Extended-Page-Table Pointer (EPTP)"). */
#define EPTP_MT_WB	EPT_MT_WB	/* bits 2:0: the memory type of the EPT tables */
#define EPTP_WALK_4	(3ULL << 3)	/* bits 5:3: walk length minus one */
#define EPTP_AD		(1ULL << 6)	/* the CPU sets A/D flags in EPT entries */

_Static_assert(NPT_PS == EPT_PS, "both formats mark a large page with bit 7");
_Static_assert(NPT_ENTRIES * sizeof(uint64_t) == 4096, "a page table is one 4 KiB page");
_Static_assert(NPT_SIZE_4K << (9 * 3) == 1ULL << 39, "a PML4 entry covers 512 GiB");

/* What a mapping allows; NPT_MAP_READ alone maps read-only. */
enum npt_map_attr {
	NPT_MAP_READ = 0,
	NPT_MAP_WRITE = 1 << 0,
	NPT_MAP_UC = 1 << 1,	/* PCD|PWT: PAT entry 3, uncached with the power-on PAT */
	NPT_MAP_NOEXEC = 1 << 2,
};

/* Options of npt_init(). */
#define NPT_NO_1G	(1u << 0)	/* the CPU lacks 1 GiB pages (CPUID 8000_0001 EDX 26; EPT:
					 * IA32_VMX_EPT_VPID_CAP bit 17) */
#define NPT_NO_2M	(1u << 1)	/* no 2 MiB pages (EPT: IA32_VMX_EPT_VPID_CAP bit 16) */

/*
 * How one vendor encodes entries. Permissions in and_bits hold only if every level of the
 * walk grants them (NPT: RW, US; EPT: R, W, X); or_bits restrict if any level sets them
 * (NPT: NX). The walker reports a leaf's low 12 bits with the walk's combined permissions.
 */
struct npt_format {
	const char *name;		/* "npt", "ept" */
	uint64_t present;		/* any of these set: the entry is in use */
	uint64_t table;			/* a non-leaf entry, besides the address */
	uint64_t and_bits;
	uint64_t or_bits;
	uint64_t high_bits;		/* bits above the address the builder never sets */
	uint64_t large_addr_ok;		/* address bits below a large page's size that may be set
					 * (NPT: bit 12, the PAT bit) */
	/* What a leaf carries for an npt_map_attr, without PS and the address. */
	uint64_t (*leaf)(unsigned attr);
	/* Format rules beyond the common ones; false: the hardware would fault (EPT
	 * misconfiguration). leaf: e maps a page (level 1, or PS set). */
	bool (*entry_ok)(uint64_t e, int level, bool leaf);
};

/* AMD nested paging (the format npt_init() uses) and Intel EPT (npt_format.c). */
extern const struct npt_format npt_format_amd;
extern const struct npt_format npt_format_ept;

struct npt_ops {
	/* A 4 KiB page: its physical address for the tables, a pointer to fill it. */
	int (*alloc_page)(void *ctx, uint64_t *pa, void **va);
	/* A pointer to a page this allocator handed out. */
	void *(*phys_to_virt)(void *ctx, uint64_t pa);
	void *ctx;
};

struct npt {
	struct npt_ops ops;
	const struct npt_format *fmt;
	unsigned flags;
	uint64_t root_pa;	/* what goes into the VMCB's N_CR3, or the EPTP's address */
	uint64_t *root;
	size_t tables;		/* table pages allocated, the root included */
	size_t leaves[3];	/* pages mapped: [0] 4 KiB, [1] 2 MiB, [2] 1 GiB */
};

/* A bump allocator over physically contiguous pages, the usual ops. */
struct npt_pool {
	uint64_t pa_base;
	uint8_t *va_base;
	size_t pages;
	size_t used;
};

void npt_pool_init(struct npt_pool *pool, uint64_t pa_base, void *va_base, size_t pages);
void npt_pool_ops(struct npt_pool *pool, struct npt_ops *ops);

/* Allocate the root, for AMD's format. -ENOMEM when the allocator fails. */
int npt_init(struct npt *npt, const struct npt_ops *ops, unsigned flags);
/* The same with the entry format fmt. */
int npt_init_format(struct npt *npt, const struct npt_ops *ops, unsigned flags,
		    const struct npt_format *fmt);

/*
 * The EPT pointer of EPT tables: write-back tables, a 4-level walk, with ad the CPU's
 * accessed and dirty flags. 0 if npt is not in EPT format.
 */
uint64_t npt_ept_pointer(const struct npt *npt, bool ad);

/*
 * Map [gpa, gpa + size) to [hpa, hpa + size), all page aligned, with 1 GiB and 2 MiB pages
 * where both addresses are aligned and the rest of the range covers them, 4 KiB pages
 * elsewhere. -EEXIST if any page of it is already mapped, -ENOMEM when out of pages.
 */
int npt_map_range(struct npt *npt, uint64_t gpa, uint64_t hpa, uint64_t size, unsigned attr);

/* What npt_map_range() puts in an AMD leaf for attr (without NPT_PS and the address). */
uint64_t npt_leaf_flags(unsigned attr);
/* The same for an EPT leaf: R, W unless read-only, X unless NOEXEC, WB or UC. */
uint64_t npt_ept_leaf_flags(unsigned attr);

/* A guest-physical range and how it is mapped (identity: hpa == gpa). */
struct npt_region {
	uint64_t base;
	uint64_t end;
	unsigned attr;
};

/*
 * Table pages npt_map_range() allocates to map sorted, disjoint regions one call each into
 * an empty npt, the root included. With no_1g, as if NPT_NO_1G was set.
 */
size_t npt_count_tables(const struct npt_region *r, size_t n, bool no_1g);
/* The same for npt_init() flags (NPT_NO_1G, NPT_NO_2M). */
size_t npt_count_tables_flags(const struct npt_region *r, size_t n, unsigned flags);
/* An upper bound for any n regions ending at or below max_end (2 MiB pages allowed). */
size_t npt_tables_bound(size_t n, uint64_t max_end);
/* The same for npt_init() flags: without 2 MiB pages, a table per 2 MiB below max_end. */
size_t npt_tables_bound_flags(size_t n, uint64_t max_end, unsigned flags);

/* RAM, MMIO (each MSI-X table and PBA carved out of it may split a BAR twice), ACPI. */
#define PARTITION_MAX_NPT_REGIONS \
	(PARTITION_MAX_RAM + PARTITION_MAX_MMIO + 2 * PARTITION_MAX_PCI + 64)

/*
 * Guest g's regions, sorted: its RAM write-back RWX, its MMIO uncached RW, and with
 * map_acpi the firmware's ACPI and NVS ranges write-back read-only. Adjacent regions with
 * the same attributes are merged. -E2BIG beyond cap.
 */
int partition_npt_regions(struct partition_plan *plan, unsigned g, struct npt_region *r,
			  size_t cap, size_t *n);

/* Build guest g's nested page tables from partition_npt_regions(); npt is initialised here. */
int partition_build_npt(struct partition_plan *plan, unsigned g, const struct npt_ops *ops,
			unsigned flags, struct npt *npt);
/* The same in the entry format fmt (&npt_format_ept for Intel EPT). */
int partition_build_pt(struct partition_plan *plan, unsigned g, const struct npt_ops *ops,
		       unsigned flags, const struct npt_format *fmt, struct npt *npt);

/*
 * Map every page below 1 MiB that guest g's tables leave unmapped to one zeroed page at
 * zero_hpa, read-only and not executable: Linux scans that range for BIOS tables (DMI, MP,
 * option ROMs) and must find zeros, not a fault. Writes there still fault (nested page
 * fault with P and W set): the monitor drops them. Call after partition_build_npt().
 */
int partition_npt_zero_low(struct partition_plan *plan, unsigned g, struct npt *npt,
			   uint64_t zero_hpa);

/* ---- walking (npt_walk.c) ---- */

struct npt_walk_result {
	bool mapped;
	uint64_t hpa;		/* the host address gpa translates to */
	uint64_t page_gpa;	/* first guest address of the leaf page */
	uint64_t page_size;	/* 4 KiB, 2 MiB or 1 GiB */
	uint64_t flags;		/* the leaf's low 12 bits and or_bits, with the permissions
				 * (and_bits) every level granted */
	int level;		/* 1: PTE, 2: PDE, 3: PDPE; the level a miss stopped at */
};

/*
 * Translate gpa as the hardware would, in npt's format. -EINVAL for a gpa beyond 48 bits or
 * a malformed table (a large page at PML4 level, an unaligned large page, an address beyond
 * 52 bits, or what the format's entry_ok refuses).
 */
int npt_walk(const struct npt *npt, uint64_t gpa, struct npt_walk_result *res);

/* Call fn for every leaf in address order; stops at and returns fn's first nonzero result. */
int npt_for_each_leaf(const struct npt *npt,
		      int (*fn)(void *ctx, uint64_t gpa, uint64_t hpa, uint64_t size,
				uint64_t flags),
		      void *ctx);

#endif
