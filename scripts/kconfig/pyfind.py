# SPDX-License-Identifier: MIT
"""Re-run the calling script under an interpreter that can import Kconfiglib.

Debian's python3-kconfiglib is importable only by /usr/bin/python3; a python3 earlier on PATH
(pyenv, venv) usually cannot see it. Scripts call ensure_kconfiglib() before importing it.
"""
import os
import sys


def ensure_kconfiglib():
    try:
        import kconfiglib  # noqa: F401
        return
    except ImportError:
        pass
    debian = "/usr/bin/python3"
    if os.path.exists(debian) and os.path.realpath(sys.executable) != os.path.realpath(debian) \
            and not os.environ.get("KEEL_PY_REEXEC"):
        os.environ["KEEL_PY_REEXEC"] = "1"
        os.execv(debian, [debian] + sys.argv)
    sys.exit("error: Kconfiglib not importable by %s; install it with: "
             "sudo apt-get install python3-kconfiglib" % sys.executable)
