#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Timer storms (issue 11, item 2): the probe's own local APIC timer as fast as the monitor lets
# it run, beside a heartbeat that must keep its configured share. deadline-storm re-arms the
# TSC deadline from its handler to now + 2000 cycles, then to now + 1 ms (the one that bites
# under an emulator: see guests/probe/timer_storm.c); periodic-storm runs the periodic timer
# at its smallest count, then starts a short one-shot count and switches it to periodic (a
# path that must get the 200 us floor too). Under irq-policy = switch every expiry may end the
# heartbeat's slot; the shares must stay as configured all the same: in every storm phase the
# heartbeat runs at least 90 % of the time it ran beside the busy, non-attacking probe of the
# baseline phase just before. Once with switch, once with the default wait. A run whose shares
# fell short boots once more (attack_share_retry: the emulator's own stalls count too).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/attack-lib.sh"

for policy in switch wait; do
  for attempt in 1 2; do
    echo "== irq-policy = $policy (attempt $attempt)"
    attack_boot "timers-$policy" "attacks=deadline-storm,periodic-storm phase=2000" 16 \
      "irq-policy = $policy"
    attack_wait_phases baseline deadline deadline-1ms baseline periodic periodic-via-oneshot
    attack_share_note 90
    attack_end
    attack_share_retry "$attempt" 90 && break
  done
done
echo ok
