#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Host test of scripts/ksyms.py: patch the test_ksyms binary as the kernel build patches
keel.elf, then run the copy so it checks the table names its own functions.

usage: ksyms_image.py KSYMS_PY TEST_KSYMS_BINARY OUTPUT_DIR"""
import os
import subprocess
import sys


def main():
    ksyms_py, binary, outdir = sys.argv[1:]
    patched = os.path.join(outdir, "test_ksyms_patched")
    subprocess.run([sys.executable, ksyms_py, "--base", "ksyms_test_anchor", binary, patched],
                   check=True)
    # Patching twice must be refused: the blob is no longer zero.
    again = subprocess.run([sys.executable, ksyms_py, "--base", "ksyms_test_anchor", patched,
                            patched + ".2"], capture_output=True, text=True)
    if again.returncode == 0 or "not zero-filled" not in again.stderr:
        sys.exit("ksyms.py accepted an already patched image")
    sys.exit(subprocess.run([patched, "--patched"]).returncode)


if __name__ == "__main__":
    main()
