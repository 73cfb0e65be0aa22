# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
#
# twinmon-install's functions, sourced by it (from beside it in the tree and the build, from
# /usr/lib/twinmon in the Debian package): finding the ESP, the manifest, what may be
# replaced, uninstall and the kernel refresh. They use the globals twinmon-install sets (ESP,
# ROOT, MANIFEST, DRY_RUN, FORCE, GIVEN, ...); the install's flow stays in twinmon-install.

usage() {
  cat <<'EOF'
usage: twinmon-install [--esp DIR] [--root DIR] [--efi FILE] [--config FILE]
                       [--guest-a-kernel FILE] [--guest-a-initrd FILE]
                       [--guest-b-kernel FILE] [--guest-b-initrd FILE]
                       [--follow-kernel] [--no-grub] [--no-systemd-boot] [--firmware-entry]
                       [--force] [--dry-run]
       twinmon-install --uninstall [--esp DIR] [--root DIR] [--dry-run]
       twinmon-install --refresh-kernels [--esp DIR] [--root DIR] [--dry-run]
  Install twinmon.efi into EFI/twinmon/ on the EFI system partition, a config when the ESP has
  none (never overwritten), the guest kernels and initrds given, and a boot entry for each
  boot loader found: systemd-boot (loader/entries/twinmon.conf), GRUB (/etc/grub.d/42_twinmon,
  then update-grub), and with --firmware-entry a UEFI boot entry (efibootmgr).
  --esp DIR          the ESP's mount point (default: for --uninstall and --refresh-kernels the
                     one the last install used, as /var/lib/twinmon/esp records it; else
                     /boot/efi, /efi, or the mounted partition of the ESP type, as bootctl
                     finds it)
  --root DIR         the system root holding /etc/grub.d, /var/lib/twinmon and the default ESP
                     mount points (default /); with it no mounted partition is looked up
  --efi FILE         the app to install (default: twinmon.efi next to this tool's build, or
                     ../lib/twinmon/twinmon.efi from it: /usr/lib/twinmon/twinmon.efi)
  --config FILE      the config to install when the ESP has none (default: a skeleton that
                     runs the guests whose kernels are given)
  --guest-a-kernel FILE, --guest-a-initrd FILE, --guest-b-kernel FILE, --guest-b-initrd FILE
                     host files copied to the ESP paths the config names for them
  --follow-kernel    the guests whose kernels are given as /boot/vmlinuz-VERSION (initrds
                     as /boot/initrd.img-VERSION) follow the newest kernel in /boot: the
                     kernel hook runs --refresh-kernels after each kernel install
  --refresh-kernels  copy the newest /boot/vmlinuz-VERSION (and its initrd.img-VERSION) to
                     the guests that follow it, checked first; nothing to do is no error
  --no-grub, --no-systemd-boot   add no entry for that loader even when it is there
  --firmware-entry   also add a UEFI boot entry "twinmon" with efibootmgr
  --force            replace files twinmon-install did not write (refused without it);
                     --uninstall leaves them
  --uninstall        remove what earlier installs added (their manifest), nothing else
  --dry-run          print every step, change nothing
Exit status: 0 done, 1 refused (nothing changed) or failed, 2 usage error.
EOF
}

die() { echo "$PROG: $*" >&2; exit 1; }
usage_error() { echo "$PROG: $*" >&2; usage >&2; exit 2; }
# A step: said, then done unless this is a dry run.
step() {
  if [ "$DRY_RUN" = 1 ]; then
    echo "would: $*"
  else
    echo "$PROG: $*"
  fi
}

sha() { sha256sum "$1" | cut -d' ' -f1; }

# DIR/REL with each component that exists matched as FAT matches names (case ignored), the
# rest as written.
ci_path() {
  local path=$1 comp m
  local -a comps
  IFS=/ read -ra comps <<<"$2"
  for comp in "${comps[@]}"; do
    m=
    [ -d "$path" ] && m=$(find "$path" -mindepth 1 -maxdepth 1 -iname "$comp" -print -quit)
    path=${m:-$path/$comp}
  done
  echo "$path"
}

# ---- the ESP ---------------------------------------------------------------------------------
# As bootctl looks: the usual mount points (Debian's /boot/efi, then /efi), then whatever
# partition of the ESP type is mounted. A mount point counts when it holds EFI/ (an unmounted
# one is an empty folder).
find_esp() {
  local d mnt parttype
  for d in "$ROOT/boot/efi" "$ROOT/efi"; do
    if [ -d "$d" ] && [ -d "$(ci_path "$d" EFI)" ]; then
      echo "$d"
      return 0
    fi
  done
  [ -z "$ROOT" ] || return 1
  command -v lsblk >/dev/null || return 1
  while read -r parttype mnt; do
    if [ "${parttype,,}" = "$ESP_GUID" ] && [ -n "$mnt" ]; then
      echo "$mnt"
      return 0
    fi
  done < <(lsblk -rno PARTTYPE,MOUNTPOINT 2>/dev/null)
  return 1
}

# The ESP the last install used (/var/lib/twinmon/esp), when it is still a folder: an ESP given
# with --esp is not where find_esp looks, and the kernel hook gives none.
recorded_esp() {
  local d
  [ -f "$ESP_RECORD" ] || return 1
  d=$(head -n 1 "$ESP_RECORD")
  [ -n "$d" ] && [ -d "$d" ] || return 1
  echo "$d"
}

record_esp() {
  step "record the ESP $ESP in $ESP_RECORD"
  [ "$DRY_RUN" = 1 ] && return 0
  mkdir -p "$(dirname "$ESP_RECORD")"
  realpath "$ESP" >"$ESP_RECORD.twinmon-new"
  mv -f "$ESP_RECORD.twinmon-new" "$ESP_RECORD"
}

# ---- the manifest ------------------------------------------------------------------------------
# Its lines: "file SHA256 ESP-PATH" (written by twinmon-install, removed at uninstall),
# "replaced SHA256 ESP-PATH" (there before, replaced under --force or already identical: left at
# uninstall), "grub ROOT-PATH" / "grub-replaced ROOT-PATH" (the same for the GRUB snippet),
# "firmware-entry BOOTNUM", "follow GUEST kernel|initrd". It is rewritten after every step
# (man_write), so a failure part-way leaves a manifest that names all that was written.
declare -a MAN=()
man_load() {
  MAN=()
  if [ -f "$MANIFEST" ]; then
    mapfile -t MAN < <(grep -v '^#' "$MANIFEST" || true)
  fi
}

man_write() {
  [ "$DRY_RUN" = 1 ] && return 0
  mkdir -p "$(dirname "$MANIFEST")"
  {
    echo "# twinmon-install: what it put on this ESP; twinmon-install --uninstall removes it."
    [ ${#MAN[@]} = 0 ] || printf '%s\n' "${MAN[@]}"
  } >"$MANIFEST.twinmon-new"
  mv -f "$MANIFEST.twinmon-new" "$MANIFEST"
}

# The manifest's line for NAME (an ESP path for file/replaced, a root path for grub), if any.
man_find() {
  local l
  for l in "${MAN[@]}"; do
    case $l in
      "file "*" $1"|"replaced "*" $1"|"grub $1"|"grub-replaced $1") echo "$l"; return 0 ;;
    esac
  done
  return 1
}

# Record a file written: NAME's line replaced (keeping its kind: a file that was not ours stays
# not ours), or a new line, "replaced" when it was there before.
man_file() {  # SHA NAME
  local i kind=file
  [ -z "${REPLACED[$2]:-}" ] || kind=replaced
  for i in "${!MAN[@]}"; do
    case ${MAN[$i]} in
      "file "*" $2") MAN[i]="file $1 $2"; man_write; return ;;
      "replaced "*" $2") MAN[i]="replaced $1 $2"; man_write; return ;;
    esac
  done
  MAN+=("$kind $1 $2")
  man_write
}

man_add() {  # LINE: added unless there
  local l
  for l in "${MAN[@]}"; do [ "$l" != "$1" ] || return 0; done
  MAN+=("$1")
  man_write
}

# May DEST (NAME in the manifest) be replaced by the file NEW? Yes when it is not there or the
# manifest lists it; a file that is identical, or any under --force, is replaced but recorded as
# not ours (REPLACED). Anything else is refused before the first write.
declare -A REPLACED=()
claim() {  # DEST NEW NAME
  local dest=$1 new=$2 name=$3
  [ -e "$dest" ] || [ -L "$dest" ] || return 0
  [ ! -d "$dest" ] || die "$dest is a folder, where twinmon-install would write a file: nothing changed"
  man_find "$name" >/dev/null && return 0
  REPLACED[$name]=1
  if cmp -s "$dest" "$new"; then
    echo "$PROG: $dest is there already, identical, but not twinmon-install's: --uninstall will leave it"
  elif [ "$FORCE" = 1 ]; then
    echo "$PROG: $dest is not twinmon-install's: replacing it (--force); --uninstall will leave it"
  else
    die "$dest exists and twinmon-install did not write it: nothing changed (move it away, or --force replaces it and --uninstall then leaves it)"
  fi
}

# ---- uninstall ---------------------------------------------------------------------------------
# The firmware's boot entry NUM is ours only while its label is still twinmon: boot numbers
# are reused once an entry is deleted.
fw_entry_is_twinmon() {
  efibootmgr 2>/dev/null | grep -Eq "^Boot$1\\*? twinmon([[:space:]]|\$)"
}

# A file changed since it was installed is kept and named.
uninstall() {
  local kind a b path grub_changed=0
  [ -f "$MANIFEST" ] || die "nothing to uninstall: $ESP has no $MANIFEST_REL"
  while read -r kind a b; do
    # A manifest is twinmon-install's, but a path in it still never leads off the ESP or root.
    case "/$a/$b/" in
      */../*) echo "$PROG: manifest line '$kind $a $b' leads off the ESP: skipped" >&2; continue ;;
    esac
    case $kind in
      file)
        path=$ESP/$b
        if [ ! -e "$path" ]; then
          echo "$PROG: $path: already gone"
        elif [ "$(sha "$path")" != "$a" ]; then
          echo "$PROG: $path: changed since it was installed, kept"
        else
          step "remove $path"
          [ "$DRY_RUN" = 1 ] || rm -f "$path"
        fi ;;
      replaced)
        echo "$PROG: $ESP/$b: was there before twinmon-install, kept" ;;
      grub)
        path=$ROOT/$a
        if [ -f "$path" ] && grep -q "^# twinmon-install:" "$path"; then
          step "remove $path"
          [ "$DRY_RUN" = 1 ] || rm -f "$path"
          grub_changed=1
        fi ;;
      grub-replaced)
        echo "$PROG: $ROOT/$a: was there before twinmon-install, kept" ;;
      firmware-entry)
        if ! fw_entry_is_twinmon "$a"; then
          echo "$PROG: UEFI boot entry Boot$a is no longer labelled twinmon (or efibootmgr cannot list it): kept"
          continue
        fi
        step "remove UEFI boot entry Boot$a (efibootmgr -b $a -B)"
        if [ "$DRY_RUN" = 0 ]; then
          efibootmgr -q -b "$a" -B || echo "$PROG: efibootmgr could not remove Boot$a" >&2
        fi ;;
    esac
  done < <(grep -v '^#' "$MANIFEST" || true)
  if [ "$grub_changed" = 1 ] && [ "$DRY_RUN" = 0 ]; then
    run_update_grub || echo "$PROG: warning: GRUB's menu is not regenerated: run update-grub" >&2
  fi
  step "remove $MANIFEST"
  if [ "$DRY_RUN" = 0 ]; then
    rm -f "$MANIFEST"
    # Folders only when empty: anything else in them is not ours.
    rmdir "$(dirname "$MANIFEST")" 2>/dev/null || true
  fi
  if [ -f "$ESP_RECORD" ] && [ "$(head -n 1 "$ESP_RECORD")" = "$(realpath "$ESP")" ]; then
    step "remove $ESP_RECORD"
    if [ "$DRY_RUN" = 0 ]; then
      rm -f "$ESP_RECORD"
      rmdir "$(dirname "$ESP_RECORD")" 2>/dev/null || true
    fi
  fi
  if [ "$DRY_RUN" = 1 ]; then
    echo "$PROG: dry run: nothing changed"
  else
    echo "$PROG: uninstalled"
  fi
}

# GRUB's menu regenerated: TWINMON_UPDATE_GRUB when set (for a --root, e.g. "chroot DIR
# update-grub"), else update-grub on this system only.
run_update_grub() {
  if [ -n "${TWINMON_UPDATE_GRUB:-}" ]; then
    # Word-split on purpose: a command with its arguments.
    # shellcheck disable=SC2086
    $TWINMON_UPDATE_GRUB
  elif [ -z "$ROOT" ] && command -v update-grub >/dev/null; then
    update-grub
  else
    echo "$PROG: run update-grub for GRUB's menu to follow"
  fi
}

# ---- what to install ---------------------------------------------------------------------------
# --refresh-kernels: the guests the manifest says follow the kernel get the newest in /boot.
# GIVEN is twinmon-install's associative array.
# shellcheck disable=SC2004
# GIVEN is twinmon-install's associative array.
# shellcheck disable=SC2004
refresh_given() {
  local kind g role newest
  [ -f "$MANIFEST" ] || { echo "$PROG: $ESP has no $MANIFEST_REL: no guest kernel to refresh"; exit 0; }
  [ -e "$(ci_path "$ESP" "$CONF_REL")" ] || die "$ESP has no $CONF_REL: install twinmon first"
  newest=$(find "$ROOT/boot/" -maxdepth 1 -name 'vmlinuz-*' -printf '%f\n' 2>/dev/null |
             sed 's/^vmlinuz-//' | sort -V | tail -n 1)
  while read -r kind g role; do
    [ "$kind" = follow ] || continue
    [ -n "$newest" ] || die "guest $g follows the kernel, but $ROOT/boot has no vmlinuz-*"
    if [ "$role" = kernel ]; then
      GIVEN[$g kernel]=$ROOT/boot/vmlinuz-$newest
    else
      GIVEN[$g initrd]=$ROOT/boot/initrd.img-$newest
    fi
  done < <(grep -v '^#' "$MANIFEST" || true)
  if [ ${#GIVEN[@]} = 0 ]; then
    echo "$PROG: no guest follows the kernel (twinmon-install --follow-kernel): nothing to refresh"
    exit 0
  fi
  echo "$PROG: refreshing the guests that follow the kernel with $newest"
}

# A config for the guests whose kernels are given: the user edits it afterwards.
skeleton() {
  local g mode=twin n=0
  [ -n "${GIVEN[a kernel]:-}" ] && n=$((n + 1))
  [ -n "${GIVEN[b kernel]:-}" ] && n=$((n + 1))
  [ $n -gt 0 ] || die "$ESP has no $CONF_REL: give --config FILE or the kernels of the guests (--guest-a-kernel FILE, ...) for a skeleton"
  if [ $n = 1 ]; then
    if [ -n "${GIVEN[a kernel]:-}" ]; then mode="a-alone"; else mode="b-alone"; fi
  fi
  cat <<EOF
# twinmon's config (docs/config.md), written by twinmon-install as a starting point.
# Check it with: twinmon-check --esp $ESP

[global]
mode = $mode
timeout = 5
EOF
  for g in a b; do
    [ -n "${GIVEN[$g kernel]:-}" ] || continue
    printf '\n[guest %s]\nkernel = \\EFI\\twinmon\\vmlinuz-%s\n' "$g" "$g"
    [ -n "${GIVEN[$g initrd]:-}" ] && printf 'initrd = \\EFI\\twinmon\\initrd-%s.img\n' "$g"
    printf 'cmdline = panic=-1\n'
    printf '# memory = 2G\n# uarts = com%s\n' "$([ "$g" = a ] && echo 1 || echo 2)"
  done
}

sdboot_entry() {
  printf 'title   %s\nefi     /%s\n' "$ENTRY_TITLE" "$EFI_REL"
}

grub_snippet() {
  cat <<EOF
#!/bin/sh
# twinmon-install: a GRUB menu entry that chainloads twinmon (twin mode) from the ESP.
# twinmon-install --uninstall removes this file.
set -e
cat <<'ENTRY'
menuentry '$ENTRY_TITLE' --class efi {
	insmod part_gpt
	insmod fat
	insmod chain
	search --no-floppy --file --set=root /$EFI_REL
	chainloader /$EFI_REL
}
ENTRY
EOF
}

# The number of the firmware's boot entry labelled twinmon in efibootmgr's list, if any.
twinmon_bootnum() {
  sed -n 's/^Boot\([0-9A-Fa-f]\{4\}\)\*\{0,1\} twinmon\([[:space:]].*\)\{0,1\}$/\1/p' | tail -n 1
}

# Copy SRC over DEST (NAME in the manifest) by way of DEST.twinmon-new, then record it. A
# copy that fails leaves no .twinmon-new behind (the EXIT trap removes PENDING).
PENDING=
put_file() {  # SRC DEST NAME
  mkdir -p "$(dirname "$2")"
  PENDING=$2.twinmon-new
  cp "$1" "$PENDING"
  mv -f "$PENDING" "$2"
  PENDING=
  man_file "$(sha "$2")" "$3"
}
