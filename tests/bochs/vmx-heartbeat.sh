#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Twin mode under the VMX backend: Bochs (scripts/bochs-run) with its Intel model
# corei7_skylake_x (VMX with EPT, VPID, unrestricted guest, preemption timer) on Bochs's i440fx
# machine, where OVMF installs no ACPI tables and has no MMCONFIG. The app picks EPT tables and
# the monitor the VMX backend by the CPU's vendor; the guests' hypercalls are VMCALL. Both
# heartbeat guests progress on their own UARTs, every state check passes (the state VMX does
# not switch itself, SYSCALL MSRs, CR2, DR6, is switched by the backend), and there are at
# least 200 world switches.
#
# The slices end by the VMX preemption timer: Bochs 2.7 holds a host interrupt back while the
# guest's RFLAGS.IF is clear, and these guests never set IF (docs/bochs.md).
. "$(dirname "$0")/heartbeat-lib.sh"

bochs_heartbeat_boot corei7_skylake_x
tm_wait_for monitor '^efi: EPT nested page tables \(VMX backend\)' 300
tm_wait_for monitor '^vmx: VMX revision 0x[0-9a-f]+, EPT .*preemption timer yes' 300
bochs_heartbeat_judge
echo "ok: $((a + b)) switches (a $a, b $b), $intr of them at an intr exit (the preemption timer or a host interrupt), $((SECONDS - start))s"
