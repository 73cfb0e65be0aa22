# SPDX-License-Identifier: GPL-2.0-only
#
# twinmon top-level build. Plain GNU make: every folder lists its own sources in a
# module.mk fragment; this file holds the rules that turn those lists into
#   build/twinmon.efi, build/esp/    the UEFI application and the ESP tree
#   build/bin/                       host tools (twinmon-check, twinmon-load, ...)
#   build/asan/                      the same libraries with ASan+UBSan, and the unit tests
#   build/fuzz/                      libFuzzer targets (clang)
#
# Variables a module.mk may append to:
#   LIB_SRCS        host-testable C (no UEFI): built for the EFI app, for host tools and tests
#   EFI_SRCS        C built only into the EFI app (gnu-efi)
#   EFI_ASM_SRCS    nasm sources linked into the EFI app (elf64 objects)
#   GEN_OFFSETS     C files whose OFFSET()/DEFINE() markers become build/gen/<path>.inc for nasm
#   HOST_TOOLS      names of host tools; NAME_SRCS lists their own sources
#   UNIT_TESTS      names of cmocka test binaries; NAME_SRCS lists their sources
#   FUZZ_TARGETS    names of libFuzzer targets; NAME_SRCS, NAME_CORPUS (a seed folder)
#   ESP_FILES       pairs src:dest copied into build/esp (dest relative to the ESP root)

.DEFAULT_GOAL := all
SHELL := /bin/bash

BUILD      ?= build
CC         ?= cc
CLANG      ?= clang
NASM       ?= nasm
OBJCOPY    ?= objcopy
AR         ?= ar
FUZZ_SECONDS ?= 20
# The release version, one source for the app's banner, the man pages and the Debian package.
VERSION    := $(shell cat VERSION)
# Dates in generated files (man pages, the package's changelog): the last commit's, so a
# rebuild of one commit gives the same bytes.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || date +%s)
export SOURCE_DATE_EPOCH

EFI_INC    := /usr/include/efi
EFI_LIB    := /usr/lib
EFI_CRT0   := $(EFI_LIB)/crt0-efi-x86_64.o
EFI_LDS    := $(EFI_LIB)/elf_x86_64_efi.lds

COMMON_WARN := -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter -Wstrict-prototypes \
               -Wmissing-prototypes -Wvla
INCLUDES   := -I. -I$(BUILD)/gen

# The host tools are what the Debian package ships: built hardened as Debian builds its own
# (fortified libc calls, stack protector, read-only relocations bound at start).
HOST_CFLAGS := -std=gnu11 -O2 -g $(COMMON_WARN) $(INCLUDES) -D_GNU_SOURCE -D_FORTIFY_SOURCE=2 \
               -fstack-protector-strong
HOST_LDFLAGS := -Wl,-z,relro -Wl,-z,now
ASAN_CFLAGS := -std=gnu11 -O1 -g $(COMMON_WARN) $(INCLUDES) -D_GNU_SOURCE \
               -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -Wno-unused-parameter $(INCLUDES) \
               -D_GNU_SOURCE -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all \
               -fno-omit-frame-pointer
# The EFI app: freestanding, position independent, no red zone (firmware interrupts
# may run on our stack), SysV ABI inside (gnu-efi's uefi_call_wrapper converts to MS ABI).
EFI_CFLAGS  := -std=gnu11 -O2 -g $(COMMON_WARN) $(INCLUDES) -isystem $(EFI_INC) -isystem $(EFI_INC)/x86_64 \
               -DTWINMON_EFI -DGNU_EFI_USE_MS_ABI -fpic -ffreestanding -fno-stack-protector \
               -fno-stack-check -fshort-wchar -mno-red-zone -maccumulate-outgoing-args \
               -fno-strict-aliasing -mgeneral-regs-only
EFI_LDFLAGS := -nostdlib -znocombreloc -shared -Bsymbolic --no-undefined -T $(EFI_LDS) -L$(EFI_LIB)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

LIB_SRCS :=
EFI_SRCS :=
EFI_ASM_SRCS :=
GEN_OFFSETS :=
HOST_TOOLS :=
UNIT_TESTS :=
FUZZ_TARGETS :=
ESP_FILES :=

MODULES := lib guest-config partition iommu loader irq monitor monitor/svm monitor/vmx guests efi tools man package tests
include $(wildcard $(addsuffix /module.mk,$(MODULES)))

GEN_INCS    := $(patsubst %.c,$(BUILD)/gen/%.inc,$(GEN_OFFSETS))
HOST_LIB    := $(BUILD)/host/libtwinmon.a
ASAN_LIB    := $(BUILD)/asan/libtwinmon.a
FUZZ_LIB    := $(BUILD)/fuzz/libtwinmon.a
EFI_OBJS    := $(patsubst %.c,$(BUILD)/efi/%.o,$(LIB_SRCS) $(EFI_SRCS)) \
               $(patsubst %.asm,$(BUILD)/efi/%.o,$(EFI_ASM_SRCS))
TOOL_BINS   := $(addprefix $(BUILD)/bin/,$(HOST_TOOLS))
TEST_BINS   := $(addprefix $(BUILD)/asan/bin/,$(UNIT_TESTS))
FUZZ_BINS   := $(addprefix $(BUILD)/fuzz/bin/,$(FUZZ_TARGETS))

.PHONY: all efi esp tools tests fuzz-build fuzz check demo setup clean format bench lab efi-libs
all: esp tools man tests

setup:
	@scripts/setup

efi: $(BUILD)/twinmon.efi
tools: $(TOOL_BINS)
tests: $(TEST_BINS)
fuzz-build: $(FUZZ_BINS) $(BUILD)/fuzz/targets

# What tests/run-fuzz runs: one "name seed-corpus" line per target.
$(BUILD)/fuzz/targets: Makefile $(wildcard $(addsuffix /module.mk,$(MODULES)))
	@mkdir -p $(dir $@)
	@printf '%s\n' $(foreach t,$(FUZZ_TARGETS),"$(t) $($(t)_CORPUS)") | sed '/^$$/d' > $@

# ---- generated assembler constants ------------------------------------------------------
# A C file emits "->NAME value" markers through inline asm; sed turns them into %define lines,
# so nasm code never carries hand-copied offsets or flag values.
$(BUILD)/gen/%.inc: %.c
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -MMD -MP -MF $@.d -MT $@ -S -o $@.s $<
	sed -n 's/.*->\([A-Za-z_][A-Za-z0-9_]*\) \$$\{0,1\}\(-\{0,1\}[0-9][0-9]*\).*/%define \1 \2/p' $@.s > $@.tmp
	mv $@.tmp $@ && rm -f $@.s

# ---- host objects ----------------------------------------------------------------------
$(BUILD)/host/%.o: %.c | $(GEN_INCS)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/asan/%.o: %.c | $(GEN_INCS)
	@mkdir -p $(dir $@)
	$(CC) $(ASAN_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/fuzz/%.o: %.c | $(GEN_INCS)
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) -MMD -MP -c -o $@ $<

$(HOST_LIB): $(patsubst %.c,$(BUILD)/host/%.o,$(LIB_SRCS))
	@mkdir -p $(dir $@)
	rm -f $@ && $(AR) rcs $@ $^

$(ASAN_LIB): $(patsubst %.c,$(BUILD)/asan/%.o,$(LIB_SRCS))
	@mkdir -p $(dir $@)
	rm -f $@ && $(AR) rcs $@ $^

$(FUZZ_LIB): $(patsubst %.c,$(BUILD)/fuzz/%.o,$(LIB_SRCS))
	@mkdir -p $(dir $@)
	rm -f $@ && $(AR) rcs $@ $^

define tool_rule
$(BUILD)/bin/$(1): $(patsubst %.c,$(BUILD)/host/%.o,$($(1)_SRCS)) $(HOST_LIB)
	@mkdir -p $$(dir $$@)
	$(CC) $(HOST_CFLAGS) $(HOST_LDFLAGS) -o $$@ $$^
endef
$(foreach t,$(HOST_TOOLS),$(eval $(call tool_rule,$(t))))

define test_rule
$(BUILD)/asan/bin/$(1): $(patsubst %.c,$(BUILD)/asan/%.o,$($(1)_SRCS)) $(ASAN_LIB)
	@mkdir -p $$(dir $$@)
	$(CC) $(ASAN_CFLAGS) -o $$@ $$^ $(CMOCKA_LIBS) $($(1)_LIBS)
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call test_rule,$(t))))

define fuzz_rule
$(BUILD)/fuzz/bin/$(1): $(patsubst %.c,$(BUILD)/fuzz/%.o,$($(1)_SRCS)) $(FUZZ_LIB)
	@mkdir -p $$(dir $$@)
	$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $$@ $$^
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call fuzz_rule,$(t))))

# ---- the EFI application ----------------------------------------------------------------
$(BUILD)/efi/%.o: %.c | $(GEN_INCS)
	@mkdir -p $(dir $@)
	$(CC) $(EFI_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/efi/%.o: %.asm | $(GEN_INCS)
	@mkdir -p $(dir $@)
	$(NASM) -f elf64 -I$(BUILD)/gen/ -I./ -MD $(@:.o=.d) -o $@ $<

# The libraries alone, built as the EFI app builds them, checked for libc calls.
EFI_LIB_OBJS := $(patsubst %.c,$(BUILD)/efi/%.o,$(LIB_SRCS))
efi-libs: $(BUILD)/efi/.freestanding
$(BUILD)/efi/.freestanding: $(EFI_LIB_OBJS) scripts/check-freestanding
	scripts/check-freestanding $(EFI_LIB_OBJS)
	@touch $@

# Link objects into a shared object and turn that into a PE/COFF EFI application.
EFI_LINK = $(LD) $(EFI_LDFLAGS) $(EFI_CRT0) $(filter %.o,$^) -o $@ -lefi -lgnuefi \
	   $(shell $(CC) -print-libgcc-file-name)
EFI_PE = $(OBJCOPY) -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel -j .rela \
	 -j .rel.* -j .rela.* -j .reloc --target efi-app-x86_64 --subsystem=10 $< $@

$(BUILD)/twinmon.so: $(EFI_OBJS) $(BUILD)/efi/.freestanding
	$(EFI_LINK)

$(BUILD)/twinmon.efi: $(BUILD)/twinmon.so
	$(EFI_PE)

# A test build of the app that damages a segment after relocation: the QEMU tests use it to
# see the digest check refuse the start. Never installed on the demo ESP.
TEST_EFI := $(BUILD)/test/twinmon-corrupt.efi
$(BUILD)/test/prep_start-corrupt.o: efi/prep_start.c | $(GEN_INCS)
	@mkdir -p $(dir $@)
	$(CC) $(EFI_CFLAGS) -DTWINMON_TEST_CORRUPT_SEGMENT -MMD -MP -c -o $@ $<

$(BUILD)/test/twinmon-corrupt.so: $(filter-out $(BUILD)/efi/efi/prep_start.o,$(EFI_OBJS)) \
				  $(BUILD)/test/prep_start-corrupt.o $(BUILD)/efi/.freestanding
	$(EFI_LINK)

$(TEST_EFI): $(BUILD)/test/twinmon-corrupt.so
	$(EFI_PE)

all: $(TEST_EFI)

esp: $(BUILD)/esp.stamp
$(BUILD)/esp.stamp: $(BUILD)/twinmon.efi $(foreach f,$(ESP_FILES),$(firstword $(subst :, ,$(f)))) \
                     scripts/mkesp
	scripts/mkesp $(BUILD)/esp $(BUILD)/twinmon.efi $(ESP_FILES)
	@touch $@

# ---- running ----------------------------------------------------------------------------
# `check` and `demo` first make sure the Debian packages are there, then build.
check: setup
	@$(MAKE) --no-print-directory all fuzz-build
	@FUZZ_SECONDS=$(FUZZ_SECONDS) tests/run-all

fuzz: setup
	@$(MAKE) --no-print-directory fuzz-build
	@FUZZ_SECONDS=$${FUZZ_SECONDS:-300} tests/run-fuzz

DEMO_SECONDS ?= 30
demo: setup
	@$(MAKE) --no-print-directory all
	@DEMO_SECONDS=$(DEMO_SECONDS) INTERACTIVE=$(INTERACTIVE) DEMO_CONFIG=$(DEMO_CONFIG) \
		DEMO_MEM=$(DEMO_MEM) scripts/demo

# Not part of `check`: minutes of QEMU runs whose ratios are reported, never judged.
bench: setup
	@$(MAKE) --no-print-directory all
	@scripts/bench

# Not part of `check` either: an experiment's QEMU runs (docs/lab.md, "The runner"), about
# 20 minutes for the bundled one. LAB_EXPERIMENT picks another file, LAB_OUT another folder
# (default build/lab/<experiment name>); LAB_ARGS adds options (--restart, --timeout-scale X).
LAB_EXPERIMENT ?= lab/examples/interference.exp
lab: setup
	@$(MAKE) --no-print-directory all initramfs-lab
	@scripts/lab $(LAB_EXPERIMENT) $(if $(LAB_OUT),--out $(LAB_OUT)) $(LAB_ARGS)

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -type f -name '*.d' 2>/dev/null)
