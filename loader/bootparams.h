/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The Linux/x86 boot protocol's "zero page" (struct boot_params, 4 KiB) and its setup header,
 * as laid out by Documentation/arch/x86/boot.rst and zero-page.rst. This is an ABI: every
 * field's offset is pinned by a _Static_assert below, so a typo cannot move one silently.
 * Regions the loader never fills are kept as byte arrays of the right size.
 */
#ifndef TWINMON_LOADER_BOOTPARAMS_H
#define TWINMON_LOADER_BOOTPARAMS_H

#include <stddef.h>
#include <stdint.h>

#include "loader/loader.h"

#define LINUX_HDRS_MAGIC	0x53726448	/* "HdrS" at 0x202 */
#define LINUX_BOOT_FLAG		0xaa55
#define LINUX_JUMP_OPCODE	0xeb		/* the short jmp at 0x200 */
#define LINUX_MIN_PROTOCOL	0x020c		/* 2.12: xloadflags, 64-bit entry */
#define LINUX_SETUP_SECTS_DEFAULT 4		/* setup_sects == 0 means 4 */
#define LINUX_SECTOR_SIZE	512
#define LINUX_SETUP_HEADER_OFF	0x1f1
#define LINUX_JUMP_OFF		0x200
#define LINUX_HEADER_OFF	0x202		/* the jump's offset is relative to this */
#define LINUX_ENTRY64_OFFSET	0x200		/* 64-bit entry: load address + 0x200 */
#define LINUX_DEFAULT_LOAD	0x100000	/* bzImage load address before pref_address */
#define LINUX_LOADER_TYPE_UNDEF	0xff		/* type_of_loader for an unregistered loader */

/* loadflags */
#define LINUX_LOADED_HIGH	(1u << 0)
#define LINUX_KASLR_FLAG	(1u << 1)
#define LINUX_QUIET_FLAG	(1u << 5)
#define LINUX_KEEP_SEGMENTS	(1u << 6)
#define LINUX_CAN_USE_HEAP	(1u << 7)

/* xloadflags */
#define LINUX_XLF_KERNEL_64		(1u << 0)
#define LINUX_XLF_CAN_BE_LOADED_ABOVE_4G (1u << 1)
#define LINUX_XLF_EFI_HANDOVER_32	(1u << 2)
#define LINUX_XLF_EFI_HANDOVER_64	(1u << 3)
#define LINUX_XLF_EFI_KEXEC		(1u << 4)

/* e820 types as the kernel reads them from the zero page */
#define LINUX_E820_RAM		1
#define LINUX_E820_RESERVED	2
#define LINUX_E820_ACPI		3
#define LINUX_E820_NVS		4
#define LINUX_E820_UNUSABLE	5
#define LINUX_E820_PMEM		7
#define LINUX_E820_MAX_ZEROPAGE	128

/* setup_data types */
#define LINUX_SETUP_NONE	0
#define LINUX_SETUP_E820_EXT	1

struct linux_setup_header {
	uint8_t setup_sects;
	uint16_t root_flags;
	uint32_t syssize;
	uint16_t ram_size;
	uint16_t vid_mode;
	uint16_t root_dev;
	uint16_t boot_flag;
	uint16_t jump;
	uint32_t header;
	uint16_t version;
	uint32_t realmode_swtch;
	uint16_t start_sys_seg;
	uint16_t kernel_version;
	uint8_t type_of_loader;
	uint8_t loadflags;
	uint16_t setup_move_size;
	uint32_t code32_start;
	uint32_t ramdisk_image;
	uint32_t ramdisk_size;
	uint32_t bootsect_kludge;
	uint16_t heap_end_ptr;
	uint8_t ext_loader_ver;
	uint8_t ext_loader_type;
	uint32_t cmd_line_ptr;
	uint32_t initrd_addr_max;
	uint32_t kernel_alignment;
	uint8_t relocatable_kernel;
	uint8_t min_alignment;
	uint16_t xloadflags;
	uint32_t cmdline_size;
	uint32_t hardware_subarch;
	uint64_t hardware_subarch_data;
	uint32_t payload_offset;
	uint32_t payload_length;
	uint64_t setup_data;
	uint64_t pref_address;
	uint32_t init_size;
	uint32_t handover_offset;
	uint32_t kernel_info_offset;
} __attribute__((packed));

struct linux_e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
} __attribute__((packed));

struct linux_setup_data {
	uint64_t next;		/* physical address of the next node, 0 ends the list */
	uint32_t type;
	uint32_t len;		/* bytes of data[] */
	uint8_t data[];
} __attribute__((packed));

struct linux_boot_params {
	uint8_t screen_info[0x40];		/* 0x000 */
	uint8_t apm_bios_info[0x14];		/* 0x040 */
	uint8_t _pad2[4];			/* 0x054 */
	uint64_t tboot_addr;			/* 0x058 */
	uint8_t ist_info[0x10];			/* 0x060 */
	uint64_t acpi_rsdp_addr;		/* 0x070 */
	uint8_t _pad3[8];			/* 0x078 */
	uint8_t hd0_info[16];			/* 0x080 */
	uint8_t hd1_info[16];			/* 0x090 */
	uint8_t sys_desc_table[16];		/* 0x0a0 */
	uint8_t olpc_ofw_header[16];		/* 0x0b0 */
	uint32_t ext_ramdisk_image;		/* 0x0c0 */
	uint32_t ext_ramdisk_size;		/* 0x0c4 */
	uint32_t ext_cmd_line_ptr;		/* 0x0c8 */
	uint8_t _pad4[0x74];			/* 0x0cc */
	uint8_t edid_info[0x80];		/* 0x140 */
	uint8_t efi_info[0x20];			/* 0x1c0 */
	uint32_t alt_mem_k;			/* 0x1e0 */
	uint32_t scratch;			/* 0x1e4 */
	uint8_t e820_entries;			/* 0x1e8 */
	uint8_t eddbuf_entries;			/* 0x1e9 */
	uint8_t edd_mbr_sig_buf_entries;	/* 0x1ea */
	uint8_t kbd_status;			/* 0x1eb */
	uint8_t secure_boot;			/* 0x1ec */
	uint8_t _pad5[2];			/* 0x1ed */
	uint8_t sentinel;			/* 0x1ef */
	uint8_t _pad6[1];			/* 0x1f0 */
	struct linux_setup_header hdr;		/* 0x1f1 */
	uint8_t _pad7[0x290 - 0x1f1 - sizeof(struct linux_setup_header)];
	uint32_t edd_mbr_sig_buffer[16];	/* 0x290 */
	struct linux_e820_entry e820_table[LINUX_E820_MAX_ZEROPAGE];	/* 0x2d0 */
	uint8_t _pad8[0x30];			/* 0xcd0 */
	uint8_t eddbuf[0x1ec];			/* 0xd00 */
	uint8_t _pad9[0x114];			/* 0xeec */
} __attribute__((packed));

#define LINUX_BP_ASSERT(field, off)                                                          \
	_Static_assert(offsetof(struct linux_boot_params, field) == (off),                   \
		       "boot_params." #field " must sit at " #off)
#define LINUX_HDR_ASSERT(field, off)                                                         \
	_Static_assert(offsetof(struct linux_boot_params, hdr) +                             \
			       offsetof(struct linux_setup_header, field) == (off),          \
		       "setup_header." #field " must sit at " #off)

_Static_assert(sizeof(struct linux_boot_params) == 0x1000, "the zero page is one page");
_Static_assert(sizeof(struct linux_e820_entry) == 20, "e820 entries are 20 bytes");
_Static_assert(sizeof(struct linux_setup_data) == 16, "setup_data header is 16 bytes");
_Static_assert(sizeof(struct linux_setup_header) == 0x7b, "setup header through 0x26b");
LINUX_BP_ASSERT(screen_info, 0x000);
LINUX_BP_ASSERT(apm_bios_info, 0x040);
LINUX_BP_ASSERT(tboot_addr, 0x058);
LINUX_BP_ASSERT(ist_info, 0x060);
LINUX_BP_ASSERT(acpi_rsdp_addr, 0x070);
LINUX_BP_ASSERT(hd0_info, 0x080);
LINUX_BP_ASSERT(hd1_info, 0x090);
LINUX_BP_ASSERT(sys_desc_table, 0x0a0);
LINUX_BP_ASSERT(olpc_ofw_header, 0x0b0);
LINUX_BP_ASSERT(ext_ramdisk_image, 0x0c0);
LINUX_BP_ASSERT(ext_ramdisk_size, 0x0c4);
LINUX_BP_ASSERT(ext_cmd_line_ptr, 0x0c8);
LINUX_BP_ASSERT(edid_info, 0x140);
LINUX_BP_ASSERT(efi_info, 0x1c0);
LINUX_BP_ASSERT(alt_mem_k, 0x1e0);
LINUX_BP_ASSERT(scratch, 0x1e4);
LINUX_BP_ASSERT(e820_entries, 0x1e8);
LINUX_BP_ASSERT(eddbuf_entries, 0x1e9);
LINUX_BP_ASSERT(edd_mbr_sig_buf_entries, 0x1ea);
LINUX_BP_ASSERT(kbd_status, 0x1eb);
LINUX_BP_ASSERT(secure_boot, 0x1ec);
LINUX_BP_ASSERT(sentinel, 0x1ef);
LINUX_BP_ASSERT(hdr, LINUX_SETUP_HEADER_OFF);
LINUX_BP_ASSERT(edd_mbr_sig_buffer, 0x290);
LINUX_BP_ASSERT(e820_table, 0x2d0);
LINUX_BP_ASSERT(_pad8, 0xcd0);
LINUX_BP_ASSERT(eddbuf, 0xd00);
LINUX_BP_ASSERT(_pad9, 0xeec);
LINUX_HDR_ASSERT(setup_sects, 0x1f1);
LINUX_HDR_ASSERT(root_flags, 0x1f2);
LINUX_HDR_ASSERT(syssize, 0x1f4);
LINUX_HDR_ASSERT(ram_size, 0x1f8);
LINUX_HDR_ASSERT(vid_mode, 0x1fa);
LINUX_HDR_ASSERT(root_dev, 0x1fc);
LINUX_HDR_ASSERT(boot_flag, 0x1fe);
LINUX_HDR_ASSERT(jump, LINUX_JUMP_OFF);
LINUX_HDR_ASSERT(header, LINUX_HEADER_OFF);
LINUX_HDR_ASSERT(version, 0x206);
LINUX_HDR_ASSERT(realmode_swtch, 0x208);
LINUX_HDR_ASSERT(start_sys_seg, 0x20c);
LINUX_HDR_ASSERT(kernel_version, 0x20e);
LINUX_HDR_ASSERT(type_of_loader, 0x210);
LINUX_HDR_ASSERT(loadflags, 0x211);
LINUX_HDR_ASSERT(setup_move_size, 0x212);
LINUX_HDR_ASSERT(code32_start, 0x214);
LINUX_HDR_ASSERT(ramdisk_image, 0x218);
LINUX_HDR_ASSERT(ramdisk_size, 0x21c);
LINUX_HDR_ASSERT(bootsect_kludge, 0x220);
LINUX_HDR_ASSERT(heap_end_ptr, 0x224);
LINUX_HDR_ASSERT(ext_loader_ver, 0x226);
LINUX_HDR_ASSERT(ext_loader_type, 0x227);
LINUX_HDR_ASSERT(cmd_line_ptr, 0x228);
LINUX_HDR_ASSERT(initrd_addr_max, 0x22c);
LINUX_HDR_ASSERT(kernel_alignment, 0x230);
LINUX_HDR_ASSERT(relocatable_kernel, 0x234);
LINUX_HDR_ASSERT(min_alignment, 0x235);
LINUX_HDR_ASSERT(xloadflags, 0x236);
LINUX_HDR_ASSERT(cmdline_size, 0x238);
LINUX_HDR_ASSERT(hardware_subarch, 0x23c);
LINUX_HDR_ASSERT(hardware_subarch_data, 0x240);
LINUX_HDR_ASSERT(payload_offset, 0x248);
LINUX_HDR_ASSERT(payload_length, 0x24c);
LINUX_HDR_ASSERT(setup_data, 0x250);
LINUX_HDR_ASSERT(pref_address, 0x258);
LINUX_HDR_ASSERT(init_size, 0x260);
LINUX_HDR_ASSERT(handover_offset, 0x264);
LINUX_HDR_ASSERT(kernel_info_offset, 0x268);

/* The setup header must end before this field to fit the zero page's hole for it. */
#define LINUX_SETUP_HEADER_LIMIT offsetof(struct linux_boot_params, edd_mbr_sig_buffer)
/* The loader reads fields up to and including init_size. */
#define LINUX_SETUP_HEADER_NEEDED (offsetof(struct linux_boot_params, hdr) +                 \
				   offsetof(struct linux_setup_header, init_size) + 4)

/* Where the loader placed things, for loader_bootparams_fill. */
struct loader_bp_layout {
	uint64_t kernel;	/* load address of the protected-mode kernel, 0 for ELF */
	uint64_t cmdline;
	uint64_t initrd;
	uint64_t initrd_size;
	uint64_t setup_data;	/* address of the SETUP_E820_EXT node, 0 if none */
};

/* Number of e820 entries the guest map yields (usable, reserved, ACPI... not empty ones). */
size_t loader_e820_count(const struct loader_params *p);

/*
 * Fill a zeroed zero page: the setup header copied from the image (bzImage only: hdr_src
 * and hdr_len point at the bytes from 0x1f1 to the header's end), the loader's fields, the
 * first 128 e820 entries. The rest of the entries go to setup_data (a SETUP_E820_EXT node
 * of sd_size bytes at sd; NULL when loader_e820_count(p) <= 128).
 */
void loader_bootparams_fill(struct linux_boot_params *bp, const uint8_t *hdr_src,
			    size_t hdr_len, const struct loader_params *p,
			    const struct loader_bp_layout *at, struct linux_setup_data *sd,
			    size_t sd_size);

/* Bytes of the SETUP_E820_EXT node needed for p's map (0 when the zero page suffices). */
size_t loader_e820_ext_size(const struct loader_params *p);

/*
 * Place and stage the boot_params, cmdline and (when needed) setup_data segments, all
 * top-down below max; a command line longer than cmdline_limit bytes is refused.
 */
#define LOADER_CMDLINE_UNLIMITED UINT32_MAX
struct loader_place;
int loader_place_bootinfo(struct loader_plan *plan, struct loader_place *pl,
			  const struct loader_params *p, uint64_t max, const char *max_why,
			  uint32_t cmdline_limit, struct loader_bp_layout *at,
			  struct linux_boot_params **bp, struct linux_setup_data **sd,
			  size_t *sd_size, struct loader_err *err);

#endif
