# SPDX-License-Identifier: GPL-2.0-only
# Helpers for the host tool tests. A test sources this file, runs the tool with tc_run and
# checks what came back; every failed check is reported and counted, and tc_done exits
# non-zero when there was one, so one run shows all that is wrong.
#
#   tc_run ARGS...              run the tool (TC_TOOL, default twinmon-check); sets TC_RC, and
#                               TC_OUT / TC_ERR (files)
#   tc_expect_rc N WHAT         TC_RC must be N
#   tc_expect_out_empty WHAT    nothing on stdout
#   tc_expect_err_is TEXT WHAT  stderr is exactly TEXT (one or more lines, no trailing newline)
#   tc_expect_out_has REGEX WHAT / tc_expect_err_has REGEX WHAT   a line matches (grep -E)
#   tc_fail MESSAGE             count a failure, saying what failed
#   tc_done                     print the verdict and exit 0 or 1
# Run from the repository root; BUILD (default build) names the build directory.
set -uo pipefail

TC_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$TC_ROOT" || exit 1
BUILD=${BUILD:-build}
CHECK=$BUILD/bin/twinmon-check
TC_TOOL=${TC_TOOL:-$CHECK}
MAP1G=partition/samples/ovmf-q35-1g.memmap
MAP3G=partition/samples/ovmf-q35-3g.memmap
TC_NAME=$(basename "$0" .sh)
TC_TMP=$(mktemp -d "${TMPDIR:-/tmp}/twinmon-$TC_NAME.XXXXXX")
TC_OUT=$TC_TMP/stdout
TC_ERR=$TC_TMP/stderr
TC_RC=
TC_FAILS=0
TC_CHECKS=0
trap 'rm -rf "$TC_TMP"' EXIT

if [ ! -x "$CHECK" ] || [ ! -x "$TC_TOOL" ]; then
  echo "FAIL: $CHECK or $TC_TOOL is missing; run make tools first"
  exit 1
fi

tc_fail() {
  TC_FAILS=$((TC_FAILS + 1))
  echo "FAIL: $*"
}

# What the tool printed, for a failure report (cut, so a table does not flood the log).
tc_show() {
  echo "  command: $TC_TOOL ${TC_ARGS[*]}"
  echo "  exit status: $TC_RC"
  echo "  ---- stderr"
  head -n 10 "$TC_ERR" | sed 's/^/  /'
  echo "  ---- stdout (first 15 lines)"
  head -n 15 "$TC_OUT" | sed 's/^/  /'
}

tc_run() {
  TC_ARGS=("$@")
  "$TC_TOOL" "$@" >"$TC_OUT" 2>"$TC_ERR"
  TC_RC=$?
  TC_CHECKS=$((TC_CHECKS + 1))
}

tc_expect_rc() {
  [ "$TC_RC" = "$1" ] && return 0
  tc_fail "$2: exit status $TC_RC, expected $1"
  tc_show
  return 1
}

tc_expect_out_empty() {
  [ ! -s "$TC_OUT" ] && return 0
  tc_fail "$1: expected nothing on stdout"
  tc_show
  return 1
}

tc_expect_err_is() {
  [ "$(cat "$TC_ERR")" = "$1" ] && return 0
  tc_fail "$2: stderr differs"
  echo "  ---- expected stderr"
  printf '%s\n' "$1" | sed 's/^/  /'
  tc_show
  return 1
}

tc_expect_out_has() {
  grep -Eq -- "$1" "$TC_OUT" && return 0
  tc_fail "$2: no line of stdout matches /$1/"
  tc_show
  return 1
}

tc_expect_err_has() {
  grep -Eq -- "$1" "$TC_ERR" && return 0
  tc_fail "$2: no line of stderr matches /$1/"
  tc_show
  return 1
}

tc_done() {
  if [ "$TC_FAILS" -ne 0 ]; then
    echo "$TC_NAME: $TC_FAILS failed check(s) in $TC_CHECKS runs of $(basename "$TC_TOOL")"
    exit 1
  fi
  echo "$TC_NAME: ok ($TC_CHECKS runs of $(basename "$TC_TOOL"))"
  exit 0
}
