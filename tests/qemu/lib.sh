# SPDX-License-Identifier: GPL-2.0-only
# Helpers for QEMU tests (and the Bochs tests: TM_RUNNER=bochs-run before sourcing). A test
# sources this file, boots an ESP with tm_boot, waits for lines in the captures (polling with a
# deadline: never a fixed sleep) and checks the exit status.
#
#   tm_boot [runner options]         start scripts/$TM_RUNNER (qemu-run unless set) in the
#                                    background (--out is set)
#   tm_wait_for FILE REGEX [SECONDS] wait until FILE (com1, com2, monitor or a path) has a line
#                                    matching the extended REGEX; fails at the deadline or when
#                                    the emulator ended without it
#   tm_expect_exit STATUS [SECONDS]  wait for the emulator to end and compare the runner's status
#   tm_esp_with_config CONF          a copy of build/esp whose twinmon.conf is CONF; prints path
#   tm_send_com1 TEXT                type TEXT on COM1 (needs tm_boot --com1-input)
#   tm_fail MESSAGE                  fail the test, showing the captures
set -uo pipefail

TM_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$TM_ROOT/$BUILD ;; esac
TM_NAME=$(basename "$0" .sh)
TM_RUNNER=${TM_RUNNER:-qemu-run}
TM_OUT=$BUILD/test-runs/$TM_NAME
TM_PID=
TM_STATUS=
rm -rf "$TM_OUT"
mkdir -p "$TM_OUT"

tm_cleanup() {
  if [ -n "$TM_PID" ] && kill -0 "$TM_PID" 2>/dev/null; then
    kill -TERM "$TM_PID" 2>/dev/null
    wait "$TM_PID" 2>/dev/null
  fi
}
trap tm_cleanup EXIT

tm_show() {
  local f
  for f in monitor com1 com2 qemu bochs; do
    [ -s "$TM_OUT/run/$f.log" ] || continue
    echo "---- $f.log (last 15 lines)"
    tail -n 15 "$TM_OUT/run/$f.log" | sed 's/\x1b\[[0-9;=?]*[A-Za-z]//g' | cut -c1-160
  done
}

tm_fail() {
  echo "FAIL: $*"
  tm_show
  exit 1
}

tm_boot() {
  "$TM_ROOT/scripts/$TM_RUNNER" --out "$TM_OUT/run" "$@" &
  TM_PID=$!
  # The runner recreates its captures first; wait until it has, so no stale file is read.
  local i
  for ((i = 0; i < 200; i++)); do
    [ -e "$TM_OUT/run/cmdline" ] && return 0
    kill -0 "$TM_PID" 2>/dev/null || break
    sleep 0.05
  done
  [ -e "$TM_OUT/run/cmdline" ] || tm_fail "$TM_RUNNER did not start"
}

tm_file() {
  case $1 in
    com1|com2|monitor|qemu|bochs) echo "$TM_OUT/run/$1.log" ;;
    *) echo "$1" ;;
  esac
}

# Whether FILE has a line matching the extended REGEX (escape sequences and CRs stripped).
# grep reads to the end (no -q): with pipefail, a grep that quits at the first match would
# leave sed to die of SIGPIPE on a large capture, and the pipeline would report "no match".
tm_has() {
  sed 's/\x1b\[[0-9;=?]*[A-Za-z]//g; s/\r$//' "$1" 2>/dev/null | grep -E -- "$2" >/dev/null
}

tm_wait_for() {
  local file deadline regex=$2
  file=$(tm_file "$1")
  deadline=$((SECONDS + ${3:-60}))
  while :; do
    if [ -f "$file" ] && tm_has "$file" "$regex"; then
      return 0
    fi
    if [ $SECONDS -ge $deadline ]; then
      tm_fail "timed out waiting for /$regex/ in $(basename "$file")"
    fi
    if ! kill -0 "$TM_PID" 2>/dev/null; then
      # One last look: the emulator may have written the line just before it ended.
      tm_has "$file" "$regex" && return 0
      tm_fail "the emulator ended without /$regex/ in $(basename "$file")"
    fi
    sleep 0.1
  done
}

# Assert a line is absent from a capture once the run is over.
tm_absent() {
  local file
  file=$(tm_file "$1")
  if tm_has "$file" "$2"; then
    tm_fail "unexpected /$2/ in $(basename "$file")"
  fi
}

tm_expect_exit() {
  local want=$1 deadline=$((SECONDS + ${2:-120}))
  while kill -0 "$TM_PID" 2>/dev/null; do
    [ $SECONDS -ge $deadline ] && tm_fail "the emulator is still running after the deadline"
    sleep 0.1
  done
  wait "$TM_PID"
  TM_STATUS=$?
  TM_PID=
  [ "$TM_STATUS" = "$want" ] || tm_fail "exit status $TM_STATUS, expected $want"
}

tm_esp_with_config() {
  local esp=$TM_OUT/esp
  rm -rf "$esp"
  cp -r "$BUILD/esp" "$esp"
  mkdir -p "$esp/EFI/twinmon"
  cp "$1" "$esp/EFI/twinmon/twinmon.conf"
  echo "$esp"
}

tm_send_com1() {
  [ -p "$TM_OUT/run/com1.in" ] || tm_fail "COM1 input needs tm_boot --com1-input"
  printf '%s' "$1" >"$TM_OUT/run/com1.in"
}

# Status values of efi/platform.h (isa-debug-exit).
TM_EXIT_OK=16
TM_EXIT_FAILURE=17
TM_EXIT_CONFIG=18
