# SPDX-License-Identifier: GPL-2.0-only
# loader/: guest image probes (bzImage, ELF64), segment placement, boot_params, the kexec-style
# indirection list and its relocation trampoline.
LIB_SRCS += loader/error.c loader/sha256.c loader/place.c loader/segment.c \
            loader/bootparams.c loader/bzimage.c loader/elf.c loader/probe.c \
            loader/indirection.c loader/relocate.c
EFI_ASM_SRCS += loader/trampoline.asm
GEN_OFFSETS += loader/trampoline-defs.c

UNIT_TESTS += test_loader_sha256 test_loader_bzimage test_loader_elf test_loader_place \
              test_loader_bootparams test_loader_reloc test_loader_real test_loader_trampoline
test_loader_sha256_SRCS := tests/unit/test_loader_sha256.c
test_loader_bzimage_SRCS := tests/unit/test_loader_bzimage.c tests/unit/test_loader_synth.c
test_loader_elf_SRCS := tests/unit/test_loader_elf.c tests/unit/test_loader_synth.c
test_loader_place_SRCS := tests/unit/test_loader_place.c tests/unit/test_loader_synth.c
test_loader_bootparams_SRCS := tests/unit/test_loader_bootparams.c tests/unit/test_loader_synth.c
test_loader_reloc_SRCS := tests/unit/test_loader_reloc.c tests/unit/test_loader_synth.c
test_loader_real_SRCS := tests/unit/test_loader_real.c tests/unit/test_loader_synth.c
test_loader_trampoline_SRCS := tests/unit/test_loader_trampoline.c tests/unit/test_loader_synth.c

# The trampoline's copy loop runs in user mode too, so a host test runs the real assembly
# against the C reference walker: assemble it for the ASan test binary as well.
LOADER_TRAMP_HOST := $(BUILD)/asan/loader/trampoline-asm.o
$(LOADER_TRAMP_HOST): loader/trampoline.asm $(BUILD)/gen/loader/trampoline-defs.inc
	@mkdir -p $(dir $@)
	$(NASM) -f elf64 -I$(BUILD)/gen/ -I./ -o $@ $<
$(BUILD)/asan/bin/test_loader_trampoline: $(LOADER_TRAMP_HOST)

FUZZ_TARGETS += fuzz_bzimage fuzz_elf
fuzz_bzimage_SRCS := tests/fuzz/fuzz_bzimage.c
fuzz_bzimage_CORPUS := loader/corpus/bzimage
fuzz_elf_SRCS := tests/fuzz/fuzz_elf.c
fuzz_elf_CORPUS := loader/corpus/elf
