#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The lab's workloads in two Debian-kernel guests under the monitor (docs/lab.md): guest A
# measures timer latency with Debian's cyclictest while guest B runs stress-ng's CPU hog, both
# from the lab initramfs (make initramfs-lab: the programs with their shared libraries). Each
# guest's init prints a TWINMON-RESULT block; the test parses both and checks that their
# fields are there and sane (no speed is judged: an emulator's numbers mean little). Then the
# monitor's TWINMON-STATS records: its interrupt delays by source, and its count of each
# guest's timer interrupts against the guest's own (/proc/interrupts), within the tolerance
# docs/lab.md gives.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/linux-lib.sh"

lab=$BUILD/initramfs/lab.cpio.gz
[ -f "$lab" ] || tm_fail "no $lab (make initramfs-lab)"
cat >"$TM_OUT/twin.conf" <<CONF
[global]
mode = twin
timeout = 0
slice = 10ms

[guest a]
name = Linux A
kernel = \\EFI\\twinmon\\vmlinuz
initrd = \\EFI\\twinmon\\initrd-a.img
cmdline = panic=-1 quiet twinmon.marker=linux-a twinmon.run=cyclictest twinmon.args=-D,4,-i,1000,-h,2000,-q,-m
memory = 0x40000000-0x5fffffff
uarts = com1

[guest b]
name = Linux B
kernel = \\EFI\\twinmon\\vmlinuz
initrd = \\EFI\\twinmon\\initrd-b.img
cmdline = panic=-1 quiet twinmon.marker=linux-b twinmon.run=stress-ng twinmon.args=--cpu,1,--timeout,6s,--metrics-brief
memory = 384M low
uarts = com2
CONF
esp=$(tm_linux_esp "$TM_OUT/twin.conf")
cp "$lab" "$esp/EFI/twinmon/initrd-a.img"
cp "$lab" "$esp/EFI/twinmon/initrd-b.img"
tm_boot --esp "$esp" --mem 2048 --timeout 400
tm_wait_for com1 '^TWINMON-INIT: linux-a' 300
tm_wait_for com2 '^TWINMON-INIT: linux-b' 300
tm_wait_for com1 '^TWINMON-RESULT-END' 120
tm_wait_for com2 '^TWINMON-RESULT-END' 120
tm_wait_for com1 '^TWINMON-INIT: done' 30
tm_wait_for com2 '^TWINMON-INIT: done' 30
tm_expect_exit "$TM_EXIT_OK" 60

# tm_lab_result LOG: the key=value lines of LOG's result block, as "key value" (the UART's
# line ends are CR LF).
tm_lab_result() {
  tr -d '\r' <"$TM_OUT/run/$1.log" | awk '/^TWINMON-RESULT-BEGIN /{on=1; print "header " $2 "," $3; next}
       /^TWINMON-RESULT-END/{on=0}
       on && /^[a-z0-9_.]+=[^ ]*$/{i=index($0, "="); print substr($0, 1, i-1), substr($0, i+1)}'
}
# tm_lab_get LOG KEY: one field of LOG's result block.
tm_lab_get() { tm_lab_result "$1" | awk -v k="$2" '$1 == k {print $2; exit}'; }

a() { tm_lab_get com1 "$1"; }
b() { tm_lab_get com2 "$1"; }
[ "$(a header)" = "workload=cyclictest,version=1" ] || tm_fail "guest A's block header: $(a header)"
[ "$(b header)" = "workload=stress-ng,version=1" ] || tm_fail "guest B's block header: $(b header)"
for k in exit status threads samples min_us avg_us max_us p50_us p99_us p999_us overflows; do
  [ -n "$(a $k)" ] || tm_fail "guest A's result has no $k"
done
[ "$(a exit)" = 0 ] && [ "$(a status)" = ok ] || tm_fail "cyclictest: exit $(a exit), status $(a status)"
[ "$(a threads)" = 1 ] || tm_fail "cyclictest ran $(a threads) threads, not 1"
# -D 4 at -i 1000: about 4000 wake-ups; an emulated CPU shared with a neighbour may miss some
# periods, but a few hundred at least must have been measured.
[ "$(a samples)" -ge 200 ] && [ "$(a samples)" -le 4400 ] || tm_fail "cyclictest: $(a samples) samples for 4 s at 1 ms"
[ "$(a min_us)" -le "$(a p50_us)" ] && [ "$(a p50_us)" -le "$(a p99_us)" ] &&
  [ "$(a p99_us)" -le "$(a p999_us)" ] && [ "$(a avg_us)" -le "$(a max_us)" ] &&
  [ "$(a min_us)" -le "$(a avg_us)" ] || tm_fail "cyclictest's figures out of order: $(tm_lab_result com1 | grep -v hist_us | tr '\n' ' ')"
# The histogram's buckets and overflows add up to the samples.
sum=$(tm_lab_result com1 | awk '$1 ~ /^hist_us\./ {s += $2} END {print s + 0}')
[ $((sum + $(a overflows))) = "$(a samples)" ] || tm_fail "histogram holds $sum + $(a overflows) overflows, not $(a samples)"
[ "$(b exit)" = 0 ] && [ "$(b status)" = ok ] || tm_fail "stress-ng: exit $(b exit), status $(b status)"
ops=$(b stressor.cpu.bogo_ops) rate=$(b stressor.cpu.bogo_ops_per_second_real_time)
[ -n "$ops" ] && [ "${ops%.*}" -gt 0 ] || tm_fail "stress-ng counted no bogo ops ($ops)"
awk -v r="$rate" 'BEGIN {exit !(r > 0)}' || tm_fail "stress-ng's rate is $rate"
echo "cyclictest: $(a samples) samples, min $(a min_us) avg $(a avg_us) p99 $(a p99_us) max $(a max_us) us; stress-ng cpu: $ops bogo ops, $rate /s"

# The monitor's TWINMON-STATS records (docs/lab.md): a record's key from its lines.
stat() {
  tr -d '\r' <"$TM_OUT/run/monitor.log" | grep "^TWINMON-STATS v=1 scope=$1 when=end " |
    grep -- " $2 " | tr ' ' '\n' | sed -n "s/^$3=//p" | head -1
}
for g in a b; do
  human=$(sed -n "s/^monitor: guest $g: switches [0-9]*, exits \([0-9]*\) .*/\1/p" "$TM_OUT/run/monitor.log" | head -1)
  exits=$(stat guest "guest=$g" exits)
  [ -n "$exits" ] && [ "$exits" = "$human" ] || tm_fail "guest $g: TWINMON-STATS exits '$exits', the end-of-run line $human"
  n=$(stat vcpu "guest=$g vcpu=0" slot_count)
  [ "${n:-0}" -gt 0 ] || tm_fail "guest $g: no slot lengths ($n)"
done
# cyclictest's timer interrupts: their delays were measured.
d=$(stat guest guest=a irq_delay_count)
[ "${d:-0}" -gt 0 ] || tm_fail "guest a: no interrupt delays measured ($d)"
# The other sources' delays, in both records; every injected interrupt is in one of them
# (a single-vCPU guest has no post box race: none unmeasured). Both guests' consoles are
# UARTs on device lines, so those delays exist; MSIs and IPIs need not happen here.
for g in a b; do
  for scope in guest vcpu; do
    who="guest=$g"
    [ $scope = vcpu ] && who="guest=$g vcpu=0"
    for k in dev_delay_count msi_delay_count ipi_delay_count irq_unmeasured; do
      [ -n "$(stat $scope "$who" $k)" ] || tm_fail "guest $g: no $k in its $scope record"
    done
  done
  injected=$(stat guest "guest=$g" irq_injected)
  parts=$(( $(stat guest "guest=$g" irq_delay_count) + $(stat guest "guest=$g" dev_delay_count) +
            $(stat guest "guest=$g" msi_delay_count) + $(stat guest "guest=$g" ipi_delay_count) +
            $(stat guest "guest=$g" irq_unmeasured) ))
  [ "$parts" = "$injected" ] || tm_fail "guest $g: $injected interrupts injected, $parts by source"
  [ "$(stat guest "guest=$g" irq_unmeasured)" = 0 ] || tm_fail "guest $g: $(stat guest "guest=$g" irq_unmeasured) interrupts without a due time"
  if [ "$(stat guest "guest=$g" device_irqs)" -gt 0 ]; then
    [ "$(stat guest "guest=$g" dev_delay_count)" -gt 0 ] || tm_fail "guest $g: device lines fired, no delay measured"
  fi
done
# The timer interrupts, as the guest counted them (the LOC line, docs/lab.md) and as the monitor
# injected them (irq_delay_count). The guest reads its count at the workload's end (the result
# block) and again right before it powers off (a TWINMON-INIT line); the monitor counts until
# the guest stops. So result <= last <= monitor, and what the monitor has more than the last
# read is the power-off's ticks: at most 50 + 2 % of the count.
for c in com1:a com2:b; do
  log=${c%:*} g=${c#*:}
  at_end=$(tm_lab_get "$log" timer_irqs)
  last=$(tr -d '' <"$TM_OUT/run/$log.log" | sed -n 's/^TWINMON-INIT: timer_irqs \([0-9]*\)$/\1/p' | tail -1)
  mon=$(stat guest "guest=$g" irq_delay_count)
  [ -n "$at_end" ] && [ -n "$last" ] || tm_fail "guest $g: its timer_irqs are missing ('$at_end', '$last')"
  [ "$at_end" -gt 0 ] && [ "$at_end" -le "$last" ] && [ "$last" -le "$mon" ] ||
    tm_fail "guest $g: timer interrupts out of order: guest $at_end then $last, monitor $mon"
  [ $((mon - last)) -le $((50 + mon / 50)) ] ||
    tm_fail "guest $g: the monitor injected $mon timer interrupts, the guest counted $last before its power-off"
  echo "guest $g: timer interrupts: guest $at_end at the workload's end, $last before power-off; monitor $mon"
done
echo "monitor: guest a exits $(stat guest guest=a exits), timer interrupts delayed $d times, max $(stat guest guest=a irq_delay_max) cycles; slots $(stat vcpu 'guest=a vcpu=0' slot_count), configured $(stat vcpu 'guest=a vcpu=0' slot_cfg) cycles, max $(stat vcpu 'guest=a vcpu=0' slot_max)"
tm_absent monitor 'isolation violation|unknown exit|cannot emulate'
echo ok
