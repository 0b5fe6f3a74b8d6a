"""The zone-firewall vendors' full audits against the ASA's, per policy against per ACL entry, in one run.

    .venv/bin/python benchmarks/vendors.py [--n 20000] [--reps 3] [--vendors junos,fortios,...] [--json]

Each vendor's generator (``gen_junos``, ``gen_fortios``, ``gen_pfsense``, ``gen_ios``, ``gen_panos``,
``gen_checkpoint``: ``gen_asa``'s address and service mix in the vendor's own form, objects reused
across policies) writes a config of about ``n``
policies, and ``gen_asa`` one of ``n`` ACL entries.  Each repetition runs, in fresh processes, the ASA
audit then each vendor's, alternating (so drift in the machine's speed hits both sides alike), every
one as users run it: ``prinergy-audit audit FILE --role ... --format json`` as a whole process (the
format detected; the modules compiled once beforehand, as an installed package's are).  For
each process it takes the wall time, the CPU time of the process and its workers (steadier than the
wall time on a shared machine) and the peak resident set of the largest one.

The target (issues 15 and 16): per policy at most 1.5 times the ASA's per ACL entry, peak memory under
1 GB.  The table gives the best and the median over the repetitions, for CPU and wall time; the ratio
is of the medians, each vendor against the ASA runs of the same repetitions.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

# the roles each generator's addresses are laid out for (the workshop network, the servers)
ROLES = {
    "cisco-asa": ["workshop=10.1.0.0/16", "primary=10.2.0.10", "secondary=10.2.0.11"],
    "junos": ["workshop=10.10.0.0/16", "primary=10.20.0.10", "secondary=10.20.0.11"],
    "fortios": ["workshop=10.30.0.0/24", "primary=10.20.0.10", "secondary=10.20.0.11"],
    "pfsense": ["workshop=10.1.0.0/16", "primary=10.2.0.10", "secondary=10.2.0.11"],
    "cisco-ios": ["workshop=10.1.0.0/16", "primary=10.2.0.10", "secondary=10.2.0.11"],
    "paloalto-panos": ["workshop=10.30.0.0/16", "primary=10.20.0.10", "secondary=10.20.0.11"],
    "checkpoint": ["workshop=10.1.0.0/16", "primary=10.2.0.10", "secondary=10.2.0.11"],
}
FILES = {"cisco-asa": "asa.cfg", "junos": "junos.conf", "fortios": "fortios.conf", "pfsense": "pfsense.xml",
         "cisco-ios": "ios.cfg", "paloalto-panos": "panos.set", "checkpoint": "checkpoint.json"}


def write_configs(n: int, vendors: list[str], out: Path, prefix: str = "") -> dict[str, tuple[Path, int]]:
    """Each config and how many policies (rules, ACL entries) it has."""
    from gen_asa import generate as asa

    out.mkdir(parents=True, exist_ok=True)
    got = {}
    for v in ["cisco-asa"] + vendors:
        if v == "cisco-asa":
            text = asa(n, seed=1)
            count = sum(1 for line in text.splitlines() if line.startswith("access-list "))
        elif v == "junos":
            from gen_junos import generate
            text, count = generate(n), n
        elif v == "fortios":
            from gen_fortios import generate
            text, count = generate(n), n
        elif v == "pfsense":
            from gen_pfsense import generate
            text = generate(n)
            count = text.count("\t\t<rule>\n") - text.count("<target>")  # (port forwards are NAT rules)
        else:
            import importlib

            text = importlib.import_module({"cisco-ios": "gen_ios", "paloalto-panos": "gen_panos",
                                            "checkpoint": "gen_checkpoint"}[v]).generate(n)
            count = _rules(text, v)
        p = out / (prefix + FILES[v])
        p.write_text(text)
        got[v] = (p, count)
    return got


def _rules(text: str, vendor: str) -> int:
    """The rules (ACL entries, security rules) the config's filters hold, as parsed (untimed): their
    distinct source lines (a zone firewall's rule of several zone pairs is in several filters)."""
    sys.path.insert(0, str(ROOT))
    from parsers import parse_text

    cfg = parse_text(text, "bench", vendor)
    return len({(r.source.path, r.source.line) for f in cfg.filters.values() for r in f.rules
                if not r.builtin and r.source is not None})


# as an installed package runs: its modules compiled once, not at every start (this machine's environment
# sets PYTHONDONTWRITEBYTECODE, which would add the compilation of every module to every run)
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run_cli(path: Path, vendor: str) -> dict:
    """One whole ``prinergy-audit audit`` process: wall seconds, CPU seconds (with its workers), peak RSS.
    The format is detected, as users run it."""
    probe = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
             "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
             "w = time.perf_counter() - t; u = resource.getrusage(resource.RUSAGE_CHILDREN); "
             "print(w, u.ru_utime + u.ru_stime, u.ru_maxrss * 1024)")
    roles = [x for r in ROLES[vendor] for x in ("--role", r)]
    cmd = [sys.executable, "-c", probe, sys.executable, "-m", "auditor.cli", "audit", str(path), *roles,
           "--format", "json", "--output", os.devnull]
    wall, cpu, rss = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True, cwd=ROOT,
                                    env=ENV).stdout.split()
    return {"wall": float(wall), "cpu": float(cpu), "rss": int(rss)}


def compare(n: int, reps: int, vendors: list[str]) -> dict:
    """Per vendor: its runs and the ASA runs alternating with them, and the ratios per policy."""
    configs = write_configs(n, vendors, ROOT / "benchmarks" / "out")
    for v, (p, _n) in write_configs(200, vendors, ROOT / "benchmarks" / "out", "small-").items():
        run_cli(p, v)  # (untimed: every module compiled and cached before the timed runs)
    runs: dict[str, list[dict]] = {v: [] for v in vendors}
    asa: dict[str, list[dict]] = {v: [] for v in vendors}
    for _ in range(reps):
        for v in vendors:
            asa[v].append(run_cli(configs["cisco-asa"][0], "cisco-asa"))
            runs[v].append(run_cli(configs[v][0], v))
    res = {"n": n, "reps": reps, "asa_entries": configs["cisco-asa"][1], "vendors": {}}
    n_asa = configs["cisco-asa"][1]
    for v in vendors:
        count = configs[v][1]
        row = {"policies": count, "lines": sum(1 for _ in open(configs[v][0])), "runs": runs[v], "asa_runs": asa[v],
               "rss_mb": max(x["rss"] for x in runs[v]) / 1e6, "asa_rss_mb": max(x["rss"] for x in asa[v]) / 1e6}
        for k in ("cpu", "wall"):
            mine = statistics.median(x[k] for x in runs[v])
            base = statistics.median(x[k] for x in asa[v])
            row[k] = {"median": mine, "best": min(x[k] for x in runs[v]), "asa_median": base,
                      "asa_best": min(x[k] for x in asa[v]), "ratio": (mine / count) / (base / n_asa)}
        res["vendors"][v] = row
    return res


def table(res: dict) -> str:
    """The Markdown table of ``compare``'s result."""
    out = ["| vendor (policies, lines) | CPU median (best) | ASA CPU, same run | ratio per policy, CPU | "
           "wall median (best) | ASA wall | ratio, wall | peak memory | target met |",
           "|---|---|---|---|---|---|---|---|---|"]
    for v, r in res["vendors"].items():
        c, w = r["cpu"], r["wall"]
        met = "yes" if c["ratio"] <= 1.5 and r["rss_mb"] < 1000 else "no"
        out.append("| %s (%d, %d) | %.2f s (%.2f) | %.2f s (%.2f) | %.2f | %.2f s (%.2f) | %.2f s (%.2f) | %.2f | "
                   "%.0f MB | %s |" % (v, r["policies"], r["lines"], c["median"], c["best"], c["asa_median"],
                                       c["asa_best"], c["ratio"], w["median"], w["best"], w["asa_median"],
                                       w["asa_best"], w["ratio"], r["rss_mb"], met))
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=20_000)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--vendors", default="junos,fortios,pfsense,cisco-ios,paloalto-panos,checkpoint")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    res = compare(a.n, a.reps, a.vendors.split(","))
    print("%d ACL entries for the ASA; each vendor's runs alternate with the ASA's, %d repetitions"
          % (res["asa_entries"], a.reps))
    print(table(res))
    if a.json:
        print(json.dumps(res))


if __name__ == "__main__":
    main()
