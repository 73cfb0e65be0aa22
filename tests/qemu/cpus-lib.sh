# SPDX-License-Identifier: GPL-2.0-only
# Helpers for the multi-core tests (cpus-*.sh, twin-attack-ipi.sh; source after lib.sh). The
# guests are the bundled heartbeat and probe; each guest section may carry `cpus = LIST`
# (docs/config.md), and QEMU gets `--smp N` (scripts/qemu-run: one host thread per vCPU).
#
#   cpus_conf FILE MODE A-KERNEL A-CMDLINE A-CPUS B-KERNEL B-CMDLINE B-CPUS [GLOBAL-LINES]
#                     write a config: MODE twin, a-alone or b-alone (only the sections that
#                     mode runs); KERNEL heartbeat or probe (the -a/-b build is picked by the
#                     section); an empty CPUS leaves the key out; guest A owns COM1, B COM2;
#                     $CPUS_A_LINES and $CPUS_B_LINES are added to the sections (more keys)
#                     (a probe gets on-reset = $CPUS_PROBE_ON_RESET, default stop)
#   cpus_boot NAME CONF SMP TIMEOUT [EXTRA-QEMU-ARGS...]
#                     boot that config on an SMP machine, wait for "monitor: starting"
#   cpus_switches LETTER     the monitor's switch count for a guest (the sum when it prints
#                     one line per CPU: "monitor: [cpu N: ]guest X: switches N, ...")
#   cpus_hb_switches LETTER  the heartbeat's own "stats: switches_in=N"
#   cpus_span FILE LETTER    "FIRST LAST" TSC of heartbeat LETTER's unit lines in a capture
#   cpus_rate FILE LETTER START END [KHZ]  heartbeat LETTER's units/s between two TSCs, from
#                     its own unit lines (interpolated at both ends), at KHZ (default: this
#                     run's TSC frequency as the monitor measured it). Comparing runs, pass
#                     one KHZ to all: the TSC ticks at the same rate in every boot, the
#                     monitor's calibration of it does not (it moves by 20 % and more on a
#                     busy host), so a ratio of rates is then a ratio of units per TSC tick
#   cpus_share_from FILE LETTER TSC  the part of the time from TSC to its last line that the
#                     heartbeat ran (steps between lines no longer than CPUS_STEP_MS)
#   cpus_spin_share PERCENT  after attack_share_note: the heartbeat (A, COM1) ran at least 1 s
#                     after the probe's (B, COM2) spin began, and its share from there on is
#                     at least PERCENT % of its baseline share (else ATTACK_SHARE_FAILED says
#                     so, for attack_share_retry)
#   cpus_never_stopped MS  heartbeat A's lines never more than MS ms apart, and it ran on for
#                     at least 1 s after the probe's spin began (if it spun)
#   cpus_one_boot     the machine started once: one "monitor: starting", no second start
#   cpus_probe_once   the probe (COM2) started once: one "probe: attacks" line (an INIT and
#                     SIPI that restarted it would show a second)
CPUS_HEARTBEAT="every=1 work=20000 region=64K"
CPUS_STEP_MS=${CPUS_STEP_MS:-2.5}

cpus_section() {
  local letter=$1 kernel=$2 cmdline=$3 cpus=$4 uart mem name
  case $letter in
    a) uart=com1 mem=0x20000000-0x23ffffff ;;
    b) uart=com2 mem=0x100000-0x40fffff ;;
  esac
  case $kernel in
    heartbeat) name="Heartbeat ${letter^^}" ;;
    probe) name="Probe ${letter^^}" ;;
    *) tm_fail "cpus_conf: unknown kernel $kernel" ;;
  esac
  echo
  echo "[guest $letter]"
  echo "name = $name"
  echo "kernel = \\EFI\\twinmon\\$kernel-$letter.elf"
  echo "cmdline = uart=$uart $cmdline"
  echo "memory = $mem"
  echo "uarts = $uart"
  [ -z "$cpus" ] || echo "cpus = $cpus"
  if [ "$letter" = a ]; then
    [ -z "${CPUS_A_LINES:-}" ] || echo "$CPUS_A_LINES"
  else
    [ -z "${CPUS_B_LINES:-}" ] || echo "$CPUS_B_LINES"
  fi
  # A probe that asks for a reset is stopped, never restarted: it would attack again.
  [ "$kernel" != probe ] || echo "on-reset = ${CPUS_PROBE_ON_RESET:-stop}"
}

cpus_conf() {
  local file=$1 mode=$2
  {
    echo "[global]"
    echo "mode = $mode"
    echo "timeout = 0"
    echo "slice = 5ms"
    [ -z "${9:-}" ] || echo "$9"
    [ "$mode" = b-alone ] || cpus_section a "$3" "$4" "$5"
    [ "$mode" = a-alone ] || cpus_section b "$6" "$7" "$8"
  } >"$file"
}

cpus_boot() {
  local name=$1 conf=$2 smp=$3 timeout=$4
  shift 4
  rm -rf "$TM_OUT/run"
  tm_boot --esp "$(tm_esp_with_config "$conf")" --smp "$smp" --timeout "$timeout" -- "$@"
  tm_wait_for monitor '^monitor: starting ' 90
  echo "== $name: booted (-smp $smp)"
}

cpus_khz() {
  sed -n 's/^monitor: .*TSC \([0-9]*\) kHz.*/\1/p' "$TM_OUT/run/monitor.log" | head -1
}

cpus_switches() {
  sed 's/\r$//' "$TM_OUT/run/monitor.log" |
    awk -v g="$1" '
      /^monitor: (cpu [0-9]+: )?guest [a-z]: switches [0-9]+/ {
        for (i = 1; i < NF; i++)
          if ($i == "guest" && $(i + 1) == g ":" && $(i + 2) == "switches") {
            n = $(i + 3); gsub(",", "", n); sum += n; seen = 1
          }
      }
      END { if (seen) print sum + 0 }'
}

cpus_hb_switches() {
  local file
  file=$(tm_file "$( [ "$1" = a ] && echo com1 || echo com2)")
  sed -n "s/^heartbeat $1: stats: switches_in=\([0-9]*\) .*/\1/p" "$file" | tr -d '\r' | tail -1
}

# The unit lines of heartbeat LETTER in FILE as "UNIT TSC".
cpus_units() {
  sed 's/\r$//' "$(tm_file "$1")" | awk -v p="heartbeat $2:" '
    $1 " " $2 == p && $3 == "unit" && $5 ~ /^tsc=/ { print $4, substr($5, 5) }'
}

cpus_span() {
  cpus_units "$1" "$2" | awk 'NR == 1 { f = $2 } { l = $2 } END { if (NR) print f, l }'
}

cpus_rate() {
  local khz=${5:-}
  [ -n "$khz" ] || khz=$(cpus_khz)
  [ -n "$khz" ] || tm_fail "no TSC frequency in the monitor's log"
  cpus_units "$1" "$2" | awk -v s="$3" -v e="$4" -v khz="$khz" '
    { n++; u[n] = $1; t[n] = $2 }
    END {
      # Units pro rata of each step between two lines that overlaps the window.
      for (i = 2; i <= n; i++) {
        if (t[i] <= s || t[i - 1] >= e) continue
        a = t[i - 1] < s ? s : t[i - 1]; b = t[i] > e ? e : t[i]
        units += (u[i] - u[i - 1]) * (b - a) / (t[i] - t[i - 1])
      }
      printf "%.1f\n", (e > s ? units / ((e - s) / khz / 1000) : 0)
    }'
}

cpus_share_from() {
  local khz
  khz=$(cpus_khz)
  [ -n "$khz" ] || tm_fail "no TSC frequency in the monitor's log"
  cpus_units "$1" "$2" | awk -v s="$3" -v khz="$khz" -v step_ms="$CPUS_STEP_MS" '
    { n++; t[n] = $2 }
    END {
      for (i = 2; i <= n; i++) {
        if (t[i] <= s) continue
        a = t[i - 1] < s ? s : t[i - 1]
        if ((t[i] - t[i - 1]) / khz <= step_ms) run += t[i] - a
      }
      printf "%.3f\n", (n && t[n] > s ? run / (t[n] - s) : 0)
    }'
}

cpus_one_boot() {
  local n
  n=$(sed 's/\r$//' "$TM_OUT/run/monitor.log" | grep -c '^monitor: starting ')
  [ "$n" = 1 ] || tm_fail "the machine started $n times (\"monitor: starting\"): it was reset"
}

cpus_spin_share() {
  local pct=$1 spin_tsc base_share spin_share last khz
  spin_tsc=$(sed -n 's/^probe: attack [0-9]*: spin: .* from tsc \([0-9]*\) .*/\1/p' \
    "$TM_OUT/run/com2.log")
  [ -n "$spin_tsc" ] || tm_fail "no spin line with its TSC on COM2"
  read -r _ last < <(cpus_span com1 a)
  khz=$(cpus_khz)
  # The heartbeat must have run a while beside the spin, or its share there means nothing.
  [ $(((last - spin_tsc) / khz)) -ge 1000 ] ||
    tm_fail "the heartbeat ended $(((last - spin_tsc) / khz)) ms into the spin (want >= 1000)"
  base_share=$(awk '$1 == "baseline" { print $4; exit }' "$TM_OUT/rates")
  spin_share=$(cpus_share_from com1 a "$spin_tsc")
  echo "share from the spin's start to the heartbeat's end: $spin_share (baseline $base_share)"
  if [ -z "${ATTACK_SHARE_FAILED:-}" ] &&
    ! awk -v s="$spin_share" -v b="$base_share" -v p="$pct" 'BEGIN { exit !(s * 100 >= b * p) }'
  then
    ATTACK_SHARE_FAILED="beside the spin the heartbeat ran $spin_share of the time, below $pct %"
    ATTACK_SHARE_FAILED+=" of its baseline share $base_share"
  fi
}

# cpus_never_stopped MS: heartbeat A (COM1) wrote a line at least every MS ms from its first
# to its last one, and ran at least 1 s past the probe's spin if the probe spun.
cpus_never_stopped() {
  local max_ms=$1 khz spin_tsc last longest
  khz=$(cpus_khz)
  [ -n "$khz" ] || tm_fail "no TSC frequency in the monitor's log"
  longest=$(cpus_units com1 a | awk -v khz="$khz" '
    NR > 1 && ($2 - p) / khz > m { m = ($2 - p) / khz } { p = $2 } END { printf "%.0f", m }')
  echo "the heartbeat's longest step between two lines: $longest ms (limit $max_ms ms)"
  [ "$longest" -le "$max_ms" ] ||
    tm_fail "the heartbeat stopped for $longest ms (limit $max_ms ms) beside the probe"
  spin_tsc=$(sed -n 's/^probe: attack [0-9]*: spin: .* from tsc \([0-9]*\) .*/\1/p' \
    "$TM_OUT/run/com2.log")
  [ -n "$spin_tsc" ] || return 0
  read -r _ last < <(cpus_span com1 a)
  [ $(((last - spin_tsc) / khz)) -ge 1000 ] ||
    tm_fail "the heartbeat ended $(((last - spin_tsc) / khz)) ms into the spin (want >= 1000)"
}

cpus_probe_once() {
  local n
  n=$(sed 's/\r$//' "$TM_OUT/run/com2.log" | grep -c '^probe: attacks ')
  [ "$n" = 1 ] || tm_fail "the probe started $n times (\"probe: attacks\" lines on COM2)"
}
