"""Seeded generator of a large, realistic Check Point access policy for the benchmark.

The output is what ``mgmt_cli show access-rulebase name Network details-level full
use-object-dictionary true --format json`` returns for a large layer, page after page (the
API returns at most 500 rules a call), as a JSON list of those replies: each page holds its
rules inside their sections (a section split by a page boundary appears on both pages, as the
API gives it) and an ``objects-dictionary`` with the full objects its rules refer to (hosts,
networks, address ranges, groups nested and with exclusion, TCP/UDP services with ports and
ranges, some with their own session timeout, service groups, ICMP, a time object).

Shape: the rules are drawn as ``gen_asa`` draws its ACL entries (so that the two audits have the
same work per rule): per rule one source and one destination, each ``Any`` (the same shares), a
group, a named object, a host or a /24 network (made as objects, as Check Point needs them),
mostly one service (a common port, a port range, a service group, ICMP, DNS, or ``Any``), 12%
drops, 1.5% exact repeats of a recent rule, blacklist-style drop rules for single hosts at the
top, and at the end HTTPS and echo replies from anywhere and the cleanup rule.  Check Point's
own parts come on top: about 800 hosts, networks, ranges and groups (some nested, some with
exclusion) per 20k rules, ~50 service groups, services with port forms (``>1023``, ``<1024``,
``1-1024``) and some with their own session timeout, sections of 50-300 rules, negated cells,
disabled rules, rules with a time object, and one rule applying an inline layer
(``Prinergy_Inline``, 1% of the rules, its pages after the layer's).

``generate(n, shape=...)`` writes the other shapes of ``gen_asa.SHAPES`` too, drawn by ``mix``.
"""

from __future__ import annotations

import json
import random
import sys
import uuid

ANY = "97aeb369-9aea-11d5-bd16-0090272ccb30"
ACCEPT = "6c488338-8eec-4103-ad21-cd461ac2c472"
DROP = "6c488338-8eec-4103-ad21-cd461ac2c473"
APPLY_LAYER = "6c488338-8eec-4103-ad21-cd461ac2c47a"
POLICY_TARGETS = "6c488338-8eec-4103-ad21-cd461ac2c476"
LOG = "598ead32-aa42-4615-90ed-f51a5928d41d"
NONE_TRACK = "29e53e3d-23bf-48fe-b6b1-d59bd88036f9"
USER_DOMAIN = {"uid": "41e821a0-3720-11e3-aa6e-0800200c9fde", "name": "SMC User", "domain-type": "domain"}
DATA_DOMAIN = {"uid": "a0bbbc99-adef-4ef8-bb6d-defdefdefdef", "name": "Check Point Data",
               "domain-type": "data domain"}
PAGE = 500


def _meta(r: random.Random, who: str = "admin") -> dict:
    t = 1579505996561 + r.randrange(10 ** 11)
    return {"lock": "unlocked", "validation-state": "ok",
            "last-modify-time": {"posix": t, "iso-8601": "2021-08-25T18:59-0400"}, "last-modifier": who,
            "creation-time": {"posix": t - 1000, "iso-8601": "2021-08-24T18:59-0400"}, "creator": who}


class _Ids:
    def __init__(self, r: random.Random):
        self.r = r

    def __call__(self) -> str:
        return str(uuid.UUID(int=self.r.getrandbits(128), version=4))


def _system_objects(r: random.Random) -> dict[str, dict]:
    def sysobj(uid, name, typ, icon, comments=None, **extra):
        o = {"uid": uid, "name": name, "type": typ, "domain": DATA_DOMAIN, "color": "none",
             "meta-info": _meta(r, "System"), "tags": [], "icon": icon, "comments": comments}
        o.update(extra)
        o["customFields"] = None
        return o
    return {
        ANY: sysobj(ANY, "Any", "CpmiAnyObject", "General/globalsAny", None, **{"display-name": "Any"}),
        ACCEPT: sysobj(ACCEPT, "Accept", "RulebaseAction", "Actions/actionsAccept", "Accept",
                       **{"display-name": "Accept"}),
        DROP: sysobj(DROP, "Drop", "RulebaseAction", "Actions/actionsDrop", "Drop", **{"display-name": "Drop"}),
        APPLY_LAYER: sysobj(APPLY_LAYER, "Inner Layer", "RulebaseAction", "Actions/actionsApplyLayer", "Apply Layer",
                            **{"display-name": "Apply Layer"}),
        POLICY_TARGETS: sysobj(POLICY_TARGETS, "Policy Targets", "Global", "General/globalsAny",
                               "The policy target gateways"),
        LOG: sysobj(LOG, "Log", "Track", "Track/tracksLog", "Tracks network information and rule matches."),
        NONE_TRACK: sysobj(NONE_TRACK, "None", "Track", "General/globalsNone", "No tracking."),
    }


def _base(uid: str, name: str, typ: str, r: random.Random, icon: str, comments: str = "") -> dict:
    return {"uid": uid, "name": name, "type": typ, "domain": USER_DOMAIN}


def _tail(o: dict, r: random.Random, icon: str, comments: str = "") -> dict:
    o.update({"comments": comments, "color": r.choice(["black", "blue", "red", "dark green", "orange"]), "icon": icon,
              "tags": [], "meta-info": _meta(r), "read-only": False})
    return o


def _ip(r: random.Random, net: int) -> str:
    return "10.%d.%d.%d" % (net, r.randrange(256), r.randrange(1, 255))


def _objects(r: random.Random, ids: _Ids, n: int):
    objs: dict[str, dict] = {}
    hosts, nets, ranges, groups, gwes = [], [], [], [], []
    scale = max(20, n // 25)
    for i in range(scale):
        uid = ids()
        o = _base(uid, "host_%05d" % i, "host", r, "Objects/host")
        o.update({"ipv4-address": _ip(r, r.randrange(1, 60)), "interfaces": [], "nat-settings": {"auto-rule": False}})
        objs[uid] = _tail(o, r, "Objects/host")
        hosts.append(uid)
    for i in range(max(5, scale // 4)):
        uid = ids()
        a, b = r.randrange(1, 60), r.randrange(256)
        ml = r.choice([24, 24, 24, 25, 26, 23, 22])
        net = (10 << 24 | a << 16 | b << 8) & ((1 << 32) - (1 << (32 - ml)))
        sub = "%d.%d.%d.%d" % (net >> 24, net >> 16 & 255, net >> 8 & 255, net & 255)
        mask = (1 << 32) - (1 << (32 - ml))
        o = _base(uid, "net_%04d" % i, "network", r, "NetworkObjects/network")
        o.update({"broadcast": "allow", "subnet4": sub, "mask-length4": ml,
                  "subnet-mask": "%d.%d.%d.%d" % (mask >> 24, mask >> 16 & 255, mask >> 8 & 255, mask & 255),
                  "nat-settings": {"auto-rule": False}})
        objs[uid] = _tail(o, r, "NetworkObjects/network")
        nets.append(uid)
    for i in range(max(2, scale // 20)):
        uid = ids()
        a, b = r.randrange(1, 60), r.randrange(256)
        lo = r.randrange(1, 200)
        o = _base(uid, "range_%03d" % i, "address-range", r, "Objects/ip")
        o.update({"ipv4-address-first": "10.%d.%d.%d" % (a, b, lo),
                  "ipv4-address-last": "10.%d.%d.%d" % (a, b, lo + r.randrange(1, 50)),
                  "ipv6-address-first": "", "ipv6-address-last": "", "nat-settings": {"auto-rule": False}})
        objs[uid] = _tail(o, r, "Objects/ip")
        ranges.append(uid)
    for i in range(max(5, scale * 3 // 10)):
        uid = ids()
        members = [r.choice(hosts if r.random() < 0.6 else nets) for _ in range(r.randrange(2, 12))]
        if groups and r.random() < 0.15:
            members.append(r.choice(groups))
        if r.random() < 0.1:
            members.append(r.choice(ranges))
        o = _base(uid, "grp_%04d" % i, "group", r, "General/group")
        o["members"] = list(dict.fromkeys(members))
        objs[uid] = _tail(o, r, "General/group")
        groups.append(uid)
    for i in range(max(1, scale // 100)):
        uid = ids()
        o = _base(uid, "gwe_%03d" % i, "group-with-exclusion", r, "General/group")
        o.update({"include": r.choice(groups), "except": r.choice(hosts)})
        objs[uid] = _tail(o, r, "General/group")
        gwes.append(uid)
    internal = _base(ids(), "Internal_Nets", "network", r, "NetworkObjects/network")
    internal.update({"broadcast": "allow", "subnet4": "10.0.0.0", "mask-length4": 8, "subnet-mask": "255.0.0.0",
                     "nat-settings": {"auto-rule": False}})
    objs[internal["uid"]] = _tail(internal, r, "NetworkObjects/network")
    admins = _base(ids(), "Admin_Hosts", "group", r, "General/group")
    admins["members"] = hosts[:3]
    objs[admins["uid"]] = _tail(admins, r, "General/group")
    addr = {"hosts": hosts, "nets": nets, "ranges": ranges, "groups": groups, "gwes": gwes,
            "internal": internal["uid"], "admins": admins["uid"]}
    return objs, addr


def _service(r, ids, typ, name, port, timeout=None, source_port=None) -> dict:
    uid = ids()
    o = {"uid": uid, "name": name, "type": typ, "domain": USER_DOMAIN, "port": port}
    if source_port:
        o["source-port"] = source_port
    o.update({"match-by-protocol-signature": False, "override-default-settings": False,
              "session-timeout": timeout or (3600 if typ == "service-tcp" else 40),
              "use-default-session-timeout": timeout is None, "match-for-any": True,
              "sync-connections-on-cluster": True,
              "aggressive-aging": {"enable": True, "timeout": 600, "use-default-timeout": True, "default-timeout": 0},
              "keep-connections-open-after-policy-installation": False})
    if typ == "service-udp":
        o["accept-replies"] = True
    return _tail(o, r, "Services/TCPService" if typ == "service-tcp" else "Services/UDPService")


def _services(r: random.Random, ids: _Ids, n: int, objs: dict):
    svcs = []
    for name, port in (("http", "80"), ("https", "443"), ("ssh", "22"), ("microsoft-ds", "445"), ("sqlnet", "1521"),
                       ("ftp", "21"), ("smtp", "25"), ("ldap", "389"), ("high_ports", ">1023"),
                       ("low_ports", "<1024"), ("range_1_1024", "1-1024")):
        o = _service(r, ids, "service-tcp", name, port)
        objs[o["uid"]] = o
        svcs.append(o["uid"])
    for i in range(max(5, n // 100)):
        lo = r.choice([r.randrange(1025, 9000), r.randrange(1, 1024), r.randrange(9000, 60000)])
        port = str(lo) if r.random() < 0.7 else "%d-%d" % (lo, lo + r.randrange(1, 200))
        timeout = r.choice([1800, 7200, 28800, 86400]) if r.random() < 0.1 else None
        o = _service(r, ids, "service-tcp" if r.random() < 0.8 else "service-udp", "svc_%04d" % i, port, timeout,
                     source_port=">1023" if r.random() < 0.03 else None)
        objs[o["uid"]] = o
        svcs.append(o["uid"])
    icmps = []
    for name, typ in (("echo-request", 8), ("echo-reply", 0), ("dest-unreach", 3)):
        icmp = {"uid": ids(), "name": name, "type": "service-icmp", "domain": DATA_DOMAIN, "icmp-type": typ,
                "keep-connections-open-after-policy-installation": False}
        objs[icmp["uid"]] = _tail(icmp, r, "Services/ICMPService")
        icmps.append(icmp["uid"])
    proto = {"uid": ids(), "name": "icmp-proto", "type": "service-other", "domain": DATA_DOMAIN, "ip-protocol": 1,
             "match": "", "session-timeout": 30, "use-default-session-timeout": True}
    objs[proto["uid"]] = _tail(proto, r, "Services/OtherService")
    icmps.append(proto["uid"])
    sgroups = []
    for i in range(max(3, n // 400)):
        uid = ids()
        members = list(dict.fromkeys(r.choice(svcs) for _ in range(r.randrange(2, 8))))
        if sgroups and r.random() < 0.1:
            members.append(r.choice(sgroups))
        o = {"uid": uid, "name": "svcgrp_%03d" % i, "type": "service-group", "domain": USER_DOMAIN, "members": members}
        objs[uid] = _tail(o, r, "General/group")
        sgroups.append(uid)
    return svcs, sgroups, icmps


def _time_object(r: random.Random, ids: _Ids, objs: dict) -> str:
    uid = ids()
    o = {"uid": uid, "name": "Off_Work", "type": "time", "domain": USER_DOMAIN, "start-now": True,
         "end-never": True, "hours-ranges": [{"enabled": True, "from": "20:00", "to": "23:59", "index": 1}],
         "recurrence": {"pattern": "Daily", "month": "Any",
                        "weekdays": ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"], "days": ["1"]}}
    objs[uid] = _tail(o, r, "General/time")
    return uid


def _rule(r: random.Random, ids: _Ids, num: int, name: str, src, dst, svc, action: str, *, enabled=True,
          negate=(False, False, False), time=ANY, inline=None, comments="") -> dict:
    rule = {"uid": ids(), "name": name, "type": "access-rule", "domain": USER_DOMAIN, "rule-number": num,
            "track": {"type": LOG if r.random() < 0.7 else NONE_TRACK, "per-session": False,
                      "per-connection": True, "accounting": False, "enable-firewall-session": False,
                      "alert": "none"},
            "source": src, "source-negate": negate[0], "destination": dst, "destination-negate": negate[1],
            "service": svc, "service-negate": negate[2], "service-resource": "", "vpn": [ANY], "action": action,
            "action-settings": {"enable-identity-captive-portal": False}, "content": [ANY],
            "content-negate": False, "content-direction": "any", "time": [time],
            "custom-fields": {"field-1": "", "field-2": "", "field-3": ""}, "meta-info": _meta(r),
            "comments": comments, "enabled": enabled, "install-on": [POLICY_TARGETS]}
    if inline:
        rule["inline-layer"] = inline
    return rule


def _pick(r, pool, k):
    return list(dict.fromkeys(r.choice(pool) for _ in range(k)))


class _Made:
    """Objects made as the rules name them (a host per address, a network per /24, a port range)."""

    def __init__(self, r: random.Random, ids: _Ids, objs: dict):
        self.r, self.ids, self.objs = r, ids, objs
        self.by_key: dict = {}

    def _get(self, key, make) -> str:
        uid = self.by_key.get(key)
        if uid is None:
            o = make(self.ids())
            self.objs[o["uid"]] = o
            uid = self.by_key[key] = o["uid"]
        return uid

    def host(self, ip: str) -> str:
        def make(uid):
            o = _base(uid, "h_" + ip, "host", self.r, "Objects/host")
            o.update({"ipv4-address": ip, "interfaces": [], "nat-settings": {"auto-rule": False}})
            return _tail(o, self.r, "Objects/host")
        return self._get(("host", ip), make)

    def net24(self, a: int, b: int) -> str:
        def make(uid):
            o = _base(uid, "n_10.%d.%d.0_24" % (a, b), "network", self.r, "NetworkObjects/network")
            o.update({"broadcast": "allow", "subnet4": "10.%d.%d.0" % (a, b), "mask-length4": 24,
                      "subnet-mask": "255.255.255.0", "nat-settings": {"auto-rule": False}})
            return _tail(o, self.r, "NetworkObjects/network")
        return self._get(("net", a, b), make)

    def service(self, typ: str, port: str) -> str:
        name = ("tcp_" if typ == "service-tcp" else "udp_") + port
        return self._get((typ, port), lambda uid: dict(_service(self.r, _Fixed(uid), typ, name, port)))


class _Fixed:
    def __init__(self, uid: str):
        self.uid = uid

    def __call__(self) -> str:
        return self.uid


def _layer_rules(r, ids, n, addr, svcs, sgroups, time_uid, inline_uid, made: _Made, first_num=1):
    """[(section name, [rules])] for a layer of about ``n`` rules, shaped like gen_asa's ACL entries."""
    objs_pool = addr["hosts"] + addr["nets"]
    ports = [80, 443, 445, 22, 25, 53, 3389, 1521, 8080, 8443, 49152, 50010, 56765]
    icmps = addr["icmp"]

    def cell(wide: float) -> list:
        x = r.random()
        if x < wide:
            return [ANY]
        if x < wide + 0.15:
            return [r.choice(addr["groups"])]
        if x < wide + 0.35:
            return [r.choice(objs_pool)]
        if x < wide + 0.8:
            return [made.host(_ip(r, r.randrange(1, 60)))]
        return [made.net24(r.randrange(1, 60), r.randrange(256))]

    sections = []
    num = first_num
    bl = []
    for i in range(max(2, n * 55 // 100 // 20)):  # blacklist: drop rules for single outside hosts, at the top
        bad = made.host("198.51.%d.%d" % (r.randrange(256), r.randrange(1, 255)))
        bl.append(_rule(r, ids, num, "block_%04d" % i, [bad], [ANY], [ANY], DROP))
        num += 1
    sections.append(("Blacklist", bl))
    done, k = len(bl), 0
    recent: list[dict] = []
    while done < n - 3:
        size = min(r.randrange(50, 300), n - 3 - done)
        rules = []
        for _ in range(size):
            x = r.random()
            if recent and x < 0.015:  # an exact repeat of a recent rule (redundant)
                base = r.choice(recent)
                src, dst, svc, act = base["source"], base["destination"], base["service"], base["action"]
            else:
                act = DROP if r.random() < 0.12 else ACCEPT
                y = r.random()
                if y < 0.55:
                    typ = r.choice(["service-tcp", "service-tcp", "service-udp"])
                    z = r.random()
                    if z < 0.6:
                        svc = [made.service(typ, str(r.choice(ports)))]
                    elif z < 0.8:
                        lo = r.randrange(1024, 60000)
                        svc = [made.service(typ, "%d-%d" % (lo, lo + r.randrange(1, 2000)))]
                    else:
                        svc = [r.choice(sgroups)]
                    src, dst = cell(0.15), cell(0.0)
                elif y < 0.8:
                    svc, src, dst = [ANY], cell(0.02), cell(0.0)
                elif y < 0.9:
                    svc, src, dst = [r.choice(icmps)], cell(0.1), cell(0.0)
                else:
                    svc, src, dst = [made.service("service-udp", "53")], cell(0.1), cell(0.0)
                if r.random() < 0.02:
                    svc = [r.choice(svcs)]  # a service with its own session timeout, or a port form
                if r.random() < 0.01:
                    src = [r.choice(addr["gwes"])]
                if r.random() < 0.01:
                    dst = [r.choice(addr["ranges"])]
            neg = (False, False, False)
            x = r.random()
            if x < 0.001:  # negated cells as policies use them: web access to anything but the inside,
                src, dst, svc, act, neg = ([addr["internal"]], [addr["internal"]],
                                           [made.service("service-tcp", "80"), made.service("service-tcp", "443")],
                                           ACCEPT, (False, True, False))
            elif x < 0.0015:  # and ssh to a server from anyone but the admins, dropped
                src, svc, act, neg = [addr["admins"]], [made.service("service-tcp", "22")], DROP, (True, False, False)
            rule = _rule(r, ids, num, "rule_%05d" % num, src, dst, svc, act, enabled=r.random() >= 0.01,
                         negate=neg, time=time_uid if r.random() < 0.005 else ANY)
            if inline_uid and num == first_num + n // 2:  # the one rule that applies the inline layer
                rule = _rule(r, ids, num, "to_inline_%05d" % num, cell(0.0), [ANY], [ANY], APPLY_LAYER,
                             inline=inline_uid)
            rules.append(rule)
            recent = (recent + [rule])[-50:]
            num += 1
        sections.append(("Section %d" % k, rules))
        done += size
        k += 1
    https = made.service("service-tcp", "443")
    sections.append(("Cleanup", [
        _rule(r, ids, num, "https to all", [ANY], [ANY], [https], ACCEPT),
        _rule(r, ids, num + 1, "echo replies", [ANY], [ANY], [icmps[1]], ACCEPT),
        _rule(r, ids, num + 2, "Cleanup rule", [ANY], [ANY], [ANY], DROP)]))
    return sections


def _refs(o, objs: dict, out: dict) -> None:
    """The objects ``o`` (a uid or a list of uids) names directly, into ``out``."""
    for uid in (o if isinstance(o, list) else [o]):
        if uid in objs:
            out[uid] = objs[uid]


def _nested(objs: dict, seen: dict) -> list[dict]:
    """The members (include/except) of the groups in ``seen``, recursively, that ``seen`` lacks."""
    out: dict[str, dict] = {}
    todo = list(seen.values())
    while todo:
        o = todo.pop()
        for key in ("members", "include", "except"):
            v = o.get(key)
            for uid in (v if isinstance(v, list) else [v] if v else []):
                if uid not in seen and uid not in out and uid in objs:
                    out[uid] = objs[uid]
                    todo.append(objs[uid])
    return sorted(out.values(), key=lambda o: o["name"])


def _pages(layer_uid: str, layer_name: str, sections, objs: dict) -> list[dict]:
    total = sum(len(rs) for _, rs in sections)
    flat = [(si, rule) for si, (_, rs) in enumerate(sections) for rule in rs]
    sec_uids = [str(uuid.uuid5(uuid.NAMESPACE_OID, layer_uid + "/%d" % i)) for i in range(len(sections))]
    pages = []
    for start in range(0, len(flat), PAGE):
        chunk = flat[start:start + PAGE]
        rulebase: list[dict] = []
        used: dict[str, dict] = {}
        for si, rule in chunk:
            if not rulebase or rulebase[-1]["uid"] != sec_uids[si]:
                first = rule["rule-number"]
                rulebase.append({"uid": sec_uids[si], "name": sections[si][0], "type": "access-section",
                                 "from": first, "to": first, "rulebase": []})
            rulebase[-1]["rulebase"].append(rule)
            rulebase[-1]["to"] = rule["rule-number"]
            for key in ("source", "destination", "service", "time", "install-on", "vpn", "content"):
                _refs(rule[key], objs, used)
            _refs(rule["action"], objs, used)
            _refs(rule["track"]["type"], objs, used)
        pages.append({"uid": layer_uid, "name": layer_name, "rulebase": rulebase,
                      "objects-dictionary": sorted(used.values(), key=lambda o: o["name"]),
                      "from": chunk[0][1]["rule-number"], "to": chunk[-1][1]["rule-number"], "total": total})
    return pages


def generate(n: int = 20_000, seed: int = 1, shape: str = "mixed") -> str:
    """A JSON list of the replies of a policy export with about ``n`` rules in all (group members
    for ``huge-group``); ``shape`` is one of ``gen_asa.SHAPES`` (``mixed``, the default, is drawn
    here; the others by ``mix``).

    ``show-access-rulebase`` pages (as the API returns them: at most 500 rules each, the
    objects the page's rules name in its ``objects-dictionary``, groups listing their members by
    uid) for the layer ``Network`` and then its inline layer, followed by the ``show-objects``
    pages (``details-level full``) of the group members the dictionaries do not hold, as the
    Show Package tool fetches them.
    """
    if shape != "mixed":
        return _shaped(n, seed, shape)
    r = random.Random(seed)
    ids = _Ids(r)
    objs = _system_objects(r)
    addr_objs, addr = _objects(r, ids, n)
    objs.update(addr_objs)
    svcs, sgroups, addr["icmp"] = _services(r, ids, n, objs)
    time_uid = _time_object(r, ids, objs)
    made = _Made(r, ids, objs)
    network_uid, inline_uid = ids(), ids()
    n_inline = max(10, n // 100)
    inline_sections = _layer_rules(r, ids, n_inline, addr, svcs, sgroups, time_uid, None, made)
    sections = _layer_rules(r, ids, n - n_inline, addr, svcs, sgroups, time_uid, inline_uid, made)
    return _export([(network_uid, "Network", sections), (inline_uid, "Prinergy_Inline", inline_sections)], objs)


def _export(layers: list, objs: dict) -> str:
    """The pages of each (uid, name, sections) layer, then the group members no page holds, then the
    Global Properties' implied rules, as JSON."""
    pages = [p for uid, name, sections in layers for p in _pages(uid, name, sections, objs)]
    seen: dict[str, dict] = {}
    for page in pages:
        seen.update((o["uid"], o) for o in page["objects-dictionary"])
    nested = _nested(objs, seen)
    for start in range(0, len(nested), PAGE):
        chunk = nested[start:start + PAGE]
        pages.append({"objects": chunk, "from": start + 1, "to": start + len(chunk), "total": len(nested)})
    # the show-global-properties reply (its implied rules that may accept through traffic off, as many sites
    # set them): an export the tool reads whole
    pages.append({"type": "global-properties", "firewall": {
        "accept-icmp-requests": False, "accept-domain-name-over-udp": False,
        "accept-domain-name-over-tcp": False, "accept-rip": False}})
    return json.dumps(pages, indent=4) + "\n"


def _shaped(n: int, seed: int, shape: str) -> str:
    """``mix.build``'s shape as a Check Point export: every address an object (a host, a network), the
    groups and the huge group (``BLOCKLIST``, its repeats listed once, as a group holds a member once)
    as groups, service groups as groups of TCP or UDP services, the four lists one after the other in
    the layer ``Network`` as sections (each but the last without its closing drop, which would hide
    the lists after it); small-acls: the first list in ``Network``, then a rule per tenant applying
    its own inline layer (a tenant's /24 to anywhere)."""
    from mix import build, mask

    m = build(n, seed, shape)
    r = random.Random(seed)
    ids = _Ids(r)
    objs = _system_objects(r)
    made = _Made(r, ids, objs)
    _, _, icmps = _services(r, ids, 0, objs)

    def net(ip: str, bits: int) -> str:
        def make(uid):
            o = _base(uid, "n_%s_%d" % (ip, bits), "network", r, "NetworkObjects/network")
            o.update({"broadcast": "allow", "subnet4": ip, "mask-length4": bits,
                      "subnet-mask": mask(bits), "nat-settings": {"auto-rule": False}})
            return _tail(o, r, "NetworkObjects/network")
        return made._get(("net", ip, bits), make)

    def group(name: str, members: list[str], typ: str = "group") -> str:
        uid = ids()
        o = _base(uid, name, typ, r, "General/group")
        o["members"] = list(dict.fromkeys(members))
        objs[uid] = _tail(o, r, "General/group")
        return uid

    groups: list[str] = []

    def cell(a: tuple) -> str:
        if a[0] == "any":
            return ANY
        if a[0] == "host" or (a[0] == "net" and a[2] == 32):
            return made.host(a[1])
        if a[0] == "net":
            return net(a[1], a[2])
        if a[0] == "obj":
            return cell(m.objects[a[1]])
        return groups[a[1]] if a[0] == "group" else big

    for i, g in enumerate(m.groups):
        groups.append(group("grp_%04d" % i, [cell(x) for x in g]))
    big = group("BLOCKLIST", [cell(x) for x in m.big]) if m.big else ""
    sgroups = [group("svcgrp_%03d" % i, [made.service("service-" + proto, "%d" % lo if lo == hi else "%d-%d" % (
        lo, hi)) for lo, hi in ranges], "service-group") for i, (proto, ranges) in enumerate(m.services)]
    icmp = {"echo": icmps[0], "echo-reply": icmps[1], "unreachable": icmps[2], "": icmps[3]}

    def service(e) -> str:
        if e.proto == "ip":
            return ANY
        if e.proto == "icmp":
            return icmp[e.icmp]
        if e.ports[0] == "svc":
            return sgroups[e.ports[1]]
        return made.service("service-" + e.proto, "%d" % e.ports[0] if e.ports[0] == e.ports[1] else "%d-%d" % e.ports)

    def rules(acl, first: int, close: bool) -> list[dict]:
        body = acl.rules if close else acl.rules[:-1]
        return [_rule(r, ids, first + k, "%s_%05d" % (acl.name.lower(), k), [cell(e.src)], [cell(e.dst)],
                      [service(e)], DROP if e.action == "deny" else ACCEPT) for k, e in enumerate(body)]

    network = ids()
    layers: list = [(network, "Network", [])]
    tenants = [a for a in m.acls if a.name.startswith("TENANT")]
    lists = [a for a in m.acls if a not in tenants]
    num = 1
    for k, acl in enumerate(lists):
        layers[0][2].append((acl.name, rules(acl, num, k == len(lists) - 1 and not tenants)))
        num += len(layers[0][2][-1][1])
    parents = []
    for k, acl in enumerate(tenants):
        uid = ids()
        src = net("10.%d.%d.0" % (100 + k // 200, k % 200), 24)
        parents.append(_rule(r, ids, num, "to_%s" % acl.name.lower(), [src], [ANY], [ANY], APPLY_LAYER, inline=uid))
        num += 1
        layers.append((uid, acl.name, [("Rules", rules(acl, 1, True))]))
    if parents:
        parents.append(_rule(r, ids, num, "Cleanup rule", [ANY], [ANY], [ANY], DROP))
        layers[0][2].append(("Tenants", parents))
    return _export(layers, objs)


# --- measuring ---------------------------------------------------------------------------------------
#
# ``python benchmarks/gen_checkpoint.py --measure [--rules 20000] [--reps 3]`` times the full audit of
# the generated policy per rule against the full audit of ``gen_asa``'s config per ACL entry, of the
# same size, in the same run: each audit in a fresh process, the two alternating, each side's best
# over ``--reps`` processes, as the CLI runs it (``load_config``, then ``audit``), with each process's peak
# memory.


def _audit_once(path: str, vendor: str) -> dict:
    import resource
    import time

    from auditor.api import audit, load_config
    from auditor.policy import load_site

    site = load_site(None, ["workshop=10.1.0.0/16", "primary=10.2.0.10", "secondary=10.2.0.11"])
    text = open(path).read()
    t0 = time.perf_counter()
    cfg = load_config(path, vendor, text=text)
    t1 = time.perf_counter()
    result = audit([cfg], site)
    t2 = time.perf_counter()
    rules = sum(len(f.rules) for f in cfg.filters.values())
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    try:  # this process's own peak (ru_maxrss may carry the parent's, across fork and exec)
        with open("/proc/self/status") as f:
            rss = next(int(x.split()[1]) * 1024 for x in f if x.startswith("VmHWM:"))
    except (OSError, StopIteration):
        pass
    return {"parse": t1 - t0, "total": t2 - t0, "rules": rules, "findings": len(result.findings), "rss": rss}


def _measure(n: int, reps: int) -> None:
    import os
    import subprocess

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    sys.path.insert(0, root)
    sys.path.insert(0, os.path.join(root, "benchmarks"))
    from gen_asa import generate as generate_asa

    out = os.path.join(root, "benchmarks", "out")
    os.makedirs(out, exist_ok=True)
    cp, asa = os.path.join(out, "checkpoint-%d.json" % n), os.path.join(out, "asa-%d.cfg" % n)
    with open(cp, "w") as f:
        f.write(generate(n))
    with open(asa, "w") as f:
        f.write(generate_asa(n))
    runs: dict[str, list] = {"checkpoint": [], "cisco-asa": []}
    for _ in range(reps):
        for vendor, path in (("cisco-asa", asa), ("checkpoint", cp)):
            got = subprocess.run([sys.executable, __file__, "--child", vendor, path], check=True,
                                 stdout=subprocess.PIPE, text=True, cwd=root).stdout
            runs[vendor].append(json.loads(got.strip().splitlines()[-1]))
    best = {v: min(rs, key=lambda x: x["total"]) for v, rs in runs.items()}
    c, a = best["checkpoint"], best["cisco-asa"]
    per_c, per_a = c["total"] / n, a["total"] / n
    print("input rules: %d (Check Point, %.0f MB JSON), %d ACL entries (ASA)" % (n, os.path.getsize(cp) / 1e6, n))
    for v, x in (("checkpoint", c), ("cisco-asa", a)):
        print("%-10s best of %d: parse %.2f s, full audit %.2f s, %.1f us per rule, peak %.0f MB, %d findings, "
              "all totals %s" % (v, reps, x["parse"], x["total"], x["total"] / n * 1e6, x["rss"] / 2**20,
                                 x["findings"], ", ".join("%.2f" % r["total"] for r in runs[v])))
    print("ratio per rule (Check Point / ASA): %.2f (target <= 1.5); peak memory %.0f MB (target < 1000)"
          % (per_c / per_a, max(r["rss"] for rs in runs.values() for r in rs) / 2**20))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        import os

        sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        print(json.dumps(_audit_once(sys.argv[3], sys.argv[2])))
    elif len(sys.argv) > 1 and sys.argv[1] == "--measure":
        import argparse

        ap = argparse.ArgumentParser()
        ap.add_argument("--measure", action="store_true")
        ap.add_argument("--rules", type=int, default=20_000)
        ap.add_argument("--reps", type=int, default=3)
        args = ap.parse_args()
        _measure(args.rules, args.reps)
    else:
        sys.stdout.write(generate(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000))
