"""Seeded generator of large, realistic PAN-OS configurations, and their audit timed against the ASA's.

``generate(n)`` writes a running configuration with about ``n`` security rules, as ``set``
commands (``form="set"``, what ``set cli config-output-format set`` + ``show`` prints: one setting
a line) or as XML (``form="xml"``, the running-config.xml form). Shape (per 20,000 rules): nine
zones on nine interfaces with a default route, ~2,000 address objects (hosts and subnets of the
zones' networks), ~500 address groups (some nested), ~200 service objects and ~50 service groups,
blacklisted Internet hosts (400, in groups of 50, one deny rule per group) at the top, then rules
between zone pairs (most from one zone to one other, a few with two source zones, ``any`` zones or
intrazone), addresses as objects, groups, literals or ``any``, services as objects, groups, the
predefined ``service-http(s)`` or ``any``, a share of App-ID rules (``application-default``),
denies, disabled rules, descriptions, tags, logging and security profiles, and ~200 NAT rules.

Run it to measure (``.venv/bin/python benchmarks/gen_panos.py [--rules 20000] [--reps 3]``): the
full audit (parse, every check, anomalies) of the PAN-OS config in each form, and of the ASA config
of ``benchmarks/gen_asa.py`` with as many ACL entries, each in a fresh process, alternating, best
of ``--reps``; it prints the time per rule, the ratio to the ASA's time per ACL entry (target at
most 1.5), the CPU time likewise (this process and its forked workers: on a shared machine the
wall time varies more), and each process's peak memory (target under 1 GB).

``generate(n, shape=...)`` writes the other shapes of ``gen_asa.SHAPES`` too, drawn by ``mix``.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

ZONES = [("servers", "10.20"), ("workshop", "10.30"), ("office", "10.40"), ("prepress", "10.25"),
         ("dmz", "172.16"), ("mgmt", "10.99"), ("partners", "10.60"), ("storage", "10.21"),
         ("untrust", None)]
PORTS = [80, 443, 445, 22, 25, 53, 3389, 1521, 8080, 8443, 49152, 50010, 56765, 139, 135, 389, 636]
APPS = ["web-browsing", "ssl", "ms-ds-smb", "dns", "ssh", "ldap", "ms-rdp", "oracle", "ntp", "snmp"]


def generate(n: int = 20_000, seed: int = 1, form: str = "set", shape: str = "mixed") -> str:
    """A configuration with about ``n`` security rules (address-group members for ``huge-group``),
    as ``set`` commands or XML; ``shape`` is one of ``gen_asa.SHAPES`` (``mixed``, the default, is
    drawn here; the others by ``mix``)."""
    if shape != "mixed":
        st = _shaped(n, seed, shape)
        return _as_xml(st) if form == "xml" else _as_set(st)
    r = random.Random(seed)
    st: list[list] = []  # statements: words (a list value as a Python list)

    def put(*words) -> None:
        st.append(list(words))

    put("deviceconfig", "system", "hostname", "bench-fw")
    put("deviceconfig", "setting", "session", "timeout-tcp", "3600")
    put("mgt-config", "users", "admin", "phash", "$5$benchsalt$notarealhash")
    ifaces = []
    for k, (zone, net) in enumerate(ZONES):
        name = "ethernet1/%d" % (k + 1)
        ip = "203.0.113.2/24" if net is None else "%s.0.1/16" % net
        put("network", "interface", "ethernet", name, "layer3", "ip", ip)
        put("network", "interface", "ethernet", name, "layer3", "interface-management-profile", "ping")
        put("zone", zone, "network", "layer3", [name])
        ifaces.append(name)
    put("network", "virtual-router", "default", "interface", ifaces)
    put("network", "virtual-router", "default", "routing-table", "ip", "static-route", "inet", "destination",
        "0.0.0.0/0")
    put("network", "virtual-router", "default", "routing-table", "ip", "static-route", "inet", "nexthop",
        "ip-address", "203.0.113.1")
    inside = [z for z, net in ZONES if net]

    def host(zone: str | None = None) -> str:
        z = zone or r.choice(inside)
        net = dict(ZONES)[z]
        return "%s.%d.%d" % (net, r.randrange(256), r.randrange(1, 255))

    def subnet(zone: str | None = None) -> str:
        z = zone or r.choice(inside)
        net = dict(ZONES)[z]
        return "%s.%d.0/24" % (net, r.randrange(256))

    objs: dict[str, list[str]] = {z: [] for z in inside}
    for i in range(max(20, n // 10)):
        z = r.choice(inside)
        name = "H-%s-%05d" % (z, i)
        put("address", name, "ip-netmask", host(z) if r.random() < 0.8 else subnet(z))
        if r.random() < 0.3:
            put("address", name, "description", "asset %d" % i)
        objs[z].append(name)
    groups: dict[str, list[str]] = {z: [] for z in inside}
    for i in range(max(10, n // 40)):
        z = r.choice(inside)
        name = "G-%s-%04d" % (z, i)
        pool = objs[z] or [o for v in objs.values() for o in v]
        members = r.sample(pool, min(len(pool), r.randrange(2, 12)))
        if groups[z] and r.random() < 0.15:
            members.append(r.choice(groups[z]))
        put("address-group", name, "static", members)
        groups[z].append(name)
    svcs = []
    for i in range(max(10, n // 100)):
        name = "svc-%03d" % i
        proto = r.choice(["tcp", "tcp", "tcp", "udp"])
        if r.random() < 0.6:
            ports = str(r.choice(PORTS))
        else:
            lo = r.randrange(1024, 60000)
            ports = "%d-%d" % (lo, lo + r.randrange(1, 500))
        put("service", name, "protocol", proto, "port", ports)
        svcs.append(name)
    sgroups = []
    for i in range(max(5, n // 400)):
        name = "sg-%03d" % i
        put("service-group", name, "members", r.sample(svcs, r.randrange(2, 6)))
        sgroups.append(name)

    def addr(zone: str | None, wide: float) -> list[str]:
        x = r.random()
        if x < wide or zone is None:
            return ["any"]
        if x < wide + 0.25 and groups[zone]:
            return [r.choice(groups[zone])]
        if x < wide + 0.55 and objs[zone]:
            return r.sample(objs[zone], min(len(objs[zone]), r.randrange(1, 4)))
        if x < wide + 0.85:
            return [host(zone)]
        return [subnet(zone)]

    def service() -> list[str]:
        x = r.random()
        if x < 0.05:
            return ["any"]
        if x < 0.15:
            return [r.choice(["service-http", "service-https"])]
        if x < 0.3:
            return [r.choice(sgroups)]
        return r.sample(svcs, r.randrange(1, 3))

    def rule(name: str, frm: list, to: list, src: list, dst: list, svc: list, app: list, action: str) -> None:
        base = ("rulebase", "security", "rules", name)
        put(*base, "from", frm)
        put(*base, "to", to)
        put(*base, "source", src)
        put(*base, "destination", dst)
        put(*base, "source-user", ["any"])
        put(*base, "application", app)
        put(*base, "service", svc)
        put(*base, "action", action)
        if r.random() < 0.3:
            put(*base, "description", "change %d" % r.randrange(10000, 99999))
        if r.random() < 0.2:
            put(*base, "tag", ["prinergy" if r.random() < 0.5 else "legacy"])
        if action == "allow":
            put(*base, "profile-setting", "group", ["default"])
        put(*base, "log-setting", "siem")
        if r.random() < 0.02:
            put(*base, "disabled", "yes")

    # blacklisted Internet hosts: address groups of ~50 hosts, one deny rule each (the PAN-OS way of
    # the ASA's 'deny ip host X any' lines)
    hosts = max(5, n // 50)
    blacklist = 0
    for g in range(0, hosts, 50):
        name = "blocked-%03d" % (g // 50)
        for k in range(g, min(hosts, g + 50)):
            put("address", "bad-%05d" % k, "ip-netmask", "198.51.%d.%d" % (k // 254 % 256, k % 254 + 1))
        put("address-group", name, "static", ["bad-%05d" % k for k in range(g, min(hosts, g + 50))])
        rule("bl-%03d" % (g // 50), ["untrust"], ["any"], [name], ["any"], ["any"], ["any"], "deny")
        blacklist += 1
    pairs = [(a, b) for a, _ in ZONES for b, _ in ZONES if a != b]
    for i in range(n - blacklist - 1):
        x = r.random()
        if x < 0.01:
            frm, to = ["any"], [r.choice(inside)]
        elif x < 0.04:
            frm, to = r.sample([z for z, _ in ZONES], 2), [r.choice(inside)]
        elif x < 0.08:
            z = r.choice(inside)
            frm, to = [z], [z]
        else:
            a, b = r.choice(pairs)
            frm, to = [a], [b]
        zs = frm[0] if frm[0] in objs else None
        zd = to[0] if to[0] in objs else None
        y = r.random()
        if y < 0.08:
            app, svc = r.sample(APPS, r.randrange(1, 3)), ["application-default"]
        elif y < 0.1:
            app, svc = [r.choice(APPS)], service()
        else:
            app, svc = ["any"], service()
        action = "deny" if r.random() < 0.15 else "allow"
        rule("r-%05d" % i, frm, to, addr(zs, 0.1), addr(zd, 0.05), svc, app, action)
    rule("deny-all", ["any"], ["any"], ["any"], ["any"], ["any"], ["any"], "deny")
    for i in range(max(5, n // 100)):
        base = ("rulebase", "nat", "rules", "nat-%04d" % i)
        if r.random() < 0.5:
            put(*base, "from", ["untrust"])
            put(*base, "to", ["untrust"])
            put(*base, "source", ["any"])
            put(*base, "destination", ["203.0.113.%d" % (i % 250 + 3)])
            put(*base, "service", "any")
            put(*base, "destination-translation", "translated-address", host("dmz"))
        else:
            z = r.choice(inside)
            put(*base, "from", [z])
            put(*base, "to", ["untrust"])
            put(*base, "source", [subnet(z)])
            put(*base, "destination", ["any"])
            put(*base, "service", "any")
            put(*base, "source-translation", "dynamic-ip-and-port", "interface-address", "interface", "ethernet1/9")
    return _as_xml(st) if form == "xml" else _as_set(st)


def _shaped(n: int, seed: int, shape: str) -> list[list]:
    """``mix.build``'s shape as PAN-OS statements: the objects as address objects, hosts and subnets
    written as literals in rules (and as objects in groups), groups and the huge group (``BLOCKLIST``)
    as static address groups, service groups as service objects of several ports, each ``Acl`` the
    rules of one zone pair (small-acls: a pair each, over 50 VLAN zones besides the nine)."""
    from mix import build, prefix

    m = build(n, seed, shape)
    st: list[list] = [["deviceconfig", "system", "hostname", "bench-fw"]]
    zones = ZONES + ([("vlan%02d" % k, "10.%d" % (100 + k)) for k in range(50)] if len(m.acls) > 4 else [])
    ifaces = []
    for k, (zone, net) in enumerate(zones):
        name = "ethernet1/%d" % (k + 1)
        st.append(["network", "interface", "ethernet", name, "layer3", "ip",
                   "203.0.113.2/24" if net is None else "%s.0.1/16" % net])
        st.append(["zone", zone, "network", "layer3", [name]])
        ifaces.append(name)
    st.append(["network", "virtual-router", "default", "interface", ifaces])
    if len(m.acls) > 4:
        names = [z for z, _ in zones]
        pairs = [("untrust", "dmz")] + [(a, b) for a in names[::-1] for b in names if a != b]
    else:
        pairs = [("untrust", "dmz"), ("workshop", "servers"), ("dmz", "servers"), ("prepress", "office")]
    made: dict[str, None] = {}

    def member(a: tuple) -> str:
        if a[0] in ("host", "net"):
            name = "h-" + prefix(a).replace("/", "_")
            if name not in made:
                made[name] = None
                st.append(["address", name, "ip-netmask", prefix(a)])
            return name
        return ref(a)

    def ref(a: tuple) -> str:
        if a[0] in ("host", "net"):
            return prefix(a)
        return {"any": "any", "big": "BLOCKLIST"}.get(a[0]) or ("OBJ-%05d" if a[0] == "obj" else "GRP-%04d") % a[1]

    for i, o in enumerate(m.objects):
        st.append(["address", "OBJ-%05d" % i, "ip-netmask", prefix(o)])
    for i, g in enumerate(m.groups):
        st.append(["address-group", "GRP-%04d" % i, "static", [member(x) for x in g]])
    if m.big:
        st.append(["address-group", "BLOCKLIST", "static", [member(x) for x in m.big]])
    for i, (proto, ranges) in enumerate(m.services):
        st.append(["service", "SVC-GRP-%03d" % i, "protocol", proto, "port", ",".join(
            "%d" % lo if lo == hi else "%d-%d" % (lo, hi) for lo, hi in ranges)])

    def service(e) -> tuple[list, list]:
        if e.proto == "ip":
            return ["any"], ["any"]
        if e.proto == "icmp":
            return ["ping" if e.icmp == "echo" else "icmp"], ["any"]
        if e.ports[0] == "svc":
            return ["any"], ["SVC-GRP-%03d" % e.ports[1]]
        port = "%d" % e.ports[0] if e.ports[0] == e.ports[1] else "%d-%d" % e.ports
        name = "%s-%s" % (e.proto, port)
        if name not in made:
            made[name] = None
            st.append(["service", name, "protocol", e.proto, "port", port])
        return ["any"], [name]

    for (a, b), acl in zip(pairs, m.acls):
        for k, e in enumerate(acl.rules):
            base = ["rulebase", "security", "rules", "%s-%d" % (acl.name.lower(), k)]
            app, svc = service(e)
            st += [base + ["from", [a]], base + ["to", [b]], base + ["source", [ref(e.src)]],
                   base + ["destination", [ref(e.dst)]], base + ["source-user", ["any"]],
                   base + ["application", app], base + ["service", svc],
                   base + ["action", "allow" if e.action == "permit" else "deny"]]
            if e.log:
                st.append(base + ["log-setting", "siem"])
    return st


def _q(w: str) -> str:
    return '"%s"' % w if " " in w or not w else w


def _as_set(st: list[list]) -> str:
    out = []
    for words in st:
        out.append("set " + " ".join("[ %s ]" % " ".join(map(_q, w)) if isinstance(w, list) else _q(w)
                                     for w in words))
    return "\n".join(out) + "\n"


# the words that name an entry (<entry name=...>) after these in a path
_ENTRY_AFTER = {"address", "address-group", "service", "service-group", "zone", "rules", "ethernet", "users",
                "virtual-router", "static-route", "application", "application-group"}
_DEVICE = {"deviceconfig", "network"}


def _as_xml(st: list[list]) -> str:
    """The statements as PAN-OS's XML (two-space indents, one element a line)."""
    tree: dict = {}
    for words in st:
        path = list(words[:-1])
        if words[0] in _DEVICE:
            path = ["devices", ("entry", "localhost.localdomain")] + path
        elif words[0] != "mgt-config":
            path = ["devices", ("entry", "localhost.localdomain"), "vsys", ("entry", "vsys1")] + path
        node = tree
        prev = None
        for w in path:
            key = ("entry", w) if prev in _ENTRY_AFTER and not isinstance(w, tuple) else w
            node = node.setdefault(key, {})
            prev = w if not isinstance(w, tuple) else None
        leaf = words[-1]
        node.setdefault(None, []).append(leaf)
    out = ['<?xml version="1.0"?>', '<config version="10.2.0" urldb="paloaltonetworks">']

    def emit(node: dict, depth: int) -> None:
        pad = "  " * depth
        for key, child in node.items():
            if key is None:
                continue
            tag, open_ = (("entry", '<entry name="%s">' % key[1]) if isinstance(key, tuple)
                          else (key, "<%s>" % key))
            values = child.get(None)
            if values is not None and len(child) == 1:
                if any(isinstance(v, list) for v in values):
                    out.append(pad + open_)
                    for v in values:
                        for m in (v if isinstance(v, list) else [v]):
                            out.append(pad + "  <member>%s</member>" % m)
                    out.append(pad + "</%s>" % tag)
                elif isinstance(key, tuple) or tag in _ENTRY_AFTER:
                    out.append(pad + open_)
                    out.append(pad + '  <entry name="%s"/>' % values[-1])
                    out.append(pad + "</%s>" % tag)
                else:
                    out.append(pad + "%s%s</%s>" % (open_, values[-1], tag))
                continue
            out.append(pad + open_)
            emit(child, depth + 1)
            out.append(pad + "</%s>" % tag)

    emit(tree, 1)
    out.append("</config>")
    return "\n".join(out) + "\n"


# --- measurement --------------------------------------------------------------------------------

def _full_audit(text: str, vendor: str):
    """The audit as the CLI runs it: ``load_config`` (the cycle collector paused while the records
    are built), then ``audit``."""
    from auditor.api import audit, load_config
    from auditor.policy import load_site

    cfg = load_config("bench", vendor, text=text)
    return audit([cfg], load_site(None, ["workshop=10.30.0.0/16", "primary=10.20.0.10", "secondary=10.20.0.11"]))


def _cpu() -> float:
    """CPU seconds of this process and its finished children (forked workers), user and system."""
    import resource

    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime


def _child(what: str, n: int, reps: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", what, "--rules", str(n), "--reps", str(reps)],
                         check=True, stdout=subprocess.PIPE, text=True, cwd=ROOT).stdout
    return json.loads(out.strip().splitlines()[-1])


def _measure(what: str, n: int, reps: int) -> dict:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "benchmarks"))
    if what == "asa":
        from gen_asa import generate as gen_asa

        text, vendor = gen_asa(n, seed=1), "cisco-asa"
        _full_audit(gen_asa(200, seed=2), vendor)  # imports outside the timing
    else:
        text, vendor = generate(n, seed=1, form=what), "paloalto-panos"
        _full_audit(generate(200, seed=2, form=what), vendor)
    best = cpu = None
    for _ in range(reps):
        t0, c0 = time.perf_counter(), _cpu()
        res = _full_audit(text, vendor)
        dt, dc = time.perf_counter() - t0, _cpu() - c0
        best = dt if best is None else min(best, dt)
        cpu = dc if cpu is None else min(cpu, dc)
        findings = len(res.findings)
        del res
    return {"s": best, "cpu": cpu, "lines": len(text.splitlines()), "findings": findings}


def main() -> None:
    """Measure and print the table (see the module doc)."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--rules", type=int, default=20_000)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--child", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        import resource

        out = _measure(a.child, a.rules, 1)
        out["rss"] = 1024 * max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                                resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
        print(json.dumps(out))
        return
    runs: dict[str, list[dict]] = {"asa": [], "set": [], "xml": []}
    for _ in range(a.reps):  # alternating fresh processes: drift in the machine's speed hits all alike
        for what in runs:
            runs[what].append(_child(what, a.rules, 1))
    best = {k: min(x["s"] for x in v) for k, v in runs.items()}
    cpu = {k: min(x["cpu"] for x in v) for k, v in runs.items()}
    rss = {k: max(x["rss"] for x in v) for k, v in runs.items()}
    info = {k: v[0] for k, v in runs.items()}
    per = {k: best[k] / a.rules * 1e6 for k in runs}
    per_cpu = {k: cpu[k] / a.rules * 1e6 for k in runs}
    print("| input | lines | rules / entries | full audit (wall) | per rule | ratio to ASA | CPU per rule | CPU ratio "
          "| peak memory |")
    print("|---|---|---|---|---|---|---|---|---|")
    for k, label in (("asa", "ASA (gen_asa.py)"), ("set", "PAN-OS set commands"), ("xml", "PAN-OS XML")):
        print("| %s | %d | %d | %.2f s | %.0f us | %.2f | %.0f us | %.2f | %.0f MB |" % (
            label, info[k]["lines"], a.rules, best[k], per[k], per[k] / per["asa"], per_cpu[k],
            per_cpu[k] / per_cpu["asa"], rss[k] / 1e6))
    print(json.dumps({"per_rule_us": per, "cpu_per_rule_us": per_cpu, "rss_mb": {k: v / 1e6 for k, v in rss.items()},
                      "findings": {k: info[k]["findings"] for k in runs}}))


if __name__ == "__main__":
    main()
