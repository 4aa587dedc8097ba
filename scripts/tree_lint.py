#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Structural rules of the source tree, checked in make check (issue 10's "Done when").

  1. Portable code (core/, lib/, drivers/, include/ outside a port) never includes an arch header.
  2. The include graph has no cycle outside a port (a cycle among one port's own headers is
     the port's business; anything else makes the layering unreadable).
  3. No file under arch/ names a board device: interrupt controllers and UARTs are drivers
     bound from the platform description (drivers/), not architecture. Comments may mention
     them (to say where the code went); code may not.

Usage: tree_lint.py [--root DIR]   (exit 0 when clean, 1 with one line per violation)
       tree_lint.py --self-test    (proves each rule fires on a small synthetic tree)
"""
import argparse
import os
import re
import sys
import tempfile

PORTABLE_DIRS = ("core", "lib", "drivers", "include")
SOURCE_EXT = (".c", ".h", ".S")
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]', re.M)

# Board devices by the names their drivers and registers go by. Matched as whole words
# (case-insensitive) in code with comments and strings removed.
BOARD_DEVICES = [
    r"gic[dcr]?", r"gicv[23]", r"gic_\w+", r"\w+_gic", r"gicd_\w+", r"gicc_\w+", r"gicr_\w+",
    r"plic", r"plic_\w+", r"\w+_plic",
    r"ioapic", r"ioapic_\w+", r"\w+_ioapic\w*",
    r"pl011", r"pl011_\w+", r"\w*16550\w*", r"\w*8250\w*",
    r"bcm2835_aux\w*", r"mini_uart\w*", r"com1\w*", r"sifive_test\w*",
]
BOARD_RE = re.compile(r"\b(%s)\b" % "|".join(BOARD_DEVICES), re.I)
# The GICv3 CPU interface is architectural (system registers, Arm ARM), not a board device.
ARCH_OK = re.compile(r"\b(icc_\w+|gic_cpuif\w*|hal_\w+)\b", re.I)


def sources(root, top):
    base = os.path.join(root, top)
    for d, _, files in os.walk(base):
        for f in files:
            if f.endswith(SOURCE_EXT):
                yield os.path.join(d, f)


def strip_comments_and_strings(text):
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    text = re.sub(r"(?m)^\s*#[^\n]*", "", text)  # preprocessor lines: checked separately
    return re.sub(r'"(\\.|[^"\\])*"', '""', text)


def resolve(root, inc, including_file):
    """The repository path an #include names, or None for a system/generated header."""
    here = os.path.dirname(including_file)
    if os.path.exists(os.path.join(here, inc)):
        return os.path.normpath(os.path.join(here, inc))
    cand = os.path.join(root, "include", inc)
    if os.path.exists(cand):
        return os.path.normpath(cand)
    if inc.startswith("arch/"):
        # <arch/x.h> resolves inside the including file's own port, or any port for portable code
        m = re.match(r"(.*/arch/[^/]+)/", including_file)
        ports = [m.group(1)] if m else [os.path.join(root, "arch", a)
                                        for a in sorted(os.listdir(os.path.join(root, "arch")))]
        for p in ports:
            cand = os.path.join(p, "include", inc)
            if os.path.exists(cand):
                return os.path.normpath(cand)
    return None


def port_of(path, root):
    rel = os.path.relpath(path, root).split(os.sep)
    return rel[1] if rel[0] == "arch" and len(rel) > 1 else None


def include_graph(root):
    graph, problems = {}, []
    tops = [t for t in PORTABLE_DIRS + ("arch",) if os.path.isdir(os.path.join(root, t))]
    for top in tops:
        for f in sources(root, top):
            text = open(f, errors="replace").read()
            edges = []
            for inc in INCLUDE.findall(text):
                tgt = resolve(root, inc, f)
                if inc.startswith("arch/") and not port_of(f, root):
                    problems.append("%s: portable code includes the arch header <%s>"
                                    % (os.path.relpath(f, root), inc))
                if tgt:
                    edges.append(tgt)
            graph[os.path.normpath(f)] = edges
    return graph, problems


def find_cycles(graph, root):
    """Cycles (as lists of files) not wholly inside one port."""
    cycles, state, stack = [], {}, []

    def visit(n):
        state[n] = 1
        stack.append(n)
        for m in graph.get(n, []):
            if state.get(m) == 1:
                cyc = stack[stack.index(m):]
                ports = {port_of(x, root) for x in cyc}
                if not (len(ports) == 1 and None not in ports):
                    cycles.append([os.path.relpath(x, root) for x in cyc])
            elif m in graph and not state.get(m):
                visit(m)
        stack.pop()
        state[n] = 2

    sys.setrecursionlimit(10000)
    for n in sorted(graph):
        if not state.get(n):
            visit(n)
    return cycles


def board_devices_in_arch(root):
    problems = []
    for f in sources(root, "arch"):
        code = strip_comments_and_strings(open(f, errors="replace").read())
        for lineno, line in enumerate(code.splitlines(), 1):
            line = ARCH_OK.sub("", line)
            m = BOARD_RE.search(line)
            if m:
                problems.append("%s:%d: arch code names the board device '%s'"
                                % (os.path.relpath(f, root), lineno, m.group(1)))
    return problems


def lint(root):
    graph, problems = include_graph(root)
    problems += ["include cycle outside a port: %s" % " -> ".join(c + [c[0]])
                 for c in find_cycles(graph, root)]
    if os.path.isdir(os.path.join(root, "arch")):
        problems += board_devices_in_arch(root)
    return problems


def self_test():
    """Each rule must fire on a tree built to break it, and stay quiet on a clean one."""
    files = {
        "include/kernel/a.h": "#include <kernel/b.h>\n",
        "include/kernel/b.h": "#include <kernel/a.h>\n",
        "core/x.c": "#include <arch/cpu.h>\n",
        "arch/foo/include/arch/cpu.h": "#include <arch/p.h>\n",
        "arch/foo/include/arch/p.h": "#include <arch/cpu.h>\n",  # a port's own cycle: allowed
        "arch/foo/cpu.c": "/* the PL011 moved to drivers/ */\nstatic int pl011_base;\n",
        "arch/foo/ok.c": "/* GIC CPU interface */ static void icc_eoi(void) {}\n",
    }
    want = ["portable code includes the arch header", "include cycle outside a port",
            "arch/foo/cpu.c:2: arch code names the board device 'pl011_base'"]
    with tempfile.TemporaryDirectory() as d:
        for path, text in files.items():
            os.makedirs(os.path.dirname(os.path.join(d, path)), exist_ok=True)
            open(os.path.join(d, path), "w").write(text)
        got = lint(d)
    missing = [w for w in want if not any(w in p for p in got)]
    extra = [p for p in got if not any(w in p for w in want)]
    for m in missing:
        print("self-test: rule did not fire: %s" % m)
    for e in extra:
        print("self-test: unexpected report: %s" % e)
    return not missing and not extra and len(got) == len(want)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--root", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap.add_argument("--self-test", action="store_true")
    a = ap.parse_args()
    if a.self_test:
        ok = self_test()
        print("tree_lint self-test: %s" % ("ok" if ok else "FAILED"))
        return 0 if ok else 1
    problems = lint(os.path.abspath(a.root))
    for p in problems:
        print(p)
    print("tree_lint: %d problem(s)" % len(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
