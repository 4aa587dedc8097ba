#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Make a disk image without root: MBR, one bootable FAT32 partition at 1 MiB holding FILE...
#   mkdisk.sh OUT.img SIZE_MIB LABEL FILE...    (sfdisk, mkfs.vfat --offset, mcopy)
set -euo pipefail

[ $# -ge 3 ] || { echo "usage: mkdisk.sh OUT.img SIZE_MIB LABEL FILE..." >&2; exit 2; }
out=$1 size=$2 label=$3
shift 3
export PATH=$PATH:/usr/sbin:/sbin  # sfdisk and mkfs.vfat live there; users may lack it in PATH
for tool in sfdisk:fdisk mkfs.vfat:dosfstools mcopy:mtools; do
	command -v "${tool%%:*}" >/dev/null ||
		{ echo "mkdisk: ${tool%%:*} missing; install it with: sudo apt-get install ${tool##*:}" >&2; exit 1; }
done
START=2048  # sectors: the partition starts at 1 MiB, as SD cards and most tools expect
rm -f "$out"
truncate -s "${size}M" "$out"
# type c = W95 FAT32 (LBA), the type the Pi's boot ROM/firmware and U-Boot's distro boot accept
printf 'label: dos\nstart=%d, type=c, bootable\n' "$START" | sfdisk -q "$out"
sectors=$(( size * 2048 - START ))
# -h: the boot sector records the partition start, as a partitioned FAT volume should
mkfs.vfat -F 32 -n "$label" -h "$START" --offset "$START" "$out" $(( sectors / 2 )) >/dev/null
for f in "$@"; do
	mcopy -o -i "$out@@$(( START * 512 ))" "$f" ::/
done
