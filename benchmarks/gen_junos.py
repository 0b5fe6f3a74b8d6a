"""Seeded generator of a large, realistic SRX configuration (``display set`` form), and its benchmark.

Shape (per 20,000 policies): eight security zones on eight interfaces (a /16 each, a default route
out of ``untrust``), about 2,000 global address-book entries (hosts and /24 subnets), 650 address sets
(a tenth nested), a zone-attached book, 200 custom applications (TCP and UDP ports and ranges, a
quarter with an ``inactivity-timeout``) and 60 application sets, policies spread over 24 zone
pairs (1-3 source and destination addresses or sets, 1-3 applications, predefined ``junos-*`` ones
included, mostly permit, some deny; ``any`` as a source now and then, as a destination or application
rarely), blacklist-style deny policies at the top of the
untrust pairs, a small share of exact and near repeats (so the anomaly checks have real work), 100
global policies and the default deny.

Benchmark (run by hand; prints a table)::

    .venv/bin/python benchmarks/gen_junos.py --policies 20000 --reps 3

It writes the SRX configuration and an ASA configuration of ``benchmarks/gen_asa.py`` with as many
ACL entries, then runs ``prinergy-audit audit`` on each in fresh processes, alternating, and reports
each one's best time, the time per policy against the time per ACL entry (target: at most 1.5x) and
the peak memory of the Junos audit (target: under 1 GB).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ZONES = ["untrust", "workshop", "servers", "office", "dmz", "prepress", "mgmt", "partners"]
PAIRS = [(a, b) for a in ZONES for b in ZONES if a != b][:24]


def generate(n: int = 20_000, seed: int = 1) -> str:
    """A ``display set`` SRX configuration with about ``n`` policies."""
    r = random.Random(seed)
    out = ["set version 21.4R3-S5", "set system host-name bench-srx",
           "set system root-authentication encrypted-password \"$6$bench$notarealhash\""]
    for k, z in enumerate(ZONES):
        net = "203.0.113" if z == "untrust" else "10.%d" % (10 * k)
        addr = "203.0.113.1/24" if z == "untrust" else "10.%d.0.1/16" % (10 * k)
        out.append("set interfaces ge-0/0/%d unit 0 family inet address %s" % (k, addr))
        out.append("set security zones security-zone %s interfaces ge-0/0/%d.0" % (z, k))
        del net
    out.append("set routing-options static route 0.0.0.0/0 next-hop 203.0.113.254")
    scale = max(20, n // 10)
    hosts = []
    for i in range(scale):
        z = r.randrange(1, len(ZONES))
        name = "H-%05d" % i
        if r.random() < 0.8:
            out.append("set security address-book global address %s 10.%d.%d.%d/32"
                       % (name, 10 * z, r.randrange(256), r.randrange(1, 255)))
        else:
            out.append("set security address-book global address %s 10.%d.%d.0/24" % (name, 10 * z, r.randrange(256)))
        hosts.append(name)
    sets = []
    for i in range(max(10, scale * 33 // 100)):
        name = "G-%04d" % i
        for m in r.sample(hosts, r.randrange(2, 8)):
            out.append("set security address-book global address-set %s address %s" % (name, m))
        if sets and r.random() < 0.1:
            out.append("set security address-book global address-set %s address-set %s" % (name, r.choice(sets)))
        sets.append(name)
    out.append("set security address-book PARTNERS address P-NET-1 192.0.2.0/24")
    out.append("set security address-book PARTNERS address P-NET-2 198.51.100.0/24")
    out.append("set security address-book PARTNERS address-set P-ALL address P-NET-1")
    out.append("set security address-book PARTNERS address-set P-ALL address P-NET-2")
    out.append("set security address-book PARTNERS attach zone untrust")
    apps = []
    for i in range(max(10, n // 100)):
        name = "APP-%04d" % i
        proto = "tcp" if r.random() < 0.8 else "udp"
        lo = r.choice([r.randrange(1024, 60000), r.choice([80, 443, 445, 1521, 8080, 3389, 5432])])
        port = str(lo) if r.random() < 0.6 else "%d-%d" % (lo, min(65535, lo + r.randrange(1, 500)))
        out.append("set applications application %s protocol %s" % (name, proto))
        out.append("set applications application %s destination-port %s" % (name, port))
        if r.random() < 0.25:
            out.append("set applications application %s inactivity-timeout %s"
                       % (name, r.choice(["3600", "28800", "never", "900"])))
        apps.append(name)
    app_sets = []
    for i in range(max(5, n // 330)):
        name = "APPSET-%03d" % i
        for m in r.sample(apps, r.randrange(2, 6)):
            out.append("set applications application-set %s application %s" % (name, m))
        app_sets.append(name)
    predefined = ["junos-http", "junos-https", "junos-ssh", "junos-smb-session", "junos-dns-udp", "junos-ntp",
                  "junos-ms-sql", "junos-sqlnet-v2", "junos-icmp-ping", "junos-ldap"]

    def addr(zone_book: bool, wide: float) -> str:
        x = r.random()
        if x < wide:
            return "any"
        if zone_book and x < 0.08:
            return r.choice(["P-ALL", "P-NET-1"])
        return r.choice(sets) if x < 0.45 else r.choice(hosts)

    def app() -> str:
        x = r.random()
        if x < 0.01:
            return "any"
        if x < 0.3:
            return r.choice(predefined)
        return r.choice(app_sets) if x < 0.45 else r.choice(apps)

    per_pair: dict = {p: [] for p in PAIRS}
    for (a, b) in PAIRS:
        if a == "untrust":
            for k in range(max(1, n // 400)):
                per_pair[(a, b)].append(("bl-%d" % k, ["H-%05d" % r.randrange(scale)], ["any"], ["any"], "deny"))
    for i in range(n - sum(len(v) for v in per_pair.values()) - max(1, n // 200)):
        pair = r.choice(PAIRS)
        if per_pair[pair] and r.random() < 0.03:  # a repeat (exact or near) of an earlier policy
            name, s, d, ap, act = r.choice(per_pair[pair])
            per_pair[pair].append(("rep-%d" % i, s, d, ap if r.random() < 0.5 else ap[:1], act))
            continue
        # sources are 'any' now and then (more so from the internet), destinations hardly ever
        s = sorted({addr(pair[0] == "untrust", 0.1 if pair[0] == "untrust" else 0.02)
                    for _ in range(r.randrange(1, 4))})
        d = sorted({addr(pair[1] == "untrust", 0.005) for _ in range(r.randrange(1, 4))})
        ap = sorted({app() for _ in range(r.randrange(1, 4))})
        per_pair[pair].append(("p-%d" % i, s, d, ap, "permit" if r.random() < 0.85 else "deny"))
    for (a, b), pols in per_pair.items():
        pre = "set security policies from-zone %s to-zone %s policy" % (a, b)
        for name, s, d, ap, act in pols:
            for x in s:
                out.append("%s %s match source-address %s" % (pre, name, x))
            for x in d:
                out.append("%s %s match destination-address %s" % (pre, name, x))
            for x in ap:
                out.append("%s %s match application %s" % (pre, name, x))
            out.append("%s %s then %s" % (pre, name, act))
    for i in range(max(1, n // 200)):
        pre = "set security policies global policy g-%d" % i
        out.append("%s match source-address %s" % (pre, r.choice(sets)))
        out.append("%s match destination-address any" % pre)
        out.append("%s match application %s" % (pre, r.choice(predefined)))
        out.append("%s then %s" % (pre, "permit" if r.random() < 0.8 else "deny"))
    out.append("set security policies default-policy deny-all")
    return "\n".join(out) + "\n"


# --- the benchmark --------------------------------------------------------------------------------

ROLES = ["--role", "workshop=10.10.0.0/16", "--role", "primary=10.20.0.10", "--role", "secondary=10.20.0.11"]
ASA_ROLES = ["--role", "workshop=10.1.0.0/16", "--role", "primary=10.2.0.10", "--role", "secondary=10.2.0.11"]


def _run(path: Path, roles: list[str]) -> tuple[float, int, float]:
    """(wall seconds, peak RSS bytes, CPU seconds) of one ``prinergy-audit audit`` process and its workers
    (the CPU time is steadier than the wall time on a shared machine)."""
    probe = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
             "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
             "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
             "print(time.perf_counter() - t, u.ru_maxrss * 1024, u.ru_utime + u.ru_stime)")
    cmd = [sys.executable, "-c", probe, sys.executable, "-m", "auditor.cli", "audit", str(path), *roles,
           "--format", "json", "--output", os.devnull]
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True, cwd=ROOT).stdout.split()
    return float(out[0]), int(out[1]), float(out[2])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--policies", type=int, default=20_000)
    ap.add_argument("--reps", type=int, default=3)
    a = ap.parse_args()
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from gen_asa import generate as generate_asa

    outdir = ROOT / "benchmarks" / "out"
    outdir.mkdir(exist_ok=True)
    junos, asa = outdir / "bench-junos.conf", outdir / "bench-asa-junos-size.cfg"
    junos.write_text(generate(a.policies))
    asa.write_text(generate_asa(a.policies, seed=1))
    t0 = time.perf_counter()
    runs = [(_run(asa, ASA_ROLES), _run(junos, ROLES)) for _ in range(a.reps)]
    t_asa = min(x[0] for x, _ in runs)
    t_junos = min(y[0] for _, y in runs)
    rss = max(y[1] for _, y in runs)
    c_asa = min(x[2] for x, _ in runs)
    c_junos = min(y[2] for _, y in runs)
    per_j, per_a = t_junos / a.policies, t_asa / a.policies
    print("| measurement | value | target |")
    print("|---|---|---|")
    print("| full audit, SRX, %d policies (%d lines) | %.2f s (%.1f us per policy) | |"
          % (a.policies, len(junos.read_text().splitlines()), t_junos, 1e6 * per_j))
    print("| full audit, ASA, %d ACL entries (same run) | %.2f s (%.1f us per entry) | |"
          % (a.policies, t_asa, 1e6 * per_a))
    print("| ratio per policy / per entry (wall) | %.2f | <= 1.5 |" % (per_j / per_a))
    print("| CPU, SRX audit / ASA audit (same sizes) | %.2f s / %.2f s = %.2f | |" % (c_junos, c_asa, c_junos / c_asa))
    print("| peak memory, SRX audit | %.0f MB | < 1000 MB |" % (rss / 1e6))
    print(json.dumps({"junos_s": t_junos, "asa_s": t_asa, "ratio": per_j / per_a, "rss": rss,
                      "junos_cpu_s": c_junos, "asa_cpu_s": c_asa,
                      "wall": time.perf_counter() - t0}))


if __name__ == "__main__":
    main()
