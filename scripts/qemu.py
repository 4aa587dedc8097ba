#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Boot a Keel build in QEMU: the machine, firmware and exit device follow the build's .config.

Used by "make run" / "make debug" and by the boot tests (scripts/check.py imports it).
--boot direct (default) hands QEMU the kernel; --boot uboot boots Debian's U-Boot, which runs
boot.scr from a FAT disk (virtio on virt, the SD card on the Pi) and starts the Image with booti.
--boot iso / iso-uefi (x86-64) boot the GRUB CD image of scripts/iso.sh from SeaBIOS (QEMU's
default BIOS) or from OVMF (UEFI), and GRUB starts the kernel with Multiboot2.
The Raspberry Pi 4 (-M raspi4b) runs on QEMU 10 from a Debian trixie chroot (scripts/qemu10.sh).
Always TCG unless --accel kvm is given explicitly: on machines whose /dev/kvm is a paravirtual
KVM (kvm_pvm) guest kernel mode is emulated instruction by instruction and user-mode syscall
faults, so KVM is never chosen just because the device exists.
"""
import argparse
import os
import shutil
import subprocess
import sys

SRC = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CACHE = os.environ.get("KEEL_CACHE") or os.path.join(os.path.expanduser("~"), ".cache", "keel")
QEMU10 = os.path.join(SRC, "scripts", "qemu10.sh")
QEMU10_STAMP = os.path.join(CACHE, "trixie-root", ".keel-qemu10-ready")
UBOOT = {  # Debian u-boot-qemu builds; the Pi's comes from u-boot-rpi (scripts/fetch-debs.sh)
    "arm64": "/usr/lib/u-boot/qemu_arm64/u-boot.bin",
    "riscv64": "/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin",
}
OTHER_UART_LOG = "serial-other.log"  # the Pi's UART that is not the console, in the build dir
OVMF = "/usr/share/ovmf/OVMF.fd"  # Debian ovmf: UEFI firmware for QEMU (code and variables)
BOOTS = ["direct", "uboot", "iso", "iso-uefi"]

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

# The Pi 4 needs -M raspi4b (QEMU >= 9). Bookworm has 7.2, so QEMU 10 runs from a trixie chroot.
# It has no PSCI and the rpi4 config no semihosting: QEMU never exits by itself, and a harness
# decides by the "ktest:" line on the console ("running" = still up after printing it).
BOARDS[("arm64", "rpi4")] = {
    "qemu": "qemu-system-aarch64", "package": "qemu-system-arm (trixie, scripts/qemu10.sh)",
    "args": ["-M", "raspi4b", "-no-reboot"], "chroot": True,
    "image": "Image", "pass": "running", "fail": "running",
}

UNSUPPORTED = {}  # (arch, board) -> why it cannot boot here; see unsupported_reason()


def unsupported_reason(key):
    """Why board KEY cannot be booted on this machine, or None."""
    if key in UNSUPPORTED:
        return UNSUPPORTED[key]
    if BOARDS.get(key, {}).get("chroot"):
        if not os.path.exists(QEMU10_STAMP):
            return ("the Raspberry Pi 4 needs QEMU >= 9 (-M raspi4b); QEMU 7.2 here has none. "
                    "Set up QEMU 10 from Debian trixie with: sudo scripts/qemu10.sh setup")
        if os.geteuid() != 0:
            return "QEMU 10 runs in a chroot (scripts/qemu10.sh), which needs root"
    return None


def fetch(what):
    """Path printed by scripts/fetch-debs.sh WHAT (cached Debian arm64 files); exits on error."""
    p = subprocess.run([os.path.join(SRC, "scripts", "fetch-debs.sh"), what],
                       stdout=subprocess.PIPE, text=True)
    if p.returncode:
        sys.exit("error: could not fetch %s (scripts/fetch-debs.sh %s)" % (what, what))
    return p.stdout.strip().splitlines()[-1]


def rpi4_console(dtb):
    """(QEMU serial index, name) of the UART /chosen/stdout-path names in DTB.

    raspi4b's first -serial is the PL011 (UART0), the second the mini UART (AUX)."""
    def get(node, prop):
        p = subprocess.run(["fdtget", dtb, node, prop], stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, text=True)
        return p.stdout.strip() if p.returncode == 0 else ""
    path = get("/chosen", "stdout-path").split(":")[0]
    if path and not path.startswith("/"):
        path = get("/aliases", path)
    if "aux-uart" in (get(path, "compatible") if path else ""):
        return 1, "mini UART (AUX, %s)" % path
    return 0, "PL011 (UART0, %s)" % (path or "no stdout-path")


def uboot_disk(build, cfg, cmdline):
    """Make BUILD/uboot/disk.img: FAT partition with boot.scr (bootargs = CMDLINE) and Image."""
    out = os.path.join(build, "uboot")
    os.makedirs(out, exist_ok=True)
    tools = os.path.join(SRC, "scripts", "uboot")
    for cmd in ([os.path.join(tools, "bootscr.sh"), cfg["CONFIG_ARCH"], cmdline, out],
                [os.path.join(tools, "mkdisk.sh"), os.path.join(out, "disk.img"), "64",
                 "KEELBOOT", os.path.join(out, "boot.scr"), os.path.join(build, "Image")]):
        if subprocess.run(cmd).returncode:
            sys.exit("error: making the U-Boot disk failed: %s" % " ".join(cmd))
    return os.path.join(out, "disk.img")


def iso_missing(uefi):
    """Debian packages BOOT=iso (@uefi: iso-uefi) needs that are not installed."""
    need = [("grub-common", shutil.which("grub-mkrescue")),
            ("grub-pc-bin", os.path.isdir("/usr/lib/grub/i386-pc")),
            ("grub-efi-amd64-bin", os.path.isdir("/usr/lib/grub/x86_64-efi")),
            ("xorriso", shutil.which("xorriso")), ("mtools", shutil.which("mformat"))]
    if uefi:
        need.append(("ovmf", os.path.exists(OVMF)))
    return [pkg for pkg, present in need if not present]


def iso_args(build, key, cmdline, boot):
    """Make BUILD/iso-boot/keel.iso (scripts/iso.sh) with CMDLINE; boot it as a CD-ROM from
    SeaBIOS, or from OVMF for iso-uefi."""
    if key[0] != "x86_64":
        sys.exit("error: BOOT=%s is for x86-64 (GRUB + Multiboot2), not %s" % (boot, key[0]))
    missing = iso_missing(boot == "iso-uefi")
    if missing:
        sys.exit("error: BOOT=%s needs %s; install with: sudo apt-get install %s"
                 % (boot, ", ".join(missing), " ".join(missing)))
    iso = os.path.join(build, "iso-boot", "keel.iso")
    os.makedirs(os.path.dirname(iso), exist_ok=True)
    r = subprocess.run([os.path.join(SRC, "scripts", "iso.sh"), build, cmdline],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       env=dict(os.environ, ISO_OUT=iso))
    if r.returncode:
        sys.exit("error: making the ISO failed:\n" + r.stdout)
    return ["-cdrom", iso] + (["-bios", OVMF] if boot == "iso-uefi" else [])


def boot_args(build, cfg, key, cmdline, boot):
    """QEMU arguments that load the kernel: directly, through U-Boot and boot.scr, or from
    a GRUB ISO."""
    image = os.path.join(build, BOARDS[key]["image"])
    rpi4 = key == ("arm64", "rpi4")
    dtb = ["-dtb", fetch("rpi4-dtb")] if rpi4 else []
    if boot == "direct":
        return ["-kernel", image] + dtb + (["-append", cmdline] if cmdline else [])
    if boot in ("iso", "iso-uefi"):
        return iso_args(build, key, cmdline, boot)
    if boot != "uboot":
        sys.exit("error: BOOT must be one of %s, not %r" % (", ".join(BOOTS), boot))
    if rpi4:
        # The same SD image "make sdimage" writes for a real card, with this command line.
        sd = os.path.join(build, "uboot", "sdcard.img")
        r = subprocess.run([os.path.join(SRC, "scripts", "sdimage.sh"), build, cmdline],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           env=dict(os.environ, SDIMAGE_OUT=sd))
        if r.returncode:
            sys.exit("error: sdimage failed:\n" + r.stdout)
        uboot = os.path.join(build, "uboot", "sdcard-files", "u-boot.bin")
        return ["-kernel", uboot] + dtb + ["-drive", "if=sd,format=raw,file=" + sd]
    if key[0] not in UBOOT:
        sys.exit("error: BOOT=uboot is for arm64 and riscv64 (U-Boot + booti), not %s" % key[0])
    if not os.path.exists(UBOOT[key[0]]):
        sys.exit("error: %s missing; install it with: sudo apt-get install u-boot-qemu"
                 % UBOOT[key[0]])
    disk = uboot_disk(build, cfg, cmdline)
    drive = ["-drive", "if=none,format=raw,readonly=on,id=bootdisk,file=" + disk,
             "-device", "virtio-blk-device,drive=bootdisk"]
    # arm64: U-Boot is the firmware (-bios). riscv64: OpenSBI (default -bios) starts U-Boot
    # S-mode as its payload (-kernel).
    return ["-bios" if key[0] == "arm64" else "-kernel", UBOOT[key[0]]] + drive


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


def command(build, cmdline="", accel="tcg", gdb=False, interactive=True, extra=None,
            boot="direct"):
    """Return (argv, board-dict) for booting BUILD. Raises SystemExit with a clear reason.

    For the Pi the board dict also has "console" (name of the UART the DTB's stdout-path
    names; non-interactive runs put it on stdout) and "other_log" (the other UART's file)."""
    cfg = read_config(build)
    key = board_of(cfg)
    reason = unsupported_reason(key)
    if reason:
        sys.exit("error: cannot boot %s/%s here: %s" % (key + (reason,)))
    if key not in BOARDS:
        sys.exit("error: no QEMU recipe for arch %s board %s" % key)
    b = dict(BOARDS[key])
    if not b.get("chroot") and not shutil.which(b["qemu"]):
        sys.exit("error: '%s' not found; install it with: sudo apt-get install %s"
                 % (b["qemu"], b["package"]))
    image = os.path.join(build, b["image"])
    if not os.path.exists(image):
        sys.exit("error: %s missing; run 'make' first" % image)
    argv = [b["qemu"]] + b["args"] + boot_args(build, cfg, key, cmdline, boot)
    if accel == "kvm":
        print("note: KVM requested explicitly. On a paravirtual /dev/kvm (kvm_pvm) guest kernel "
              "mode is emulated and slow; use real VMX/SVM hardware.", file=sys.stderr)
        argv += ["-accel", "kvm"]
    elif accel == "tcg":
        argv += ["-accel", "tcg"]
    else:
        sys.exit("error: ACCEL must be tcg or kvm, not %r" % accel)
    if b.get("chroot"):
        dtb = argv[argv.index("-dtb") + 1]
        index, b["console"] = rpi4_console(dtb)
        if interactive:  # both UARTs on the terminal, Ctrl-A X works as with -nographic
            argv += ["-display", "none", "-chardev", "stdio,id=con,mux=on,signal=off",
                     "-serial", "chardev:con", "-serial", "chardev:con", "-mon", "chardev=con"]
        else:  # the console UART on stdout, the other one in a file
            b["other_log"] = os.path.join(build, OTHER_UART_LOG)
            serials = ["file:" + b["other_log"]] * 2
            serials[index] = "stdio"
            argv += ["-display", "none", "-monitor", "none",
                     "-serial", serials[0], "-serial", serials[1]]
        # Run inside the trixie chroot with the build and cache directories bind-mounted.
        argv = [QEMU10, "run", "-B", build, "-B", os.path.dirname(dtb), "--"] + argv
    elif interactive:
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
    ap.add_argument("--boot", default="direct", choices=BOOTS,
                    help="direct: QEMU loads the kernel; uboot: U-Boot runs boot.scr + booti; "
                    "iso, iso-uefi: GRUB from a CD image under SeaBIOS or OVMF (x86-64)")
    ap.add_argument("--extra", default="", help="extra QEMU arguments, space separated")
    a = ap.parse_args()
    argv, b = command(a.build, a.cmdline, a.accel, a.gdb, True, a.extra.split(), a.boot)
    arch = read_config(a.build)["CONFIG_ARCH"]
    if a.gdb:
        gdb = "gdb" if arch == "x86_64" else "gdb-multiarch"
        print("QEMU is halted with a gdb stub on localhost:1234. In another terminal:\n"
              "  %s %s/keel.elf -ex 'target remote :1234'\n"
              "(%s; for arm64/riscv64 install gdb-multiarch). Quit QEMU with Ctrl-A X."
              % (gdb, a.build, "breakpoints on kernel_main work once the image is loaded"))
    else:
        how = {"uboot": ", through U-Boot and boot.scr",
               "iso": ", GRUB from the ISO under SeaBIOS (Multiboot2)",
               "iso-uefi": ", GRUB from the ISO under OVMF/UEFI (Multiboot2)"}
        print("Booting %s in QEMU (%s%s). Quit with Ctrl-A X." % (
            b["image"], a.accel, how.get(a.boot, "")))
        if b.get("console"):
            print("The Pi's console is the %s; both UARTs print here." % b["console"])
    print(" ".join(argv), flush=True)
    os.execvp(argv[0], argv)


if __name__ == "__main__":
    main()
