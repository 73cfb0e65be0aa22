#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Each class of broken config exits 1 with its exact FILE:LINE:COLUMN: message on stderr and
# nothing on stdout, with or without a machine to plan on (a file is validated before it is
# planned). The files are written here, so each message names a known line and column.
. "$(dirname "$0")/lib.sh"

# bad NAME CONTENT EXPECTED: CONTENT is printf'd (\n, \\, \xff); EXPECTED is the stderr with
# @ for the file's path.
bad() {
  local name=$1 file=$TC_TMP/$1.conf want
  printf "$2" >"$file"
  want=${3//@/$file}
  for machine in "" "--ram 2G" "--memmap $MAP1G"; do
    # shellcheck disable=SC2086 # the option and its value are two words
    tc_run "$file" $machine
    tc_expect_rc 1 "$name $machine"
    tc_expect_out_empty "$name $machine"
    tc_expect_err_is "$want" "$name $machine"
  done
}

A='[global]\nmode = a-alone\n[guest a]\nkernel = \\\\a.elf\n'

bad unknown-key "$A"'kernal = \\\\b.elf\n' \
  "@:5:1: unknown key 'kernal' in [guest a]; expected one of name, kernel, initrd, cmdline, \
format, memory, low-memory, mem-min, mem-max, ports, uarts, pci, irqs, on-reset, apic, cpus"
bad bad-unit '[global]\nmode = a-alone\ntimeout = 5s\n[guest a]\nkernel = \\\\a.elf\n' \
  "@:3:11: timeout: unexpected 's' after the number 5; expected a number of seconds 0..3600"
bad end-of-line-comment '[global]\nmode = a-alone\ntimeout = 5   # seconds\n[guest a]\n'\
'kernel = \\\\a.elf\n' \
  "@:3:11: timeout: unexpected '   # seconds' after the number 5; expected a number of \
seconds 0..3600"
bad unknown-section "$A"'[guest c]\nkernel = \\\\c.elf\n' \
  "@:5:1: unknown section '[guest c]'; expected [global], [guest a] or [guest b]"
bad repeated-key "$A"'kernel = \\\\b.elf\n' \
  "@:5:1: duplicate key 'kernel' in [guest a]; the first is on line 4"
bad relative-path '[global]\nmode = a-alone\n[guest a]\nkernel = vmlinuz\n' \
  "@:4:10: kernel: expected an absolute path on the ESP like \\EFI\\twinmon\\vmlinuz, found \
'vmlinuz'"
bad missing-kernel '[global]\nmode = a-alone\n[guest a]\nname = x\n' \
  "@:3:1: [guest a]: missing key 'kernel'; expected a line like kernel = \\EFI\\twinmon\\vmlinuz"
bad invalid-utf8 "$A"'name = A\xff\n' \
  "@:5:9: invalid UTF-8 byte 0xff; the file must be UTF-8 text"
bad mem-max-4g "$A"'mem-max = 4G\n' \
  "@:5:11: mem-max: '4G' is not the last byte of a 4K page; mem-max is inclusive, did you \
mean 0xffffffff?"
bad memory-overlap '[guest a]\nkernel = \\\\a\nmemory = 0x100000-0x1fffffff\n[guest b]\n'\
'kernel = \\\\b\nmemory = 0x10000000-0x2fffffff\n' \
  "@:6:10: memory: 0x10000000-0x2fffffff overlaps guest a's memory 0x100000-0x1fffffff on \
line 3"
bad port-conflict '[guest a]\nkernel = \\\\a\nports = 0x2f8\n[guest b]\nkernel = \\\\b\n'\
'uarts = com2\n' \
  "@:6:9: uarts: com2 (0x2f8-0x2ff) overlaps 0x2f8 of guest a on line 3"
bad irq-conflict '[guest a]\nkernel = \\\\a\nuarts = com1\n[guest b]\nkernel = \\\\b\n'\
'uarts = com3\n' \
  "@:6:9: uarts: IRQ 4 of com3 is also given to guest a (com1 on line 3)"
bad pci-conflict '[guest a]\nkernel = \\\\a\npci = 00:02.0, 00:1f.2\n[guest b]\n'\
'kernel = \\\\b\npci = 00:1f.3, 00:1f.2\n' \
  "@:6:16: pci: 00:1f.2 is also given to guest a on line 3"
bad log-port "$A"'ports = 0xe0-0xef\n' \
  "@:5:9: ports: 0xe0-0xef overlaps the monitor's log port (debugcon 0xe9, the default)"
bad low-memory-sum '[guest a]\nkernel = \\\\a\nlow-memory = 384K\n[guest b]\nkernel = \\\\b\n'\
'low-memory = 384K\n' \
  "@:6:14: low-memory: 384K and guest a's 384K on line 3 add up to more than the 640K below \
0xa0000"
bad cascade-irq "$A"'irqs = 2\n' \
  "@:5:8: irqs: IRQ 2 is the cascade between the two PICs and cannot be given to a guest"
bad cpus-partial-overlap '[guest a]\nkernel = \\\\a\ncpus = 0-1\n[guest b]\nkernel = \\\\b\n'\
'cpus = 1 - 2\n' \
  "@:6:8: cpus: guest b's cpus 1-2 overlap guest a's 0-1 (line 3) only in part: list the same \
CPUs (time-sharing) or disjoint ones (each guest its own cores)"
# Without cpus a guest is on CPU 0: the error is at the later of the key and that section.
bad cpus-default-overlap '[guest a]\nkernel = \\\\a\ncpus = 0,2\n[guest b]\nkernel = \\\\b\n' \
  "@:4:1: cpus: guest b's cpus 0 (the default) overlap guest a's 0, 2 (line 3) only in part: \
list the same CPUs (time-sharing) or disjoint ones (each guest its own cores)"
bad cpus-twice "$A"'cpus = 0-3, 2\n' "@:5:13: cpus: CPU 2 is listed twice"
bad cpus-reversed "$A"'cpus = 3-1\n' "@:5:10: cpus: range end '1' is below its start '3'"
bad cpus-range "$A"'cpus = 64\n' "@:5:8: cpus: CPU '64' is out of range; expected 0..63"
bad cpus-none "$A"'cpus = none\n' \
  "@:5:8: cpus: a guest needs at least one CPU; expected a CPU like 1 or a range like 0-3, \
found 'none'"
bad cpus-empty-item "$A"'cpus = 1,,2\n' \
  "@:5:10: cpus: expected a CPU like 1 or a range like 0-3, found ','"
bad cpus-nine "$A"'cpus = 0-8\n' "@:5:8: cpus: more than 8 CPUs; a guest has at most 8 vCPUs"
# A problem with the whole file has no position: FILE: message.
bad missing-guest-b '[guest a]\nkernel = \\\\a\n' \
  "@: mode twin (the default) needs [guest b]; add it or set mode = a-alone"
# Several problems: all of them, in file order.
bad several '[global]\nmode = a-alone\nslice = 12q\n[guest a]\nkernel = \\\\a\ncolour = blue\n' \
  "@:3:9: slice: unexpected 'q' after the number 12; expected a time slice like 10ms, 500us \
or 2000 (microseconds)
@:6:1: unknown key 'colour' in [guest a]; expected one of name, kernel, initrd, cmdline, \
format, memory, low-memory, mem-min, mem-max, ports, uarts, pci, irqs, on-reset, apic, cpus"

# A file that cannot be read is an invalid file too.
tc_run "$TC_TMP/no-such.conf" --ram 2G
tc_expect_rc 1 "unreadable file"
tc_expect_out_empty "unreadable file"
tc_expect_err_is "$TC_TMP/no-such.conf: cannot read: No such file or directory" "unreadable file"

# One bad file among good ones: the good one is still shown, the status is 1.
tc_run guest-config/examples/demo.conf "$TC_TMP/cascade-irq.conf" --ram 2G
tc_expect_rc 1 "good and bad file"
tc_expect_out_has '^guest-config/examples/demo.conf: valid$' "good and bad file"
tc_expect_err_is "$TC_TMP/cascade-irq.conf:5:8: irqs: IRQ 2 is the cascade between the two \
PICs and cannot be given to a guest" "good and bad file"
tc_done
