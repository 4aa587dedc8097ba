#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Configure-and-build step behind "make": makes sure BUILD/.config exists and is current,
# generates the C header from it, (re)runs meson setup when the arch/toolchain changed,
# then runs ninja. Usage: build.sh BUILD PYTHON [--config-only]
set -euo pipefail
BUILD=$1
PYTHON=$2
MODE=${3:-}
SRC=$(cd "$(dirname "$0")/.." && pwd)
KCONFIG="$PYTHON $SRC/scripts/kconfig/kconfig.py"
CONFIG=$BUILD/.config

die() { echo "error: $*" >&2; exit 1; }

# A missing tool gets one line: what is missing and the command that installs it.
need() { # need TOOL DEBIAN-PACKAGE
	command -v "$1" >/dev/null 2>&1 || die "'$1' not found; install it with: sudo apt-get install $2"
}

host_defconfig() {
	case "$(uname -m)" in
	aarch64|arm64) echo arm64_virt_defconfig ;;
	riscv64) echo riscv64_virt_defconfig ;;
	*) echo x86_64_defconfig ;;
	esac
}

if [ ! -f "$CONFIG" ]; then
	def=$(host_defconfig)
	echo "No configuration in $BUILD yet: using configs/$def (the host architecture's default)."
	$KCONFIG defconfig "$CONFIG" "$SRC/configs/$def"
fi
$KCONFIG olddefconfig "$CONFIG"
mkdir -p "$BUILD/include/generated"
$KCONFIG genconfig "$CONFIG" "$BUILD/include/generated/autoconf.h"
[ "$MODE" = "--config-only" ] && exit 0

val() { sed -n "s/^$1=\"\\{0,1\\}\\([^\"]*\\)\"\\{0,1\\}\$/\\1/p" "$CONFIG"; }
arch=$(val CONFIG_ARCH)
toolchain=$(val CONFIG_TOOLCHAIN)
cross="$SRC/scripts/cross/$arch-$toolchain.ini"
[ -f "$cross" ] || die "no cross file for arch '$arch' with toolchain '$toolchain' ($cross)"

need meson meson
need ninja ninja-build
case "$toolchain" in
clang) need clang clang; need ld.lld lld; need llvm-objcopy llvm ;;
gcc)
	case "$arch" in
	x86_64) need x86_64-linux-gnu-gcc gcc-x86-64-linux-gnu ;;
	arm64) need aarch64-linux-gnu-gcc gcc-aarch64-linux-gnu ;;
	riscv64) need riscv64-linux-gnu-gcc gcc-riscv64-linux-gnu ;;
	esac ;;
esac

# Meson fixes the compiler at setup time: a different arch/toolchain means a fresh setup.
stamp="$BUILD/.keel-cross"
if [ -f "$BUILD/build.ninja" ] && [ "$(cat "$stamp" 2>/dev/null)" != "$cross" ]; then
	echo "Architecture/toolchain changed: reconfiguring $BUILD for $arch-$toolchain."
	rm -rf "$BUILD/meson-private" "$BUILD/meson-info" "$BUILD/meson-logs" "$BUILD/build.ninja"
fi
if [ ! -f "$BUILD/build.ninja" ]; then
	meson setup --cross-file "$cross" "$BUILD" "$SRC" >"$BUILD/meson-setup.log" 2>&1 ||
		{ cat "$BUILD/meson-setup.log"; die "meson setup failed (log above)"; }
	echo "$cross" >"$stamp"
fi
ninja -C "$BUILD"
for out in keel.elf Image; do
	if [ -f "$BUILD/$out" ]; then echo "  $out -> $BUILD/$out"; fi
done
