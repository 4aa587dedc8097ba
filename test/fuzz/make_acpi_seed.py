#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write the seed input of test/fuzz/acpi_fuzz.c: a small, valid set of ACPI tables laid out as
"physical memory" from address 0 (RSDP rev 2 -> XSDT -> FACP -> DSDT with \\_S5, APIC, SRAT,
SPCR, HPET),
so mutation starts from tables the readers accept all the way down.
Usage: make_acpi_seed.py OUT_FILE"""
import struct
import sys

RSDP, XSDT, FACP, DSDT, APIC, SRAT, SPCR, HPET, SIZE = \
    0x0, 0x40, 0x100, 0x300, 0x380, 0x400, 0x500, 0x580, 0x600


def checksum(b):
    return (-sum(b)) & 0xFF


def sdt(sig, body, rev=1):
    length = 36 + len(body)
    hdr = struct.pack("<4sIBB6s8sI4sI", sig, length, rev, 0, b"KEEL  ", b"KEELSEED", 1, b"KEEL", 1)
    t = bytearray(hdr + body)
    t[9] = checksum(t)
    return bytes(t)


def rsdp():
    r = bytearray(struct.pack("<8sB6sBI", b"RSD PTR ", 0, b"KEEL  ", 2, 0))
    r[8] = checksum(r[:20])
    r += struct.pack("<IQB3s", 36, XSDT, 0, b"\0\0\0")
    r[32] = checksum(r)
    return bytes(r)


def fadt():
    body = bytearray(244 - 36)
    struct.pack_into("<I", body, 40 - 36, DSDT)
    struct.pack_into("<I", body, 48 - 36, 0xB2)   # SMI_CMD
    body[52 - 36] = 0xF1                          # ACPI_ENABLE
    struct.pack_into("<I", body, 64 - 36, 0x604)  # PM1a_CNT_BLK
    struct.pack_into("<Q", body, 140 - 36, DSDT)  # X_DSDT
    return sdt(b"FACP", bytes(body), rev=5)


def dsdt():
    # Scope (_SB) { }, then Name (_S5, Package (4) { 5, 5, Zero, Zero })
    aml = bytes([0x10, 0x05]) + b"_SB_" + bytes([0x08]) + b"_S5_" + \
        bytes([0x12, 0x08, 0x04, 0x0A, 0x05, 0x0A, 0x05, 0x00, 0x00])
    return sdt(b"DSDT", aml, rev=2)


def madt():
    body = struct.pack("<II", 0xFEE00000, 1)
    body += struct.pack("<BBBBI", 0, 8, 0, 0, 1)                     # local APIC 0
    body += struct.pack("<BBBBII", 1, 12, 0, 0, 0xFEC00000, 0)       # IOAPIC 0 at GSI 0
    body += struct.pack("<BBBBIH", 2, 10, 0, 0, 2, 0)                # ISA IRQ 0 -> GSI 2
    body += struct.pack("<BBBHB", 4, 6, 0xFF, 5, 1)                  # LAPIC NMI on LINT1
    body += struct.pack("<BBHIII", 9, 16, 0, 0x100, 1, 1)             # x2APIC 0x100, UID 1
    body += struct.pack("<BBHIB3s", 10, 12, 0, 0xFFFFFFFF, 1, b"\0\0\0")  # x2APIC NMI, LINT1
    return sdt(b"APIC", body, rev=3)


def srat():
    body = struct.pack("<IQ", 1, 0)
    body += struct.pack("<BBBBIB3sI", 0, 16, 0, 0, 1, 0, b"\0\0\0", 0)  # LAPIC 0 -> domain 0
    for dom, base, length in ((0, 0, 0x10000000), (1, 0x10000000, 0x8000000)):
        body += struct.pack("<BBIHQQIIQ", 1, 40, dom, 0, base, length, 0, 1, 0)
    return sdt(b"SRAT", body, rev=3)


def spcr():
    body = bytearray(80 - 36)
    body[0] = 0x00                                            # 16550
    struct.pack_into("<BBBBQ", body, 40 - 36, 1, 8, 0, 1, 0x3F8)  # GAS: I/O port 0x3F8
    body[52 - 36] = 1                                         # 8259 interrupt
    body[53 - 36] = 4                                         # IRQ 4
    body[58 - 36] = 7                                         # 115200 baud
    return sdt(b"SPCR", bytes(body), rev=2)


def hpet():
    body = struct.pack("<IBBBBQBHB", 0x8086A201, 0, 64, 0, 0, 0xFED00000, 0, 0x80, 0)
    return sdt(b"HPET", body, rev=1)


def main():
    mem = bytearray(SIZE)
    xsdt = sdt(b"XSDT", struct.pack("<QQQQQ", FACP, APIC, SRAT, SPCR, HPET))
    for pa, blob in ((RSDP, rsdp()), (XSDT, xsdt), (FACP, fadt()), (DSDT, dsdt()),
                     (APIC, madt()), (SRAT, srat()), (SPCR, spcr()), (HPET, hpet())):
        mem[pa:pa + len(blob)] = blob
    with open(sys.argv[1], "wb") as f:
        f.write(mem)


if __name__ == "__main__":
    main()
