#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run a cmocka test binary with TAP output and pass it on as one TAP stream meson accepts.

cmocka 1.1.5 (Debian 12) prints TAP when CMOCKA_MESSAGE_OUTPUT=TAP, with two deviations
meson's TAP parser rejects: every cmocka_run_group_tests() call prints its own "1..N" plan and
restarts numbering at 1 (test_config.c runs several groups), and a skipped case is printed as
"not ok N # SKIP name", which TAP reads as a failure. This wrapper renumbers the cases, prints
one plan at the end, and turns skips into "ok N name # SKIP". Everything else (failure
messages, sanitizer reports on stderr, the exit status) passes through unchanged, so a binary
that crashes part-way still fails: meson sees its status and the missing cases.

usage: cmocka_tap.py TEST_BINARY [ARGS...]
"""
import os
import re
import subprocess
import sys

PLAN = re.compile(r"^1\.\.(\d+)\s*$")
CASE = re.compile(r"^(not ok|ok) \d+(?: - (.*?))?(?: # SKIP (.*))?$")


def normalise(lines):
    """cmocka's TAP lines -> (TAP lines with one late plan, number of cases)."""
    out, n = [], 0
    for line in lines:
        if PLAN.match(line):
            continue
        m = CASE.match(line)
        if not m:
            out.append(line)
            continue
        n += 1
        verdict, name, skipped = m.groups()
        if skipped is not None:
            out.append("ok %d %s # SKIP" % (n, skipped.strip() or name or ""))
        else:
            out.append("%s %d - %s" % (verdict, n, name or ""))
    # A run of zero cases keeps a 1..0 plan, which meson reports as skipped: check.py counts
    # that as a failure (a test binary that ran nothing).
    out.append("1..%d" % n)
    return out, n


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    env = dict(os.environ)
    env.setdefault("CMOCKA_MESSAGE_OUTPUT", "TAP")  # meson.build sets it; by hand too
    p = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, env=env, text=True,
                       errors="replace")
    lines, _n = normalise(p.stdout.splitlines())
    print("\n".join(lines), flush=True)
    return p.returncode if p.returncode >= 0 else 128 - p.returncode


if __name__ == "__main__":
    sys.exit(main())
