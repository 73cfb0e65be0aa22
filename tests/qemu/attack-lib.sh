# SPDX-License-Identifier: GPL-2.0-only
# Helpers for the attack tests (twin-attack-*.sh; source after lib.sh). The heartbeat works as
# guest A while the probe attacks as guest B, owning QEMU's edu device at 00:10.0, whose INTA
# reaches I/O APIC input 20 on q35 (slot 16, pin A: PIRQ E). The probe runs each attack in
# timed phases, a baseline first (busy with interrupts on: a neighbour that uses its whole
# share without attacking), and logs every phase's TSC window on COM2; the heartbeat logs
# its units with the TSC on COM1. Both read the same TSC, so the heartbeat's progress inside
# each window comes from its own lines, and every attack is compared with the baseline of the
# same run.
#
#   attack_boot NAME "PROBE OPTIONS" SECONDS [GLOBAL-LINES] [HEARTBEAT-OPTIONS]
#                         boot both; the heartbeat works for SECONDS (TSC time), by default
#                         with $ATTACK_HEARTBEAT; the probe owns $ATTACK_PCI (the edu, and
#                         more functions whose QEMU devices $ATTACK_DEVICES adds)
#   attack_wait_phases LABEL...  wait for the probe's phase lines, in order (30 s each)
#   attack_rates          print one line per phase: label, ms, the heartbeat's units/s, its
#                         share (the part of the window it ran), both as ratios to the
#                         baseline before (saved in $TM_OUT/rates)
#   attack_share_kept PERCENT    in every phase the heartbeat's share is at least PERCENT % of
#                         the baseline's, and its units/s at least ATTACK_RATE_PCT %
#   attack_share_note PERCENT / attack_share_retry ATTEMPT PERCENT   the same, with one more
#                         boot when the host stalled the first (see below)
#   attack_gap_ms LABEL [PERCENT]  of the times between two consecutive heartbeat lines that
#                         end inside phase LABEL, in ms: the longest (100, the default), a
#                         percentile of those longer than ATTACK_STEP_MS (the heartbeat's
#                         waits), or with 50 the median of all (its own step)
#   attack_end            both verdicts pass, the heartbeat's checks held, QEMU exited OK
ATTACK_EDU_GSI=20
# More PCI functions for the probe (a config list) and the QEMU devices behind them.
ATTACK_PCI=${ATTACK_PCI:-00:10.0}
ATTACK_DEVICES=${ATTACK_DEVICES:-}
# The heartbeat's lines: one per unit, units small (0.3 ms on TCG, up to 1-2 ms when the
# emulator runs slow). A step between two lines longer than ATTACK_STEP_MS, half the 5 ms
# slice, is the other guest's turn: time the heartbeat did not run; its share of a window is
# the rest. The share is what the monitor controls; units/s also moves with the emulator's
# own speed, which drifts by 20-30 % from one second to the next on a busy host, so it gets
# only a loose floor (ATTACK_RATE_PCT) against gross slowdowns the share cannot see.
ATTACK_HEARTBEAT="every=1 work=20000 region=64K"
ATTACK_STEP_MS=2.5
ATTACK_RATE_PCT=${ATTACK_RATE_PCT:-50}

attack_boot() {
  local name=$1 probe=$2 seconds=$3 global=${4:-} hb=${5:-$ATTACK_HEARTBEAT}
  cat >"$TM_OUT/$name.conf" <<CONF
[global]
mode = twin
timeout = 0
slice = 5ms
# These attacks are on time and interrupts, on a machine without an IOMMU: the probe owns
# the edu unconfined (its DMA attack is twin-attack-dma.sh).
dma = unconfined
$global

[guest a]
name = Heartbeat A
kernel = \\EFI\\twinmon\\heartbeat-a.elf
cmdline = uart=com1 seconds=$seconds exit=verdict $hb
memory = 0x20000000-0x23ffffff
uarts = com1

[guest b]
name = Probe B
kernel = \\EFI\\twinmon\\probe-b.elf
cmdline = uart=com2 peer-uart=com1 edu=00:10.0 edu-irq=$ATTACK_EDU_GSI $probe
memory = 0x100000-0x40fffff
uarts = com2
pci = $ATTACK_PCI
irqs = $ATTACK_EDU_GSI
on-reset = stop
CONF
  rm -rf "$TM_OUT/run"
  tm_boot --esp "$(tm_esp_with_config "$TM_OUT/$name.conf")" --timeout $((seconds + 120)) \
    -- -device edu,addr=0x10 $ATTACK_DEVICES
  tm_wait_for monitor '^monitor: starting 2 guests' 60
}

attack_wait_phases() {
  local label
  # A phase lasts a few seconds; a machine that livelocks never logs the next one.
  for label in "$@"; do
    if [ "$label" = periodic-via-oneshot ]; then
      # The one phase the probe may have to skip: its count must still run after two exits
      # and an emulator can take longer than the floor for them (it tries many times;
      # test_vlapic covers the floor on that path).
      tm_wait_for com2 "^probe: attack [0-9]+: (phase $label: tsc |skipped: one-shot switched)" 30
      continue
    fi
    tm_wait_for com2 "^probe: attack [0-9]+: phase $label: tsc " 30
  done
}

attack_khz() {
  sed -n 's/^monitor: .*TSC \([0-9]*\) kHz.*/\1/p' "$TM_OUT/run/monitor.log" | head -1
}

attack_rates() {
  local khz
  khz=$(attack_khz)
  [ -n "$khz" ] || tm_fail "no TSC frequency in the monitor's log"
  sed 's/\r$//' "$TM_OUT/run/com1.log" >"$TM_OUT/com1.txt"
  sed 's/\r$//' "$TM_OUT/run/com2.log" >"$TM_OUT/com2.txt"
  awk -v khz="$khz" -v step_ms="$ATTACK_STEP_MS" '
    FNR == 1 { file++ }
    file == 1 && /^heartbeat a: unit [0-9]+ tsc=[0-9]+ / {
      n++; u[n] = $4; t[n] = substr($5, 5) + 0
    }
    file == 2 && /^probe: attack [0-9]+: phase [a-z0-9-]+: tsc [0-9]+\.\.[0-9]+ / {
      label = $5; sub(":", "", label)
      split($7, w, "\\.\\.")
      s = w[1] + 0; e = w[2] + 0
      run = 0; units = 0
      # Every step between two lines, clipped to the window: a short one is the heartbeat
      # running (its units counted pro rata), a long one is the heartbeat switched out.
      for (i = 2; i <= n; i++) {
        if (t[i] <= s || t[i - 1] >= e) continue
        a = t[i - 1] < s ? s : t[i - 1]; b = t[i] > e ? e : t[i]
        if ((t[i] - t[i - 1]) / khz > step_ms) continue
        run += b - a
        units += (u[i] - u[i - 1]) * (b - a) / (t[i] - t[i - 1])
      }
      rate = units / ((e - s) / khz / 1000)
      share = run / (e - s)
      if (label == "baseline") { base_rate = rate; base_share = share }
      rr = base_rate > 0 ? rate / base_rate : 0
      sr = base_share > 0 ? share / base_share : 0
      printf "%s %d %.0f %.3f %.3f %.3f\n", label, (e - s) / khz, rate, share, rr, sr
    }' "$TM_OUT/com1.txt" "$TM_OUT/com2.txt" >"$TM_OUT/rates"
  echo "phase ms units/s share units/s-ratio share-ratio (ratios to the baseline before)"
  cat "$TM_OUT/rates"
}

attack_share_kept() {
  attack_share_ok "$@" || tm_fail "$ATTACK_SHARE_BAD"
}

# The same check, returning 1 (the reason in ATTACK_SHARE_BAD) instead of failing the test.
attack_share_ok() {
  local pct=$1 bad
  attack_rates
  [ -s "$TM_OUT/rates" ] || tm_fail "no phases to compare"
  bad=$(awk -v p="$pct" -v r="$ATTACK_RATE_PCT" '
    $1 != "baseline" && ($6 * 100 < p || $5 * 100 < r) {
      printf "%s (share %.0f %%, units/s %.0f %%) ", $1, $6 * 100, $5 * 100 }' "$TM_OUT/rates")
  ATTACK_SHARE_BAD="the heartbeat kept less than $pct % of its baseline share (or"
  ATTACK_SHARE_BAD+=" $ATTACK_RATE_PCT % of its units/s) in: $bad"
  [ -z "$bad" ]
}

# A share is measured from the heartbeat's own time stamps, so a stall of the emulator on a
# busy host (TCG's TSC runs on while QEMU is descheduled) reads as the heartbeat switched out.
# attack_share_retry ATTEMPT PERCENT: after a run whose other checks all passed, 0 when the
# shares held; 1 when they did not on the first attempt (the caller boots once more); the
# test fails when they did not on the second. A monitor that lets an attack take the share
# fails both: the attacks are the same each time, the host's stalls are not.
attack_share_retry() {
  local attempt=$1 pct=$2
  [ -n "${ATTACK_SHARE_FAILED:-}" ] || return 0
  [ "$attempt" -lt 2 ] || tm_fail "$ATTACK_SHARE_FAILED (and on the first attempt too)"
  echo "attempt $attempt: $ATTACK_SHARE_FAILED; booting once more"
  ATTACK_SHARE_FAILED=
  return 1
}

# attack_share_note PERCENT: attack_share_ok, remembered for attack_share_retry.
attack_share_note() {
  ATTACK_SHARE_FAILED=
  attack_share_ok "$1" || ATTACK_SHARE_FAILED=$ATTACK_SHARE_BAD
}

attack_gap_ms() {
  local khz label=$1 pct=${2:-100}
  khz=$(attack_khz)
  awk -v khz="$khz" -v want="$label" -v pct="$pct" -v step_ms="$ATTACK_STEP_MS" '
    FNR == 1 { file++ }
    file == 1 && /^heartbeat a: unit [0-9]+ tsc=[0-9]+ / { n++; t[n] = substr($5, 5) + 0 }
    file == 2 && $5 == want ":" && $6 == "tsc" {
      split($7, w, "\\.\\.")
      # A gap belongs to the phase it ends in: the one that held the heartbeat up.
      for (i = 2; i <= n; i++) {
        if (t[i] <= w[1] || t[i] > w[2]) continue
        gap = (t[i] - t[i - 1]) / khz
        # The median is of all steps, the other percentiles of the turns it waited.
        if (pct != 50 && gap <= step_ms) continue
        if (gap > max) max = gap
        # Percentiles from 0.1 ms buckets: thousands of gaps, no sort needed.
        b = int(gap * 10); hist[b]++; m++; if (b > top) top = b
      }
    }
    END {
      if (pct >= 100 || !m) { printf "%.1f\n", max; exit }
      for (b = 0; b <= top && seen * 100 < m * pct; b++) seen += hist[b]
      printf "%.1f\n", (b - 1) / 10
    }' "$TM_OUT/com1.txt" "$TM_OUT/com2.txt"
}

attack_end() {
  tm_wait_for com2 '^probe: verdict ' 60
  tm_absent com2 '^probe: attack [0-9]+: NOT CONTAINED'
  tm_wait_for com2 '^probe: verdict pass: probe: ' 1
  tm_wait_for monitor '^guest a: verdict pass: heartbeat: [0-9]+ units$' 120
  tm_wait_for monitor '^monitor: every guest has stopped$' 60
  tm_expect_exit "$TM_EXIT_OK" 60
  tm_absent com1 'STATE CHANGED'
  tm_absent monitor 'guest a stopped: (isolation|shutdown|unknown)'
}
