"""prinergy-audit benchmark: ratios against baselines measured in the same run.

    .venv/bin/python benchmarks/run.py [--rules 100000] [--quick]

Measures, on a seeded generated ASA config (benchmarks/gen_asa.py):

1. the full audit (parse, every check, anomalies) of ~116k lines with 100k ACL entries,
   against ciscoconfparse2 building its structural parse of the same lines
   (``CiscoConfParse(config=lines, syntax="asa")``, import excluded): the ratio must be <= 1.0;
   peak memory of the full audit (a child process's max RSS) must be <= 1 GB;
2. anomaly analysis of one 10,000-rule ACL, and of one 100,000-rule ACL: the second at most 15x
   the first (near-linear);
3. start-up: ``prinergy-audit --help`` and the bundled example's audit (wall time of a fresh
   process; targets 0.3 s and 1 s), with ``python -c pass`` in the same run as the floor.

Each timing is the best of a few repetitions.  Results go to stdout as a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from gen_asa import generate  # noqa: E402


def best(fn, reps: int) -> float:
    out = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return min(out)


def full_audit(text: str) -> None:
    from auditor.api import audit
    from auditor.policy import load_site
    from parsers import parse_text

    cfg = parse_text(text, "bench.cfg", "cisco-asa")
    audit([cfg], load_site(None, ["workshop=10.1.0.0/16", "primary=10.2.0.10", "secondary=10.2.0.11"]))


def baseline_ccp(lines: list[str]) -> None:
    from parsers.ccp_adapter import structural_parse

    structural_parse(lines, "asa")


def one_acl(n: int) -> list:
    """The rules of the largest ACL of a generated config with about ``n`` entries in it."""
    from parsers.cisco_asa import parse

    cfg = parse(generate(int(n / 0.55) + 10, seed=7), "acl.cfg")
    f = max(cfg.filters.values(), key=lambda f: len(f.rules))
    return list(f.rules)


def child_rss(cmd: list[str]) -> int:
    """Peak RSS in bytes of a child process."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(before, after) * 1024


def proc_time(cmd: list[str], reps: int = 5) -> float:
    return best(lambda: subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT), reps)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rules", type=int, default=100_000)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--json", action="store_true", help="print the figures as JSON too")
    a = ap.parse_args()

    text = generate(a.rules, seed=1)
    lines = text.splitlines()
    os.makedirs(ROOT / "benchmarks" / "out", exist_ok=True)
    big = ROOT / "benchmarks" / "out" / "bench.cfg"
    big.write_text(text)
    baseline_ccp(lines[:100])  # import outside the timing
    full_audit(generate(200, seed=2))
    rows = []
    t_ccp = best(lambda: baseline_ccp(lines), a.reps)
    t_audit = best(lambda: full_audit(text), a.reps)
    rows.append(("full audit, %d lines / %d ACL entries" % (len(lines), a.rules),
                 "%.2f s" % t_audit, "ciscoconfparse2 parse %.2f s" % t_ccp, "%.2f" % (t_audit / t_ccp), "<= 1.0"))

    exe = str(Path(sys.executable))
    rss = child_rss([exe, "-c", "import sys; sys.path.insert(0, %r); sys.path.insert(0, %r); import run; "
                     "run.full_audit(open(%r).read())" % (str(ROOT), str(ROOT / "benchmarks"), str(big))])
    rows.append(("peak memory, full audit", "%.0f MB" % (rss / 1e6), "", "", "<= 1000 MB"))

    from auditor.anomalies import analyse
    from auditor.perf import paused_gc

    def anomalies(rules):  # as the audit runs it: with the cycle collector paused
        with paused_gc():
            analyse(rules)

    r10 = one_acl(10_000)
    r100 = one_acl(100_000)
    t10 = best(lambda: anomalies(r10), a.reps)
    t100 = best(lambda: anomalies(r100), max(1, a.reps - 1))
    rows.append(("anomalies, one ACL of %d rules" % len(r10), "%.2f s" % t10, "", "", "<= 1 s"))
    rows.append(("anomalies, one ACL of %d rules" % len(r100), "%.2f s" % t100, "10k-rule run",
                 "%.1fx" % (t100 / t10), "<= 15x"))

    floor = proc_time([exe, "-c", "pass"])
    cli = [exe, "-m", "auditor.cli"]
    t_help = proc_time(cli + ["--help"])
    t_ex = proc_time(cli + ["audit", "examples/prinergy-site/asa.cfg", "--site", "examples/prinergy-site/site.yaml"])
    rows.append(("prinergy-audit --help", "%.2f s" % t_help, "python -c pass %.2f s" % floor,
                 "+%.2f s" % (t_help - floor), "<= 0.3 s"))
    rows.append(("audit of the bundled example", "%.2f s" % t_ex, "", "", "<= 1 s"))

    print("| measurement | time | baseline (same run) | ratio | target |")
    print("|---|---|---|---|---|")
    for r in rows:
        print("| %s |" % " | ".join(r))
    if a.json:
        print(json.dumps({"audit_s": t_audit, "ccp_s": t_ccp, "rss_bytes": rss, "anom10k_s": t10,
                          "anom100k_s": t100, "help_s": t_help, "example_s": t_ex}))


if __name__ == "__main__":
    main()
