#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Thin front end to Kconfiglib for the Makefile: every parse and every write is Kconfiglib's.

  kconfig.py defconfig CONFIG DEFCONFIG [FRAGMENT...]   base defconfig + fragments -> CONFIG
  kconfig.py merge CONFIG FRAGMENT...                   fragments on top of CONFIG
  kconfig.py olddefconfig CONFIG                        fill new symbols with defaults
  kconfig.py savedefconfig CONFIG OUT                   minimal defconfig
  kconfig.py genconfig CONFIG HEADER                    C header (autoconf.h), rewritten only on change

A fragment or defconfig that names an unknown symbol, or sets a value Kconfig cannot honour
(for example a choice blocked by dependencies), is an error: silent drops are how a config
ends up different from what the user asked for.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pyfind import ensure_kconfiglib  # noqa: E402
ensure_kconfiglib()
import kconfiglib  # noqa: E402

TOP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def load_kconfig():
    kconf = kconfiglib.Kconfig(os.path.join(TOP, "Kconfig"), warn_to_stderr=False)
    # Overriding a value is what merging fragments is for; check_requested() verifies results.
    kconf.warn_assign_override = False
    kconf.warn_assign_redun = False
    return kconf


def fail_on_warnings(kconf, what):
    bad = [w for w in kconf.warnings]
    if bad:
        for w in bad:
            print("%s: %s" % (what, w), file=sys.stderr)
        sys.exit("error: %s does not apply cleanly (see above)" % what)


def check_requested(kconf, path):
    """Every CONFIG_X=... line in @path must have taken effect."""
    for line in open(path):
        line = line.strip()
        if not line.startswith("CONFIG_") or "=" not in line:
            continue
        name, val = line[len("CONFIG_"):].split("=", 1)
        sym = kconf.syms.get(name)
        if sym is None:
            sys.exit("error: %s sets unknown symbol CONFIG_%s" % (path, name))
        if val.startswith('"'):
            val = val[1:-1]
        if sym.str_value != val and not (val == "n" and sym.str_value == ""):
            sys.exit("error: %s sets CONFIG_%s=%s but Kconfig gives %r (dependencies?)"
                     % (path, name, val, sym.str_value))


def apply(kconf, files, first_replaces):
    for i, f in enumerate(files):
        kconf.load_config(f, replace=(first_replaces and i == 0))
        fail_on_warnings(kconf, f)
    for f in files[1:] if first_replaces else files:
        check_requested(kconf, f)


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    cmd, config = argv[1], argv[2]
    rest = argv[3:]
    os.environ["KCONFIG_CONFIG"] = config
    os.makedirs(os.path.dirname(os.path.abspath(config)), exist_ok=True)
    kconf = load_kconfig()
    if cmd == "defconfig":
        apply(kconf, rest, first_replaces=True)
        print(kconf.write_config(config))
    elif cmd == "merge":
        kconf.load_config(config)
        apply(kconf, rest, first_replaces=False)
        print(kconf.write_config(config))
    elif cmd == "olddefconfig":
        kconf.load_config(config)
        msg = kconf.write_config(config)
        if "No change" not in msg:
            print(msg)
    elif cmd == "savedefconfig":
        kconf.load_config(config)
        print(kconf.write_min_config(rest[0]))
    elif cmd == "genconfig":
        kconf.load_config(config)
        kconf.write_autoconf(rest[0])
    else:
        sys.exit("error: unknown command %r\n%s" % (cmd, __doc__))


if __name__ == "__main__":
    main(sys.argv)
