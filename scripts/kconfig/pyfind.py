# SPDX-License-Identifier: MIT
"""Re-run the calling script under an interpreter that can import the Debian Python modules.

Debian's python3-kconfiglib and python3-pyelftools are importable only by /usr/bin/python3; a
python3 earlier on PATH (pyenv, venv, meson's find_program) usually cannot see them. Scripts
call ensure_kconfiglib() / ensure_module() before importing them.
"""
import importlib
import os
import sys


def ensure_module(module, package):
    """Import @module here, or re-exec this script under /usr/bin/python3, or exit saying
    which Debian @package to install."""
    try:
        importlib.import_module(module)
        return
    except ImportError:
        pass
    debian = "/usr/bin/python3"
    if os.path.exists(debian) and os.path.realpath(sys.executable) != os.path.realpath(debian) \
            and not os.environ.get("KEEL_PY_REEXEC"):
        os.environ["KEEL_PY_REEXEC"] = "1"
        os.execv(debian, [debian] + sys.argv)
    sys.exit("error: %s not importable by %s; install it with: sudo apt-get install %s"
             % (module, sys.executable, package))


def ensure_kconfiglib():
    ensure_module("kconfiglib", "python3-kconfiglib")
