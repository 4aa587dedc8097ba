#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""make size: the kernel's text/data/bss and the lines of code compiled into it.

Sections come from the ELF's section headers (read with pyelftools). Lines of code
are counted over the sources that meson's compile_commands.json says were compiled, plus the
headers they included (from the compiler's depfiles), grouped by top-level directory; blank lines
and comment-only lines are not counted. The design's budget for the trusted core
(core/ + lib/ + arch/<arch>/) is under 10,000 lines.
"""
import json
import os
import subprocess
import sys

SRC = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(SRC, "scripts", "kconfig"))
from pyfind import ensure_module  # noqa: E402
ensure_module("elftools", "python3-pyelftools")
from elftools.common.exceptions import ELFError  # noqa: E402
from elftools.elf.constants import SH_FLAGS  # noqa: E402
from elftools.elf.elffile import ELFFile  # noqa: E402

BUDGET = 10000


def elf_sections(path):
    """(name, type, flags, size) of every section header of ELF file @path."""
    with open(path, "rb") as f:
        try:
            elf = ELFFile(f)
        except ELFError as e:
            sys.exit("error: %s is not an ELF file (%s)" % (path, e))
        return [(s.name, s["sh_type"], s["sh_flags"], s["sh_size"]) for s in elf.iter_sections()]


def classify(sections):
    """text/data/bss the way size(1) counts them: code and read-only data are text."""
    text = data = bss = 0
    for name, typ, flags, size in sections:
        if not flags & SH_FLAGS.SHF_ALLOC:
            continue
        if typ == "SHT_NOBITS":
            bss += size
        elif flags & SH_FLAGS.SHF_EXECINSTR or not flags & SH_FLAGS.SHF_WRITE:
            text += size
        else:
            data += size
    return text, data, bss


def code_lines(path):
    n, in_block = 0, False
    for line in open(path, errors="replace"):
        s = line.strip()
        if in_block:
            if "*/" in s:
                in_block = False
                s = s.split("*/", 1)[1].strip()
            else:
                continue
        if s.startswith("/*"):
            if "*/" not in s:
                in_block = True
            continue
        if not s or s.startswith("//") or (s.startswith("*") and not s.startswith("*)")):
            continue
        n += 1
    return n


def compiled_files(build):
    """Sources from compile_commands.json plus every header ninja recorded as a dependency."""
    files = set()
    for entry in json.load(open(os.path.join(build, "compile_commands.json"))):
        files.add(os.path.normpath(os.path.join(entry["directory"], entry["file"])))
    deps = subprocess.run(["ninja", "-C", build, "-t", "deps"], stdout=subprocess.PIPE,
                          text=True).stdout
    for line in deps.splitlines():
        if line.startswith("    ") and line.strip().endswith(".h"):
            files.add(os.path.normpath(os.path.join(build, line.strip())))
    return files


def main():
    build = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build")
    cfg = dict(l.strip().split("=", 1) for l in open(os.path.join(build, ".config"))
               if l.startswith("CONFIG_"))
    arch = cfg["CONFIG_ARCH"].strip('"')
    text, data, bss = classify(elf_sections(os.path.join(build, "keel.elf")))
    print("keel.elf (%s, %s, %s):" % (arch, cfg["CONFIG_BOARD"].strip('"'),
                                      cfg["CONFIG_PROFILE"].strip('"')))
    print("  %10s %10s %10s %10s" % ("text", "data", "bss", "total"))
    print("  %10d %10d %10d %10d" % (text, data, bss, text + data + bss))
    groups = {}
    for f in compiled_files(build):
        rel = os.path.relpath(f, SRC)
        if rel.startswith(".."):
            continue  # generated headers, compiler headers
        top = rel.split(os.sep)[0]
        if top == "arch":
            top = os.path.join("arch", rel.split(os.sep)[1])
        groups[top] = groups.get(top, 0) + code_lines(f)
    print("lines of code compiled in (sources + headers, no blanks/comments):")
    for k in sorted(groups):
        print("  %-16s %6d" % (k + "/", groups[k]))
    core = sum(v for k, v in groups.items() if k in ("core", "lib", "arch/" + arch))
    print("  trusted core (core/ + lib/ + arch/%s/): %d of the %d-line budget"
          % (arch, core, BUDGET))


if __name__ == "__main__":
    main()
