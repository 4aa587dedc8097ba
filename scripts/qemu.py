#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Boot a Keel build in QEMU: the machine, firmware and exit device follow the build's .config.

Used by "make run" / "make debug" and by the boot tests (scripts/check.py imports it).
Always TCG unless --accel kvm is given explicitly: on machines whose /dev/kvm is a paravirtual
KVM (kvm_pvm) guest kernel mode is emulated instruction by instruction and user-mode syscall
faults, so KVM is never chosen just because the device exists.
"""
import argparse
import os
import shutil
import sys

# Exit statuses each board's test-exit path produces (docs/boot.md explains them).
#   x86-64: isa-debug-exit turns a write of V into (V << 1) | 1; pass writes 0x10, fail 0x11.
#   arm64 virt: semihosting SYS_EXIT passes the code through; riscv64: sifive_test.
BOARDS = {
    ("x86_64", "pc-q35"): {
        "qemu": "qemu-system-x86_64", "package": "qemu-system-x86",
        "args": ["-M", "q35", "-cpu", "max", "-m", "256M",
                 "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-no-reboot"],
        "image": "keel.elf", "pass": 33, "fail": 35,
    },
    ("arm64", "qemu-virt"): {
        "qemu": "qemu-system-aarch64", "package": "qemu-system-arm",
        "args": ["-M", "virt", "-cpu", "cortex-a72", "-m", "256M",
                 "-semihosting-config", "enable=on,target=native", "-no-reboot"],
        "image": "Image", "pass": 0, "fail": 1,
    },
    ("riscv64", "qemu-virt"): {
        "qemu": "qemu-system-riscv64", "package": "qemu-system-misc",
        "args": ["-M", "virt", "-m", "256M", "-no-reboot"],
        "image": "Image", "pass": 0, "fail": 1,
    },
}

UNSUPPORTED = {
    ("arm64", "rpi4"): "the Raspberry Pi 4 board needs QEMU >= 9 (-M raspi4b); QEMU 7.2 here "
                       "has none. Booting it under emulation is Keel issue 3 (U-Boot / Pi 4).",
}


def read_config(build):
    cfg = {}
    path = os.path.join(build, ".config")
    if not os.path.exists(path):
        sys.exit("error: no %s; run 'make <board>_defconfig' first" % path)
    for line in open(path):
        line = line.strip()
        if line.startswith("CONFIG_") and "=" in line:
            k, v = line.split("=", 1)
            cfg[k] = v[1:-1] if v.startswith('"') else v
    return cfg


def board_of(cfg):
    return cfg.get("CONFIG_ARCH"), cfg.get("CONFIG_BOARD")


def command(build, cmdline="", accel="tcg", gdb=False, interactive=True, extra=None):
    """Return (argv, board-dict) for booting BUILD. Raises SystemExit with a clear reason."""
    cfg = read_config(build)
    key = board_of(cfg)
    if key in UNSUPPORTED:
        sys.exit("error: cannot boot %s/%s here: %s" % (key + (UNSUPPORTED[key],)))
    if key not in BOARDS:
        sys.exit("error: no QEMU recipe for arch %s board %s" % key)
    b = BOARDS[key]
    if not shutil.which(b["qemu"]):
        sys.exit("error: '%s' not found; install it with: sudo apt-get install %s"
                 % (b["qemu"], b["package"]))
    image = os.path.join(build, b["image"])
    if not os.path.exists(image):
        sys.exit("error: %s missing; run 'make' first" % image)
    argv = [b["qemu"]] + b["args"] + ["-kernel", image]
    if cmdline:
        argv += ["-append", cmdline]
    if accel == "kvm":
        print("note: KVM requested explicitly. On a paravirtual /dev/kvm (kvm_pvm) guest kernel "
              "mode is emulated and slow; use real VMX/SVM hardware.", file=sys.stderr)
        argv += ["-accel", "kvm"]
    elif accel == "tcg":
        argv += ["-accel", "tcg"]
    else:
        sys.exit("error: ACCEL must be tcg or kvm, not %r" % accel)
    if interactive:
        argv += ["-nographic"]
    else:
        argv += ["-display", "none", "-serial", "stdio", "-monitor", "none"]
    if gdb:
        argv += ["-s", "-S"]
    if extra:
        argv += extra
    return argv, b


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--build", required=True)
    ap.add_argument("--cmdline", default="")
    ap.add_argument("--accel", default="tcg")
    ap.add_argument("--gdb", action="store_true")
    ap.add_argument("--extra", default="", help="extra QEMU arguments, space separated")
    a = ap.parse_args()
    argv, b = command(a.build, a.cmdline, a.accel, a.gdb, True, a.extra.split())
    arch = read_config(a.build)["CONFIG_ARCH"]
    if a.gdb:
        gdb = "gdb" if arch == "x86_64" else "gdb-multiarch"
        print("QEMU is halted with a gdb stub on localhost:1234. In another terminal:\n"
              "  %s %s/keel.elf -ex 'target remote :1234'\n"
              "(%s; for arm64/riscv64 install gdb-multiarch). Quit QEMU with Ctrl-A X."
              % (gdb, a.build, "breakpoints on kernel_main work once the image is loaded"))
    else:
        print("Booting %s in QEMU (%s). Quit with Ctrl-A X." % (b["image"], a.accel))
    print(" ".join(argv), flush=True)
    os.execvp(argv[0], argv)


if __name__ == "__main__":
    main()
