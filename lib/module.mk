# SPDX-License-Identifier: GPL-2.0-only
# lib/: freestanding helpers shared by every host-testable library and the EFI app.
LIB_SRCS += lib/fmt.c lib/date.c

UNIT_TESTS += test_fmt
test_fmt_SRCS := tests/unit/test_fmt.c
# The ticket spinlock the monitor's CPUs share (header only), tested with real threads.
UNIT_TESTS += test_spinlock
test_spinlock_SRCS := tests/unit/test_spinlock.c
test_spinlock_LIBS := -pthread
