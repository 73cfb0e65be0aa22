#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The guest ACPI tables (partition/acpi.c) as ACPICA sees them: the unit test writes the tables
# of its two-UART build (PM timer at 0x608, LAPIC ID 3) to a folder, then iasl disassembles each
# (no error or warning, the fields the guest platform needs), recompiles the disassembly to the
# same bytes (header checksum and compiler ID aside), and acpiexec loads FADT+MADT+DSDT and
# evaluates a UART's _CRS; the MADTs of 4- and 8-vCPU guests list one processor each. The RSDP
# is checked by the unit test only: iasl 20200925 refuses a bare RSDP file ("does not contain
# a valid ACPI table"). Needs Debian's acpica-tools.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
TEST=$BUILD/asan/bin/test_partition_acpi
TEST_PCI=$BUILD/asan/bin/test_partition_acpi_pci
TEST_MADT=$BUILD/asan/bin/test_partition_acpi_madt

for tool in iasl acpiexec; do
  if ! command -v "$tool" >/dev/null; then
    echo "FAIL: $tool is missing: install Debian's acpica-tools (apt-get install acpica-tools)"
    exit 1
  fi
done
for t in "$TEST" "$TEST_PCI" "$TEST_MADT"; do
  if [ ! -x "$t" ]; then
    echo "FAIL: $t is missing; run make tests first"
    exit 1
  fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/twinmon-acpi-iasl.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fails=0
checks=0

fail() {
  fails=$((fails + 1))
  echo "FAIL: $*"
}

# has FILE REGEX WHAT: a line of FILE matches (grep -E).
has() {
  checks=$((checks + 1))
  grep -qE -- "$2" "$1" || fail "$3: no line matching '$2' in $(basename "$1")"
}

# lacks FILE REGEX WHAT: no line of FILE matches (grep -Ei).
lacks() {
  checks=$((checks + 1))
  if grep -qEi -- "$2" "$1"; then
    fail "$3: $(basename "$1") has:"
    grep -Ei -- "$2" "$1" | head -n 5 | sed 's/^/  /'
  fi
}

for t in "$TEST" "$TEST_PCI" "$TEST_MADT"; do
  if ! TWINMON_ACPI_DUMP_DIR=$tmp "$t" >"$tmp/unit.log" 2>&1; then
    cat "$tmp/unit.log"
    echo "FAIL: $t failed"
    exit 1
  fi
done

# ACPICA flags bad checksums, lengths and AML in comments of the disassembly, not in its exit
# status alone, so both the log and the .dsl are searched.
problems='error|warning|invalid|incorrect|unknown|terminates'
for t in xsdt facp apic dsdt irq-facp irq-apic irq-dsdt pci-xsdt pci-mcfg pci-dsdt smp-apic \
  smp-x2apic; do
  if [ ! -s "$tmp/$t.dat" ]; then
    fail "$t.dat was not written"
    continue
  fi
  checks=$((checks + 1))
  (cd "$tmp" && iasl -d "$t.dat") >"$tmp/$t.dis.log" 2>&1 || fail "iasl -d $t.dat failed"
  lacks "$tmp/$t.dis.log" "$problems" "iasl -d $t.dat"
  lacks "$tmp/$t.dsl" "$problems" "disassembly of $t.dat"

  # Round trip without optimizations (iasl would shorten \_SB_ and 1 otherwise).
  checks=$((checks + 1))
  if (cd "$tmp" && iasl -oa -p "rt-$t" "$t.dsl") >"$tmp/$t.asl.log" 2>&1; then
    lacks "$tmp/$t.asl.log" '[1-9][0-9]* (errors|warnings)' "iasl $t.dsl"
    # Bytes 9 (checksum) and 28-35 (creator ID and revision) are the compiler's own.
    if ! cmp -s <(head -c 9 "$tmp/$t.dat") <(head -c 9 "$tmp/rt-$t.aml") ||
       ! cmp -s <(head -c 28 "$tmp/$t.dat" | tail -c +11) \
                <(head -c 28 "$tmp/rt-$t.aml" | tail -c +11) ||
       ! cmp -s <(tail -c +37 "$tmp/$t.dat") <(tail -c +37 "$tmp/rt-$t.aml"); then
      fail "$t: recompiled disassembly differs from the table"
      cmp -l "$tmp/$t.dat" "$tmp/rt-$t.aml" | head -n 5 | sed 's/^/  /'
    fi
  else
    fail "iasl could not recompile $t.dsl"
    sed 's/^/  /' "$tmp/$t.asl.log"
  fi
done

f=$tmp/facp.dsl
has "$f" 'Revision : 06' FADT
has "$f" 'Table Length : 00000114' FADT
has "$f" 'Hardware Reduced \(V5\) : 1' FADT
has "$f" 'Use APIC Physical Destination Mode \(V4\) : 1' FADT
has "$f" 'VGA Not Present \(V4\) : 1' FADT
has "$f" 'CMOS RTC Not Present \(V5\) : 1' FADT
has "$f" 'Legacy Devices Supported \(V2\) : 0' FADT
has "$f" '8042 Present on ports 60/64 \(V2\) : 0' FADT
has "$f" 'PM Timer Block Address : 00000608' FADT
has "$f" 'PM Timer Block Length : 04' FADT
has "$f" '32-bit PM Timer \(V1\) : 0' FADT
has "$f" 'FACS Address : 00000000' FADT

m=$tmp/apic.dsl
has "$m" 'Local Apic Address : FEE00000' MADT
has "$m" 'PC-AT Compatibility : 0' MADT
has "$m" 'Subtable Type : 00 \[Processor Local APIC\]' MADT
has "$m" 'Local Apic ID : 03' MADT
has "$m" 'Processor Enabled : 1' MADT
lacks "$m" 'I/O APIC' MADT

d=$tmp/dsdt.dsl
has "$d" 'DefinitionBlock \("", "DSDT", 2, "TWINMN"' DSDT
has "$d" 'Scope \(\\_SB\)' DSDT
has "$d" 'Device \(COM1\)' DSDT
has "$d" 'Device \(COM2\)' DSDT
has "$d" 'Name \(_HID, EisaId \("PNP0501"\)' DSDT
has "$d" 'Name \(_UID, 0x02\)' DSDT
has "$d" '0x03F8, +// Range Minimum' DSDT
has "$d" '0x02F8, +// Range Maximum' DSDT
has "$d" '0x08, +// Length' DSDT
lacks "$d" 'IRQ|Interrupt' DSDT
checks=$((checks + 1))
[ "$(grep -c 'PNP0501' "$d")" = 2 ] || fail "DSDT: expected 2 PNP0501 devices"

x=$tmp/xsdt.dsl
has "$x" 'ACPI Table Address +0 : ' XSDT
has "$x" 'ACPI Table Address +1 : ' XSDT
lacks "$x" 'ACPI Table Address +2' XSDT

# The build for a guest that owns device lines: an I/O APIC, COM1 on IRQ 4, a reset register.
f=$tmp/irq-facp.dsl
has "$f" 'Reset Register Supported \(V2\) : 1' FADT-irq
has "$f" 'Address : 0000000000000CF9' FADT-irq
has "$f" 'Value to cause reset : 06' FADT-irq
m=$tmp/irq-apic.dsl
has "$m" 'Subtable Type : 01 \[I/O APIC\]' MADT-irq
has "$m" 'I/O Apic ID : 01' MADT-irq
has "$m" 'Address : FEC00000' MADT-irq
has "$m" 'Interrupt : 00000000' MADT-irq
d=$tmp/irq-dsdt.dsl
has "$d" 'IRQNoFlags \(\)' DSDT-irq
checks=$((checks + 1))
[ "$(grep -c 'IRQNoFlags' "$d")" = 1 ] || fail "DSDT-irq: expected one IRQNoFlags (COM1 only)"
checks=$((checks + 1))
(cd "$tmp" && timeout 60 acpiexec -b 'evaluate \_SB.COM1._CRS' irq-facp.dat irq-apic.dat \
  irq-dsdt.dat) >"$tmp/exec-irq.log" 2>&1 || fail "acpiexec (irq) failed"
has "$tmp/exec-irq.log" '47 01 F8 03 F8 03 00 08 22 10 00 79 00' 'acpiexec COM1._CRS with IRQ 4'
lacks "$tmp/exec-irq.log" 'exception|error|warning' 'acpiexec (irq)'

# SMP guests: one enabled processor entry per vCPU, APIC IDs and UIDs 0..n-1.
m=$tmp/smp-apic.dsl
for k in 0 1 2 3; do
  has "$m" "Processor ID : 0$k" MADT-smp
  has "$m" "Local Apic ID : 0$k" MADT-smp
done
checks=$((checks + 1))
[ "$(grep -c 'Subtable Type : 00 \[Processor Local APIC\]' "$m")" = 4 ] ||
  fail "MADT-smp: expected 4 local APIC entries"
checks=$((checks + 1))
[ "$(grep -c 'Processor Enabled : 1' "$m")" = 4 ] || fail "MADT-smp: expected 4 enabled CPUs"
has "$m" 'Subtable Type : 01 \[I/O APIC\]' MADT-smp
m=$tmp/smp-x2apic.dsl
has "$m" 'Processor x2Apic ID : 00000007' MADT-smp-x2apic
has "$m" 'Processor UID : 00000007' MADT-smp-x2apic
checks=$((checks + 1))
[ "$(grep -c 'Subtable Type : 09 \[Processor Local x2APIC\]' "$m")" = 8 ] ||
  fail "MADT-smp-x2apic: expected 8 local x2APIC entries"

# The build for a guest that owns PCI functions: MCFG, and PCI0 with windows and _PRT.
m=$tmp/pci-mcfg.dsl
has "$m" 'Base Address : 00000000B0000000' MCFG
has "$m" 'Segment Group Number : 0000' MCFG
has "$m" 'End Bus Number : 02' MCFG
has "$tmp/pci-xsdt.dsl" 'ACPI Table Address +2 : ' XSDT-pci
d=$tmp/pci-dsdt.dsl
has "$d" 'Device \(PCI0\)' DSDT-pci
has "$d" 'Name \(_HID, EisaId \("PNP0A08"\)' DSDT-pci
has "$d" 'Name \(_CID, EisaId \("PNP0A03"\)' DSDT-pci
has "$d" 'WordBusNumber \(ResourceProducer, MinFixed, MaxFixed, PosDecode,' DSDT-pci
has "$d" 'DWordMemory \(ResourceProducer, PosDecode, MinFixed, MaxFixed, NonCacheable, ReadWrite,' DSDT-pci
has "$d" 'QWordMemory \(ResourceProducer, PosDecode, MinFixed, MaxFixed, Prefetchable, ReadWrite,' DSDT-pci
has "$d" 'WordIO \(ResourceProducer, MinFixed, MaxFixed, PosDecode, EntireRange,' DSDT-pci
has "$d" 'Name \(_PRT, Package \(0x02\)' DSDT-pci
has "$d" '0x0010FFFF, ' DSDT-pci

# ACPICA loads the namespace (acpiexec makes its own RSDP and XSDT) and runs _CRS.
checks=$((checks + 1))
(cd "$tmp" && timeout 60 acpiexec -b 'evaluate \_SB.COM1._CRS' facp.dat apic.dat dsdt.dat) \
  >"$tmp/exec.log" 2>&1 || fail "acpiexec failed"
has "$tmp/exec.log" 'tables successfully acquired and loaded' acpiexec
has "$tmp/exec.log" '47 01 F8 03 F8 03 00 08 79 00' 'acpiexec COM1._CRS'
lacks "$tmp/exec.log" 'exception|error|warning' acpiexec

if [ "$fails" -ne 0 ]; then
  echo "acpi-iasl: $fails of $checks checks failed"
  exit 1
fi
echo "acpi-iasl: $checks checks passed"
