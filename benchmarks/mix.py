"""The abstract rule mix of each benchmark shape, drawn once here and rendered by each vendor's generator.

``gen_asa`` writes its shapes straight into ASA lines; the other vendors' generators keep their own
``mixed`` (their default, unchanged) and render every other shape of ``gen_asa.SHAPES`` from the
``Mix`` that ``build(n, seed, shape)`` returns, in the vendor's own terms: the objects, groups and
service groups become the vendor's named objects, each ``Acl`` becomes what the vendor filters with
(an interface's list, a zone pair's policies, a tab of rules, a chain), the blacklist comes first in
the first ``Acl``, and ``big`` (``huge-group``) becomes one address group, set or alias of ``n``
members used by the first ``Acl``'s first two rules.  The shares, the same as ``gen_asa``'s, are
in ``gen_asa.SHAPES``; what each shape means is in ``gen_asa``'s docstring.

Addresses are tuples: ``("any",)``, ``("host", "a.b.c.d")``, ``("net", "a.b.c.0", 24)``,
``("obj", i)`` (a named object), ``("group", i)`` (a network group), ``("big",)`` (the huge group).
Ports are ``(lo, hi)`` or ``("svc", i)`` (a service group) for TCP and UDP, ``None`` otherwise.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from gen_asa import _FIRST, SHAPES

PORTS = [80, 443, 445, 22, 25, 53, 3389, 1521, 8080, 8443, 49152, 50010, 56765]
ICMP = ["echo", "echo-reply", "unreachable", ""]


@dataclass(frozen=True)
class Rule:
    action: str  # "permit" or "deny"
    proto: str  # "tcp", "udp", "ip" (every protocol) or "icmp"
    src: tuple
    dst: tuple
    ports: tuple | None = None  # (lo, hi) or ("svc", i), for tcp and udp
    icmp: str = ""  # an ICMP type name of ICMP, or "" (every type)
    log: bool = False


@dataclass
class Acl:
    name: str
    rules: list[Rule]
    bound: bool = True  # bound to an interface (else a VPN's or unused: small-acls only)


@dataclass
class Mix:
    shape: str
    objects: list[tuple]  # ("host", ip) or ("net", ip, 24), named OBJ-i
    groups: list[list[tuple]]  # members: host, net, ("obj", i), ("group", j) with j < i
    services: list[tuple[str, list[tuple[int, int]]]]  # ("tcp" or "udp", port ranges)
    acls: list[Acl]
    big: list[tuple] = field(default_factory=list)  # huge-group: host, net or obj members, some repeated


def _ip(r: random.Random, net: int) -> str:
    return "10.%d.%d.%d" % (net, r.randrange(256), r.randrange(1, 255))


def _net(r: random.Random) -> tuple:
    return ("net", "10.%d.%d.0" % (r.randrange(1, 60), r.randrange(256)), 24)


def build(n_rules: int, seed: int = 1, shape: str = "permit-heavy") -> Mix:
    """The objects, groups, services and lists of rules of about ``n_rules`` rules (members for
    ``huge-group``) of ``shape``, drawn as ``gen_asa`` draws them."""
    sh = SHAPES[shape]
    r = random.Random(seed)
    members = 0
    if sh.huge_group:
        members, n_rules = n_rules, 1000
    scale = max(20, n_rules // 25)
    n_obj, n_grp, n_svc = scale, max(10, scale * 3 // 10), max(5, scale // 16)
    objects = [("host", _ip(r, r.randrange(1, 60))) if r.random() < 0.8 else _net(r) for _ in range(n_obj)]
    groups: list[list[tuple]] = []
    for i in range(n_grp):
        g = []
        for _ in range(r.randrange(2, 12)):
            x = r.random()
            g.append(("host", _ip(r, r.randrange(1, 60))) if x < 0.4 else ("obj", r.randrange(n_obj)) if x < 0.7
                     else _net(r))
        if i and r.random() < 0.15:
            g.append(("group", r.randrange(i)))
        groups.append(g)
    services = []
    for _ in range(n_svc):
        proto = r.choice(["tcp", "udp"])
        ranges = []
        for _ in range(r.randrange(1, 8)):
            if r.random() < 0.7:
                p = r.choice([80, 443, 445, 22, 3389, 1521, 8080, r.randrange(1024, 65535)])
                ranges.append((p, p))
            else:
                lo = r.randrange(1024, 60000)
                ranges.append((lo, lo + r.randrange(1, 500)))
        services.append((proto, ranges))
    mix = Mix(shape, objects, groups, services, [])
    if members:
        mix.big = _huge_group(r, members, n_obj)
    if sh.small_acls:
        sizes = [("OUTSIDE_IN", 200, True)]
        left = n_rules - 200
        while left > 0:
            k = min(left, r.randrange(10, 71))
            sizes.append(("TENANT-%04d" % len(sizes), max(k, 4), len(sizes) <= 50))
            left -= k
    else:
        sizes = [(name, int(n_rules * share), True) for name, share in
                 (("OUTSIDE_IN", 0.55), ("INSIDE_IN", 0.25), ("DMZ_IN", 0.12), ("PREPRESS_IN", 0.08))]
    pool: list[tuple] = []
    if sh.pool:
        size = int(n_rules * sh.pool)
        pool = [("host", _ip(r, r.randrange(1, 60))) for _ in range(size * 3 // 4)]
        pool += [_net(r) for _ in range(size // 4)]
    draw = _Drawer(r, sh, mix, pool)
    for name, n, bound in sizes:
        mix.acls.append(Acl(name, draw.acl(name, n, n_rules, members), bound))
    return mix


class _Drawer:
    """Draws rules as ``gen_asa`` does (its shares, in the same order of choices)."""

    def __init__(self, r: random.Random, sh, mix: Mix, pool: list[tuple]):
        self.r, self.sh, self.mix, self.pool = r, sh, mix, pool
        self.history: list[Rule] = []

    def addr(self, wide: float) -> tuple:
        r = self.r
        x = r.random()
        if x < wide:
            return ("any",)
        if self.pool:
            return r.choice(self.pool)
        if x < wide + 0.15:
            return ("group", r.randrange(len(self.mix.groups)))
        if x < wide + 0.35:
            return ("obj", r.randrange(len(self.mix.objects)))
        if x < wide + 0.8:
            return ("host", _ip(r, r.randrange(1, 60)))
        return _net(r)

    def acl(self, name: str, n: int, n_rules: int, members: int) -> list[Rule]:
        r, sh = self.r, self.sh
        out: list[Rule] = []
        recent: list[Rule] = []
        outside = name == "OUTSIDE_IN"
        n_bl = int(n * sh.blacklist + 1e-9) if outside else 0
        out += [_blacklisted(r, sh.blacklist_mix) for _ in range(n_bl)]
        if members and outside:
            out += [Rule("deny", "ip", ("big",), ("any",), log=True), Rule("deny", "ip", ("any",), ("big",))]
        body = n - n_bl - 3
        run_at = body // 3 if sh.run and outside else -1
        for k in range(body):
            if k == run_at and recent:
                out += [recent[-1]] * int(n_rules * sh.run)
            x = r.random()
            if recent and x < sh.repeat:
                out.append(r.choice(self.history if sh.anywhere else recent))  # an exact repeat
                continue
            if sh.near and self.history and x < sh.repeat + sh.near:
                out.append(_near(r, r.choice(self.history)))
                continue
            out.append(self.rule())
            recent = (recent + [out[-1]])[-50:]
            if sh.anywhere or sh.near:
                self.history.append(out[-1])
        out += [Rule("permit", "tcp", ("any",), ("any",), (443, 443)),
                Rule("permit", "icmp", ("any",), ("any",), icmp="echo-reply"),
                Rule("deny", "ip", ("any",), ("any",), log=True)]
        return out

    def rule(self) -> Rule:
        r, sh = self.r, self.sh
        action = "deny" if r.random() < sh.deny else "permit"
        y = r.random()
        if y < 0.55:
            proto = r.choice(["tcp", "tcp", "udp"])
            z = r.random()
            if z < sh.eq:
                p = r.choice(PORTS)
                ports: tuple = (p, p)
            elif z < sh.eq + sh.ranges:
                lo = r.randrange(1024, 60000 if sh.width <= 2000 else 65535 - sh.width // 8)
                ports = (lo, min(65535, lo + r.randrange(1, sh.width)))
            else:
                sv = [i for i, (p, _) in enumerate(self.mix.services) if p == proto] or [0]
                ports = ("svc", r.choice(sv))
            src = self.addr(sh.src_any)
            rule = Rule(action, proto, src, self.addr(0.0), ports)
        elif y < 0.55 + sh.ip:
            rule = Rule(action, "ip", self.addr(0.02), self.addr(0.0))
        elif y < 0.9:
            src, dst = self.addr(0.1), self.addr(0.0)
            rule = Rule(action, "icmp", src, dst, icmp=r.choice(ICMP))
        else:
            rule = Rule(action, "udp", self.addr(0.1), self.addr(0.0), (53, 53))
        if r.random() < 0.1:
            rule = Rule(rule.action, rule.proto, rule.src, rule.dst, rule.ports, rule.icmp, True)
        return rule


def _blacklisted(r: random.Random, mix: bool) -> Rule:
    if not mix:
        return Rule("deny", "ip", ("host", "198.51.%d.%d" % (r.randrange(256), r.randrange(1, 255))), ("any",))
    host = ("host", "%d.%d.%d.%d" % (r.choice(_FIRST), r.randrange(256), r.randrange(256), r.randrange(1, 255)))
    x = r.random()
    if x < 0.5:
        return Rule("deny", "ip", host, ("any",))
    if x < 0.7:
        net = ("net", "%d.%d.%d.0" % (r.choice([198, 203, 185, 45]), r.randrange(256), r.randrange(256)), 24)
        return Rule("deny", "ip", net, ("any",))
    if x < 0.85:
        return Rule("deny", "ip", ("any",), ("host", _ip(r, r.randrange(1, 60))))
    p = r.choice(PORTS)
    return Rule("deny", "tcp", host, ("any",), (p, p))


def _near(r: random.Random, rule: Rule) -> Rule:
    """A rule nearly like ``rule``: another port, the other log setting, or a host as a /32 network."""
    x = r.random()
    if x < 0.4 and rule.ports and rule.ports[0] != "svc" and rule.ports[0] == rule.ports[1]:
        p = min(65535, max(1, rule.ports[0] + r.choice([-1, 1, 1000])))
        return Rule(rule.action, rule.proto, rule.src, rule.dst, (p, p), rule.icmp, rule.log)
    if x < 0.7 and rule.src[0] == "host":
        return Rule(rule.action, rule.proto, ("net", rule.src[1], 32), rule.dst, rule.ports, rule.icmp, rule.log)
    return Rule(rule.action, rule.proto, rule.src, rule.dst, rule.ports, rule.icmp, not rule.log)


def _huge_group(r: random.Random, members: int, n_obj: int) -> list[tuple]:
    """``members`` members: hosts, /24s, objects, some listed twice (as block lists grow)."""
    out: list[tuple] = []
    for _ in range(members):
        x = r.random()
        first = r.choice([198, 203, 185, 45, 91])
        if x < 0.7:
            m: tuple = ("host", "%d.%d.%d.%d" % (first, r.randrange(256), r.randrange(256), r.randrange(1, 255)))
        elif x < 0.85:
            m = ("net", "%d.%d.%d.0" % (first, r.randrange(256), r.randrange(256)), 24)
        elif x < 0.9:
            m = ("obj", r.randrange(n_obj))
        elif out:
            m = r.choice(out)  # listed twice
        else:
            continue
        out.append(m)
    return out


def mask(bits: int) -> str:
    """The dotted mask of a prefix length."""
    m = (0xFFFFFFFF << (32 - bits)) & 0xFFFFFFFF
    return "%d.%d.%d.%d" % (m >> 24, m >> 16 & 255, m >> 8 & 255, m & 255)


def wildcard(bits: int) -> str:
    """The dotted wildcard (inverse) mask of a prefix length."""
    m = 0xFFFFFFFF >> bits
    return "%d.%d.%d.%d" % (m >> 24, m >> 16 & 255, m >> 8 & 255, m & 255)


def prefix(a: tuple) -> str:
    """A host or net address as ``a.b.c.d/len``."""
    return "%s/32" % a[1] if a[0] == "host" else "%s/%d" % (a[1], a[2])


def flat(mix: Mix, a: tuple) -> list[tuple]:
    """The hosts and nets an address stands for (groups, objects and the huge group expanded):
    for vendors with no named objects of their own."""
    if a[0] == "obj":
        return [mix.objects[a[1]]]
    if a[0] == "group":
        return [x for m in mix.groups[a[1]] for x in flat(mix, m)]
    if a[0] == "big":
        return [x for m in mix.big for x in flat(mix, m)]
    return [a]
