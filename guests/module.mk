# SPDX-License-Identifier: GPL-2.0-only
# guests/: the bundled test kernels, freestanding ELF64 executables linked at fixed physical
# addresses, built once per partition (ELF addresses cannot move):
#   build/guests/heartbeat-a.elf, probe-a.elf    linked at GUEST_A_BASE, for guest A
#   build/guests/heartbeat-b.elf, probe-b.elf    linked at GUEST_B_BASE, for guest B
# The partition a guest runs in must contain [BASE, BASE + 2 MiB): see docs/guest-abi.md and
# guests/README.md for the config that guarantees it.
GUEST_A_BASE ?= 0x20000000
GUEST_B_BASE ?= 0x200000

GUEST_OUT := $(BUILD)/guests
GUEST_OBJ := $(BUILD)/guests/obj

# Freestanding, no red zone (exceptions arrive on the running stack), integer registers
# only (nothing saves FPU/SSE state), the large code model so the link address is free to
# be anywhere, frame pointers for the exception handler's backtrace.
GUEST_CFLAGS := -std=gnu11 -O2 -g $(COMMON_WARN) $(INCLUDES) -ffreestanding -fno-pic -fno-pie \
                -mcmodel=large -mno-red-zone -mgeneral-regs-only -fno-stack-protector \
                -fno-stack-check -fcf-protection=none -fno-omit-frame-pointer \
                -fno-asynchronous-unwind-tables -fno-strict-aliasing
GUEST_LDFLAGS := -nostdlib -static -no-pie -z max-page-size=4096 -z noexecstack \
                 --build-id=none -T guests/guest.ld

GUEST_LIB_SRCS := guests/lib/setup.c guests/lib/desc.c guests/lib/trap.c guests/lib/uart.c \
                  guests/lib/out.c guests/lib/string.c guests/lib/monitor.c \
                  guests/lib/cmdline.c guests/lib/bootinfo.c guests/lib/ram.c \
                  guests/lib/paging.c guests/lib/work.c guests/lib/cpustate.c \
                  guests/lib/cpustate_read.c guests/lib/apic.c guests/lib/ioapic.c \
                  guests/lib/pci.c lib/fmt.c
GUEST_ASM_SRCS := guests/lib/entry.asm guests/lib/vectors.asm guests/lib/try.asm
GEN_OFFSETS += guests/lib/asm-defs.c

heartbeat_GUEST_SRCS := guests/heartbeat/main.c guests/heartbeat/options.c
probe_GUEST_SRCS := guests/probe/main.c guests/probe/attacks.c guests/probe/options.c \
                    guests/probe/report.c guests/probe/irqsrc.c guests/probe/phase.c \
                    guests/probe/edu.c guests/probe/flood.c guests/probe/timer_storm.c \
                    guests/probe/level_storm.c guests/probe/bad_vector.c guests/probe/dma.c \
                    guests/probe/msi.c guests/probe/msix.c guests/probe/ipi_storm.c \
                    guests/probe/vmx.c

GUEST_COMMON_OBJS := $(patsubst %.c,$(GUEST_OBJ)/%.o,$(GUEST_LIB_SRCS)) \
                     $(patsubst %.asm,$(GUEST_OBJ)/%.o,$(GUEST_ASM_SRCS))

$(GUEST_OBJ)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_CFLAGS) -MMD -MP -c -o $@ $<

$(GUEST_OBJ)/%.o: %.asm $(BUILD)/gen/guests/lib/asm-defs.inc
	@mkdir -p $(dir $@)
	$(NASM) -f elf64 -I$(BUILD)/gen/ -I./ -MD $(@:.o=.d) -o $@ $<

# One variant object per partition: the only difference between a-builds and b-builds
# besides the link address.
$(GUEST_OBJ)/variant-%.o: guests/lib/variant.c
	@mkdir -p $(dir $@)
	$(CC) $(GUEST_CFLAGS) -DGUEST_LETTER='"$*"' -MMD -MP -c -o $@ $<

# guest_rule(program, letter, base)
define guest_rule
$(GUEST_OUT)/$(1)-$(2).elf: $(patsubst %.c,$(GUEST_OBJ)/%.o,$($(1)_GUEST_SRCS)) \
                            $(GUEST_COMMON_OBJS) $(GUEST_OBJ)/variant-$(2).o guests/guest.ld
	@mkdir -p $$(dir $$@)
	$(LD) $(GUEST_LDFLAGS) --defsym=GUEST_BASE=$(3) -o $$@ $$(filter %.o,$$^)
endef
GUEST_PROGRAMS := heartbeat probe
$(foreach p,$(GUEST_PROGRAMS),$(eval $(call guest_rule,$(p),a,$(GUEST_A_BASE))))
$(foreach p,$(GUEST_PROGRAMS),$(eval $(call guest_rule,$(p),b,$(GUEST_B_BASE))))

GUEST_ELFS := $(foreach p,$(GUEST_PROGRAMS),$(GUEST_OUT)/$(p)-a.elf $(GUEST_OUT)/$(p)-b.elf)
ESP_FILES += $(foreach e,$(GUEST_ELFS),$(e):EFI/twinmon/$(notdir $(e)))

.PHONY: guests
guests: $(GUEST_ELFS)
all: guests

# Host unit tests of the guests' pure C (the same files the guests are built from).
UNIT_TESTS += test_guest_cmdline test_guest_memory test_guest_paging test_guest_work \
              test_guest_options test_guest_abi
test_guest_cmdline_SRCS := tests/unit/test_guest_cmdline.c guests/lib/cmdline.c
test_guest_memory_SRCS := tests/unit/test_guest_memory.c guests/lib/bootinfo.c guests/lib/ram.c
test_guest_paging_SRCS := tests/unit/test_guest_paging.c guests/lib/paging.c
test_guest_work_SRCS := tests/unit/test_guest_work.c guests/lib/work.c
test_guest_options_SRCS := tests/unit/test_guest_options.c guests/heartbeat/options.c \
                           guests/probe/options.c guests/lib/cmdline.c
test_guest_abi_SRCS := tests/unit/test_guest_abi.c guests/lib/monitor.c guests/lib/cpustate.c
