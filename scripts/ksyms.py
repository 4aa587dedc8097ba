#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Patch the kernel's symbol table into its own image: keel-nosyms.elf -> keel.elf.

The kernel reserves a zero-filled array, ksyms_blob, in .rodata.ksyms (core/debug/ksyms.c).
This script reads the ELF symbol table (pyelftools), keeps the function symbols, and writes
into that array (at its file offset, so nothing moves and no relink is needed) the table
described in include/kernel/ksyms.h: header, entries sorted by offset from __kernel_start,
names. Fails when the table does not fit.

usage: ksyms.py [--base SYMBOL] INPUT.elf OUTPUT.elf
(--base: what offsets are measured from, default __kernel_start; the host test uses its own.)
"""
import io
import os
import shutil
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "kconfig"))
from pyfind import ensure_module  # noqa: E402
ensure_module("elftools", "python3-pyelftools")
from elftools.elf.elffile import ELFFile  # noqa: E402
from elftools.elf.sections import SymbolTableSection  # noqa: E402

MAGIC = 0x4d59534b  # "KSYM"


def open_elf(data):
    try:
        elf = ELFFile(io.BytesIO(data))
    except Exception as e:  # pyelftools raises ELFError and friends on foreign files
        sys.exit("ksyms.py: not an ELF file (%s)" % e)
    if elf.elfclass != 64 or not elf.little_endian:
        sys.exit("ksyms.py: not a little-endian ELF64 file")
    return elf


def symbols(elf):
    """(name, value, size, is_function, section index) of every symbol in .symtab."""
    for sec in elf.iter_sections():
        if not isinstance(sec, SymbolTableSection) or sec["sh_type"] != "SHT_SYMTAB":
            continue
        for sym in sec.iter_symbols():
            yield (sym.name, sym["st_value"], sym["st_size"],
                   sym["st_info"]["type"] == "STT_FUNC", sym["st_shndx"])


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


def blob_offset(elf, blob_addr, blob_shndx):
    """File offset of the symbol at @blob_addr in section @blob_shndx."""
    if not isinstance(blob_shndx, int):  # SHN_UNDEF, SHN_ABS...: not in the file
        sys.exit("ksyms.py: ksyms_blob is not defined in a section (%s)" % blob_shndx)
    sec = elf.get_section(blob_shndx)
    return sec["sh_offset"] + (blob_addr - sec["sh_addr"])


def main():
    args, base_name = sys.argv[1:], "__kernel_start"
    if len(args) == 4 and args[0] == "--base":
        base_name, args = args[1], args[2:]
    if len(args) != 2:
        sys.exit(__doc__)
    src, dst = args
    data = bytearray(open(src, "rb").read())
    elf = open_elf(bytes(data))
    syms = list(symbols(elf))
    named = {s[0]: s for s in syms}
    if "ksyms_blob" not in named or base_name not in named:
        sys.exit("ksyms.py: %s has no ksyms_blob or %s symbol" % (src, base_name))
    _n, blob_addr, blob_size, _f, blob_shndx = named["ksyms_blob"]
    file_off = blob_offset(elf, blob_addr, blob_shndx)
    if any(data[file_off:file_off + blob_size]):
        sys.exit("ksyms.py: ksyms_blob in %s is not zero-filled (patched twice?)" % src)
    funcs = [(n, v, sz) for n, v, sz, is_func, _ in syms if is_func]
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
