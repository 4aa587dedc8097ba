#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Turn a Keel trace dump (console log) into Chrome trace-event JSON for ui.perfetto.dev.

usage: trace2json.py [-o OUT.json] [--validate] [CONSOLE.log | -]

The log may hold anything around the dump; the last complete "TRACE BEGIN ... TRACE END"
block is used (format: docs/tracing.md). Each CPU becomes one track (pid 0, tid = CPU index,
named "CPU n"); interrupt enter/exit pairs become duration slices (B/E), everything else
instant events. Timestamps are microseconds since the oldest event, from the counter
frequency in the dump header. --validate checks the output and exits non-zero on a problem.
"""
import argparse
import json
import re
import sys

TYPES = {1: "irq-enter", 2: "irq-exit", 3: "exception", 4: "timer-set", 5: "timer-fire",
         6: "console-rx", 7: "ktest", 8: "boot", 9: "mark"}
FAULT_KINDS = ["other", "breakpoint", "illegal instruction", "page fault", "access fault",
               "alignment", "general protection", "double fault", "NMI", "machine check"]
BEGIN = re.compile(r"TRACE BEGIN v1 freq_hz=(\d+) cpus=(\d+)")
EVENT = re.compile(r"^T ([0-9a-f]+) ([0-9a-f]+) ([0-9a-f]+) ([0-9a-f]+)"
                   r" ([0-9a-f]+) ([0-9a-f]+) ([0-9a-f]+) ([0-9a-f]+)\s*$")


def parse_dump(text):
    """(freq_hz, cpus, [event dict]) of the last complete dump in @text."""
    lines = text.replace("\r", "").split("\n")
    found, cur = None, None
    for line in lines:
        m = BEGIN.search(line)
        if m:
            cur = (int(m.group(1)), int(m.group(2)), [])
            continue
        if cur is None:
            continue
        if line.startswith("TRACE END"):
            found, cur = cur, None
            continue
        m = EVENT.match(line)
        if m:
            v = [int(x, 16) for x in m.groups()]
            cur[2].append(dict(cpu=v[0], seq=v[1], ts=v[2], type=v[3], d=v[4:8]))
    if found is None:
        raise ValueError("no complete TRACE BEGIN ... TRACE END block found")
    if found[0] == 0:
        raise ValueError("dump header gives a counter frequency of 0")
    return found


def describe(ev):
    """(name, args) of an instant event."""
    t, d = ev["type"], ev["d"]
    if t == 3:
        kind = FAULT_KINDS[d[0]] if d[0] < len(FAULT_KINDS) else "kind %d" % d[0]
        return "exception: " + kind, {"pc": hex(d[1]), "addr": hex(d[2]), "code": hex(d[3])}
    if t == 4:
        return "timer-set", {"deadline": d[0]}
    if t == 5:
        return "timer-fire", {"deadline": d[0], "late_ticks": d[1]}
    if t == 6:
        ch = chr(d[0]) if 32 <= d[0] < 127 else "\\x%02x" % d[0]
        return "console-rx '%s'" % ch, {"byte": d[0]}
    if t == 7:
        return "ktest %d %s" % (d[0], ["start", "pass", "fail"][min(d[1], 2)]), {}
    name = TYPES.get(t, "type %d" % t)
    return name, {"d%d" % i: hex(x) for i, x in enumerate(d)}


def convert(freq, cpus, events):
    t0 = min((e["ts"] for e in events), default=0)
    out = [{"ph": "M", "name": "process_name", "pid": 0, "tid": 0, "ts": 0,
            "args": {"name": "Keel kernel"}}]
    by_cpu = {}
    for e in events:
        by_cpu.setdefault(e["cpu"], []).append(e)
    for cpu in sorted(set(range(cpus)) | set(by_cpu)):
        out.append({"ph": "M", "name": "thread_name", "pid": 0, "tid": cpu, "ts": 0,
                    "args": {"name": "CPU %d" % cpu}})
        out.append({"ph": "M", "name": "thread_sort_index", "pid": 0, "tid": cpu, "ts": 0,
                    "args": {"sort_index": cpu}})
        out += cpu_track(cpu, sorted(by_cpu.get(cpu, []), key=lambda e: (e["ts"], e["seq"])),
                         t0, freq)
    return {"traceEvents": out, "displayTimeUnit": "ns",
            "otherData": {"source": "keel trace dump", "counter_hz": freq}}


def cpu_track(cpu, evs, t0, freq):
    """One CPU's events; B/E kept balanced (the ring may have lost an enter or an exit)."""
    out, open_irqs = [], []
    for e in evs:
        ts = (e["ts"] - t0) * 1e6 / freq
        base = {"pid": 0, "tid": cpu, "ts": round(ts, 3)}
        if e["type"] == 1:
            open_irqs.append(e["d"][0])
            out.append(dict(base, ph="B", name="irq %d" % e["d"][0], cat="irq"))
        elif e["type"] == 2:
            if not open_irqs:
                continue  # its enter was overwritten before the dump
            open_irqs.pop()
            out.append(dict(base, ph="E", cat="irq",
                            args={"handled": bool(e["d"][1])}))
        else:
            name, args = describe(e)
            out.append(dict(base, ph="i", s="t", name=name, cat=TYPES.get(e["type"], "?"),
                            args=dict(args, seq=e["seq"])))
    last = out[-1]["ts"] if out else 0
    for _ in open_irqs:  # still inside the handler when the dump was taken
        out.append({"pid": 0, "tid": cpu, "ts": last, "ph": "E", "cat": "irq"})
    return out


def validate(doc):
    """List of problems with a converted trace (empty when it is good)."""
    problems = []
    evs = doc.get("traceEvents") if isinstance(doc, dict) else None
    if not isinstance(evs, list):
        return ["no traceEvents list"]
    depth, last_ts, kinds = {}, {}, set()
    for i, e in enumerate(evs):
        for k in ("ph", "ts", "pid", "tid"):
            if k not in e:
                problems.append("event %d has no %s" % (i, k))
        if e.get("ph") == "M":
            continue
        track = (e.get("pid"), e.get("tid"))
        if e.get("ts", 0) < last_ts.get(track, 0):
            problems.append("event %d: timestamp goes backwards on tid %s" % (i, track[1]))
        last_ts[track] = e.get("ts", 0)
        if e.get("ph") == "B":
            depth[track] = depth.get(track, 0) + 1
            kinds.add("irq")
        elif e.get("ph") == "E":
            depth[track] = depth.get(track, 0) - 1
            if depth[track] < 0:
                problems.append("event %d: E without B on tid %s" % (i, track[1]))
        if str(e.get("name", "")).startswith("timer"):
            kinds.add("timer")
    problems += ["unbalanced B/E on tid %s" % t[1] for t, d in depth.items() if d]
    problems += ["no %s event" % k for k in ("irq", "timer") if k not in kinds]
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("log", nargs="?", default="-")
    ap.add_argument("-o", "--output", default="-")
    ap.add_argument("--validate", action="store_true")
    a = ap.parse_args()
    text = sys.stdin.read() if a.log == "-" else open(a.log, errors="replace").read()
    try:
        doc = convert(*parse_dump(text))
    except ValueError as e:
        sys.exit("trace2json: %s" % e)
    data = json.dumps(doc, indent=1)
    if a.output == "-":
        sys.stdout.write(data + "\n")
    else:
        with open(a.output, "w") as f:
            f.write(data + "\n")
    if a.validate:
        problems = validate(json.loads(data))
        for p in problems:
            print("trace2json: invalid: " + p, file=sys.stderr)
        sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
