/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The twinmon configuration: what docs/config.md describes, parsed into one flat struct.
 *
 * The struct holds no pointers (not into the input, not anywhere), so the EFI app can keep
 * it after freeing the file buffer and tools can copy it freely. Every array has a fixed
 * size; the limits below are part of the documented format. Besides the values, the struct
 * records where each key came from (line and column), so later checks (the validator, the
 * partitioner, the boot menu) can point at the line a user has to change.
 */
#ifndef TWINMON_GUEST_CONFIG_CONFIG_H
#define TWINMON_GUEST_CONFIG_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "guest-config/diag.h"

/* Bumped whenever struct twin_config changes layout or meaning. */
#define CONFIG_VERSION 2

#define CONFIG_FILE_MAX	   (1024 * 1024) /* bytes */
#define CONFIG_LINE_MAX	   4096		 /* bytes per line, without the line break */
#define CONFIG_NAME_MAX	   63		 /* bytes of a guest name */
#define CONFIG_PATH_MAX	   255		 /* bytes of a normalized kernel or initrd path */
#define CONFIG_CMDLINE_MAX 2047		 /* bytes of a kernel command line */

#define CONFIG_TIMEOUT_MAX     3600 /* seconds */
#define CONFIG_TIMEOUT_DEFAULT 5
#define CONFIG_SLICE_MIN_US    50
#define CONFIG_SLICE_MAX_US    1000000
#define CONFIG_SLICE_DEFAULT_US 10000

#define CONFIG_PAGE_SIZE   0x1000ULL
#define CONFIG_LOW_RAM_END 0xa0000ULL	 /* 640 KiB: RAM below it is shared out with low-memory */
#define CONFIG_HIGH_START  0x100000ULL	 /* 1 MiB: memory= RAM starts at or above it */
#define CONFIG_PHYS_LIMIT  (1ULL << 52) /* x86-64 physical address space */

#define CONFIG_MAX_PORT_RANGES 32
#define CONFIG_MAX_PCI	       16
#define CONFIG_NR_IRQS	       24 /* IOAPIC inputs 0..23 (legacy IRQs 0..15 included) */
#define CONFIG_NR_UARTS	       4  /* com1..com4 */
#define CONFIG_UART_PORTS      8  /* a 16550 decodes 8 consecutive ports */
#define CONFIG_DEBUGCON_PORT   0xe9
#define CONFIG_CASCADE_IRQ     2 /* the slave PIC's input on the master: never a device */

/*
 * cpus = LIST names physical CPUs by their index in the firmware's MP-services order (0 is
 * the boot CPU): up to CONFIG_MAX_CPUS of them exist to the format, and a guest gets at most
 * CONFIG_MAX_VCPUS (one vCPU per listed CPU).
 */
#define CONFIG_MAX_CPUS	 64
#define CONFIG_MAX_VCPUS 8

#define CONFIG_NR_GUESTS 2
#define CONFIG_GUEST_A	 0
#define CONFIG_GUEST_B	 1

/* [global] mode: which guests the monitor runs, and therefore which sections must exist. */
enum config_mode {
	CONFIG_MODE_TWIN,    /* both guests time-share the machine */
	CONFIG_MODE_A_ALONE, /* only guest A runs under the monitor */
	CONFIG_MODE_B_ALONE,
	CONFIG_MODE_COUNT,
};

/* [global] default: the boot menu entry chosen when the countdown ends. */
enum config_boot {
	CONFIG_BOOT_TWIN,
	CONFIG_BOOT_A_ALONE,
	CONFIG_BOOT_B_ALONE,
	CONFIG_BOOT_DIRECT_A, /* start guest A's kernel without the monitor */
	CONFIG_BOOT_DIRECT_B,
	CONFIG_BOOT_EXIT, /* return to the firmware */
	CONFIG_BOOT_COUNT,
};

enum config_irq_policy {
	CONFIG_IRQ_WAIT,   /* hold an interrupt for the other guest until its slice starts */
	CONFIG_IRQ_SWITCH, /* end the running slice early and switch to the interrupt's owner */
	CONFIG_IRQ_POLICY_COUNT,
};

/*
 * [global] dma: what a guest that owns PCI functions may do without an IOMMU. Any function
 * can be a bus master, so without an IOMMU its DMA reaches all RAM (docs/iommu.md).
 */
enum config_dma {
	CONFIG_DMA_CONFINED,   /* an IOMMU confines it; no IOMMU: such a config is refused */
	CONFIG_DMA_UNCONFINED, /* no IOMMU: run anyway, its DMA unconfined */
	CONFIG_DMA_COUNT,
};

enum config_log_kind {
	CONFIG_LOG_DEBUGCON, /* QEMU/Bochs port 0xe9 */
	CONFIG_LOG_UART,     /* com1..com4, polled: the UART's IRQ stays free */
	CONFIG_LOG_PORT,     /* one raw I/O port, written a byte at a time */
	CONFIG_LOG_NONE,
	CONFIG_LOG_KIND_COUNT,
};

/* [guest x] on-reset: what a reset request from the guest does (docs/config.md). */
enum config_on_reset {
	CONFIG_RESET_RESTART, /* start it again from its image, the other guest runs on */
	CONFIG_RESET_STOP,    /* stop it for good */
	CONFIG_RESET_IGNORE,  /* drop the request (a triple fault still stops it) */
	CONFIG_RESET_COUNT,
};

/* [guest x] apic: the mode its virtual local APIC starts in. */
enum config_apic {
	CONFIG_APIC_XAPIC,  /* memory-mapped at 0xfee00000 */
	CONFIG_APIC_X2APIC, /* MSRs, already enabled at entry */
	CONFIG_APIC_COUNT,
};

enum config_format {
	CONFIG_FORMAT_AUTO, /* the loader looks at the file */
	CONFIG_FORMAT_BZIMAGE,
	CONFIG_FORMAT_ELF,
	CONFIG_FORMAT_COUNT,
};

enum config_mem_kind {
	CONFIG_MEM_AUTO,  /* no memory= key: an equal share of what is left */
	CONFIG_MEM_SIZE,  /* "512M high": a size, placed by the partitioner */
	CONFIG_MEM_RANGE, /* "0x100000-0x1fffffff": exactly these addresses */
};

enum config_placement {
	CONFIG_PLACE_HIGH, /* as high as the RAM map (and mem-max) allows */
	CONFIG_PLACE_LOW,  /* as low as possible at or above 1 MiB (and mem-min) */
};

/* Keys, used to index the loc[] arrays below and by the diagnostics. */
enum config_global_key {
	CONFIG_KEY_DEFAULT,
	CONFIG_KEY_TIMEOUT,
	CONFIG_KEY_MODE,
	CONFIG_KEY_SLICE,
	CONFIG_KEY_SLICE_A,
	CONFIG_KEY_SLICE_B,
	CONFIG_KEY_IRQ_POLICY,
	CONFIG_KEY_LOG_PORT,
	CONFIG_KEY_DMA,
	CONFIG_GLOBAL_KEY_COUNT,
};

enum config_guest_key {
	CONFIG_KEY_NAME,
	CONFIG_KEY_KERNEL,
	CONFIG_KEY_INITRD,
	CONFIG_KEY_CMDLINE,
	CONFIG_KEY_FORMAT,
	CONFIG_KEY_MEMORY,
	CONFIG_KEY_LOW_MEMORY,
	CONFIG_KEY_MEM_MIN,
	CONFIG_KEY_MEM_MAX,
	CONFIG_KEY_PORTS,
	CONFIG_KEY_UARTS,
	CONFIG_KEY_PCI,
	CONFIG_KEY_IRQS,
	CONFIG_KEY_ON_RESET,
	CONFIG_KEY_APIC,
	CONFIG_KEY_CPUS,
	CONFIG_GUEST_KEY_COUNT,
};

/* Where a key's value starts in the file; line 0 means the key was not given. */
struct config_loc {
	uint32_t line;
	uint32_t col;
};

struct config_memory {
	uint32_t kind;	    /* enum config_mem_kind */
	uint32_t placement; /* enum config_placement; meaningful for AUTO and SIZE */
	uint64_t base;	    /* RANGE: first byte */
	uint64_t size;	    /* SIZE, RANGE: bytes (a RANGE's last byte is base + size - 1) */
};

/* Inclusive port range; col is the source column of its token (for diagnostics). */
struct config_port_range {
	uint16_t first;
	uint16_t last;
	uint16_t col;
};

struct config_pci_fn {
	uint8_t bus;
	uint8_t dev;
	uint8_t fn;
	uint8_t gsi;	/* "@N": where its INTx pin goes (1..23); 0: the platform's rule */
	uint16_t col;
};

struct config_log_port {
	uint32_t kind; /* enum config_log_kind */
	uint16_t uart; /* CONFIG_LOG_UART: 0 for com1 .. 3 for com4 */
	uint16_t port; /* CONFIG_LOG_PORT: the port; DEBUGCON: 0xe9; UART: its base */
};

struct guest_config {
	bool present; /* the file has this [guest x] section */
	struct config_loc section;
	struct config_loc loc[CONFIG_GUEST_KEY_COUNT];

	char name[CONFIG_NAME_MAX + 1];
	char kernel[CONFIG_PATH_MAX + 1]; /* normalized: starts with '\', '\' separators */
	char initrd[CONFIG_PATH_MAX + 1]; /* "" when there is none */
	char cmdline[CONFIG_CMDLINE_MAX + 1];
	uint32_t format; /* enum config_format */
	uint32_t on_reset; /* enum config_on_reset */
	uint32_t apic;	   /* enum config_apic */

	struct config_memory memory;
	bool low_memory_set; /* false: split evenly with the other guest */
	uint64_t low_memory; /* bytes below 640 KiB, when low_memory_set */
	uint64_t mem_min;    /* lowest address of the guest's RAM; default 0 */
	uint64_t mem_max;    /* highest address (inclusive); default UINT64_MAX */

	uint32_t nr_ports;
	struct config_port_range ports[CONFIG_MAX_PORT_RANGES];
	uint32_t uart_mask; /* bit n: com(n+1) */
	uint16_t uart_col[CONFIG_NR_UARTS];
	uint32_t nr_pci;
	struct config_pci_fn pci[CONFIG_MAX_PCI];
	uint32_t irq_mask; /* bit n: IRQ n, as listed in irqs= (UART IRQs not included) */
	uint16_t irq_col[CONFIG_NR_IRQS];
	/* bit n: physical CPU n; vCPU k runs on the k-th lowest. Default 1 (CPU 0 only). */
	uint64_t cpus;
};

struct twin_config {
	uint32_t version; /* CONFIG_VERSION */
	struct config_loc global_section;
	struct config_loc loc[CONFIG_GLOBAL_KEY_COUNT];

	uint32_t mode;	       /* enum config_mode */
	uint32_t boot_default; /* enum config_boot */
	uint32_t timeout;      /* seconds */
	uint32_t slice_us[CONFIG_NR_GUESTS];
	uint32_t irq_policy; /* enum config_irq_policy */
	struct config_log_port log;
	uint32_t dma; /* enum config_dma */

	struct guest_config guest[CONFIG_NR_GUESTS];
};

/* Fill cfg with the documented defaults: no guests, mode twin, log port debugcon, ... */
void config_defaults(struct twin_config *cfg);

/*
 * Parse and validate a configuration file held in memory (text need not be NUL-terminated
 * and may contain anything). filename only labels the diagnostics. Returns 0 when the file
 * is valid, -EINVAL when it is not (diag then holds at least one message), -EFBIG when it is
 * longer than CONFIG_FILE_MAX. out always holds the defaults overlaid with whatever parsed.
 */
int config_parse(const char *filename, const char *text, size_t len, struct twin_config *out,
		 struct config_diag *diag);

/*
 * The checks that need the whole file: required sections and keys, mode and default, and
 * everything the two guests and the monitor must not share. config_parse() runs it; call it
 * again after changing a parsed config (messages are appended to diag). 0 or -EINVAL.
 */
int config_validate(const struct twin_config *cfg, struct config_diag *diag);

/* Does running in this mode need guest i (CONFIG_GUEST_A or _B)? */
bool config_mode_needs_guest(uint32_t mode, unsigned int i);
/* Does this menu entry start guest i? */
bool config_boot_needs_guest(uint32_t boot, unsigned int i);
/* The menu entry that runs a mode (the default of "default"). */
uint32_t config_boot_for_mode(uint32_t mode);
/* Can this menu entry start with the guests cfg defines? */
bool config_boot_available(const struct twin_config *cfg, uint32_t boot);

/* Names as written in the file; "?" for values out of range. */
const char *config_mode_name(uint32_t mode);
const char *config_boot_name(uint32_t boot);
const char *config_irq_policy_name(uint32_t policy);
const char *config_dma_name(uint32_t dma);
const char *config_format_name(uint32_t format);
const char *config_placement_name(uint32_t placement);
const char *config_log_kind_name(uint32_t kind);
const char *config_global_key_name(uint32_t key);
const char *config_guest_key_name(uint32_t key);
const char *config_guest_section_name(unsigned int i); /* "guest a", "guest b" */
char config_guest_letter(unsigned int i);		 /* 'a', 'b' */

/* The guests' cpus lists: neither shares a CPU with the other, or both list the same ones. */
bool config_cpus_compatible(uint64_t a, uint64_t b);

/* Legacy UARTs: n is 0 for com1 .. 3 for com4. Out of range: 0 / NULL. */
const char *config_uart_name(unsigned int n);
uint16_t config_uart_port(unsigned int n);
unsigned int config_uart_irq(unsigned int n);

/* The ports the monitor writes its log to. -ENOENT when logging is off (log-port = none). */
int config_log_ports(const struct config_log_port *log, uint16_t *first, uint16_t *last);

/*
 * Ports guests never get because the monitor itself must own them (the PICs, ELCR, PCI
 * configuration mechanism). Returns the reserved range that overlaps [first, last], or NULL.
 */
struct config_reserved_ports {
	uint16_t first;
	uint16_t last;
	const char *owner;
};
const struct config_reserved_ports *config_reserved_port_overlap(uint16_t first, uint16_t last);

#endif
