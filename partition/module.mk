# SPDX-License-Identifier: GPL-2.0-only
# partition/: RAM split, per-guest e820, nested page tables, device ownership.
LIB_SRCS += partition/memmap.c partition/memmap_efi.c

UNIT_TESTS += test_memmap
test_memmap_SRCS := tests/unit/test_memmap.c
