# SPDX-License-Identifier: GPL-2.0-only
# efi/: the UEFI application around the host-testable libraries.
EFI_SRCS += efi/main.c efi/log.c efi/libc.c efi/file.c efi/efimap.c efi/platform.c efi/menu.c \
	efi/config_load.c efi/takeover.c efi/direct.c efi/prep.c efi/prep_pci.c efi/prep_reloc.c \
	efi/prep_start.c efi/identmap.c efi/twin.c efi/iommu_boot.c efi/cpus.c
EFI_ASM_SRCS += efi/stack_switch.asm

# The release (VERSION) and the commit it was built from.
TWINMON_VERSION := $(VERSION) ($(shell git describe --always --dirty 2>/dev/null || echo unknown))
$(BUILD)/efi/efi/main.o: EFI_CFLAGS += -DTWINMON_VERSION='"$(TWINMON_VERSION)"'

ESP_FILES += $(if $(wildcard guest-config/examples/demo.conf),guest-config/examples/demo.conf:EFI/twinmon/twinmon.conf)

