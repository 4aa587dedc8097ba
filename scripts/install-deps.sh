#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Install the Debian 12 packages Keel needs to build, boot and test. Installs only what is
# missing (apt-get update once, then one non-interactive install). Safe to run repeatedly.
set -euo pipefail

pkgs=(
	make python3 python3-kconfiglib meson ninja-build pkg-config   # configuration and build
	python3-yaml python3-pyelftools                                 # check.py CI self-test; ELF reading (ksyms.py, size.py)
	clang lld llvm                                                  # default toolchain
	gcc libc6-dev gcc-aarch64-linux-gnu gcc-riscv64-linux-gnu      # GCC toolchains, host tests
	libcmocka-dev libclang-rt-14-dev                                # cmocka; clang's sanitizer/fuzzer runtimes
	device-tree-compiler                                            # test device trees
	qemu-system-x86 qemu-system-arm qemu-system-misc opensbi        # boot tests
	u-boot-qemu u-boot-tools                                        # make run BOOT=uboot, boot.scr
	dosfstools mtools fdisk                                         # FAT disk / SD images, no root
	grub-common grub-pc-bin grub-efi-amd64-bin xorriso ovmf         # make iso, BOOT=iso(-uefi)
	debootstrap debian-archive-keyring                              # QEMU 10 (raspi4b) from trixie
)
case "$(dpkg --print-architecture)" in
amd64) ;;
*) pkgs+=(gcc-x86-64-linux-gnu) ;;
esac

# Not installed here, fetched on demand into ~/.cache/keel: the arm64-only U-Boot for the Pi and
# its device tree (scripts/fetch-debs.sh), and QEMU 10 for -M raspi4b (scripts/qemu10.sh setup;
# make check sets it up when it runs as root).

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	echo "install-deps: all ${#pkgs[@]} packages present"
	exit 0
fi
echo "install-deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y --no-install-recommends "${missing[@]}"
