#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""make check: every test Keel has, ending with one line "N passed, N failed, N skipped".

  1. host unit tests (cmocka, ASan+UBSan), counted per test case
  2. configuration tests: defconfigs and profile fragments produce the expected headers
  3. boot matrix: every shipped defconfig x profile built and booted in QEMU (TCG) with
     "ktest": banner checked, every in-kernel test passed, QEMU's exit status = pass code;
     one config per arch also built with GCC; poweroff and idle boots per arch; the Pi 4
     configs on QEMU 10 -M raspi4b (a Debian trixie chroot, set up once when run as root)
  4. U-Boot: boot.scr + booti on arm64 virt, riscv64 virt (S-mode) and the Pi 4 (raspi4b,
     SD image); make sdimage's FAT partition holds the boot files
Builds go to $O/check/ (default build/check/). Options: --only unit|config|boot, -k PATTERN.
"""
import argparse
import json
import os
import re
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

    def record(self, name, ok, detail="", info=""):
        """@detail explains a failure or skip; @info is shown on a pass."""
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


def run(cmd, cwd=SRC, timeout=900, env=None):
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, timeout=timeout, env=env, stdin=subprocess.DEVNULL)
    return p.returncode, p.stdout


# ---- 1. host unit tests -------------------------------------------------------------------

def unit_tests(res, out):
    build = os.path.join(out, "unit")
    if not os.path.exists(os.path.join(build, "build.ninja")):
        # clang, so that the libFuzzer targets (test/fuzz) build and run too
        env = dict(os.environ, CC=os.environ.get("KEEL_HOST_CC", "clang"))
        rc, log = run(["meson", "setup", build, SRC], env=env)
        if rc:
            res.record("unit/setup", False, log[-3000:])
            return
    rc, log = run(["ninja", "-C", build])
    if rc:
        res.record("unit/build", False, log[-3000:])
        return
    run(["meson", "test", "-C", build, "--no-rebuild", "--print-errorlogs"], timeout=1800)
    logf = os.path.join(build, "meson-logs", "testlog.json")
    if not os.path.exists(logf):
        res.record("unit/run", False, "meson test wrote no testlog.json")
        return
    for line in open(logf):
        t = json.loads(line)
        name = t["name"]
        out_txt = (t.get("stdout") or "") + (t.get("stderr") or "")
        if "[==========]" in out_txt:  # cmocka: count its cases
            passed = sum(int(n) for n in re.findall(r"\[  PASSED  \] (\d+) test", out_txt))
            failed = sum(int(n) for n in re.findall(r"\[  FAILED  \] (\d+) test", out_txt))
            for case in re.findall(r"\[  FAILED  \] (\S+)$", out_txt, re.M):
                print("  failed case: %s/%s" % (name, case))
            if t["result"] != "OK" and failed == 0:
                failed = 1  # crashed or sanitizer abort before cmocka's summary
            if passed == 0 and failed == 0:
                failed = 1  # a test binary that ran no test case is a failure
        else:  # a single check such as a fuzzer run: meson's verdict
            passed, failed = (1, 0) if t["result"] == "OK" else (0, 1)
        res.passed += passed
        res.failed += failed
        if failed:
            res.failures.append("unit/" + name)
            print("FAIL unit/%s: %d passed, %d failed\n%s" % (name, passed, failed,
                                                              out_txt[-4000:]), flush=True)
        else:
            print("PASS unit/%s (%d cases)" % (name, passed), flush=True)


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


def config_tests(res, out):
    for prof, want in PROFILE_FLAGS.items():
        build = os.path.join(out, "cfg-" + prof)
        ok, log = configure(build, "arm64_virt_defconfig", [prof + ".config"])
        if not ok:
            res.record("config/profile-%s" % prof, False, log[-2000:])
            continue
        got = header_flags(build) & ALL_FLAGS
        res.record("config/profile-%s-sets-enable-flags" % prof, got == want,
                   "autoconf.h has %s, expected %s" % (sorted(got), sorted(want)))
    # switching profile on an existing .config (make <defconfig>; make <profile>.config)
    seq = os.path.join(out, "cfg-switch")
    ok, log = configure(seq, "x86_64_defconfig", [])
    for step, prof in enumerate(("hardened", "dev", "standard", "hardened")):
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
    # a fragment naming an unknown symbol is rejected, not silently dropped
    bad = os.path.join(out, "bad.config")
    with open(bad, "w") as f:
        f.write("CONFIG_NO_SUCH_SYMBOL=y\n")
    rc, log = run(KCONFIG + ["merge", os.path.join(build, ".config"), bad])
    res.record("config/unknown-symbol-rejected", rc != 0 and "unknown symbol" in log, log[-500:])


# ---- 3. boot matrix -----------------------------------------------------------------------

BANNER = re.compile(r"Keel (\S+) \((\w+), board ([\w-]+), profile (\w+), (\w+) [\d.]+")
KTEST_RESULT = re.compile(r"ktest: (\d+) passed, (\d+) failed")


def build_kernel(build):
    return run(["bash", os.path.join(SRC, "scripts", "build.sh"), build, PY], timeout=900)


def boot(build, cmdline, until=None, extra=None, timeout=BOOT_TIMEOUT, via="direct", feed=None):
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
    on = {names[k] for k, v in re.findall(r"([\w-]+)=(on|off)", flags.group(1)) if v == "on"}
    if on != want_on:
        return "banner hardening flags %s, expected %s" % (sorted(on), sorted(want_on))
    if not re.search(r"memory: \d+ MiB usable", text):
        return "no memory summary in banner"
    return None


MATRIX = []  # (name, defconfig, fragments, arch, board, profile, compiler)
for defc, arch, board in [("x86_64_defconfig", "x86_64", "pc-q35"),
                          ("arm64_virt_defconfig", "arm64", "qemu-virt"),
                          ("riscv64_virt_defconfig", "riscv64", "qemu-virt"),
                          ("arm64_rpi4_defconfig", "arm64", "rpi4")]:
    short = defc[:-len("_defconfig")]
    for prof in ("dev", "standard", "hardened"):
        MATRIX.append(("%s-%s-clang" % (short, prof), defc, [prof + ".config"],
                       arch, board, prof, "clang"))
    MATRIX.append(("%s-standard-gcc" % short, defc, ["standard.config", "gcc.config"],
                   arch, board, "standard", "gcc"))


def ktest_boot(res, name, build, arch, board, profile, compiler, extra=None, via="direct"):
    b = qemu.BOARDS[(arch, board)]
    # A board that cannot exit (the Pi: no PSCI, no semihosting) is stopped at the result line.
    until = KTEST_RESULT if b["pass"] == "running" else None
    status, text = boot(build, "ktest", extra=extra, via=via, until=until)
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
    status, text = boot(build, "ktest trace-dump", feed=("ktest: running", b"trace\n"))
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
    status, text = boot(build, "crash", until=re.compile(r"System halted|ktest: 0 passed"),
                        timeout=60)
    bt = text[text.find("backtrace:"):] if "backtrace:" in text else ""
    want = ["crash_level2", "crash_selftest", "kernel_main"]
    missing = [w for w in want if w not in bt]
    ok = "KERNEL FAULT: illegal instruction" in text and not missing
    res.record("boot/%s/crash-prints-symbolized-backtrace" % arch, ok,
               "missing %s\n%s" % (missing, text[-2500:]))


def console_test(res, arch, build):
    """The idle console echoes typed lines and runs help, mem and uptime."""
    status, text = boot(build, "", feed=("keel> ", b"help\nmem\nuptime\n"),
                        until=re.compile(r"up \d+\.\d+ s \(\d+ ns\)"), timeout=60)
    checks = {"echo of help": "keel> help", "help output": "uptime    time since",
              "mem per-node output": "pmm node 0: ", "mem per-order output": "    order:",
              "mem page-table output": "  mmu: ", "echo of uptime": "keel> uptime"}
    missing = [k for k, v in checks.items() if v not in text]
    if not re.search(r"up \d+\.\d{6} s \(\d+ ns\)", text):
        missing.append("uptime output")
    res.record("boot/%s/console-echoes-and-runs-commands" % arch, not missing,
               "missing %s\n%s" % (missing, text[-2000:]))


RPI4_CONSOLE_TEST = "boot/arm64-rpi4-raspi4b/console-echoes-and-runs-commands"


def boot_matrix(res, out, pattern):
    booted_std = {}
    rpi4_std = None
    for name, defc, frags, arch, board, prof, compiler in MATRIX:
        if pattern and not re.search(pattern, name):
            continue
        build = os.path.join(out, name)
        ok, log = configure(build, defc, frags)
        if not ok:
            res.record("build/" + name, False, log[-3000:])
            continue
        rc, log = build_kernel(build)
        res.record("build/" + name, rc == 0, log[-3000:] if rc else "")
        if rc:
            continue
        reason = qemu.unsupported_reason((arch, board))
        if reason:
            res.record("boot/" + name, None, reason)
            if board == "rpi4" and prof == "standard" and compiler == "clang":
                res.record(RPI4_CONSOLE_TEST, None, reason)
            continue
        ktest_boot(res, "boot/%s/ktest" % name, build, arch, board, prof, compiler)
        if prof == "standard" and compiler == "clang" and board != "rpi4":
            booted_std[arch] = build
        elif prof == "standard" and compiler == "clang":
            rpi4_std = build
    for arch, build in booted_std.items():
        status, text = boot(build, "poweroff")
        ok = status == 0 and "powering off" in text
        res.record("boot/%s/poweroff-exits-0" % arch, ok, "" if ok else
                   "exit %s\n%s" % (status, text[-2000:]))
        status, text = boot(build, "", until="keel: idle")
        ok = status == "running" and "PANIC" not in text
        res.record("boot/%s/idles-without-request" % arch, ok, "" if ok else
                   "status %s\n%s" % (status, text[-2000:]))
    for arch, build in booted_std.items():
        trace_test(res, arch, build)
        crash_test(res, arch, build)
        console_test(res, arch, build)
    if rpi4_std:
        # raspi4b: the console is the mini UART (stdout-path serial1), input by its AUX IRQ.
        console_test(res, "arm64-rpi4-raspi4b", rpi4_std)  # -> RPI4_CONSOLE_TEST
    if "arm64" in booted_std:
        # EL2 entry (as U-Boot and the Pi firmware give it) must drop to EL1 and pass too.
        ktest_boot(res, "boot/arm64-virt-el2-entry/ktest", booted_std["arm64"], "arm64",
                   "qemu-virt", "standard", "clang", extra=["-M", "virt,virtualization=on"])
    if "riscv64" in booted_std:
        fw_jump = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin"
        if os.path.exists(fw_jump):
            ktest_boot(res, "boot/riscv64-fw_jump/ktest", booted_std["riscv64"], "riscv64",
                       "qemu-virt", "standard", "clang", extra=["-bios", fw_jump])
        else:
            res.record("boot/riscv64-fw_jump/ktest", None, "%s missing (package opensbi)"
                       % fw_jump)
        # Sv39 on a hart that has Sv48: QEMU 7.2 has no sv48=off, so the "sv39" word forces it.
        ktest_boot(res, "boot/riscv64-sv39/ktest", booted_std["riscv64"], "riscv64",
                   "qemu-virt", "standard", "clang", extra=["-append", "ktest sv39"])


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


def numa_tests(res, out, pattern):
    """Two -numa nodes of different sizes on every port: the banner shows both with their
    sizes (less what firmware keeps) and the ktests pass, including test/ktest/test_numa.c's
    node placement. x86-64 with more than 4 GiB of RAM: all of it on node 0, ktests pass."""
    for name, bname, arch, board in NUMA_BOOTS:
        if pattern and not re.search(pattern, name):
            continue
        build = matrix_build(res, out, bname)
        if not build:
            continue
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
    big_numa = ["-cpu", "qemu64"] + [a for n, gib in enumerate((3, 2)) for a in (
        "-object", "memory-backend-ram,id=m%d,size=%dG" % (n, gib),
        "-numa", "node,nodeid=%d,memdev=m%d%s" % (n, n, ",cpus=0" if n == 0 else ""))]
    for name, extra, want in [("boot/x86_64-%s-ram" % BIG_RAM.lower(), [], None),
                              ("boot/x86_64-%s-ram-numa-2m-leaves" % BIG_RAM.lower(), big_numa,
                               {0: 3 << 20, 1: 2 << 20})]:
        if pattern and not re.search(pattern, name):
            continue
        build = matrix_build(res, out, "x86_64-standard-clang")
        if not build:
            continue
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


def matrix_build(res, out, name):
    """The boot matrix's build directory NAME, configured and built (a no-op when current)."""
    entry = next(e for e in MATRIX if e[0] == name)
    build = os.path.join(out, name)
    ok, log = configure(build, entry[1], entry[2])
    if ok:
        rc, log = build_kernel(build)
        ok = rc == 0
    if not ok:
        res.record("build/" + name, False, log[-3000:])
    return build if ok else None


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


def sdimage_tests(res, out, pattern):
    """make sdimage builds a Pi 4 card whose FAT partition has the boot files; other boards
    get a clear refusal."""
    want = ["config.txt", "u-boot.bin", "boot.scr", "Image", "bcm2711-rpi-4-b.dtb"]
    name = "sdimage/rpi4-fat-partition-has-boot-files"
    if not pattern or re.search(pattern, name):
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
    name = "sdimage/refused-for-other-boards"
    if not pattern or re.search(pattern, name):
        build = matrix_build(res, out, "arm64_virt-standard-clang")
        if build:
            rc, log = run(["make", "-s", "-C", SRC, "O=" + build, "sdimage"], timeout=900)
            res.record(name, rc != 0 and "is for the Raspberry Pi 4" in log,
                       "exit %d:\n%s" % (rc, log[-1000:]))


def uboot_tests(res, out, pattern):
    """Boots through U-Boot (boot.scr + booti): arm64 virt, riscv64 S-mode, the Pi on raspi4b."""
    for name, bname, arch, board in UBOOT_BOOTS:
        if pattern and not re.search(pattern, name):
            continue
        reason = qemu.unsupported_reason((arch, board))
        if reason:
            res.record(name, None, reason)
            continue
        build = matrix_build(res, out, bname)
        if build:
            ktest_boot(res, name, build, arch, board, "standard", "clang", via="uboot")
    sdimage_tests(res, out, pattern)


# ---- PC boot media: the GRUB ISO under SeaBIOS and OVMF (issue 10) -------------------------

ISO_BOOTS = [  # (test prefix, qemu.py --boot)
    ("boot/x86_64-iso-seabios", "iso"),
    ("boot/x86_64-iso-ovmf", "iso-uefi"),
]
# The banner's memory map, as boot/multiboot2.c names the loader, with at least one region.
MB2_MEMORY_MAP = re.compile(r"memory map \((Multiboot2 \(GRUB [^)\n]*\))\):\n"
                            r"((?:    \[0x[0-9a-f]+-0x[0-9a-f]+\] .*\n)+)")


def iso_tests(res, out, pattern):
    """make iso's image (scripts/iso.sh: GRUB for BIOS and UEFI, cmdline "ktest") boots the
    x86_64-standard-clang build by Multiboot2 from QEMU's default SeaBIOS and from OVMF (q35,
    TCG): banner, every ktest passed (test/ktest/x86_64/test_x86_boot.c checks what came
    through Multiboot2), the banner's memory map from GRUB. make iso refuses other arches."""
    print("== PC boot media: GRUB ISO under SeaBIOS and OVMF", flush=True)
    for prefix, via in ISO_BOOTS:
        if pattern and not re.search(pattern, prefix + "/ktest"):
            continue
        missing = qemu.iso_missing(via == "iso-uefi")
        if missing:
            for t in ("/ktest", "/multiboot2-memory-map-in-banner"):
                res.record(prefix + t, None, "needs the Debian packages %s "
                           "(scripts/install-deps.sh)" % " ".join(missing))
            continue
        build = matrix_build(res, out, "x86_64-standard-clang")
        if not build:
            continue
        text = ktest_boot(res, prefix + "/ktest", build, "x86_64", "pc-q35", "standard",
                          "clang", via=via)
        m = MB2_MEMORY_MAP.search(text.replace("\r", ""))
        res.record(prefix + "/multiboot2-memory-map-in-banner", m is not None,
                   "no \"memory map (Multiboot2 (GRUB ...)):\" with regions in the banner\n" +
                   text[-2500:],
                   info=m and "%s, %d regions" % (m.group(1), m.group(2).count("\n")))
    name = "iso/refused-for-other-arches"
    if not pattern or re.search(pattern, name):
        build = matrix_build(res, out, "arm64_virt-standard-clang")
        if build:
            rc, log = run(["make", "-s", "-C", SRC, "O=" + build, "iso"], timeout=900)
            res.record(name, rc != 0 and "make iso is for x86-64" in log,
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
    ok, log = configure(build, "riscv64_virt_defconfig", ["standard.config"])
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


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--only", choices=["unit", "config", "boot"])
    ap.add_argument("-k", dest="pattern", help="only boot-matrix entries matching this regex")
    ap.add_argument("--out", default=os.path.join(os.environ.get("O", "build"), "check"))
    a = ap.parse_args()
    out = os.path.abspath(os.path.join(SRC, a.out) if not os.path.isabs(a.out) else a.out)
    os.makedirs(out, exist_ok=True)
    res = Results()
    t0 = time.time()
    if a.only in (None, "unit"):
        fetch_rpi4_dtb()
        print("== host unit tests", flush=True)
        unit_tests(res, out)
    if a.only in (None, "config"):
        print("== configuration tests", flush=True)
        config_tests(res, out)
    if a.only in (None, "boot"):
        setup_rpi4_emulation()
        print("== boot matrix (QEMU, TCG)", flush=True)
        boot_matrix(res, out, a.pattern)
        print("== U-Boot and Raspberry Pi 4 boots, SD image", flush=True)
        uboot_tests(res, out, a.pattern)
        print("== NUMA and RAM above 4 GiB", flush=True)
        numa_tests(res, out, a.pattern)
        iso_tests(res, out, a.pattern)
        if not a.pattern:
            menuconfig_test(res, out)
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
