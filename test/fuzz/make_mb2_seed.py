#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the seed input of test/fuzz/multiboot2_fuzz.c: a GRUB-like Multiboot2 boot information
block at "physical" 0 (command line, loader name, memory map, ACPI 1.0 and 2.0 RSDP copies, an
EFI64 tag) followed by the EFI system table and configuration table the EFI tag points to, so
mutation starts from input the readers accept all the way down.
Usage: make_mb2_seed.py OUT_FILE"""
import struct
import sys

SYSTAB, TABLES = 0x200, 0x300
ACPI20 = bytes([0x71, 0xe8, 0x68, 0x88, 0xf1, 0xe4, 0xd3, 0x11,
                0xbc, 0x22, 0x00, 0x80, 0xc7, 0x3c, 0x88, 0x81])
ACPI10 = bytes([0x30, 0x2d, 0x9d, 0xeb, 0x88, 0x2d, 0xd3, 0x11,
                0x9a, 0x16, 0x00, 0x90, 0x27, 0x3f, 0xc1, 0x4d])


def checksum(b):
    return (-sum(b)) & 0xFF


def tag(t, payload):
    body = struct.pack("<II", t, 8 + len(payload)) + payload
    return body + b"\0" * (-len(body) % 8)


def rsdp(v2):
    r = bytearray(struct.pack("<8sB6sBI", b"RSD PTR ", 0, b"KEEL  ", 2 if v2 else 0, 0x7fe0000))
    r[8] = checksum(r[:20])
    if v2:
        r += struct.pack("<IQB3s", 36, 0x7fe1000, 0, b"\0\0\0")
        r[32] = checksum(r)
    return bytes(r)


def mbi():
    mmap = struct.pack("<II", 24, 0) + b"".join(
        struct.pack("<QQII", b, n, t, 0) for b, n, t in
        [(0, 0x9fc00, 1), (0x9fc00, 0x400, 2), (0x100000, 0xfee0000, 1), (0xffe0000, 0x20000, 3)])
    tags = (tag(1, b"ktest\0") + tag(2, b"GRUB 2.06\0") + tag(6, mmap) + tag(14, rsdp(False)) +
            tag(15, rsdp(True)) + tag(12, struct.pack("<Q", SYSTAB)) + tag(0, b""))
    return struct.pack("<II", 8 + len(tags), 0) + tags


def efi():
    st = bytearray(120)
    struct.pack_into("<QIII", st, 0, 0x5453595320494249, 0x2004b, 120, 0)
    struct.pack_into("<QQ", st, 104, 2, TABLES)
    tables = ACPI10 + struct.pack("<Q", 0x2000) + ACPI20 + struct.pack("<Q", 0x3000)
    return bytes(st), tables


def main():
    blob = bytearray(mbi())
    st, tables = efi()
    blob += b"\0" * (SYSTAB - len(blob)) + st
    blob += b"\0" * (TABLES - len(blob)) + tables
    with open(sys.argv[1], "wb") as f:
        f.write(blob)


if __name__ == "__main__":
    main()
