"""Seeded generator of large, realistic Cisco ASA configs for the benchmark, in several shapes.

``generate(n, seed, shape)``; ``shape`` is one of ``SHAPES``:

* ``mixed`` (the default, and the benchmark's only shape until issue 20): per 100k ACL entries,
  ~2,000 network objects, ~600 network object-groups (some nested), ~120 service object-groups,
  four interfaces with ACLs bound in, blacklist-style ``deny ip host X any`` entries at the top of
  the outside ACL, permits and denies with port ranges and object-groups, a few ``any`` rules, a
  small share of exact repeats (so the anomaly checks have real work), and a closing
  ``deny ip any any``.
* ``permit-heavy``: an allow-list: almost every entry a permit between hosts, objects and groups
  on single ports; no blacklist, few ``any``.
* ``deny-heavy``: a quarter of the outside ACL is a blacklist (hosts, /24s, ``any`` to a host,
  single ports from a host), and 45% of the other entries deny.
* ``port-ranges``: wide overlapping port ranges (up to 30,000 ports wide) between addresses
  from a pool of one host or /24 per 25 entries, so each entry overlaps many others (as many
  at 100k entries as at 10k).
* ``small-acls``: one ACL per 40 entries (10 to 70 each): 50 bound to VLAN subinterfaces, the
  others VPN crypto-map ACLs.
* ``huge-group``: one network object-group of ``n`` members (hosts, /24s, nested objects, some
  repeated or inside a member subnet) used by a few entries, in front of 1,000 ordinary ones.
* ``duplicates``: 40% of the entries repeat an earlier one exactly, 20% nearly (the same
  addresses with another port, the log keyword, a mask for ``host``), and one run of ``n/20``
  identical entries.

Every shape has the same objects, groups, interfaces and tail as ``mixed``; ``n`` is the number
of ACL entries (of group members for ``huge-group``).
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class Shape:
    deny: float = 0.12  # share of denies among the body's entries
    blacklist: float = 0.05  # share of the outside ACL that is a blacklist at its top
    blacklist_mix: bool = False  # hosts, subnets, any-to-host, host-and-port (else hosts only)
    repeat: float = 0.015  # exact repeats (of one of the last 50 entries; of any earlier with ``anywhere``)
    anywhere: bool = False
    near: float = 0.0  # near repeats of an earlier entry
    run: float = 0.0  # one run of this share of n identical entries
    eq: float = 0.6  # tcp/udp entries on one port
    ranges: float = 0.2  # ... on a port range (the rest: a service group)
    width: int = 2000  # widest port range
    src_any: float = 0.15  # share of 'any' sources on tcp/udp entries
    pool: float = 0  # addresses from n * pool hosts and /24s only (0: the objects and random hosts)
    ip: float = 0.25  # share of 'ip' (all protocols) entries
    small_acls: bool = False
    huge_group: bool = False


SHAPES = {
    "mixed": Shape(),
    "permit-heavy": Shape(deny=0.02, blacklist=0.0, src_any=0.02, eq=0.85, ranges=0.05, ip=0.1, repeat=0.005),
    "deny-heavy": Shape(deny=0.45, blacklist=0.25, blacklist_mix=True),
    "port-ranges": Shape(eq=0.1, ranges=0.8, width=30000, pool=0.04, src_any=0.2, ip=0.1),
    "small-acls": Shape(small_acls=True),
    "huge-group": Shape(huge_group=True),
    "duplicates": Shape(repeat=0.4, anywhere=True, near=0.2, run=0.05),
}


def _ip(r: random.Random, net: int) -> str:
    return "10.%d.%d.%d" % (net, r.randrange(256), r.randrange(1, 255))


def generate(n_rules: int = 100_000, seed: int = 1, shape: str = "mixed") -> str:
    """An ASA running-config of about ``n_rules`` ACL entries (members for ``huge-group``)."""
    sh = SHAPES[shape]
    r = random.Random(seed)
    out = ["ASA Version 9.16(4)", "!", "hostname bench-fw", "names"]
    ifaces = [("outside", 0, "203.0.113.1", "255.255.255.0"), ("inside", 100, "10.0.0.1", "255.0.0.0"),
              ("dmz", 50, "172.16.0.1", "255.255.0.0"), ("prepress", 80, "192.168.0.1", "255.255.0.0")]
    for k, (name, lvl, ip, mask) in enumerate(ifaces):
        out += ["interface GigabitEthernet0/%d" % k, " nameif %s" % name, " security-level %d" % lvl,
                " ip address %s %s" % (ip, mask), "!"]
    members = 0
    if sh.huge_group:
        members, n_rules = n_rules, 1000
    scale = max(20, n_rules // 25)
    n_obj, n_grp, n_svc = scale, max(10, scale * 3 // 10), max(5, scale // 16)
    objs = []
    for i in range(n_obj):
        name = "OBJ-%05d" % i
        objs.append(name)
        out.append("object network %s" % name)
        if r.random() < 0.8:
            out.append(" host %s" % _ip(r, r.randrange(1, 60)))
        else:
            out.append(" subnet 10.%d.%d.0 255.255.255.0" % (r.randrange(1, 60), r.randrange(256)))
    groups = []
    for i in range(n_grp):
        name = "NET-GRP-%04d" % i
        out.append("object-group network %s" % name)
        for _ in range(r.randrange(2, 12)):
            x = r.random()
            if x < 0.4:
                out.append(" network-object host %s" % _ip(r, r.randrange(1, 60)))
            elif x < 0.7:
                out.append(" network-object object %s" % r.choice(objs))
            else:
                out.append(" network-object 10.%d.%d.0 255.255.255.0" % (r.randrange(1, 60), r.randrange(256)))
        if groups and r.random() < 0.15:
            out.append(" group-object %s" % r.choice(groups))
        groups.append(name)
    svcs = []
    for i in range(n_svc):
        name = "SVC-GRP-%03d" % i
        proto = r.choice(["tcp", "udp", "tcp-udp"])
        out.append("object-group service %s %s" % (name, proto))
        for _ in range(r.randrange(1, 8)):
            if r.random() < 0.7:
                port = r.choice([80, 443, 445, 22, 3389, 1521, 8080, r.randrange(1024, 65535)])
                out.append(" port-object eq %d" % port)
            else:
                lo = r.randrange(1024, 60000)
                out.append(" port-object range %d %d" % (lo, lo + r.randrange(1, 500)))
        svcs.append((name, proto))
    if members:
        out += _huge_group(r, members, objs)
    acls = [("OUTSIDE_IN", 0.55), ("INSIDE_IN", 0.25), ("DMZ_IN", 0.12), ("PREPRESS_IN", 0.08)]
    bound = list(zip(acls, ifaces))
    if sh.small_acls:
        acls, bound = _small_acls(r, n_rules, out)
    ports = [80, 443, 445, 22, 25, 53, 3389, 1521, 8080, 8443, 49152, 50010, 56765]
    pool = []
    if sh.pool:
        size = int(n_rules * sh.pool)
        pool = ["host %s" % _ip(r, r.randrange(1, 60)) for _ in range(size * 3 // 4)]
        pool += ["10.%d.%d.0 255.255.255.0" % (r.randrange(1, 60), r.randrange(256)) for _ in range(size // 4)]

    def addr(wide: float) -> str:
        x = r.random()
        if x < wide:
            return "any"
        if pool:
            return r.choice(pool)
        if x < wide + 0.15:
            return "object-group %s" % r.choice(groups)
        if x < wide + 0.35:
            return "object %s" % r.choice(objs)
        if x < wide + 0.8:
            return "host %s" % _ip(r, r.randrange(1, 60))
        return "10.%d.%d.0 255.255.255.0" % (r.randrange(1, 60), r.randrange(256))

    history: list[str] = []
    for acl, share in acls:
        n = int(n_rules * share) if type(share) is float else share
        recent: list[str] = []
        if acl == "OUTSIDE_IN":
            for _ in range(int(n * sh.blacklist + 1e-9)):  # blacklist
                out.append(_blacklisted(r, acl, sh.blacklist_mix, ports))
        if members and acl == "OUTSIDE_IN":
            out.append("access-list %s extended deny ip object-group BLOCKLIST any log" % acl)
            out.append("access-list %s extended deny ip any object-group BLOCKLIST" % acl)
        body = n - (int(n * sh.blacklist + 1e-9) if acl == "OUTSIDE_IN" else 0) - 3
        run_at = body // 3 if sh.run and acl == "OUTSIDE_IN" else -1
        for k in range(body):
            if k == run_at and recent:
                out += [recent[-1]] * int(n_rules * sh.run)
            x = r.random()
            if recent and x < sh.repeat:
                out.append(r.choice(history if sh.anywhere else recent))  # an exact repeat: redundant
                continue
            if sh.near and history and x < sh.repeat + sh.near:
                out.append(_near(r, r.choice(history)))
                continue
            action = "deny" if r.random() < sh.deny else "permit"
            y = r.random()
            if y < 0.55:
                proto = r.choice(["tcp", "tcp", "udp"])
                z = r.random()
                if z < sh.eq:
                    port = "eq %d" % r.choice(ports)
                elif z < sh.eq + sh.ranges:
                    lo = r.randrange(1024, 60000 if sh.width <= 2000 else 65535 - sh.width // 8)
                    port = "range %d %d" % (lo, min(65535, lo + r.randrange(1, sh.width)))
                else:
                    sv = [s for s, p in svcs if p == proto] or [svcs[0][0]]
                    port = "object-group %s" % r.choice(sv)
                src = addr(sh.src_any)
                line = "access-list %s extended %s %s %s %s %s" % (acl, action, proto, src, addr(0.0), port)
            elif y < 0.55 + sh.ip:
                line = "access-list %s extended %s ip %s %s" % (acl, action, addr(0.02), addr(0.0))
            elif y < 0.9:
                src, dst = addr(0.1), addr(0.0)
                kind = r.choice(["echo", "echo-reply", "unreachable", ""])
                line = "access-list %s extended %s icmp %s %s %s" % (acl, action, src, dst, kind)
            else:
                line = "access-list %s extended %s udp %s %s eq domain" % (acl, action, addr(0.1), addr(0.0))
            out.append(line.rstrip() + (" log" if r.random() < 0.1 else ""))
            recent = (recent + [out[-1]])[-50:]
            if sh.anywhere or sh.near:
                history.append(out[-1])
        out.append("access-list %s extended permit tcp any any eq https" % acl)
        out.append("access-list %s extended permit icmp any any echo-reply" % acl)
        out.append("access-list %s extended deny ip any any log" % acl)
    for (acl, _), (iface, *_rest) in bound:
        out.append("access-group %s in interface %s" % (acl, iface))
    if sh.small_acls:
        for k, (acl, _) in enumerate(acls[len(bound):]):
            out.append("crypto map OUTSIDE_MAP %d match address %s" % (k + 1, acl))
    out += ["route outside 0.0.0.0 0.0.0.0 203.0.113.254 1",
            "timeout conn 1:00:00 half-closed 0:10:00 udp 0:02:00 icmp 0:00:02",
            "class-map inspection_default", " match default-inspection-traffic",
            "policy-map global_policy", " class inspection_default", "  inspect ftp",
            "service-policy global_policy global", ": end"]
    return "\n".join(out) + "\n"


_FIRST = [5, 45, 62, 77, 80, 91, 94, 103, 109, 141, 146, 176, 178, 185, 193, 194, 195, 198, 203, 212, 213, 217]


def _blacklisted(r: random.Random, acl: str, mix: bool, ports: list[int]) -> str:
    if not mix:
        return "access-list %s extended deny ip host 198.51.%d.%d any" % (acl, r.randrange(256), r.randrange(1, 255))
    # hosts from across the address space (a blacklist seldom lists one twice), some inside a listed /24
    host = "host %d.%d.%d.%d" % (r.choice(_FIRST), r.randrange(256), r.randrange(256), r.randrange(1, 255))
    x = r.random()
    if x < 0.5:
        return "access-list %s extended deny ip %s any" % (acl, host)
    if x < 0.7:
        return "access-list %s extended deny ip %d.%d.%d.0 255.255.255.0 any" % (
            acl, r.choice([198, 203, 185, 45]), r.randrange(256), r.randrange(256))
    if x < 0.85:
        return "access-list %s extended deny ip any host %s" % (acl, _ip(r, r.randrange(1, 60)))
    return "access-list %s extended deny tcp %s any eq %d" % (acl, host, r.choice(ports))


def _near(r: random.Random, line: str) -> str:
    """An entry nearly like ``line``: another port, the log keyword, or a host written as a mask."""
    words = line.split()
    x = r.random()
    if x < 0.4 and "eq" in words:
        k = words.index("eq")
        if words[k + 1].isdigit():
            words[k + 1] = str(int(words[k + 1]) + r.choice([-1, 1, 1000]))
            return " ".join(words)
    if x < 0.7 and "host" in words:
        k = words.index("host")
        return " ".join(words[:k] + [words[k + 1], "255.255.255.255"] + words[k + 2:])
    return " ".join(w for w in words if w != "log") if "log" in words else line + " log"


def _huge_group(r: random.Random, members: int, objs: list[str]) -> list[str]:
    """One network object-group of ``members`` members: hosts, /24s, objects, a nested group,
    some repeated and some inside a member /24 (as block lists grow)."""
    out = ["object-group network BLOCKLIST-OLD"]
    out += [" network-object host 198.18.%d.%d" % (r.randrange(256), r.randrange(1, 255)) for _ in range(50)]
    out.append("object-group network BLOCKLIST")
    written: list[str] = []
    for _ in range(members):
        x = r.random()
        if x < 0.7:
            m = " network-object host %d.%d.%d.%d" % (r.choice([198, 203, 185, 45, 91]), r.randrange(256),
                                                      r.randrange(256), r.randrange(1, 255))
        elif x < 0.85:
            m = " network-object %d.%d.%d.0 255.255.255.0" % (r.choice([198, 203, 185, 45, 91]), r.randrange(256),
                                                              r.randrange(256))
        elif x < 0.9:
            m = " network-object object %s" % r.choice(objs)
        elif written:
            m = r.choice(written)  # listed twice
        else:
            continue
        written.append(m)
        out.append(m)
    out.append(" group-object BLOCKLIST-OLD")
    return out


def _small_acls(r: random.Random, n_rules: int, out: list[str]) -> tuple[list, list]:
    """One ACL per 40 entries (10 to 70 each, ``n_rules`` in all), the first 50 bound to VLAN
    subinterfaces of their own (written to ``out``); (the ACLs, (ACL, interface) bindings)."""
    acls: list[tuple[str, int]] = [("OUTSIDE_IN", 200)]
    left = n_rules - 200
    while left > 0:
        k = min(left, r.randrange(10, 71))
        acls.append(("TENANT-%04d" % len(acls), max(k, 4)))
        left -= k
    bound = [(acls[0], ("outside",))]
    for k, acl in enumerate(acls[1:51]):
        name = "vlan%d" % (100 + k)
        out += ["interface GigabitEthernet0/3.%d" % (100 + k), " vlan %d" % (100 + k), " nameif %s" % name,
                " security-level 50", " ip address 10.%d.%d.1 255.255.255.0" % (100 + k // 200, k % 200), "!"]
        bound.append((acl, (name,)))
    return acls, bound


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    sys.stdout.write(generate(n, shape=sys.argv[2] if len(sys.argv) > 2 else "mixed"))
