"""Seeded generator of large, realistic Cisco IOS-XE configs, and the IOS-versus-ASA benchmark.

``generate(n)`` returns a running-config with about ``n`` access-list entries, shaped like
``gen_asa.generate`` so the two audits can be compared per entry: one-member network object
groups where the ASA has network objects, network object groups (hosts, subnets, nested groups),
service object groups, four interfaces with a named extended list bound
inbound, blacklist-style ``deny ip host X any`` entries at the top of the outside list, permits
and denies with ports and port ranges (IOS wildcard masks), a few ``any`` rules, a small share
of exact repeats, and a closing ``deny ip any any``; entries carry IOS-XE's sequence numbers.
A small zone-based firewall and a NAT overload are there too.

    .venv/bin/python benchmarks/gen_ios.py 20000 > ios.cfg      # a config
    .venv/bin/python benchmarks/gen_ios.py --bench [--rules 20000] [--reps 3]

``--bench`` times the full audit (parse, every check, anomalies; as the CLI's audit runs it)
of the IOS config and of ``gen_asa``'s ASA config with the same number of entries, each in a
fresh process, alternating, best of ``--reps``; and the whole ``prinergy-audit audit`` command
on each file.  It prints the time per entry of each, their ratio (target: IOS at most 1.5x the
ASA) and the peak memory (target: under 1 GB).

``generate(n, shape=...)`` writes the other shapes of ``gen_asa.SHAPES`` too, drawn by ``mix``.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _ip(r: random.Random, net: int) -> str:
    return "10.%d.%d.%d" % (net, r.randrange(256), r.randrange(1, 255))


HEAD = ["Building configuration...", "", "Current configuration : 0 bytes", "!", "version 17.6",
        "service timestamps log datetime msec", "!", "hostname bench-rtr", "!", "boot-start-marker",
        "boot-end-marker", "!"]
IFACES = [("GigabitEthernet0/0/0", "OUTSIDE-IN", "203.0.113.1", "255.255.255.0", "outside"),
          ("GigabitEthernet0/0/1", "INSIDE-IN", "10.0.0.1", "255.0.0.0", "inside"),
          ("GigabitEthernet0/0/2", "DMZ-IN", "172.16.0.1", "255.255.0.0", "dmz"),
          ("GigabitEthernet0/0/3", "PREPRESS-IN", "192.168.0.1", "255.255.0.0", "prepress")]


def generate(n_rules: int = 20_000, seed: int = 1, shape: str = "mixed") -> str:
    """A running-config of about ``n_rules`` entries (members for ``huge-group``); ``shape`` is
    one of ``gen_asa.SHAPES`` (``mixed``, the default, is drawn here; the others by ``mix``)."""
    if shape != "mixed":
        return _shaped(n_rules, seed, shape)
    r = random.Random(seed)
    out = list(HEAD)
    ifaces = IFACES
    scale = max(20, n_rules // 25)
    n_obj, n_grp, n_svc = scale, max(10, scale * 3 // 10), max(5, scale // 16)
    # IOS has no network objects: a one-member group stands for the ASA's 'object network'
    objs = []
    for i in range(n_obj):
        name = "OBJ-%05d" % i
        objs.append(name)
        out.append("object-group network %s" % name)
        if r.random() < 0.8:
            out.append(" host %s" % _ip(r, r.randrange(1, 60)))
        else:
            out.append(" 10.%d.%d.0 255.255.255.0" % (r.randrange(1, 60), r.randrange(256)))
    groups = []
    for i in range(n_grp):
        name = "NET-GRP-%04d" % i
        out.append("object-group network %s" % name)
        for _ in range(r.randrange(2, 12)):
            if r.random() < 0.6:
                out.append(" host %s" % _ip(r, r.randrange(1, 60)))
            else:
                out.append(" 10.%d.%d.0 255.255.255.0" % (r.randrange(1, 60), r.randrange(256)))
        if r.random() < 0.3:
            out.append(" group-object %s" % r.choice(objs))
        if groups and r.random() < 0.15:
            out.append(" group-object %s" % r.choice(groups))
        groups.append(name)
    svcs = []
    for i in range(n_svc):
        name = "SVC-GRP-%03d" % i
        proto = r.choice(["tcp", "udp", "tcp-udp"])
        out.append("object-group service %s" % name)
        for _ in range(r.randrange(1, 8)):
            if r.random() < 0.7:
                out.append(" %s eq %d" % (proto, r.choice([80, 443, 445, 22, 3389, 1521, 8080,
                                                           r.randrange(1024, 65535)])))
            else:
                lo = r.randrange(1024, 60000)
                out.append(" %s range %d %d" % (proto, lo, lo + r.randrange(1, 500)))
        svcs.append(name)
    ports = [80, 443, 445, 22, 25, 53, 3389, 1521, 8080, 8443, 49152, 50010, 56765]

    def addr(wide: float) -> str:
        x = r.random()
        if x < wide:
            return "any"
        if x < wide + 0.15:
            return "object-group %s" % r.choice(groups)
        if x < wide + 0.35:
            return "object-group %s" % r.choice(objs)
        if x < wide + 0.8:
            return "host %s" % _ip(r, r.randrange(1, 60))
        return "10.%d.%d.0 0.0.0.255" % (r.randrange(1, 60), r.randrange(256))

    shares = [0.55, 0.25, 0.12, 0.08]
    for (_if, acl, *_rest), share in zip(ifaces, shares, strict=True):
        n = int(n_rules * share)
        entries: list[str] = []
        recent: list[str] = []
        if acl == "OUTSIDE-IN":
            for _ in range(n // 20):  # blacklist
                entries.append("deny ip host 198.51.%d.%d any" % (r.randrange(256), r.randrange(1, 255)))
        body = n - (n // 20 if acl == "OUTSIDE-IN" else 0) - 3
        for _ in range(body):
            x = r.random()
            if recent and x < 0.015:
                entries.append(r.choice(recent))  # an exact repeat: redundant
                continue
            action = "deny" if r.random() < 0.12 else "permit"
            y = r.random()
            if y < 0.55:
                proto = r.choice(["tcp", "tcp", "udp"])
                z = r.random()
                if z < 0.6:
                    line = "%s %s %s %s eq %d" % (action, proto, addr(0.15), addr(0.0), r.choice(ports))
                elif z < 0.8:
                    lo = r.randrange(1024, 60000)
                    line = "%s %s %s %s range %d %d" % (action, proto, addr(0.15), addr(0.0), lo,
                                                        lo + r.randrange(1, 2000))
                else:
                    line = "%s object-group %s %s %s" % (action, r.choice(svcs), addr(0.15), addr(0.0))
            elif y < 0.8:
                line = "%s ip %s %s" % (action, addr(0.02), addr(0.0))
            elif y < 0.9:
                line = "%s icmp %s %s %s" % (action, addr(0.1), addr(0.0),
                                              r.choice(["echo", "echo-reply", "unreachable", ""]))
            else:
                line = "%s udp %s %s eq domain" % (action, addr(0.1), addr(0.0))
            entries.append(line.rstrip() + (" log" if r.random() < 0.1 else ""))
            recent = (recent + [entries[-1]])[-50:]
        entries += ["permit tcp any any eq 443", "permit icmp any any echo-reply", "deny ip any any log"]
        out.append("ip access-list extended %s" % acl)
        out += [" %d %s" % (10 * (k + 1), e) for k, e in enumerate(entries)]
        out.append("!")
    out += _tail(ifaces)
    return "\n".join(out) + "\n"


def _shaped(n_rules: int, seed: int, shape: str) -> str:
    """``mix.build``'s shape in IOS terms: objects as one-member network groups, the huge group one
    network group, service groups, a named extended list per ``Acl`` (small-acls: the first 50
    tenants' bound in on VLAN subinterfaces, the rest unbound)."""
    from mix import build, mask, wildcard

    m = build(n_rules, seed, shape)
    out = list(HEAD)

    def name(a: tuple) -> str:
        return "BLOCKLIST" if a[0] == "big" else ("OBJ-%05d" if a[0] == "obj" else "NET-GRP-%04d") % a[1]

    def member(a: tuple) -> str:
        if a[0] == "host":
            return " host %s" % a[1]
        if a[0] == "net":
            return " %s %s" % (a[1], mask(a[2]))
        return " group-object %s" % name(a)

    def addr(a: tuple) -> str:
        if a[0] == "any":
            return "any"
        if a[0] == "host" or (a[0] == "net" and a[2] == 32):
            return "host %s" % a[1]
        if a[0] == "net":
            return "%s %s" % (a[1], wildcard(a[2]))
        return "object-group %s" % name(a)

    for i, o in enumerate(m.objects):
        out += ["object-group network OBJ-%05d" % i, member(o)]
    for i, g in enumerate(m.groups):
        out += ["object-group network NET-GRP-%04d" % i] + [member(x) for x in g]
    for i, (proto, ranges) in enumerate(m.services):
        out.append("object-group service SVC-GRP-%03d" % i)
        out += [" %s eq %d" % (proto, lo) if lo == hi else " %s range %d %d" % (proto, lo, hi) for lo, hi in ranges]
    if m.big:
        out += ["object-group network BLOCKLIST"] + [member(x) for x in m.big]
    for acl in m.acls:
        out.append("ip access-list extended %s" % acl.name.replace("_", "-"))
        for k, e in enumerate(acl.rules):
            if e.ports and e.ports[0] == "svc":
                line = "%s object-group SVC-GRP-%03d %s %s" % (e.action, e.ports[1], addr(e.src), addr(e.dst))
            else:
                line = "%s %s %s %s" % (e.action, e.proto, addr(e.src), addr(e.dst))
                if e.ports:
                    lo, hi = e.ports
                    line += " eq %d" % lo if lo == hi else " range %d %d" % (lo, hi)
                elif e.icmp:
                    line += " " + e.icmp
            out.append(" %d %s%s" % (10 * (k + 1), line, " log" if e.log else ""))
        out.append("!")
    tenants = [a.name for a in m.acls if a.name.startswith("TENANT") and a.bound]
    for k, acl in enumerate(tenants):
        out += ["interface GigabitEthernet0/0/3.%d" % (100 + k), " encapsulation dot1Q %d" % (100 + k),
                " ip address 10.%d.%d.1 255.255.255.0" % (100 + k // 200, k % 200),
                " ip access-group %s in" % acl, " ip nat inside", " zone-member security PREPRESS", "!"]
    if tenants:  # the other three interfaces' lists, short
        for x in IFACES[1:]:
            out += ["ip access-list extended %s" % x[1], " 10 permit ip any any", "!"]
    out += _tail(IFACES)
    return "\n".join(out) + "\n"


def _tail(ifaces: list) -> list[str]:
    """The zone-based firewall, the interfaces with their lists bound in, NAT, routes."""
    out: list[str] = []
    out += ["zone security OUTSIDE", "zone security INSIDE", "zone security DMZ", "zone security PREPRESS",
            "ip access-list extended ZBF-PREPRESS", " 10 permit tcp 192.168.0.0 0.0.255.255 10.0.0.0 0.255.255.255",
            "class-map type inspect match-any CM-PREPRESS", " match access-group name ZBF-PREPRESS",
            "class-map type inspect match-any CM-WEB", " match protocol http", " match protocol https",
            " match protocol dns",
            "parameter-map type inspect PM-LONG", " tcp idle-time 28800",
            "policy-map type inspect PM-PREPRESS", " class type inspect CM-PREPRESS", "  inspect PM-LONG",
            " class class-default", "  drop log",
            "policy-map type inspect PM-OUT", " class type inspect CM-WEB", "  inspect", " class class-default",
            "  drop",
            "zone-pair security ZP-PP-IN source PREPRESS destination INSIDE",
            " service-policy type inspect PM-PREPRESS",
            "zone-pair security ZP-IN-PP source INSIDE destination PREPRESS",
            " service-policy type inspect PM-PREPRESS"]
    for z in ("INSIDE", "DMZ", "PREPRESS"):
        out += ["zone-pair security ZP-%s-OUT source %s destination OUTSIDE" % (z, z),
                " service-policy type inspect PM-OUT"]
    for name, acl, ip, mask, zone in ifaces:
        out += ["interface %s" % name, " description %s" % zone, " ip address %s %s" % (ip, mask),
                " ip access-group %s in" % acl, " ip nat %s" % ("outside" if zone == "outside" else "inside"),
                " zone-member security %s" % zone.upper(), " negotiation auto", "!"]
    out += ["ip access-list standard NAT-INSIDE", " 10 permit 10.0.0.0 0.255.255.255",
            " 20 permit 192.168.0.0 0.0.255.255", "!",
            "ip nat inside source list NAT-INSIDE interface GigabitEthernet0/0/0 overload",
            "ip route 0.0.0.0 0.0.0.0 203.0.113.254", "!", "line vty 0 4", " transport input ssh", "!", "end"]
    return out


# --- the benchmark -------------------------------------------------------------------------

SITE = ["workshop=10.1.0.0/16", "primary=10.2.0.10", "secondary=10.2.0.11"]


def _audit_once(path: str, vendor: str, reps: int) -> dict:
    """In a fresh process: the full audit of ``path`` as the CLI's audit runs it, best of ``reps``."""
    sys.path.insert(0, str(ROOT))
    from auditor.api import audit
    from auditor.engine import prestart
    from auditor.engine.perf import paused_gc
    from auditor.policy import load_site
    from parsers import parse_text

    text = Path(path).read_text()
    site = load_site(None, SITE)
    with prestart.enabled():  # imports and caches outside the timing
        audit([parse_text("\n".join(text.splitlines()[:400]) + "\n", "w.cfg", vendor)], site)
    best = None
    for _ in range(reps):
        t0 = time.perf_counter()
        with prestart.enabled(), paused_gc():
            cfg = parse_text(text, path, vendor)
            res = audit([cfg], site)
        dt = time.perf_counter() - t0
        best = dt if best is None else min(best, dt)
        entries = sum(len(f.rules) for f in cfg.filters.values() if f.kind == "acl")
        del res, cfg
    import resource

    rss = 1024 * max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                     resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return {"s": best, "entries": entries, "rss": rss}


def _child(path: str, vendor: str, reps: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", path, vendor, str(reps)], check=True,
                         stdout=subprocess.PIPE, text=True, cwd=ROOT).stdout
    return json.loads(out.strip().splitlines()[-1])


def _cli(path: str, vendor: str) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "auditor.cli", "audit", path, "--vendor", vendor, "--format", "json",
                    *[a for r in SITE for a in ("--role", r)]], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   cwd=ROOT)
    return time.perf_counter() - t0


def bench(rules: int, reps: int) -> dict:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from gen_asa import generate as generate_asa

    outdir = ROOT / "benchmarks" / "out"
    os.makedirs(outdir, exist_ok=True)
    ios, asa = outdir / "bench-ios.cfg", outdir / "bench-asa-ios-size.cfg"
    ios.write_text(generate(rules, seed=1))
    asa.write_text(generate_asa(rules, seed=1))
    runs = [(_child(str(asa), "cisco-asa", 1), _child(str(ios), "cisco-ios", 1)) for _ in range(reps)]
    a = min((x for x, _ in runs), key=lambda x: x["s"])
    i = min((y for _, y in runs), key=lambda y: y["s"])
    cli = [(_cli(str(asa), "cisco-asa"), _cli(str(ios), "cisco-ios")) for _ in range(reps)]
    ca, ci = min(x for x, _ in cli), min(y for _, y in cli)
    res = {
        "asa_entries": a["entries"], "ios_entries": i["entries"],
        "asa_s": a["s"], "ios_s": i["s"],
        "asa_us_per_entry": 1e6 * a["s"] / a["entries"], "ios_us_per_entry": 1e6 * i["s"] / i["entries"],
        "asa_cli_s": ca, "ios_cli_s": ci,
        "asa_rss_mb": max(x["rss"] for x, _ in runs) / 1e6, "ios_rss_mb": max(y["rss"] for _, y in runs) / 1e6,
    }
    res["ratio"] = res["ios_us_per_entry"] / res["asa_us_per_entry"]
    res["cli_ratio"] = (ci / i["entries"]) / (ca / a["entries"])
    return res


def main(argv: list[str]) -> None:
    if argv[:1] == ["--child"]:
        print(json.dumps(_audit_once(argv[1], argv[2], int(argv[3]))))
        return
    if argv[:1] == ["--bench"]:
        rules = int(argv[argv.index("--rules") + 1]) if "--rules" in argv else 20_000
        reps = int(argv[argv.index("--reps") + 1]) if "--reps" in argv else 3
        r = bench(rules, reps)
        print("| measurement | IOS | ASA (same run) | IOS / ASA per entry | target |")
        print("|---|---|---|---|---|")
        print("| full audit (parse, checks, anomalies) | %.2f s, %d entries, %.1f us/entry | %.2f s, %d entries, "
              "%.1f us/entry | %.2f | <= 1.5 |" % (r["ios_s"], r["ios_entries"], r["ios_us_per_entry"], r["asa_s"],
                                                   r["asa_entries"], r["asa_us_per_entry"], r["ratio"]))
        print("| the whole 'prinergy-audit audit' process | %.2f s | %.2f s | %.2f | <= 1.5 |"
              % (r["ios_cli_s"], r["asa_cli_s"], r["cli_ratio"]))
        print("| peak memory (audit process) | %.0f MB | %.0f MB | | < 1000 MB |" % (r["ios_rss_mb"], r["asa_rss_mb"]))
        print(json.dumps(r))
        return
    n = int(argv[0]) if argv else 20_000
    sys.stdout.write(generate(n))


if __name__ == "__main__":
    main(sys.argv[1:])
