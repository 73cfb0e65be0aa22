# SPDX-License-Identifier: GPL-2.0-only
# tests/: the initramfs that Linux guest tests boot (a static /init), in two flavours:
#   build/initramfs/init.cpio.gz     /init alone (part of `all`)
#   build/initramfs/modules.cpio.gz  /init with the kernel modules of tests/initramfs/modules.list,
#                                    taken from Debian's kernel package (needs the kernel:
#                                    scripts/fetch-debian-kernel; built for `check`, `bench`)
#   build/initramfs/lab.cpio.gz      /init with the lab's workloads, Debian's cyclictest and
#                                    stress-ng and their libraries, and the modules of
#                                    modules.list for a neighbour's disk (`make initramfs-lab`;
#                                    docs/lab.md): tens of MiB, so only when asked for
INITRAMFS := $(BUILD)/initramfs/init.cpio.gz
MODULES_INITRAMFS := $(BUILD)/initramfs/modules.cpio.gz
LAB_INITRAMFS := $(BUILD)/initramfs/lab.cpio.gz
LAB_PROGRAMS := /usr/bin/cyclictest /usr/bin/stress-ng
INIT_SRCS := $(wildcard tests/initramfs/*.c)

$(BUILD)/initramfs/init: $(INIT_SRCS) tests/initramfs/init.h
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O2 -Wall -Wextra -Werror -static -o $@ $(INIT_SRCS)

$(INITRAMFS): $(BUILD)/initramfs/init scripts/mkinitramfs
	scripts/mkinitramfs $@ $<

# The kernel the modules come from (TWINMON_KERNEL, else Debian's, fetched once into
# ~/.cache/twinmon): its path is rewritten only when it changes, so a new kernel rebuilds the
# archive (a module only loads into the kernel it was built for).
$(BUILD)/initramfs/kernel: FORCE | setup
	@mkdir -p $(dir $@)
	@k=$${TWINMON_KERNEL:-$$(scripts/fetch-debian-kernel --quiet)} && [ -n "$$k" ] && \
		{ [ "$$(cat $@ 2>/dev/null)" = "$$k" ] || echo "$$k" > $@; }

$(MODULES_INITRAMFS): $(BUILD)/initramfs/init scripts/mkinitramfs tests/initramfs/modules.list \
		      $(BUILD)/initramfs/kernel
	scripts/mkinitramfs $@ $< --modules "$$(cat $(BUILD)/initramfs/kernel)" tests/initramfs/modules.list

$(LAB_INITRAMFS): $(BUILD)/initramfs/init scripts/mkinitramfs tests/initramfs/modules.list \
		  $(BUILD)/initramfs/kernel | setup
	scripts/mkinitramfs $@ $< --modules "$$(cat $(BUILD)/initramfs/kernel)" \
		tests/initramfs/modules.list $(foreach p,$(LAB_PROGRAMS),--exec $(p))

.PHONY: initramfs initramfs-modules initramfs-lab check-initramfs-modules check-initramfs-lab FORCE
FORCE:
initramfs-lab: $(LAB_INITRAMFS)
initramfs: $(INITRAMFS)
initramfs-modules: $(MODULES_INITRAMFS)
all: initramfs
bench: initramfs-modules
# For check, a kernel that cannot be fetched (offline) is a note, as in tests/run-all: the
# tests that need it fail, the others run. (Both archives hold that kernel's modules.)
check: check-initramfs-modules check-initramfs-lab
check-initramfs-modules: | setup
	@$(MAKE) --no-print-directory initramfs-modules || \
		echo "note: no $(MODULES_INITRAMFS); the device tests that need it fail" >&2
check-initramfs-lab: | setup
	@$(MAKE) --no-print-directory initramfs-lab || \
		echo "note: no $(LAB_INITRAMFS); the lab's tests fail" >&2

# plan_scale: the partition planner's time and nested-page-table memory for guests of 1 to
# 64 GiB (docs/measuring.md, "S1"; scripts/bench-switch runs it). Built with the tools, not
# shipped: build/bench-tools/, since scripts/bench empties build/bench/.
# (libtwinmon.a by name: HOST_LIB is set after the modules are read.)
PLAN_SCALE := $(BUILD)/bench-tools/plan_scale
$(PLAN_SCALE): $(BUILD)/host/tests/bench/plan_scale.o $(BUILD)/host/libtwinmon.a
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $(HOST_LDFLAGS) -o $@ $^
tools: $(PLAN_SCALE)
