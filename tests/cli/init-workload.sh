#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The guest init's workload parsers (tests/initramfs/workload.c), on the host: twinmon.args
# split at commas with %XX escapes; cyclictest's histogram and summary into the result keys
# (percentiles, overflows as a lower bound, averages weighted over threads); stress-ng's YAML
# metrics into stressor.NAME.KEY; /proc/interrupts' LOC line summed over its CPUs (timer_irqs).
# Outputs are written here in the programs' formats.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

tmp=$(mktemp -d "${TMPDIR:-/tmp}/twinmon-init-workload.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

cat >"$tmp/driver.c" <<'C'
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "init.h"
double init_now(void) { return 0; }
int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "split")) {
		char *out[64];
		int n = workload_split_args(argv[2], out, 1, 61);
		printf("n=%d\n", n);
		for (int i = 1; i < n; i++)
			printf("[%s]\n", out[i]);
		return n >= 0 && out[n] == NULL ? 0 : 1;
	}
	if (argc == 3 && !strcmp(argv[1], "cyclictest")) {
		FILE *f = fopen(argv[2], "r");
		if (!f)
			return 1;
		workload_cyclictest(f);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "stress-ng")) {
		workload_stress_ng(argv[2]);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "interrupts")) {
		FILE *f = fopen(argv[2], "r");
		if (!f)
			return 1;
		printf("%lld\n", workload_timer_irqs(f));
		return 0;
	}
	return 2;
}
C
if ! cc -std=gnu11 -Wall -Wextra -Werror -Itests/initramfs -o "$tmp/driver" "$tmp/driver.c" \
  tests/initramfs/workload.c 2>"$tmp/cc.log"; then
  fail "the driver does not build: $(cat "$tmp/cc.log")"
  exit 1
fi
d=$tmp/driver
# expect NAME WANT CMD...: CMD's stdout is WANT.
expect() {
  local name=$1 want=$2 got
  shift 2
  got=$("$@" 2>&1)
  [ "$got" = "$want" ] || fail "$name: got
$got
 want
$want"
}

expect split-plain "n=4
[-D]
[5s]
[-q]" "$d" split "-D,5s,-q"
expect split-escapes "n=5
[a,b]
[ x]
[]
[100%]" "$d" split "a%2Cb,%20x,,100%25"
expect split-empty "n=1" "$d" split ""
expect split-bad "n=-22" "$d" split "x%2"
expect split-bad-hex "n=-22" "$d" split "x%zz"
many=$(printf 'a,%.0s' $(seq 70))z
expect split-too-many "n=-22" "$d" split "$many"

cat >"$tmp/ct1" <<'T'
# /dev/cpu_dma_latency set to 0us
# Histogram
000000 000000
000001 000000
000002 000005
000003 000010
000004 000003
000005 000000
000006 000001
000007 000000
000008 000000
000009 000000
# Total: 000000019
# Min Latencies: 00002
# Avg Latencies: 00004
# Max Latencies: 00031
# Histogram Overflows: 00001
# Histogram Overflow at cycle number:
# Thread 0: 00017
T
# 20 samples: p50 at 3 us (5 + 10 reach 10), p90 at 4 (18), p99 and p99.9 among the
# overflows: the histogram's size, a lower bound.
expect cyclictest-one "threads=1
samples=20
hist_size_us=10
overflows=1
min_us=2
avg_us=4
max_us=31
p50_us=3
p90_us=4
p99_us=10
p999_us=10
hist_us.2=5
hist_us.3=10
hist_us.4=3
hist_us.6=1
status=ok" "$d" cyclictest "$tmp/ct1"

printf '# Histogram\n000000 000000\t000000\n000001 000002\t000001\n000002 000003\t000004\n000003 000000\t000001\n# Total: 000000005 000000006\n# Min Latencies: 00001 00001\n# Avg Latencies: 00002 00010\n# Max Latencies: 00003 00050\n# Histogram Overflows: 00000 00002\n' >"$tmp/ct2"
# Two threads: buckets summed; the average weighted by each thread's samples (5 and 8):
# (2 x 5 + 10 x 8) / 13 = 6.
expect cyclictest-two "threads=2
samples=13
hist_size_us=4
overflows=2
min_us=1
avg_us=6
max_us=50
p50_us=2
p90_us=4
p99_us=4
p999_us=4
hist_us.1=3
hist_us.2=7
hist_us.3=1
status=ok" "$d" cyclictest "$tmp/ct2"
printf '# nothing measured\n' >"$tmp/ct3"
expect cyclictest-none "threads=0
samples=0
hist_size_us=0
overflows=0
status=no-samples" "$d" cyclictest "$tmp/ct3"

cat >"$tmp/sn.yaml" <<'Y'
---
system-info:
      stress-ng-version: 0.15.06
      run-by: root
      cpus: 2

metrics:
    - stressor: cpu
      bogo-ops: 321
      bogo-ops-per-second-usr-sys-time: 1285.393366
      bogo-ops-per-second-real-time: 160.163715
      wall-clock-time: 2.004199
    - stressor: cache
      bogo-ops: 7
      bogo-ops-per-second-real-time: 3.5

...
Y
expect stress-ng "tool_version=0.15.06
stressor.cpu.bogo_ops=321
stressor.cpu.bogo_ops_per_second_usr_sys_time=1285.393366
stressor.cpu.bogo_ops_per_second_real_time=160.163715
stressor.cpu.wall_clock_time=2.004199
stressor.cache.bogo_ops=7
stressor.cache.bogo_ops_per_second_real_time=3.5
stressors=2
status=ok" "$d" stress-ng "$tmp/sn.yaml"
printf -- '---\nsystem-info:\n      stress-ng-version: 0.15.06\n...\n' >"$tmp/empty.yaml"
expect stress-ng-no-metrics "tool_version=0.15.06
stressors=0
status=no-metrics" "$d" stress-ng "$tmp/empty.yaml"
expect stress-ng-no-file "status=no-yaml" "$d" stress-ng "$tmp/none.yaml"
# /proc/interrupts as Linux 6.1 writes it (arch/x86/kernel/irq.c): one CPU, then two.
cat >"$tmp/irq1" <<'I'
           CPU0       
  4:        310   IO-APIC   4-edge      ttyS0
  9:          0   IO-APIC   9-fasteoi   acpi
NMI:          0   Non-maskable interrupts
LOC:      10253   Local timer interrupts
SPU:          0   Spurious interrupts
RES:          0   Rescheduling interrupts
ERR:          0
MIS:          0
I
expect interrupts-one-cpu 10253 "$d" interrupts "$tmp/irq1"
cat >"$tmp/irq2" <<'I'
           CPU0       CPU1       
  4:        310          0   IO-APIC   4-edge      ttyS0
 24:          0         17   PCI-MSIX-0000:00:02.0   0-edge      virtio0-config
NMI:          0          0   Non-maskable interrupts
LOC:       5012       4870   Local timer interrupts
RES:        120         95   Rescheduling interrupts
CAL:        300        280   Function call interrupts
ERR:          0
MIS:          0
I
expect interrupts-two-cpus 9882 "$d" interrupts "$tmp/irq2"
printf '           CPU0       CPU1\nNMI:          0          0   Non-maskable interrupts\n' >"$tmp/irq3"
expect interrupts-no-loc -1 "$d" interrupts "$tmp/irq3"
printf '           CPU0       CPU1\nLOC:       5012\n' >"$tmp/irq4"
expect interrupts-short-loc -1 "$d" interrupts "$tmp/irq4"
[ "$fails" -eq 0 ] && echo ok
exit $((fails > 0))
