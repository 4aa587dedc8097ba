#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""make check: every test Keel has, ending with one line "N passed, N failed, N skipped".

  1. unit: host unit tests (cmocka via TAP, ASan+UBSan) counted per case, the libFuzzer
     targets, and self-tests of this script (the CI workflow runs every test)
  2. config: defconfigs and fragments produce the expected headers; bad ones are rejected
  3. boot (matrix): every shipped defconfig x profile, with ktest.config, built and booted
     in QEMU (TCG) with "ktest": banner checked, every in-kernel test passed, QEMU's exit
     status = pass code; one config per arch also built with GCC; poweroff, idle, trace,
     crash and console boots per arch; each defconfig as shipped (KTEST=n) boots and
     refuses "ktest"; the Pi 4 configs on QEMU 10 -M raspi4b (a Debian trixie chroot, set
     up once when run as root)
  4. boot (entry, uboot, numa, menuconfig): arm64 EL2 entry, riscv64 fw_jump and Sv39;
     U-Boot boot.scr + booti on arm64 virt, riscv64 virt (S-mode) and the Pi 4, the SD
     image; two NUMA nodes, RAM above 4 GiB; a profile chosen in menuconfig
Builds go to $O/check/ (default build/check/), each boot's console to <build>/logs/.
Filters (combined): --only GROUP[,GROUP], --arch, --profile, --cc, -k REGEX; --list prints
the tests a selection runs. docs/testing.md has the details.
"""
import argparse
import json
import os
import re
import shlex
import subprocess
import sys
import time

SRC = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(SRC, "scripts"))
sys.path.insert(0, os.path.join(SRC, "scripts", "kconfig"))
from pyfind import ensure_kconfiglib  # noqa: E402
ensure_kconfiglib()  # the config tests and builds run Kconfiglib with this interpreter
import qemu  # noqa: E402

PY = sys.executable
KCONFIG = [PY, os.path.join(SRC, "scripts", "kconfig", "kconfig.py")]
BOOT_TIMEOUT = 120  # seconds per QEMU boot; TCG on a loaded 2-core machine is slow


class Results:
    def __init__(self):
        self.passed = self.failed = self.skipped = 0
        self.failures = []
        self.names = set()  # every name recorded, to find planned tests that were not

    def record(self, name, ok, detail="", info=""):
        """@detail explains a failure or skip; @info is shown on a pass."""
        self.names.add(name)
        if ok is None:
            self.skipped += 1
            print("SKIP %s: %s" % (name, detail), flush=True)
        elif ok:
            self.passed += 1
            print("PASS %s%s" % (name, (" (%s)" % info) if info else ""), flush=True)
        else:
            self.failed += 1
            self.failures.append(name)
            print("FAIL %s: %s" % (name, detail), flush=True)

    def count(self, name, passed, failed, skipped, bad_cases, detail):
        """Several cases of one test program (@bad_cases: names of the failed ones)."""
        self.names.add(name)
        self.passed += passed
        self.failed += failed
        self.skipped += skipped
        info = "%d cases%s" % (passed, ", %d skipped" % skipped if skipped else "")
        if not failed:
            print("PASS %s (%s)" % (name, info), flush=True)
            return
        self.failures.append(name)
        for case in bad_cases:
            print("  failed case: %s/%s" % (name, case))
        print("FAIL %s: %d passed, %d failed\n%s" % (name, passed, failed, detail), flush=True)


def run(cmd, cwd=SRC, timeout=900, env=None):
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, timeout=timeout, env=env, stdin=subprocess.DEVNULL)
    return p.returncode, p.stdout


# ---- 1. host unit tests -------------------------------------------------------------------

def unit_setup(res, out):
    """The host unit-test build directory, set up and built; None (recorded) on failure."""
    build = os.path.join(out, "unit")
    if not os.path.exists(os.path.join(build, "build.ninja")):
        # clang, so that the libFuzzer targets (test/fuzz) build and run too
        env = dict(os.environ, CC=os.environ.get("KEEL_HOST_CC", "clang"))
        rc, log = run(["meson", "setup", build, SRC], env=env)
        if rc:
            res.record("unit/setup", False, log[-3000:])
            return None
    return build


def unit_test_list(build):
    """[(check name, meson test name, protocol)] from meson's introspection of @build."""
    rc, text = run(["meson", "introspect", "--tests", build])
    if rc:
        raise RuntimeError("meson introspect --tests %s failed:\n%s" % (build, text[-2000:]))
    tests = []
    for t in json.loads(text):
        suite = t["suite"][0].split(":")[-1]  # "keel:unit" -> unit, "keel:fuzz" -> fuzz
        tests.append(("%s/%s" % (suite, t["name"]), t["name"], t["protocol"]))
    return tests


def tap_cases(build):
    """{meson test name: [(case, verdict)]} from meson's JUnit log, i.e. meson's own reading of
    each TAP stream. Verdict: "ok", "skipped", "failure" or "error"."""
    import xml.etree.ElementTree as ET
    logf = os.path.join(build, "meson-logs", "testlog.junit.xml")
    cases = {}
    for suite in ET.parse(logf).getroot().iter("testsuite"):
        for tc in suite.iter("testcase"):
            if tc.get("classname") != suite.get("name") or tc.get("classname") == "keel":
                continue  # a one-result (exit code) test, not a TAP case
            verdict = next((c.tag for c in tc if c.tag in ("skipped", "failure", "error")),
                           "ok")
            # "<project>.<test>", the test named "<project>:<suite> / <test>" or "<test>"
            test = suite.get("name").split(".", 1)[1].rsplit(" / ", 1)[-1]
            cases.setdefault(test, []).append((tc.get("name"), verdict))
    return cases


def count_tap(cases, meson_ok):
    """(passed, failed, skipped, failed case names) of one TAP test. A binary that crashed
    (meson's verdict is not OK but no case failed) or ran no case at all counts as failed."""
    passed = sum(1 for _c, v in cases if v == "ok")
    skipped = sum(1 for _c, v in cases if v == "skipped")
    bad = [c for c, v in cases if v in ("failure", "error")]
    failed = len(bad)
    if not meson_ok and failed == 0:
        failed = 1
    if passed + failed == 0:
        failed = 1
    return passed, failed, skipped, bad


_unit_names = {}


def unit_names(out):
    """The names unit_tests() records, for --list (sets the build directory up if needed)."""
    if out in _unit_names:
        return _unit_names[out]
    res = Results()
    build = unit_setup(res, out)
    if not build:
        sys.exit("error: cannot list the host unit tests: meson setup failed (make test-unit)")
    _unit_names[out] = [name for name, _test, _protocol in unit_test_list(build)]
    return _unit_names[out]


def unit_tests(res, out, pattern=None):
    """Every meson test of the host build (those whose name matches @pattern): cmocka
    binaries counted per TAP case, fuzzers and script tests one check each."""
    build = unit_setup(res, out)
    if not build:
        return
    rc, log = run(["ninja", "-C", build])
    if rc:
        res.record("unit/build", False, log[-3000:])
        return
    tests = [t for t in unit_test_list(build) if not pattern or re.search(pattern, t[0])]
    if not tests:
        return  # naming no test would make meson run them all
    run(["meson", "test", "-C", build, "--no-rebuild", "--print-errorlogs"] +
        [test for _name, test, _protocol in tests], timeout=1800)
    logf = os.path.join(build, "meson-logs", "testlog.json")
    if not os.path.exists(logf):
        res.record("unit/run", False, "meson test wrote no testlog.json")
        return
    verdicts = {}
    for line in open(logf):
        t = json.loads(line)
        out_txt = (t.get("stdout") or "") + (t.get("stderr") or "")
        verdicts[t["name"].rsplit(" / ", 1)[-1]] = (t["result"], out_txt)
    cases = tap_cases(build)
    for name, test, protocol in tests:
        result, out_txt = verdicts.get(test, ("not run", ""))
        if protocol == "tap":
            passed, failed, skipped, bad = count_tap(cases.get(test, []), result == "OK")
        else:
            passed, failed, skipped, bad = (1, 0, 0, []) if result == "OK" else (0, 1, 0, [])
        res.count(name, passed, failed, skipped, bad,
                  "meson says %s\n%s" % (result, out_txt[-4000:]))


# ---- 2. configuration ---------------------------------------------------------------------

PROFILE_FLAGS = {
    "dev": {"DEBUG_ASSERTS", "PARANOID_CHECKS", "LOG_VERBOSE"},
    "standard": set(),
    "hardened": {"DEBUG_ASSERTS", "PARANOID_CHECKS", "RAM_SCRUBBER", "HASH_KERNEL_TEXT"},
}
ALL_FLAGS = {"DEBUG_ASSERTS", "PARANOID_CHECKS", "RAM_SCRUBBER", "HASH_KERNEL_TEXT", "LOG_VERBOSE"}


def configure(build, defconfig, fragments):
    files = [os.path.join(SRC, "configs", f) for f in [defconfig] + fragments]
    rc, log = run(KCONFIG + ["defconfig", os.path.join(build, ".config")] + files)
    if rc:
        return False, log
    rc, log2 = run(["bash", os.path.join(SRC, "scripts", "build.sh"), build, PY, "--config-only"])
    return rc == 0, log + log2


def header_flags(build):
    text = open(os.path.join(build, "include", "generated", "autoconf.h")).read()
    return set(re.findall(r"#define CONFIG_ENABLE_(\w+) 1", text))


SWITCH_SEQUENCE = ("hardened", "dev", "standard", "hardened")
CONFIG_TESTS = (["config/profile-%s-sets-enable-flags" % p for p in PROFILE_FLAGS] +
                ["config/switch-%d-to-%s-updates-enable-flags" % sp
                 for sp in enumerate(SWITCH_SEQUENCE)] +
                ["config/custom-hardening-overrides-profile", "config/savedefconfig-round-trips",
                 "config/unknown-symbol-rejected", "config/unsatisfiable-value-rejected",
                 "config/unknown-symbol-in-defconfig-rejected"])


def config_tests(res, out):
    """Records CONFIG_TESTS."""
    for prof, want in PROFILE_FLAGS.items():
        build = os.path.join(out, "cfg-" + prof)
        ok, log = configure(build, "arm64_virt_defconfig", [prof + ".config"])
        if not ok:
            res.record("config/profile-%s-sets-enable-flags" % prof, False, log[-2000:])
            continue
        got = header_flags(build) & ALL_FLAGS
        res.record("config/profile-%s-sets-enable-flags" % prof, got == want,
                   "autoconf.h has %s, expected %s" % (sorted(got), sorted(want)))
    # switching profile on an existing .config (make <defconfig>; make <profile>.config)
    seq = os.path.join(out, "cfg-switch")
    ok, log = configure(seq, "x86_64_defconfig", [])
    for step, prof in enumerate(SWITCH_SEQUENCE):
        rc, log2 = run(KCONFIG + ["merge", os.path.join(seq, ".config"),
                                  os.path.join(SRC, "configs", prof + ".config")])
        rc2, log3 = run(["bash", os.path.join(SRC, "scripts", "build.sh"), seq, PY,
                         "--config-only"])
        got = header_flags(seq) & ALL_FLAGS if ok and rc == 0 and rc2 == 0 else None
        res.record("config/switch-%d-to-%s-updates-enable-flags" % (step, prof),
                   got == PROFILE_FLAGS[prof],
                   "autoconf.h has %s, expected %s\n%s" % (got and sorted(got),
                                                            sorted(PROFILE_FLAGS[prof]),
                                                            (log + log2 + log3)[-1500:]))
    # HARDENING_CUSTOM lets one mechanism be chosen by hand on top of a profile
    custom = os.path.join(out, "custom.config")
    with open(custom, "w") as f:
        f.write("CONFIG_HARDENING_CUSTOM=y\nCONFIG_ENABLE_RAM_SCRUBBER=y\n")
    run(KCONFIG + ["merge", os.path.join(seq, ".config"),
                   os.path.join(SRC, "configs", "standard.config")])
    run(KCONFIG + ["merge", os.path.join(seq, ".config"), custom])
    run(["bash", os.path.join(SRC, "scripts", "build.sh"), seq, PY, "--config-only"])
    got = header_flags(seq) & ALL_FLAGS
    res.record("config/custom-hardening-overrides-profile", got == {"RAM_SCRUBBER"},
               "autoconf.h has %s" % sorted(got))
    # savedefconfig of a defconfig+fragment round-trips to the same .config
    build = os.path.join(out, "cfg-hardened")
    rc, log = run(KCONFIG + ["savedefconfig", os.path.join(build, ".config"),
                             os.path.join(build, "defconfig")])
    rt = os.path.join(out, "cfg-roundtrip")
    rc2, log2 = run(KCONFIG + ["defconfig", os.path.join(rt, ".config"),
                               os.path.join(build, "defconfig")])
    same = (rc == 0 and rc2 == 0 and
            open(os.path.join(build, ".config")).read() == open(os.path.join(rt, ".config")).read())
    res.record("config/savedefconfig-round-trips", same, (log + log2)[-2000:])
    rejection_tests(res, out, os.path.join(build, ".config"))


def rejection_tests(res, out, config):
    """Fragments or defconfigs naming an unknown symbol, or a value its dependencies forbid
    (the x86 PC board on an arm64 config), are errors that name the file and the symbol, and
    leave the configuration as it was; nothing is silently dropped."""
    cases = [("config/unknown-symbol-rejected", "merge", "CONFIG_NO_SUCH_SYMBOL=y",
              "NO_SUCH_SYMBOL"),
             ("config/unsatisfiable-value-rejected", "merge", "CONFIG_BOARD_PC_Q35=y",
              "BOARD_PC_Q35"),
             ("config/unknown-symbol-in-defconfig-rejected", "defconfig",
              "CONFIG_ARCH_X86_64=y\nCONFIG_NO_SUCH_SYMBOL=y", "NO_SUCH_SYMBOL")]
    for name, cmd, text, symbol in cases:
        bad = os.path.join(out, name.split("/")[1] + ".config")
        with open(bad, "w") as f:
            f.write(text + "\n")
        target = config if cmd == "merge" else os.path.join(out, "cfg-rejected", ".config")
        if cmd == "defconfig" and os.path.exists(target):
            os.unlink(target)
        before = open(target).read() if os.path.exists(target) else None
        rc, log = run(KCONFIG + [cmd, target, bad])
        after = open(target).read() if os.path.exists(target) else None
        problem = ("accepted" if rc == 0 else
                   "the error does not name %s and %s" % (symbol, bad)
                   if symbol not in log or bad not in log else
                   "the configuration changed" if after != before else None)
        res.record(name, problem is None, "%s\n%s" % (problem, log[-500:]))


# ---- 3. boot matrix -----------------------------------------------------------------------

BANNER = re.compile(r"Keel (\S+) \((\w+), board ([\w-]+), profile (\w+), (\w+) [\d.]+")
KTEST_RESULT = re.compile(r"ktest: (\d+) passed, (\d+) failed")


def build_kernel(build):
    return run(["bash", os.path.join(SRC, "scripts", "build.sh"), build, PY], timeout=900)


def console_log(build, name):
    """Where the console of test @name booted from @build is kept (CI uploads these)."""
    return os.path.join(build, "logs", re.sub(r"[^\w.+-]+", "_", name).strip("_") + ".log")


def boot(build, cmdline, log=None, **kw):
    """boot_qemu(), keeping the console text in console_log(build, @log): the test's name
    (without one, the command line names the file, and a later boot may overwrite it)."""
    status, text = boot_qemu(build, cmdline, **kw)
    log = log or "boot " + (cmdline or "(empty command line)")
    path = console_log(build, log)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write("# %s: cmdline %r, QEMU status %s\n%s" % (log, cmdline, status, text))
    return status, text


def boot_qemu(build, cmdline, until=None, extra=None, timeout=BOOT_TIMEOUT, via="direct",
              feed=None):
    """Boot BUILD; returns (exit status or None if stopped at @until, console text).

    @until is a string or a compiled regex; once the console (or, on the Pi, the other UART)
    shows it, QEMU is killed and the status is "running" if it was still alive. @via is
    "direct" or "uboot" (qemu.py). QEMU runs in its own process group, killed as a whole
    (the Pi's QEMU sits behind qemu10.sh, unshare and chroot). @feed = (marker, bytes): once
    the console shows marker, the bytes are typed on the serial console (QEMU's stdin)."""
    try:
        argv, board = qemu.command(build, cmdline, "tcg", False, False, extra, via)
    except SystemExit as e:  # qemu.py explains what is missing
        return "not started (%s)" % e, ""
    other = board.get("other_log")
    if other and os.path.exists(other):
        os.unlink(other)
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         stdin=subprocess.PIPE if feed else subprocess.DEVNULL,
                         start_new_session=True)

    def stop():
        try:
            os.killpg(p.pid, 9)
        except ProcessLookupError:
            pass
        p.wait()

    def seen(text):
        if other and os.path.exists(other):
            text += open(other, "rb").read()
        if isinstance(until, str):
            return until.encode() in text
        return bool(until.search(text.decode(errors="replace")))

    os.set_blocking(p.stdout.fileno(), False)
    text, deadline = b"", time.time() + timeout
    try:
        while time.time() < deadline:
            chunk = p.stdout.read() or b""
            text += chunk
            if feed and feed[0].encode() in text:
                p.stdin.write(feed[1])
                p.stdin.flush()
                feed = None
            if until and seen(text):
                time.sleep(0.5)  # still alive shortly after saying it idles?
                text += p.stdout.read() or b""
                alive = p.poll() is None
                stop()
                return ("running" if alive else p.returncode), text.decode(errors="replace")
            if p.poll() is not None:
                text += p.stdout.read() or b""
                stop()  # anything the group left behind
                return p.returncode, text.decode(errors="replace")
            time.sleep(0.05)
    finally:
        if p.poll() is None:
            stop()
    return "timeout", text.decode(errors="replace")


# The CONFIG_ENABLE_* mechanisms with code behind them (asserts: the spinlock owner checks and
# ASSERT(); verbose-log: the extra boot lines). The others are selected by a profile but not
# built yet (issue 14), and the banner must say so rather than show them on.
BUILT_FLAGS = {"DEBUG_ASSERTS", "LOG_VERBOSE"}


def check_banner(text, arch, board, profile, compiler):
    m = BANNER.search(text)
    if not m:
        return "no banner"
    got = m.group(2, 3, 4, 5)
    want = (arch, board, profile, compiler)
    if got != want:
        return "banner says %s, expected %s" % (got, want)
    flags = re.search(r"hardening: (.*)", text)
    want_on = PROFILE_FLAGS[profile]
    names = {"asserts": "DEBUG_ASSERTS", "paranoid": "PARANOID_CHECKS",
             "ram-scrubber": "RAM_SCRUBBER", "text-hash": "HASH_KERNEL_TEXT",
             "verbose-log": "LOG_VERBOSE"}
    if not flags:
        return "no hardening line in banner"
    built, _, pending = flags.group(1).partition("; selected, not implemented yet:")
    on = {names[k] for k, v in re.findall(r"([\w-]+)=(on|off)", built) if v == "on"}
    if on != want_on & BUILT_FLAGS:
        return "banner hardening flags %s, expected %s" % (sorted(on), sorted(want_on & BUILT_FLAGS))
    # A mechanism without code is never shown as on: the profile's unbuilt ones are listed apart.
    unbuilt = {names[k] for k in pending.split() if k in names}
    if unbuilt != want_on - BUILT_FLAGS:
        return "banner lists %s as not implemented, expected %s" % (sorted(unbuilt),
                                                                   sorted(want_on - BUILT_FLAGS))
    if not re.search(r"memory: \d+ MiB usable", text):
        return "no memory summary in banner"
    return None


DEFCONFIGS = [("x86_64_defconfig", "x86_64", "pc-q35"),
              ("arm64_virt_defconfig", "arm64", "qemu-virt"),
              ("riscv64_virt_defconfig", "riscv64", "qemu-virt"),
              ("arm64_rpi4_defconfig", "arm64", "rpi4")]
PROFILES = ("dev", "standard", "hardened")
COMPILERS = ("clang", "gcc")
KTEST_FRAGMENT = "ktest.config"  # CONFIG_KTEST defaults to n: every ktest boot turns it on

MATRIX = []   # (name, defconfig, fragments, arch, board, profile, compiler): ktest builds
NOKTEST = []  # the same fields: each defconfig as shipped (KTEST=n), standard profile, clang
for defc, arch, board in DEFCONFIGS:
    short = defc[:-len("_defconfig")]
    for prof in PROFILES:
        MATRIX.append(("%s-%s-clang" % (short, prof), defc, [prof + ".config", KTEST_FRAGMENT],
                       arch, board, prof, "clang"))
    MATRIX.append(("%s-standard-gcc" % short, defc,
                   ["standard.config", "gcc.config", KTEST_FRAGMENT],
                   arch, board, "standard", "gcc"))
    NOKTEST.append(("%s-standard-clang-noktest" % short, defc, ["standard.config"],
                    arch, board, "standard", "clang"))
BUILDS = {e[0]: e for e in MATRIX + NOKTEST}


def ktest_boot(res, name, build, arch, board, profile, compiler, extra=None, via="direct"):
    b = qemu.BOARDS[(arch, board)]
    # A board that cannot exit (the Pi: no PSCI, no semihosting) is stopped at the result line.
    until = KTEST_RESULT if b["pass"] == "running" else None
    status, text = boot(build, "ktest", name, extra=extra, via=via, until=until)
    m = KTEST_RESULT.findall(text)
    problem = check_banner(text, arch, board, profile, compiler)
    if str(status).startswith("not started"):
        problem = "QEMU " + status
    elif not problem:
        if not m:
            problem = "no ktest result line"
        elif int(m[-1][1]) != 0 or int(m[-1][0]) == 0:
            problem = "ktest reported %s passed, %s failed" % m[-1]
        elif status != b["pass"]:
            problem = "QEMU exit status %s, expected %s (pass)" % (status, b["pass"])
    # The failing checks may be far above the console tail: quote them first.
    failed_lines = "\n".join(l for l in text.splitlines()
                             if re.search(r"\[FAIL\]|check failed|expected .* got", l))
    detail = problem and (problem + "\n--- failed checks ---\n" + failed_lines[-2000:] +
                          "\n--- console ---\n" + text[-3000:])
    other = os.path.join(build, qemu.OTHER_UART_LOG)
    if problem and b.get("chroot") and os.path.exists(other):
        # Say which UART the kernel used when it was not the one stdout-path names.
        otext = open(other, errors="replace").read()
        if BANNER.search(otext) and not BANNER.search(text):
            there = KTEST_RESULT.findall(otext)
            problem = ("the kernel printed on the other UART, not on the one /chosen/stdout-path "
                       "names%s" % (there and " (there: ktest %s passed, %s failed)" % there[-1]))
        detail = problem + "\n--- console UART ---\n" + text[-2000:] + \
            "\n--- other UART ---\n" + otext[-2500:]
    res.record(name, problem is None, detail, info=problem is None and "%s ktests" % m[-1][0])
    return text


# ---- issue 4: trace dump -> Chrome JSON, fault report, interactive console ---------------

def trace_test(res, arch, build):
    """ktest trace-dump: the dump converts to valid Chrome trace JSON with irq and timer events.
    A few bytes typed during the run give a receive interrupt on every port (x86-64 and
    riscv64 take the timer outside the dispatcher)."""
    import trace2json
    name = "boot/%s/trace-dump-converts-to-chrome-json" % arch
    status, text = boot(build, "ktest trace-dump", name,
                        feed=("ktest: running", b"trace\n"))
    try:
        doc = trace2json.convert(*trace2json.parse_dump(text))
        with open(os.path.join(build, "trace.json"), "w") as f:
            json.dump(doc, f)
        problems = trace2json.validate(json.loads(json.dumps(doc)))
    except ValueError as e:
        problems = [str(e)]
    n = len(doc["traceEvents"]) if not problems else 0
    res.record(name, not problems, "; ".join(problems[:5]) + "\n" + text[-2000:],
               info="%d events -> %s" % (n, os.path.join(build, "trace.json")))


def crash_test(res, arch, build):
    """"crash": the fault report names the deliberate call chain in its backtrace."""
    name = "boot/%s/crash-prints-symbolized-backtrace" % arch
    status, text = boot(build, "crash", name,
                        until=re.compile(r"System halted|ktest: 0 passed"), timeout=60)
    bt = text[text.find("backtrace:"):] if "backtrace:" in text else ""
    want = ["crash_level2", "crash_selftest", "kernel_main"]
    missing = [w for w in want if w not in bt]
    ok = "KERNEL FAULT: illegal instruction" in text and not missing
    res.record(name, ok,
               "missing %s\n%s" % (missing, text[-2500:]))


def console_test(res, arch, build):
    """The idle console echoes typed lines and runs help, mem and uptime."""
    name = "boot/%s/console-echoes-and-runs-commands" % arch
    status, text = boot(build, "", name, feed=("keel> ", b"help\nmem\nuptime\n"),
                        until=re.compile(r"up \d+\.\d+ s \(\d+ ns\)"), timeout=60)
    checks = {"echo of help": "keel> help", "help output": "uptime    time since",
              "mem per-node output": "pmm node 0: ", "mem per-order output": "    order:",
              "mem page-table output": "  mmu: ", "echo of uptime": "keel> uptime"}
    missing = [k for k, v in checks.items() if v not in text]
    if not re.search(r"up \d+\.\d{6} s \(\d+ ns\)", text):
        missing.append("uptime output")
    res.record(name, not missing,
               "missing %s\n%s" % (missing, text[-2000:]))


RPI4_CONSOLE_TEST = "boot/arm64-rpi4-raspi4b/console-echoes-and-runs-commands"


def matrix_test(res, out, entry):
    """Build one matrix entry and boot it with "ktest"."""
    name, _defc, _frags, arch, board, prof, compiler = entry
    build = matrix_build(res, out, name, record_pass=True)
    if not build:
        return
    reason = qemu.unsupported_reason((arch, board))
    if reason:
        res.record("boot/%s/ktest" % name, None, reason)
        return
    ktest_boot(res, "boot/%s/ktest" % name, build, arch, board, prof, compiler)


def poweroff_test(res, arch, build):
    name = "boot/%s/poweroff-exits-0" % arch
    status, text = boot(build, "poweroff", name)
    ok = status == 0 and "powering off" in text
    res.record(name, ok, "" if ok else "exit %s\n%s" % (status, text[-2000:]))


def idle_test(res, arch, build):
    name = "boot/%s/idles-without-request" % arch
    status, text = boot(build, "", name, until="keel: idle")
    ok = status == "running" and "PANIC" not in text
    res.record(name, ok, "" if ok else "status %s\n%s" % (status, text[-2000:]))


def noktest_test(res, out, entry):
    """A defconfig as shipped (CONFIG_KTEST=n) builds, boots with "poweroff" (banner, then
    the exit poweroff gives; the Pi, which cannot power off, is stopped at its message), and
    answers "ktest" with a failure: nothing was compiled in to run."""
    name, _defc, _frags, arch, board, prof, compiler = entry
    build = matrix_build(res, out, name, record_pass=True)
    if not build:
        return
    b = qemu.BOARDS[(arch, board)]
    reason = qemu.unsupported_reason((arch, board))
    stays_up = b["pass"] == "running"
    for test, cmdline, until, want_status, want_text in [
            ("poweroff", "poweroff", "powering off", "running" if stays_up else 0,
             "keel: powering off"),
            ("ktest-reports-failure", "ktest", KTEST_RESULT, b["fail"],
             "built without CONFIG_KTEST")]:
        tname = "boot/%s/%s" % (name, test)
        if reason:
            res.record(tname, None, reason)
            continue
        status, text = boot(build, cmdline, tname, until=until if stays_up else None)
        problem = check_banner(text, arch, board, prof, compiler)
        if not problem and want_text not in text:
            problem = "no %r on the console" % want_text
        if not problem and test == "ktest-reports-failure" and \
                KTEST_RESULT.findall(text)[-1:] != [("0", "1")]:
            problem = "no \"ktest: 0 passed, 1 failed\" line"
        if not problem and status != want_status:
            problem = "QEMU exit status %s, expected %s" % (status, want_status)
        res.record(tname, problem is None, "%s\n%s" % (problem, text[-2500:]))


RPI4_CONSOLE_TEST = "boot/arm64-rpi4-raspi4b/console-echoes-and-runs-commands"


def el2_entry_test(res, out):
    """EL2 entry (as U-Boot and the Pi firmware give it) must drop to EL1 and pass too."""
    build = matrix_build(res, out, "arm64_virt-standard-clang")
    if build:
        ktest_boot(res, "boot/arm64-virt-el2-entry/ktest", build, "arm64", "qemu-virt",
                   "standard", "clang", extra=["-M", "virt,virtualization=on"])


def fw_jump_test(res, out):
    """riscv64 started by Debian's OpenSBI fw_jump (not QEMU's default fw_dynamic)."""
    fw_jump = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin"
    if not os.path.exists(fw_jump):
        res.record("boot/riscv64-fw_jump/ktest", None, "%s missing (package opensbi)" % fw_jump)
        return
    build = matrix_build(res, out, "riscv64_virt-standard-clang")
    if build:
        ktest_boot(res, "boot/riscv64-fw_jump/ktest", build, "riscv64", "qemu-virt", "standard",
                   "clang", extra=["-bios", fw_jump])


def sv39_test(res, out):
    """Sv39 on a hart that has Sv48: QEMU 7.2 has no sv48=off, so the "sv39" word forces it."""
    build = matrix_build(res, out, "riscv64_virt-standard-clang")
    if build:
        ktest_boot(res, "boot/riscv64-sv39/ktest", build, "riscv64", "qemu-virt", "standard",
                   "clang", extra=["-append", "ktest sv39"])


NOMAP_BOOTS = [("boot/arm64-nomap/ktest", "arm64_virt-standard-clang", "arm64"),
               ("boot/riscv64-nomap/ktest", "riscv64_virt-standard-clang", "riscv64")]


def nomap_test(res, out, name, bname, arch):
    """A /reserved-memory no-map range (added to QEMU's own DTB by scripts/mkdtb-nomap.py) is
    left out of the direct map and the page allocator: ktest test_memtypes, which with
    "expect-nomap" fails when the kernel saw no such range."""
    build = matrix_build(res, out, bname)
    if not build:
        return
    dtb = os.path.join(build, "nomap.dtb")
    rc, log = run([PY, os.path.join(SRC, "scripts", "mkdtb-nomap.py"), build, dtb])
    if rc:
        res.record(name, False, "mkdtb-nomap.py failed:\n" + log[-2000:])
        return
    ktest_boot(res, name, build, arch, "qemu-virt", "standard", "clang",
               extra=["-dtb", dtb, "-append", "ktest expect-nomap"])


# ---- NUMA and RAM above 4 GiB (issue 5) -------------------------------------------------------

NUMA_NODE_MIB = (256, 128)  # two nodes of different sizes; -m is their sum
NUMA_SLACK_KIB = 2048       # firmware/legacy holes a node may lose (x86: 384 KiB below 1 MiB)
BIG_RAM = "5G"              # x86-64: 2 GiB below the q35 PCI hole, 3 GiB above 4 GiB


def numa_args(arch):
    """QEMU 7.2 arguments for two memory-backed NUMA nodes. riscv64 virt makes a socket of
    each node and refuses one without harts, so it gets -smp 2 (one hart per node); the others
    keep one CPU on node 0 and a memory-only node 1."""
    args = ["-m", "%dM" % sum(NUMA_NODE_MIB)]
    if arch == "riscv64":
        args += ["-smp", "2"]
    for n, mib in enumerate(NUMA_NODE_MIB):
        cpus = ",cpus=%d" % n if n == 0 or arch == "riscv64" else ""
        args += ["-object", "memory-backend-ram,id=m%d,size=%dM" % (n, mib),
                 "-numa", "node,nodeid=%d,memdev=m%d%s" % (n, n, cpus)]
    return args


def banner_nodes(text):
    """{node: total KiB} from the banner's "memory node N: X KiB total" lines."""
    return {int(n): int(k) for n, k in re.findall(r"memory node (\d+): (\d+) KiB total", text)}


NUMA_BOOTS = [  # (test, boot-matrix build, arch, board)
    ("boot/x86_64-numa", "x86_64-standard-clang", "x86_64", "pc-q35"),
    ("boot/arm64-numa", "arm64_virt-standard-clang", "arm64", "qemu-virt"),
    ("boot/riscv64-numa", "riscv64_virt-standard-clang", "riscv64", "qemu-virt"),
]


def numa_test(res, out, name, bname, arch, board):
    """Two -numa nodes of different sizes: the banner shows both with their sizes (less what
    firmware keeps) and the ktests pass, including test/ktest/test_numa.c's node placement."""
    build = matrix_build(res, out, bname)
    if not build:
        return
    text = ktest_boot(res, name + "/ktest", build, arch, board, "standard", "clang",
                      extra=numa_args(arch))
    got = banner_nodes(text)
    want = {n: mib * 1024 for n, mib in enumerate(NUMA_NODE_MIB)}
    bad = [n for n in want if n not in got or not 0 <= want[n] - got[n] <= NUMA_SLACK_KIB]
    problem = (("banner shows nodes %s, expected %s" % (sorted(got), sorted(want)))
               if sorted(got) != sorted(want) else
               ("node totals %s KiB, expected %s KiB less at most %d KiB" %
                (got, want, NUMA_SLACK_KIB)) if bad else None)
    res.record(name + "/two-nodes-in-banner", problem is None,
               "%s\n%s" % (problem, text[-2500:]),
               info=", ".join("node %d %d KiB" % kv for kv in sorted(got.items())))


# -cpu max has pdpe1gb (1 GiB leaves); qemu64 has not: the 2 MiB boot-table path, with
# the RAM above 4 GiB split over two SRAT nodes (node 0: 2 GiB low + 4-5 GiB, node 1: 5-7).
BIG_NUMA = ["-cpu", "qemu64"] + [a for n, gib in enumerate((3, 2)) for a in (
    "-object", "memory-backend-ram,id=m%d,size=%dG" % (n, gib),
    "-numa", "node,nodeid=%d,memdev=m%d%s" % (n, n, ",cpus=0" if n == 0 else ""))]
BIG_RAM_BOOTS = [  # (test, extra QEMU arguments, expected node totals in KiB or None)
    ("boot/x86_64-%s-ram" % BIG_RAM.lower(), [], None),
    ("boot/x86_64-%s-ram-numa-2m-leaves" % BIG_RAM.lower(), BIG_NUMA, {0: 3 << 20, 1: 2 << 20}),
]


def big_ram_test(res, out, name, extra, want):
    """x86-64 with more than 4 GiB of RAM: all of it mapped and counted, ktests pass."""
    build = matrix_build(res, out, "x86_64-standard-clang")
    if not build:
        return
    text = ktest_boot(res, name + "/ktest", build, "x86_64", "pc-q35", "standard", "clang",
                      extra=["-m", BIG_RAM] + extra)
    got = banner_nodes(text)
    total = sum(got.values())
    ok = total > 4 << 20 and "RAM above 4 GiB" in text and "NOT MAPPED" not in text
    if want:
        ok = ok and sorted(got) == sorted(want) and all(
            0 <= want[n] - got.get(n, -1 << 40) <= NUMA_SLACK_KIB for n in want)
    res.record(name + "/node-total-above-4g", ok, "nodes %s KiB\n%s" % (got, text[-2500:]),
               info="%d KiB: %s" % (total, ", ".join("node %d %d KiB" % kv
                                                      for kv in sorted(got.items()))))


# ---- U-Boot, the Raspberry Pi 4 under emulation, the SD image (issue 3) -----------------------

def fetch_rpi4_dtb():
    """Fetch Debian's bcm2711-rpi-4-b.dtb (cached) for the unit tests: KEEL_RPI4_DTB."""
    if os.environ.get("KEEL_RPI4_DTB"):
        return
    rc, log = run([os.path.join(SRC, "scripts", "fetch-debs.sh"), "rpi4-dtb"], timeout=900)
    lines = log.strip().splitlines() or [""]
    if rc == 0:
        os.environ["KEEL_RPI4_DTB"] = lines[-1]
        print("KEEL_RPI4_DTB=%s" % lines[-1], flush=True)
    else:
        print("note: no Pi 4 device tree for the unit tests: %s" % lines[-1], flush=True)


def setup_rpi4_emulation():
    """Set up QEMU 10 (Debian trixie chroot, scripts/qemu10.sh) for -M raspi4b and fetch the
    Pi's U-Boot and DTB when possible; when not, the Pi boots are skipped with the reason."""
    key = ("arm64", "rpi4")
    if key in qemu.UNSUPPORTED:
        return
    if os.geteuid() != 0:
        reason = ("needs QEMU >= 9 (-M raspi4b); setting up QEMU 10 from trixie needs root: "
                  "sudo scripts/qemu10.sh setup")
    elif not os.path.exists(qemu.QEMU10_STAMP) and not any(
            os.path.exists(os.path.join(d, "debootstrap")) for d in ("/usr/sbin", "/sbin")):
        reason = ("needs QEMU >= 9 (-M raspi4b); debootstrap (for QEMU 10 from trixie) is not "
                  "installed: scripts/install-deps.sh")
    else:
        reason = None
        if not os.path.exists(qemu.QEMU10_STAMP):
            print("== setting up QEMU 10 from Debian trixie for -M raspi4b (once, cached)",
                  flush=True)
            t0 = time.time()
            rc, log = run([os.path.join(SRC, "scripts", "qemu10.sh"), "setup"], timeout=1800)
            if rc:
                reason = "setting up QEMU 10 failed: " + log.strip()[-500:]
            else:
                print("QEMU 10 ready (%.0f s)" % (time.time() - t0), flush=True)
        for what in ("rpi4-dtb", "u-boot-rpi"):
            rc, log = run([os.path.join(SRC, "scripts", "fetch-debs.sh"), what], timeout=900)
            if rc and not reason:
                reason = "fetching Debian's %s failed: %s" % (what, log.strip()[-300:])
    if reason:
        qemu.UNSUPPORTED[key] = reason


UBOOT_BOOTS = [  # (test, boot-matrix build it boots, arch, board)
    ("boot/arm64-uboot-booti/ktest", "arm64_virt-standard-clang", "arm64", "qemu-virt"),
    ("boot/riscv64-uboot-smode/ktest", "riscv64_virt-standard-clang", "riscv64", "qemu-virt"),
    ("boot/rpi4-raspi4b-uboot/ktest", "arm64_rpi4-standard-clang", "arm64", "rpi4"),
]


BUILT = {}  # build name -> its directory, or None when it failed; each built once per run


def matrix_build(res, out, name, record_pass=False):
    """Build directory NAME (MATRIX or NOKTEST), configured and built once per run. A failure
    is recorded as build/NAME; a success only with @record_pass (the test that owns it)."""
    if name not in BUILT:
        entry = BUILDS[name]
        build = os.path.join(out, name)
        ok, log = configure(build, entry[1], entry[2])
        if ok:
            rc, log = build_kernel(build)
            ok = rc == 0
        if not ok or record_pass:
            res.record("build/" + name, ok, "" if ok else log[-3000:])
        BUILT[name] = build if ok else None
    return BUILT[name]


def fat_files(img):
    """Names in the root of the first partition of disk image IMG (sfdisk + mdir)."""
    env = dict(os.environ, PATH=os.environ.get("PATH", "") + ":/usr/sbin:/sbin")
    rc, log = run(["sfdisk", "-J", img], env=env)
    if rc:
        return None, "sfdisk: " + log
    part = json.loads(log)["partitiontable"]["partitions"][0]
    where = "%s@@%d" % (img, part["start"] * 512)
    rc, log = run(["mdir", "-b", "-i", where, "::/"])
    if rc:
        return None, "mdir: " + log
    return [line.strip().lstrip(":/") for line in log.splitlines() if line.strip()], part


SDIMAGE_TEST = "sdimage/rpi4-fat-partition-has-boot-files"
SDIMAGE_REFUSED_TEST = "sdimage/refused-for-other-boards"


def sdimage_test(res, out):
    """make sdimage builds a Pi 4 card whose FAT partition has the boot files."""
    want = ["config.txt", "u-boot.bin", "boot.scr", "Image", "bcm2711-rpi-4-b.dtb"]
    name = SDIMAGE_TEST
    build = matrix_build(res, out, "arm64_rpi4-standard-clang")
    if build:
        rc, log = run(["make", "-s", "-C", SRC, "O=" + build, "sdimage"], timeout=900)
        files, part = fat_files(os.path.join(build, "sdcard.img")) if rc == 0 else (None, "")
        problem = ("make sdimage failed" if rc else
                   "cannot read the image: %s" % part if files is None else
                   "partition type %s, expected c (FAT32 LBA)" % part["type"]
                   if part["type"] != "c" else
                   "missing on the FAT partition: %s" % [f for f in want if f not in files]
                   if any(f not in files for f in want) else None)
        if not problem:
            rc, cfg = run(["mtype", "-i", "%s@@%d" % (os.path.join(build, "sdcard.img"),
                                                      part["start"] * 512), "::/config.txt"])
            lines = set(cfg.split())
            if not {"arm_64bit=1", "enable_uart=1", "kernel=u-boot.bin"} <= lines:
                problem = "config.txt lacks arm_64bit=1/enable_uart=1/kernel=u-boot.bin"
        if rc and "apt-get update failed" in log:  # no way to Debian's mirror
            res.record(name, None, "cannot download u-boot-rpi/the DTB: " + log[-300:])
        else:
            res.record(name, problem is None, "%s\n%s" % (problem, log[-2000:]),
                       info=files and " ".join(files))


def sdimage_refused_test(res, out):
    """make sdimage on another board is refused with a clear message."""
    build = matrix_build(res, out, "arm64_virt-standard-clang")
    if build:
        rc, log = run(["make", "-s", "-C", SRC, "O=" + build, "sdimage"], timeout=900)
        res.record(SDIMAGE_REFUSED_TEST, rc != 0 and "is for the Raspberry Pi 4" in log,
                   "exit %d:\n%s" % (rc, log[-1000:]))


def uboot_test(res, out, name, bname, arch, board):
    """A boot through U-Boot (boot.scr + booti)."""
    reason = qemu.unsupported_reason((arch, board))
    if reason:
        res.record(name, None, reason)
        return
    build = matrix_build(res, out, bname)
    if build:
        ktest_boot(res, name, build, arch, board, "standard", "clang", via="uboot")


# ---- PC boot media: the GRUB ISO under SeaBIOS and OVMF (issue 10) -------------------------

ISO_BOOTS = [  # (test prefix, qemu.py --boot)
    ("boot/x86_64-iso-seabios", "iso"),
    ("boot/x86_64-iso-ovmf", "iso-uefi"),
]
# The banner's memory map, as boot/multiboot2.c names the loader, with at least one region.
MB2_MEMORY_MAP = re.compile(r"memory map \((Multiboot2 \(GRUB [^)\n]*\))\):\n"
                            r"((?:    \[0x[0-9a-f]+-0x[0-9a-f]+\] .*\n)+)")


def iso_boot_test(res, out, prefix, via):
    """make iso's image (scripts/iso.sh: GRUB for BIOS and UEFI, cmdline "ktest") boots the
    x86_64-standard-clang build by Multiboot2 from QEMU's default SeaBIOS or from OVMF (q35,
    TCG): banner, every ktest passed (test/ktest/x86_64/test_x86_boot.c checks what came
    through Multiboot2), the banner's memory map from GRUB."""
    missing = qemu.iso_missing(via == "iso-uefi")
    if missing:
        for t in ("/ktest", "/multiboot2-memory-map-in-banner"):
            res.record(prefix + t, None, "needs the Debian packages %s "
                       "(scripts/install-deps.sh)" % " ".join(missing))
        return
    build = matrix_build(res, out, "x86_64-standard-clang")
    if not build:
        return
    text = ktest_boot(res, prefix + "/ktest", build, "x86_64", "pc-q35", "standard",
                      "clang", via=via)
    m = MB2_MEMORY_MAP.search(text.replace("\r", ""))
    res.record(prefix + "/multiboot2-memory-map-in-banner", m is not None,
               "no \"memory map (Multiboot2 (GRUB ...)):\" with regions in the banner\n" +
               text[-2500:],
               info=m and "%s, %d regions" % (m.group(1), m.group(2).count("\n")))


ISO_REFUSED_TEST = "iso/refused-for-other-arches"


def iso_refused_test(res, out):
    """make iso refuses a configuration that is not x86-64, saying why."""
    build = matrix_build(res, out, "arm64_virt-standard-clang")
    if build:
        rc, log = run(["make", "-s", "-C", SRC, "O=" + build, "iso"], timeout=900)
        res.record(ISO_REFUSED_TEST, rc != 0 and "make iso is for x86-64" in log,
                   "exit %d:\n%s" % (rc, log[-1000:]))


def drive_menuconfig(build, keys, timeout=30):
    """Run "make menuconfig" on a pseudo-terminal and type @keys; returns (opened, status)."""
    import pty
    import select
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm"
        os.execvp("make", ["make", "-s", "-C", SRC, "O=" + build, "menuconfig"])
    seen = b""

    def read_for(seconds, until=None):
        nonlocal seen
        end = time.time() + seconds
        while time.time() < end:
            if select.select([fd], [], [], 0.1)[0]:
                try:
                    seen += os.read(fd, 65536)
                except OSError:
                    return False
                if until and until in seen:
                    return True
        return False

    opened = read_for(timeout, b"Keel kernel configuration")
    for k in keys if opened else [b"\x1b", b"Q", b"N"]:
        os.write(fd, k)
        read_for(0.5)
    read_for(3)
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return opened, status


def menuconfig_test(res, out):
    """menuconfig opens in a terminal, and the profile chosen there is what gets built."""
    build = os.path.join(out, "menuconfig")
    ok, log = configure(build, "riscv64_virt_defconfig", ["standard.config", KTEST_FRAGMENT])
    # "/" jumps to a symbol; space selects the choice entry; Q quits, Y saves.
    opened, status = drive_menuconfig(build, [b"/", b"PROFILE_DEV", b"\r", b" ", b"Q", b"Y"])
    res.record("config/menuconfig-opens-in-a-terminal", ok and opened and status == 0,
               "opened=%s exit status=%s %s" % (opened, status, log[-500:]))
    rc, log = build_kernel(build)
    if rc:
        res.record("config/menuconfig-choice-is-built", False, log[-2000:])
        return
    ktest_boot(res, "config/menuconfig-choice-is-built", build, "riscv64", "qemu-virt", "dev",
               "clang")


# ---- self-tests: the CI workflow runs everything, TAP counting ------------------------------

CI_WORKFLOW = os.path.join(SRC, ".github", "workflows", "ci.yml")
SELFTEST_CI = "selftest/ci-workflow-cells-run-every-test"
SELFTEST_CI_REMOVAL = "selftest/ci-workflow-without-any-one-cell-misses-tests"
SELFTEST_TAP = "selftest/tap-crash-and-empty-runs-count-as-failed"
SELFTEST_ENV = "selftest/make-check-ignores-filter-variables-from-the-environment"


def ci_cells(path=None):
    """([(cell, make arguments)], the job's run lines) of the workflow's "check" job."""
    import yaml  # python3-yaml
    job = yaml.safe_load(open(path or CI_WORKFLOW))["jobs"]["check"]
    runs = [st.get("run", "") for st in job["steps"]]
    return [(c["cell"], c["make"]) for c in job["strategy"]["matrix"]["include"]], runs


_listings = {}


def cell_tests(out, make_args):
    """The tests "make check <make_args>" runs: the check.py command the Makefile builds for
    them (make -n, so the variable wiring is tested too), listed as --list would."""
    if make_args not in _listings:
        # Not the variables of a make check this runs under (MAKEFLAGS carries ONLY=...).
        env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS",
                                                                 "MAKELEVEL", "MAKEOVERRIDES")}
        a = parse_args(make_check_argv(make_args, env))
        _listings[make_args] = {n for c in plan(out, a.pattern) if selected(c, a)
                                for n in c.listed(a.pattern)}
    return _listings[make_args]


def ci_coverage(out, cells):
    """Problems with CI @cells against a plain make check: tests no cell runs, and cells that
    run nothing the others do not (dropping such a cell would go unnoticed)."""
    everything = cell_tests(out, "")
    sets = {cell: cell_tests(out, make) for cell, make in cells}
    ran = set().union(*sets.values()) if sets else set()
    problems = ["no CI cell runs %s" % n for n in sorted(everything - ran)]
    problems += ["CI cell %s runs %s, which make check does not" % (c, sorted(t - everything))
                 for c, t in sets.items() if t - everything]
    for cell, tests in sets.items():
        others = set().union(*(t for c, t in sets.items() if c != cell))
        if not tests - others:
            problems.append("CI cell %s runs nothing the other cells do not" % cell)
    return problems


def ci_selftests(res, out):
    """The workflow's cells together run exactly what make check runs, each job installs the
    dependencies and runs its cell, and leaving out any one cell leaves tests unrun."""
    try:
        cells, runs = ci_cells()
        problems = ci_coverage(out, cells)
    except (ImportError, OSError, KeyError, ValueError) as e:
        res.record(SELFTEST_CI, False, "%s: %s (python3-yaml installed?)" % (CI_WORKFLOW, e))
        return
    for want in ("./scripts/install-deps.sh", "make check ${{ matrix.make }}"):
        if want not in runs:
            problems.append("the check job has no step running %r" % want)
    res.record(SELFTEST_CI, not problems, "\n".join(problems[:40]),
               info="%d cells, %d tests" % (len(cells), len(cell_tests(out, ""))))
    blind = [cell for i, (cell, _m) in enumerate(cells)
             if not any(p.startswith("no CI cell runs")
                        for p in ci_coverage(out, cells[:i] + cells[i + 1:]))]
    res.record(SELFTEST_CI_REMOVAL, not blind and len(cells) > 1,
               "coverage still complete without cell(s) %s" % blind)


def make_check_argv(make_args, env):
    """check.py's arguments for "make check <make_args>" run with environment @env."""
    rc, text = run(["make", "-s", "-n", "-C", SRC, "check"] + shlex.split(make_args), env=env)
    cmd = shlex.split(text.strip().splitlines()[-1]) if rc == 0 and text.strip() else []
    i = next((i for i, w in enumerate(cmd) if w.endswith("check.py")), None)
    if i is None:
        raise ValueError("make -n check %s ran no check.py:\n%s" % (make_args, text))
    return cmd[i + 1:]


def env_selftest(res):
    """ONLY, ARCH, PROFILE, KCC, K (and CC) exported in the environment do not filter make
    check; the same names on make's command line do."""
    clean = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS",
                                                              "MAKELEVEL", "MAKEOVERRIDES")}
    env = dict(clean, ONLY="unit", ARCH="arm64", PROFILE="dev", KCC="gcc", CC="gcc", K="x")
    inherited = make_check_argv("", env)
    given = make_check_argv("ONLY=boot ARCH=riscv64 PROFILE=hardened KCC=gcc K=a.b", clean)
    want = ["--only=boot", "--arch=riscv64", "--profile=hardened", "--cc=gcc", "-k", "a.b"]
    res.record(SELFTEST_ENV, inherited == [] and given == want,
               "from the environment: %s (expected none); on the command line: %s (expected %s)"
               % (inherited, given, want))


def tap_selftest(res):
    """count_tap() on the results meson gives for a failed case, a crash after a passing
    case, a binary that ran nothing, and a skip."""
    got = [count_tap([("1 - a", "ok"), ("2 - b", "failure")], False),
           count_tap([("1 - a", "ok")], False), count_tap([], True),
           count_tap([("1 - a", "ok"), ("2 b", "skipped")], True)]
    want = [(1, 1, 0, ["2 - b"]), (1, 1, 0, []), (0, 1, 0, []), (1, 0, 1, [])]
    res.record(SELFTEST_TAP, got == want, "count_tap gave %s, expected %s" % (got, want))


# ---- the plan: every test, tagged with what the filters select on -------------------------

GROUPS = {"unit": ["unit"], "config": ["config"],
          "boot": ["matrix", "entry", "uboot", "numa", "iso", "menuconfig"]}
TITLES = {"unit": "host unit tests", "config": "configuration tests",
          "matrix": "boot matrix (QEMU, TCG)", "entry": "other entry paths (EL2, fw_jump, Sv39) and no-map boots",
          "uboot": "U-Boot and Raspberry Pi 4 boots, SD image",
          "numa": "NUMA and RAM above 4 GiB",
          "iso": "PC boot media: GRUB ISO under SeaBIOS and OVMF", "menuconfig": "menuconfig"}
STD_BUILDS = [("x86_64", "x86_64-standard-clang"), ("arm64", "arm64_virt-standard-clang"),
              ("riscv64", "riscv64_virt-standard-clang")]


class Check:
    """One planned test, or the few names one run records (a build and its boot). @names is a
    list or, for the unit tests, a function listing them. Tags: arch, defconfig (board name
    without _defconfig), profile, compiler and the build directory it uses."""

    def __init__(self, names, group, run, build=None, split=False, **tags):
        self.names, self.group, self.run, self.build, self.split = names, group, run, build, split
        entry = BUILDS.get(build)
        if entry:
            tags = dict(dict(arch=entry[3], defconfig=entry[1][:-len("_defconfig")],
                             profile=entry[5], compiler=entry[6]), **tags)
        self.arch, self.defconfig = tags.get("arch"), tags.get("defconfig")
        self.profile, self.compiler = tags.get("profile"), tags.get("compiler")

    def all_names(self):
        return self.names() if callable(self.names) else list(self.names)

    def listed(self, pattern):
        """The names a run records; a @split check runs only those matching @pattern."""
        names = self.all_names()
        return [n for n in names if re.search(pattern, n)] if self.split and pattern else names


def on_build(out, bname, test, *args):
    """A test function run on boot-matrix build @bname (built when needed)."""
    def go(res):
        build = matrix_build(res, out, bname)
        if build:
            test(res, *args, build)
    return go


def rpi4_console(out):
    """raspi4b: the console is the mini UART (stdout-path serial1), input by its AUX IRQ."""
    def go(res):
        reason = qemu.unsupported_reason(("arm64", "rpi4"))
        build = not reason and matrix_build(res, out, "arm64_rpi4-standard-clang")
        if reason:
            res.record(RPI4_CONSOLE_TEST, None, reason)
        elif build:
            console_test(res, "arm64-rpi4-raspi4b", build)
    return go


def plan(out, pattern=None):
    """Every test make check runs, in running order."""
    std_tests = [(poweroff_test, "boot/%s/poweroff-exits-0"),
                 (idle_test, "boot/%s/idles-without-request"),
                 (trace_test, "boot/%s/trace-dump-converts-to-chrome-json"),
                 (crash_test, "boot/%s/crash-prints-symbolized-backtrace"),
                 (console_test, "boot/%s/console-echoes-and-runs-commands")]
    checks = [Check(lambda: unit_names(out), "unit", lambda res: unit_tests(res, out, pattern),
                    split=True),
              Check([SELFTEST_TAP], "unit", tap_selftest),
              Check([SELFTEST_ENV], "unit", env_selftest),
              Check([SELFTEST_CI, SELFTEST_CI_REMOVAL], "unit",
                    lambda res: ci_selftests(res, out)),
              Check(CONFIG_TESTS, "config", lambda res: config_tests(res, out))]
    for e in MATRIX:
        checks.append(Check(["build/" + e[0], "boot/%s/ktest" % e[0]], "matrix",
                            lambda res, e=e: matrix_test(res, out, e), build=e[0]))
    for arch, bname in STD_BUILDS:
        for test, name in std_tests:
            checks.append(Check([name % arch], "matrix", on_build(out, bname, test, arch),
                                build=bname))
    checks.append(Check([RPI4_CONSOLE_TEST], "matrix", rpi4_console(out),
                        build="arm64_rpi4-standard-clang"))
    for e in NOKTEST:
        checks.append(Check(["build/" + e[0]] + ["boot/%s/%s" % (e[0], t) for t in
                                                 ("poweroff", "ktest-reports-failure")],
                            "matrix", lambda res, e=e: noktest_test(res, out, e), build=e[0]))
    checks += [
        Check(["boot/arm64-virt-el2-entry/ktest"], "entry", lambda res: el2_entry_test(res, out),
              build="arm64_virt-standard-clang"),
        Check(["boot/riscv64-fw_jump/ktest"], "entry", lambda res: fw_jump_test(res, out),
              build="riscv64_virt-standard-clang"),
        Check(["boot/riscv64-sv39/ktest"], "entry", lambda res: sv39_test(res, out),
              build="riscv64_virt-standard-clang")]
    for name, bname, arch in NOMAP_BOOTS:
        checks.append(Check([name], "entry", lambda res, a=(name, bname, arch):
                            nomap_test(res, out, *a), build=bname))
    for name, bname, arch, board in UBOOT_BOOTS:
        checks.append(Check([name], "uboot", lambda res, a=(name, bname, arch, board):
                            uboot_test(res, out, *a), build=bname))
    checks += [Check([SDIMAGE_TEST], "uboot", lambda res: sdimage_test(res, out),
                     build="arm64_rpi4-standard-clang"),
               Check([SDIMAGE_REFUSED_TEST], "uboot", lambda res: sdimage_refused_test(res, out),
                     build="arm64_virt-standard-clang")]
    for name, bname, arch, board in NUMA_BOOTS:
        checks.append(Check([name + "/ktest", name + "/two-nodes-in-banner"], "numa",
                            lambda res, a=(name, bname, arch, board): numa_test(res, out, *a),
                            build=bname))
    for name, extra, want in BIG_RAM_BOOTS:
        checks.append(Check([name + "/ktest", name + "/node-total-above-4g"], "numa",
                            lambda res, a=(name, extra, want): big_ram_test(res, out, *a),
                            build="x86_64-standard-clang"))
    for prefix, via in ISO_BOOTS:
        checks.append(Check([prefix + "/ktest", prefix + "/multiboot2-memory-map-in-banner"],
                            "iso", lambda res, a=(prefix, via): iso_boot_test(res, out, *a),
                            build="x86_64-standard-clang"))
    checks.append(Check([ISO_REFUSED_TEST], "iso", lambda res: iso_refused_test(res, out),
                        build="arm64_virt-standard-clang"))
    checks.append(Check(["config/menuconfig-opens-in-a-terminal",
                         "config/menuconfig-choice-is-built"], "menuconfig",
                        lambda res: menuconfig_test(res, out), arch="riscv64",
                        defconfig="riscv64_virt", profile="dev", compiler="clang"))
    return checks


def selected(check, a):
    """Whether the filters in @a (parse_args()) select @check. A filter on arch, profile or
    compiler leaves out the host tests, which have none."""
    if check.group not in a.groups:
        return False
    if a.arch and a.arch not in (check.arch, check.defconfig):
        return False
    if (a.profile and a.profile != check.profile) or (a.cc and a.cc != check.compiler):
        return False
    if a.pattern:
        return any(re.search(a.pattern, n) for n in check.all_names() + [check.build or ""])
    return True


def account_for(res, check, pattern):
    """Record as skipped the names @check planned but did not record (its build failed, an
    earlier step failed), so that every name --list prints is in the totals."""
    try:
        names = check.listed(pattern)
    except SystemExit:  # the unit tests' build directory could not be set up: recorded
        return
    for name in names:
        if name not in res.names:
            res.record(name, None, "not run: a step it needs failed (see above)")


def parse_args(argv=None):
    boards = sorted({d[:-len("_defconfig")] for d, _a, _b in DEFCONFIGS} |
                    {a for _d, a, _b in DEFCONFIGS})
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", metavar="GROUP[,GROUP]",
                    help="unit, config, boot, or part of boot: %s" % ", ".join(GROUPS["boot"]))
    ap.add_argument("-k", dest="pattern", help="tests whose name (or build) matches this regex")
    ap.add_argument("--arch", choices=boards, help="an architecture or a defconfig's board")
    ap.add_argument("--profile", choices=PROFILES)
    ap.add_argument("--cc", choices=COMPILERS, help="kernel compiler")
    ap.add_argument("--list", action="store_true",
                    help="print the name of every test this selection runs, one per line")
    ap.add_argument("--out", default=os.path.join(os.environ.get("O", "build"), "check"))
    a = ap.parse_args(argv)
    a.groups = set()
    for g in (a.only or ",".join(GROUPS)).split(","):
        if g in GROUPS:
            a.groups |= set(GROUPS[g])
        elif g in GROUPS["boot"]:
            a.groups.add(g)
        else:
            ap.error("--only: unknown group %r" % g)
    return a


def main():
    a = parse_args()
    out = os.path.abspath(os.path.join(SRC, a.out) if not os.path.isabs(a.out) else a.out)
    os.makedirs(out, exist_ok=True)
    checks = [c for c in plan(out, a.pattern) if selected(c, a)]
    if a.list:
        print("\n".join(n for c in checks for n in c.listed(a.pattern)))
        return
    res = Results()
    t0 = time.time()
    if any(c.group == "unit" for c in checks):
        fetch_rpi4_dtb()
    if any(c.defconfig == "arm64_rpi4" for c in checks):
        setup_rpi4_emulation()
    group = None
    for c in checks:
        if c.group != group:
            group = c.group
            print("== " + TITLES[group], flush=True)
        c.run(res)
        account_for(res, c, a.pattern)
    print("== done in %.0f s" % (time.time() - t0))
    if res.failures:
        print("failed: " + ", ".join(res.failures))
    line = "%d passed, %d failed" % (res.passed, res.failed)
    if res.skipped:
        line += ", %d skipped" % res.skipped
    print(line)
    sys.exit(1 if res.failed or res.passed == 0 else 0)


if __name__ == "__main__":
    main()
