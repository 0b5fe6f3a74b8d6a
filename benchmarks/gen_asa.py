"""Seeded generator of large, realistic Cisco ASA configs for the benchmark.

Shape (per 100k ACL entries): ~2,000 network objects, ~600 network object-groups (some nested),
~120 service object-groups, four interfaces with ACLs bound in, blacklist-style
``deny ip host X any`` entries at the top of the outside ACL, permits and denies with port
ranges and object-groups, a few ``any`` rules, a small share of exact and near repeats (so the
anomaly checks have real work), and a closing ``deny ip any any``.
"""

from __future__ import annotations

import random
import sys


def _ip(r: random.Random, net: int) -> str:
    return "10.%d.%d.%d" % (net, r.randrange(256), r.randrange(1, 255))


def generate(n_rules: int = 100_000, seed: int = 1) -> str:
    r = random.Random(seed)
    out = ["ASA Version 9.16(4)", "!", "hostname bench-fw", "names"]
    ifaces = [("outside", 0, "203.0.113.1", "255.255.255.0"), ("inside", 100, "10.0.0.1", "255.0.0.0"),
              ("dmz", 50, "172.16.0.1", "255.255.0.0"), ("prepress", 80, "192.168.0.1", "255.255.0.0")]
    for k, (name, lvl, ip, mask) in enumerate(ifaces):
        out += ["interface GigabitEthernet0/%d" % k, " nameif %s" % name, " security-level %d" % lvl,
                " ip address %s %s" % (ip, mask), "!"]
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
    acls = [("OUTSIDE_IN", 0.55), ("INSIDE_IN", 0.25), ("DMZ_IN", 0.12), ("PREPRESS_IN", 0.08)]
    ports = [80, 443, 445, 22, 25, 53, 3389, 1521, 8080, 8443, 49152, 50010, 56765]

    def addr(wide: float) -> str:
        x = r.random()
        if x < wide:
            return "any"
        if x < wide + 0.15:
            return "object-group %s" % r.choice(groups)
        if x < wide + 0.35:
            return "object %s" % r.choice(objs)
        if x < wide + 0.8:
            return "host %s" % _ip(r, r.randrange(1, 60))
        return "10.%d.%d.0 255.255.255.0" % (r.randrange(1, 60), r.randrange(256))

    for acl, share in acls:
        n = int(n_rules * share)
        recent: list[str] = []
        if acl == "OUTSIDE_IN":
            for _ in range(n // 20):  # blacklist
                out.append("access-list %s extended deny ip host 198.51.%d.%d any"
                           % (acl, r.randrange(256), r.randrange(1, 255)))
        body = n - (n // 20 if acl == "OUTSIDE_IN" else 0) - 3
        for _ in range(body):
            x = r.random()
            if recent and x < 0.015:
                out.append(r.choice(recent))  # an exact repeat: redundant
                continue
            action = "deny" if r.random() < 0.12 else "permit"
            y = r.random()
            if y < 0.55:
                proto = r.choice(["tcp", "tcp", "udp"])
                z = r.random()
                if z < 0.6:
                    port = "eq %d" % r.choice(ports)
                elif z < 0.8:
                    lo = r.randrange(1024, 60000)
                    port = "range %d %d" % (lo, lo + r.randrange(1, 2000))
                else:
                    sv = [s for s, p in svcs if p == proto] or [svcs[0][0]]
                    port = "object-group %s" % r.choice(sv)
                line = "access-list %s extended %s %s %s %s %s" % (acl, action, proto, addr(0.15), addr(0.0), port)
            elif y < 0.8:
                line = "access-list %s extended %s ip %s %s" % (acl, action, addr(0.02), addr(0.0))
            elif y < 0.9:
                src, dst = addr(0.1), addr(0.0)
                icmp = r.choice(["echo", "echo-reply", "unreachable", ""])
                line = "access-list %s extended %s icmp %s %s %s" % (acl, action, src, dst, icmp)
            else:
                line = "access-list %s extended %s udp %s %s eq domain" % (acl, action, addr(0.1), addr(0.0))
            out.append(line.rstrip() + (" log" if r.random() < 0.1 else ""))
            recent = (recent + [out[-1]])[-50:]
        out.append("access-list %s extended permit tcp any any eq https" % acl)
        out.append("access-list %s extended permit icmp any any echo-reply" % acl)
        out.append("access-list %s extended deny ip any any log" % acl)
    for (acl, _), (iface, *_rest) in zip(acls, ifaces):
        out.append("access-group %s in interface %s" % (acl, iface))
    out += ["route outside 0.0.0.0 0.0.0.0 203.0.113.254 1",
            "timeout conn 1:00:00 half-closed 0:10:00 udp 0:02:00 icmp 0:00:02",
            "class-map inspection_default", " match default-inspection-traffic",
            "policy-map global_policy", " class inspection_default", "  inspect ftp",
            "service-policy global_policy global", ": end"]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    sys.stdout.write(generate(n))
