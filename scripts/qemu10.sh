#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# QEMU 10 (has -M raspi4b) from Debian trixie in a debootstrap chroot under the Keel cache dir.
#
#   qemu10.sh setup            create the chroot once (debootstrap + qemu-system-arm); idempotent
#   qemu10.sh status           print the chroot's QEMU version; exit 1 if not set up
#   qemu10.sh run [-B DIR]... -- PROGRAM ARGS...
#                              run PROGRAM (e.g. qemu-system-aarch64) inside the chroot, with each
#                              DIR bind-mounted at the same path (private mount namespace: the
#                              mounts vanish when the program exits)
#
# Needs root (debootstrap, chroot, mount) and Debian's mirror for the one-time setup (measured
# here: about 30 s in all on two cores, 340 MB). Only Debian packages are used.
# KEEL_CACHE (default ~/.cache/keel) picks the cache; KEEL_DEBIAN_MIRROR the mirror.
set -euo pipefail

CACHE=${KEEL_CACHE:-${HOME:-/root}/.cache/keel}
ROOT=$CACHE/trixie-root
STAMP=$ROOT/.keel-qemu10-ready
MIRROR=${KEEL_DEBIAN_MIRROR:-http://deb.debian.org/debian}

die() { echo "qemu10: $*" >&2; exit 1; }

need_root() {
	[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, chroot and bind mounts); run with sudo"
}

setup() {
	if [ -f "$STAMP" ]; then
		echo "qemu10: ready in $ROOT ($(cat "$STAMP"))"
		return 0
	fi
	need_root
	command -v debootstrap >/dev/null ||
		die "debootstrap missing; install it with: sudo apt-get install debootstrap"
	mkdir -p "$CACHE"
	# One setup at a time (make check and a user's shell may race).
	exec 9>"$CACHE/trixie-root.lock"
	flock 9
	[ -f "$STAMP" ] && { echo "qemu10: ready in $ROOT"; return 0; }
	# A half-made chroot from an interrupted run: start over (nothing in it is worth keeping).
	if [ -e "$ROOT" ]; then
		umount -R "$ROOT/proc" 2>/dev/null || true
		rm -rf --one-file-system "$ROOT"
	fi
	echo "qemu10: debootstrap --variant=minbase trixie $ROOT (one time, a few minutes)"
	debootstrap --variant=minbase trixie "$ROOT.tmp" "$MIRROR" >"$CACHE/trixie-debootstrap.log" 2>&1 ||
		{ tail -20 "$CACHE/trixie-debootstrap.log" >&2; rm -rf --one-file-system "$ROOT.tmp";
		  die "debootstrap failed (log: $CACHE/trixie-debootstrap.log)"; }
	mv "$ROOT.tmp" "$ROOT"
	echo "qemu10: apt-get install qemu-system-arm (inside the chroot)"
	# shellcheck disable=SC2016
	in_root '' sh -c 'export DEBIAN_FRONTEND=noninteractive &&
		apt-get update -q && apt-get install -y -q --no-install-recommends qemu-system-arm' \
		>"$CACHE/trixie-apt.log" 2>&1 ||
		{ tail -20 "$CACHE/trixie-apt.log" >&2; die "apt-get in the chroot failed (log: $CACHE/trixie-apt.log)"; }
	in_root '' apt-get clean >/dev/null 2>&1 || true
	ver=$(in_root '' qemu-system-aarch64 --version | head -1)
	in_root '' qemu-system-aarch64 -M help | grep -q '^raspi4b ' ||
		die "the chroot's QEMU ($ver) has no -M raspi4b"
	echo "$ver" >"$STAMP"
	echo "qemu10: ready: $ver"
}

# in_root "DIR1:DIR2:..." PROGRAM ARGS...: run inside the chroot in a private mount namespace
# with /proc, /dev and each DIR bind-mounted.
in_root() {
	local binds=$1
	shift
	# shellcheck disable=SC2016  # expanded by the inner bash
	unshare --mount --propagation private -- /bin/bash -c '
		set -e
		root=$1 binds=$2
		shift 2
		mount -t proc proc "$root/proc"
		mount --rbind /dev "$root/dev"
		IFS=: read -ra dirs <<<"$binds"
		for d in "${dirs[@]}"; do
			[ -n "$d" ] || continue
			mkdir -p "$root$d"
			mount --bind "$d" "$root$d"
		done
		exec chroot "$root" /usr/bin/env PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"
	' in_root "$ROOT" "$binds" "$@"
}

run() {
	local binds=""
	while [ $# -gt 0 ]; do
		case $1 in
		-B) binds="$binds:$(realpath "$2")"; shift 2 ;;
		--) shift; break ;;
		*) break ;;
		esac
	done
	[ $# -gt 0 ] || die "usage: qemu10.sh run [-B DIR]... -- PROGRAM ARGS..."
	[ -f "$STAMP" ] || die "not set up; run: $0 setup"
	need_root
	in_root "$binds" "$@"
}

case ${1:-} in
setup) setup ;;
status) [ -f "$STAMP" ] && { echo "$(cat "$STAMP") in $ROOT"; exit 0; }
	echo "qemu10: not set up (run: $0 setup)"; exit 1 ;;
run) shift; run "$@" ;;
*) sed -n '3,14s/^# \{0,1\}//p' "$0"; exit 2 ;;
esac
