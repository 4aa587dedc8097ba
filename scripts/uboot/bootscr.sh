#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Make boot.scr from boot.cmd.in: bootscr.sh ARCH "CMDLINE" OUT_DIR -> OUT_DIR/boot.cmd, boot.scr
set -euo pipefail

[ $# -eq 3 ] || { echo "usage: bootscr.sh arm64|riscv64 CMDLINE OUT_DIR" >&2; exit 2; }
arch=$1 cmdline=$2 out=$3
case $arch in
arm64) mkarch=arm64 ;;
riscv64) mkarch=riscv ;;
*) echo "bootscr: unknown arch $arch" >&2; exit 2 ;;
esac
command -v mkimage >/dev/null ||
	{ echo "bootscr: mkimage missing; install it with: sudo apt-get install u-boot-tools" >&2; exit 1; }
case $cmdline in
*[\"\$\\]*) echo "bootscr: the command line may not contain \" \$ or \\: $cmdline" >&2; exit 1 ;;
esac
mkdir -p "$out"
here=$(dirname "$(readlink -f "$0")")
# The template's own header comment is for readers of the source; boot.cmd keeps the rest.
shopt -u patsub_replacement 2>/dev/null || true  # bash 5.2: keep & literal
tmpl=$(tail -n +3 "$here/boot.cmd.in")
printf '%s\n' "${tmpl//@CMDLINE@/$cmdline}" >"$out/boot.cmd"
mkimage -A "$mkarch" -O linux -T script -C none -n "Keel boot script" \
	-d "$out/boot.cmd" "$out/boot.scr" >/dev/null
