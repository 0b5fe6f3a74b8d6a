"""Seeded generator of a large, realistic SRX configuration (``display set`` form), and its benchmark.

Shape: ``gen_asa``'s, entry for policy, in SRX terms (so the time per policy compares with the time
per ACL entry on the same work): eight security zones on eight interfaces (a /16 each, a default route
out of ``untrust``); a global address book of shared entries (hosts and /24 subnets: ``gen_asa``'s
objects), address sets of 2-12 members, some nested (its object-groups), a zone-attached book; each
policy's source and destination drawn from ``gen_asa``'s mix (``any``, a set, a shared entry, a host or
subnet written once: as the SRX needs an address-book entry for it, one named after the address,
reused when the address comes again; a quarter of the group share lists two to eight entries in the
policy instead of a set); one application each in ``gen_asa``'s service mix (a well-known port: the predefined
``junos-*`` application where there is one, else a custom application defined once; a port range; an
application set standing for a service object-group; ``any``; ICMP; DNS), a quarter of the custom
applications with an ``inactivity-timeout``; 12% deny; policies spread over 24 zone pairs, a
blacklist of denied hosts first in the ``untrust`` pairs, 1.5% exact repeats (so the anomaly checks
have real work), a tenth logging at session close, 100 global policies and the default deny.

Benchmark (run by hand; prints a table)::

    .venv/bin/python benchmarks/gen_junos.py --policies 20000 --reps 3

It writes the SRX configuration and an ASA configuration of ``benchmarks/gen_asa.py`` with as many
ACL entries, then runs ``prinergy-audit audit`` on each in fresh processes, alternating, and reports
each one's best time, the time per policy against the time per ACL entry (target: at most 1.5x) and
the peak memory of the Junos audit (target: under 1 GB).

``generate(n, shape=...)`` writes the other shapes of ``gen_asa.SHAPES`` too, drawn by ``mix``.
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


# gen_asa's well-known ports, and the predefined application for each where Junos has one
PORTS = [80, 443, 445, 22, 25, 53, 3389, 1521, 8080, 8443, 49152, 50010, 56765]
PREDEFINED = {("tcp", 80): "junos-http", ("tcp", 443): "junos-https", ("tcp", 445): "junos-smb-session",
              ("tcp", 22): "junos-ssh", ("tcp", 25): "junos-smtp", ("tcp", 53): "junos-dns-tcp",
              ("tcp", 1521): "junos-sqlnet-v2", ("udp", 53): "junos-dns-udp"}


def generate(n: int = 20_000, seed: int = 1, shape: str = "mixed") -> str:
    """A ``display set`` SRX configuration with about ``n`` policies (address-set members for
    ``huge-group``); ``shape`` is one of ``gen_asa.SHAPES`` (``mixed``, the default, is drawn here;
    the others by ``mix``)."""
    if shape != "mixed":
        return _shaped(n, seed, shape)
    r = random.Random(seed)
    out = ["set version 21.4R3-S5", "set system host-name bench-srx",
           "set system root-authentication encrypted-password \"$6$bench$notarealhash\""]
    for k, z in enumerate(ZONES):
        addr = "203.0.113.1/24" if z == "untrust" else "10.%d.0.1/16" % (10 * k)
        out.append("set interfaces ge-0/0/%d unit 0 family inet address %s" % (k, addr))
        out.append("set security zones security-zone %s interfaces ge-0/0/%d.0" % (z, k))
    out.append("set routing-options static route 0.0.0.0/0 next-hop 203.0.113.254")
    book = "set security address-book global"

    def ip() -> str:
        return "10.%d.%d.%d" % (10 * r.randrange(1, len(ZONES)), r.randrange(256), r.randrange(1, 255))

    def net() -> str:
        return "10.%d.%d.0/24" % (10 * r.randrange(1, len(ZONES)), r.randrange(256))

    entries: dict[str, str] = {}  # name -> prefix, in order of first use

    def entry(prefix: str) -> str:
        """The address-book entry of an address written once (named after it, reused)."""
        name = ("h-" + prefix[:-3]) if prefix.endswith("/32") else "n-" + prefix.replace("/", "_")
        entries.setdefault(name, prefix)
        return name

    scale = max(20, n // 25)
    n_obj, n_grp, n_svc = scale, max(10, scale * 3 // 10), max(5, scale // 16)
    objs = []
    for i in range(n_obj):
        name = "H-%05d" % i
        entries[name] = ip() + "/32" if r.random() < 0.8 else net()
        objs.append(name)
    set_lines, sets = [], []
    for i in range(n_grp):
        name = "G-%04d" % i
        for _ in range(r.randrange(2, 12)):
            x = r.random()
            m = entry(ip() + "/32") if x < 0.4 else r.choice(objs) if x < 0.7 else entry(net())
            set_lines.append("%s address-set %s address %s" % (book, name, m))
        if sets and r.random() < 0.15:
            set_lines.append("%s address-set %s address-set %s" % (book, name, r.choice(sets)))
        sets.append(name)

    app_lines: list[str] = []
    custom: dict[str, None] = {}

    def custom_app(proto: str, port: str) -> str:
        """A custom application for one port or range, defined once (a quarter with a timeout)."""
        name = "%s-%s" % (proto, port)
        if name not in custom:
            custom[name] = None
            app_lines.append("set applications application %s protocol %s" % (name, proto))
            app_lines.append("set applications application %s destination-port %s" % (name, port))
            if r.random() < 0.25:
                app_lines.append("set applications application %s inactivity-timeout %s"
                                 % (name, r.choice(["3600", "28800", "never", "900"])))
        return name

    app_sets = []
    for i in range(n_svc):  # gen_asa's service object-groups
        name = "APPSET-%03d" % i
        proto = r.choice(["tcp", "udp", "tcp"])
        for _ in range(r.randrange(1, 8)):
            if r.random() < 0.7:
                port = str(r.choice([80, 443, 445, 22, 3389, 1521, 8080, r.randrange(1024, 65535)]))
            else:
                lo = r.randrange(1024, 60000)
                port = "%d-%d" % (lo, lo + r.randrange(1, 500))
            app_lines.append("set applications application-set %s application %s" % (name, custom_app(proto, port)))
        app_sets.append(name)
    for name, typ in (("icmp-echo-reply", 0), ("icmp-unreachable", 3)):
        app_lines.append("set applications application %s protocol icmp" % name)
        app_lines.append("set applications application %s icmp-type %d" % (name, typ))

    def addr(wide: float, zone_book: bool) -> list[str]:
        x = r.random()
        if x < wide:
            return ["any"]
        if zone_book and r.random() < 0.05:
            return [r.choice(["P-ALL", "P-NET-1"])]
        if x < wide + 0.15:  # gen_asa's object-group: an address set, or a few entries listed
            if r.random() < 0.75:
                return [r.choice(sets)]
            return sorted({r.choice(objs) if r.random() < 0.5 else entry(ip() + "/32")
                           for _ in range(r.randrange(2, 9))})
        if x < wide + 0.35:
            return [r.choice(objs)]
        if x < wide + 0.8:
            return [entry(ip() + "/32")]
        return [entry(net())]

    def policy(a: str, b: str) -> tuple[list[str], list[str], str]:
        y = r.random()
        if y < 0.55:
            proto = r.choice(["tcp", "tcp", "udp"])
            z = r.random()
            if z < 0.6:
                port = r.choice(PORTS)
                app = PREDEFINED.get((proto, port)) or custom_app(proto, str(port))
            elif z < 0.8:
                lo = r.randrange(1024, 60000)
                app = custom_app(proto, "%d-%d" % (lo, lo + r.randrange(1, 2000)))
            else:
                app = r.choice(app_sets)
            return addr(0.15, a == "untrust"), addr(0.0, b == "untrust"), app
        if y < 0.8:
            return addr(0.02, a == "untrust"), addr(0.0, b == "untrust"), "any"
        if y < 0.9:
            return (addr(0.1, a == "untrust"), addr(0.0, b == "untrust"),
                    r.choice(["junos-icmp-ping", "icmp-echo-reply", "icmp-unreachable", "junos-icmp-all"]))
        return addr(0.1, a == "untrust"), addr(0.0, b == "untrust"), "junos-dns-udp"

    per_pair: dict = {p: [] for p in PAIRS}
    for (a, b) in PAIRS:
        if a == "untrust":  # blacklist
            for k in range(max(1, n // 250)):
                host = entry("198.51.%d.%d/32" % (r.randrange(256), r.randrange(1, 255)))
                per_pair[(a, b)].append(("bl-%d" % k, [host], ["any"], "any", "deny", False))
    for i in range(n - sum(len(v) for v in per_pair.values()) - max(1, n // 200)):
        pair = r.choice(PAIRS)
        if per_pair[pair] and r.random() < 0.015:  # an exact repeat of a recent policy: redundant
            _name, s, d, app, act, log = r.choice(per_pair[pair][-50:])
            per_pair[pair].append(("rep-%d" % i, s, d, app, act, log))
            continue
        s, d, app = policy(*pair)
        per_pair[pair].append(("p-%d" % i, s, d, app, "deny" if r.random() < 0.12 else "permit", r.random() < 0.1))
    for name, prefix in entries.items():
        out.append("%s address %s %s" % (book, name, prefix))
    out += set_lines
    out.append("set security address-book PARTNERS address P-NET-1 192.0.2.0/24")
    out.append("set security address-book PARTNERS address P-NET-2 198.51.100.0/24")
    out.append("set security address-book PARTNERS address-set P-ALL address P-NET-1")
    out.append("set security address-book PARTNERS address-set P-ALL address P-NET-2")
    out.append("set security address-book PARTNERS attach zone untrust")
    out += app_lines
    for (a, b), pols in per_pair.items():
        pre = "set security policies from-zone %s to-zone %s policy" % (a, b)
        for name, s, d, app, act, log in pols:
            for x in s:
                out.append("%s %s match source-address %s" % (pre, name, x))
            for x in d:
                out.append("%s %s match destination-address %s" % (pre, name, x))
            out.append("%s %s match application %s" % (pre, name, app))
            out.append("%s %s then %s" % (pre, name, act))
            if log:
                out.append("%s %s then log session-close" % (pre, name))
    for i in range(max(1, n // 200)):
        pre = "set security policies global policy g-%d" % i
        out.append("%s match source-address %s" % (pre, r.choice(sets)))
        out.append("%s match destination-address any" % pre)
        out.append("%s match application %s" % (pre, r.choice(sorted(set(PREDEFINED.values())))))
        out.append("%s then %s" % (pre, "permit" if r.random() < 0.8 else "deny"))
    out.append("set security policies default-policy deny-all")
    return "\n".join(out) + "\n"


def _shaped(n: int, seed: int, shape: str) -> str:
    """``mix.build``'s shape in SRX terms: objects and every address written as global address-book
    entries, groups (and the huge group, ``BLOCKLIST``) as address sets, service groups as application
    sets, each ``Acl`` one zone pair's policies (the four lists from untrust, workshop, dmz and
    prepress; small-acls: a zone pair each, over 50 VLAN zones besides the eight)."""
    from mix import build, prefix

    m = build(n, seed, shape)
    out = ["set version 21.4R3-S5", "set system host-name bench-srx"]
    zones = list(ZONES)
    if len(m.acls) > 4:  # small-acls: 50 VLAN zones more (as many at 100k lists as at 10k), a pair per list
        zones += ["vlan%02d" % k for k in range(50)]
    for k, z in enumerate(zones):
        addr = "203.0.113.1/24" if z == "untrust" else "10.%d.%d.1/16" % (10 * k % 250, 0) if k < len(ZONES) else \
            "172.%d.%d.1/24" % (16 + k // 250, k % 250)
        port = "ge-0/0/%d.0" % k if k < len(ZONES) else "ge-0/0/7.%d" % k
        if k >= len(ZONES):
            out.append("set interfaces ge-0/0/7 unit %d vlan-id %d" % (k, k))
        out.append("set interfaces %s family inet address %s" % (port.replace(".", " unit "), addr))
        out.append("set security zones security-zone %s interfaces %s" % (z, port))
    out.append("set routing-options static route 0.0.0.0/0 next-hop 203.0.113.254")
    if len(m.acls) > 4:
        pairs = [("untrust", "servers")] + [(a, b) for a in zones[::-1] for b in zones if a != b]
    else:
        pairs = [("untrust", "servers"), ("workshop", "servers"), ("dmz", "servers"), ("prepress", "office")]
    book = "set security address-book global"
    entries: dict[str, str] = {}

    def entry(a: tuple) -> str:
        p = prefix(a)
        name = ("h-" + p[:-3]) if p.endswith("/32") else "n-" + p.replace("/", "_")
        entries.setdefault(name, p)
        return name

    def ref(a: tuple) -> str:
        if a[0] in ("host", "net"):
            return entry(a)
        return {"any": "any", "big": "BLOCKLIST"}.get(a[0]) or ("H-%05d" if a[0] == "obj" else "G-%04d") % a[1]

    for i, o in enumerate(m.objects):
        entries["H-%05d" % i] = prefix(o)
    sets = []
    for i, g in enumerate(m.groups):
        for x in g:
            kind = "address-set" if x[0] == "group" else "address"
            sets.append("%s address-set G-%04d %s %s" % (book, i, kind, ref(x)))
    sets += ["%s address-set BLOCKLIST address %s" % (book, ref(x)) for x in m.big]
    apps: dict[str, list[str]] = {}

    def app(proto: str, lo: int, hi: int) -> str:
        port = "%d" % lo if lo == hi else "%d-%d" % (lo, hi)
        if lo == hi and (proto, lo) in PREDEFINED:
            return PREDEFINED[(proto, lo)]
        name = "%s-%s" % (proto, port)
        apps.setdefault(name, ["set applications application %s protocol %s" % (name, proto),
                               "set applications application %s destination-port %s" % (name, port)])
        return name

    app_sets = []
    for i, (proto, ranges) in enumerate(m.services):
        app_sets += ["set applications application-set APPSET-%03d application %s" % (i, app(proto, lo, hi))
                     for lo, hi in ranges]
    icmp = {"echo": "junos-icmp-ping", "echo-reply": "icmp-echo-reply", "unreachable": "icmp-unreachable",
            "": "junos-icmp-all"}
    policies = []
    for (a, b), acl in zip(pairs, m.acls):
        pre = "set security policies from-zone %s to-zone %s policy" % (a, b)
        for k, e in enumerate(acl.rules):
            if e.proto == "ip":
                application = "any"
            elif e.proto == "icmp":
                application = icmp[e.icmp]
            elif e.ports[0] == "svc":
                application = "APPSET-%03d" % e.ports[1]
            else:
                application = app(e.proto, *e.ports)
            name = "%s-%d" % (acl.name.lower(), k)
            policies += ["%s %s match source-address %s" % (pre, name, ref(e.src)),
                         "%s %s match destination-address %s" % (pre, name, ref(e.dst)),
                         "%s %s match application %s" % (pre, name, application),
                         "%s %s then %s" % (pre, name, e.action)]
            if e.log:
                policies.append("%s %s then log session-close" % (pre, name))
    out += ["%s address %s %s" % (book, name, p) for name, p in entries.items()] + sets
    for name, typ in (("icmp-echo-reply", 0), ("icmp-unreachable", 3)):
        out += ["set applications application %s protocol icmp" % name,
                "set applications application %s icmp-type %d" % (name, typ)]
    out += [x for lines in apps.values() for x in lines] + app_sets + policies
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
