#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Fetch arm64-only Debian files (U-Boot for the Pi, the Pi 4 device tree) into the Keel cache.
#
#   fetch-debs.sh u-boot-rpi     print the directory holding rpi_4/ and rpi_arm64/u-boot.bin
#   fetch-debs.sh rpi4-dtb       print the path of bcm2711-rpi-4-b.dtb (from linux-image-*-arm64)
#
# The packages come from Debian's apt repository only, through apt-get with its own arm64
# package lists, cache and (empty) dpkg status under $KEEL_CACHE/apt-arm64 -- the host's apt
# state is neither read nor changed, and no root is needed. Results are cached: a second run
# prints the cached path without touching the network. FETCH_REFRESH=1 forces a new download.
set -euo pipefail

CACHE=${KEEL_CACHE:-${HOME:-/root}/.cache/keel}
APTDIR=$CACHE/apt-arm64
OUT=$CACHE/arm64-files
MIRROR=${KEEL_DEBIAN_MIRROR:-http://deb.debian.org/debian}
SUITE=${KEEL_DEBIAN_SUITE:-bookworm}

die() { echo "fetch-debs: $*" >&2; exit 1; }
log() { echo "fetch-debs: $*" >&2; }

apt_arm64() {
	apt-get -q \
		-oAPT::Architecture=arm64 -oAPT::Architectures=arm64 \
		-oDir::State::Lists="$APTDIR/lists" -oDir::State::status="$APTDIR/status" \
		-oDir::Cache="$APTDIR/cache" -oDir::Etc::SourceList="$APTDIR/sources.list" \
		-oDir::Etc::SourceParts="$APTDIR/sources.list.d" -oDebug::NoLocking=1 \
		-oAPT::Sandbox::User="$(id -un)" "$@"
}

apt_cache_arm64() {
	apt-cache \
		-oAPT::Architecture=arm64 -oAPT::Architectures=arm64 \
		-oDir::State::Lists="$APTDIR/lists" -oDir::State::status="$APTDIR/status" \
		-oDir::Cache="$APTDIR/cache" -oDir::Etc::SourceList="$APTDIR/sources.list" \
		-oDir::Etc::SourceParts="$APTDIR/sources.list.d" "$@"
}

# apt-get update for arm64, once (or again with FETCH_REFRESH=1).
update_lists() {
	[ -f "$APTDIR/updated" ] && [ "${FETCH_REFRESH:-0}" != 1 ] && return 0
	command -v apt-get >/dev/null || die "apt-get not found (a Debian host is needed)"
	mkdir -p "$APTDIR/lists/partial" "$APTDIR/cache/archives/partial" "$APTDIR/sources.list.d" \
		"$APTDIR/debs"
	: >"$APTDIR/status"
	local keyring=/usr/share/keyrings/debian-archive-keyring.gpg
	[ -f "$keyring" ] || die "$keyring missing (package debian-archive-keyring)"
	echo "deb [arch=arm64 signed-by=$keyring] $MIRROR $SUITE main" >"$APTDIR/sources.list"
	log "apt-get update (arm64 lists for $SUITE from $MIRROR)"
	apt_arm64 update >"$APTDIR/update.log" 2>&1 ||
		{ tail -5 "$APTDIR/update.log" >&2; die "apt-get update failed (network to $MIRROR?)"; }
	touch "$APTDIR/updated"
}

download() {
	(cd "$APTDIR/debs" && rm -f "$1"_*.deb &&
		apt_arm64 download "$1" >"$APTDIR/download-$1.log" 2>&1)
}

# fetch_deb PACKAGE DEST: download PACKAGE (arm64) and unpack it into DEST; prints nothing.
fetch_deb() {
	local pkg=$1 dest=$2
	update_lists
	if ! download "$pkg"; then  # lists older than the mirror's pool: refresh once
		rm -f "$APTDIR/updated"
		update_lists
		download "$pkg" ||
			{ tail -5 "$APTDIR/download-$pkg.log" >&2; die "apt-get download $pkg failed"; }
	fi
	rm -rf "$dest.tmp"
	mkdir -p "$dest.tmp"
	dpkg -x "$APTDIR/debs/${pkg}"_*_arm64.deb "$dest.tmp"
	rm -rf "$dest"
	mv "$dest.tmp" "$dest"
	rm -f "$APTDIR/debs/${pkg}"_*.deb  # the unpacked files are what we keep
	log "unpacked $pkg into $dest"
}

u_boot_rpi() {
	local dest=$OUT/u-boot-rpi
	if [ ! -f "$dest/usr/lib/u-boot/rpi_arm64/u-boot.bin" ] || [ "${FETCH_REFRESH:-0}" = 1 ]; then
		fetch_deb u-boot-rpi "$dest"
	fi
	[ -f "$dest/usr/lib/u-boot/rpi_arm64/u-boot.bin" ] || die "u-boot-rpi has no rpi_arm64/u-boot.bin"
	echo "$dest/usr/lib/u-boot"
}

rpi4_dtb() {
	local dtb=$OUT/rpi4/bcm2711-rpi-4-b.dtb
	if [ ! -f "$dtb" ] || [ "${FETCH_REFRESH:-0}" = 1 ]; then
		update_lists
		# linux-image-arm64 is the metapackage; its dependency names the current ABI package.
		local pkg
		pkg=$(apt_cache_arm64 depends linux-image-arm64 2>/dev/null |
			sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-arm64\)$/\1/p' | head -1)
		[ -n "$pkg" ] || die "no linux-image-*-arm64 found behind linux-image-arm64"
		log "the Pi 4 device tree comes from $pkg (about 70 MB, downloaded once)"
		fetch_deb "$pkg" "$OUT/linux-image"
		local found
		found=$(find "$OUT/linux-image/usr/lib" -path '*/broadcom/bcm2711-rpi-4-b.dtb' | head -1)
		[ -n "$found" ] || die "$pkg has no broadcom/bcm2711-rpi-4-b.dtb"
		mkdir -p "$OUT/rpi4"
		cp "$found" "$dtb"
		echo "$pkg" >"$OUT/rpi4/source"
		rm -rf "$OUT/linux-image"  # 300+ MB of modules we do not need
	fi
	echo "$dtb"
}

mkdir -p "$CACHE"
exec 9>"$CACHE/fetch-debs.lock"  # one fetch at a time (parallel make check runs share the cache)
flock 9

case ${1:-} in
u-boot-rpi) u_boot_rpi ;;
rpi4-dtb) rpi4_dtb ;;
*) sed -n '3,11s/^# \{0,1\}//p' "$0"; exit 2 ;;
esac
