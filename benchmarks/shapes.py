"""The shapes benchmark (``benchmarks/run.py --shapes``) and the fleet benchmark (``--fleet``).

Every measurement is a whole process as a user runs it: ``prinergy-audit audit FILE`` (and,
for the ASA, ciscoconfparse2's structural parse of the same file), with its wall time, its CPU
time (user and system, of the process and of every worker it waited for: ``os.wait4``) and the
peak memory of its whole process tree (the sum of the proportional set sizes, ``Pss`` in
``/proc/PID/smaps_rollup``, of the process and its descendants, sampled every 20 ms: a page
shared by a worker with its parent counts once, as a container's memory limit counts it).  The
shapes' memory is measured in a run of its own after the timed ones (``run_tree``: sampling
would take a core from the timed audit).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
ROLES = ["--role", "workshop=10.1.0.0/16", "--role", "primary=10.2.0.10", "--role", "secondary=10.2.0.11"]
SCALE_MAX = 12.0  # 100k entries (or members) at most 12 times 10k, measured in the same run
RATIO_MAX = 1.0  # full ASA audit at most ciscoconfparse2's structural parse of the same file
TREE_MAX = 1000e6  # peak memory of the whole process tree at 100k entries


def _asa(shape: str) -> Callable[[int], str]:
    def gen(n: int) -> str:
        from gen_asa import generate

        return generate(n, seed=1, shape=shape)

    return gen


def _module(name: str, fn: str = "generate", shape: str | None = None) -> Callable[[int], str]:
    def gen(n: int) -> str:
        import importlib

        make = getattr(importlib.import_module(name), fn)
        return make(n) if shape is None else make(n, shape=shape)

    return gen


# (vendor, generator module, its function, file suffix): every shape of gen_asa.SHAPES each
VENDORS = [("cisco-ios", "gen_ios", "generate", "cfg"), ("junos", "gen_junos", "generate", "conf"),
           ("fortios", "gen_fortios", "generate", "conf"), ("pfsense", "gen_pfsense", "generate", "xml"),
           ("paloalto-panos", "gen_panos", "generate", "txt"), ("checkpoint", "gen_checkpoint", "generate", "json"),
           ("iptables", "gen_linux", "iptables", "rules"), ("nftables", "gen_linux", "nftables", "nft")]


def _shapes() -> list[tuple[str, str, str, Callable[[int], str]]]:
    """(vendor, shape, file suffix, generator of a config of about n entries)."""
    from gen_asa import SHAPES as ASA

    out = [("cisco-asa", s, "cfg", _asa(s)) for s in ASA]
    for vendor, module, fn, ext in VENDORS:
        out += [(vendor, s, ext, _module(module, fn, None if s == "mixed" else s)) for s in ASA]
    out += [("nftables", "base-chain-timeouts", "nft", _module("gen_linux", "nft_base_chain")),
            ("nftables", "big-set", "nft", _module("gen_linux", "nft_big_set"))]
    return out


def _tree(pid: int) -> list[int]:
    """The process and its descendants."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir("/proc/%d/task" % p):
                with open("/proc/%d/task/%s/children" % (p, task)) as fh:
                    todo += [int(x) for x in fh.read().split()]
        except OSError:
            continue
    return out


def _pss(pid: int) -> int:
    try:
        with open("/proc/%d/smaps_rollup" % pid) as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def run_tree(cmd: list[str], every: float = 0.02, sample: bool = True) -> dict:
    """Run ``cmd`` (output discarded): wall seconds, CPU seconds of the tree, peak tree memory
    (bytes, sampled; 0 without ``sample``), the largest single process's peak RSS (bytes), the
    exit code.  Sampling reads every process's page tables 50 times a second: on this 2-core
    machine that keeps a core busy enough for the audit to see it taken and run without workers,
    so the timed runs are not sampled (``main`` measures the memory in a run of its own)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    peak = [0]
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            total = sum(_pss(p) for p in _tree(proc.pid))
            peak[0] = max(peak[0], total)
            done.wait(every)

    watcher = threading.Thread(target=watch, daemon=True) if sample else None
    if watcher is not None:
        watcher.start()
    _, status, ru = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    done.set()
    if watcher is not None:
        watcher.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {"wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "tree": peak[0], "rss": ru.ru_maxrss * 1024,
            "code": proc.returncode}


def cli() -> list[str]:
    """The command that runs ``prinergy-audit`` (the installed script, else the module)."""
    exe = Path(sys.executable).with_name("prinergy-audit")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "auditor.cli"]


def audit_cmd(path: Path) -> list[str]:
    return cli() + ["audit", str(path)] + ROLES


def ccp_cmd(path: Path) -> list[str]:
    return [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--ccp", str(path)]


def _median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def _load() -> float:
    return os.getloadavg()[0]


def main(sizes: list[int], reps: int, only: str, as_json: bool) -> None:
    """Generate every shape at every size, time each, print the table (and JSON)."""
    os.makedirs(OUT, exist_ok=True)
    results = []
    loads = [_load()]
    for vendor, shape, ext, gen in _shapes():
        name = "%s %s" % (vendor, shape)
        if only and only not in name:
            continue
        row = {"vendor": vendor, "shape": shape, "sizes": {}}
        for n in sizes:
            path = OUT / ("%s-%s-%d.%s" % (vendor, shape, n, ext))
            if not path.exists():
                path.write_text(gen(n))
            lines = sum(1 for _ in open(path, "rb"))
            audits, ccps = [], []
            for k in range(reps):
                # alternate, and alternate which goes first, so drift hits both alike
                first_ccp = vendor == "cisco-asa" and k % 2 == 0
                if first_ccp:
                    ccps.append(run_tree(ccp_cmd(path), sample=False))
                audits.append(run_tree(audit_cmd(path), sample=False))
                if vendor == "cisco-asa" and not first_ccp:
                    ccps.append(run_tree(ccp_cmd(path), sample=False))
                loads.append(_load())
            mem = run_tree(audit_cmd(path))  # (the tree's memory, sampled: a run of its own, untimed)
            if any(r["code"] not in (0, 1) for r in audits + [mem]):
                raise SystemExit("%s at %d: the audit exited with %s" % (name, n, [r["code"] for r in audits]))
            fig = {"lines": lines, "wall": _median(audits, "wall"), "cpu": _median(audits, "cpu"),
                   "tree": mem["tree"], "rss": max(r["rss"] for r in audits + [mem]),
                   "walls": [round(r["wall"], 2) for r in audits]}
            if ccps:
                fig.update(ccp_wall=_median(ccps, "wall"), ccp_cpu=_median(ccps, "cpu"),
                           ccp_walls=[round(r["wall"], 2) for r in ccps],
                           ratio=statistics.median(a["wall"] / c["wall"] for a, c in zip(audits, ccps)))
            row["sizes"][n] = fig
            print("  %s, %d: %s" % (name, n, json.dumps(fig)), file=sys.stderr)
        results.append(row)
    print_table(results, sizes, min(loads), max(loads))
    if as_json:
        print(json.dumps({"results": results, "load": [min(loads), max(loads)]}))


def _met(ok: bool) -> str:
    return "yes" if ok else "**no**"


def print_table(results: list[dict], sizes: list[int], load_lo: float, load_hi: float) -> None:
    """The README's table: one row per shape and size, then the scaling rows."""
    big, small = sizes[-1], sizes[0]
    print("load average during the run: %.1f to %.1f (%d cores)" % (load_lo, load_hi, os.cpu_count() or 1))
    print()
    print("| measurement | time | baseline (same run) | ratio | target | met |")
    print("|---|---|---|---|---|---|")
    for row in results:
        name = "%s %s" % (row["vendor"], row["shape"])
        for n in sizes:
            f = row["sizes"][n]
            what = "%s, %s entries (%s lines): full audit" % (name, "{:,}".format(n), "{:,}".format(f["lines"]))
            time_s = "%.2f s (CPU %.2f s)" % (f["wall"], f["cpu"])
            if "ccp_wall" in f:
                target = "<= %.1f" % RATIO_MAX if n == big else ""
                print("| %s | %s | ciscoconfparse2 %.2f s (CPU %.2f s) | %.2f | %s | %s |" % (
                    what, time_s, f["ccp_wall"], f["ccp_cpu"], f["ratio"], target,
                    _met(f["ratio"] <= RATIO_MAX) if n == big else ""))
            else:
                print("| %s | %s | | | | |" % (what, time_s))
        fb, fs = row["sizes"][big], row["sizes"][small]
        print("| %s: %s vs %s entries | | | wall %.1fx, CPU %.1fx | <= %.0fx | %s |" % (
            name, "{:,}".format(big), "{:,}".format(small), fb["wall"] / fs["wall"], fb["cpu"] / fs["cpu"],
            SCALE_MAX, _met(fb["wall"] / fs["wall"] <= SCALE_MAX and fb["cpu"] / fs["cpu"] <= SCALE_MAX)))
        print("| %s, %s entries: peak memory, process tree | %.0f MB (largest process %.0f MB) | | | "
              "<= %.0f MB | %s |" % (
            name, "{:,}".format(big), fb["tree"] / 1e6, fb["rss"] / 1e6, TREE_MAX / 1e6, _met(fb["tree"] <= TREE_MAX)))


# --- fleets ------------------------------------------------------------------------------------

def _fleet_configs(count: int) -> list[Path]:
    """``count`` small configs of the five vendors with generators, 200 to 2,000 entries each."""
    import random

    folder = OUT / ("fleet-%d" % count)
    os.makedirs(folder, exist_ok=True)
    r = random.Random(20)
    kinds = [("asa", "cfg", _asa("mixed")), ("ios", "cfg", _module("gen_ios")), ("junos", "conf", _module("gen_junos")),
             ("fortios", "conf", _module("gen_fortios")), ("pfsense", "xml", _module("gen_pfsense"))]
    out = []
    for k in range(count):
        kind, ext, gen = kinds[k % len(kinds)]
        path = folder / ("site-%03d-%s.%s" % (k, kind, ext))
        if not path.exists():
            path.write_text(gen(r.randrange(200, 2001)))
        out.append(path)
    return out


def fleet(count: int, reps: int, as_json: bool) -> None:
    """A shell loop over the CLI against ``audit --each`` in one process, alternating."""
    paths = _fleet_configs(count)
    exe = Path(sys.executable).with_name("prinergy-audit")
    cli = str(exe) if exe.exists() else "%s -m auditor.cli" % sys.executable
    roles = " ".join(ROLES)
    with tempfile.TemporaryDirectory() as tmp:
        listing = Path(tmp) / "configs.txt"
        listing.write_text("".join("%s\n" % p for p in paths))
        loop = ["bash", "-c", 'while read -r f; do %s audit "$f" %s > /dev/null; done < %s' % (cli, roles, listing)]
        each = [cli.split()[0]] + cli.split()[1:] + ["audit", "--each"] + [str(p) for p in paths] + ROLES + \
            ["--output-dir", str(Path(tmp) / "reports")]
        loops, eaches, loads = [], [], [_load()]
        for k in range(reps):
            pair = [(loop, loops), (each, eaches)]
            for cmd, into in pair if k % 2 == 0 else pair[::-1]:
                into.append(run_tree(cmd))
            loads.append(_load())
    t_loop, t_each = _median(loops, "wall"), _median(eaches, "wall")
    print("load average during the run: %.1f to %.1f (%d cores)" % (min(loads), max(loads), os.cpu_count() or 1))
    print()
    print("| measurement | time | baseline (same run) | ratio | target | met |")
    print("|---|---|---|---|---|---|")
    print("| %d configs (ASA, IOS, Junos, FortiOS, pfSense; 200-2,000 entries): `audit --each` | %.2f s (CPU %.2f s), "
          "peak %.0f MB | shell loop over the CLI %.2f s (CPU %.2f s) | %.2fx faster | >= 2.5x | %s |" % (
              count, t_each, _median(eaches, "cpu"), max(r["tree"] for r in eaches) / 1e6, t_loop,
              _median(loops, "cpu"), t_loop / t_each, _met(t_loop / t_each >= 2.5)))
    if as_json:
        print(json.dumps({"loop": loops, "each": eaches, "load": [min(loads), max(loads)]}))


# a change request of one line: a permit inserted near the top of the outside list (every ASA shape has it)
ONE_LINE_CHANGE = "access-list OUTSIDE_IN line 5 extended permit tcp any host 10.2.0.10 eq 445\n"


def change(sizes: list[int], reps: int, as_json: bool) -> None:
    """``check-change`` of a one-line change against the ``audit`` of the same config (the ASA's mixed
    shape), whole processes, alternating.  It audits both configs and diffs their decisions, so about
    twice the audit is what it costs at best; before the diff evaluated only the packets the change may
    decide differently (``engine.changes``) it took 39 s at 10,000 entries and did not finish in 10
    minutes at 100,000."""
    os.makedirs(OUT, exist_ok=True)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        request = Path(tmp) / "change.txt"
        request.write_text(ONE_LINE_CHANGE)
        for n in sizes:
            path = OUT / ("cisco-asa-mixed-%d.cfg" % n)
            if not path.exists():
                path.write_text(_asa("mixed")(n))
            audits, checks = [], []
            for k in range(reps):
                pair = [(audit_cmd(path), audits), (cli() + ["check-change", str(path), str(request)] + ROLES, checks)]
                for cmd, into in pair if k % 2 == 0 else pair[::-1]:
                    into.append(run_tree(cmd, sample=False))
            if any(r["code"] not in (0, 1) for r in audits + checks):
                raise SystemExit("at %d: exit codes %s" % (n, [r["code"] for r in audits + checks]))
            rows.append({"entries": n, "audit": _median(audits, "wall"), "check": _median(checks, "wall"),
                         "check_cpu": _median(checks, "cpu")})
    print("| ASA mixed shape | `check-change`, one line: wall (CPU) | `audit` of the config | ratio |")
    print("|---|---|---|---|")
    for r in rows:
        print("| %s entries | %.2f s (%.2f s) | %.2f s | %.2f |" % (
            "{:,}".format(r["entries"]), r["check"], r["check_cpu"], r["audit"], r["check"] / r["audit"]))
    if as_json:
        print(json.dumps(rows))
