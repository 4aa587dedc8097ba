#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Patch the kernel's symbol table into its own image: keel-nosyms.elf -> keel.elf.

The kernel reserves a zero-filled array, ksyms_blob, in .rodata.ksyms (core/debug/ksyms.c).
This script reads the ELF symbol table, keeps the function symbols, and writes into that array
(at its file offset, so nothing moves and no relink is needed) the table described in
include/kernel/ksyms.h: header, entries sorted by offset from __kernel_start, names.
Fails when the table does not fit.

usage: ksyms.py [--base SYMBOL] INPUT.elf OUTPUT.elf
(--base: what offsets are measured from, default __kernel_start; the host test uses its own.)
"""
import shutil
import struct
import sys

MAGIC = 0x4d59534b  # "KSYM"
STT_FUNC = 2
SHT_SYMTAB = 2


def sections(data):
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        sys.exit("ksyms.py: not a little-endian ELF64 file")
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3a)
    out = []
    for i in range(shnum):
        (name, stype, flags, addr, offset, size, link, info, align,
         entsize) = struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize)
        out.append(dict(type=stype, addr=addr, offset=offset, size=size, link=link))
    return out


def symbols(data, secs):
    """(name, value, size, type, section index) of every symbol in .symtab."""
    for s in secs:
        if s["type"] != SHT_SYMTAB:
            continue
        strtab = secs[s["link"]]
        for off in range(s["offset"], s["offset"] + s["size"], 24):
            name, info, _other, shndx, value, size = struct.unpack_from("<IBBHQQ", data, off)
            start = strtab["offset"] + name
            end = data.index(b"\0", start)
            yield data[start:end].decode(), value, size, info & 0xf, shndx
    return


def build_table(funcs, base, capacity):
    by_offset = {}
    for name, value, size in funcs:
        off = value - base
        if off < 0 or off > 0xffffffff or not name:
            continue
        # Several names at one address (aliases): keep the shortest, usually the real one.
        if off not in by_offset or len(name) < len(by_offset[off][0]):
            by_offset[off] = (name, size)
    entries = sorted(by_offset.items())
    strings, name_off = bytearray(), {}
    for _off, (name, _size) in entries:
        if name not in name_off:
            name_off[name] = len(strings)
            strings += name.encode() + b"\0"
    str_start = 16 + 12 * len(entries)
    blob = bytearray(struct.pack("<IIII", MAGIC, len(entries), str_start, len(strings)))
    for off, (name, size) in entries:
        blob += struct.pack("<III", off, min(size, 0xffffffff), name_off[name])
    blob += strings
    if len(blob) > capacity:
        sys.exit("ksyms.py: symbol table needs %d bytes but ksyms_blob has %d: raise "
                 "KSYMS_BLOB_SIZE in include/kernel/ksyms.h" % (len(blob), capacity))
    return bytes(blob), len(entries)


def main():
    args, base_name = sys.argv[1:], "__kernel_start"
    if len(args) == 4 and args[0] == "--base":
        base_name, args = args[1], args[2:]
    if len(args) != 2:
        sys.exit(__doc__)
    src, dst = args
    data = bytearray(open(src, "rb").read())
    secs = sections(data)
    syms = list(symbols(data, secs))
    named = {s[0]: s for s in syms}
    if "ksyms_blob" not in named or base_name not in named:
        sys.exit("ksyms.py: %s has no ksyms_blob or %s symbol" % (src, base_name))
    _n, blob_addr, blob_size, _t, blob_shndx = named["ksyms_blob"]
    sec = secs[blob_shndx]
    file_off = sec["offset"] + (blob_addr - sec["addr"])
    if any(data[file_off:file_off + blob_size]):
        sys.exit("ksyms.py: ksyms_blob in %s is not zero-filled (patched twice?)" % src)
    funcs = [(n, v, sz) for n, v, sz, t, _ in syms if t == STT_FUNC]
    table, count = build_table(funcs, named[base_name][1], blob_size)
    data[file_off:file_off + len(table)] = table
    tmp = dst + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    shutil.copymode(src, tmp)
    shutil.move(tmp, dst)
    print("ksyms.py: %d symbols, %d of %d bytes" % (count, len(table), blob_size))


if __name__ == "__main__":
    main()
