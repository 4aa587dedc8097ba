#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Kconfiglib's own tools behind the Makefile, with one policy on top.

  kconfig.py defconfig CONFIG DEFCONFIG [FRAGMENT...]   Kconfiglib's defconfig, then merge
  kconfig.py merge CONFIG FRAGMENT...                   each fragment through setconfig, in order
  kconfig.py olddefconfig CONFIG                        Kconfiglib's olddefconfig
  kconfig.py savedefconfig CONFIG OUT                   Kconfiglib's savedefconfig
  kconfig.py genconfig CONFIG HEADER                    Kconfiglib's genconfig (C header,
                                                        rewritten only on change)

The policy: a defconfig or fragment that names an unknown symbol, or sets a value Kconfig
cannot honour (for example a choice blocked by dependencies), is an error, because silent
drops are how a config ends up different from what the user asked for. setconfig checks
exactly that for each assignment, so every defconfig and fragment line goes through it.
"""
import contextlib
import importlib
import io
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfind import ensure_kconfiglib  # noqa: E402
ensure_kconfiglib()
import kconfiglib  # noqa: E402

KCONFIG = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                        "Kconfig"))
QUIET = ("Loaded configuration", "No change to configuration", "Configuration saved to")


def run_tool(name, args, what=None, quiet=False):
    """Run Kconfiglib's tool @name (its module's main()) as if from the command line. An
    error exit is reported with @what (the file being applied); @quiet drops the routine
    "Loaded"/"No change" lines the tools print."""
    tool = importlib.import_module(name)
    saved, sys.argv = sys.argv, [name] + args
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            tool.main()
    except SystemExit as e:
        if e.code not in (None, 0):
            msg = str(e.code)
            sys.exit("error: %s: %s" % (what or name, msg[len("error: "):]
                                        if msg.startswith("error: ") else msg))
    finally:
        sys.argv = saved
        lines = [l for l in out.getvalue().splitlines() if l and
                 not (quiet and l.startswith(QUIET))]
        if lines:
            print("\n".join(lines))


def assignments(path):
    """NAME=value for every CONFIG_NAME=value and "# CONFIG_NAME is not set" line of
    @path, in order, in the form setconfig takes (no prefix, strings unquoted)."""
    prefix = "CONFIG_"
    out = []
    for line in open(path):
        line = line.strip()
        if line.startswith("# " + prefix) and line.endswith(" is not set"):
            out.append(line[2 + len(prefix):-len(" is not set")] + "=n")
        elif line.startswith(prefix) and "=" in line:
            name, val = line[len(prefix):].split("=", 1)
            if len(val) >= 2 and val[0] == val[-1] == '"':
                val = kconfiglib.unescape(val[1:-1])
            out.append(name + "=" + val)
    return out


def merge(fragments):
    """Apply each fragment to $KCONFIG_CONFIG with setconfig, which rejects unknown symbols
    and values that do not take."""
    for f in fragments:
        run_tool("setconfig", ["--kconfig", KCONFIG] + assignments(f), what=f, quiet=True)


@contextlib.contextmanager
def all_or_nothing(config, start_from_config):
    """Let the tools work on a copy of @config (or a new file), which replaces @config only
    when every step succeeded: a rejected fragment leaves the old configuration as it was."""
    tmp = config + ".new"
    if start_from_config:
        with open(config) as src, open(tmp, "w") as dst:
            dst.write(src.read())
    os.environ["KCONFIG_CONFIG"] = tmp
    try:
        yield
        if os.path.exists(config):
            os.replace(config, config + ".old")  # as Kconfiglib's own write_config() does
        os.replace(tmp, config)
        print("Configuration saved to '%s'" % config)
    finally:
        for leftover in (tmp, tmp + ".old"):
            if os.path.exists(leftover):
                os.unlink(leftover)
        os.environ["KCONFIG_CONFIG"] = config


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    cmd, config, rest = argv[1], argv[2], argv[3:]
    os.environ["KCONFIG_CONFIG"] = config  # every tool reads and writes this file
    os.makedirs(os.path.dirname(os.path.abspath(config)), exist_ok=True)
    if cmd == "defconfig" and rest:
        with all_or_nothing(config, start_from_config=False):
            run_tool("defconfig", ["--kconfig", KCONFIG, rest[0]], what=rest[0], quiet=True)
            merge(rest)  # the defconfig's own lines too: defconfig alone would only warn
    elif cmd == "merge":
        with all_or_nothing(config, start_from_config=True):
            merge(rest)
    elif cmd == "olddefconfig":
        run_tool("olddefconfig", [KCONFIG], quiet=True)
    elif cmd == "savedefconfig" and len(rest) == 1:
        run_tool("savedefconfig", ["--kconfig", KCONFIG, "--out", rest[0]], quiet=True)
    elif cmd == "genconfig" and len(rest) == 1:
        run_tool("genconfig", ["--header-path", rest[0], KCONFIG])
    else:
        sys.exit("error: bad command %r\n%s" % (" ".join(argv[1:]), __doc__))


if __name__ == "__main__":
    main(sys.argv)
