#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Twin mode under Bochs (scripts/bochs-run) with an AMD model, so the SVM backend runs on a
# second emulator of SVM + nested paging besides QEMU's: Bochs's ryzen model (NRIP save, no
# decode assists) on Bochs's i440fx machine, where OVMF installs no ACPI tables and has no
# MMCONFIG. Both heartbeat guests progress on their own UARTs, every state check passes, and
# there are at least 200 world switches.
#
# The switches are not judged against run time / slice as in tests/qemu/twin-heartbeat.sh:
# Bochs 2.7 masks external interrupts for a guest entered with RFLAGS.IF = 0 (VMRUN loads the
# guest's RFLAGS before it counts as in the guest, so the IF change masks INTR as outside SVM),
# and these guests never set IF. The slice's timer interrupt then waits for the guest's next
# exit (an MSR access every unit here), so a slice lasts a unit at least (docs/bochs.md).
. "$(dirname "$0")/heartbeat-lib.sh"

bochs_heartbeat_boot ryzen
tm_wait_for monitor '^svm: SVM revision [0-9]+, [0-9]+ ASIDs, nested paging' 300
bochs_heartbeat_judge
echo "ok: $((a + b)) switches (a $a, b $b), $intr of them on a host interrupt, $((SECONDS - start))s"
