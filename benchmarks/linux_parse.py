"""Linux parse benchmark: the iptables parse per rule against the ASA parse per rule, and the shapes
that were quadratic, before (``--old REV``: the parsers as they were at a git revision) and after,
measured in the same run.

    .venv/bin/python benchmarks/linux_parse.py [--rules 100000] [--reps 3] [--old 49cceec]

Each parse runs as ``load_config`` runs it (cycle collector paused), in this process, the kinds
alternating; the figure is the best CPU time (``time.process_time``) over ``--reps`` runs.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import gen_asa  # noqa: E402
import gen_linux  # noqa: E402

from auditor.engine.perf import paused_gc  # noqa: E402


def old_module(rev: str, path: str, name: str):
    """The module at ``path`` as it was at git revision ``rev`` (loaded under ``name``)."""
    src = subprocess.run(["git", "-C", str(ROOT), "show", "%s:%s" % (rev, path)], check=True,
                         capture_output=True, text=True).stdout
    tmp = Path(tempfile.mkdtemp()) / (name + ".py")
    tmp.write_text(src)
    spec = importlib.util.spec_from_file_location(name, tmp)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def cpu(fn, text: str) -> float:
    gc.collect()
    with paused_gc():
        t0 = time.process_time()
        fn(text, "bench")
        return time.process_time() - t0


def best(runs: dict, reps: int) -> dict:
    """Best time of each named (fn, text), the names alternating within each repetition."""
    out = {k: float("inf") for k in runs}
    for _ in range(reps):
        for k, (fn, text) in runs.items():
            out[k] = min(out[k], cpu(fn, text))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rules", type=int, default=100_000)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--old", help="git revision of the parsers before (e.g. 49cceec)")
    args = ap.parse_args()
    from parsers import cisco_asa
    from parsers.linux import iptables, nftables

    n = args.rules
    asa, ipt = gen_asa.generate(n), gen_linux.iptables(n)
    n_ipt = ipt.count("\n-A ")
    runs = {"asa": (cisco_asa.parse, asa), "iptables": (iptables.parse, ipt)}
    old_ipt = old_nft = None
    if args.old:
        old_ipt = old_module(args.old, "parsers/iptables.py", "parsers.iptables")
        old_nft = old_module(args.old, "parsers/nftables.py", "old_nftables")
        runs["iptables (before)"] = (old_ipt.parse, ipt)
    t = best(runs, args.reps)
    print("| parse | rules | CPU time | per rule | ratio to the ASA parse per rule |")
    print("|---|---|---|---|---|")
    per_asa = t["asa"] / n
    for k, v in t.items():
        rules = n if k == "asa" else n_ipt
        print("| %s | %d | %.2f s | %.1f us | %.2f |" % (k, rules, v, v / rules * 1e6, (v / rules) / per_asa))
    print()
    print("| shape | size | before | after |")
    print("|---|---|---|---|")
    # (label, generator, sizes, the largest size the code before is run at: beyond it, minutes)
    shapes = [("nft base chain with ct timeout rules", gen_linux.nft_base_chain, (4000, 8000, 16000, 100_000), 8000),
              ("nft named set (block list)", gen_linux.nft_big_set, (5000, 10000, 20000, 200_000), 10000),
              ("nft ruleset", gen_linux.nftables, (20000, 100_000), 20000)]
    for label, make, sizes, limit in shapes:
        for size in sizes:
            text = make(size)
            after = best({"after": (nftables.parse, text)}, 1)["after"]
            before = "(not run)"
            if old_nft is not None and size <= limit:
                before = "%.2f s" % best({"before": (old_nft.parse, text)}, 1)["before"]
            print("| %s | %d | %s | %.2f s |" % (label, size, before, after))

if __name__ == "__main__":
    main()
