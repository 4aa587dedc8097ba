#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make iso: a bootable x86-64 CD/USB image (GRUB 2, BIOS and UEFI) that starts Keel by Multiboot2.
#
#   iso.sh BUILD_DIR [CMDLINE]        -> BUILD_DIR/keel.iso (or $ISO_OUT)
#
# grub-mkrescue (Debian grub-common) makes a hybrid image: El Torito for CDs, an MBR for USB
# sticks (dd it to the whole device), GRUB for BIOS (grub-pc-bin) and an EFI system partition
# with GRUB for UEFI (grub-efi-amd64-bin, built with mtools); xorriso writes the ISO 9660.
# grub.cfg boots /boot/keel.elf with "multiboot2" and CMDLINE, at once (timeout 0), and puts
# GRUB's own messages on COM1 as well as the screen, next to the kernel's console.
set -euo pipefail

[ $# -ge 1 ] || { echo "usage: iso.sh BUILD_DIR [CMDLINE]" >&2; exit 2; }
build=$(realpath "$1")
cmdline=${2:-}
die() { echo "iso: $*" >&2; exit 1; }

cfg=$build/.config
[ -f "$cfg" ] || die "no $cfg; run 'make x86_64_defconfig && make' first"
arch=$(sed -n 's/^CONFIG_ARCH="\(.*\)"/\1/p' "$cfg")
if [ "$arch" != x86_64 ]; then
	board=$(sed -n 's/^CONFIG_BOARD="\(.*\)"/\1/p' "$cfg")
	die "make iso is for x86-64 (GRUB + Multiboot2), but $build is ${arch:-?}/${board:-?}.
  Use an x86-64 configuration: make O=<dir> x86_64_defconfig && make O=<dir> iso
  (arm64/riscv64 virt boot through U-Boot: 'make run BOOT=uboot'; the Pi 4: 'make sdimage')"
fi
[ -f "$build/keel.elf" ] || die "$build/keel.elf missing; run 'make' first"
# The command line goes into grub.cfg unquoted: keep to characters GRUB's script reads as-is.
if [[ ! $cmdline =~ ^[A-Za-z0-9\ _=.,:/+-]*$ ]]; then
	die "CMDLINE may only hold letters, digits, spaces and _=.,:/+- (got '$cmdline')"
fi

missing=()
command -v grub-mkrescue >/dev/null || missing+=(grub-common)
[ -d /usr/lib/grub/i386-pc ] || missing+=(grub-pc-bin)
[ -d /usr/lib/grub/x86_64-efi ] || missing+=(grub-efi-amd64-bin)
command -v xorriso >/dev/null || missing+=(xorriso)
command -v mformat >/dev/null || missing+=(mtools)
[ ${#missing[@]} -eq 0 ] ||
	die "missing packages: ${missing[*]}; install them with: sudo apt-get install ${missing[*]}
  (or run scripts/install-deps.sh)"

iso=$(realpath -m "${ISO_OUT:-$build/keel.iso}")
stage=${iso%.iso}-files  # the ISO's file tree, kept for inspection
rm -rf "$stage"
mkdir -p "$stage/boot/grub"
cp "$build/keel.elf" "$stage/boot/keel.elf"
cat >"$stage/boot/grub/grub.cfg" <<EOF
# Keel: GRUB starts the kernel with Multiboot2 (the kernel's 32-bit entry, then long mode).
# The serial console is COM1 at 115200 8N1, as the kernel's; the screen shows GRUB only.
serial --unit=0 --speed=115200
terminal_input serial console
terminal_output serial console
# Video drivers for the EFI framebuffer GRUB hands over ("no suitable video mode" otherwise).
insmod all_video
set timeout=0
set default=0
menuentry "Keel" {
	multiboot2 /boot/keel.elf $cmdline
	boot
}
EOF

log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! grub-mkrescue -o "$iso" "$stage" >"$log" 2>&1; then
	cat "$log" >&2
	die "grub-mkrescue failed"
fi
echo "iso: $iso ($(du -k "$iso" | cut -f1) KiB; GRUB for BIOS and UEFI, cmdline \"$cmdline\")"
