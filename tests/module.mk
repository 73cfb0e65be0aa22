# SPDX-License-Identifier: GPL-2.0-only
# tests/: the tiny initramfs that Linux guest tests boot (a static /init).
INITRAMFS := $(BUILD)/initramfs/init.cpio.gz

$(BUILD)/initramfs/init: tests/initramfs/init.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O2 -Wall -Wextra -Werror -static -o $@ $<

$(INITRAMFS): $(BUILD)/initramfs/init scripts/mkinitramfs
	scripts/mkinitramfs $@ $<

.PHONY: initramfs
initramfs: $(INITRAMFS)
all: initramfs
