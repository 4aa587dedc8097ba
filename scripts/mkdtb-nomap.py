#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Make a QEMU virt device tree with a /reserved-memory no-map range, for the memory-type ktest.

QEMU's virt trees describe no no-map memory, so nothing would test that the kernel leaves such
memory out of its mappings and its page allocator. This dumps the tree QEMU would give BUILD
(scripts/qemu.py's own command line plus -machine dumpdtb=), adds

    reserved-memory { keel-nomap@<RAM base + 64 MiB> { reg = <... 1 MiB>; no-map; }; };

and compiles it to OUT. Boot with it and tell the ktest to insist on finding the range:

    scripts/mkdtb-nomap.py BUILD OUT.dtb
    make O=BUILD run CMDLINE="ktest expect-nomap" QEMU_EXTRA="-dtb OUT.dtb"

Only the QEMU virt boards (arm64, riscv64) are supported: x86-64 has no device tree and the
Pi 4 boot already passes a DTB of its own.
"""
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu  # noqa: E402  (scripts/qemu.py: the board recipes)

# Past OpenSBI and the image at the start of RAM, below where QEMU puts the DTB (arm64 virt:
# RAM base + 128 MiB with 256 MiB; riscv64 virt: the top of RAM).
NOMAP_OFFSET = 64 << 20
NOMAP_SIZE = 1 << 20


def dump_dtb(build, path):
    argv, _ = qemu.command(build, "", "tcg", False, False, ["-machine", "dumpdtb=" + path])
    if "-dtb" in argv:
        sys.exit("error: this board boots with a DTB of its own; no dump to extend")
    subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   stderr=subprocess.PIPE, check=True, timeout=60)


def ram_base(dts):
    m = re.search(r"memory@([0-9a-f]+)\s*\{", dts)
    if not m:
        sys.exit("error: the dumped tree has no memory node")
    return int(m.group(1), 16)


def add_nomap(dts, base):
    if "reserved-memory" in dts:
        sys.exit("error: the dumped tree already has /reserved-memory; extend this script")
    node = ("\treserved-memory {\n\t\t#address-cells = <0x02>;\n\t\t#size-cells = <0x02>;\n"
            "\t\tranges;\n\n\t\tkeel-nomap@%x {\n\t\t\treg = <0x%x 0x%x 0x00 0x%x>;\n"
            "\t\t\tno-map;\n\t\t};\n\t};\n" % (base, base >> 32, base & 0xffffffff, NOMAP_SIZE))
    end = dts.rstrip().rfind("};")  # the root node's end
    return dts[:end] + node + dts[end:]


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    build, out = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as tmp:
        raw = os.path.join(tmp, "qemu.dtb")
        dump_dtb(build, raw)
        dts = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", raw], check=True,
                             stdout=subprocess.PIPE, text=True).stdout
        base = ram_base(dts) + NOMAP_OFFSET
        src = os.path.join(tmp, "nomap.dts")
        with open(src, "w") as f:
            f.write(add_nomap(dts, base))
        subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", out, src], check=True)
    print("%s: no-map %#x+%#x" % (out, base, NOMAP_SIZE))


if __name__ == "__main__":
    main()
