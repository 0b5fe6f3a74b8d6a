"""Seeded generator of large, realistic pfSense config.xml files, and the benchmark against the ASA audit.

Shape: ``gen_asa``'s, rule for rule, in pfSense's terms: its objects and object-groups as network and
port aliases (single hosts and /24s, groups of them, some nested; port groups), its four ACLs as the tabs
of WAN (static, with a gateway and 'Block private networks') and three internal interfaces in the same
shares, a blacklist of blocked hosts first on WAN, the same mix of TCP/UDP rules with ports, ranges and
port aliases, any-protocol, ICMP and DNS rules, a few 'any', exact repeats, and each tab closed by a
block; plus what pfSense has and the ASA config does not: floating rules (quick and not, in and out),
port forwards with their linked rules, a per-rule state timeout here and there.  Each rule carries what
pfSense's rule editor writes (the empty options, the state type, who created and updated it), so a rule
is about 30 lines, as in a real backup.

    .venv/bin/python benchmarks/gen_pfsense.py 20000 > big.xml       # write one
    .venv/bin/python benchmarks/gen_pfsense.py --compare 20000        # pfSense per rule vs ASA per entry

``--compare`` times the full audit (parse, checks, anomalies, as the CLI runs it) of a generated pfSense
config of about N rules and of ``gen_asa``'s ASA config of about N ACL entries, each in a fresh process,
alternating, best of ``--reps``; it prints seconds per rule for both, their ratio (target: at most 1.5)
and each process's peak memory (target: under 1 GB).

``generate(n, shape=...)`` writes the other shapes of ``gen_asa.SHAPES`` too, drawn by ``mix``.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

IFACES = [("wan", "WAN", "203.0.113.2", 24), ("lan", "SERVERS", "10.0.0.1", 16), ("opt1", "WORKSHOP", "172.16.0.1", 16),
          ("opt2", "PREPRESS", "192.168.0.1", 16)]
SHARES = [("wan", 0.55), ("lan", 0.25), ("opt1", 0.12), ("opt2", 0.08)]
PORTS = [80, 443, 445, 22, 25, 53, 3389, 1521, 8080, 8443, 49152, 50010, 56765]


def _ip(r: random.Random, net: int) -> str:
    return "10.%d.%d.%d" % (net, r.randrange(256), r.randrange(1, 255))


def _side(tag: str, addr: str, port: str = "", negate: bool = False) -> str:
    body = "\t\t\t\t<any></any>\n" if addr == "any" else (
        "\t\t\t\t<network>%s</network>\n" % addr[4:] if addr.startswith("net:") else "\t\t\t\t<address>%s</address>\n"
        % addr)
    if negate:
        body = "\t\t\t\t<not></not>\n" + body
    if port:
        body += "\t\t\t\t<port>%s</port>\n" % port
    return "\t\t\t<%s>\n%s\t\t\t</%s>\n" % (tag, body, tag)


# the empty options pfSense's rule editor writes into every rule (firewall_rules_edit.php), and the
# bookkeeping of who changed it when
_GUI_EMPTY = "".join("\t\t\t<%s></%s>\n" % (t, t) for t in ("tag", "tagged", "max", "max-src-nodes", "max-src-conn",
                                                            "max-src-states", "os"))
_STAMP = ("\t\t\t<%s>\n\t\t\t\t<time>1700000000</time>\n\t\t\t\t<username><![CDATA[admin@10.0.0.5 (Local Database)]]>"
          "</username>\n\t\t\t</%s>\n")


def _rule(n: int, iface: str, action: str, proto: str, src: str, dst: str, port: str = "", extra: str = "",
          descr: str = "") -> str:
    p = "\t\t\t<protocol>%s</protocol>\n" % proto if proto else ""
    state = "" if "<statetimeout>" in extra else "\t\t\t<statetimeout></statetimeout>\n"
    return ("\t\t<rule>\n\t\t\t<id></id>\n\t\t\t<tracker>%d</tracker>\n\t\t\t<type>%s</type>\n"
            "\t\t\t<interface>%s</interface>\n\t\t\t<ipprotocol>inet</ipprotocol>\n%s%s"
            "\t\t\t<statetype><![CDATA[keep state]]></statetype>\n%s%s%s%s"
            "\t\t\t<descr><![CDATA[%s]]></descr>\n%s%s\t\t</rule>\n"
            % (1700000000 + n, action, iface, _GUI_EMPTY, state, p, extra, _side("source", src),
               _side("destination", dst, port), descr or "rule %d" % n, _STAMP % ("created", "created"),
               _STAMP % ("updated", "updated")))


def _head(ifaces: list) -> list[str]:
    """The system, the interfaces, the gateways and the static routes."""
    out = ['<?xml version="1.0"?>\n<pfsense>\n\t<version>23.3</version>\n\t<system>\n'
           "\t\t<optimization>normal</optimization>\n\t\t<hostname>bench-fw</hostname>\n"
           "\t\t<webgui>\n\t\t\t<protocol>https</protocol>\n\t\t</webgui>\n\t</system>\n\t<interfaces>\n"]
    for key, descr, ip, bits in ifaces:
        extra = "\t\t\t<gateway>WANGW</gateway>\n\t\t\t<blockpriv></blockpriv>\n" if key == "wan" else ""
        out.append("\t\t<%s>\n\t\t\t<enable></enable>\n\t\t\t<if>igb%d</if>\n\t\t\t<descr><![CDATA[%s]]></descr>\n"
                   "\t\t\t<ipaddr>%s</ipaddr>\n\t\t\t<subnet>%d</subnet>\n%s\t\t</%s>\n"
                   % (key, len(out), descr, ip, bits, extra, key))
    out.append("\t</interfaces>\n\t<gateways>\n")
    for key, name, gw in (("wan", "WANGW", "203.0.113.254"), ("lan", "LANGW", "10.0.0.254")):
        out.append("\t\t<gateway_item>\n\t\t\t<interface>%s</interface>\n\t\t\t<gateway>%s</gateway>\n"
                   "\t\t\t<name>%s</name>\n\t\t\t<ipprotocol>inet</ipprotocol>\n\t\t</gateway_item>\n"
                   % (key, gw, name))
    out.append("\t\t<defaultgw4>WANGW</defaultgw4>\n\t</gateways>\n\t<staticroutes>\n")
    for k in range(1, 60):
        out.append("\t\t<route>\n\t\t\t<network>10.%d.0.0/16</network>\n\t\t\t<gateway>LANGW</gateway>\n"
                   "\t\t</route>\n" % k)
    out.append("\t</staticroutes>\n")
    return out


def generate(n_rules: int = 20_000, seed: int = 1, shape: str = "mixed") -> str:
    """A pfSense config.xml with about ``n_rules`` filter rules (alias entries for ``huge-group``);
    ``shape`` is one of ``gen_asa.SHAPES`` (``mixed``, the default, is drawn here; the others by ``mix``)."""
    if shape != "mixed":
        return _shaped(n_rules, seed, shape)
    r = random.Random(seed)
    out = _head(IFACES)
    # the objects of gen_asa, as aliases: single hosts and /24s, groups of them (some nested), port groups
    scale = max(20, n_rules // 25)
    n_host, n_net, n_port = scale, max(10, scale * 3 // 10), max(5, scale // 16)
    hosts, nets, ports = [], [], []
    out.append("\t<aliases>\n")
    for i in range(n_host):
        name = "H_%05d" % i
        hosts.append(name)
        a = _ip(r, r.randrange(1, 60)) if r.random() < 0.8 else "10.%d.%d.0/24" % (r.randrange(1, 60),
                                                                                 r.randrange(256))
        out.append("\t\t<alias>\n\t\t\t<name>%s</name>\n\t\t\t<type>network</type>\n\t\t\t<address>%s</address>\n"
                   "\t\t\t<descr><![CDATA[object %d]]></descr>\n\t\t</alias>\n" % (name, a, i))
    for i in range(n_net):
        name = "N_%04d" % i
        members = []
        for _ in range(r.randrange(2, 12)):
            x = r.random()
            if x < 0.4:
                members.append(_ip(r, r.randrange(1, 60)))
            elif x < 0.7:
                members.append(r.choice(hosts))
            else:
                members.append("10.%d.%d.0/24" % (r.randrange(1, 60), r.randrange(256)))
        if nets and r.random() < 0.15:
            members.append(r.choice(nets))
        nets.append(name)
        out.append("\t\t<alias>\n\t\t\t<name>%s</name>\n\t\t\t<type>network</type>\n\t\t\t<address>%s</address>\n"
                   "\t\t</alias>\n" % (name, " ".join(members)))
    for i in range(n_port):
        name = "P_%03d" % i
        ports.append(name)
        members = []
        for _ in range(r.randrange(1, 8)):
            if r.random() < 0.7:
                members.append(str(r.choice([80, 443, 445, 22, 3389, 1521, 8080, r.randrange(1024, 65535)])))
            else:
                lo = r.randrange(1024, 60000)
                members.append("%d:%d" % (lo, lo + r.randrange(1, 500)))
        out.append("\t\t<alias>\n\t\t\t<name>%s</name>\n\t\t\t<type>port</type>\n\t\t\t<address>%s</address>\n"
                   "\t\t</alias>\n" % (name, " ".join(members)))
    out.append("\t</aliases>\n")

    def addr(wide: float) -> str:
        x = r.random()
        if x < wide:
            return "any"
        if x < wide + 0.15:
            return r.choice(nets)
        if x < wide + 0.35:
            return r.choice(hosts)
        if x < wide + 0.8:
            return _ip(r, r.randrange(1, 60))
        return "10.%d.%d.0/24" % (r.randrange(1, 60), r.randrange(256))

    rules: list[str] = []
    forwards: list[str] = []
    n = 0
    # floating rules (pfSense's own kind of rule: gen_asa has none): quick blocks, non-quick passes, outbound
    for _ in range(max(4, n_rules // 1000)):
        n += 1
        quick = r.random() < 0.5
        direction = r.choice(["in", "in", "out", "any"])
        extra = ("\t\t\t<floating>yes</floating>\n\t\t\t<direction>%s</direction>\n" % direction
                 + ("\t\t\t<quick>yes</quick>\n" if quick else ""))
        iface = ",".join(sorted(r.sample([k for k, _ in SHARES], r.randrange(1, 3))))
        rules.append(_rule(n, iface, "block" if quick else "pass", "tcp", addr(0.0), addr(0.0),
                           str(r.choice(PORTS)), extra))
    for iface, share in SHARES:
        count = int(n_rules * share)
        recent: list[str] = []
        if iface == "wan":
            for _ in range(count // 20):  # blacklist
                n += 1
                rules.append(_rule(n, iface, "block", "", "198.51.%d.%d" % (r.randrange(256), r.randrange(1, 255)),
                                   "any"))
            for k in range(max(2, count // 500)):  # port forwards and their linked rules
                n += 1
                target, port = _ip(r, r.randrange(1, 60)), 20000 + k
                assoc = "\t\t\t<associated-rule-id>nat_%d</associated-rule-id>\n" % k
                forwards.append("\t\t<rule>\n%s%s\t\t\t<protocol>tcp</protocol>\n\t\t\t<target>%s</target>\n"
                                "\t\t\t<local-port>443</local-port>\n\t\t\t<interface>wan</interface>\n%s"
                                "\t\t\t<descr><![CDATA[forward %d]]></descr>\n\t\t</rule>\n"
                                % (_side("source", "any"), _side("destination", "net:wanip", str(port)), target,
                                   assoc, k))
                rules.append(_rule(n, iface, "pass", "tcp", "any", target, "443", assoc))
        body = count - (count // 20 if iface == "wan" else 0) - 3
        for _ in range(body):
            n += 1
            if recent and r.random() < 0.015:
                rules.append(r.choice(recent).replace("<tracker>", "<tracker>9"))  # an exact repeat: redundant
                continue
            action = "block" if r.random() < 0.12 else "pass"
            extra = "\t\t\t<statetimeout>%d</statetimeout>\n" % r.choice([3600, 28800, 86400]) \
                if r.random() < 0.01 else ""
            y = r.random()
            if y < 0.55:
                proto = r.choice(["tcp", "tcp", "udp"])
                z = r.random()
                if z < 0.6:
                    port = str(r.choice(PORTS))
                elif z < 0.8:
                    lo = r.randrange(1024, 60000)
                    port = "%d-%d" % (lo, lo + r.randrange(1, 2000))
                else:
                    port = r.choice(ports)
                rules.append(_rule(n, iface, action, proto, addr(0.15), addr(0.0), port, extra))
            elif y < 0.8:
                rules.append(_rule(n, iface, action, "", addr(0.02), addr(0.0), "", extra))
            elif y < 0.9:
                icmp = r.choice(["echoreq", "echorep", "unreach", ""])
                rules.append(_rule(n, iface, action, "icmp", addr(0.1), addr(0.0), "",
                                   "\t\t\t<icmptype>%s</icmptype>\n" % icmp if icmp else ""))
            else:
                rules.append(_rule(n, iface, action, "udp", addr(0.1), addr(0.0), "53"))
            recent = (recent + [rules[-1]])[-50:]
        for proto, port, action in (("tcp", "443", "pass"), ("icmp", "", "pass"), ("", "", "block")):
            n += 1
            rules.append(_rule(n, iface, action, proto, "any", "any", port))
    out.append("\t<nat>\n\t\t<outbound>\n\t\t\t<mode>automatic</mode>\n\t\t</outbound>\n")
    out += forwards
    out.append("\t</nat>\n\t<filter>\n")
    out += rules
    out.append("\t</filter>\n</pfsense>\n")
    return "".join(out)


def _shaped(n_rules: int, seed: int, shape: str) -> str:
    """``mix.build``'s shape in pfSense terms: the objects, groups and the huge group (``BLOCKLIST``)
    as network aliases, service groups as port aliases, each ``Acl`` an interface's tab (the four
    lists on WAN, LAN, OPT1 and OPT2; small-acls: the tenants on 50 VLAN tabs in turn, each tenant
    but a tab's last without its closing block, which would hide the tenants after it)."""
    from mix import build, prefix

    m = build(n_rules, seed, shape)
    vlans = [("opt%d" % (3 + k), "VLAN%d" % (100 + k), "10.%d.%d.1" % (100 + k // 200, k % 200), 24)
             for k in range(50)] if len(m.acls) > 4 else []
    out = _head(IFACES + vlans)
    tabs: dict[str, list] = {key: [] for key, *_ in IFACES + vlans}
    keys = [key for key, _ in SHARES]
    for k, acl in enumerate(m.acls):
        key = keys[k] if k < 4 and not vlans else "wan" if k == 0 else vlans[(k - 1) % 50][0]
        if tabs[key]:
            tabs[key][-1] = tabs[key][-1][:-1]  # the block closing the tenant before
        tabs[key].append(list(acl.rules))

    def name(a: tuple) -> str:
        if a[0] in ("host", "net"):
            return a[1] if a[0] == "host" else prefix(a)
        return {"any": "any", "big": "BLOCKLIST"}.get(a[0]) or ("H_%05d" if a[0] == "obj" else "N_%04d") % a[1]

    out.append("\t<aliases>\n")
    aliases = [("H_%05d" % i, "network", [name(o)]) for i, o in enumerate(m.objects)]
    aliases += [("N_%04d" % i, "network", [name(x) for x in g]) for i, g in enumerate(m.groups)]
    if m.big:
        aliases.append(("BLOCKLIST", "network", [name(x) for x in m.big]))
    aliases += [("P_%03d" % i, "port", ["%d" % lo if lo == hi else "%d:%d" % (lo, hi) for lo, hi in ranges])
                for i, (_, ranges) in enumerate(m.services)]
    for alias, typ, members in aliases:
        out.append("\t\t<alias>\n\t\t\t<name>%s</name>\n\t\t\t<type>%s</type>\n\t\t\t<address>%s</address>\n"
                   "\t\t</alias>\n" % (alias, typ, " ".join(members)))
    out.append("\t</aliases>\n\t<nat>\n\t\t<outbound>\n\t\t\t<mode>automatic</mode>\n\t\t</outbound>\n"
               "\t</nat>\n\t<filter>\n")
    icmp = {"echo": "echoreq", "echo-reply": "echorep", "unreachable": "unreach", "": ""}
    n = 0
    for key, acls in tabs.items():
        for e in (e for rules in acls for e in rules):
            n += 1
            extra = "\t\t\t<log></log>\n" if e.log else ""
            port = ""
            if e.proto == "icmp" and e.icmp:
                extra += "\t\t\t<icmptype>%s</icmptype>\n" % icmp[e.icmp]
            elif e.ports:
                port = "P_%03d" % e.ports[1] if e.ports[0] == "svc" else (
                    "%d" % e.ports[0] if e.ports[0] == e.ports[1] else "%d-%d" % e.ports)
            out.append(_rule(n, key, "block" if e.action == "deny" else "pass", "" if e.proto == "ip" else e.proto,
                             name(e.src), name(e.dst), port, extra))
    out.append("\t</filter>\n</pfsense>\n")
    return "".join(out)


# --- the benchmark -------------------------------------------------------------------------------

def _audit(text: str, vendor: str):
    """The full audit as the CLI runs it: ``load_config`` (the parse, the cycle collector paused), then
    ``audit`` (checks and anomalies), early checks enabled."""
    from auditor.api import audit, load_config
    from auditor.engine import prestart
    from auditor.policy import load_site

    with prestart.enabled():
        cfg = load_config("bench.cfg", vendor, text=text)
        return audit([cfg], load_site(None, ["workshop=10.1.0.0/16", "primary=10.2.0.10", "secondary=10.2.0.11"]))


def _child(vendor: str, n: int, reps: int) -> dict:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "benchmarks"))
    if vendor == "pfsense":
        text, small = generate(n), generate(200, seed=2)
        count = text.count("\t\t<rule>\n") - text.count("<target>")
    else:
        from gen_asa import generate as gen_asa
        text, small = gen_asa(n), gen_asa(200, seed=2)
        count = sum(1 for line in text.splitlines() if line.startswith("access-list "))
    _audit(small, vendor)  # imports outside the timing
    best = cpu = None
    for _ in range(reps):
        c0 = _cpu()
        t0 = time.perf_counter()
        result = _audit(text, vendor)
        t = time.perf_counter() - t0
        c = _cpu() - c0
        if best is None or t < best:
            best, cpu = t, c
        del result
    return {"vendor": vendor, "rules": count, "s": best, "cpu": cpu, "bytes": len(text),
            "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _cpu() -> float:
    """CPU seconds of this process and of the worker processes it has waited for."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def compare(n: int, reps: int, rounds: int) -> dict:
    """pfSense per rule against ASA per entry, each in fresh processes, alternating; best of all."""
    got: dict[str, list[dict]] = {"pfsense": [], "cisco-asa": []}
    for _ in range(rounds):
        for vendor in ("cisco-asa", "pfsense"):
            res = subprocess.run([sys.executable, __file__, "--child", vendor, str(n), "--reps", str(reps)],
                                 check=True, stdout=subprocess.PIPE, text=True)
            got[vendor].append(json.loads(res.stdout.strip().splitlines()[-1]))
    best = {v: min(rs, key=lambda x: x["s"]) for v, rs in got.items()}
    pf, asa = best["pfsense"], best["cisco-asa"]
    per_pf, per_asa = pf["s"] / pf["rules"], asa["s"] / asa["rules"]
    return {"pfsense": pf, "cisco-asa": asa, "pfsense_us_per_rule": per_pf * 1e6,
            "asa_us_per_entry": per_asa * 1e6, "ratio": per_pf / per_asa,
            "cpu_ratio": (pf["cpu"] / pf["rules"]) / (asa["cpu"] / asa["rules"]),
            "peak_mb": max(x["rss_mb"] for rs in got.values() for x in rs)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", nargs="?", type=int, default=20_000)
    ap.add_argument("--compare", action="store_true")
    ap.add_argument("--reps", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    a, rest = ap.parse_known_args()
    if a.child:
        print(json.dumps(_child(a.child, a.n, a.reps)))
        return
    if a.compare:
        res = compare(a.n, a.reps, a.rounds)
        for v, unit, per in (("pfsense", "rule", "pfsense_us_per_rule"), ("cisco-asa", "entry", "asa_us_per_entry")):
            r = res[v]
            print("%-9s %d %ss, %.2f s wall (%.1f us/%s), %.2f s CPU with workers, peak %.0f MB, %d bytes"
                  % (v, r["rules"], unit, r["s"], res[per], unit, r["cpu"], r["rss_mb"], r["bytes"]))
        print("ratio per rule / per entry: %.2f wall, %.2f CPU (target <= 1.5); peak %.0f MB (target < 1000)"
              % (res["ratio"], res["cpu_ratio"], res["peak_mb"]))
        if a.json:
            print(json.dumps(res))
        return
    sys.stdout.write(generate(a.n))


if __name__ == "__main__":
    main()
