#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# dma = unconfined (docs/iommu.md): a valid file, shown in the global settings, and a warning
# on stderr naming the guests' functions whose DMA nothing confines without an IOMMU. No
# warning for the default, nor when no guest owns a function.
. "$(dirname "$0")/lib.sh"

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
base='[guest a]
kernel = \a
[guest b]
kernel = \b'
printf '[global]\ndma = unconfined\n%s\npci = 00:10.0, 00:11.0\n' "$base" >"$dir/unconfined.conf"
printf '[global]\ndma = unconfined\n%s\n' "$base" >"$dir/nopci.conf"
printf '%s\npci = 00:10.0\n' "$base" >"$dir/confined.conf"

tc_run "$dir/unconfined.conf"
tc_expect_rc 0 "unconfined"
tc_expect_out_has '^  dma +unconfined$' "unconfined: shown"
tc_expect_err_is "$dir/unconfined.conf: warning: guest b's 00:10.0, 00:11.0: dma = unconfined: \
without an IOMMU their DMA reaches all RAM, the other guest's and the monitor's included" \
  "unconfined: warned"

tc_run "$dir/nopci.conf"
tc_expect_rc 0 "no functions"
tc_expect_err_is "" "no functions: no warning"

tc_run "$dir/confined.conf"
tc_expect_rc 0 "confined"
tc_expect_out_has '^  dma +confined$' "confined: shown"
tc_expect_err_is "" "confined: no warning"

tc_done
