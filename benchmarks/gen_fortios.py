"""Seeded generator of large, realistic FortiGate (FortiOS) configurations, and its benchmark.

Shape (per 20,000 policies): a backup header and system settings; eight interfaces (WAN, LAN, DMZ,
servers, prepress, storage, two VPN tunnels) with a zone over the tunnels and an ``intrazone allow``
LAN zone; static routes; four port-forwarding VIPs; then the policies between interface and zone pairs
with the address and service mix of ``gen_asa``'s ACL entries (15% ``all`` sources, shared objects
and groups, hosts and subnets written once, services of one port, a range or a service group, ``ALL``,
``PING``, ``DNS``), 12% denies, a few ``any`` interfaces, disabled policies, per-policy and per-service
session TTLs, a small share of exact repeats (so the anomaly checks have real work), and a closing deny.
As FortiOS requires, every operand is an object: ~800 shared address objects (hosts, /24 subnets,
ranges, a few FQDNs), ~250 groups (some nested, a few with exclusions), an object per host or subnet
written once (~16,000), ~50 service groups' worth of custom services and one per port or range used.

    .venv/bin/python benchmarks/gen_fortios.py 20000 > big.conf       # the config
    .venv/bin/python benchmarks/gen_fortios.py --compare [--n 20000] [--reps 3]

``--compare`` times the full audit (parse, every check, anomalies; as the CLI runs it) of this
config against the full audit of ``gen_asa.generate`` with as many ACL entries, in the same run,
each repetition in a fresh process, the two alternating, and prints the time per policy, per ACL
entry, their ratio (target <= 1.5) and each process's peak memory (target < 1 GB).

``generate(n, shape=...)`` writes the other shapes of ``gen_asa.SHAPES`` too, drawn by ``mix``.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IFACES = [("wan1", "203.0.113.2 255.255.255.248"), ("lan", "10.0.0.1 255.255.0.0"),
          ("dmz", "172.16.0.1 255.255.0.0"), ("servers", "10.20.0.1 255.255.255.0"),
          ("prepress", "10.30.0.1 255.255.255.0"), ("storage", "10.50.0.1 255.255.255.0"),
          ("vpn-a", "10.201.0.1 255.255.255.0"), ("vpn-b", "10.202.0.1 255.255.255.0")]
SIDES = ["wan1", "LAN", "dmz", "servers", "VPN"]  # LAN = lan+prepress+storage, VPN = vpn-a+vpn-b
PORTS = [80, 443, 445, 22, 25, 53, 3389, 1521, 8080, 8443, 49152, 50010, 56765, 2049, 139]


def _ip(r: random.Random) -> str:
    return "10.%d.%d.%d" % (r.randrange(1, 60), r.randrange(256), r.randrange(1, 255))


def generate(n: int = 20_000, seed: int = 1, shape: str = "mixed") -> str:
    """A FortiOS configuration with about ``n`` firewall policies (addrgrp members for
    ``huge-group``); ``shape`` is one of ``gen_asa.SHAPES`` (``mixed``, the default, is drawn
    here; the others by ``mix``)."""
    if shape != "mixed":
        return _shaped(n, seed, shape)
    r = random.Random(seed)
    out = _head(r.randrange(10 ** 12))
    out += _system(IFACES)
    return _mixed(r, n, out)


def _head(version: int) -> list[str]:
    return ["#config-version=FG600F-7.2.8-FW-build1639-240313:opmode=0:vdom=0:user=admin",
            "#conf_file_ver=%d" % version, "#buildno=1639", "#global_vdom=1",
            "config system global", '    set hostname "bench-fgt"', "    set timezone 28", "end",
            "config system settings", "    set gui-multiple-interface-policy enable", "end"]


def _system(ifaces: list) -> list[str]:
    """The interfaces, the zones over them, the session TTL and the static routes."""
    out = ["config system interface"]
    for name, ip in ifaces:
        out += ['    edit "%s"' % name, '        set vdom "root"', "        set ip %s" % ip,
                "        set allowaccess ping", "        set type %s" % ("tunnel" if name.startswith("vpn") else
                                                                          "vlan" if name.startswith("vlan") else
                                                                          "physical"), "    next"]
    out += ["end", "config system zone", '    edit "LAN"', '        set interface "lan" "prepress" "storage"',
            "        set intrazone allow", "    next", '    edit "VPN"', '        set interface "vpn-a" "vpn-b"',
            "    next", "end", "config system session-ttl", "    set default 3600", "end",
            "config router static", "    edit 1", "        set gateway 203.0.113.1", '        set device "wan1"',
            "    next", "    edit 2", "        set dst 10.60.0.0 255.252.0.0", "        set gateway 10.0.0.254",
            '        set device "lan"', "    next", "end"]
    return out


def _mixed(r: random.Random, n: int, out: list[str]) -> str:
    # the same address and service mix as gen_asa's rules, each operand an object as FortiOS requires:
    # a pool of shared objects and groups, and a host or subnet object per address written once
    n_obj, n_grp, n_svc = max(20, n // 25), max(10, n // 80), max(5, n // 400)
    objs = ["OBJ-%05d" % i for i in range(n_obj)]
    defs: dict[str, list[str]] = {}
    for i, name in enumerate(objs):
        x = r.random()
        if x < 0.75:
            defs[name] = ["        set subnet %s 255.255.255.255" % _ip(r)]
        elif x < 0.93:
            defs[name] = ["        set subnet 10.%d.%d.0 255.255.255.0" % (r.randrange(1, 60), r.randrange(256))]
        elif x < 0.995:
            lo, net = r.randrange(1, 200), r.randrange(1, 60)
            defs[name] = ["        set type iprange", "        set start-ip 10.%d.7.%d" % (net, lo),
                          "        set end-ip 10.%d.7.%d" % (net, lo + r.randrange(1, 50))]
        else:
            defs[name] = ["        set type fqdn", '        set fqdn "host%d.example.com"' % i]
    groups = []
    grp_lines = ["config firewall addrgrp"]
    for i in range(n_grp):
        name = "GRP-%04d" % i
        members = r.sample(objs, r.randrange(2, 12))
        if groups and r.random() < 0.15:
            members.append(r.choice(groups))
        grp_lines += ['    edit "%s"' % name, "        set member %s" % " ".join('"%s"' % m for m in members)]
        if r.random() < 0.03:
            grp_lines += ["        set exclude enable", '        set exclude-member "%s"' % r.choice(objs)]
        grp_lines.append("    next")
        groups.append(name)
    grp_lines.append("end")

    def fresh(kind: str) -> str:
        if kind == "host":
            ip = _ip(r)
            name = "h-%s" % ip
            defs.setdefault(name, ["        set subnet %s 255.255.255.255" % ip])
        else:
            a, b = r.randrange(1, 60), r.randrange(256)
            name = "n-10.%d.%d.0" % (a, b)
            defs.setdefault(name, ["        set subnet 10.%d.%d.0 255.255.255.0" % (a, b)])
        return '"%s"' % name

    def addr(wide: float) -> str:
        x = r.random()
        if x < wide:
            return '"all"'
        if x < wide + 0.15:
            return '"%s"' % r.choice(groups)
        if x < wide + 0.35:
            return '"%s"' % r.choice(objs)
        if x < wide + 0.8:
            return fresh("host")
        return fresh("net")

    svc_defs: dict[str, str] = {"ALL": "        set protocol IP", "DNS": "        set udp-portrange 53",
                                "PING": "        set protocol ICMP\n        set icmptype 8"}
    svcs = []
    for i in range(n_svc):
        name = "SVC-GRP-%03d" % i
        proto = r.choice(["tcp", "udp", "tcp"])
        ranges = []
        for _ in range(r.randrange(1, 8)):
            if r.random() < 0.7:
                ranges.append(str(r.choice([80, 443, 445, 22, 3389, 1521, 8080, r.randrange(1024, 65535)])))
            else:
                lo = r.randrange(1024, 60000)
                ranges.append("%d-%d" % (lo, lo + r.randrange(1, 500)))
        svc_defs[name] = "        set %s-portrange %s" % (proto, " ".join(ranges))
        if r.random() < 0.05:
            svc_defs[name] += "\n        set session-ttl %d" % r.choice([1800, 7200, 28800])
        svcs.append(name)

    def port_svc(proto: str) -> str:
        z = r.random()
        if z < 0.6:
            port = str(r.choice(PORTS))
        elif z < 0.8:
            lo = r.randrange(1024, 60000)
            port = "%d-%d" % (lo, lo + r.randrange(1, 2000))
        else:
            return '"%s"' % r.choice(svcs)
        name = "%s-%s" % (proto.upper(), port)
        svc_defs.setdefault(name, "        set %s-portrange %s" % (proto, port))
        return '"%s"' % name

    pol = ["config firewall policy"]
    recent: list[list[str]] = []
    for pid in range(1, n):
        if recent and r.random() < 0.015:
            body = r.choice(recent)  # an exact repeat: redundant
        else:
            a = "any" if r.random() < 0.01 else r.choice(SIDES)
            b = r.choice([s for s in SIDES if s != a] or SIDES)
            y = r.random()
            if y < 0.55:
                svc, src, dst = port_svc(r.choice(["tcp", "tcp", "udp"])), addr(0.15), addr(0.0)
            elif y < 0.8:
                svc, src, dst = '"ALL"', addr(0.02), addr(0.0)
            elif y < 0.9:
                svc, src, dst = '"PING"', addr(0.1), addr(0.0)
            else:
                svc, src, dst = '"DNS"', addr(0.1), addr(0.0)
            if b == "dmz" and r.random() < 0.02:
                dst, a = '"VIP-%d"' % r.randrange(4), "wan1"
            body = ['        set name "p%d"' % pid, '        set srcintf "%s"' % a, '        set dstintf "%s"' % b,
                    "        set action %s" % ("deny" if r.random() < 0.12 else "accept"),
                    "        set srcaddr %s" % src, "        set dstaddr %s" % dst,
                    '        set schedule "always"', "        set service %s" % svc, "        set logtraffic all"]
            if r.random() < 0.05:
                body.append("        set session-ttl %d" % r.choice([1800, 7200, 28800]))
            if r.random() < 0.02:
                body.append("        set status disable")
            if r.random() < 0.1:
                body.append('        set comments "ticket %d"' % r.randrange(10000))
            recent = (recent + [body])[-50:]
        pol += ["    edit %d" % pid, "        set uuid %08x-0000-4000-8000-%012x" % (pid, r.randrange(1 << 40))]
        pol += body
        pol.append("    next")
    pol += ["    edit %d" % n, '        set name "deny-all"', '        set srcintf "any"', '        set dstintf "any"',
            '        set srcaddr "all"', '        set dstaddr "all"', '        set schedule "always"',
            '        set service "ALL"', "        set logtraffic all", "    next", "end"]

    out += ["config firewall address", '    edit "all"', "    next"]
    for name, body in defs.items():
        out += ['    edit "%s"' % name] + body + ["    next"]
    out.append("end")
    out += grp_lines
    out.append("config firewall vip")
    for i in range(4):
        out += ['    edit "VIP-%d"' % i, "        set extip 203.0.113.%d" % (3 + i),
                '        set mappedip "10.20.0.%d"' % (10 + i), '        set extintf "wan1"',
                "        set portforward enable", "        set extport %d" % (8443 + i), "        set mappedport 443",
                "    next"]
    out.append("end")
    out.append("config firewall service custom")
    for name, body in svc_defs.items():
        out += ['    edit "%s"' % name] + body.split("\n") + ["    next"]
    out.append("end")
    out.append("config firewall service group")
    for i in range(max(3, n_svc // 4)):
        out += ['    edit "SVCGRP-%02d"' % i, "        set member %s" % " ".join(
            '"%s"' % s for s in r.sample(svcs, min(len(svcs), r.randrange(2, 6)))), "    next"]
    out.append("end")
    out += pol
    return "\n".join(out) + "\n"


def _shaped(n: int, seed: int, shape: str) -> str:
    """``mix.build``'s shape in FortiOS terms: every operand an address object (the objects, and one
    per host or subnet written), groups and the huge group (``BLOCKLIST``) as addrgrps, service groups
    as custom services of several ranges, each ``Acl`` the policies of one interface pair (small-acls:
    a pair each, over 50 VLAN interfaces besides the eight)."""
    from mix import build, mask

    m = build(n, seed, shape)
    vlans = [("vlan%d" % k, "10.%d.%d.1 255.255.255.0" % (100 + k // 200, k % 200)) for k in range(50)]
    out = _head(seed) + _system(IFACES + (vlans if len(m.acls) > 4 else []))
    if len(m.acls) > 4:
        sides = SIDES + [v for v, _ in vlans]
        pairs = [("wan1", "dmz")] + [(a, b) for a in sides[::-1] for b in sides if a != b]
    else:
        pairs = [("wan1", "dmz"), ("LAN", "servers"), ("dmz", "servers"), ("VPN", "LAN")]
    defs: dict[str, str] = {"all": ""}

    def obj(a: tuple) -> str:
        if a[0] == "any":
            return "all"
        if a[0] in ("obj", "group", "big"):
            return "BLOCKLIST" if a[0] == "big" else ("OBJ-%05d" if a[0] == "obj" else "GRP-%04d") % a[1]
        bits = 32 if a[0] == "host" else a[2]
        name = ("h-%s" if bits == 32 else "n-%s") % a[1] + ("" if bits in (24, 32) else "_%d" % bits)
        defs.setdefault(name, "        set subnet %s %s" % (a[1], mask(bits)))
        return name

    for i, o in enumerate(m.objects):
        defs["OBJ-%05d" % i] = "        set subnet %s %s" % (o[1], mask(32 if o[0] == "host" else o[2]))
    grps = []
    for i, g in enumerate(m.groups):
        grps.append(("GRP-%04d" % i, [obj(x) for x in g]))
    if m.big:
        grps.append(("BLOCKLIST", [obj(x) for x in m.big]))
    svc = {"ALL": "        set protocol IP", "PING": "        set protocol ICMP\n        set icmptype 8",
           "ICMP-REPLY": "        set protocol ICMP\n        set icmptype 0",
           "ICMP-UNREACH": "        set protocol ICMP\n        set icmptype 3", "ICMP-ALL": "        set protocol ICMP"}
    icmp = {"echo": "PING", "echo-reply": "ICMP-REPLY", "unreachable": "ICMP-UNREACH", "": "ICMP-ALL"}
    for i, (proto, ranges) in enumerate(m.services):
        svc["SVC-GRP-%03d" % i] = "        set %s-portrange %s" % (proto, " ".join(
            "%d" % lo if lo == hi else "%d-%d" % (lo, hi) for lo, hi in ranges))

    def service(e) -> str:
        if e.proto == "ip":
            return "ALL"
        if e.proto == "icmp":
            return icmp[e.icmp]
        if e.ports[0] == "svc":
            return "SVC-GRP-%03d" % e.ports[1]
        port = "%d" % e.ports[0] if e.ports[0] == e.ports[1] else "%d-%d" % e.ports
        svc.setdefault("%s-%s" % (e.proto.upper(), port), "        set %s-portrange %s" % (e.proto, port))
        return "%s-%s" % (e.proto.upper(), port)

    pol = ["config firewall policy"]
    pid = 0
    for (a, b), acl in zip(pairs, m.acls):
        for e in acl.rules:
            pid += 1
            pol += ["    edit %d" % pid, '        set name "p%d"' % pid, '        set srcintf "%s"' % a,
                    '        set dstintf "%s"' % b, "        set action %s" % {"deny": "deny"}.get(e.action, "accept"),
                    '        set srcaddr "%s"' % obj(e.src), '        set dstaddr "%s"' % obj(e.dst),
                    '        set schedule "always"', '        set service "%s"' % service(e),
                    "        set logtraffic %s" % ("all" if e.log else "utm"), "    next"]
    pol.append("end")
    out += ["config firewall address"]
    for name, body in defs.items():
        out += ['    edit "%s"' % name] + ([body] if body else []) + ["    next"]
    out += ["end", "config firewall addrgrp"]
    for name, members in grps:
        out += ['    edit "%s"' % name, "        set member %s" % " ".join('"%s"' % x for x in members), "    next"]
    out += ["end", "config firewall service custom"]
    for name, body in svc.items():
        out += ['    edit "%s"' % name] + body.split("\n") + ["    next"]
    out.append("end")
    return "\n".join(out + pol) + "\n"


def _audit(text: str, vendor: str):
    from auditor.api import audit
    from auditor.engine import prestart
    from auditor.policy import load_site
    from parsers import parse_text

    with prestart.enabled():  # as the CLI's audit runs
        cfg = parse_text(text, "bench.cfg", vendor)
        return audit([cfg], load_site(None, ["workshop=10.30.0.0/24", "primary=10.20.0.10",
                                             "secondary=10.20.0.11"]))


def _child(vendor: str, path: str) -> None:
    import resource

    text = Path(path).read_text()
    _audit(generate(200, 2) if vendor == "fortios" else _asa(200), vendor)  # imports outside the timing
    t0 = time.perf_counter()
    result = _audit(text, vendor)
    t = time.perf_counter() - t0
    del result
    rss = 1024 * max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                     resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    print(json.dumps({"s": t, "rss": rss}))


def _asa(n: int) -> str:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from gen_asa import generate as asa

    return asa(n, seed=1)


def compare(n: int, reps: int) -> dict:
    """Full audits of ``n`` FortiOS policies and ``n`` ASA entries, alternating fresh processes."""
    out_dir = ROOT / "benchmarks" / "out"
    out_dir.mkdir(exist_ok=True)
    (out_dir / "fortios.conf").write_text(generate(n))
    (out_dir / "asa-same-size.cfg").write_text(_asa(n))
    runs: dict[str, list] = {"fortios": [], "cisco-asa": []}
    for _ in range(reps):
        for vendor, f in (("cisco-asa", "asa-same-size.cfg"), ("fortios", "fortios.conf")):
            p = subprocess.run([sys.executable, __file__, "--child", vendor, str(out_dir / f)], check=True,
                               stdout=subprocess.PIPE, text=True, cwd=ROOT)
            runs[vendor].append(json.loads(p.stdout.strip().splitlines()[-1]))
    fo, asa = min(x["s"] for x in runs["fortios"]), min(x["s"] for x in runs["cisco-asa"])
    return {"n": n, "fortios_s": fo, "asa_s": asa, "fortios_us_per_policy": fo / n * 1e6,
            "asa_us_per_entry": asa / n * 1e6, "ratio": fo / asa,
            "fortios_rss_mb": max(x["rss"] for x in runs["fortios"]) / 1e6,
            "asa_rss_mb": max(x["rss"] for x in runs["cisco-asa"]) / 1e6}


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    args = sys.argv[1:]
    if args[:1] == ["--child"]:
        _child(args[1], args[2])
    elif args[:1] == ["--compare"]:
        n = int(args[args.index("--n") + 1]) if "--n" in args else 20_000
        reps = int(args[args.index("--reps") + 1]) if "--reps" in args else 3
        res = compare(n, reps)
        print("| measurement | value |\n|---|---|")
        print("| FortiOS full audit, %d policies | %.2f s (%.1f us per policy) |"
              % (n, res["fortios_s"], res["fortios_us_per_policy"]))
        print("| ASA full audit, %d ACL entries (same run) | %.2f s (%.1f us per entry) |"
              % (n, res["asa_s"], res["asa_us_per_entry"]))
        print("| ratio per policy / per entry (target <= 1.5) | %.2f |" % res["ratio"])
        print("| peak memory FortiOS / ASA (target < 1000 MB) | %.0f MB / %.0f MB |"
              % (res["fortios_rss_mb"], res["asa_rss_mb"]))
        print(json.dumps(res))
    else:
        sys.stdout.write(generate(int(args[0]) if args else 20_000))
