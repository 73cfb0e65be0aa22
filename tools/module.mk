# SPDX-License-Identifier: GPL-2.0-only
# tools/: the host command-line tools. Each composes the libraries below it (guest-config,
# partition, loader); no library includes anything from here.

# twinmon-check: validate config files, show what they ask for and the plan (docs/config.md).
HOST_TOOLS += twinmon-check
CHECK_SRCS := tools/check-map.c tools/check-plan.c tools/check-print.c \
              tools/check-json.c tools/check-json-plan.c tools/check-pci.c \
              tools/check-esp.c
twinmon-check_SRCS := tools/twinmon-check.c $(CHECK_SRCS)

# twinmon-load --dry-run: a kernel's segment table (docs/loader.md).
HOST_TOOLS += twinmon-load
twinmon-load_SRCS := tools/twinmon-load.c

# twinmon-check's machine, plan and printers (all but main); tests/cli/ runs the tool itself.
UNIT_TESTS += test_check
test_check_SRCS := tests/unit/test_check.c $(CHECK_SRCS)

# twinmon-install: a bash tool, copied next to the others with the functions it sources (it
# finds them, twinmon-check and ../twinmon.efi from where it is).
tools: $(BUILD)/bin/twinmon-install $(BUILD)/bin/twinmon-install-lib.sh
$(BUILD)/bin/twinmon-install: tools/twinmon-install
	@mkdir -p $(dir $@)
	install -m 755 $< $@
$(BUILD)/bin/twinmon-install-lib.sh: tools/twinmon-install-lib.sh
	@mkdir -p $(dir $@)
	install -m 644 $< $@

# make install: twinmon-install with this build's app; INSTALL_ARGS passes the rest
# (--esp DIR, --guest-a-kernel FILE, --dry-run, ... see docs/install.md).
.PHONY: install
install: esp tools
	$(BUILD)/bin/twinmon-install --efi $(BUILD)/twinmon.efi $(INSTALL_ARGS)

# bench-reloc: make bench's P3, the indirection list's relocation against memcpy
# (scripts/bench-loader, docs/measuring.md). Built with the tools, never shipped. It links the
# trampoline's copy loop, assembled for the host as the unit test's is.
BENCH_RELOC := $(BUILD)/bin/bench-reloc
tools: $(BENCH_RELOC)
$(BUILD)/host/loader/trampoline-asm.o: loader/trampoline.asm $(BUILD)/gen/loader/trampoline-defs.inc
	@mkdir -p $(dir $@)
	$(NASM) -f elf64 -I$(BUILD)/gen/ -I./ -o $@ $<
$(BENCH_RELOC): $(BUILD)/host/tools/bench-reloc.o $(BUILD)/host/loader/trampoline-asm.o \
		$(BUILD)/host/libtwinmon.a # HOST_LIB is set only after the modules are read
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $(HOST_LDFLAGS) -o $@ $^
