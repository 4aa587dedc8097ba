#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# make sdimage: a Raspberry Pi 4 SD-card image (MBR, one FAT32 partition) that boots Keel via U-Boot.
#
#   sdimage.sh BUILD_DIR [CMDLINE]        -> BUILD_DIR/sdcard.img (or $SDIMAGE_OUT)
#
# The FAT partition gets config.txt, u-boot.bin (Debian u-boot-rpi, $RPI_UBOOT build, default
# rpi_arm64), boot.scr (scripts/uboot/boot.cmd.in), the kernel Image and bcm2711-rpi-4-b.dtb
# (Debian's arm64 linux-image). The GPU firmware (start4.elf, fixup4.dat) is copied from
# $FIRMWARE_DIR, else from /usr/lib/raspi-firmware (package raspi-firmware); without it the image
# is still made and the missing files are named. Downloads are cached (scripts/fetch-debs.sh).
set -euo pipefail

[ $# -ge 1 ] || { echo "usage: sdimage.sh BUILD_DIR [CMDLINE]" >&2; exit 2; }
build=$(realpath "$1")
cmdline=${2:-}
here=$(dirname "$(readlink -f "$0")")
die() { echo "sdimage: $*" >&2; exit 1; }

cfg=$build/.config
[ -f "$cfg" ] || die "no $cfg; run 'make arm64_rpi4_defconfig && make' first"
if ! grep -qx 'CONFIG_BOARD_RPI4=y' "$cfg"; then
	board=$(sed -n 's/^CONFIG_BOARD="\(.*\)"/\1/p' "$cfg")
	arch=$(sed -n 's/^CONFIG_ARCH="\(.*\)"/\1/p' "$cfg")
	die "make sdimage is for the Raspberry Pi 4 configuration, but $build is ${arch:-?}/${board:-?}.
  Use a Pi 4 configuration: make O=<dir> arm64_rpi4_defconfig && make O=<dir> && make O=<dir> sdimage
  (for QEMU virt boards use 'make run BOOT=uboot' instead)"
fi
[ -f "$build/Image" ] || die "$build/Image missing; run 'make' first"

uboot_variant=${RPI_UBOOT:-rpi_arm64}
case $uboot_variant in
rpi_4 | rpi_arm64) ;;
*) die "RPI_UBOOT must be rpi_4 or rpi_arm64, not '$uboot_variant'" ;;
esac
uboot_dir=$("$here/fetch-debs.sh" u-boot-rpi)
dtb=$("$here/fetch-debs.sh" rpi4-dtb)

img=$(realpath -m "${SDIMAGE_OUT:-$build/sdcard.img}")
stage=${img%.img}-files  # what goes onto the FAT partition, kept for inspection
rm -rf "$stage"
mkdir -p "$stage"
cp "$uboot_dir/$uboot_variant/u-boot.bin" "$stage/u-boot.bin"
cp "$dtb" "$stage/bcm2711-rpi-4-b.dtb"
cp "$build/Image" "$stage/Image"
"$here/uboot/bootscr.sh" arm64 "$cmdline" "$stage"
cat >"$stage/config.txt" <<'EOF'
# Keel on a Raspberry Pi 4: the GPU firmware reads this file, loads bcm2711-rpi-4-b.dtb and
# starts u-boot.bin in 64-bit mode; U-Boot runs boot.scr, which boots the kernel Image.
arm_64bit=1
kernel=u-boot.bin
# Serial console on GPIO14 (TXD, pin 8) / GPIO15 (RXD, pin 10), 115200 8N1. By default that is
# the mini UART (the PL011 drives Bluetooth); enable_uart=1 turns it on and pins the core clock
# that its baud rate is derived from. The device tree's stdout-path names the mini UART too.
enable_uart=1
# To put the PL011 (UART0) on GPIO14/15 and switch Bluetooth off instead, see docs/rpi4.md:
# it needs overlays/disable-bt.dtbo on this partition and the console moved to serial0.
#dtoverlay=disable-bt
EOF
files=("$stage/config.txt" "$stage/u-boot.bin" "$stage/boot.scr" "$stage/Image"
	"$stage/bcm2711-rpi-4-b.dtb")

fwdir=${FIRMWARE_DIR:-}
if [ -z "$fwdir" ] && [ -f /usr/lib/raspi-firmware/start4.elf ]; then
	fwdir=/usr/lib/raspi-firmware
fi
missing=()
for fw in start4.elf fixup4.dat; do
	if [ -n "$fwdir" ] && [ -f "$fwdir/$fw" ]; then
		files+=("$fwdir/$fw")
	else
		missing+=("$fw")
	fi
done
[ -z "${FIRMWARE_DIR:-}" ] || [ ${#missing[@]} -eq 0 ] ||
	die "FIRMWARE_DIR=$FIRMWARE_DIR has no ${missing[*]}"

"$here/uboot/mkdisk.sh" "$img" 64 KEELBOOT "${files[@]}"
echo "sdimage: $img (MBR, FAT32 partition 1 at 1 MiB; U-Boot $uboot_variant," \
	"bootargs \"$cmdline\")"
mdir -i "$img@@1M" ::/
if [ ${#missing[@]} -gt 0 ]; then
	cat <<EOF

sdimage: NOTE: no Raspberry Pi GPU firmware was found, so the card will not boot yet.
  Add these files to the FAT partition: ${missing[*]}
  They are the Raspberry Pi boot firmware, in Debian's raspi-firmware package (component
  non-free-firmware: /usr/lib/raspi-firmware/) or in the boot/ directory of
  https://github.com/raspberrypi/firmware. Then either rebuild with
      make sdimage FIRMWARE_DIR=<directory holding start4.elf and fixup4.dat>
  or copy them into this image:
      mcopy -i $img@@1M <dir>/start4.elf <dir>/fixup4.dat ::/
  (or onto the card's boot partition after writing it).
EOF
fi
