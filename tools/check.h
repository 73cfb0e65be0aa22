/* SPDX-License-Identifier: GPL-2.0-only */
/* twinmon-check: the pieces of the host tool. Host only (uses stdio and malloc). */
#ifndef TWINMON_TOOLS_CHECK_H
#define TWINMON_TOOLS_CHECK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <limits.h>

#include "guest-config/config.h"
#include "partition/memmap.h"
#include "partition/partition.h"

/*
 * What the tool sets aside for the monitor before the split: its image, stacks, VMCBs and
 * both guests' nested page tables. An estimate (the image is ~200K, the page tables up to
 * ~4M per guest below 4G, see docs/partition.md); the EFI app reserves what it really uses.
 * Aligned to 2M so the carve does not cost the guests their large pages.
 */
#define CHECK_MONITOR_SIZE  (16ULL << 20)
#define CHECK_MONITOR_ALIGN (2ULL << 20)
#define CHECK_MONITOR_LABEL "monitor (estimate)"
/*
 * A direct entry starts a kernel without the monitor; the app still keeps its image and a
 * pool for the identity map, the relocation trampoline and a stack until the jump
 * (efi/direct.c). Also an estimate, page aligned as the app carves it.
 */
#define CHECK_DIRECT_SIZE  (1ULL << 20)
#define CHECK_DIRECT_ALIGN 0x1000ULL
#define CHECK_DIRECT_LABEL "direct boot (estimate)"

/* --ram bounds: room for 1M..2M after the firmware's tail, and addresses below 2^48. */
#define CHECK_RAM_MIN (4ULL << 20)
#define CHECK_RAM_MAX (1ULL << 46)
/* Below 4G, q35 keeps at most 2G of RAM once there is more (the rest goes above 4G). */
#define CHECK_RAM_LOW_MAX (2ULL << 30)
/* --cpus bound: far more than the plan can name (PARTITION_MAX_CPUS), still a real machine. */
#define CHECK_CPUS_MAX 4096
/* Entries check_map_synth() writes at most. */
#define CHECK_SYNTH_MAX 10

/* The machine the plans are made for: a synthesized map (--ram) or a captured one. */
struct check_machine {
	const char *memmap_path; /* --memmap FILE; NULL: synthesized for ram */
	uint64_t ram;		 /* --ram SIZE; 0 with --memmap */
	struct memmap map;	 /* entries on the heap (check_map_free) */
	const char *pci_path;	 /* --pci FILE (partition/pci_text.h); NULL: none */
	size_t nr_pci_bars;
	struct partition_bar *pci_bars;	/* on the heap (check_pci_free) */
};

/* --esp DIR: the installed ESP to check (tools/check-esp.c). */
#define CHECK_ESP_WITH_MAX 8
#define CHECK_ESP_CONFIG   "\\EFI\\twinmon\\twinmon.conf" /* where the EFI app reads it */
struct check_esp_with {
	const char *esp_path; /* as the config names it, e.g. \EFI\twinmon\vmlinuz */
	const char *file;     /* the host file standing in for it */
};

struct check_esp {
	const char *dir;  /* --esp DIR; NULL: no ESP */
	const char *conf; /* --conf FILE: checked instead of DIR's config */
	size_t nr_with;
	struct check_esp_with with[CHECK_ESP_WITH_MAX];
	char conf_path[PATH_MAX]; /* DIR's config, resolved as FAT would */
};

/* What --esp found for one kernel or initrd a config names. */
#define CHECK_ESP_ROLES 2 /* kernel, initrd */
enum check_esp_placed {
	CHECK_ESP_NOT_PLACED,	  /* no RAM size known without a machine */
	CHECK_ESP_PLACED_REQUEST, /* in the range or size its memory key gives */
	CHECK_ESP_PLACED_PLAN,	  /* in its e820 from the plan on the machine */
};

struct check_esp_image {
	bool named;		  /* the config names it */
	bool with;		  /* --with gave its file */
	bool found;
	bool failed;		  /* the lookup itself failed (reported) */
	char host_path[PATH_MAX]; /* where it is, or would be, on the host */
	uint64_t size;
	char what[96];		  /* the probe's findings, e.g. "bzImage, boot protocol 2.15" */
	uint32_t placed;	  /* kernels: enum check_esp_placed */
	size_t nseg;		  /* kernels: segments the loader placed */
};

struct check_file {
	const char *path;
	bool valid;			     /* parsed, valid and (when planned) placed */
	struct twin_config cfg;
	struct config_diag diag;
	const struct check_machine *machine; /* NULL: validate only, nothing placed */
	uint32_t entry;			     /* enum config_boot the plan is for */
	bool monitor_runs;		     /* the entry runs the monitor (not direct) */
	struct partition_plan plan;	     /* built when machine && valid */
	unsigned nr_cpus;		     /* --cpus N: the machine's CPUs; 0: unknown */
	bool cpus_planned;		     /* cpus holds the plan of entry (monitor entries) */
	struct partition_cpu_plan cpus;
	const struct check_esp *esp;	     /* NULL: not an ESP check */
	bool esp_checked;		     /* images probed (check_esp_images) */
	struct check_esp_image image[CONFIG_NR_GUESTS][CHECK_ESP_ROLES];
};

/*
 * A q35-like memory map as OVMF reports it for ram bytes of RAM (docs/config.md): usable
 * 0..0x9f000, reserved to 1M, usable from 1M to min(ram, 2G) less a 1M tail of runtime
 * services and ACPI, the MMCONFIG window and the flash, and above 4G what exceeds 2G. ram
 * is rounded down to pages. Returns the number of entries written to e (at most
 * CHECK_SYNTH_MAX; cap must be at least that), 0 when ram is outside
 * CHECK_RAM_MIN..CHECK_RAM_MAX.
 */
size_t check_map_synth(uint64_t ram, struct memmap_entry *e, size_t cap);

/* Fill m->map for m->ram or m->memmap_path. 0, or -errno with a message in err. */
int check_map_load(struct check_machine *m, char *err, size_t errlen);
void check_map_free(struct check_machine *m);
/* Read m->pci_path into m->pci_bars. 0, or -errno with a message in err. */
int check_pci_load(struct check_machine *m, char *err, size_t errlen);
void check_pci_free(struct check_machine *m);
/*
 * With --pci: give each planned guest its functions' BARs from the description, through the
 * boot code (partition_add_pci_bars). 0, or -errno with the message in the plan.
 */
int check_pci_plan(struct check_file *cf);
/* Usable bytes of a map, each counted once (the EFI app's "usable" summary). */
uint64_t check_map_usable(const struct memmap *map);

/* The menu entry named word ("twin", ..., "direct-b"; not "exit"). -EINVAL if none. */
int check_entry_parse(const char *word, uint32_t *entry);

/* The entry a file is planned for without --entry: the one its mode runs. */
uint32_t check_entry_default(const struct twin_config *cfg);

/*
 * Plan cf->cfg for menu entry entry on cf->machine with the partition library, as the EFI
 * app does: init from the map, reserve the monitor's memory (for direct entries, which
 * start a kernel without the monitor, what the app keeps until the jump), turn the config
 * into a request, split. On failure the library's message is added to cf->diag as a
 * whole-file error and cf->valid is cleared. 0 or -errno.
 */
int check_plan_build(struct check_file *cf, uint32_t entry);

/*
 * The CPU plan of cf->cfg for menu entry entry, checked against cf->nr_cpus when known, as
 * partition_plan_build() makes it at boot. Direct entries start a kernel without the monitor,
 * which then owns every CPU: nothing to plan. On failure the message is added to cf->diag as
 * a whole-file error and cf->valid is cleared. 0 or -errno.
 */
int check_cpu_plan_build(struct check_file *cf, uint32_t entry);

/*
 * The plan of a file placed on a machine: entry, memory map, the monitor's reservation, what
 * each guest got in the config's words, then partition_plan_print()'s table, indented.
 * Not const: building a guest's e820 for the table records errors in the plan.
 */
void check_print_plan(FILE *f, struct check_file *cf);
/* The CPU plan (when cf->cpus_planned): which CPU runs which guest's vCPU. */
void check_print_cpu_plan(FILE *f, const struct check_file *cf);
/* The config (and the plan, when there is one) as aligned tables. */
void check_print_table(FILE *f, struct check_file *cf);
void check_print_json(FILE *f, struct check_file *files, int count);

/*
 * An ESP path (\EFI\twinmon\vmlinuz) under dir, each component matched as FAT matches names
 * (ASCII case ignored): out is the file's host path, or where it would be (unmatched components
 * as written). 1 found, 0 not found, -errno.
 */
int check_esp_resolve(const char *dir, const char *esp_path, char *out, size_t len);
/* Fill cf->image[][] with where each kernel and initrd of cf->cfg is (--with first). */
void check_esp_locate(struct check_file *cf);
/*
 * Locate, read and probe every kernel and initrd cf->cfg names, and place each kernel with
 * its initrd and command line in its guest's memory (the planned e820 with a machine). Each
 * problem is added to cf->diag at the key's line and clears cf->valid.
 */
void check_esp_images(struct check_file *cf);
/* The images found, after the table. */
void check_print_esp(FILE *f, const struct check_file *cf);
/* --files: "a<TAB>kernel<TAB>ESP-PATH[<TAB>HOST-PATH]" per file the config names. */
void check_print_files(FILE *f, const struct check_file *cf);

/* JSON building blocks shared by check-json.c and check-json-plan.c. */
void check_json_str(FILE *f, const char *s);
void check_json_key(FILE *f, const char *indent, const char *key, bool *first);
void check_json_plan(FILE *f, struct check_file *cf, bool *first);
void check_json_cpu_plan(FILE *f, const struct check_file *cf, bool *first);

#endif
